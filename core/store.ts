import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fsyncSync,
  mkdirSync,
  startWriteback,
  openSync,
  fstatSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "./_fs-sync.ts";
import { basename, dirname, join } from "node:path";
import { describeErrno } from "./_errno.ts";
import { writeEncoded } from "./_bytes.ts";
import type { Fingerprint } from "./_fingerprint.ts";
import { resolveForWrite } from "./_confine.ts";
import { kernelLocks, tryFlock } from "./_flock.ts";
import { KitcfgError } from "./errors.ts";
import { isProcessAlive } from "./lock.ts";
import { identityOf } from "./_file-state.ts";
import type { FileIdentity } from "./_file-state.ts";

/** kitcfg's temporary files: `.<name>.kitcfg-<pid>-<random>.tmp`, beside the file they replace. */
const TEMP_NAME = /^\..*\.kitcfg-(\d+)-[a-z0-9]*\.tmp$/s;

export interface WriteFileOptions {
  /** Mode for a file that does not exist yet; an existing file keeps its own. */
  mode: number;
  /** Create missing folders 0700 instead of 0755. */
  secret?: boolean;
  /** `--root`: the write must land beneath it (see `_confine.ts`). */
  root?: string;
  /**
   * Leave the folder's fsync to the caller, who renames several files into one folder and
   * then fsyncs it once (`syncDirs`) before relying on any of them.
   */
  deferDirSync?: boolean;
  /**
   * Leave the temporary file's fsync to `batch`, which the caller flushes before `commit`
   * (see `syncBatch`).
   */
  syncBatch?: SyncBatch;
  /**
   * The caller has just removed the folder's stale temporary files (`removeStaleTemps`)
   * holding the lock every writer of the folder takes: it is not listed again.
   */
  staleTempsRemoved?: boolean;
}

/** A write prepared in a temporary file beside its target, not yet visible. */
export interface PendingWrite {
  /** The real file that `commit` replaces (symlinks followed). */
  target: string;
  /** The temporary file `commit` renames over the target; undefined for a removal. */
  temp?: string;
  /** The fingerprint of the bytes written to `temp`; undefined for a removal. */
  print?: Fingerprint;
  /** Which file `temp` is, its bytes written (the rename keeps all of it); undefined for a removal. */
  written?: FileIdentity;
  /** The target's folder: the one to fsync after `commit(false)`. */
  dir: string;
  /**
   * Rename the temporary file over the target (or remove the target) and fsync the folder;
   * with `syncFolder` false the caller fsyncs it (`syncDirs`), once for all files in it.
   */
  commit(syncFolder?: boolean): void;
  /** Remove the temporary file; the target stays as it was. */
  abort(): void;
}

/**
 * Replace a file's content atomically: write a temporary file in the same folder, fsync
 * it, rename it over the target, fsync the folder. A crash leaves the old or the new file,
 * never a mix. Through a symlink the real file is written and the link kept. An existing
 * file keeps its mode and owner.
 * @throws KitcfgError `IO_FAILED` with the path and what to do.
 */
export function writeFileAtomic(path: string, text: string, options: WriteFileOptions): void {
  prepareWrite(path, text, options).commit(!options.deferDirSync);
}

/**
 * The first half of `writeFileAtomic`: everything that can fail for lack of space or
 * permission (the folder, the temporary file, its content, fsync) happens here, so a
 * caller writing several files can prepare them all before making any of them visible.
 * Temporary files left in the folder by writers that were killed are removed first.
 * @throws KitcfgError `IO_FAILED`; nothing is left behind then.
 */
export function prepareWrite(path: string, text: string, options: WriteFileOptions): PendingWrite {
  const target = followLinks(path, options.root);
  const dir = dirname(target);
  const existing = statIfFile(target);
  if (existing) assertWritable(target);
  ensureRealDir(dir, options.secret ? 0o700 : 0o755);
  if (!options.staleTempsRemoved) removeStaleTemps(dir);
  let print: Fingerprint | undefined;
  let written: FileIdentity | undefined;
  let temp = "";
  let fd: number | undefined;
  try {
    ({ temp, fd } = createTemp(dir, basename(target), existing ? existing.mode & 0o7777 : options.mode));
    // The creation mode passed the umask; an existing file's mode is kept exactly.
    if (existing) fchmodSync(fd, existing.mode & 0o7777);
    if (existing && (existing.uid !== process.getuid?.() || existing.gid !== process.getgid?.())) {
      fchownSync(fd, existing.uid, existing.gid);
    }
    const into = fd;
    print = writeEncoded(text, (bytes) => writeAll(into, bytes));
    written = identityOf(fstatSync(fd));
    if (options.syncBatch) options.syncBatch.add(fd);
    else fsyncSync(fd);
  } catch (error) {
    if (fd !== undefined) closeQuietly(fd);
    if (temp) removeQuietly(temp);
    throw writeError(target, error);
  }
  // Kept open until the rename: its kernel lock tells other writers this file is in use.
  const open = fd;
  let done = false;
  return {
    target,
    temp,
    print,
    written,
    dir,
    commit: function commitWrite(syncFolder = true) {
      if (done) return;
      done = true;
      try {
        renameSync(temp, target);
      } catch (error) {
        removeQuietly(temp);
        throw writeError(target, error);
      } finally {
        closeQuietly(open);
      }
      if (syncFolder) syncDir(dir);
    },
    abort: function abortWrite() {
      if (done) return;
      done = true;
      removeQuietly(temp);
      closeQuietly(open);
    },
  };
}

