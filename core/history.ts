import {
  closeSync,
  fsyncSync,
  linkSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
} from "./_fs-sync.ts";
import { join } from "node:path";
import { decodeBytes } from "./_bytes.ts";
import { KitcfgError } from "./errors.ts";
import { followLinks, prepareWrite, removeStaleTemps, writeFileAtomic } from "./store.ts";
import { sameIdentity } from "./_file-state.ts";
import type { PendingWrite, SyncBatch } from "./store.ts";
import type { FileIdentity } from "./_file-state.ts";

import { DEFAULT_RETENTION } from "./_defaults.ts";

export { DEFAULT_RETENTION } from "./_defaults.ts";

/** What kind of request made a write (`update`, `configure`, `restore`, ...). */
export type WriteKind = string;

/**
 * One earlier version of a file, as recorded before kitcfg replaced it. Every file one
 * write replaces gets a version with the same id, so a daemon's files are listed together.
 */
export interface HistoryEntry {
  /** Sortable id of the write: UTC time, then the writer's pid. */
  id: string;
  /** ISO time of the write that replaced this version. */
  time: string;
  /** Absolute path of the file. */
  file: string;
  /** The plugin's key for the file (`config`, `token`). */
  fileKey?: string;
  /** The command that replaced it (`kitcfg update acme --set debug=true`), secrets redacted. */
  command: string;
  /** What kind of request the write was. */
  kind?: WriteKind;
  /** Key paths the write changed (names only, never values). */
  keys: string[];
  /** The file did not exist before that write (the version is "absent"). */
  absent?: boolean;
  /**
   * The id of this file's version before this one, when it had one as this was written: a
   * reader that finds it gone knows versions were pruned there, whatever retention it uses.
   */
  previous?: string;
  /**
   * The keys of every file that write replaced, this one included: a reader that finds one of
   * them without a version under this id knows it was pruned, and that the write is kept only in part.
   */
  files?: string[];
  /**
   * The file that write left at the path: its temporary file, fsynced, then renamed there.
   * The next write that finds this very file there keeps it by a link without an fsync of
   * its own (see `keptByLink`); undefined when the write removed the file.
   */
  written?: FileIdentity;
  /**
   * The fingerprint of what that write left (`printHash`): a file whose identity changed with
   * its bytes the same (a `touch`, a crashed write settled by a rename) was not changed by hand.
   */
  writtenPrint?: string;
}

export interface RecordVersionOptions {
  /** This file's history folder. */
  dir: string;
  /** The id of the write, shared by every file it replaces (see `newVersionId`). */
  id?: string;
  file: string;
  fileKey?: string;
  /** The content being replaced; undefined when the file did not exist. */
  text: string | undefined;
  command: string;
  kind?: WriteKind;
  keys: string[];
  /** The keys of every file the write replaces (see `HistoryEntry.files`). */
  files?: string[];
  /** Keep the copy 0600 (the folder is always 0700). */
  secret: boolean;
  /** Versions to keep; older ones are removed. */
  retention?: number;
  /** Prune now (default); a caller that may still take the version back prunes later. */
  prune?: boolean;
  /**
   * Keep only the content now; the entry that lists the version is written later with
   * `writeVersionEntry`, once the write it describes has happened. Until then the version
   * is not listed, so a write that never happened never shows in history.
   */
  deferEntry?: boolean;
  /** `--root`: history is written only beneath it. */
  root?: string;
  /** The caller fsyncs `dir` once for all the files it records there (see `syncDirs`). */
  deferDirSync?: boolean;
  /** `dir` as the caller has just listed it (`openHistoryFolder`); listed here otherwise. */
  folder?: HistoryFolder;
  /** Leave the fsync of a content kept by a link to this batch, flushed by the caller (see `syncBatch`). */
  syncBatch?: SyncBatch;
  /**
   * The real file that holds `text` now, checked under its lock, which a rename is about to
   * replace: the version is kept by a hard link to it rather than a copy where it can be.
   */
  source?: string;
}

/** One listing of a history folder, taken for a write under the file's lock (see `openHistoryFolder`). */
export interface HistoryFolder {
  dir: string;
  /** Ids of the versions that have an entry. */
  ids: string[];
  /** The newest version file's name (entry or content), for `newVersionId`. */
  newest?: string;
}

/**
 * Keep `text` as a version in `dir` before the file is replaced; returns the entry. The
 * content is written first (byte-exact, see `readVersion`) and the entry last, so a crash
 * leaves no listed version without its content. A file that did not exist has no content
 * to keep: its entry alone (`absent`) says so. Call it holding the file's lock.
 * @throws KitcfgError `IO_FAILED` naming `file` (nothing is left behind then).
 */
