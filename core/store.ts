import {
  chownSync,
  closeSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { KitcfgError } from "./errors.ts";

/** What the disk holds at a path. */
export interface FileState {
  /** The text, or undefined when there is no file. */
  text: string | undefined;
  /** Permission bits of the existing file. */
  mode?: number;
}

export interface WriteFileOptions {
  /** Mode for a file that does not exist yet; an existing file keeps its own. */
  mode: number;
  /** Create missing folders 0700 instead of 0755. */
  secret?: boolean;
}

/**
 * Read a config file as UTF-8 text; undefined when it does not exist.
 * @throws KitcfgError `IO_FAILED` when the path is a folder or cannot be read.
 */
export function readFileState(path: string): FileState {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw ioError(`Cannot read ${path}: it is a folder, not a file`, path, undefined, "Move the folder away");
    return { text: readFileSync(path, "utf8"), mode: stat.mode & 0o7777 };
  } catch (error) {
    if (error instanceof KitcfgError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { text: undefined };
    if (code === "ENOTDIR") throw ioError(`Cannot read ${path}: a parent of it is a file, not a folder`, path, error);
    throw ioError(`Cannot read ${path}: ${describeCode(code, error)}`, path, error);
  }
}

/**
 * Replace a file's content atomically: write a temporary file in the same folder, fsync
 * it, rename it over the target, fsync the folder. A crash leaves the old or the new file,
 * never a mix. Through a symlink the real file is written and the link kept. An existing
 * file keeps its mode and owner.
 * @throws KitcfgError `IO_FAILED` with the path and what to do.
 */
export function writeFileAtomic(path: string, text: string, options: WriteFileOptions): void {
  const target = followLinks(path);
  const dir = dirname(target);
  const existing = statIfFile(target);
  ensureDir(dir, options.secret ? 0o700 : 0o755);
  const temp = join(dir, `.${basename(target)}.kitcfg-${process.pid}-${Math.random().toString(36).slice(2, 8)}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, "wx", existing ? existing.mode & 0o7777 : options.mode);
    writeAll(fd, text);
    if (existing && (existing.uid !== process.getuid?.() || existing.gid !== process.getgid?.())) {
      chownSync(temp, existing.uid, existing.gid);
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, target);
    syncDir(dir);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    removeQuietly(temp);
    if (error instanceof KitcfgError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw ioError(`Cannot write ${target}: ${describeCode(code, error)}`, target, error, hintFor(code));
  }
}

/** Remove a file (a token on logout); nothing happens when it is already gone. */
export function removeFile(path: string): void {
  const target = followLinks(path);
  try {
    unlinkSync(target);
    syncDir(dirname(target));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return;
    throw ioError(`Cannot remove ${target}: ${describeCode(code, error)}`, target, error, hintFor(code));
  }
}

/** The real file behind `path`: symlinks followed, even to a target that does not exist yet. */
export function followLinks(path: string): string {
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let stat;
    try {
      stat = lstatSync(current);
    } catch {
      return current;
    }
    if (!stat.isSymbolicLink()) return current;
    current = resolve(dirname(current), readlinkSync(current));
  }
  throw ioError(`Cannot follow ${path}: too many levels of symbolic links`, path);
}

/**
 * Create a folder and its missing parents with `mode` (0700 for secrets).
 * @throws KitcfgError `IO_FAILED`
 */
export function ensureDir(dir: string, mode: number): void {
  try {
    mkdirSync(dir, { recursive: true, mode });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw ioError(`Cannot create folder ${dir}: ${describeCode(code, error)}`, dir, error, hintFor(code));
  }
}

// --- internal ---

function statIfFile(path: string): { mode: number; uid: number; gid: number } | undefined {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw ioError(`Cannot write ${path}: it is a folder, not a file`, path, undefined, "Move the folder away");
    return { mode: stat.mode, uid: stat.uid, gid: stat.gid };
  } catch (error) {
    if (error instanceof KitcfgError) throw error;
    return undefined;
  }
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, "utf8");
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a folder; the rename itself is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // never created, or already gone
  }
}

function describeCode(code: string | undefined, error: unknown): string {
  switch (code) {
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOSPC":
      return "no space left on the device";
    case "EROFS":
      return "the file system is read-only";
    case "EISDIR":
      return "it is a folder, not a file";
    case "ENOTDIR":
      return "a parent of it is a file, not a folder";
    case "EDQUOT":
      return "disk quota exceeded";
    default:
      return code ?? (error instanceof Error ? error.message : String(error));
  }
}

function hintFor(code: string | undefined): string | undefined {
  if (code === "EACCES" || code === "EPERM") return "Check the permissions of the file and its folder, or run as the daemon's user";
  if (code === "ENOSPC" || code === "EDQUOT") return "Free some space and run the command again; nothing was changed";
  return undefined;
}

function ioError(message: string, file: string, cause?: unknown, hint?: string): KitcfgError {
  return new KitcfgError("IO_FAILED", message, { file, cause, hint });
}
