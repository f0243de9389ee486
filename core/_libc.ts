/**
 * The C library through bun:ffi, loaded once per process for every caller: `flock(2)`,
 * for which Bun has no API (`_flock.ts`), and `open`/`read`/`write`/`close`/`isatty`, with
 * which files are read and the output written without loading node:fs (`_fs.ts`).
 * Undefined where FFI or libc is not available; callers then use node:fs.
 */
import type { FFIFunction, Pointer } from "bun:ffi";

export interface Libc {
  flock(fd: number, op: number): number;
  /**
   * open(2) for reading, close-on-exec; -1 on failure (see `errno`). `nonBlocking` opens a
   * FIFO at once (reading it then gives nothing), where a plain open waits for a writer.
   */
  openRead(path: string, nonBlocking?: boolean): number;
  /** Whether anything is at `path` (symlinks followed): access(2) with F_OK, one system call. */
  exists(path: string): boolean;
  /** read(2) into `buffer` from `offset`; the count read, 0 at the end, -1 on failure. */
  read(fd: number, buffer: Uint8Array, offset: number): number;
  /** write(2) of `bytes` from `offset`; the count written, -1 on failure. */
  write(fd: number, bytes: Uint8Array, offset: number): number;
  close(fd: number): number;
  /** isatty(3): whether `fd` is a terminal. */
  isatty(fd: number): boolean;
  /** errno of the last failed call of this thread. */
  errno(): number;
  /**
   * `size` bytes from malloc(3), given back by `free()` at once rather than whenever the
   * collector gets to them: for a big read whose bytes are decoded and dropped, so that they
   * do not add to the peak of what comes after (a collection may not run before it). Advised
   * as huge pages like a `bigBuffer`. Nothing may keep `bytes` past `free()`, which may be
   * called more than once. Undefined when malloc fails.
   */
  scratch(size: number): { bytes: Uint8Array; free(): void } | undefined;
  /**
   * The names in the folder at `path` (symlinks followed), "." and ".." left out, in the
   * order the file system gives them; undefined on failure (see `errno`). Linux only
   * (getdents64(2), whose records are the same on every architecture); absent elsewhere.
   */
  listDir?(path: string): string[] | undefined;
  /**
   * The mode (type and permission bits) of what is at `path` (symlinks followed), or -1 on
   * failure (see `errno`). Linux only (statx(2), whose record is the same on every
   * architecture); absent elsewhere.
   */
  statMode?(path: string): number;
  /**
   * The device (major, minor) and inode number of what is at `path` (symlinks followed),
   * or undefined on failure (see `errno`). Linux only (statx(2)); absent elsewhere.
   */
  fileId?(path: string): FileId | undefined;
  /**
   * The calls of the write path (creating, syncing, renaming, linking, removing files and
   * folders, their status), as Linux system calls through the `syscall` already loaded:
   * no symbol more to bind at start. Linux only; absent elsewhere. Each returns what the
   * system call does: -1 on failure (see `errno`).
   */
  files?: LinuxFiles;
}

/** Linux system calls of `Libc.files`; paths are relative to the working folder. */
export interface LinuxFiles {
  /** openat(2): `flags` as `LINUX_OPEN` builds them (this architecture's), close-on-exec always. */
  open(path: string, flags: number, mode: number): number;
  fsync(fd: number): number;
  /** sync_file_range(2) with SYNC_FILE_RANGE_WRITE over the whole file: start writing its data back, not waiting. */
  startWriteback(fd: number): number;
  fchmod(fd: number, mode: number): number;
  fchown(fd: number, uid: number, gid: number): number;
  ftruncate(fd: number, length: number): number;
  /** pwrite64(2) of `bytes` from `offset` at `position` in the file; the count written. */
  pwrite(fd: number, bytes: Uint8Array, offset: number, position: number): number;
  rename(from: string, to: string): number;
  link(from: string, to: string): number;
  unlink(path: string): number;
  mkdir(path: string, mode: number): number;
  /** faccessat(2) with the real user's rights, as access(2). */
  access(path: string, mode: number): number;
  /** The target of the link at `path`, or undefined (see `errno`). */
  readlink(path: string): string | undefined;
  /** statx(2) of a path (links followed unless `lstat`) or of an open descriptor. */
  stat(at: string | number, lstat?: boolean): FileStatus | undefined;
  /** statx(2) of a path (links followed): what changes when what is there changes (`FileStamp`). */
  stamp(path: string): FileStamp | undefined;
  /**
   * `stamp` of each of the files `names` in the folder `dir`, through one descriptor of the
   * folder: one short lookup and one native call per file, for many files at once.
   */
  stamps(dir: string, names: readonly string[]): (FileStamp | undefined)[];
}

