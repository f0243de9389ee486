/**
 * Intent records: how a change to several files stays all-or-nothing across a kill.
 * Before it lists its history entries and renames anything, a write lists in
 * `<history>/<daemon>/.intent.json` every temporary file it will rename over which target
 * (or which target it will remove) and the history id holding each file's previous bytes.
 * The record goes once every rename is done. A writer killed in between leaves the record;
 * the next command on that daemon (under the files' locks) finishes the renames and lists
 * the entries when every temporary file is still there, and otherwise puts back the
 * previous bytes from history and drops the entries.
 */
import {
  closeSync,
  constants,
  existsSync,
  fsyncSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "./_fs-sync.ts";
import { dirname, join } from "node:path";
import { decodeBytes } from "./_bytes.ts";
import { describeErrno } from "./_errno.ts";
import { type Fingerprint, fingerprintOf } from "./_fingerprint.ts";
import { readBytesIfAny } from "./_fs.ts";
import { KitcfgError } from "./errors.ts";
import { forgetVersion, readVersion, writeVersionEntry } from "./history.ts";
import type { HistoryEntry } from "./history.ts";
import { clearIdleLocks, withLocks } from "./lock.ts";
import { ensureDir, followLinks, removeFile, syncDir, writeFileAtomic } from "./store.ts";
import type { SyncBatch } from "./store.ts";
import type { Target } from "./target.ts";
import { intentPath } from "./_intent-path.ts";

/** One file of a change: its temporary file and target, and where its old bytes are. */
export interface IntentFile {
  /** The real file (symlinks followed). */
  target: string;
  /** The temporary file to rename over it; absent for a removal. */
  temp?: string;
  /**
   * The new bytes' hash, to tell a rename that happened: `printHash` of their fingerprint, or
   * (a record an earlier kitcfg left) `wyhash:` of them whole.
   */
  hash?: string;
  /** sha256 of the new bytes, in a record an earlier kitcfg left. */
  sha256?: string;
  /** The file's history folder; its previous bytes are `<historyDir>/<id>.data`. */
  historyDir: string;
  /** The history entry to write once the change is complete. */
  entry: HistoryEntry;
  secret: boolean;
}

export interface Intent {
  id: string;
  files: IntentFile[];
  /** `--root` of the write: settling it writes only beneath it too. */
  root?: string;
}

export { intentPath } from "./_intent-path.ts";

/**
 * The hash of what a finished rename leaves at the target, from the fingerprint of the bytes
 * written (`writeEncoded`): Bun's 64-bit wyhash, taken a block at a time, which tells the old
 * bytes from the new (no one is forging them: both are this user's own files) at a tenth of
 * sha256's cost over a big file.
 */
export function printHash(print: Fingerprint): string {
  return `${PRINT_HASH}${print.hash.toString(16)}`;
}

/**
 * Write the record, fsynced (now, or with `batch` by the caller), before the first rename.
 * Call it holding the files' locks. Settling never trusts the record alone: it renames only
 * temporary files that hold the bytes it lists (a power loss may keep the record and lose
 * what was fsynced with it in one batch).
 * Written in place, not through a temporary file: a record cut short by a kill does not
 * parse, and is then simply dropped, which is right since no rename had begun.
 * @throws KitcfgError `IO_FAILED` naming `file`, the first file of the change.
 */
export function writeIntent(path: string, intent: Intent, file: string, batch?: SyncBatch): void {
  let fd: number | undefined;
  try {
    ensureDir(dirname(path), 0o700, intent.root);
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o600);
    writeSync(fd, `${JSON.stringify(intent)}\n`);
    if (batch) {
      batch.add(fd, true);
      batch.addDir(dirname(path));
      fd = undefined;
      return;
    }
    fsyncSync(fd);
  } catch (error) {
    removeQuietly(path);
    const detail =
      error instanceof KitcfgError ? error.message : describeErrno((error as NodeJS.ErrnoException).code, error);
    throw new KitcfgError("IO_FAILED", `Cannot write ${file}: cannot record the change in ${path} (${detail})`, {
      file,
      cause: error,
      hint: "Free some space or fix the permissions of kitcfg's state folder; nothing was changed",
    });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  syncDir(dirname(path));
}

/**
 * Remove the record once the change is complete (or undone). Not fsynced: a record that
 * comes back after a power loss finds every file done and is settled forward again.
 */
export function clearIntent(path: string): void {
  removeQuietly(path);
}

/**
 * Finish or undo a change a killed writer left half-made, taking the locks of its files.
 * Nothing happens (and no lock is taken) when the target has no intent record.
 * @throws KitcfgError `LOCKED` when another writer holds the files past `timeoutMs`.
 */
export async function settlePending(target: Target, timeoutMs?: number): Promise<void> {
  const path = intentPath(target);
  const intent = readIntent(path); // undefined when there is none: the common case, read without node:fs
  if (!intent) return;
  await withLocks({ files: intent.files.map((f) => f.target), timeoutMs }, async () => settleLocked(path, target));
}

/**
 * `settlePending` for a reader: settle only when the files' locks are free right now. A
 * held lock means a live writer is in the middle of its renames (it removes the record
 * itself) or another command is settling; a reader does not queue behind them, and a
 * writer settles again under its own locks before it writes.
 */
export async function settleIfIdle(target: Target): Promise<void> {
  try {
    await settlePending(target, 0);
  } catch (error) {
    if (!(error instanceof KitcfgError && error.code === "LOCKED")) throw error;
  }
}

/**
 * The same, for a caller already holding the locks of the target's files: read the record
 * again (its writer may have finished meanwhile) and roll it forward or back.
 */
export function settleLocked(path: string, target: Target): "none" | "forward" | "back" {
  const root = target.ctx.root;
  if (!existsSync(path)) return "none";
  const intent = readIntent(path);
  if (!intent) {
    clearIntent(path);
    return "none";
  }
  const pending = intent.files.filter((f) => !isDone(f));
  // Forward only when every temporary file still holds the new bytes: one missing (removed
  // by hand) or cut short (lost to a power loss before its fsync) means the change is undone.
  const forward = pending.every((f) => f.temp === undefined || holdsNew(f, f.temp));
  if (forward) {
    for (const f of pending) {
      keepPrevious(f, intent.id, root);
      finish(f, root);
    }
    for (const f of intent.files) writeVersionEntry(f.historyDir, f.entry, f.secret, root);
  } else {
    for (const f of intent.files) undo(f, intent.id, root, pending.includes(f));
  }
  clearIntent(path);
  // The killed writer's lock files of files no later writer may lock (nothing left to change).
  clearIdleLocks(target.files.map((f) => realPathOrNothing(f.path, root)).filter((p) => p !== undefined));
  return forward ? "forward" : "back";
}

// --- internal ---

/** Bun's own hasher: node:crypto alone takes tens of milliseconds to load in the binary. */
function sha256(bytes: Uint8Array): string {
  return new Bun.CryptoHasher("sha256").update(bytes).digest("hex");
}

/** `printHash`'s prefix. */
const PRINT_HASH = "wyhash-mib:";

/** The hash of the new bytes whole, as an earlier kitcfg wrote it in a record. */
function hashBytes(bytes: Uint8Array): string {
  return `wyhash:${Bun.hash.wyhash(bytes).toString(16)}`;
}

function readIntent(path: string): Intent | undefined {
  try {
    const bytes = readBytesIfAny(path);
    if (bytes === undefined) return undefined;
    const intent = JSON.parse(new TextDecoder().decode(bytes)) as Intent;
    return intent && typeof intent.id === "string" && Array.isArray(intent.files) ? intent : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the target already holds what the change meant to put there. */
function isDone(f: IntentFile): boolean {
  if (f.temp === undefined) return readBytesIfAny(f.target) === undefined;
  return holdsNew(f, f.target);
}

/** Whether the file at `path` holds the new bytes of `f` (by the hash the record gives). */
function holdsNew(f: IntentFile, path: string): boolean {
  const bytes = readBytesIfAny(path);
  if (bytes === undefined) return false;
  if (f.hash?.startsWith(PRINT_HASH)) return printHash(fingerprintOf(bytes)) === f.hash;
  return f.hash !== undefined ? hashBytes(bytes) === f.hash : sha256(bytes) === f.sha256;
}

function finish(f: IntentFile, root: string | undefined): void {
  if (f.temp === undefined) {
    removeFile(f.target, root);
    return;
  }
  renameSync(f.temp, f.target);
  syncDir(dirname(f.target));
}

/**
 * Before a file not yet renamed is finished: its kept previous content, fsynced before the
 * first rename but perhaps not before a power loss that came earlier, is the file itself
 * (no rename has touched it), so it is written again from it where it differs.
 */
function keepPrevious(f: IntentFile, id: string, root: string | undefined): void {
  if (f.entry.absent) return;
  const current = readBytesIfAny(f.target);
  if (current === undefined) return;
  const kept = readBytesIfAny(join(f.historyDir, `${id}.data`));
  if (kept && Buffer.compare(kept, current) === 0) return;
  const mode = f.secret ? 0o600 : 0o644;
  writeFileAtomic(join(f.historyDir, `${id}.data`), decodeBytes(current), { mode, secret: true, root });
}

/**
 * Put the previous bytes back (or remove a file that did not exist), and drop the temporary
 * file. A file still `pending` was never renamed: it holds its previous bytes already.
 */
function undo(f: IntentFile, id: string, root: string | undefined, pending: boolean): void {
  if (f.temp !== undefined) removeQuietly(f.temp);
  if (pending) {
    // Nothing to put back.
  } else if (f.entry.absent) removeFile(f.target, root);
  else {
    const before = previousVersion(f, id);
    if (!isSame(f.target, before))
      writeFileAtomic(f.target, before, { mode: f.secret ? 0o600 : 0o644, secret: f.secret, root });
  }
  forgetVersion(f.historyDir, id);
}

/** @throws KitcfgError `IO_FAILED` when the kept version is gone (removed by hand). */
function previousVersion(f: IntentFile, id: string): string {
  try {
    return readVersion(f.historyDir, id);
  } catch (error) {
    throw new KitcfgError(
      "IO_FAILED",
      `Cannot undo an interrupted change of ${f.target}: its previous version ${id} is gone from ${f.historyDir}`,
      {
        file: f.target,
        cause: error,
        hint: "Check the file by hand, then remove the intent record .intent.json in kitcfg's history folder",
      },
    );
  }
}

function realPathOrNothing(path: string, root: string | undefined): string | undefined {
  try {
    return followLinks(path, root);
  } catch {
    return undefined;
  }
}

function isSame(path: string, text: string): boolean {
  const bytes = readBytesIfAny(path);
  return bytes !== undefined && decodeBytes(bytes) === text;
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
