import { historyDir } from "./apply.ts";
import { unifiedDiff } from "./diff.ts";
import { KitcfgError, ParseError } from "./errors.ts";
import { loadFileFormat } from "./formats/index.ts";
import { listVersions, readVersion } from "./history.ts";
import type { HistoryEntry } from "./history.ts";
import type { Kit } from "./kit.ts";
import type { Config } from "./plugin.ts";
import type { Format } from "./formats/types.ts";
import { redactedTextDiff } from "./_redacted-diff.ts";
import { REDACTED, REDACTED_CHANGED } from "./redact.ts";
import { composeConfig } from "./snapshot.ts";
import { identityOf, readFileState, sameIdentity } from "./_file-state.ts";
import type { FileIdentity } from "./_file-state.ts";
import { statSync } from "./_fs-sync.ts";
import { readBytesIfAny } from "./_fs.ts";
import { fingerprintOf } from "./_fingerprint.ts";
import { printHash } from "./_intent.ts";
import { callPlugin, commandWords } from "./target.ts";
import type { Target, TargetFile } from "./target.ts";

/** One write as the history of a daemon lists it: every file it replaced, under one id. */
export interface VersionInfo {
  /** Pass this to `diff --from`/`--to` and `restore`; a unique prefix is enough. */
  id: string;
  /** When the write that replaced this version happened (ISO time). */
  time: string;
  /** The command of that write, secrets redacted. */
  command: string;
  kind?: string;
  /** Key paths that write changed (names only). */
  keys: string[];
  /**
   * The files that write replaced; `absent` when one did not exist before it, `pruned` when its
   * version from before that write is no longer in history (the write is kept only in part).
   */
  files: { key: string; path: string; absent: boolean; pruned?: boolean }[];
}

/** What every file of a daemon held at one version; `unknown` lists files whose history was pruned. */
export interface VersionState {
  texts: Map<string, string | undefined>;
  unknown: string[];
}

/** A state's texts parsed into a logical config; files that do not parse are listed apart. */
export interface ParsedState {
  config: Config;
  configured: boolean;
  broken: Map<string, ParseError>;
}

/**
 * Every version of a target's files, grouped by write id, oldest first. A file that write
 * replaced whose version there was pruned is listed `pruned`: the entries of the write name
 * every file it replaced, and a file's oldest version kept names the one before it.
 */
export function collectVersions(kit: Kit, target: Target): VersionInfo[] {
  const byId = new Map<string, VersionInfo>();
  const replaced = new Map<string, Set<string>>();
  const oldest = new Map<string, HistoryEntry | undefined>();
  for (const file of target.files) {
    const entries = listVersions(historyDir(kit.stateDir, target, file));
    oldest.set(file.key, entries[0]);
    for (const entry of entries) {
      const info = byId.get(entry.id) ?? {
        id: entry.id,
        time: entry.time,
        command: entry.command,
        kind: entry.kind,
        keys: [],
        files: [],
      };
      info.keys = [...new Set([...info.keys, ...entry.keys])];
      info.files.push({ key: file.key, path: entry.file, absent: entry.absent === true });
      byId.set(entry.id, info);
      replaced.set(entry.id, new Set([...(replaced.get(entry.id) ?? []), ...(entry.files ?? [])]));
    }
  }
  for (const info of byId.values()) {
    // A derived file is computed again from the others by a restore: its own version is not needed.
    for (const file of target.files.filter((f) => !f.spec.derive)) {
      const gone = replaced.get(info.id)?.has(file.key) || oldest.get(file.key)?.previous === info.id;
      if (gone && !info.files.some((f) => f.key === file.key))
        info.files.push({ key: file.key, path: file.path, absent: false, pruned: true });
    }
    info.files.sort((a, b) => indexOf(target, a.key) - indexOf(target, b.key));
  }
  return [...byId.values()].sort((a, b) => compareIds(a.id, b.id));
}

/**
 * The version a user means: an exact id or a unique prefix of one.
 * @throws KitcfgError `NOT_FOUND` when none matches, `USAGE` when several do.
 */
export function findVersion(target: Target, versions: VersionInfo[], given: string): VersionInfo {
  const exact = versions.find((v) => v.id === given);
  if (exact) return exact;
  const matches = given === "" ? [] : versions.filter((v) => v.id.startsWith(given));
  const shown = JSON.stringify(given.replaceAll("\0", "\\0"));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1)
    throw new KitcfgError(
      "USAGE",
      `Version ${shown} of ${target.label} is ambiguous: it starts ${matches.length} ids; give more of it`,
    );
  throw new KitcfgError("NOT_FOUND", `No version ${shown} in the history of ${target.label}`, {
    hint: `See \`kitcfg history ${commandWords(target.plugin.name, target.instance)}\` for the ids`,
  });
}

/**
 * What every file held just before write `id`: the content kept by the first write at or
 * after it that replaced the file, or the file as it is now when no later write touched it.
 * A file whose versions that old were pruned is `unknown` and taken as it is now: its oldest
 * version kept is what a later write replaced, not what it held then, and a diff, a restore
 * and the check before a restore must all see the one text the restore would leave.
 */
