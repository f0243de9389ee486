import { hasIntent } from "./_intent-path.ts";
import { ParseError } from "./errors.ts";
import { loadFileFormat } from "./formats/index.ts";
import { getPath, isPlainObject, setPath, unsetPath } from "./keypath.ts";
import type { Config } from "./plugin.ts";
import { noteInputSize } from "./_big-input.ts";
import { keepHidden } from "./redact.ts";
import { readFileState } from "./_file-state.ts";
import type { FileState } from "./_file-state.ts";
import { callPlugin, commandWords } from "./target.ts";
import type { Target, TargetFile } from "./target.ts";

/** One file as read from disk. */
export interface FileSnapshot {
  file: TargetFile;
  /** The text, or undefined when the file does not exist. */
  text: string | undefined;
  mode?: number;
  /** The parsed content before decoding (what the format gives). */
  raw?: unknown;
  /** Why the text did not parse, with file, line and column. */
  error?: ParseError;
}

/** A target's files as read at one moment, and the logical config they form. */
export interface Snapshot {
  target: Target;
  files: FileSnapshot[];
  /** Every source file mounted at its prefix; files that are missing or broken add nothing. */
  config: Config;
  /** The main file exists. */
  configured: boolean;
}

/**
 * Read and parse every file of a target. Parse failures are recorded, not thrown. A change
 * a killed writer left half-made is settled first when its files are not locked (see
 * `_intent.ts`), so a reader sees all-old or all-new files.
 */
export async function readSnapshot(target: Target): Promise<Snapshot> {
  return snapshotOf(target, await readFileStates(target));
}

/** What `readSnapshot` reads before it parses: each file's text and mode, by file key. */
export async function readFileStates(target: Target): Promise<Map<string, FileState>> {
  await settleHalfMade(target);
  const states = new Map(target.files.map((file) => [file.key, readFileState(file.path)]));
  noteInputSize([...states.values()].reduce((sum, state) => sum + (state.text?.length ?? 0), 0));
  return states;
}

/**
 * Settle a change a killed writer left half-made, when its files are not locked (see
 * `_intent.ts`), before anything of the target is read.
 */
export async function settleHalfMade(target: Target): Promise<void> {
  // Rare: the settling code loads only when there is a record to settle.
  if (hasIntent(target)) await (await import("./_intent.ts")).settleIfIdle(target);
}

/**
 * A snapshot of given texts instead of the disk (a repair's fixed texts): each file's text
 * by file key (undefined for a missing file), parsed as `readSnapshot` parses.
 */
export async function snapshotOf(
  target: Target,
  states: ReadonlyMap<string, { text: string | undefined; mode?: number }>,
): Promise<Snapshot> {
  const files: FileSnapshot[] = [];
  for (const file of target.files) {
    const state = states.get(file.key) ?? { text: undefined };
    // `mode` read when asked: a stat loads node:fs, which a read-only command does without.
    const snap: FileSnapshot = {
      file,
      text: state.text,
      get mode() {
        return state.mode;
      },
    };
    if (state.text !== undefined) {
      try {
        snap.raw = (await loadFileFormat(file.spec)).parse(state.text);
      } catch (error) {
        snap.error = asParseError(error, file.path, target);
      }
    }
    files.push(snap);
  }
  if (target.plugin.repair && files.some((f) => f.error)) await pointToRepair(target, files);
  const parts = new Map<string, unknown>();
  for (const snap of files) {
    if (!snap.file.spec.derive && snap.raw !== undefined)
      parts.set(snap.file.key, decodePart(target, snap.file, snap.raw));
  }
  const config = composeConfig(target, parts);
  const main = files.find((f) => f.file.main);
  return {
    target,
    files,
    config,
    configured: main ? main.text !== undefined : files.some((f) => f.text !== undefined),
  };
}

/**
 * The first parse failure among source files, thrown: a change cannot be computed from
 * a file kitcfg cannot read.
 * @throws ParseError
 */
export function assertParsed(snapshot: Snapshot): void {
  const broken = snapshot.files.find((f) => f.error && !f.file.spec.derive);
  if (broken?.error) throw broken.error;
}

/**
 * The part of `config` each source file holds, by file key, as logical values (not yet
 * encoded): a mounted file its prefix, a root file everything outside other mounts.
 * Derived files are not listed.
 */