/**
 * What tells one state of a file from the next (`LinuxFiles.stamp`): its inode, size and
 * change time to the nanosecond, as statx(2) gives them, in one text. A write, a chmod, a
 * rename over it or a change through another link each change it, unless made within the
 * same tick of the file system's clock as the state stamped: a stamp is worth keeping only
 * once that state is some seconds old (`stampChangedMs`).
 */
export type FileStamp = string;

/** The change time a stamp holds, in milliseconds since the epoch. */
export function stampChangedMs(stamp: FileStamp): number {
  // Each span is its own base64 text, padded: the change time is the second.
  const times = Buffer.from(stamp.slice(Math.ceil((STAMPED[0][1] - STAMPED[0][0]) / 3) * 4), "base64");
  return Number(times.readBigInt64LE(0)) * 1000 + times.readUInt32LE(8) / 1e6;
}

/** What `LinuxFiles.stat` reads of statx's record. */
export interface FileStatus {
  /** File type and permission bits. */
  mode: number;
  uid: number;
  gid: number;
  nlink: number;
  size: number;
  ino: number;
  /** The device, as glibc's makedev(stx_dev_major, stx_dev_minor). */
  dev: number;
  mtimeMs: number;
}

/**
 * open(2) flags on Linux x64 and arm64 (<asm-generic/fcntl.h>; arm64 moves O_DIRECTORY and
 * O_NOFOLLOW, <asm/fcntl.h>); undefined on other systems and architectures.
 */
export const LINUX_OPEN =
  process.platform !== "linux" || (process.arch !== "x64" && process.arch !== "arm64")
    ? undefined
    : {
        O_RDONLY: 0,
        O_WRONLY: 1,
        O_RDWR: 2,
        O_CREAT: 0o100,
        O_EXCL: 0o200,
        O_NOCTTY: 0o400,
        O_TRUNC: 0o1000,
        O_APPEND: 0o2000,
        O_NONBLOCK: 0o4000,
        O_DIRECTORY: process.arch === "arm64" ? 0o40000 : 0o200000,
        O_NOFOLLOW: process.arch === "arm64" ? 0o100000 : 0o400000,
        O_CLOEXEC: 0o2000000,
      };

/** Which file a path names: its device's numbers and its inode, as /proc/locks lists them. */
export interface FileId {
  major: number;
  minor: number;
  ino: bigint;
}

/** From this size on, a read or an encoding goes into a `bigBuffer`. */
export const BIG_BUFFER_BYTES = 1024 * 1024;

/**
 * A buffer of `size` bytes for a big read or encoding, not zero-filled, whose whole 2 MiB stretches
 * the kernel is asked to back with huge pages (Linux's madvise MADV_HUGEPAGE, honoured
 * where transparent huge pages are on "always" or "madvise"). Each 4 KiB page touched the
 * first time is a page fault, which costs far more on some machines (virtual ones above
 * all) than the copy: a 5 MB read filled through 4 KiB pages took about 30 ms here, through
 * huge pages about 10. Elsewhere (another system, no libc) it is just an uninitialised buffer.
 */
export function bigBuffer(size: number): Buffer {
  const buffer = Buffer.allocUnsafe(size);
  if (process.platform !== "linux" || size < HUGE_PAGE * 2) return buffer;
  try {
    adviseHuge(BigInt((require("bun:ffi") as typeof import("bun:ffi")).ptr(buffer)), size);
  } catch {
    // No FFI here: the buffer is as good, only filled through small pages.
  }
  return buffer;
}

/** libc, or undefined when it cannot be loaded here. */
export function libc(): Libc | undefined {
  if (loaded === undefined) loaded = load() ?? null;
  return loaded ?? undefined;
}

// --- internal ---

let loaded: Libc | null | undefined;

let madvise: ((start: bigint, length: bigint, advice: number) => number) | undefined;

