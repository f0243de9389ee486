import { afterEach, beforeEach, expect, test } from "bun:test";
import {
  chmodSync,
  closeSync,
  fstatSync,
  openSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { fileIdentity, fileKind, folderNames, pathExists, permissionBits, readFileBytes } from "../../core/_fs.ts";
import { bigBuffer, libc } from "../../core/_libc.ts";
import { KitcfgError } from "../../core/errors.ts";
import { decodeBytes } from "../../core/_bytes.ts";
import { prepareWrite, removeFile, syncBatch, writeFileAtomic } from "../../core/store.ts";
import { holdsText, readFileState } from "../../core/_file-state.ts";
import { tempDir } from "../helpers.ts";

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

test("writeFileAtomic() creates secret files 0600 in 0700 folders and leaves no temporary file", () => {
  const file = join(dir, "a/b/token");
  writeFileAtomic(file, "secret", { mode: 0o600, secret: true });
  expect(readFileSync(file, "utf8")).toBe("secret");
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(statSync(join(dir, "a")).mode & 0o777).toBe(0o700);
  expect(statSync(join(dir, "a/b")).mode & 0o777).toBe(0o700);
  expect(readdirSync(join(dir, "a/b"))).toEqual(["token"]);
});

test("writeFileAtomic() keeps an existing file's mode", () => {
  const file = join(dir, "config.json");
  writeFileSync(file, "{}");
  chmodSync(file, 0o640);
  writeFileAtomic(file, '{"a":1}', { mode: 0o600 });
  expect(statSync(file).mode & 0o777).toBe(0o640);
  expect(readFileSync(file, "utf8")).toBe('{"a":1}');
});

test("writeFileAtomic() through a symlink writes the target and keeps the link", () => {
  mkdirSync(join(dir, "real"));
  writeFileSync(join(dir, "real/config"), "old");
  symlinkSync(join(dir, "real/config"), join(dir, "link"));
  writeFileAtomic(join(dir, "link"), "new", { mode: 0o644 });
  expect(lstatSync(join(dir, "link")).isSymbolicLink()).toBe(true);
  expect(readFileSync(join(dir, "real/config"), "utf8")).toBe("new");
});

test("a folder where the file should be is a clear I/O error", () => {
  mkdirSync(join(dir, "config.json"));
  expect(() => readFileState(join(dir, "config.json"))).toThrow("it is a folder, not a file");
  try {
    writeFileAtomic(join(dir, "config.json"), "x", { mode: 0o644 });
    throw new Error("expected a failure");
  } catch (error) {
    expect(error).toBeInstanceOf(KitcfgError);
    expect((error as KitcfgError).code).toBe("IO_FAILED");
  }
});

test("readFileState() gives undefined for a missing file and removeFile() tolerates one", () => {
  expect(readFileState(join(dir, "missing")).text).toBeUndefined();
  removeFile(join(dir, "missing"));
});

test("holdsText() says whether a file read a moment ago still holds its text, byte for byte", () => {
  const path = join(dir, "config");
  // Bytes that are not UTF-8 too: they are compared as read, not as decoded.
  const original = Buffer.concat([Buffer.from(`{"a": "${"x".repeat(300_000)}"}`), Buffer.from([0xe9, 0xff])]);
  writeFileSync(path, original);
  const { text } = readFileState(path);
  expect(holdsText(path, text)).toBe(true);
  // Same size, one byte changed far in: another text.
  const changed = Buffer.from(original);
  changed[280_000] = 0x79;
  writeFileSync(path, changed);
  expect(holdsText(path, text)).toBe(false);
  writeFileSync(path, Buffer.concat([original, Buffer.from(" ")]));
  expect(holdsText(path, text)).toBe(false);
  writeFileSync(path, original);
  expect(holdsText(path, text)).toBe(true);
  // A text that was not read from the file is compared as readFileState reads it.
  expect(holdsText(path, `${text} `)).toBe(false);
  expect(holdsText(join(dir, "missing"), undefined)).toBe(true);
  expect(holdsText(join(dir, "missing"), text)).toBe(false);
});

test("holdsText() fails as readFileState() does when the file became a folder", () => {
  const path = join(dir, "config");
  writeFileSync(path, "{}");
  const { text } = readFileState(path);
  rmSync(path);
  mkdirSync(path);
  expect(() => holdsText(path, text)).toThrow("it is a folder, not a file");
});

test("a file of megabytes reads back byte for byte through the huge-page buffer; one that grew, whole", () => {
  // Over BIG_READ (1 MiB), readFileBytes reads into bigBuffer: uninitialised memory, so
  // every byte handed back must be one the file holds.
  const file = join(dir, "big.bin");
  const bytes = new Uint8Array(3 * 1024 * 1024 + 17);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
  writeFileSync(file, bytes);
  const read = readFileBytes(file);
  expect(read.kind).toBe("file");
  expect(Buffer.compare(Buffer.from((read as { bytes: Uint8Array }).bytes), Buffer.from(bytes))).toBe(0);
  // The size is read first; a file that grew between the stat and the read is still read whole.
  let grown = false;
  const again = readFileBytes(file, () => {
    if (!grown) writeFileSync(file, new Uint8Array(bytes.length * 2).fill(7));
    grown = true;
  });
  expect((again as { bytes: Uint8Array }).bytes.length).toBe(bytes.length * 2);
  expect((again as { bytes: Uint8Array }).bytes.every((b) => b === 7)).toBe(true);
  // The same through scratch memory: grown, the file is read on into a buffer of its own.
  writeFileSync(file, bytes);
  grown = false;
  const scratch = readFileBytes(
    file,
    () => {
      if (!grown) writeFileSync(file, new Uint8Array(bytes.length * 2).fill(9));
      grown = true;
    },
    true,
  ) as { bytes: Uint8Array; release?: () => void };
  expect(scratch.bytes.length).toBe(bytes.length * 2);
  expect(scratch.bytes.every((b) => b === 9)).toBe(true);
  expect(scratch.release).toBeUndefined();
  const buffer = bigBuffer(5 * 1024 * 1024);
  expect(buffer.length).toBe(5 * 1024 * 1024);
  buffer.fill(1);
  expect(buffer[buffer.length - 1]).toBe(1);
});

test("a small file is read as it is after its stat, grown or shrunk; pathExists tells something from nothing", () => {
  const file = join(dir, "small.json");
  writeFileSync(file, "0123456789");
  const readAfter = (change: string) =>
    Buffer.from((readFileBytes(file, () => writeFileSync(file, change)) as { bytes: Uint8Array }).bytes).toString();
  // The read stops at the size the stat gave only when it got all of it.
  expect(readAfter("01234")).toBe("01234");
  expect(readAfter("0123456789abcdef")).toBe("0123456789abcdef");
  expect(readAfter("ABCDEFGHIJ")).toBe("ABCDEFGHIJ");
  expect(pathExists(file)).toBe(true);
  expect(pathExists(dir)).toBe(true);
  expect(pathExists(join(dir, "nothing"))).toBe(false);
  expect(pathExists(join(file, "below-a-file"))).toBe(false);
  symlinkSync(join(dir, "nothing"), join(dir, "dangling"));
  expect(pathExists(join(dir, "dangling"))).toBe(false);
});

test("folderNames lists a folder as readdirSync does, over many system calls; nothing for what is no folder", () => {
  const folder = join(dir, "many");
  mkdirSync(folder);
  // About 3,000 records of 40-80 bytes: several 32 KiB reads of getdents64, names of every length up to 255 bytes.
  const names = Array.from({ length: 3000 }, (_, i) => `${i}-${"n".repeat(i % 60)}`);
  names.push("é-ü-名前", ".hidden", "x".repeat(255), "a b");
  for (const name of names) writeFileSync(join(folder, name), "");
  mkdirSync(join(folder, "sub"));
  symlinkSync(join(dir, "nothing"), join(folder, "dangling"));
  const listed = folderNames(folder)!;
  expect(listed).toEqual(readdirSync(folder));
  expect([...listed].sort()).toEqual([...names, "sub", "dangling"].sort());
  if (process.platform === "linux") expect(libc()?.listDir).toBeDefined();
  symlinkSync(folder, join(dir, "link"));
  expect(folderNames(join(dir, "link"))).toEqual(listed);
  expect(folderNames(join(dir, "nothing"))).toBeUndefined();
  expect(folderNames(join(folder, "a b"))).toBeUndefined();
  mkdirSync(join(dir, "empty"));
  expect(folderNames(join(dir, "empty"))).toEqual([]);
});

test("permissionBits gives a file's mode bits as statSync does, through links; nothing for nothing", () => {
  if (process.platform === "linux") expect(libc()?.statMode).toBeDefined();
  for (const mode of [0o600, 0o644, 0o400, 0o4755, 0o2710, 0o1777, 0o000]) {
    const file = join(dir, `f${mode.toString(8)}`);
    writeFileSync(file, "x");
    chmodSync(file, mode);
    expect(permissionBits(file)).toBe(mode);
    expect(permissionBits(file)).toBe(statSync(file).mode & 0o7777);
    // The system call itself, not node:fs behind it: the whole mode, type bits included.
    if (libc()?.statMode) expect(libc()!.statMode!(file)).toBe(statSync(file).mode);
  }
  chmodSync(dir, 0o750);
  expect(permissionBits(dir)).toBe(0o750);
  symlinkSync(join(dir, "f600"), join(dir, "link"));
  expect(permissionBits(join(dir, "link"))).toBe(0o600);
  symlinkSync(join(dir, "nothing"), join(dir, "dangling"));
  expect(permissionBits(join(dir, "dangling"))).toBeUndefined();
  expect(permissionBits(join(dir, "nothing"))).toBeUndefined();
  expect(permissionBits(join(dir, "f600", "below"))).toBeUndefined();
});

test("fileKind tells a socket, a file, a folder and a FIFO apart, through links; nothing for nothing", () => {
  const socket = join(dir, "api-socket");
  const server = Bun.listen({ unix: socket, socket: { data() {} } });
  try {
    writeFileSync(join(dir, "file"), "x");
    expect(Bun.spawnSync(["mkfifo", join(dir, "fifo")]).exitCode).toBe(0);
    symlinkSync(socket, join(dir, "link"));
    expect(fileKind(socket)).toBe("socket");
    expect(fileKind(join(dir, "link"))).toBe("socket");
    expect(fileKind(join(dir, "file"))).toBe("file");
    expect(fileKind(dir)).toBe("folder");
    expect(fileKind(join(dir, "fifo"))).toBe("other");
    expect(fileKind(join(dir, "nothing"))).toBeUndefined();
    expect(fileKind(join(dir, "file", "below"))).toBeUndefined();
  } finally {
    server.stop(true);
  }
});

test("fileIdentity gives the device numbers and inode /proc/locks lists, as statSync's dev and ino say", () => {
  if (process.platform === "linux") expect(libc()?.fileId).toBeDefined();
  const file = join(dir, "repo.lock");
  writeFileSync(file, "");
  symlinkSync(file, join(dir, "link"));
  const { dev, ino } = statSync(file, { bigint: true });
  // glibc's gnu_dev_major / gnu_dev_minor, computed apart from the code under test.
  const major = Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn));
  const minor = Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn));
  expect(fileIdentity(file)).toEqual({ major, minor, ino });
  expect(fileIdentity(join(dir, "link"))).toEqual({ major, minor, ino });
  expect(fileIdentity("/proc/self/status")?.ino).toBeGreaterThan(0n);
  expect(fileIdentity(join(dir, "nothing"))).toBeUndefined();
  expect(fileIdentity(join(dir, "repo.lock", "below"))).toBeUndefined();
});

