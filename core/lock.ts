import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { KitcfgError } from "./errors.ts";

/** How long a writer waits for another one by default. */
export const DEFAULT_LOCK_TIMEOUT_MS = 10_000;

/** A held lock; `release` is idempotent. */
export interface Lock {
  path: string;
  release(): void;
}

export interface AcquireLocksOptions {
  /** The files to lock; each gets `<file>.lock`. Locked in sorted order to avoid deadlock. */
  files: string[];
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
}

/**
 * Take `<file>.lock` for every file, the way git does: the lock file is created
 * exclusively and holds the writer's pid and start time. A lock whose writer is gone is
 * taken over. Waits up to `timeoutMs`, retrying.
 * @throws KitcfgError `LOCKED` naming the holder when the wait runs out.
 */
export async function acquireLocks(options: AcquireLocksOptions): Promise<Lock[]> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const held: Lock[] = [];
  try {
    for (const file of [...new Set(options.files)].sort()) held.push(await acquireOne(`${file}.lock`, deadline, timeoutMs));
    return held;
  } catch (error) {
    for (const lock of held.reverse()) lock.release();
    throw error;
  }
}

/** Run `fn` holding the locks of `files`, releasing them however it ends. */
export async function withLocks<T>(options: AcquireLocksOptions, fn: () => Promise<T>): Promise<T> {
  const locks = await acquireLocks(options);
  try {
    return await fn();
  } finally {
    for (const lock of locks.reverse()) lock.release();
  }
}

/** The pid written in a lock file, if it parses. */
export function lockHolder(lockPath: string): { pid: number; start?: string } | undefined {
  let text: string;
  try {
    text = readFileSync(lockPath, "utf8");
  } catch {
    return undefined;
  }
  const [pidLine, start] = text.split("\n");
  const pid = Number(pidLine);
  return Number.isInteger(pid) && pid > 0 ? { pid, start: start || undefined } : undefined;
}

// --- internal ---

async function acquireOne(lockPath: string, deadline: number, timeoutMs: number): Promise<Lock> {
  let delay = 2;
  for (;;) {
    if (tryCreate(lockPath)) return makeLock(lockPath);
    if (isStale(lockPath)) {
      takeOverStale(lockPath);
      continue;
    }
    if (Date.now() >= deadline) {
      const holder = lockHolder(lockPath);
      const who = holder ? `process ${holder.pid}` : "another process";
      throw new KitcfgError("LOCKED", `Cannot lock ${lockPath}: held by ${who} for more than ${timeoutMs / 1000} s`, {
        file: lockPath,
        hint: "Wait for the other writer, raise --lock-timeout, or remove the lock file if no kitcfg is running",
      });
    }
    await Bun.sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 50);
  }
}

function tryCreate(lockPath: string): boolean {
  let fd: number;
  try {
    fd = openSync(lockPath, "wx", 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    throw new KitcfgError("IO_FAILED", `Cannot create lock ${lockPath}: ${code ?? String(error)}`, { file: lockPath, cause: error });
  }
  try {
    writeSync(fd, `${process.pid}\n${processStart(process.pid) ?? ""}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function makeLock(path: string): Lock {
  let released = false;
  return {
    path,
    release: function releaseLock() {
      if (released) return;
      released = true;
      try {
        unlinkSync(path);
      } catch {
        // already gone: nothing to release
      }
    },
  };
}

/**
 * A lock is stale when its pid no longer runs, or runs but started at another time (the
 * pid was reused). An empty or half-written lock counts as live for a moment: its writer
 * may be between create and write; it is stale once it is older than a second.
 */
function isStale(lockPath: string): boolean {
  const holder = lockHolder(lockPath);
  if (!holder) return ageMs(lockPath) > 1000;
  if (holder.pid === process.pid) return false;
  if (!isAlive(holder.pid)) return true;
  const start = processStart(holder.pid);
  return holder.start !== undefined && start !== undefined && start !== holder.start;
}

/**
 * Remove a stale lock without removing a fresh one that another waiter created meanwhile:
 * a guard file, itself created exclusively, makes check-and-remove one step.
 */
function takeOverStale(lockPath: string): void {
  const guard = `${lockPath}.takeover`;
  if (!tryCreate(guard)) {
    if (isStale(guard)) {
      try {
        unlinkSync(guard);
      } catch {
        // another waiter removed it first
      }
    }
    return;
  }
  try {
    if (isStale(lockPath)) unlinkSync(lockPath);
  } catch {
    // gone already: the next attempt creates it
  } finally {
    try {
      unlinkSync(guard);
    } catch {
      // nothing to clean
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Start time of a process in clock ticks since boot (Linux `/proc/<pid>/stat` field 22). */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - Bun.file(path).lastModified;
  } catch {
    return 0;
  }
}
