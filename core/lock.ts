import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  fstatSync,
  ftruncateSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from "./_fs-sync.ts";
import { describeErrno } from "./_errno.ts";
import { kernelLocks, tryFlock } from "./_flock.ts";
import { KitcfgError } from "./errors.ts";

import { DEFAULT_LOCK_TIMEOUT_MS } from "./_defaults.ts";

export { DEFAULT_LOCK_TIMEOUT_MS } from "./_defaults.ts";

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

/** Who holds a lock, as its file says. */
export interface LockHolder {
  pid: number;
  /** The holder's start time in clock ticks since boot, to tell a reused pid apart. */
  start?: string;
  /** ISO time the lock was taken. */
  since?: string;
}

/**
 * Take `<file>.lock` for every file. The lock is a kernel lock (flock) on that file: it
 * holds across PID namespaces (containers sharing a volume) and the kernel frees it when
 * its holder dies, so a dead writer's lock is simply taken. The file also holds the
 * writer's pid, its start time and the time it was taken, only to name the holder in a
 * message. Where kernel locks are not available (no FFI or libc, a file system refusing
 * them) the file itself is the lock, created exclusively as git does, and a lock whose pid
 * no longer runs is taken over; that fallback does not hold across PID namespaces.
 * Writers in this same process (concurrent API calls) queue on an in-process mutex first.
 * Waits up to `timeoutMs`, retrying.
 * @throws KitcfgError `LOCKED` naming the holder when the wait runs out; `IO_FAILED` when
 * the lock file cannot be created (folder not writable, read-only file system).
 */
