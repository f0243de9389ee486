import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import * as node from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as mine from "../../core/_fs-sync.ts";
import { fileKind, folderNames, pathExists, readFileBytes } from "../../core/_fs.ts";
import { LINUX_OPEN, libc } from "../../core/_libc.ts";
import { canTrace } from "../helpers.ts";

// core/_fs-sync.ts makes node:fs's calls as Linux system calls: each is compared here with
// node:fs's own on real files, results and error codes alike.

let dir: string;
beforeEach(() => void (dir = node.mkdtempSync(join(tmpdir(), "kitcfg-fs-sync-"))));
afterEach(() => node.rmSync(dir, { recursive: true, force: true }));

const linux = process.platform === "linux" && (process.arch === "x64" || process.arch === "arm64");

/** The code a call throws, or "ok". */
function outcome(call: () => unknown): string {
  try {
    call();
    return "ok";
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  }
}

const fields = (s: { mode: number; uid: number; gid: number; nlink: number; size: number; ino: number }) => ({
  mode: s.mode,
  uid: s.uid,
  gid: s.gid,
  nlink: s.nlink,
  size: s.size,
  ino: s.ino,
});

test.if(linux)("on Linux x64 and arm64 the calls are system calls, with node's flag values", () => {
  expect(libc()?.files).toBeDefined();
  // (node:fs has no O_CLOEXEC: it adds the flag itself, as `Libc.files.open` does.)
  for (const [name, value] of Object.entries(LINUX_OPEN!).filter(([name]) => name !== "O_CLOEXEC")) {
    expect([name, value]).toEqual([name, (node.constants as Record<string, number>)[name]!]);
  }
  for (const name of ["O_RDONLY", "O_WRONLY", "O_RDWR", "O_CREAT", "O_EXCL", "O_TRUNC", "O_NOFOLLOW", "W_OK", "R_OK"])
    expect((mine.constants as Record<string, number>)[name]).toBe((node.constants as Record<string, number>)[name]!);
});

describe("status", () => {
  test("statSync, lstatSync and fstatSync read as node:fs: type, mode, owner, size, inode, device, mtime", () => {
    const file = join(dir, "a");
    node.writeFileSync(file, "hello");
    node.chmodSync(file, 0o640);
    node.linkSync(file, join(dir, "b"));
    node.symlinkSync("a", join(dir, "link"));
    node.utimesSync(file, 1_700_000_000.123, 1_700_000_000.456);
    for (const path of [file, dir, join(dir, "link")]) {
      const [a, b] = [mine.statSync(path), node.statSync(path)];
      expect(fields(a)).toEqual(fields(b));
      expect(a.dev).toBe(b.dev);
      expect(a.mtimeMs).toBeCloseTo(b.mtimeMs, 3);
      expect([a.isFile(), a.isDirectory(), a.isSymbolicLink()]).toEqual([b.isFile(), b.isDirectory(), false]);
    }
    const [l, nl] = [mine.lstatSync(join(dir, "link")), node.lstatSync(join(dir, "link"))];
    expect(fields(l)).toEqual(fields(nl));
    expect(l.isSymbolicLink()).toBe(true);
    const fd = node.openSync(file, "r");
    try {
      expect(fields(mine.fstatSync(fd))).toEqual(fields(node.fstatSync(fd)));
    } finally {
      node.closeSync(fd);
    }
    expect(mine.statSync(file).nlink).toBe(2);
  });

  test("a missing path throws ENOENT, or is undefined with throwIfNoEntry false, as in node:fs", () => {
    const missing = join(dir, "none");
    node.writeFileSync(join(dir, "file"), "");
    const belowFile = join(dir, "file", "x");
    for (const path of [missing, belowFile]) {
      expect(outcome(() => mine.statSync(path))).toBe(outcome(() => node.statSync(path)));
      expect(outcome(() => mine.lstatSync(path))).toBe(outcome(() => node.lstatSync(path)));
      const quiet = { throwIfNoEntry: false } as const;
      expect(outcome(() => mine.statSync(path, quiet))).toBe(outcome(() => node.statSync(path, quiet)));
      expect(outcome(() => mine.lstatSync(path, quiet))).toBe(outcome(() => node.lstatSync(path, quiet)));
    }
    expect(outcome(() => mine.statSync(missing))).toBe("ENOENT");
    expect(mine.statSync(missing, { throwIfNoEntry: false })).toBeUndefined();
    expect(mine.lstatSync(missing, { throwIfNoEntry: false })).toBeUndefined();
  });
});

