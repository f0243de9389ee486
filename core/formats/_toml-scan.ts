/**
 * Reading TOML: the parser kitcfg uses, and a layout scanner that says where each header and
 * key/value statement sits in the text, so the editor can change bytes in place.
 */
import { parse, TomlError } from "smol-toml";
import { ParseError } from "../errors.ts";
import type { StringSpan } from "./types.ts";

/** One line: `end` is where its text stops, `next` is past its line break (== `end` on the last). */
export interface TomlLine {
  start: number;
  end: number;
  next: number;
  kind: "blank" | "comment" | "header" | "entry";
}

/** A `[table]` or `[[array]]` header and the lines it owns up to the next header. */
export interface TomlHeader {
  path: string[];
  array: boolean;
  line: number;
  indent: string;
  /** Last line of its own region: the line before the next header, or the last line. */
  ownEnd: number;
}

/** A `key = value` statement, possibly spanning several lines. */
export interface TomlEntry {
  /** Full path from the root. */
  path: string[];
  /** The key as written, relative to its table (more than one segment when dotted). */
  key: string[];
  table: TomlHeader | undefined;
  line: number;
  lastLine: number;
  indent: string;
  valueStart: number;
  valueEnd: number;
}

/** Where everything is in one TOML text. */
export interface TomlLayout {
  text: string;
  /** The line break new lines get: CRLF when the file uses it anywhere. */
  eol: string;
  lines: TomlLine[];
  headers: TomlHeader[];
  entries: TomlEntry[];
}

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

/** The layout of TOML text that `parseToml` accepts. */
export function scanToml(text: string): TomlLayout {
  const lines = splitLines(text);
  // smol-toml accepts a leading BOM; it belongs to no line, so edits keep it in front.
  if (text.startsWith("\uFEFF") && lines[0]) lines[0].start += 1;
  const layout: TomlLayout = { text, eol: text.includes("\r\n") ? "\r\n" : "\n", lines, headers: [], entries: [] };
  let table: TomlHeader | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const indent = /^[ \t]*/.exec(text.slice(line.start, line.end))![0];
    const at = line.start + indent.length;
    if (at === line.end) continue;
    if (text[at] === "#") line.kind = "comment";
    else if (text[at] === "[") table = scanHeader(layout, i, indent);
    else i = scanEntry(layout, i, indent, table);
  }
  layout.headers.forEach((header, n) => {
    header.ownEnd = (layout.headers[n + 1]?.line ?? lines.length) - 1;
  });
  return layout;
}

/**
 * Every string literal (values and quoted keys) outside comments, with what it reads as
 * (decoded by the real parser), in a text `read` accepts.
 */
export function tomlStrings(text: string, read: (text: string) => unknown = parseToml): StringSpan[] {
  read(text);
  const spans: StringSpan[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "#") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === '"' || c === "'") {
      const end = scanString(text, i);
      const value = (parse(`x = ${text.slice(i, end)}`) as { x: unknown }).x;
      if (typeof value === "string") spans.push({ start: i, end, value });
      i = end - 1;
    }
  }
  return spans;
}

/**
 * `text` with the characters of every string literal (quoted keys too) made "x" and every
 * comment blanked, line breaks and length kept: what is left are bare keys, bare values and
 * punctuation, to look for a literal by its spelling without finding it inside a string.
 */
export function tomlBareText(text: string): string {
  const out: string[] = [];
  let kept = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== "#" && c !== '"' && c !== "'") continue;
    const nl = text.indexOf("\n", i);
    const end = c === "#" ? (nl === -1 ? text.length : nl) : scanString(text, i);
    out.push(text.slice(kept, i), text.slice(i, end).replace(/[^\r\n]/g, c === "#" ? " " : "x"));
    kept = end;
    i = end - 1;
  }
  out.push(text.slice(kept));
  return out.join("");
}

/** Read a dotted key (`a."b.c".d`) from its text, through the real parser. */
export function decodeKey(keyText: string): string[] {
  const path: string[] = [];
  let node: unknown = parse(`${keyText} = 0`);
  while (typeof node === "object" && node !== null) {
    const key = Object.keys(node)[0]!;
    path.push(key);
    node = (node as Record<string, unknown>)[key];
  }
  return path;
}