export function stateBefore(kit: Kit, target: Target, id: string): VersionState {
  const texts = new Map<string, string | undefined>();
  const unknown: string[] = [];
  for (const file of target.files) {
    const dir = historyDir(kit.stateDir, target, file);
    const versions = listVersions(dir);
    const next = versions.find((v) => compareIds(v.id, id) >= 0);
    // Pruned versions of this file may lie between `id` and the oldest one kept: its entry names the
    // version before it (an entry written before it did so: a history as full as retention says).
    const pruned =
      next !== undefined &&
      next.id !== id &&
      next === versions[0] &&
      (next.previous !== undefined ? compareIds(next.previous, id) >= 0 : versions.length >= kit.retention);
    if (pruned) unknown.push(file.key);
    if (!next || pruned) texts.set(file.key, readFileState(file.path).text);
    else texts.set(file.key, next.absent ? undefined : readVersion(dir, next.id));
  }
  return { texts, unknown };
}

/** The files of a target as they are on disk now. */
export function currentState(target: Target): VersionState {
  return { texts: new Map(target.files.map((f) => [f.key, readFileState(f.path).text])), unknown: [] };
}

/** Parse every source file of a state and compose the logical config it forms. */
export async function parseState(target: Target, state: VersionState): Promise<ParsedState> {
  const parts = new Map<string, unknown>();
  const broken = new Map<string, ParseError>();
  for (const file of target.files) {
    const text = state.texts.get(file.key);
    if (file.spec.derive || text === undefined) continue;
    try {
      const raw = (await loadFileFormat(file.spec)).parse(text);
      parts.set(
        file.key,
        file.spec.decode
          ? callPlugin(target.loaded, `files.${file.key}.decode`, () => file.spec.decode!(raw, target.ctx))
          : raw,
      );
    } catch (error) {
      broken.set(file.key, error instanceof ParseError ? error : new ParseError(String(error), { cause: error }));
    }
  }
  const main = target.files.find((f) => f.main);
  const configured = main
    ? state.texts.get(main.key) !== undefined
    : [...state.texts.values()].some((t) => t !== undefined);
  return { config: composeConfig(target, parts), configured, broken };
}

/**
 * A unified diff of one file between two texts, secrets redacted: a whole-file secret (a
 * token) as one line, a secret file that does not parse as one line per side, other files
 * with every known secret value replaced wherever a string value holds it, however spelled
 * (`<redacted:changed>` where the value is new).
 */
export function redactedFileDiff(
  file: TargetFile,
  format: Format,
  before: string | undefined,
  after: string | undefined,
  secrets: readonly string[],
  opaque: boolean,
  secretKeys?: readonly string[],
): string {
  if (before === after) return "";
  if (file.secret && (opaque || (file.mount.length > 0 && file.spec.format === "text"))) {
    const show = (text: string | undefined, label: string) => (text === undefined ? undefined : `${label}\n`);
    return unifiedDiff({ before: show(before, REDACTED), after: show(after, REDACTED_CHANGED), name: file.path });
  }
  return redactedTextDiff({ name: file.path, format, before, after, secrets, secretKeys });
}

/** A file that is no longer what kitcfg's last write to it left there (see `findHandChanges`). */
export interface HandChange {
  key: string;
  path: string;
  /** Written over or touched, removed, or there again after kitcfg's last write removed it. */
  change: "changed" | "removed" | "created";
  /** The id of kitcfg's last write to the file. */
  write: string;
}

/**
 * The files changed by someone else since kitcfg last wrote them, by one stat each: the newest
 * entry of a file's history records the identity (inode, size, modification time) of the file
 * its write left, which any later write changes, in place or by a rename. A file whose newest
 * entry is from a kitcfg that did not record it is not listed.
 */
export function findHandChanges(kit: Kit, target: Target): HandChange[] {
  const changes: HandChange[] = [];
  for (const file of target.files) {
    const last = listVersions(historyDir(kit.stateDir, target, file)).at(-1);
    // An entry naming its write's files also records what that write left (nothing: it removed the file).
    if (!last || (last.written === undefined && last.files === undefined)) continue;
    let stat: FileIdentity | undefined;
    try {
      stat = statSync(file.path, { throwIfNoEntry: false });
    } catch {
      continue; // not readable here (a folder without search permission): nothing to say
    }
    const change =
      last.written === undefined
        ? stat && "created"
        : !stat
          ? "removed"
          : sameIdentity(identityOf(stat), last.written) || holdsWritten(file.path, stat.size, last)
            ? undefined
            : "changed";
    if (change) changes.push({ key: file.key, path: file.path, change, write: last.id });
  }
  return changes;
}

/** Order of version ids: by time, then by the writer's pid as a number. */
export function compareIds(a: string, b: string): number {
  const [ta = "", pa = "0"] = a.split("-");
  const [tb = "", pb = "0"] = b.split("-");
  return ta < tb ? -1 : ta > tb ? 1 : Number(pa) - Number(pb);
}

// --- internal ---

/**
 * Whether the file still holds the bytes its last write left, though it is another file or
 * was touched: read only where the size is the one written and the write noted a fingerprint.
 */
function holdsWritten(path: string, size: number, last: HistoryEntry): boolean {
  if (last.writtenPrint === undefined || size !== last.written?.size) return false;
  const bytes = readBytesIfAny(path);
  return bytes !== undefined && printHash(fingerprintOf(bytes)) === last.writtenPrint;
}

function indexOf(target: Target, key: string): number {
  return target.files.findIndex((f) => f.key === key);
}