export async function acquireLocks(options: AcquireLocksOptions): Promise<Lock[]> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const held: Lock[] = [];
  try {
    for (const file of [...new Set(options.files)].sort()) held.push(await acquireOne(file, deadline, timeoutMs));
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

/** The holder written in a lock file, if it parses. */
export function lockHolder(lockPath: string): LockHolder | undefined {
  let text: string;
  try {
    text = readFileSync(lockPath, "utf8");
  } catch {
    return undefined;
  }
  const [pidLine, start, since] = text.split("\n");
  const pid = Number(pidLine);
  return Number.isInteger(pid) && pid > 0 ? { pid, start: start || undefined, since: since || undefined } : undefined;
}

/**
 * Remove the lock files of `files` that no one holds: left by a writer that was killed,
 * for files the next writer does not lock itself (a change settled from an intent record
 * may leave nothing else to write). Each is removed while holding its kernel lock, as a
 * release does. Nothing happens without kernel locks, or for a lock in use.
 */
export function clearIdleLocks(files: string[]): void {
  if (!kernelLocks()) return;
  for (const file of files) {
    const lockPath = `${file}.lock`;
    if (owned.has(lockPath) || slots.has(lockPath) || !existsSync(lockPath)) continue;
    let fd: number;
    try {
      fd = openSync(lockPath, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch {
      continue;
    }
    try {
      if (tryFlock(fd) !== "locked") continue;
      const onDisk = statSync(lockPath, { throwIfNoEntry: false });
      const mine = fstatSync(fd);
      if (onDisk && onDisk.ino === mine.ino && onDisk.dev === mine.dev) removeQuietly(lockPath);
    } finally {
      closeQuietly(fd);
    }
  }
}

/**
 * True when a process with this pid runs (a pid we may not signal counts as running). A
 * zombie, killed but not yet reaped by its parent, still answers signals yet writes nothing.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  return !["Z", "X"].includes(processStat(pid)?.[0] ?? "");
}

// --- internal ---

/** Per lock path: whether a writer of this process holds it, and who waits for it. */
interface Slot {
  busy: boolean;
  queue: (() => void)[];
}

const slots = new Map<string, Slot>();
/** Lock files this process created and still holds: any other lock with our pid is a leftover. */
const owned = new Set<string>();
let ownStart: string | undefined;

async function acquireOne(file: string, deadline: number, timeoutMs: number): Promise<Lock> {
  const lockPath = `${file}.lock`;
  await enterProcess(file, deadline, timeoutMs);
  let fd: number | undefined;
  try {
    if (kernelLocks()) fd = await acquireKernel(file, lockPath, deadline, timeoutMs);
    if (fd === undefined) await acquireFile(file, lockPath, deadline, timeoutMs);
  } catch (error) {
    leaveProcess(lockPath);
    throw error;
  }
  owned.add(lockPath);
  let released = false;
  return {
    path: lockPath,
    release: function releaseLock() {
      if (released) return;
      released = true;
      owned.delete(lockPath);
      // Removed while still held: a waiter that opened this file meanwhile sees, once it
      // gets the kernel lock, that the path no longer names it, and starts over.
      removeQuietly(lockPath);
      if (fd !== undefined) closeQuietly(fd);
      leaveProcess(lockPath);
    },
  };
}

/**
 * Hold a kernel lock (flock) on `<file>.lock`: the real lock, across PID namespaces, and
 * freed by the kernel when its holder dies. The file's pid and times only say who holds it.
 * Returns the descriptor that holds it, or undefined when this file system refuses kernel
 * locks (then the pid-based lock is used).
 */
async function acquireKernel(
  file: string,
  lockPath: string,
  deadline: number,
  timeoutMs: number,
): Promise<number | undefined> {
  let delay = 2;
  for (;;) {
    const fd = openLockFile(file, lockPath);
    const got = fd === undefined ? "busy" : tryFlock(fd);
    if (fd !== undefined && got === "locked") {
      const held = claimLockFile(fd, lockPath);
      if (held === "held") return fd;
      closeQuietly(fd);
      if (held === "retry") continue;
    } else if (fd !== undefined) {
      closeQuietly(fd);
      if (got === "unsupported") return undefined;
    }
    if (Date.now() >= deadline) throw lockedError(file, lockPath, holderText(lockPath), timeoutMs);
    await Bun.sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 50);
  }
}

/**
 * Open (or create) the lock file; undefined when it exists but this user may not open it
 * (another user's writer made it 0600): it is then waited for, never taken.
 * @throws KitcfgError `IO_FAILED` when it cannot be created.
 */
function openLockFile(file: string, lockPath: string): number | undefined {
  try {
    // Readable by all: other users' writers must see who holds it (it holds no secret).
    return openSync(lockPath, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, 0o644);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EACCES" || code === "EPERM") {
      try {
        // flock needs no write access: another user's 0644 lock can still be taken over.
        return openSync(lockPath, constants.O_RDONLY | constants.O_NOFOLLOW);
      } catch (again) {
        const code2 = (again as NodeJS.ErrnoException).code;
        if ((code2 === "EACCES" || code2 === "EPERM") && existsSync(lockPath)) return undefined;
        // ENOENT here means the folder refused the creation: the first error says why.
        // biome-ignore lint/suspicious/noCatchAssign: the error reported is the one that says why
        if (code2 !== "ENOENT") error = again;
      }
    }
    throw createError(file, lockPath, (error as NodeJS.ErrnoException).code, error);
  }
}

/**
 * With the kernel lock taken on `fd`: check that the path still names this file (a holder
 * removes it on release, and a new one may have been created since), then write who holds
 * it. "retry" when the path moved on, or when the file is another user's that this user
 * cannot write (it is removed, since its holder is gone, and made afresh).
 */
function claimLockFile(fd: number, lockPath: string): "held" | "retry" | "wait" {
  let onDisk: ReturnType<typeof statSync>;
  try {
    onDisk = statSync(lockPath);
  } catch {
    return "retry";
  }
  const mine = fstatSync(fd);
  if (onDisk.ino !== mine.ino || onDisk.dev !== mine.dev) return "retry";
  try {
    // Only a lock file a killed holder left has a line to clear. Truncating an empty one is no
    // mere no-op on ext4: the file is then flushed when closed (its auto_da_alloc rule for a
    // file truncated to 0), which made each release cost about 0.2 ms instead of 7 µs.
    if (mine.size > 0) ftruncateSync(fd, 0);
    writeSync(fd, holderLine(), 0);
    return "held";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EBADF" && code !== "EINVAL" && code !== "EACCES" && code !== "EPERM") return "held";
    try {
      unlinkSync(lockPath);
      return "retry";
    } catch {
      // Not ours to remove either: hold it as it is, without naming ourselves in it.
      return "held";
    }
  }
}

function holderText(lockPath: string): string {
  const holder = lockHolder(lockPath);
  return holder ? `process ${holder.pid}${holder.since ? ` (since ${holder.since})` : ""}` : "another process";
}

function holderLine(): string {
  return `${process.pid}\n${(ownStart ??= processStart(process.pid)) ?? ""}\n${new Date().toISOString()}\n`;
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

/** Wait for the other writers of this process that hold the same lock. */
function enterProcess(file: string, deadline: number, timeoutMs: number): Promise<void> {
  const lockPath = `${file}.lock`;
  let slot = slots.get(lockPath);
  if (!slot) slots.set(lockPath, (slot = { busy: false, queue: [] }));
  if (!slot.busy) {
    slot.busy = true;
    return Promise.resolve();
  }
  const queue = slot.queue;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => {
        queue.splice(queue.indexOf(wake), 1);
        reject(lockedError(file, lockPath, "another writer in this process", timeoutMs));
      },
      Math.max(0, deadline - Date.now()),
    );
    function wake() {
      clearTimeout(timer);
      resolve();
    }
    queue.push(wake);
  });
}