/** The end of the dotted key starting at `from`, before any whitespace after it. */
export function scanKeyEnd(text: string, from: number): number {
  let i = from;
  let end = from;
  for (;;) {
    while (text[i] === " " || text[i] === "\t") i++;
    if (text[i] === '"' || text[i] === "'") i = scanString(text, i);
    else while (i < text.length && !/[\s=.[\]#"']/.test(text[i]!)) i++;
    end = i;
    while (text[i] === " " || text[i] === "\t") i++;
    if (text[i] !== ".") return end;
    i++;
  }
}

/** Lines a table owns directly: after its header up to the next header (root: before the first). */
export function ownRegion(layout: TomlLayout, table: TomlHeader | undefined): [number, number] {
  if (table) return [table.line + 1, table.ownEnd];
  return [0, (layout.headers[0]?.line ?? layout.lines.length) - 1];
}

/** The last non-blank line in `from..to`. */
export function lastNonBlank(layout: TomlLayout, from: number, to: number): number | undefined {
  for (let n = to; n >= from; n--) if (layout.lines[n]!.kind !== "blank") return n;
  return undefined;
}

/** The first non-blank line in `from..to`. */
export function firstNonBlank(layout: TomlLayout, from: number, to: number): number | undefined {
  for (let n = from; n <= to; n++) if (layout.lines[n]!.kind !== "blank") return n;
  return undefined;
}

/** Insert whole lines after line `after` (-1: at the top), keeping the file's line breaks. */
export function insertLines(layout: TomlLayout, after: number, lines: string[]): string {
  const { text, eol } = layout;
  if (after < 0) return lines.map((l) => l + eol).join("") + text;
  const line = layout.lines[after]!;
  if (line.next > line.end)
    return text.slice(0, line.next) + lines.map((l) => l + eol).join("") + text.slice(line.next);
  return text.slice(0, line.end) + lines.map((l) => eol + l).join("") + text.slice(line.end);
}

/** Remove lines `from..to` with their line breaks; a file without a final newline keeps none. */
export function removeLines(layout: TomlLayout, from: number, to: number): string {
  const { text, lines } = layout;
  const last = lines[to]!;
  if (last.next > last.end || from === 0) return text.slice(0, lines[from]!.start) + text.slice(last.next);
  return text.slice(0, lines[from - 1]!.end) + text.slice(last.end);
}

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

function splitLines(text: string): TomlLine[] {
  const lines: TomlLine[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf("\n", start);
    if (nl === -1) {
      lines.push({ start, end: text.length, next: text.length, kind: "blank" });
      return lines;
    }
    const end = nl > start && text[nl - 1] === "\r" ? nl - 1 : nl;
    lines.push({ start, end, next: nl + 1, kind: "blank" });
    start = nl + 1;
  }
}

/** The index of the line holding `offset`. */
function lineIndexAt(layout: TomlLayout, offset: number): number {
  let low = 0;
  let high = layout.lines.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (layout.lines[mid]!.start <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** The end of the value starting at `from`: a string, an array or inline table, or a bare scalar. */
function scanValueEnd(text: string, from: number): number {
  const c = text[from];
  if (c === '"' || c === "'") return scanString(text, from);
  if (c === "[" || c === "{") return scanBrackets(text, from);
  let i = from;
  while (i < text.length && !"#\r\n".includes(text[i]!)) i++;
  while (i > from && (text[i - 1] === " " || text[i - 1] === "\t")) i--;
  return i;
}

function scanHeader(layout: TomlLayout, i: number, indent: string): TomlHeader {
  const line = layout.lines[i]!;
  line.kind = "header";
  const open = line.start + indent.length;
  const array = layout.text[open + 1] === "[";
  const keyStart = open + (array ? 2 : 1);
  const keyText = layout.text.slice(keyStart, scanKeyEnd(layout.text, keyStart));
  const header: TomlHeader = { path: decodeKey(keyText), array, line: i, indent, ownEnd: i };
  layout.headers.push(header);
  return header;
}

/** Record the entry on line `i`; returns the last line it spans. */
function scanEntry(layout: TomlLayout, i: number, indent: string, table: TomlHeader | undefined): number {
  const { text, lines } = layout;
  const keyStart = lines[i]!.start + indent.length;
  const keyEnd = scanKeyEnd(text, keyStart);
  const key = decodeKey(text.slice(keyStart, keyEnd));
  let valueStart = text.indexOf("=", keyEnd) + 1;
  while (text[valueStart] === " " || text[valueStart] === "\t") valueStart++;
  const valueEnd = scanValueEnd(text, valueStart);
  const lastLine = lineIndexAt(layout, Math.max(valueEnd - 1, valueStart));
  for (let n = i; n <= lastLine; n++) lines[n]!.kind = "entry";
  const path = [...(table?.path ?? []), ...key];
  layout.entries.push({ path, key, table, line: i, lastLine, indent, valueStart, valueEnd });
  return lastLine;
}

/** Past the closing quote(s) of the string at `from`; multi-line strings may end in up to two extra quotes. */
export function scanString(text: string, from: number): number {
  const quote = text[from]!;
  const triple = text.startsWith(quote.repeat(3), from);
  let i = from + (triple ? 3 : 1);
  for (;;) {
    if (i >= text.length) return text.length;
    if (quote === '"' && text[i] === "\\") i += 2;
    else if (!triple && text[i] === quote) return i + 1;
    else if (triple && text.startsWith(quote.repeat(3), i)) {
      let end = i + 3;
      while (end < i + 5 && text[end] === quote) end++;
      return end;
    } else i++;
  }
}

/** Past the bracket closing the array or inline table at `from`, skipping strings and comments. */
function scanBrackets(text: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      i = scanString(text, i);
      continue;
    }
    if (c === "#") {
      const nl = text.indexOf("\n", i);
      i = nl === -1 ? text.length : nl;
      continue;
    }
    if (c === "[" || c === "{") depth++;
    if (c === "]" || c === "}") depth--;
    i++;
    if (depth === 0) return i;
  }
  return i;
}
