import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { KitcfgError } from "../../core/errors.ts";
import { acquireLocks, lockHolder, withLocks } from "../../core/lock.ts";
import { tempDir } from "../helpers.ts";

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

/** A pid that certainly ran and is gone now. */
function deadPid(): number {
  const child = Bun.spawnSync(["true"]);
  return child.pid;
}

/** A live process to play another writer; killed by the returned function. */
function liveProcess(): { pid: number; start: string; stop: () => void } {
  const child = Bun.spawn(["sleep", "30"]);
  const stat = readFileSync(`/proc/${child.pid}/stat`, "utf8");
  const start = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]!;
  return { pid: child.pid, start, stop: () => child.kill("SIGKILL") };
}

/**
 * Another process holding the kernel lock on `lockPath` (util-linux flock; `-o` keeps its
 * child from inheriting the lock, so killing flock frees it), with `content`
 * written in the file first as a holder would; killed by the returned function.
 */
async function kernelHolder(lockPath: string, content = ""): Promise<{ pid: number; stop: () => void }> {
  writeFileSync(lockPath, content);
  const child = Bun.spawn(["flock", "-x", "-o", lockPath, "sh", "-c", "echo held; exec sleep 30"], { stdout: "pipe" });
  const reader = child.stdout.getReader();
  await reader.read();
  return { pid: child.pid, stop: () => child.kill("SIGKILL") };
}

async function lockedError(promise: Promise<unknown>): Promise<KitcfgError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(KitcfgError);
    return error as KitcfgError;
  }
  throw new Error("expected the lock to fail");
}

test("a lock file is created exclusively with the pid on its first line, and removed on release", async () => {
  const file = join(dir, "config.json");
  const [lock] = await acquireLocks({ files: [file] });
  const lines = readFileSync(`${file}.lock`, "utf8").split("\n");
  expect(Number(lines[0])).toBe(process.pid);
  expect(lines[1]).toMatch(/^\d+$/);
  expect(Number.isNaN(Date.parse(lines[2]!))).toBe(false);
  lock!.release();
  lock!.release();
  expect(existsSync(`${file}.lock`)).toBe(false);
});

test(
  "a kernel lock held by another process makes the writer wait, " + "then fail with LOCKED naming the holder's pid",
  async () => {
    const file = join(dir, "config.json");
    const other = await kernelHolder(`${file}.lock`, `4242\n1\n2030-01-01T00:00:00.000Z\n`);
    try {
      const error = await lockedError(acquireLocks({ files: [file], timeoutMs: 150 }));
      expect(error.code).toBe("LOCKED");
      expect(error.message).toContain("locked by process 4242 (since 2030-01-01T00:00:00.000Z)");
      expect(error.message).toContain(file);
      expect(error.message).toContain("0.15 s");
      expect(error.hint).toContain(`${file}.lock`);
    } finally {
      other.stop();
    }
    // The kernel frees the lock of a dead holder: it is taken at once.
    const locks = await acquireLocks({ files: [file], timeoutMs: 2000 });
    expect(lockHolder(`${file}.lock`)?.pid).toBe(process.pid);
    for (const lock of locks) lock.release();
    expect(readdirSync(dir)).toEqual([]);
  },
);

test("a lock file left with a longer line is cleared before the holder is written", async () => {
  const file = join(dir, "config.json");
  writeFileSync(`${file}.lock`, `${"9".repeat(12)}\n${"x".repeat(200)}\n`);
  let locks = await acquireLocks({ files: [file], timeoutMs: 500 });
  const taken = readFileSync(`${file}.lock`, "utf8");
  expect(taken.split("\n")).toEqual([String(process.pid), expect.any(String), expect.any(String), ""]);
  expect(taken).not.toContain("x");
  for (const lock of locks) lock.release();
  locks = await acquireLocks({ files: [file], timeoutMs: 500 });
  expect(readFileSync(`${file}.lock`, "utf8").split("\n")[0]).toBe(String(process.pid));
  for (const lock of locks) lock.release();
});

test(
  "a lock file naming a live pid but not held in the kernel " + "(another PID namespace's dead writer) is taken",
  async () => {
    const file = join(dir, "config.json");
    const other = liveProcess();
    try {
      writeFileSync(`${file}.lock`, `${other.pid}\n${other.start}\n`);
      const locks = await acquireLocks({ files: [file], timeoutMs: 500 });
      expect(lockHolder(`${file}.lock`)?.pid).toBe(process.pid);
      for (const lock of locks) lock.release();
    } finally {
      other.stop();
    }
  },
);