/**
 * Replace a file that only keeps what can be found again (a cache: one lost or cut short is
 * read as none) as `writeFileAtomic` does: where its folder resolves (beneath `root`, links
 * checked as `followLinks` checks them), through a temporary file, the stale ones a killed
 * writer left removed, but without the fsyncs. Its folder is made 0700.
 * @throws Error when it cannot be written (KitcfgError `IO_FAILED` for a link refused); nothing is left behind then.
 */
export function writeCacheFile(path: string, text: string, root?: string): void {
  const dir = resolveForWrite(dirname(path), root);
  ensureRealDir(dir, 0o700);
  removeStaleTemps(dir);
  const { temp, fd } = createTemp(dir, basename(path), 0o600);
  try {
    writeEncoded(text, (bytes) => writeAll(fd, bytes));
    renameSync(temp, join(dir, basename(path)));
  } catch (error) {
    removeQuietly(temp);
    throw error;
  } finally {
    closeQuietly(fd);
  }
}

/**
 * Remove kitcfg's temporary files in `dir` whose writer is gone (killed between creating
 * and renaming them). Each writer holds a kernel lock on its temporary file until the
 * rename, so a file whose lock can be taken has no writer, whatever PID namespace it ran
 * in. Without kernel locks, a file whose pid no longer runs is taken as abandoned.
 * A live writer's file, or one of this process, is left alone. `names` is the folder's
 * listing when the caller has just taken it.
 */
export function removeStaleTemps(dir: string, names?: string[]): void {
  if (!names) {
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
  }
  const kernel = kernelLocks();
  for (const name of names) {
    // Only a temporary file starts with a dot: no pattern is matched against every version's name.
    const match = name.startsWith(".") ? TEMP_NAME.exec(name) : null;
    if (!match) continue;
    const pid = Number(match[1]);
    if (kernel) removeIfUnlocked(join(dir, name));
    else if (pid !== process.pid && !isProcessAlive(pid)) removeQuietly(join(dir, name));
  }
}

/** Remove a file (a token on logout); nothing happens when it is already gone. */
export function removeFile(path: string, root?: string): void {
  prepareRemove(path, root).commit();
}

/**
 * A removal to commit later, like `prepareWrite`: the folder's permission is checked now,
 * the file disappears on `commit`.
 * @throws KitcfgError `IO_FAILED` when the folder is not writable.
 */
