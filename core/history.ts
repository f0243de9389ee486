import { readdirSync, readFileSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "./store.ts";

/** How many versions of each file are kept unless configured otherwise. */
export const DEFAULT_RETENTION = 50;

/** One earlier version of a file, as recorded before kitcfg replaced it. */
export interface HistoryEntry {
  /** Sortable id: UTC time, then pid and a counter. */
  id: string;
  /** ISO time of the write that replaced this version. */
  time: string;
  /** Absolute path of the file. */
  file: string;
  /** The command that replaced it (`update huggingface --set offline=...`), secrets redacted. */
  command: string;
  /** Key paths the write changed. */
  keys: string[];
  /** The file did not exist before that write (the version is "absent"). */
  absent?: boolean;
}

export interface RecordVersionOptions {
  /** This file's history folder. */
  dir: string;
  file: string;
  /** The content being replaced; undefined when the file did not exist. */
  text: string | undefined;
  command: string;
  keys: string[];
  /** Keep the copy 0600 in a 0700 folder. */
  secret: boolean;
  /** Versions to keep; older ones are removed. */
  retention?: number;
}

/** Keep `text` as a version in `dir` before the file is replaced; returns the entry. */
export function recordVersion(options: RecordVersionOptions): HistoryEntry {
  const id = newId();
  const entry: HistoryEntry = {
    id,
    time: new Date().toISOString(),
    file: options.file,
    command: options.command,
    keys: options.keys,
    ...(options.text === undefined ? { absent: true } : {}),
  };
  const mode = options.secret ? 0o600 : 0o644;
  writeFileAtomic(join(options.dir, `${id}.data`), options.text ?? "", { mode, secret: true });
  writeFileAtomic(join(options.dir, `${id}.json`), `${JSON.stringify(entry, null, 2)}\n`, { mode, secret: true });
  pruneHistory(options.dir, options.retention ?? DEFAULT_RETENTION);
  return entry;
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
  for (const name of names.filter((n) => n.endsWith(".json")).sort()) {
    try {
      entries.push(JSON.parse(readFileSync(join(dir, name), "utf8")) as HistoryEntry);
    } catch {
      // a version being written right now, or a damaged one: not listed
    }
  }
  return entries;
}

/** The content of one version ("" for an absent one). */
export function readVersion(dir: string, id: string): string {
  return readFileSync(join(dir, `${id}.data`), "utf8");
}

/** Remove all but the newest `keep` versions. */
export function pruneHistory(dir: string, keep: number): void {
  const entries = listVersions(dir);
  for (const entry of entries.slice(0, Math.max(0, entries.length - keep))) {
    for (const ext of [".json", ".data"]) {
      try {
        unlinkSync(join(dir, entry.id + ext));
      } catch {
        // pruned by a concurrent writer
      }
    }
  }
}

// --- internal ---

let counter = 0;

function newId(): string {
  const time = new Date().toISOString().replace(/[-:]/g, "").replace(".", "");
  counter++;
  return `${time}-${process.pid}-${String(counter).padStart(4, "0")}`;
}
