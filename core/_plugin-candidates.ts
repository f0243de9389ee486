/**
 * Which user plugin files a command about one daemon must evaluate: those that could claim
 * its name (`filesThatMayClaim`), read from their text without running them. With a cache
 * folder, what each file's text says (which built-in daemon names it quotes, and no other of
 * its texts) is kept there, a file per plugin folder, under the file's stamp (`FileStamp`:
 * inode, size, change time to the nanosecond), with the folder's list of plugin files under
 * the folder's: a later command stats the files and reads only those that changed, where it
 * read them all (200 plugin files: 2.1 ms more than none, 0.7 ms with the cache, on an 8 ms
 * `get`). Only what was at rest for two seconds is kept (a change within the clock tick of
 * the state read would keep its stamp), as git's index does. The cache is advice: one that
 * does not read as one is ignored, and at worst it makes a file evaluated or not; every file
 * that is evaluated is checked as ever (`_plugin-trust.ts`).
 */
import { join } from "node:path";
import { folderNames, readBytesIfAny, readFilesTogether } from "./_fs.ts";
import type { FileStamp, LinuxFiles } from "./_libc.ts";
import { FILE_STAMP_LENGTH, libc, stampChangedMs } from "./_libc.ts";

/** Where the cache is, what it keeps, and the time taken as now (tests move it on). */
export interface NameCacheOptions {
  /** kitcfg's cache folder: a file in it for each plugin folder. */
  dir: string;
  /**
   * The names a file's quoted names are kept for (the built-in plugins' names and aliases): a
   * file's other quoted texts are none of kitcfg's business to keep (one may be a token).
   */
  keeps: readonly string[];
  /** Milliseconds since the epoch; default `Date.now()`. */
  now?: number;
  /** `--root`: the cache is written only where its folder resolves beneath it, as every write (store.ts). */
  root?: string;
}

/** The plugin files (`.ts`, `.js`, `.mjs`) in `dirs`, each folder's in name order. */
export function listPluginFiles(dirs: readonly string[]): string[] {
  return dirs.flatMap((dir) => (pluginFileNames(dir) ?? []).map((entry) => join(dir, entry)));
}

/**
 * The user plugin files in `dirs` that could claim one of `names`: a file that names one in
 * quotes, or whose names cannot be read from its text (at least one `name:`, and every
 * `name:` and `aliases:` followed by a literal, with no other way of naming; cautious: a
 * schema key called `name` makes a file unreadable here), or that cannot be read (importing
 * it says why). Only a file whose every name is a literal that is none of them is left out.
 */
export async function filesThatMayClaim(
  dirs: readonly string[],
  names: readonly string[],
  asked?: NameCacheOptions,
): Promise<string[]> {
  if (dirs.length === 0) return [];
  // Where files cannot be stamped (no statx through libc), there is nothing to keep.
  const files = asked ? libc()?.files : undefined;
  // A cache keeps only the quoted names it was made for: one asked about another is not used.
  const keeps = asked && names.every((name) => asked.keeps.includes(name)) ? asked.keeps : undefined;
  const cache =
    files && asked && keeps
      ? { ...asked, files, now: asked.now ?? Date.now(), kept: new Set(keeps), names: [...keeps].sort().join(" ") }
      : undefined;
  // A field of a claims text (`ClaimsText`) that is one of the names, or any name.
  const field = names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
  const wanted = new RegExp(`(?:^|[/ ])(?:\\*|${field})(?=[ /]|$)`, "g");
  const found: string[] = [];
  for (const dir of dirs) found.push(...(await folderCandidates(dir, wanted, cache)));
  return found;
}

// --- internal ---

/**
 * What the plugin files of one folder say of the names they may take, one field per file in
 * name order, separated by `/` (which no file name and no plugin name holds): `*` for any
 * name, else the names written in quotes in it (every quoted lowercase name, wherever it
 * is, that is one the cache keeps: `NameCacheOptions.keeps`) separated by spaces; in the
 * cache, `?` for a file whose state is not kept.
 */
type ClaimsText = string;

/** What is kept of one plugin folder, in a file of its own. */
interface KeptFolder {
  /** The folder (a file name is a hash of it: the name of another may be the same). */
  dir: string;
  /** Its stamp, when its list of files was at rest: then `entries` lists them. */
  stamp: FileStamp | null;
  /** Its plugin files, in name order, separated by `/`. */
  entries: string;
  /** Each file's stamp, `FILE_STAMP_LENGTH` characters each, spaces for one not kept (not at rest, unreadable). */
  stamps: string;
  claims: ClaimsText;
}

/** `filesThatMayClaim`'s cache, for one run. */
interface Cache extends NameCacheOptions {
  now: number;
  files: LinuxFiles;
  /** `keeps`, to look up, and as the cache file records them. */
  kept: ReadonlySet<string>;
  names: string;
}

