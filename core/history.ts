import { readdirSync, readFileSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { decodeBytes } from "./_bytes.ts";
import { KitcfgError } from "./errors.ts";
import { writeFileAtomic } from "./store.ts";

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
}

/**
 * Keep `text` as a version in `dir` before the file is replaced; returns the entry. The
 * content is written first (byte-exact, see `readVersion`) and the entry last, so a crash
 * leaves no listed version without its content. A file that did not exist has no content
 * to keep: its entry alone (`absent`) says so. Call it holding the file's lock.
 * @throws KitcfgError `IO_FAILED` naming `file` (nothing is left behind then).
 */
export function recordVersion(options: RecordVersionOptions): HistoryEntry {
  const id = options.id ?? newVersionId([options.dir]);
  const entry: HistoryEntry = {
    id,
    time: new Date().toISOString(),
    file: options.file,
    ...(options.fileKey ? { fileKey: options.fileKey } : {}),
    command: options.command,
    ...(options.kind ? { kind: options.kind } : {}),
    keys: options.keys,
    ...(options.text === undefined ? { absent: true } : {}),
  };
  const mode = options.secret ? 0o600 : 0o644;
  removeOrphans(options.dir);
  try {
    const deferDirSync = options.deferDirSync;
    if (options.text !== undefined)
      writeFileAtomic(join(options.dir, `${id}.data`), options.text, {
        mode,
        secret: true,
        root: options.root,
        deferDirSync,
      });
    if (!options.deferEntry) writeVersionEntry(options.dir, entry, options.secret, options.root, deferDirSync);
  } catch (error) {
    forgetVersion(options.dir, id);
    throw historyError(options.file, error);
  }
  if (options.prune !== false) pruneHistory(options.dir, options.retention ?? DEFAULT_RETENTION);
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
 * caller fsyncs `dir`.
 * @throws KitcfgError `IO_FAILED`
 */
export function writeVersionEntry(
  dir: string,
  entry: HistoryEntry,
  secret = true,
  root?: string,
  deferDirSync = false,
): void {
  writeFileAtomic(join(dir, `${entry.id}.json`), `${JSON.stringify(entry, null, 2)}\n`, {
    mode: secret ? 0o600 : 0o644,
    secret: true,
    root,
    deferDirSync,
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
 * entry that does not parse (never listed) is removed in its turn, like any other.
 */
export function pruneHistory(dir: string, keep: number): void {
  const names = entryNames(dir).sort();
  for (const name of names.slice(0, Math.max(0, names.length - keep)))
    forgetVersion(dir, name.slice(0, -".json".length));
}

/**
 * A new write id, later than every version already in `dirs`, so that versions sort in
 * the order they were written even when the clock steps back.
 */
export function newVersionId(dirs: string[]): string {
  let time = Date.now();
  for (const dir of dirs) {
    // By the names alone: later than every version file there, listed or not.
    for (const name of entryNames(dir, true)) {
      const lastTime = timeOfId(name);
      if (lastTime !== undefined && lastTime >= time) time = lastTime + 1;
    }
  }
  // Two writes of this process in one millisecond still get distinct ids.
  if (time <= lastIssued) time = lastIssued + 1;
  lastIssued = time;
  return `${new Date(time).toISOString().replace(/[-:]/g, "").replace(".", "")}-${process.pid}`;
}

// --- internal ---

/** `20250101T120000123Z-1234.json`: what `newVersionId` makes (older ids carry a counter). */
const ID_FILE = /^\d{8}T\d{9}Z-\d+(?:-\d+)?\.(?:json|data)$/;

let lastIssued = 0;

function timeOfId(id: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z/.exec(id);
  if (!m) return undefined;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!);
}

/** The names of the entries (`.json`) in `dir`, with `withData` the contents (`.data`) too. */
function entryNames(dir: string, withData = false): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => ID_FILE.test(n) && (withData || n.endsWith(".json")));
}

/** Content whose entry was never written (a writer killed between the two files). */
function removeOrphans(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const listed = new Set(names.filter((n) => n.endsWith(".json")).map((n) => n.slice(0, -5)));
  for (const name of names) {
    if (ID_FILE.test(name) && name.endsWith(".data") && !listed.has(name.slice(0, -5))) removeQuietly(join(dir, name));
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // pruned by another writer, or never written
  }
}
