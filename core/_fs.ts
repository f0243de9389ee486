/**
 * Reading files without loading node:fs. node:fs costs about 4 ms of a 22 ms start
 * (hello-world binaries with and without it, measured side by side), the largest single
 * cost of a `get`; the compiled binary loads it on its first call only (build.ts
 * `lazyNodeFs`), so a command that reads through here and writes nothing never pays it.
 * `Bun.file(path).size` is a stat(2) that follows links and gives Infinity for anything but
 * a regular file or folder; libc's open and read (through bun:ffi, `_libc.ts`) read the
 * bytes. (`Bun.mmap` would be cheaper still, but it opens files read-write: an audit rule
 * on writes would fire, and so would an inotify watcher of closes after writing.) On Linux
 * a folder's names (getdents64) and a file's mode (statx) come through libc too, so that
 * `validate` and `status`, which list instance folders and check secret files' modes, never
 * load node:fs either (`validate` of nine daemons: 1.4 MiB less). Anything else, and every
 * error but a missing file, goes to node:fs, as before.
 */
import { fstatSync, readdirSync, readFileSync, statSync, writeSync } from "node:fs";
import { BIG_BUFFER_BYTES, bigBuffer, libc } from "./_libc.ts";
import type { FileId } from "./_libc.ts";

/** What a path holds, as `readFileBytes` found it. */
export type ReadResult =
  /** `release`, when there, gives back a scratch read's memory: `bytes` must not be used after it. */
  | { kind: "file"; bytes: Uint8Array; release?: () => void }
  | { kind: "missing" }
  | { kind: "folder" }
  | { kind: "other" };

/**
 * The bytes of the regular file at `path` (symlinks followed), or what is there instead: a
 * FIFO or device is never opened, since reading one could block or never end.
 * `beforeRead` sees the file's size before its bytes are read, and may throw to refuse it.
 * With `scratch`, a big file is read into memory of libc's (`Libc.scratch`), which the
 * caller gives back with `release` once it has decoded the bytes.
 * @throws Error with the errno `code` (EACCES, ENOTDIR, ELOOP, ...) when it cannot be read.
 */
export function readFileBytes(path: string, beforeRead?: (size: number) => void, scratch = false): ReadResult {
  // A stat of its own first (stat(2), no open): opening a FIFO that has no writer blocks.
  const size = Bun.file(path).size;
  if (size === Number.POSITIVE_INFINITY) return { kind: "other" };
  // A folder's size is its own block count, not content: it is found by the read below.
  if (size > 0) beforeRead?.(size);
  const c = path.includes("\0") ? undefined : libc();
  if (!c) return readWithNode(path);
  const fd = c.openRead(path);
  if (fd < 0) return c.errno() === ENOENT ? { kind: "missing" } : readWithNode(path);
  let memory = scratch && size >= BIG_BUFFER_BYTES ? c.scratch(size + 1) : undefined;
  let handedOver = false;
  try {
    // One byte more: a file that grew shows at once. A big one is read into huge pages.
    // A size of 0 may be a file of the kernel's made as it is read (/proc/locks): a page to start.
    let buffer = memory
      ? memory.bytes
      : size >= BIG_BUFFER_BYTES
        ? bigBuffer(size + 1)
        : new Uint8Array(size === 0 ? 4096 : size + 1);
    let length = 0;
    const file = (): ReadResult => {
      handedOver = true;
      return { kind: "file", bytes: buffer.subarray(0, length), ...(memory ? { release: memory.free } : {}) };
    };
    for (;;) {
      if (length === buffer.length) {
        const grown = new Uint8Array(buffer.length * 2);
        grown.set(buffer);
        buffer = grown;
        memory?.free();
        memory = undefined;
      }
      const n = c.read(fd, buffer, length);
      if (n === 0) return file();
      if (n < 0) return c.errno() === EISDIR ? { kind: "folder" } : readWithNode(path);
      length += n;
      // As big as the stat said, with room left: a regular file's read stops short only at its
      // end, so no second read is needed to find it (a file that grew filled the spare byte).
      if (length === size) return file();
    }
  } finally {
    c.close(fd);
    if (!handedOver) memory?.free();
  }
}