/** The files of `dir` whose claims text has a field `wanted` matches; the cache read and brought up to date. */
async function folderCandidates(dir: string, wanted: RegExp, asked: Cache | undefined): Promise<string[]> {
  // (A path with a NUL names no file: the system calls would take the part before it.)
  const cache = dir.includes("\0") ? undefined : asked;
  const cacheFile = cache ? `${cache.dir}/plugin-names-${Bun.hash(dir).toString(36)}.json` : undefined;
  const old = cacheFile ? readCache(cacheFile, dir, cache!.names) : undefined;
  const stamp = cache?.files.stamp(dir);
  const listed = old !== undefined && stamp !== undefined && old.kept.stamp === stamp;
  const entries = listed ? old.entries : (pluginFileNames(dir) ?? []);
  // Listed as kept: each file's state is at the same place. Listed anew: found by name.
  const at = listed || old === undefined ? undefined : new Map(old.entries.map((entry, i) => [entry, i]));
  const prefix = dir.endsWith("/") ? dir : `${dir}/`;
  // Stamped before reading: a change made between the two leaves a stamp that no longer matches.
  const stamps = cache ? cache.files.stamps(dir, entries) : [];
  const changed: number[] = [];
  for (let i = 0; i < entries.length; i++) {
    const current = stamps[i];
    const was = listed ? i : at?.get(entries[i]!);
    const same =
      current !== undefined && was !== undefined && old!.kept.stamps.startsWith(current, was * FILE_STAMP_LENGTH);
    if (!same) changed.push(i);
  }
  let text = old?.kept.claims ?? "";
  if (!listed || changed.length > 0) {
    const read = claimsOf(
      changed.map((i) => prefix + entries[i]!),
      cache?.kept,
    );
    const fields = entries.map((entry, i) => (at ? old!.claims[at.get(entry) ?? -1] : old?.claims[i]));
    changed.forEach((i, k) => {
      fields[i] = read[k];
    });
    // Unreadable: a candidate (importing it says why), and read again next time.
    text = fields.map((claims) => claims ?? "*").join("/");
    if (cache && cacheFile) {
      const atRest = (stamp: FileStamp | undefined): stamp is FileStamp =>
        stamp !== undefined && stampChangedMs(stamp) < cache.now - AT_REST_MS;
      // A stamp found in the cache was at rest when kept, and is kept again as it is.
      const keep = fields.map((claims, i) => claims !== undefined && (!changed.includes(i) || atRest(stamps[i])));
      const kept: KeptFolder = {
        dir,
        stamp: stamp !== undefined && (listed || atRest(stamp)) ? stamp : null,
        entries: entries.join("/"),
        stamps: stamps.map((s, i) => (keep[i] ? s! : " ".repeat(FILE_STAMP_LENGTH))).join(""),
        claims: fields.map((claims, i) => (keep[i] ? claims : "?")).join("/"),
      };
      const json = JSON.stringify({ version: CACHE_VERSION, names: cache.names, ...kept });
      // Nothing to keep (a plugin folder that is not there): no cache is made for it.
      const worth = old !== undefined || kept.stamp !== null || keep.includes(true);
      if (worth && json !== old?.json) await writeCache(cacheFile, json, cache.root);
    }
  }
  // The files whose field matches: the index of a field is the count of separators before it.
  const candidates: string[] = [];
  let file = 0;
  let from = 0;
  for (const match of text.matchAll(wanted)) {
    const start = match.index + (match[0].startsWith("/") || match[0].startsWith(" ") ? 1 : 0);
    for (let slash = text.indexOf("/", from); slash !== -1 && slash < start; slash = text.indexOf("/", from)) {
      file++;
      from = slash + 1;
    }
    const path = prefix + entries[file]!;
    if (candidates.at(-1) !== path) candidates.push(path);
  }
  return candidates;
}

/** Bumped whenever what `claimsOf` finds, or the shape, changes: an older cache is then ignored. */
const CACHE_VERSION = 1;
/** How long a file must have been left alone for its stamp to be kept: coarser than any file system's clock. */
const AT_REST_MS = 2000;

