import { ParseError } from "../errors.ts";
import { exceedsDepth } from "../keypath.ts";
import type { Format, FormatName, FormatReading } from "./types.ts";

export type {
  Change,
  EditOptions,
  Format,
  FormatName,
  FormatReading,
  FormatStyle,
  KeyPath,
  StringSpan,
} from "./types.ts";

/** Each format's module, loaded on first use so a command pays only for the parsers it needs. */
const FORMAT_LOADERS: Record<FormatName, () => Promise<{ format: Format }>> = {
  json: () => import("./json.ts"),
  toml: () => import("./toml.ts"),
  ini: () => import("./ini.ts"),
  env: () => import("./env.ts"),
  text: () => import("./text.ts"),
};

/** The names of every known format. */
export const FORMAT_NAMES = Object.keys(FORMAT_LOADERS) as FormatName[];

/**
 * How deep a document or value may nest. Daemon configurations are a few levels deep; a
 * deeper one is refused when parsed, before recursive code (diffs, redaction, clones) could
 * run out of stack on it.
 */
export const MAX_DEPTH = 64;

/**
 * Load a format by name, as a file's `reading` (`FileSpec.reading`) says its daemon reads
 * it; its `parse` refuses documents nested deeper than `MAX_DEPTH`.
 */
export async function loadFormat(name: FormatName, reading?: FormatReading): Promise<Format> {
  const loader = FORMAT_LOADERS[name];
  if (!loader) throw new Error(`Unknown format "${name}"`);
  const key = formatKey(name, reading);
  let format = guarded.get(key);
  if (!format) {
    const base = (await loader()).format;
    const read = reading && base.reading ? base.reading(reading) : base;
    // INI, env and text documents are two levels deep at most: walking a big one for nothing costs.
    guarded.set(key, (format = FLAT.has(name) ? read : guardDepth(read)));
  }
  return format;
}

/**
 * A format that `loadFormat` has already loaded (with the same reading), for code that runs
 * after planning (which loads the format of every file it plans).
 * @throws Error when it was not loaded: a bug in the caller.
 */
export function loadedFormat(name: FormatName, reading?: FormatReading): Format {
  const format = guarded.get(formatKey(name, reading));
  if (!format) throw new Error(`Format "${name}" used before it was loaded`);
  return format;
}

/** The format of a file, as its spec says its daemon reads it (`format`, `reading`). */
export function loadFileFormat(spec: { format: FormatName; reading?: FormatReading }): Promise<Format> {
  return loadFormat(spec.format, spec.reading);
}

/** `loadedFormat` of a file's spec, as `loadFileFormat` loaded it. */
export function loadedFileFormat(spec: { format: FormatName; reading?: FormatReading }): Format {
  return loadedFormat(spec.format, spec.reading);
}

/**
 * `format.parse(text)` without the walk that checks the depth, for a text that is only
 * compared with a value that passed it (`deepEqual` goes no deeper than the shallower
 * side): the read-back of an edit. A text that does not parse gets the guarded parse's error.
 */
export function parseToCompare(format: Format, text: string): unknown {
  const inner = unguarded.get(format);
  if (!inner) return format.parse(text);
  try {
    return inner.parse(text);
  } catch {
    return format.parse(text);
  }
}

/**
 * `parseToCompare` of `after`, an edit of `before` (which parsed to `beforeValue`): from the
 * changed part only when the format can tell (`Format.parseEdited`), so that a one-key change
 * of a big document is not read back whole.
 */
export function parseEditToCompare(format: Format, before: string, beforeValue: unknown, after: string): unknown {
  const edited = format.parseEdited?.(before, beforeValue, after);
  return edited ? edited.value : parseToCompare(format, after);
}

// --- internal ---

/** Each loaded format, by `formatKey`. */
const guarded = new Map<string, Format>();
/** The format each guarded one wraps. */
const unguarded = new WeakMap<Format, Format>();
const FLAT = new Set<FormatName>(["ini", "env", "text"]);

/** A format's name, and the reading it is loaded with, if any. */
function formatKey(name: FormatName, reading: FormatReading | undefined): string {
  return reading === undefined ? name : `${name} ${JSON.stringify(reading)}`;
}

function guardDepth(format: Format): Format {
  const wrapped: Format = {
    ...format,
    parse: function parseWithinDepth(text: string): unknown {
      let value: unknown;
      try {
        value = format.parse(text);
      } catch (error) {
        if (error instanceof RangeError)
          throw new ParseError(`the document is nested too deeply (more than ${MAX_DEPTH} levels)`, { cause: error });
        throw error;
      }
      if (exceedsDepth(value, MAX_DEPTH))
        throw new ParseError(`the document is nested more than ${MAX_DEPTH} levels deep`);
      return value;
    },
  };
  unguarded.set(wrapped, format);
  return wrapped;
}