/** Hand the lock to the next writer of this process, or free it. */
function leaveProcess(lockPath: string): void {
  const slot = slots.get(lockPath);
  if (!slot) return;
  const next = slot.queue.shift();
  if (next) {
    next();
    return;
  }
  slot.busy = false;
  slots.delete(lockPath);
}

async function acquireFile(file: string, lockPath: string, deadline: number, timeoutMs: number): Promise<void> {
  let delay = 2;
  for (;;) {
    if (tryCreate(file, lockPath)) return removeStaleGuard(lockPath);
    if (isStale(lockPath) && takeOverStale(file, lockPath)) continue;
    if (Date.now() >= deadline) throw lockedError(file, lockPath, holderText(lockPath), timeoutMs);
    await Bun.sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 50);
  }
}

function lockedError(file: string, lockPath: string, who: string, timeoutMs: number): KitcfgError {
  return new KitcfgError("LOCKED", `Cannot write ${file}: locked by ${who}, gave up after ${timeoutMs / 1000} s`, {
    file: lockPath,
    // A dead holder's lock is freed (by the kernel) or taken over (its pid is gone) without help:
    // one that is held has a live holder, and removing its file would let a second writer in.
    hint:
      "Wait for the other writer or raise --lock-timeout; the lock goes when its holder ends " +
      `(stop that process if it hangs; removing ${lockPath} would let two writers in)`,
  });
}

/** Create the lock file exclusively and write who holds it; false when it exists already. */
function tryCreate(file: string, lockPath: string): boolean {
  let fd: number | undefined;
  let created = false;
  try {
    // Readable by all: other users' writers must see who holds it (it holds no secret).
    fd = openSync(lockPath, "wx", 0o644);
    created = true;
    writeSync(fd, holderLine());
    const open = fd;
    fd = undefined;
    closeSync(open);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!created && code === "EEXIST") return false;
    if (fd !== undefined) closeSync(fd);
    // A lock we created but could not fill (disk full) must not block the next writer.
    if (created) removeQuietly(lockPath);
    throw createError(file, lockPath, code, error);
  }
}

function createError(file: string, lockPath: string, code: string | undefined, error: unknown): KitcfgError {
  return new KitcfgError(
    "IO_FAILED",
    `Cannot write ${file}: cannot create its lock ${lockPath}: ${describeErrno(code, error)}`,
    {
      file: lockPath,
      cause: error,
      hint:
        "Check that the folder is writable by this user and the file system is not read-only or full; " +
        "nothing was changed",
    },
  );
}

/**
 * A lock is stale when its pid no longer runs, runs but started at another time (the pid
 * was reused), or is this process's pid without this process holding it (left by an earlier
 * process with the same pid, common in containers). An empty or half-written lock counts
 * as live for a moment, since its writer may be between create and write; it is stale once
 * it is older than a second.
 */
function isStale(lockPath: string): boolean {
  // A lock this user cannot read belongs to another user's writer: never ours to remove.
  if (!isReadable(lockPath)) return false;
  const holder = lockHolder(lockPath);
  if (!holder) return ageMs(lockPath) > 1000;
  if (holder.pid === process.pid) return !owned.has(lockPath);
  if (!isProcessAlive(holder.pid)) return true;
  const start = processStart(holder.pid);
  return holder.start !== undefined && start !== undefined && start !== holder.start;
}

/**
 * Remove a stale lock without removing a fresh one that another waiter created meanwhile:
 * a guard file, itself created exclusively, makes check-and-remove one step among the
 * waiters (a live holder never removes a lock it does not hold). True when it is worth
 * trying again at once; false when another waiter is taking over (wait a little then).
 */
function takeOverStale(file: string, lockPath: string): boolean {
  const guard = `${lockPath}.takeover`;
  if (!tryCreate(file, guard)) {
    if (!isStale(guard)) return false;
    removeQuietly(guard);
    return true;
  }
  try {
    if (isStale(lockPath)) removeQuietly(lockPath);
  } finally {
    removeQuietly(guard);
  }
  return true;
}

/** A takeover guard whose writer was killed after removing the stale lock would stay forever. */
function removeStaleGuard(lockPath: string): void {
  const guard = `${lockPath}.takeover`;
  if (existsSync(guard) && isStale(guard)) removeQuietly(guard);
}

/** Start time of a process in clock ticks since boot (Linux `/proc/<pid>/stat` field 22). */
function processStart(pid: number): string | undefined {
  return processStat(pid)?.[19];
}

/** The fields of `/proc/<pid>/stat` after the command name, from field 3 (the state) on. */
function processStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

function isReadable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch (error) {
    // Gone meanwhile counts as readable: the next attempt simply creates the lock.
    return (error as NodeJS.ErrnoException).code === "ENOENT";
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone: another waiter removed it, or it was never created
  }
}