describe("files", () => {
  test("openSync creates with the mode less the umask, refuses a file with O_EXCL, a link with O_NOFOLLOW", () => {
    const { O_RDWR, O_CREAT, O_EXCL, O_NOFOLLOW } = mine.constants;
    const file = join(dir, "new");
    const fd = mine.openSync(file, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
    mine.closeSync(fd);
    expect(node.statSync(file).mode & 0o777).toBe(0o600 & ~process.umask());
    expect(outcome(() => mine.openSync(file, O_RDWR | O_CREAT | O_EXCL, 0o600))).toBe("EEXIST");
    node.symlinkSync("new", join(dir, "link"));
    const viaLink = (open: typeof node.openSync) => outcome(() => open(join(dir, "link"), O_RDWR | O_NOFOLLOW));
    expect(viaLink(mine.openSync as typeof node.openSync)).toBe(viaLink(node.openSync));
    expect(viaLink(node.openSync)).toBe("ELOOP");
    expect(outcome(() => mine.openSync(join(dir, "none"), "r"))).toBe("ENOENT");
    expect(outcome(() => mine.openSync(join(dir, "lock"), "wx", 0o644))).toBe("ok");
    expect(outcome(() => mine.openSync(join(dir, "lock"), "wx", 0o644))).toBe("EEXIST");
  });

  test("writeSync, readSync, a text written at a position, ftruncateSync, fchmodSync and fsyncSync", () => {
    const file = join(dir, "f");
    const fd = mine.openSync(file, mine.constants.O_RDWR | mine.constants.O_CREAT, 0o644);
    try {
      const bytes = new TextEncoder().encode("xxhello world");
      expect(mine.writeSync(fd, bytes, 2)).toBe(11);
      mine.fsyncSync(fd);
      expect(node.readFileSync(file, "utf8")).toBe("hello world");
      expect(mine.writeSync(fd, "J", 0)).toBe(1);
      expect(node.readFileSync(file, "utf8")).toBe("Jello world");
      mine.ftruncateSync(fd, 5);
      mine.fchmodSync(fd, 0o604);
      expect(node.readFileSync(file, "utf8")).toBe("Jello");
      expect(node.statSync(file).mode & 0o777).toBe(0o604);
      mine.fchownSync(fd, process.getuid!(), process.getgid!());
    } finally {
      mine.closeSync(fd);
    }
    const read = mine.openSync(file, "r");
    try {
      const buffer = new Uint8Array(16);
      expect(mine.readSync(read, buffer, 3, 2)).toBe(2);
      expect(new TextDecoder().decode(buffer.subarray(3, 5))).toBe("Je");
      expect(mine.readSync(read, buffer, 0, 16)).toBe(3);
    } finally {
      mine.closeSync(read);
    }
    expect(outcome(() => mine.fsyncSync(read))).toBe("EBADF");
  });

  test("renameSync, linkSync and unlinkSync, and their failures, as node:fs", () => {
    node.writeFileSync(join(dir, "a"), "A");
    mine.renameSync(join(dir, "a"), join(dir, "b"));
    expect(node.readFileSync(join(dir, "b"), "utf8")).toBe("A");
    mine.linkSync(join(dir, "b"), join(dir, "c"));
    expect(node.statSync(join(dir, "c")).nlink).toBe(2);
    mine.unlinkSync(join(dir, "b"));
    expect(node.existsSync(join(dir, "b"))).toBe(false);
    node.mkdirSync(join(dir, "folder"));
    node.writeFileSync(join(dir, "folder", "x"), "");
    const cases: [string, (fs: typeof node) => unknown][] = [
      ["rename missing", (fs) => fs.renameSync(join(dir, "none"), join(dir, "z"))],
      ["rename onto a full folder", (fs) => fs.renameSync(join(dir, "c"), join(dir, "folder"))],
      ["link onto existing", (fs) => fs.linkSync(join(dir, "c"), join(dir, "c"))],
      ["unlink missing", (fs) => fs.unlinkSync(join(dir, "none"))],
      ["unlink a folder", (fs) => fs.unlinkSync(join(dir, "folder"))],
    ];
    for (const [name, call] of cases) {
      expect([name, outcome(() => call(mine as unknown as typeof node))]).toEqual([name, outcome(() => call(node))]);
    }
  });

  test("readFileSync, readdirSync, readlinkSync, existsSync and accessSync, as node:fs", () => {
    node.writeFileSync(join(dir, "f"), "text é");
    node.symlinkSync("f", join(dir, "l"));
    expect(mine.readFileSync(join(dir, "f"), "utf8")).toBe("text é");
    expect([...mine.readFileSync(join(dir, "f"))]).toEqual([...node.readFileSync(join(dir, "f"))]);
    expect(outcome(() => mine.readFileSync(join(dir, "none")))).toBe("ENOENT");
    expect(outcome(() => mine.readFileSync(dir))).toBe(outcome(() => node.readFileSync(dir)));
    expect(mine.readdirSync(dir).sort()).toEqual(node.readdirSync(dir).sort());
    expect(outcome(() => mine.readdirSync(join(dir, "none")))).toBe("ENOENT");
    expect(mine.readlinkSync(join(dir, "l"))).toBe("f");
    expect(outcome(() => mine.readlinkSync(join(dir, "f")))).toBe("EINVAL");
    expect([mine.existsSync(join(dir, "l")), mine.existsSync(join(dir, "none"))]).toEqual([true, false]);
    expect(outcome(() => mine.accessSync(join(dir, "f"), mine.constants.W_OK))).toBe("ok");
    expect(outcome(() => mine.accessSync(join(dir, "none"), mine.constants.W_OK))).toBe("ENOENT");
  });
});

describe("folders", () => {
  test("mkdirSync with recursive makes the missing parents with the mode; a folder already there is no error", () => {
    const deep = join(dir, "a", "b", "c");
    mine.mkdirSync(deep, { recursive: true, mode: 0o700 });
    for (const path of [join(dir, "a"), join(dir, "a", "b"), deep])
      expect(node.statSync(path).mode & 0o777).toBe(0o700 & ~process.umask());
    expect(outcome(() => mine.mkdirSync(deep, { recursive: true, mode: 0o700 }))).toBe("ok");
    expect(outcome(() => mine.mkdirSync(deep))).toBe("EEXIST");
    expect(outcome(() => mine.mkdirSync(join(dir, "x", "y")))).toBe("ENOENT");
  });

  test("mkdirSync fails as node:fs where a file is in the way, at the folder or above it", () => {
    node.writeFileSync(join(dir, "file"), "");
    // A link to nothing: mkdir says EEXIST, and a stat after it would say ENOENT.
    node.symlinkSync(join(dir, "nowhere"), join(dir, "dangling"));
    const paths = [join(dir, "file"), join(dir, "file", "below"), join(dir, "file", "below", "deeper")];
    for (const path of [...paths, join(dir, "dangling")]) {
      const make = (fs: typeof node) => outcome(() => fs.mkdirSync(path, { recursive: true, mode: 0o755 }));
      expect([path, make(mine as unknown as typeof node)]).toEqual([path, make(node)]);
    }
  });
});

test("a path longer than the kept buffers is taken as any other; one with a NUL is node:fs's", () => {
  const long = join(dir, ...Array(8).fill("d".repeat(200)));
  mine.mkdirSync(long, { recursive: true });
  expect(node.statSync(long).isDirectory()).toBe(true);
  mine.renameSync(long, `${long}-moved`);
  expect(mine.statSync(`${long}-moved`).isDirectory()).toBe(true);
  expect(outcome(() => mine.statSync(`${dir}/a\0b`))).toBe(outcome(() => node.statSync(`${dir}/a\0b`)));
});

test("reads take a path longer than the kept buffers, and paths of several-byte characters", () => {
  for (const part of ["d".repeat(200), "é".repeat(120), "😀".repeat(60)]) {
    const deep = join(dir, ...Array(9).fill(part));
    node.mkdirSync(deep, { recursive: true });
    node.writeFileSync(join(deep, "f"), "text");
    const read = readFileBytes(join(deep, "f"));
    expect([read.kind, read.kind === "file" ? new TextDecoder().decode(read.bytes) : ""]).toEqual(["file", "text"]);
    expect([pathExists(join(deep, "f")), pathExists(join(deep, "g"))]).toEqual([true, false]);
    expect([folderNames(deep), fileKind(deep)]).toEqual([["f"], "folder"]);
  }
});

test("paths stay whole across many calls that allocate between them (the collector may run)", () => {
  // Each call's path is copied into a buffer kept for the process: a temporary one could be
  // collected before the kernel reads it, and a write would land at a garbage path.
  for (let i = 0; i < 2000; i++) {
    const from = join(dir, `from-${i}-${"x".repeat(i % 50)}`);
    node.writeFileSync(from, String(i));
    const to = join(dir, `to-${i}`);
    mine.renameSync(from, to);
    mine.linkSync(to, `${to}.link`);
    if (i % 100 === 0) Bun.gc(true);
  }
  expect(node.readdirSync(dir).length).toBe(4000);
  expect(node.readFileSync(join(dir, "to-1999.link"), "utf8")).toBe("1999");
});

describe.if(linux && canTrace("the test that a failed fsync or close is not retried"))("failures", () => {
  test("a failed fsync or close is thrown with its code, never made a second time", () => {
    // A second fsync after a write-back error could report success with the data lost; a
    // second close could close a file opened meanwhile under the same number.
    const script = join(dir, "fail.ts");
    node.writeFileSync(
      script,
      `import { closeSync, fsyncSync } from ${JSON.stringify(join(import.meta.dir, "../../core/_fs-sync.ts"))};
const fd = require("node:fs").openSync("/dev/null", "r");
for (const call of [() => fsyncSync(fd), () => closeSync(9999)]) {
  try { call(); console.log("ok"); } catch (error) { console.log(error.code, error.message); }
}
`,
    );
    const trace = join(dir, "trace");
    const ran = Bun.spawnSync(["strace", "-f", "-e", "trace=fsync,close", "-o", trace, process.execPath, script]);
    expect(ran.stdout.toString().split("\n")).toEqual([
      "EINVAL EINVAL: invalid argument, fsync",
      "EBADF EBADF: bad file descriptor, close",
      "",
    ]);
    const calls = node.readFileSync(trace, "utf8").split("\n");
    expect(calls.filter((line) => / fsync\(/.test(line))).toHaveLength(1);
    expect(calls.filter((line) => / close\(9999\)/.test(line))).toHaveLength(1);
  });
});