export function partsOf(target: Target, config: Config): Map<string, unknown> {
  const parts = new Map<string, unknown>();
  for (const file of target.files) {
    if (file.spec.derive) continue;
    if (file.mount.length > 0) {
      parts.set(file.key, getPath(config, file.mount));
      continue;
    }
    let value: unknown = config;
    for (const other of target.files)
      if (other.mount.length > 0 && !other.spec.derive) value = unsetPath(value, other.mount);
    parts.set(file.key, value);
  }
  return parts;
}

/** The logical config formed by the given parts (the inverse of `partsOf`). */
export function composeConfig(target: Target, parts: Map<string, unknown>): Config {
  let config: Config = {};
  let hidden: Config | undefined;
  for (const file of target.files) {
    const value = parts.get(file.key);
    if (value === undefined || file.spec.derive) continue;
    // The main file's own copy of a mounted key is read by no daemon, but is on disk all the same.
    const earlier = file.mount.length > 0 ? getPath(config, file.mount) : undefined;
    if (earlier !== undefined) hidden = setPath(hidden ?? {}, file.mount, earlier) as Config;
    config = mountValue(config, file.mount, value);
  }
  if (hidden) keepHidden(config, hidden);
  return config;
}

/** What a file holds on disk for `config`: its part encoded, or a derived file's content. */
export function fileContent(target: Target, file: TargetFile, config: Config, previous: unknown): unknown {
  if (file.spec.derive) {
    return callPlugin(target.loaded, `files.${file.key}.derive`, () => file.spec.derive!(config, target.ctx));
  }
  const part = partsOf(target, config).get(file.key);
  if (part === undefined || !file.spec.encode) return part;
  return callPlugin(target.loaded, `files.${file.key}.encode`, () => file.spec.encode!(part, previous, target.ctx));
}

// --- internal ---

/** A parsed file's part of the logical config: what the plugin's `decode` makes of it. */
export function decodePart(target: Target, file: TargetFile, raw: unknown): unknown {
  if (!file.spec.decode) return raw;
  return callPlugin(target.loaded, `files.${file.key}.decode`, () => file.spec.decode!(raw, target.ctx));
}

function mountValue(config: Config, mount: string[], value: unknown): Config {
  if (mount.length > 0) return setPath(config, mount, value) as Config;
  return isPlainObject(value) ? { ...config, ...value } : config;
}

/**
 * Files that do not parse but that the plugin's `repair` makes parse (what an older tool wrote)
 * say so, in the one line every command prints: `configure --force` would drop their settings.
 * A hook that throws, or whose text still does not parse, leaves the message as it is.
 */
async function pointToRepair(target: Target, files: FileSnapshot[]): Promise<void> {
  let fixed: Record<string, string>;
  try {
    const texts = Object.fromEntries(files.map((f) => [f.file.key, f.text]));
    fixed = target.plugin.repair!(texts, target.ctx).texts;
  } catch {
    return;
  }
  const words = commandWords(target.plugin.name, target.instance);
  for (const snap of files) {
    const text = fixed?.[snap.file.key];
    if (!snap.error || typeof text !== "string" || text === snap.text) continue;
    try {
      (await loadFileFormat(snap.file.spec)).parse(text);
    } catch {
      continue;
    }
    const { message, line, column } = snap.error;
    snap.error = new ParseError(`${message}; \`kitcfg repair ${words}\` can fix it`, {
      file: snap.file.path,
      line,
      column,
      cause: snap.error,
      hint: `See what it changes with \`kitcfg repair ${words} --dry-run\`; the old file is kept in history`,
    });
  }
}

/** A file that does not parse, named with its daemon, its path and where the format failed. */
function asParseError(error: unknown, path: string, target: Target): ParseError {
  const what = `Cannot parse ${target.label}'s ${path}`;
  const hint =
    "Fix the file by hand, or replace it with " +
    `\`kitcfg configure ${target.plugin.name}${target.instance ? ` --instance ${target.instance}` : ""} --force\` ` +
    "(the old file is kept in history)";
  if (error instanceof ParseError) {
    const where =
      error.line !== undefined && !/\bline \d/.test(error.message)
        ? ` at line ${error.line}, column ${error.column ?? 1}`
        : "";
    return new ParseError(`${what}${where}: ${error.message}`, {
      file: path,
      line: error.line,
      column: error.column,
      cause: error,
      hint,
    });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new ParseError(`${what}: ${reason}`, { file: path, cause: error, hint });
}
