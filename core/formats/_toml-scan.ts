/**
 * The layout of TOML text: where each header and key/value statement sits in it, so the editor
 * can change bytes in place; and the string literals, keys and bare text a scan finds.
 */
import { parse } from "smol-toml";
import { parseToml } from "./_toml-parse.ts";
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
    // The line's end is sought for a comment only: sought for each string, a line of many was read again each time.
    let end: number;
    if (c === "#") {
      const nl = text.indexOf("\n", i);
      end = nl === -1 ? text.length : nl;
    } else end = scanString(text, i);
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

// --- internal ---

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
