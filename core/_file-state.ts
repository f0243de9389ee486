import { assertConfigSize } from "./_big-input.ts";
import { decodeBytes, noteRead, readFingerprint } from "./_bytes.ts";
import { describeErrno } from "./_errno.ts";
import { type Fingerprint, Printer } from "./_fingerprint.ts";
import { permissionBits, readFileBytes } from "./_fs.ts";
import type { ReadResult } from "./_fs.ts";
import { closeSync, constants, fstatSync, openSync, readSync } from "./_fs-sync.ts";
import { KitcfgError } from "./errors.ts";

// What the disk holds at a path, as kitcfg reads a config file: its text and mode, whether it
// still holds a text read a moment ago, and which file it is (`store.ts` writes).

/** What the disk holds at a path. */
export interface FileState {
  /** The text, or undefined when there is no file. */
  text: string | undefined;
  /** Permission bits of the existing file. */
  mode?: number;
}

/**
 * Which file is at a path, and whether anyone wrote it since: its device and inode, its size
 * and its last modification time, as statx gives them. A write to the file changes its
 * mtime; a rename over it or a link to it changes neither.
 */
export interface FileIdentity {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

/** The identity in a stat result. */
export function identityOf(stat: FileIdentity): FileIdentity {
  return { dev: stat.dev, ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs };
}

/** Whether `a` and `b` are one file with nothing written to it between the two looks. */
export function sameIdentity(a: FileIdentity | undefined, b: FileIdentity | undefined): boolean {
  return (
    a !== undefined &&
    b !== undefined &&
    a.dev === b.dev &&
    a.ino === b.ino &&
    a.size === b.size &&
    a.mtimeMs === b.mtimeMs
  );
}

/**
 * Read a config file as UTF-8 text; undefined when it does not exist. Bytes that are not
 * UTF-8 are kept as stand-in characters that `prepareWrite` turns back into the same bytes
 * (see `decodeBytes`), so lines an edit does not touch are written back byte for byte.
 * @throws KitcfgError `IO_FAILED` when the path is a folder or cannot be read.
 */
export function readFileState(path: string): FileState {
  // A big file's bytes are read into scratch memory, given back once decoded: only the text stays.
  const read = readFileBytesState(path, true);
  if (read.bytes === undefined) return { text: undefined };
  let text: string;
  try {
    text = decodeBytes(read.bytes);
    // A write of a big file soon reads it again under the lock, to see that it still holds this text.
    if (read.bytes.length >= REMEMBERED_BYTES) noteRead(text, read.bytes);
  } finally {
    read.release?.();
  }
  const mode = lazyMode(path);
  return {
    text,
    get mode() {
      return mode();
    },
  };
}

/**
 * `readFileState` before decoding: the file's bytes (undefined when there is no file) and
 * its mode, read when asked. With `scratch`, a big file's bytes may be in memory the caller
 * gives back with `release` (see `readFileBytes`).
 * @throws KitcfgError `IO_FAILED` as `readFileState`.
 */
export function readFileBytesState(
  path: string,
  scratch = false,
): { bytes: Uint8Array | undefined; readonly mode?: number; release?: () => void } {
  let read: ReadResult;
  try {
    read = readFileBytes(path, (size) => assertConfigSize(path, size), scratch);
  } catch (error) {
    if (error instanceof KitcfgError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOTDIR") throw ioError(`Cannot read ${path}: a parent of it is a file, not a folder`, path, error);
    throw ioError(`Cannot read ${path}: ${describeErrno(code, error)}`, path, error);
  }
  if (read.kind === "missing") return { bytes: undefined };
  if (read.kind === "folder")
    throw ioError(`Cannot read ${path}: it is a folder, not a file`, path, undefined, "Move the folder away");
  // A FIFO or device would block the read or never end; a config file is a regular file.
  if (read.kind === "other")
    throw ioError(`Cannot read ${path}: it is not a regular file`, path, undefined, "Replace it with a regular file");
  const mode = lazyMode(path);
  return {
    bytes: read.bytes,
    ...(read.release ? { release: read.release } : {}),
    get mode() {
      return mode();
    },
  };
}

/**
 * Whether the file at `path` holds `text` now: `readFileState(path).text === text`, with the
 * same errors. When `text` is a big file's, read a moment ago (see `noteRead`), the file is
 * read a piece at a time and told by the fingerprint of the bytes it was read from: a big
 * file that has not changed is neither decoded nor held whole again.
 * @throws KitcfgError `IO_FAILED` as `readFileState`.
 */
export function holdsText(path: string, text: string | undefined): boolean {
  const print = text === undefined ? undefined : readFingerprint(text);
  // Anything but a readable regular file is left to readFileState, which says what it is.
  const same = print === undefined ? undefined : holdsPrint(path, print);
  return same ?? readFileState(path).text === text;
}

// --- internal ---

/** The mode of the file at `path`, read when first asked: only validation and writes ask. */
function lazyMode(path: string): () => number | undefined {
  let mode: number | undefined;
  return () => {
    mode ??= permissionBits(path);
    return mode;
  };
}

/**
 * From this size on, a file read is noted by its fingerprint for `holdsText`; a small file is
 * cheaper to read and decode again.
 */
const REMEMBERED_BYTES = 64 * 1024;

/** What `holdsPrint` reads at a time: a big file is told without a second copy of it in memory. */
const READ_CHUNK = 256 * 1024;

/**
 * Whether the regular file at `path` holds bytes of `print`, read a piece at a time;
 * undefined when it cannot be opened or is not a regular file. The bytes decode to one text
 * only (`decodeBytes` keeps every byte), so other bytes are another text.
 */
function holdsPrint(path: string, print: Fingerprint): boolean | undefined {
  let fd: number;
  try {
    // Non-blocking: a FIFO put there meanwhile must not hang the open.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return undefined;
    if (stat.size !== print.length) return false;
    const chunk = Buffer.allocUnsafe(READ_CHUNK);
    const printer = new Printer();
    for (let length = 0; ; ) {
      const n = readSync(fd, chunk, 0, chunk.length);
      if (n === 0) break;
      printer.add(chunk.subarray(0, n));
      length += n;
      // A file that grew past the size is another one.
      if (length > print.length) return false;
    }
    const read = printer.done();
    return read.length === print.length && read.hash === print.hash;
  } catch {
    return undefined;
  } finally {
    closeQuietly(fd);
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

function ioError(message: string, file: string, cause?: unknown, hint?: string): KitcfgError {
  return new KitcfgError("IO_FAILED", message, { file, cause, hint });
}