/** Ask for huge pages over the whole 2 MiB stretches of `size` bytes at `address` (see `bigBuffer`). */
function adviseHuge(address: bigint, size: number): void {
  if (process.platform !== "linux" || size < HUGE_PAGE * 2) return;
  try {
    const ffi = require("bun:ffi") as typeof import("bun:ffi");
    madvise ??= ffi.dlopen(libcNames()[0]!, {
      madvise: { args: [ffi.FFIType.u64, ffi.FFIType.u64, ffi.FFIType.i32], returns: ffi.FFIType.i32 },
    }).symbols.madvise as (start: bigint, length: bigint, advice: number) => number;
    // (glibc's name: where it is not there, as on musl, the memory is simply not advised.)
    const huge = BigInt(HUGE_PAGE);
    const start = (address + huge - 1n) & ~(huge - 1n);
    const end = (address + BigInt(size)) & ~(huge - 1n);
    if (end > start) madvise(start, end - start, MADV_HUGEPAGE);
  } catch {
    // No such libc here: filled through small pages.
  }
}

const HUGE_PAGE = 2 * 1024 * 1024;
/** <linux/mman.h> */
const MADV_HUGEPAGE = 14;

/** access(2)'s existence test, 0 everywhere. */
const F_OK = 0;

/** O_RDONLY | O_CLOEXEC | O_NOCTTY: 0 | 0o2000000 | 0o400 on Linux, 0 | 0x1000000 | 0x20000 on macOS. */
const OPEN_READ = process.platform === "darwin" ? 0x1000000 | 0x20000 : 0o2000000 | 0o400;
/** O_NONBLOCK: 0o4000 on Linux, 0x4 on macOS. */
const O_NONBLOCK = process.platform === "darwin" ? 0x4 : 0o4000;

function load(): Libc | undefined {
  if (process.platform === "win32") return undefined;
  let ffi: typeof import("bun:ffi");
  try {
    ffi = require("bun:ffi");
  } catch {
    return undefined;
  }
  const { FFIType: T } = ffi;
  const errnoName = process.platform === "linux" ? "__errno_location" : "__error";
  const symbols: Record<string, FFIFunction> = {
    flock: { args: [T.i32, T.i32], returns: T.i32 },
    open: { args: [T.ptr, T.i32], returns: T.i32 },
    access: { args: [T.ptr, T.i32], returns: T.i32 },
    read: { args: [T.i32, T.ptr, T.u64], returns: T.i64 },
    write: { args: [T.i32, T.ptr, T.u64], returns: T.i64 },
    close: { args: [T.i32], returns: T.i32 },
    isatty: { args: [T.i32], returns: T.i32 },
    malloc: { args: [T.u64], returns: T.ptr },
    free: { args: [T.ptr], returns: T.void },
    [errnoName]: { args: [], returns: T.ptr },
    // syscall(2) with as many arguments as statx takes; pointers are passed as their addresses.
    ...(SYSCALLS === undefined ? {} : { syscall: { args: Array(6).fill(T.i64), returns: T.i64 } }),
  };
  for (const name of libcNames()) {
    let lib: Record<string, (...args: unknown[]) => unknown>;
    try {
      lib = ffi.dlopen(name, symbols).symbols as unknown as typeof lib;
    } catch {
      continue; // not this name: try the next one
    }
    const cPath = pathArguments(ffi.ptr);
    const openRead = (path: string, nonBlocking = false) =>
      lib.open!(cPath(path), nonBlocking ? OPEN_READ | O_NONBLOCK : OPEN_READ) as number;
    const call = lib.syscall as ((...args: number[]) => number | bigint) | undefined;
    const getdents = (fd: number, buffer: Uint8Array) =>
      Number(call!(SYSCALLS!.getdents64, fd, ffi.ptr(buffer), buffer.length, 0, 0));
    const statx = new Uint8Array(STATX_SIZE);
    const files = call ? linuxFiles(call, ffi.ptr, statx, cPath) : undefined;
    return {
      flock: (fd, op) => lib.flock!(fd, op) as number,
      openRead,
      exists: (path) => lib.access!(cPath(path), F_OK) === 0,
      read: (fd, buffer, offset) =>
        Number(lib.read!(fd, ffi.ptr(buffer, offset), BigInt(buffer.length - offset)) as bigint | number),
      write: (fd, bytes, offset) =>
        Number(lib.write!(fd, ffi.ptr(bytes, offset), BigInt(bytes.length - offset)) as bigint | number),
      close: (fd) => lib.close!(fd) as number,
      isatty: (fd) => lib.isatty!(fd) === 1,
      errno: () => ffi.read.i32(lib[errnoName]!() as Pointer, 0),
      scratch: (size) => {
        const at = lib.malloc!(BigInt(size)) as Pointer | null;
        if (!at) return undefined;
        adviseHuge(BigInt(at), size);
        let freed = false;
        return {
          bytes: new Uint8Array(ffi.toArrayBuffer(at, 0, size)),
          free: () => {
            if (!freed) lib.free!(at);
            freed = true;
          },
        };
      },
      ...(call
        ? {
            listDir: (path: string) => listWith(openRead(path), getdents, lib.close as never),
            fileId: (path: string) => {
              if (Number(call(SYSCALLS!.statx, AT_FDCWD, cPath(path), 0, STATX_INO, ffi.ptr(statx))) !== 0)
                return undefined;
              const record = new DataView(statx.buffer);
              return {
                major: record.getUint32(STATX_DEV_MAJOR_AT, true),
                minor: record.getUint32(STATX_DEV_MAJOR_AT + 4, true),
                ino: record.getBigUint64(STATX_INO_AT, true),
              };
            },
            files,
            statMode: (path: string) => files!.stat(path)?.mode ?? -1,
          }
        : {}),
    };
  }
  return undefined;
}