/** Where one file's bytes are in what `readFilesTogether` read. */
export interface Span {
  start: number;
  end: number;
}

/**
 * The bytes of many small files, for one search through them all (user plugin files): read
 * one after another into one buffer, each followed by `separator`, with no stat of each
 * first (a FIFO is opened without blocking, and gives nothing). `spans[i]` is where the
 * bytes of `paths[i]` are, undefined when it cannot be read as a file (a folder, an error).
 */
export function readFilesTogether(
  paths: readonly string[],
  separator: Uint8Array,
): { bytes: Uint8Array; spans: (Span | undefined)[] } {
  const c = libc();
  let buffer = new Uint8Array(64 * 1024);
  let length = 0;
  const room = (more: number) => {
    if (length + more <= buffer.length) return;
    const grown = new Uint8Array(Math.max(buffer.length * 2, length + more));
    grown.set(buffer.subarray(0, length));
    buffer = grown;
  };
  const spans = paths.map((path): Span | undefined => {
    const start = length;
    const fd = c && !path.includes("\0") ? c.openRead(path, true) : -1;
    if (fd < 0) {
      // No libc, or an error it cannot tell: read as any file is (node:fs says what went wrong).
      const bytes = readBytesIfAny(path);
      if (bytes === undefined) return undefined;
      room(bytes.length + separator.length);
      buffer.set(bytes, length);
      length += bytes.length;
    } else {
      try {
        for (;;) {
          room(4096);
          const n = c!.read(fd, buffer, length);
          if (n < 0) {
            length = start; // what was read of it is no file's
            return undefined;
          }
          if (n === 0) break;
          length += n;
        }
      } finally {
        c!.close(fd);
      }
    }
    const span = { start, end: length };
    room(separator.length);
    buffer.set(separator, length);
    length += separator.length;
    return span;
  });
  return { bytes: buffer.subarray(0, length), spans };
}