test("a big file is read through scratch memory, given back once decoded: its text, the check under the lock", () => {
  const path = join(dir, "big");
  // 3 MiB with bytes that are not UTF-8 far in: decoded byte for byte, then the memory goes back.
  const bytes = Buffer.alloc(3 * 1024 * 1024, 0x61);
  bytes[2_500_000] = 0xff;
  writeFileSync(path, bytes);
  const read = readFileBytes(path, undefined, true);
  expect(read.kind).toBe("file");
  if (read.kind !== "file") return;
  expect(Buffer.from(read.bytes).equals(bytes)).toBe(true);
  read.release?.();
  read.release?.();
  const { text } = readFileState(path);
  // Memory given back and used again does not change the text read from it.
  for (let i = 0; i < 5; i++) readFileBytes(path, undefined, true);
  expect(text).toBe(decodeBytes(bytes));
  expect(holdsText(path, text)).toBe(true);
  bytes[2_500_001] = 0x62;
  writeFileSync(path, bytes);
  expect(holdsText(path, text)).toBe(false);
});

test("a write whose fsync is left to a batch is made durable by flush, which closes the files it owns", () => {
  const batch = syncBatch();
  const write = prepareWrite(join(dir, "config"), "new\n", { mode: 0o644, syncBatch: batch });
  const owned = openSync(join(dir, "other"), "w");
  batch.add(owned, true);
  batch.addDir(dir);
  batch.flush();
  // The batch closed the descriptor it owned; the write's own stays open until its rename.
  expect(() => fstatSync(owned)).toThrow();
  write.commit(false);
  expect(readFileSync(join(dir, "config"), "utf8")).toBe("new\n");
  const failing = syncBatch();
  const gone = openSync(join(dir, "other"), "r");
  closeSync(gone);
  failing.add(gone);
  expect(() => failing.flush()).toThrow(expect.objectContaining({ code: "EBADF" }));
});

test("dispose closes what a batch owns when the write fails before its flush", () => {
  const batch = syncBatch();
  const fd = openSync(join(dir, "f"), "w");
  batch.add(fd, true);
  batch.dispose();
  expect(() => fstatSync(fd)).toThrow();
});