export function recordVersion(options: RecordVersionOptions): HistoryEntry {
  const folder = options.folder ?? openHistoryFolder(options.dir);
  const id = options.id ?? newVersionId([folder]);
  const previous = folder.ids.reduce<string | undefined>(
    (last, other) => (other < id && (!last || other > last) ? other : last),
    undefined,
  );
  const entry: HistoryEntry = {
    id,
    time: new Date().toISOString(),
    file: options.file,
    ...(options.fileKey ? { fileKey: options.fileKey } : {}),
    command: options.command,
    ...(options.kind ? { kind: options.kind } : {}),
    keys: options.keys,
    ...(options.text === undefined ? { absent: true } : {}),
    ...(previous ? { previous } : {}),
    ...(options.files ? { files: options.files } : {}),
  };
  const mode = options.secret ? 0o600 : 0o644;
  try {
    const deferDirSync = options.deferDirSync;
    if (
      options.text !== undefined &&
      !(
        options.source &&
        keptByLink(options.source, options.dir, id, mode, options.root, options.syncBatch, lastWritten(folder))
      )
    )
      writeFileAtomic(join(options.dir, `${id}.data`), options.text, {
        mode,
        secret: true,
        root: options.root,
        deferDirSync,
        staleTempsRemoved: true,
      });
    if (!options.deferEntry) writeVersionEntry(options.dir, entry, options.secret, options.root, deferDirSync, true);
  } catch (error) {
    forgetVersion(options.dir, id);
    throw historyError(options.file, error);
  }
  if (options.prune !== false)
    pruneHistory(
      options.dir,
      options.retention ?? DEFAULT_RETENTION,
      options.deferEntry ? folder.ids : [...folder.ids, id],
    );
  return entry;
}

/** A failure to write history, naming the file the user asked to write; the history file is the detail. */
export function historyError(file: string, error: unknown): KitcfgError {
  const detail = error instanceof Error ? error.message : String(error);
  return new KitcfgError("IO_FAILED", `Cannot write ${file}: cannot keep its previous version in history (${detail})`, {
    file,
    cause: error,
    hint: error instanceof KitcfgError ? error.hint : undefined,
  });
}

/**
 * List a version whose content is already kept (see `deferEntry`); with `deferDirSync` the
 * caller fsyncs `dir`, with `staleTempsRemoved` it has just cleared the folder (`openHistoryFolder`).
 * @throws KitcfgError `IO_FAILED`
 */
export function writeVersionEntry(
  dir: string,
  entry: HistoryEntry,
  secret = true,
  root?: string,
  deferDirSync = false,
  staleTempsRemoved = false,
): void {
  writeFileAtomic(join(dir, `${entry.id}.json`), entryText(entry), {
    mode: secret ? 0o600 : 0o644,
    secret: true,
    root,
    deferDirSync,
    staleTempsRemoved,
  });
}

/**
 * `writeVersionEntry` in two steps, for a caller with several entries to write at once:
 * the entry is written to a temporary file here, whose fsync `batch` makes; `commit(false)`
 * after the batch's `flush` lists it (the caller fsyncs `dir`). The folder's stale temporary
 * files have just been removed (`openHistoryFolder`).
 * @throws KitcfgError `IO_FAILED`
 */
export function prepareVersionEntry(
  dir: string,
  entry: HistoryEntry,
  options: { secret: boolean; root?: string; syncBatch: SyncBatch },
): PendingWrite {
  return prepareWrite(join(dir, `${entry.id}.json`), entryText(entry), {
    mode: options.secret ? 0o600 : 0o644,
    secret: true,
    root: options.root,
    syncBatch: options.syncBatch,
    staleTempsRemoved: true,
  });
}

/** Remove one recorded version (a write that failed after recording it). */
export function forgetVersion(dir: string, id: string): void {
  for (const ext of [".json", ".data"]) removeQuietly(join(dir, id + ext));
}

/** Every recorded version in `dir`, oldest first. */
export function listVersions(dir: string): HistoryEntry[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const entries: HistoryEntry[] = [];
  for (const name of names.filter((n) => ID_FILE.test(n) && n.endsWith(".json")).sort()) {
    try {
      const entry = JSON.parse(readFileSync(join(dir, name), "utf8")) as HistoryEntry;
      if (entry && typeof entry.id === "string" && `${entry.id}.json` === name) entries.push(entry);
    } catch {
      // a damaged entry: not listed
    }
  }
  return entries;
}

/**
 * The content of one version that is not `absent` (an absent one keeps none), byte-exact: bytes that are not UTF-8
 * come back as `readFileState` gives them, and are written back as the same bytes.
 * @throws Error when the version is gone (pruned meanwhile).
 */
export function readVersion(dir: string, id: string): string {
  return decodeBytes(readFileSync(join(dir, `${id}.data`)));
}

/**
 * Remove all but the newest `keep` versions, found by their names alone (ids sort in the
 * order they were written). Once a history is full every write prunes it, so reading each
 * entry to find the oldest would make every write cost more the more history is kept. An
 * entry that does not parse (never listed) is removed in its turn, like any other. `ids`
 * are the entries' ids when the caller knows them (`openHistoryFolder`, plus the one it wrote).
 */
export function pruneHistory(dir: string, keep: number, ids?: string[]): void {
  // Only kitcfg's own ids count: a foreign `notes.json` neither takes a version's place nor goes.
  const sorted = (ids ?? entryNames(dir).map((name) => name.slice(0, -".json".length)))
    .filter((id) => ID_FILE.test(`${id}.json`))
    .sort();
  for (const id of sorted.slice(0, Math.max(0, sorted.length - keep))) forgetVersion(dir, id);
}