/** The bytes of the file at `path`, or undefined when it cannot be read as one. */
export function readBytesIfAny(path: string): Uint8Array | undefined {
  try {
    const read = readFileBytes(path);
    return read.kind === "file" ? read.bytes : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether anything is at `path` (symlinks followed): one access(2) where libc is loaded,
 * else as `readFileBytes` finds it. For a check that almost always finds nothing.
 */
export function pathExists(path: string): boolean {
  const c = path.includes("\0") ? undefined : libc();
  if (c) return c.exists(path);
  try {
    return readFileBytes(path).kind !== "missing";
  } catch {
    return true;
  }
}

/** Whether `path` is a folder (symlinks followed), found without loading node:fs where libc can tell. */
export function isFolder(path: string): boolean {
  try {
    return readFileBytes(path).kind === "folder";
  } catch {
    return false;
  }
}

/**
 * The names in the folder at `path` (symlinks followed), in the file system's order, or
 * undefined when it is not a folder that can be read. Linux's getdents64 through libc where
 * it is loaded (`Libc.listDir`), else node:fs.
 */
export function folderNames(path: string): string[] | undefined {
  const c = path.includes("\0") ? undefined : libc();
  const names = c?.listDir?.(path);
  if (names !== undefined) return names;
  // Nothing there, or no folder; anything else (a system call refused by a sandbox) is asked of node:fs.
  if (c?.listDir && (c.errno() === ENOENT || c.errno() === ENOTDIR)) return undefined;
  try {
    return readdirSync(path);
  } catch {
    return undefined;
  }
}

/**
 * The permission bits of what is at `path` (symlinks followed), or undefined when nothing is
 * there or it cannot be looked at: Linux's statx through libc where it is loaded
 * (`Libc.statMode`), else node:fs.
 */
export function permissionBits(path: string): number | undefined {
  const mode = fileMode(path);
  return mode === undefined ? undefined : mode & 0o7777;
}

/** What is at a path, as `fileKind` tells it. */
export type FileKind = "file" | "folder" | "socket" | "other";

/** What is at `path` (symlinks followed), or undefined when nothing is there or it cannot be looked at. */
export function fileKind(path: string): FileKind | undefined {
  const mode = fileMode(path);
  if (mode === undefined) return undefined;
  return FILE_KINDS.get(mode & S_IFMT) ?? "other";
}

/**
 * Which file `path` names (symlinks followed): its device's major and minor numbers and its
 * inode, or undefined when nothing is there or it cannot be looked at. Linux's statx
 * through libc where it is loaded (`Libc.fileId`), else node:fs.
 */
export function fileIdentity(path: string): FileId | undefined {
  const c = path.includes("\0") ? undefined : libc();
  const id = c?.fileId?.(path);
  if (id !== undefined) return id;
  if (c?.fileId && c.errno() === ENOENT) return undefined;
  try {
    const { dev, ino } = statSync(path, { bigint: true });
    // glibc's gnu_dev_major / gnu_dev_minor.
    const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
    const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
    return { major: Number(major), minor: Number(minor), ino };
  } catch {
    return undefined;
  }
}

/** How a write to a descriptor ended: all written, the reader gone, or would block (from `offset` on). */
export type WriteOutcome = { kind: "written" } | { kind: "closed" } | { kind: "again"; offset: number };

/**
 * Write all of `bytes` to `fd` now (libc's write, or node:fs's without libc).
 * @throws Error with the errno `code` (ENOSPC, EIO, ...) for any failure but EPIPE and EAGAIN.
 */
export function writeFd(fd: number, bytes: Uint8Array): WriteOutcome {
  const c = libc();
  let offset = 0;
  while (offset < bytes.length) {
    if (c) {
      const n = c.write(fd, bytes, offset);
      if (n >= 0) {
        offset += n;
        continue;
      }
      const errno = c.errno();
      if (errno === EPIPE) return { kind: "closed" };
      if (errno === EAGAIN) return { kind: "again", offset };
      if (errno === EINTR) continue;
    }
    // No libc, or a failure node:fs names best: its write throws with code and message.
    try {
      offset += writeSync(fd, bytes, offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EPIPE") return { kind: "closed" };
      if (code === "EAGAIN") return { kind: "again", offset };
      throw error;
    }
  }
  return { kind: "written" };
}

/**
 * Whether `fd` is a terminal: libc's isatty, else a character device with a terminal's
 * device number (Linux majors 4, 5 and 136-143, the kernel's devices.txt) or node:tty.
 */
export function isTerminal(fd: number): boolean {
  const c = libc();
  if (c) return c.isatty(fd);
  try {
    const stat = fstatSync(fd);
    if (!stat.isCharacterDevice()) return false;
    if (process.platform !== "linux") return require("node:tty").isatty(fd);
    const major = Math.floor(stat.rdev / 256) & 0xfff;
    return major === 4 || major === 5 || (major >= 136 && major <= 143);
  } catch {
    return false;
  }
}

// --- internal ---

/** The mode of what is at `path` (symlinks followed): statx through libc, else node:fs. */
function fileMode(path: string): number | undefined {
  const c = path.includes("\0") ? undefined : libc();
  const mode = c?.statMode?.(path);
  if (mode !== undefined && mode !== -1) return mode;
  if (mode === -1 && c!.errno() === ENOENT) return undefined;
  try {
    return statSync(path).mode;
  } catch {
    return undefined;
  }
}

/** The file type bits of a mode (<sys/stat.h>), the same on every system kitcfg runs on. */
const S_IFMT = 0o170000;
// A Map, not an object literal: Biome's fix for number keys rewrites octal ones to wrong decimals.
const FILE_KINDS = new Map<number, FileKind>([
  [0o100000, "file"],
  [0o040000, "folder"],
  [0o140000, "socket"],
]);

/** EPIPE and EINTR are the same on Linux and macOS; EAGAIN is 11 on Linux, 35 on macOS. */
const EPIPE = 32;
const EINTR = 4;
const EAGAIN = process.platform === "linux" ? 11 : 35;

/** The same errno values on Linux and macOS. */
const ENOENT = 2;
const ENOTDIR = 20;
const EISDIR = 21;

/**
 * node:fs for what libc could not read (or where there is no libc): it gives the error its
 * usual code and message.
 */
function readWithNode(path: string): ReadResult {
  try {
    return { kind: "file", bytes: readFileSync(path) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { kind: "missing" };
    if (code === "EISDIR") return { kind: "folder" };
    throw error;
  }
}