/** `Libc.files` through `call`, libc's syscall(2); `statx` is the record buffer `load` shares. */
function linuxFiles(
  call: (...args: number[]) => number | bigint,
  ptr: (bytes: Uint8Array, offset?: number) => number,
  statx: Uint8Array,
  cString: (path: string, slot?: 0 | 1) => number,
): LinuxFiles {
  const nr = SYSCALLS!;
  // syscall(2) is bound with six arguments: the unused ones are passed as 0.
  const run = (...args: number[]) => Number(call(...args, ...ZEROS.slice(args.length)));
  const record = new DataView(statx.buffer);
  const statxAt = ptr(statx);
  const record64 = Buffer.from(statx.buffer, 0, STATX_SIZE);
  const [[from0, to0], [from1, to1]] = STAMPED;
  // The record just read, as a `FileStamp`: one native call per span.
  const stampText = () => record64.toString("base64", from0, to0) + record64.toString("base64", from1, to1);
  const linkBuffer = new Uint8Array(4096);
  return {
    open: (path, flags, mode) => run(nr.openat, AT_FDCWD, cString(path), flags | LINUX_OPEN!.O_CLOEXEC, mode),
    fsync: (fd) => run(nr.fsync, fd),
    startWriteback: (fd) => run(nr.sync_file_range, fd, 0, 0, SYNC_FILE_RANGE_WRITE),
    fchmod: (fd, mode) => run(nr.fchmod, fd, mode),
    fchown: (fd, uid, gid) => run(nr.fchown, fd, uid, gid),
    ftruncate: (fd, length) => run(nr.ftruncate, fd, length),
    pwrite: (fd, bytes, offset, position) =>
      offset === bytes.length ? 0 : run(nr.pwrite64, fd, ptr(bytes, offset), bytes.length - offset, position),
    rename: (from, to) => run(nr.renameat2, AT_FDCWD, cString(from), AT_FDCWD, cString(to, 1), 0),
    link: (from, to) => run(nr.linkat, AT_FDCWD, cString(from), AT_FDCWD, cString(to, 1), 0),
    unlink: (path) => run(nr.unlinkat, AT_FDCWD, cString(path), 0),
    mkdir: (path, mode) => run(nr.mkdirat, AT_FDCWD, cString(path), mode),
    access: (path, mode) => run(nr.faccessat, AT_FDCWD, cString(path), mode),
    readlink: (path) => {
      const n = run(nr.readlinkat, AT_FDCWD, cString(path), ptr(linkBuffer), linkBuffer.length);
      // A target as long as the buffer may have been cut: node:fs reads it then.
      return n < 0 || n >= linkBuffer.length ? undefined : Buffer.from(linkBuffer.subarray(0, n)).toString();
    },
    stamp: (path) => {
      if (Number(call(nr.statx, AT_FDCWD, cString(path), 0, STATX_BASIC_STATS, statxAt)) !== 0) return undefined;
      return stampText();
    },
    stamps: (dir, names) => {
      const folder = run(
        nr.openat,
        AT_FDCWD,
        cString(dir),
        O_PATH | LINUX_OPEN!.O_DIRECTORY | LINUX_OPEN!.O_CLOEXEC,
        0,
      );
      if (folder < 0) return names.map(() => undefined);
      try {
        const stamps: (FileStamp | undefined)[] = [];
        for (let i = 0; i < names.length; i++) {
          const found = Number(call(nr.statx, folder, cString(names[i]!), 0, STATX_BASIC_STATS, statxAt)) === 0;
          stamps.push(found ? stampText() : undefined);
        }
        return stamps;
      } finally {
        run(nr.close, folder);
      }
    },
    stat: (at, lstat = false) => {
      const [dir, name, flags] =
        typeof at === "number" ? [at, "", AT_EMPTY_PATH] : [AT_FDCWD, at, lstat ? AT_SYMLINK_NOFOLLOW : 0];
      if (run(nr.statx, dir, cString(name), flags, STATX_BASIC_STATS, ptr(statx)) !== 0) return undefined;
      const major = record.getUint32(STATX_DEV_MAJOR_AT, true);
      const minor = record.getUint32(STATX_DEV_MAJOR_AT + 4, true);
      return {
        mode: record.getUint16(STATX_MODE_AT, true),
        uid: record.getUint32(STATX_UID_AT, true),
        gid: record.getUint32(STATX_UID_AT + 4, true),
        nlink: record.getUint32(STATX_NLINK_AT, true),
        size: Number(record.getBigUint64(STATX_SIZE_AT, true)),
        ino: Number(record.getBigUint64(STATX_INO_AT, true)),
        // glibc's makedev: a number as node:fs gives it, compared only with others made here.
        dev: (major & 0xfff) * 256 + (minor & 0xff) + (minor >>> 8) * 2 ** 20 + (major >>> 12) * 2 ** 44,
        mtimeMs:
          Number(record.getBigInt64(STATX_MTIME_AT, true)) * 1000 + record.getUint32(STATX_MTIME_AT + 8, true) / 1e6,
      };
    },
  };
}