/** A `name` or `aliases` key written as a property (`name:`, `"aliases":`). */
const NAME_KEY = /(?<![\w$.])(["'`]?)(name|aliases)\1\s*:/g;
/** A name written as a literal, ending its property. */
const LITERAL_NAME = /\s*(["'`])[a-z][a-z0-9_-]*\1\s*[,}]/y;
/** A list of literals (no escapes, no `${`), ending its property. */
const LITERAL_LIST = /\s*\[\s*(?:(["'`])[^"'`\\$\n]*\1\s*(?:,\s*)?)*\]\s*[,}]/y;
/** Every name in quotes (as plugin names and aliases are spelt), overlapping ones too: `"a"b"` holds both. */
const QUOTED_NAME = /(?=(["'`])([a-z][a-z0-9_-]*)\1)/g;
/** Other ways a file may give a plugin its names than `name: "literal"`. */
const OTHER_NAMING = new RegExp(
  [
    /[{,]\s*(?:name|aliases)\s*[,}]/, // shorthand: { name, summary }
    /\.(?:name|aliases)\s*(?:=[^=]|[.[])/, // assignment: p.name = n, p.aliases.push(n)
    /[{,]\s*\[[^\]\n]*\]\s*:/, // a computed key: { [key]: n }
    /\bObject\.assign\b|\bdefineProperty|\bReflect\./,
    /\bfrom\s*["'`](?!kitcfg["'`])|\bimport\s*[("'`]|\brequire\s*\(/, // the plugin object may come from there
  ]
    .map((part) => part.source)
    .join("|"),
  "g",
);
/** What `claimsOf` puts between two files. */
const FILE_SEPARATOR = Uint8Array.of(0x0a, 0x00);

/** The plugin file names in `dir`, sorted; undefined when it is no folder (a plugin folder may well not exist). */
function pluginFileNames(dir: string): string[] | undefined {
  return folderNames(dir)?.filter(isPluginFileName).sort();
}

/** A plugin file: `.ts`, `.js` or `.mjs`, but not a declaration, a test beside it, or a hidden file. */
function isPluginFileName(entry: string): boolean {
  return /\.(ts|js|mjs)$/.test(entry) && !/\.d\.ts$|\.(test|spec)\.[mc]?[jt]s$/.test(entry) && !entry.startsWith(".");
}

/**
 * What each file's text says, as its field of a `ClaimsText` (of its quoted names, those in `keeps`
 * when given); undefined for a file that cannot be read. The files
 * are read together and searched as one text: a folder of many plugins costs a few native
 * searches rather than a round of calls per file. They are separated by a line break and a
 * NUL, which no pattern here reads past, so no match runs from one into the next.
 */
function claimsOf(files: string[], keeps?: ReadonlySet<string>): (string | undefined)[] {
  if (files.length === 0) return [];
  const { bytes, spans } = readFilesTogether(files, FILE_SEPARATOR);
  // Names are ASCII: latin1 reads one character per byte, and never fails.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  // A file that could not be read starts where the next one does: no match is ever in it.
  let next = 0;
  const starts = spans.map((span) => {
    if (span === undefined) return next;
    next = span.end + FILE_SEPARATOR.length;
    return span.start;
  });
  const any = spans.map(() => false);
  const named = spans.map(() => 0);
  const quoted = spans.map(() => new Set<string>());
  const at = (index: number) => fileAt(starts, index);
  for (const match of text.matchAll(QUOTED_NAME))
    if (!keeps || keeps.has(match[2]!)) quoted[at(match.index)]!.add(match[2]!);
  for (const match of text.matchAll(OTHER_NAMING)) any[at(match.index)] = true;
  for (const match of text.matchAll(NAME_KEY)) {
    const file = at(match.index);
    const literal = match[2] === "name" ? LITERAL_NAME : LITERAL_LIST;
    literal.lastIndex = match.index + match[0].length;
    if (!literal.test(text)) any[file] = true;
    else if (match[2] === "name") named[file]!++;
  }
  return spans.map((span, i) =>
    span === undefined ? undefined : any[i] || named[i] === 0 ? "*" : [...quoted[i]!].sort().join(" "),
  );
}

/** The index of the file whose text holds `index` of the joined text: the last that starts at or before it. */
function fileAt(starts: readonly number[], index: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= index) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * What the cache at `file` keeps of `dir`, its text, and its lists split, if it reads as one.
 * Whose it is is not asked: what it says decides only which of the plugin files found are
 * evaluated.
 */
function readCache(
  file: string,
  dir: string,
  names: string,
): { kept: KeptFolder; json: string; entries: string[]; claims: string[] } | undefined {
  try {
    const bytes = readBytesIfAny(file);
    if (bytes === undefined) return undefined;
    const json = new TextDecoder().decode(bytes);
    const { version, names: keptFor, ...kept } = JSON.parse(json) as KeptFolder & { version: unknown; names: unknown };
    if (version !== CACHE_VERSION || keptFor !== names || kept.dir !== dir) return undefined;
    if (kept.stamp !== null && typeof kept.stamp !== "string") return undefined;
    if (typeof kept.entries !== "string" || typeof kept.stamps !== "string" || typeof kept.claims !== "string")
      return undefined;
    const entries = kept.entries === "" ? [] : kept.entries.split("/");
    const claims = kept.claims === "" && entries.length === 0 ? [] : kept.claims.split("/");
    if (claims.length !== entries.length || kept.stamps.length !== entries.length * FILE_STAMP_LENGTH) return undefined;
    return { kept, json, entries, claims };
  } catch {
    return undefined;
  }
}

/**
 * Write the cache whole, through a file of its own renamed over it (`writeCacheFile`: one a
 * killed writer left is removed by the next); a cache that cannot be written is no error.
 * The write path's modules load only then: most runs write nothing.
 */
async function writeCache(file: string, text: string, root: string | undefined): Promise<void> {
  try {
    (await import("./store.ts")).writeCacheFile(file, text, root);
  } catch {
    // Read every file again next time.
  }
}