/**
 * List a history folder once for a write, and clear what killed writers left there: content
 * whose entry was never written (killed between the two) and temporary files no live writer
 * holds. Call it holding the file's lock: only this write changes the folder then, so the
 * listing also serves `newVersionId`, and `pruneHistory` once the write is done.
 */
export function openHistoryFolder(dir: string): HistoryFolder {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return { dir, ids: [] };
  }
  removeStaleTemps(dir, names);
  const ids: string[] = [];
  const contents: string[] = [];
  let newest: string | undefined;
  // No pattern per name: a version's name starts with its id, and ids sort as strings in time order.
  for (const name of names) {
    if (name.startsWith(".")) continue;
    if (name.endsWith(".json")) ids.push(name.slice(0, -5));
    else if (name.endsWith(".data")) contents.push(name.slice(0, -5));
    else continue;
    if (newest === undefined || name > newest) newest = name;
  }
  const listed = new Set(ids);
  for (const id of contents) {
    if (!listed.has(id) && ID_FILE.test(`${id}.data`)) removeQuietly(join(dir, `${id}.data`));
  }
  // A name kitcfg did not make may sort after the ids: then each name is looked at (never the case in practice).
  if (newest !== undefined && !ID_FILE.test(newest))
    newest = names
      .filter((n) => ID_FILE.test(n))
      .sort()
      .at(-1);
  return { dir, ids, ...(newest === undefined ? {} : { newest }) };
}

/**
 * A new write id, later than every version already in `dirs`, so that versions sort in
 * the order they were written even when the clock steps back.
 */
export function newVersionId(folders: HistoryFolder[]): string {
  let time = Date.now();
  for (const folder of folders) {
    // By the names alone: later than every version file there, listed or not.
    const lastTime = folder.newest === undefined ? undefined : timeOfId(folder.newest);
    if (lastTime !== undefined && lastTime >= time) time = lastTime + 1;
  }
  // Two writes of this process in one millisecond still get distinct ids.
  if (time <= lastIssued) time = lastIssued + 1;
  lastIssued = time;
  return `${new Date(time).toISOString().replace(/[-:]/g, "").replace(".", "")}-${process.pid}`;
}

// --- internal ---

/**
 * Keep the version of `source` being replaced as a hard link to it instead of a copy: the
 * rename that follows gives the file a new inode, and the old one stays in history alone,
 * with no bytes written or fsynced again (a big file's copy cost as much as the rest of
 * the write). Only for a regular file of this user whose mode is the copy's own, on the
 * same file system. Its bytes are fsynced first, as the writer before may not have; unless
 * it is still the very file kitcfg's last write left there (`written`, the identity its
 * history entry records), whose bytes that write fsynced: each fsync costs a flush of the
 * disk's cache, however little it has to write. False when it cannot be done: the caller copies.
 */
function keptByLink(
  source: string,
  dir: string,
  id: string,
  mode: number,
  root: string | undefined,
  batch: SyncBatch | undefined,
  written: FileIdentity | undefined,
): boolean {
  let fd: number | undefined;
  try {
    const stat = statSync(source);
    if (!stat.isFile() || (stat.mode & 0o7777) !== mode || stat.uid !== process.getuid?.()) return false;
    if (sameIdentity(stat, written)) {
      linkSync(source, followLinks(join(dir, `${id}.data`), root));
      return true;
    }
    fd = openSync(source, "r");
    if (!batch) fsyncSync(fd);
    linkSync(source, followLinks(join(dir, `${id}.data`), root));
    // Made with the other fsyncs of the write, before any rename relies on it.
    if (batch) batch.add(fd, true);
    else closeSync(fd);
    fd = undefined;
    return true;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The file the newest listed version's write left at the path (`HistoryEntry.written`), or
 * undefined when there is none, or its entry does not say (written by an earlier kitcfg).
 */
function lastWritten(folder: HistoryFolder): FileIdentity | undefined {
  let newest: string | undefined;
  for (const id of folder.ids) if (newest === undefined || id > newest) newest = id;
  if (newest === undefined) return undefined;
  try {
    const written = (JSON.parse(readFileSync(join(folder.dir, `${newest}.json`), "utf8")) as HistoryEntry).written;
    return written && typeof written === "object" ? written : undefined;
  } catch {
    return undefined;
  }
}

function entryText(entry: HistoryEntry): string {
  return `${JSON.stringify(entry, null, 2)}\n`;
}

/** `20250101T120000123Z-1234.json`: what `newVersionId` makes (older ids carry a counter). */
const ID_FILE = /^\d{8}T\d{9}Z-\d+(?:-\d+)?\.(?:json|data)$/;

let lastIssued = 0;

function timeOfId(id: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z/.exec(id);
  if (!m) return undefined;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!);
}

/** The names of the entries (`.json`) in `dir`. */
function entryNames(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => ID_FILE.test(n) && n.endsWith(".json"));
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // pruned by another writer, or never written
  }
}