/**
 * The address of `path` as a C string, for a call made at once. Paths go into two buffers
 * kept for the process (`slot` 0 and 1, for the two paths of a rename or link): a temporary
 * buffer could be collected once its address is taken, before the call is made (allocating
 * the call's other arguments may run the collector), and the kernel would read freed
 * memory. A path that may not fit them gets a buffer of its own, held in its slot until the
 * slot's next path, so that it too outlives the call.
 */
function pathArguments(ptr: (bytes: Uint8Array) => number): (path: string, slot?: 0 | 1) => number {
  const buffers = [new Uint8Array(PATH_BYTES), new Uint8Array(PATH_BYTES)] as const;
  const addresses = [ptr(buffers[0]), ptr(buffers[1])] as const;
  const long: [Uint8Array?, Uint8Array?] = [];
  const encoder = new TextEncoder();
  return function cString(path, slot = 0) {
    long[slot] = undefined;
    // Each UTF-16 unit takes at most 3 bytes of UTF-8: a shorter path always fits with its NUL.
    if (path.length * 3 >= PATH_BYTES) return ptr((long[slot] = Buffer.from(`${path}\0`)));
    const { written } = encoder.encodeInto(path, buffers[slot]);
    buffers[slot][written] = 0;
    return addresses[slot];
  };
}

/**
 * The names read from the folder open as `fd` (closed here) through `getdents`: each
 * linux_dirent64 record is d_ino (8 bytes), d_off (8), d_reclen (2, little-endian on x64 and
 * arm64), d_type (1), then the name, ended by a NUL. Undefined when `fd` is -1 or a read fails.
 */
function listWith(
  fd: number,
  getdents: (fd: number, buffer: Uint8Array) => number,
  close: (fd: number) => number,
): string[] | undefined {
  if (fd < 0) return undefined;
  const names: string[] = [];
  const buffer = new Uint8Array(DIRENT_BUFFER);
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const n = getdents(fd, buffer);
      if (n === 0) return names;
      if (n < 0) return undefined;
      for (let at = 0; at < n; ) {
        const length = buffer[at + 16]! | (buffer[at + 17]! << 8);
        if (length <= DIRENT_NAME) return undefined; // not a record: never loop on it
        const end = buffer.indexOf(0, at + DIRENT_NAME);
        const name = decoder.decode(
          buffer.subarray(at + DIRENT_NAME, end === -1 || end > at + length ? at + length : end),
        );
        if (name !== "." && name !== "..") names.push(name);
        at += length;
      }
    }
  } finally {
    close(fd);
  }
}

