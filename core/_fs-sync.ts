/**
 * The synchronous node:fs calls of kitcfg's write path (store, history, intent record, locks,
 * link checks), under node's names and with node's results and errors, made as Linux
 * system calls through libc (`Libc.files`) where it is loaded, so that `update` and
 * `configure` no longer load node:fs: a hello-world binary that loads it makes about 190
 * page faults and takes 5.4 MiB more (measured side by side with `perf stat` and
 * `/usr/bin/time`). A call that fails hands over to node:fs's own, which fails the same
 * way and throws the error callers know (its `code`, its message), or succeeds where the
 * system call cannot be made here (a sandbox refusing it). A missing file is the one
 * failure answered here, since callers meet it all the time: an error with code "ENOENT".
 * Elsewhere than Linux x64 and arm64, every call is node:fs's.
 */
import {
  accessSync as nodeAccessSync,
  closeSync as nodeCloseSync,
  fchmodSync as nodeFchmodSync,
  fchownSync as nodeFchownSync,
  fstatSync as nodeFstatSync,
  fsyncSync as nodeFsyncSync,
  ftruncateSync as nodeFtruncateSync,
  linkSync as nodeLinkSync,
  lstatSync as nodeLstatSync,
  mkdirSync as nodeMkdirSync,
  openSync as nodeOpenSync,
  readFileSync as nodeReadFileSync,
  readSync as nodeReadSync,
  readdirSync as nodeReaddirSync,
  readlinkSync as nodeReadlinkSync,
  realpathSync as nodeRealpathSync,
  renameSync as nodeRenameSync,
  statSync as nodeStatSync,
  unlinkSync as nodeUnlinkSync,
  writeSync as nodeWriteSync,
  constants as nodeConstants,
} from "node:fs";
import type { Stats } from "node:fs";
import { pathExists, readFileBytes } from "./_fs.ts";
import { LINUX_OPEN, libc } from "./_libc.ts";
import type { FileStatus, LinuxFiles } from "./_libc.ts";