describe("without kernel locks (KITCFG_NO_FLOCK=1: the pid-based fallback)", () => {
  beforeAll(() => void (process.env.KITCFG_NO_FLOCK = "1"));
  afterAll(() => void delete process.env.KITCFG_NO_FLOCK);

  test("a live holder makes the writer wait, then fail with LOCKED naming the holder's pid", async () => {
    const file = join(dir, "config.json");
    const other = liveProcess();
    try {
      writeFileSync(`${file}.lock`, `${other.pid}\n${other.start}\n2030-01-01T00:00:00.000Z\n`);
      const error = await lockedError(acquireLocks({ files: [file], timeoutMs: 150 }));
      expect(error.code).toBe("LOCKED");
      expect(error.message).toContain(`locked by process ${other.pid} (since 2030-01-01T00:00:00.000Z)`);
      expect(lockHolder(`${file}.lock`)?.pid).toBe(other.pid);
    } finally {
      other.stop();
    }
  });

  test("a lock left by a dead process is taken over", async () => {
    const file = join(dir, "config.json");
    writeFileSync(`${file}.lock`, `${deadPid()}\n123\n`);
    const locks = await acquireLocks({ files: [file], timeoutMs: 2000 });
    expect(lockHolder(`${file}.lock`)?.pid).toBe(process.pid);
    for (const lock of locks) lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  test("a lock naming a live pid with another start time (a reused pid) is taken over", async () => {
    const file = join(dir, "config.json");
    const other = liveProcess();
    try {
      writeFileSync(`${file}.lock`, `${other.pid}\n1\n`);
      const locks = await acquireLocks({ files: [file], timeoutMs: 2000 });
      expect(lockHolder(`${file}.lock`)?.pid).toBe(process.pid);
      for (const lock of locks) lock.release();
    } finally {
      other.stop();
    }
  });

  test(
    "a lock with this process's pid that it does not hold " + "(an earlier process with the same pid) is taken over",
    async () => {
      const file = join(dir, "config.json");
      writeFileSync(`${file}.lock`, `${process.pid}\n1\n`);
      const locks = await acquireLocks({ files: [file], timeoutMs: 2000 });
      for (const lock of locks) lock.release();
      expect(existsSync(`${file}.lock`)).toBe(false);
    },
  );

  test("an empty lock is waited for while fresh and taken over once older than a second", async () => {
    const file = join(dir, "config.json");
    writeFileSync(`${file}.lock`, "");
    expect((await lockedError(acquireLocks({ files: [file], timeoutMs: 100 }))).code).toBe("LOCKED");
    const old = new Date(Date.now() - 5000);
    utimesSync(`${file}.lock`, old, old);
    const locks = await acquireLocks({ files: [file], timeoutMs: 2000 });
    for (const lock of locks) lock.release();
  });
});

test("writers in one process take turns on the same file and never overlap", async () => {
  const file = join(dir, "config.json");
  const events: string[] = [];
  const writer = (name: string) =>
    withLocks({ files: [file] }, async () => {
      events.push(`${name}:in`);
      await Bun.sleep(5);
      events.push(`${name}:out`);
    });
  await Promise.all(["a", "b", "c", "d"].map(writer));
  for (let i = 0; i < events.length; i += 2) {
    expect(events[i]!.split(":")[0]).toBe(events[i + 1]!.split(":")[0]!);
    expect(events[i]!.endsWith(":in") && events[i + 1]!.endsWith(":out")).toBe(true);
  }
  expect(events).toHaveLength(8);
  expect(existsSync(`${file}.lock`)).toBe(false);
});

test("a writer in the same process that waits too long gets LOCKED, and the lock still works after", async () => {
  const file = join(dir, "config.json");
  const [held] = await acquireLocks({ files: [file] });
  const error = await lockedError(acquireLocks({ files: [file], timeoutMs: 50 }));
  expect(error.code).toBe("LOCKED");
  expect(error.message).toContain("another writer in this process");
  held!.release();
  const again = await acquireLocks({ files: [file], timeoutMs: 500 });
  for (const lock of again) lock.release();
});

test("several files are locked together and a failure releases the ones already taken", async () => {
  const [a, b] = [join(dir, "a.json"), join(dir, "b.json")];
  const other = await kernelHolder(`${b}.lock`);
  try {
    await lockedError(acquireLocks({ files: [b, a], timeoutMs: 50 }));
    expect(existsSync(`${a}.lock`)).toBe(false);
  } finally {
    other.stop();
  }
});

test("a lock that cannot be created is an I/O error naming the file, not a wait", async () => {
  const file = join(dir, "missing-folder", "config.json");
  const error = await lockedError(acquireLocks({ files: [file], timeoutMs: 5000 }));
  expect(error.code).toBe("IO_FAILED");
  expect(error.message).toBe(`Cannot write ${file}: cannot create its lock ${file}.lock: its folder does not exist`);
});