/** The system call numbers used, on this Linux architecture (<asm/unistd.h>); undefined elsewhere. */
const SYSCALLS =
  process.platform !== "linux"
    ? undefined
    : process.arch === "x64"
      ? {
          getdents64: 217,
          statx: 332,
          openat: 257,
          fsync: 74,
          sync_file_range: 277,
          fchmod: 91,
          fchown: 93,
          ftruncate: 77,
          pwrite64: 18,
          renameat2: 316,
          linkat: 265,
          unlinkat: 263,
          mkdirat: 258,
          readlinkat: 267,
          faccessat: 269,
          close: 3,
        }
      : process.arch === "arm64"
        ? {
            getdents64: 61,
            statx: 291,
            openat: 56,
            fsync: 82,
            sync_file_range: 84,
            fchmod: 52,
            fchown: 55,
            ftruncate: 46,
            pwrite64: 68,
            renameat2: 276,
            linkat: 37,
            unlinkat: 35,
            mkdirat: 34,
            readlinkat: 78,
            faccessat: 48,
            close: 57,
          }
        : undefined;
/** statx(2) and the *at calls: relative to the working folder. */
const AT_FDCWD = -100;
const ZEROS = [0, 0, 0, 0, 0, 0];
/** <linux/fs.h>: start writing the range's dirty pages back. */
const SYNC_FILE_RANGE_WRITE = 2;
/** Linux's PATH_MAX, the NUL included. */
const PATH_BYTES = 4096;
/** struct statx's size, and where its 16-bit stx_mode is (after mask, blksize, attributes, nlink, uid, gid). */
const STATX_SIZE = 256;
const STATX_MODE_AT = 28;
/** statx(2) asking for the inode number; stx_ino (u64) follows stx_mode and its padding, and
 * stx_dev_major, stx_dev_minor (u32 each, always filled) follow the four timestamps and stx_rdev. */
const STATX_INO = 0x100;
const STATX_INO_AT = 32;
const STATX_DEV_MAJOR_AT = 136;
/**
 * The rest of struct statx that `LinuxFiles.stat` reads: stx_nlink, stx_uid and stx_gid
 * (u32), stx_size (u64), stx_mtime (i64 seconds, u32 nanoseconds); STATX_BASIC_STATS asks for
 * all of them. AT_SYMLINK_NOFOLLOW for lstat, AT_EMPTY_PATH to stat the descriptor itself.
 */
const STATX_NLINK_AT = 16;
const STATX_UID_AT = 20;
const STATX_SIZE_AT = 40;
const STATX_MTIME_AT = 112;
/** O_PATH: a descriptor that only names a folder, for the *at calls (<asm-generic/fcntl.h>, on x64 and arm64). */
const O_PATH = 0o10000000;
/** stx_ctime, a timestamp (i64 seconds, u32 nanoseconds) as stx_mtime is. */
const STATX_CTIME_AT = 96;
/**
 * The spans of struct statx in a `FileStamp`: stx_ino and stx_size, and stx_ctime (seconds and
 * nanoseconds), which every change of the file sets to the time of the change: of its bytes,
 * its mode or owner, its links, its modification time.
 */
const STAMPED = [
  [STATX_INO_AT, STATX_SIZE_AT + 8],
  [STATX_CTIME_AT, STATX_CTIME_AT + 12],
] as const;

/** How long every `FileStamp` is: each span's base64. */
export const FILE_STAMP_LENGTH = STAMPED.reduce((length, [from, to]) => length + Math.ceil((to - from) / 3) * 4, 0);
const STATX_BASIC_STATS = 0x7ff;
const AT_SYMLINK_NOFOLLOW = 0x100;
const AT_EMPTY_PATH = 0x1000;
/** Where a linux_dirent64 record's name begins. */
const DIRENT_NAME = 19;
/** Bytes asked of each getdents64 call: hundreds of names. */
const DIRENT_BUFFER = 32 * 1024;

/** Where libc is: glibc's soname, musl's (the loader is libc there), macOS's system library. */
function libcNames(): string[] {
  if (process.platform === "darwin") return ["libc.dylib", "/usr/lib/libSystem.B.dylib"];
  const arch = process.arch === "x64" ? "x86_64" : process.arch === "arm64" ? "aarch64" : process.arch;
  return ["libc.so.6", `libc.musl-${arch}.so.1`, `/lib/ld-musl-${arch}.so.1`, "libc.so"];
}