export function prepareRemove(path: string, root?: string): PendingWrite {
  const target = followLinks(path, root);
  const dir = dirname(target);
  try {
    accessSync(dir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT")
      throw ioError(`Cannot remove ${target}: ${describeErrno(code, error)}`, target, error, hintFor(code));
  }
  return {
    target,
    dir,
    commit: function commitRemove(syncFolder = true) {
      try {
        unlinkSync(target);
        if (syncFolder) syncDir(dir);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT") return;
        throw ioError(`Cannot remove ${target}: ${describeErrno(code, error)}`, target, error, hintFor(code));
      }
    },
    abort: () => {},
  };
}

/**
 * The real file behind `path` for a write: symlinks followed (at every level), even to a
 * target that does not exist yet; with `root`, only where they stay beneath it.
 * @throws KitcfgError `IO_FAILED` for a link that leads outside the root, one another user
 * could use to redirect the write (see `_confine.ts`), or a link loop.
 */
export function followLinks(path: string, root?: string): string {
  return resolveForWrite(path, root);
}

/**
 * Create a folder and its missing parents with `mode` (0700 for secrets), where its path
 * really leads (checked as `followLinks` checks).
 * @throws KitcfgError `IO_FAILED`
 */
export function ensureDir(dir: string, mode: number, root?: string): void {
  ensureRealDir(resolveForWrite(dir, root), mode);
}

/**
 * `ensureDir` of a folder `followLinks` has just resolved (the folder of its result): its
 * links are not resolved and checked a second time.
 * @throws KitcfgError `IO_FAILED`
 */
export function ensureRealDir(real: string, mode: number): void {
  try {
    mkdirSync(real, { recursive: true, mode });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw ioError(`Cannot create folder ${real}: ${describeErrno(code, error)}`, real, error, hintFor(code));
  }
}

/**
 * Set the permission bits of the file at `path` (links already followed).
 * @throws KitcfgError `IO_FAILED` naming the file (another user's file, a read-only file system).
 */
export function chmodFile(path: string, mode: number): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    fchmodSync(fd, mode);
  } catch (error) {
    throw writeError(path, error);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** fsync a folder, so that a rename or removal in it survives a power loss. */
export function syncDir(dir: string): void {
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

/**
 * fsyncs gathered from the steps of one write, made together before the renames that rely
 * on them. Each fsync of a file written a moment ago waits for a journal commit of its own;
 * `flush` first starts every file's data on its way (`startWriteback`), so that on ext4 the
 * first commit carries all of them and the fsyncs after it find their part already on disk.
 */
export interface SyncBatch {
  /** A file open as `fd` to fsync at `flush`; with `owned`, the batch closes it after (or at `dispose`). */
  add(fd: number, owned?: boolean): void;
  /** A folder to fsync at `flush`, after the files: a file created in it must stay listed. */
  addDir(dir: string): void;
  /**
   * Start every file's writeback, fsync each file, then each folder.
   * @throws Error with the errno `code` of the fsync that failed.
   */
  flush(): void;
  /** Close the descriptors the batch owns, flushed or not (a write that failed before `flush`). */
  dispose(): void;
}

/** A new `SyncBatch`. */
export function syncBatch(): SyncBatch {
  const fds: number[] = [];
  const owned: number[] = [];
  const dirs = new Set<string>();
  const dispose = function disposeBatch() {
    for (const fd of owned.splice(0)) closeQuietly(fd);
  };
  return {
    add: function addToBatch(fd, own = false) {
      fds.push(fd);
      if (own) owned.push(fd);
    },
    addDir: function addDirToBatch(dir) {
      dirs.add(dir);
    },
    flush: function flushBatch() {
      try {
        for (const fd of fds) startWriteback(fd);
        for (const fd of fds.splice(0)) fsyncSync(fd);
      } finally {
        dispose();
      }
      syncDirs(dirs);
    },
    dispose,
  };
}

/** fsync each folder once, however many files were renamed into it (see `deferDirSync`). */
export function syncDirs(dirs: Iterable<string>): void {
  for (const dir of new Set(dirs)) syncDir(dir);
}

// --- internal ---

function statIfFile(path: string): { mode: number; uid: number; gid: number } | undefined {
  try {
    const stat = statSync(path);
    if (stat.isDirectory())
      throw ioError(`Cannot write ${path}: it is a folder, not a file`, path, undefined, "Move the folder away");
    if (!stat.isFile())
      throw ioError(
        `Cannot write ${path}: it is not a regular file`,
        path,
        undefined,
        "Replace it with a regular file",
      );
    return { mode: stat.mode, uid: stat.uid, gid: stat.gid };
  } catch (error) {
    if (error instanceof KitcfgError) throw error;
    return undefined;
  }
}

/** Refuse to replace a file the user made unwritable: the rename would silently bypass it. */
function assertWritable(target: string): void {
  try {
    accessSync(target, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw ioError(
      `Cannot write ${target}: the file is not writable (${describeErrno(code, error)})`,
      target,
      error,
      "Make it writable (chmod u+w, or chattr -i for an immutable file) or run as its owner; nothing was changed",
    );
  }
}

function writeError(target: string, error: unknown): KitcfgError {
  if (error instanceof KitcfgError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  return ioError(`Cannot write ${target}: ${describeErrno(code, error)}`, target, error, hintFor(code));
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

/**
 * Create a fresh temporary file beside `name` and hold its kernel lock. A cleaner that took
 * the lock in the moment between create and lock has removed the file: then try a new name.
 */
function createTemp(dir: string, name: string, mode: number): { temp: string; fd: number } {
  for (;;) {
    const temp = join(dir, `.${name}.kitcfg-${process.pid}-${Math.random().toString(36).slice(2, 8)}.tmp`);
    const fd = openSync(temp, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
    if (!kernelLocks()) return { temp, fd };
    const got = tryFlock(fd);
    if (got === "unsupported" || (got === "locked" && fstatSync(fd).nlink > 0)) return { temp, fd };
    closeQuietly(fd);
    removeIfUnlocked(temp);
  }
}

/** Remove a temporary file when no writer holds its kernel lock. */
function removeIfUnlocked(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return;
  }
  try {
    if (tryFlock(fd) === "locked") removeQuietly(path);
  } finally {
    closeQuietly(fd);
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // never created, or already gone
  }
}

function hintFor(code: string | undefined): string | undefined {
  if (code === "EACCES" || code === "EPERM")
    return "Check the permissions of the file and its folder, or run as the daemon's user";
  if (code === "ENOSPC" || code === "EDQUOT") return "Free some space and run the command again; nothing was changed";
  if (code === "EFBIG") return "Raise the limit (`ulimit -f unlimited`) and run the command again; nothing was changed";
  if (code === "EROFS")
    return "Remount the file system read-write, or point the daemon's variable elsewhere; nothing was changed";
  return undefined;
}

function ioError(message: string, file: string, cause?: unknown, hint?: string): KitcfgError {
  return new KitcfgError("IO_FAILED", message, { file, cause, hint });
}