/** What `statSync` and its kin give: the fields kitcfg reads of node's `Stats`. */
export interface FileStats extends FileStatus {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

/**
 * The open flags and access modes callers combine: Linux's own numbers where the system
 * calls are made here (the same ones node:fs passes through), node's `constants` elsewhere.
 */
export const constants: {
  readonly O_RDONLY: number;
  readonly O_WRONLY: number;
  readonly O_RDWR: number;
  readonly O_CREAT: number;
  readonly O_EXCL: number;
  readonly O_TRUNC: number;
  readonly O_NOFOLLOW: number;
  readonly O_NONBLOCK: number;
  readonly F_OK: number;
  readonly R_OK: number;
  readonly W_OK: number;
} = LINUX_OPEN
  ? { ...LINUX_OPEN, F_OK: 0, R_OK: 4, W_OK: 2 }
  : new Proxy({} as never, { get: (_, key: string) => (nodeConstants as Record<string, number>)[key] });

export function openSync(path: string, flags: number | "r" | "wx", mode = 0o666): number {
  const numeric = typeof flags === "number" ? flags : flags === "r" ? 0 : WRITE_EXCLUSIVE;
  const fd = withFiles(path, (f) => f.open(path, numeric, mode));
  return fd !== undefined && fd >= 0 ? fd : failed(fd, "open", path, () => nodeOpenSync(path, flags, mode));
}

/**
 * close(2). A failure is thrown, never retried: Linux frees the descriptor even then, and
 * a second close could close a file opened meanwhile under the same number.
 */
export function closeSync(fd: number): void {
  const c = libc();
  if (!c) return nodeCloseSync(fd);
  if (c.close(fd) !== 0) throw errnoError("close", c.errno());
}

/**
 * fsync(2). A failure is thrown, never retried: the kernel reports a write-back error once
 * per open file, so a second fsync could succeed with the data lost. node:fs's is used
 * only where the system call cannot be made here.
 */
export function fsyncSync(fd: number): void {
  const done = byFd((f) => f.fsync(fd));
  if (done === 0) return;
  const errno = libc()?.errno();
  if (done === undefined || errno === ENOSYS) return nodeFsyncSync(fd);
  throw errnoError("fsync", errno!);
}

/**
 * Start writing the data of the file open as `fd` to disk, without waiting (Linux's
 * sync_file_range); nothing elsewhere. Not a substitute for fsync: a way to have the disk
 * busy with several files before the first fsync, which then carries them all.
 */
export function startWriteback(fd: number): void {
  byFd((f) => f.startWriteback(fd));
}

export function fchmodSync(fd: number, mode: number): void {
  if (byFd((f) => f.fchmod(fd, mode)) !== 0) nodeFchmodSync(fd, mode);
}

export function fchownSync(fd: number, uid: number, gid: number): void {
  if (byFd((f) => f.fchown(fd, uid, gid)) !== 0) nodeFchownSync(fd, uid, gid);
}

export function ftruncateSync(fd: number, length = 0): void {
  if (byFd((f) => f.ftruncate(fd, length)) !== 0) nodeFtruncateSync(fd, length);
}

/**
 * Write `data` (text as UTF-8) to `fd`: from `offset` of the bytes at the file's position,
 * or, for text, at `position` when given. Returns the count written, as node's.
 */
export function writeSync(fd: number, data: Uint8Array | string, offsetOrPosition?: number): number {
  const text = typeof data === "string";
  const bytes = text ? Buffer.from(data) : data;
  const offset = text ? 0 : (offsetOrPosition ?? 0);
  const position = text ? offsetOrPosition : undefined;
  const c = libc();
  const n =
    position === undefined
      ? (c?.write(fd, bytes, offset) ?? -1)
      : (c?.files?.pwrite(fd, bytes, offset, position) ?? -1);
  if (n >= 0) return n;
  return position === undefined
    ? nodeWriteSync(fd, bytes, offset, bytes.length - offset)
    : nodeWriteSync(fd, bytes, offset, bytes.length - offset, position);
}

export function renameSync(from: string, to: string): void {
  const made = withFiles([from, to], (f) => f.rename(from, to));
  if (made !== 0) failed(made, "rename", from, () => nodeRenameSync(from, to));
}

export function linkSync(from: string, to: string): void {
  const made = withFiles([from, to], (f) => f.link(from, to));
  if (made !== 0) failed(made, "link", from, () => nodeLinkSync(from, to));
}

export function unlinkSync(path: string): void {
  const made = withFiles(path, (f) => f.unlink(path));
  if (made !== 0) failed(made, "unlink", path, () => nodeUnlinkSync(path));
}

export function accessSync(path: string, mode = 0): void {
  const made = withFiles(path, (f) => f.access(path, mode));
  if (made !== 0) failed(made, "access", path, () => nodeAccessSync(path, mode));
}

export function existsSync(path: string): boolean {
  return pathExists(path);
}

/**
 * Create the folder `path`; with `recursive`, its missing parents too, and a folder that is
 * there already is no error.
 */
export function mkdirSync(path: string, options: { recursive?: boolean; mode?: number } = {}): void {
  const mode = options.mode ?? 0o777;
  const errno = withFiles(path, (f) => makeFolder(f, path, mode, options.recursive === true));
  if (errno === ENOENT) throw missing("mkdir", path);
  // Any other failure is node's to report, with the error it gives (EACCES, EEXIST, ENOTDIR, ...).
  if (errno !== 0) nodeMkdirSync(path, options);
}

export function statSync(path: string): FileStats;
export function statSync(path: string, options: { throwIfNoEntry: false }): FileStats | undefined;
export function statSync(path: string, options?: { throwIfNoEntry: false }): FileStats | undefined {
  return statusOf(path, false, options?.throwIfNoEntry === false, () =>
    options ? nodeStatSync(path, options) : nodeStatSync(path),
  );
}

export function lstatSync(path: string): FileStats;
export function lstatSync(path: string, options: { throwIfNoEntry: false }): FileStats | undefined;
export function lstatSync(path: string, options?: { throwIfNoEntry: false }): FileStats | undefined {
  return statusOf(path, true, options?.throwIfNoEntry === false, () =>
    options ? nodeLstatSync(path, options) : nodeLstatSync(path),
  );
}

export function fstatSync(fd: number): FileStats {
  const status = libc()?.files?.stat(fd);
  return status ? stats(status) : nodeFstatSync(fd);
}

export function readlinkSync(path: string): string {
  const target = isPlain(path) ? libc()?.files?.readlink(path) : undefined;
  return target ?? nodeReadlinkSync(path, "utf8");
}

/** The real path of `path`, every link resolved: node's (a link is rare on the write path). */
export function realpathSync(path: string): string {
  return nodeRealpathSync(path);
}

/** read(2) into `buffer` from `offset`, at most `length` bytes, at the file's position: the count read. */
export function readSync(fd: number, buffer: Uint8Array, offset = 0, length = buffer.length - offset): number {
  const n = libc()?.read(fd, buffer.subarray(0, offset + length), offset) ?? -1;
  return n >= 0 ? n : nodeReadSync(fd, buffer, offset, length, null);
}

/** The names in the folder at `path`, "." and ".." left out. */
export function readdirSync(path: string): string[] {
  const c = path.includes("\0") ? undefined : libc();
  const names = c?.listDir?.(path);
  if (names) return names;
  if (c?.listDir && c.errno() === ENOENT) throw missing("scandir", path);
  return nodeReaddirSync(path);
}

/** The bytes of the file at `path`, or its text as UTF-8 with "utf8". */
export function readFileSync(path: string): Uint8Array;
export function readFileSync(path: string, encoding: "utf8"): string;
export function readFileSync(path: string, encoding?: "utf8"): Uint8Array | string {
  let read: ReturnType<typeof readFileBytes> | undefined;
  try {
    read = readFileBytes(path);
  } catch {
    // node:fs says why below.
  }
  if (read?.kind === "missing") throw missing("open", path);
  if (read?.kind !== "file") return encoding ? nodeReadFileSync(path, encoding) : nodeReadFileSync(path);
  return encoding ? new TextDecoder().decode(read.bytes) : read.bytes;
}

// --- internal ---

/** node's "wx": O_TRUNC | O_CREAT | O_WRONLY | O_EXCL. */
const WRITE_EXCLUSIVE = LINUX_OPEN
  ? LINUX_OPEN.O_TRUNC | LINUX_OPEN.O_CREAT | LINUX_OPEN.O_WRONLY | LINUX_OPEN.O_EXCL
  : 0;

/** Linux's errno values (the same on x64 and arm64). */
const ENOENT = 2;
const EEXIST = 17;
const ENOSYS = 38;

/** What libuv calls the errors a close or an fsync can end with (uv-common.c's messages). */
const ERRNO_NAMES: Record<number, [string, string]> = {
  1: ["EPERM", "operation not permitted"],
  4: ["EINTR", "interrupted system call"],
  5: ["EIO", "i/o error"],
  9: ["EBADF", "bad file descriptor"],
  22: ["EINVAL", "invalid argument"],
  28: ["ENOSPC", "no space left on device"],
  30: ["EROFS", "read-only file system"],
  122: ["EDQUOT", "disk quota exceeded"],
};

/** `call` with the system calls; undefined (node:fs then) without them or for a path they do not take. */
function withFiles(paths: string | string[], call: (files: LinuxFiles) => number): number | undefined {
  const files = (typeof paths === "string" ? isPlain(paths) : paths.every(isPlain)) ? libc()?.files : undefined;
  return files ? call(files) : undefined;
}

/** A path `Libc.files` takes: no NUL (C would cut it there). */
function isPlain(path: string): boolean {
  return !path.includes("\0");
}

/** `call` with the system calls; undefined without them. */
function byFd(call: (files: LinuxFiles) => number): number | undefined {
  const files = libc()?.files;
  return files ? call(files) : undefined;
}

/**
 * After a system call failed (`made` -1) or was not made (undefined): a missing file is
 * thrown from here; anything else is node's call to make, which throws its own error (or
 * succeeds, where the system call could not run).
 */
function failed<T>(made: number | undefined, syscall: string, path: string, viaNode: () => T): T {
  if (made === -1 && libc()!.errno() === ENOENT) throw missing(syscall, path);
  return viaNode();
}

/** node's error for a failed call on a descriptor, made from the errno (node's code and text where known). */
function errnoError(syscall: string, errno: number): NodeJS.ErrnoException {
  const [code, text] = ERRNO_NAMES[errno] ?? [`E${errno}`, `error ${errno}`];
  return Object.assign(new Error(`${code}: ${text}, ${syscall}`), { code, errno: -errno, syscall });
}

/** node's error for a missing file, without loading node:fs to make it. */
function missing(syscall: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOENT: no such file or directory, ${syscall} '${path}'`), {
    code: "ENOENT",
    errno: -ENOENT,
    syscall,
    path,
  });
}

/**
 * mkdir(2), and with `recursive` mkdir -p: 0 when the folder is there now, else the errno of
 * the mkdir that failed (read before any other call can change it).
 */
function makeFolder(files: LinuxFiles, path: string, mode: number, recursive: boolean): number {
  if (files.mkdir(path, mode) === 0) return 0;
  const errno = libc()!.errno();
  if (!recursive) return errno;
  if (errno === EEXIST) return isFolderMode(files.stat(path)?.mode) ? 0 : errno;
  const cut = path.lastIndexOf("/");
  if (errno !== ENOENT || cut <= 0) return errno;
  const parent = makeFolder(files, path.slice(0, cut), mode, true);
  if (parent !== 0) return parent;
  if (files.mkdir(path, mode) === 0) return 0;
  const again = libc()!.errno();
  // Made meanwhile by another writer: as good.
  return again === EEXIST && isFolderMode(files.stat(path)?.mode) ? 0 : again;
}

function statusOf(
  path: string,
  lstat: boolean,
  quiet: boolean,
  viaNode: () => Stats | undefined,
): FileStats | undefined {
  const files = isPlain(path) ? libc()?.files : undefined;
  const status = files?.stat(path, lstat);
  if (status) return stats(status);
  if (files && libc()!.errno() === ENOENT) {
    if (quiet) return undefined;
    throw missing(lstat ? "lstat" : "stat", path);
  }
  return viaNode();
}

const S_IFMT = 0o170000;

function isFolderMode(mode: number | undefined): boolean {
  return mode !== undefined && (mode & S_IFMT) === 0o040000;
}

function stats(status: FileStatus): FileStats {
  const type = status.mode & S_IFMT;
  return {
    ...status,
    isFile: () => type === 0o100000,
    isDirectory: () => type === 0o040000,
    isSymbolicLink: () => type === 0o120000,
  };
}
