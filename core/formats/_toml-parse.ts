/**
 * Parsing TOML: the parser kitcfg uses, with integers a number holds exactly settled as numbers
 * and the paths of the floats a text writes kept for `tomlFloatsOf`.
 */
import { parse, TomlError } from "smol-toml";
import { ParseError } from "../errors.ts";
import type { TomlLayout } from "./_toml-scan.ts";

/**
 * Parse TOML text; integers beyond 2^53 come back as bigints, all others as numbers. Where
 * the text writes floats is kept for `tomlFloatsOf`, from the same parse.
 * @throws ParseError with the 1-based line and column smol-toml reports.
 */
export function parseToml(text: string): Record<string, unknown> {
  try {
    // Every integer a bigint, so that a number is a float written as one; then the integers a
    // number holds exactly become numbers again.
    return settleToml(text, parse(withoutCommentLines(text), { integersAsBigInt: true }));
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    throw parseErrorOf(error);
  }
}

/**
 * Lines `from..to` of `text` (0-based) parsed alone, integers as bigints (`settleToml` turns
 * them into numbers): one statement of a document, read apart from the rest.
 * @throws ParseError naming the line and column in `text`.
 */
export function parseTomlLines(layout: TomlLayout, from: number, to: number): Record<string, unknown> {
  try {
    return parse(layout.text.slice(layout.lines[from]!.start, layout.lines[to]!.end), { integersAsBigInt: true });
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    throw parseErrorOf(error, from);
  }
}

/**
 * A document `text` parsed to, integers as bigints: those a number holds exactly become
 * numbers, and where `text` writes floats is kept for `tomlFloatsOf`.
 */
export function settleToml(text: string, document: Record<string, unknown>): Record<string, unknown> {
  const floats: TomlFloat[] = [];
  settleIntegers(document, [], floats);
  recentFloats.unshift({ text, floats });
  if (recentFloats.length > 4) recentFloats.pop();
  return document;
}

/** A number written as a TOML float: its key path (keys as written, array items by index) and value. */
export interface TomlFloat {
  path: string[];
  value: number;
}

/**
 * Every float `text` writes (`5.0`, `1e3`, `inf`): in a table, an inline table, after a
 * dotted key or in an array alike. `read` parses a text that was not just parsed.
 * @throws ParseError as `read` does.
 */
export function tomlFloatsOf(text: string, read: (text: string) => unknown = parseToml): TomlFloat[] {
  const recent = recentFloats.find((entry) => entry.text === text);
  if (recent) return recent.floats;
  read(text);
  return recentFloats[0]!.floats;
}

/**
 * `text` with each line that is only a comment emptied (its line break kept, so a parse error
 * names the same line and column), where no multi-line string could hold such a line: the
 * parser reads a comment a character at a time, and a daemon's commented template
 * is mostly comments. A comment with a control character is left for the parser to refuse.
 */
function withoutCommentLines(text: string): string {
  if (text.includes('"""') || text.includes("'''")) return text;
  return text.replace(COMMENT_LINE, "");
}

const COMMENT_LINE = /^[ \t]*#[^\x00-\x08\x0a-\x1f\x7f]*(?=\r?\n|$)/gm;

/** The float paths of the last few texts parsed: a plugin asks of the file the core just read. */
const recentFloats: { text: string; floats: TomlFloat[] }[] = [];

/**
 * Turn safe-integer bigints under `node` into numbers, in place, noting the path of each
 * float. `path` is the way down, pushed and popped. Levels past `SETTLE_DEPTH` are left as
 * they are: the depth guard (formats/index.ts, 64 levels) refuses such a document anyway,
 * and walking a key dotted forty thousand times deep would take seconds.
 */
function settleIntegers(node: unknown, path: string[], floats: TomlFloat[]): void {
  if (typeof node !== "object" || node === null || node instanceof Date || path.length > SETTLE_DEPTH) return;
  const entries: [string | number, unknown][] = Array.isArray(node) ? [...node.entries()] : Object.entries(node);
  for (const [key, value] of entries) {
    if (typeof value === "bigint") {
      if (value >= MIN_SAFE && value <= MAX_SAFE) (node as Record<string | number, unknown>)[key] = Number(value);
      continue;
    }
    path.push(String(key));
    if (typeof value === "number") floats.push({ path: [...path], value });
    else settleIntegers(value, path, floats);
    path.pop();
  }
}

/** Deeper than any document the depth guard lets through (it allows 64 levels). */
const SETTLE_DEPTH = 100;
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

// --- internal ---

/** smol-toml's error as kitcfg's, `lineOffset` lines down (a part of a text parsed alone). */
function parseErrorOf(error: TomlError, lineOffset = 0): ParseError {
  // smol-toml's message carries a code excerpt that may show secrets; keep its first line.
  const detail = error.message.split("\n")[0]!.replace(/^Invalid TOML document: /, "");
  const line = error.line + lineOffset;
  return new ParseError(`Cannot parse TOML at line ${line}, column ${error.column}: ${detail}`, {
    line,
    column: error.column,
    cause: error,
  });
}
