/**
 * INI as a simple Python line reader takes it (not configparser), line by line with
 * Python's regexes, whose `\s` is Python's whitespace (PYTHON_SPACE: a BOM is not, so a
 * line it starts is read by no rule):
 * - lines end at `\n`, `\r\n` or a lone `\r` (Python's universal newlines);
 * - `\s*$` is blank and `\s*#` a comment; a `;` line is no comment (it is skipped, with the
 *   warning any other line gets);
 * - `[name]` at the start of a line is a section header, whatever follows on the line;
 * - `\s*key\s*=\s*value` is an entry: the key is word characters (`\w`), the value runs to
 *   the end of the line; a value that matches `"…"\s*$` loses its first and last character
 *   (so with blanks after the closing quote, the quote stays), then blanks at both ends;
 * - any other line is skipped, not refused (`skippedLines` lists them, for a warning).
 * `reading({ oneSection })` is the same lines read by a reader that skips section headers
 * (`FormatReading.oneSection`): one object of keys, the last line of each winning.
 * The `ini` package is not used: it strips `;`/`#` as inline comments, turns `true` into a
 * boolean, nests dotted section names and escapes `;` as `\;` on write, none of which such readers do.
 */
import { PYTHON_SPACE, pythonStrip } from "../_python-space.ts";
import { KitcfgError, ParseError } from "../errors.ts";
import { formatKeyPath, isPlainObject } from "../keypath.ts";
import { looseEntries } from "./_loose-entries.ts";
import { insertLines } from "./_text-lines.ts";
import type { Change, Format, FormatReading, FormatStyle, KeyPath } from "./types.ts";

/** Keys are Python's `\w+` (Unicode letters, digits and `_`). */
const KEY = /^[\p{L}\p{N}_]+$/u;
const BLANKS = `[${PYTHON_SPACE}]*`;
const ENTRY = new RegExp(`^(${BLANKS})([\\p{L}\\p{N}_]+)(${BLANKS}=${BLANKS})([^]*)$`, "u");
/**
 * ENTRY's common case, matched in place (sticky): an ASCII key, blanks and tabs only around
 * `=`, and a value that does not start or end with Python's whitespace; a line it does not
 * read to its end goes to ENTRY.
 */
const FAST_ENTRY =
  /([ \t]*)([A-Za-z0-9_]+)([ \t]*=[ \t]*)((?:[^\s\x1c-\x1f\x85#;][^\r\n]*[^\s\x1c-\x1f\x85])?|[^\s\x1c-\x1f\x85#;]?)/y;
const BLANK = new RegExp(`^${BLANKS}$`);
const COMMENT = new RegExp(`^${BLANKS}#`);
const HEADER = /^\[([^\]]+)\]/;
const HASH = 35;
/** The value of an entry that loses its first and last character: `"…"` and blanks after. */
const QUOTED = new RegExp(`^"[^]*"${BLANKS}$`);

/**
 * The INI format. The document is `{ section: { key: "value" } }`; keys before any header sit
 * at the top level as strings. Every value is a string: converting `True` or `15` is the
 * reader's job; a value is read as the rules above say. `edit` takes the key/value separator
 * of new lines from the file, then `style.separator`, then `" = "`; `style.commentOnUnset`
 * comments a line out with `#`.
 */
// No `strings`: a value is written as is (outer quotes aside), so redacting the raw value as text finds it.
export const format: Format = {
  parse: parseIni,
  stringify: stringifyIni,
  edit: editIni,
  entries: iniEntries,
  skipped: skippedLines,
  reading: readingIni,
};

/**
 * The 1-based numbers of the lines the reader skips: neither blank, a comment, a
 * `[section]` header nor `key = value` (a Python line reader warns about each and goes on).
 */
export function skippedLines(text: string): number[] {
  return scanIni(text).lines.flatMap((line, i) => (line.kind === "skipped" ? [i + 1] : []));
}

/**
 * Every `key = value` line's path and value, later duplicates and all; then what comments and
 * skipped lines hold, read loosely (`# secret_key = ...`, `secret_key: ...`): the reader passes
 * over them, but they keep a value on disk all the same.
 */
export function iniEntries(text: string): { path: string[]; value: string }[] {
  const { lines } = scanIni(text);
  const entries = lines
    .filter((line) => line.kind === "entry")
    .map((line) => ({
      path: line.section === undefined ? [line.key!] : [line.section, line.key!],
      value: line.value!,
    }));
  const passed = lines.filter((line) => line.kind === "comment" || line.kind === "skipped");
  if (passed.length === 0) return entries;
  return [...entries, ...looseEntries(passed.map((line) => text.slice(line.start, line.end)).join("\n"))];
}

/**
 * Parse INI text. A later duplicate key wins and repeated sections merge; a line that is
 * not blank, a comment, a `[section]` or `key = value` is skipped (`skippedLines`).
 * @throws ParseError for a section named like a key above it.
 */
export function parseIni(text: string): Record<string, unknown> {
  return documentOf(scanIni(text));
}

/**
 * Write a document: top-level keys, then each `[section]` after a blank line.
 * @throws KitcfgError (`INVALID_VALUE`, `INVALID_KEY`, `EDIT_FAILED`) for non-string values,
 * bad names, or values a reader could not read back the same (line breaks).
 */
export function stringifyIni(value: unknown, style: FormatStyle = {}): string {
  if (!isPlainObject(value))
    throw new KitcfgError("INVALID_VALUE", "Cannot write INI: the document must be an object of sections");
  const separator = style.separator ?? " = ";
  const top: string[] = [];
  const blocks: string[] = [];
  for (const [name, item] of Object.entries(value)) {
    if (item === undefined) continue;
    if (!isPlainObject(item)) top.push(formatEntry([name], item, separator));
    else
      blocks.push(
        [formatHeader(name), ...Object.entries(item).map(([k, v]) => formatEntry([name, k], v, separator))].join("\n"),
      );
  }
  const text = (top.length > 0 ? [top.join("\n"), ...blocks] : blocks).join("\n\n");
  return style.trailingNewline === false || text === "" ? text : `${text}\n`;
}

/**
 * Apply `changes` in order, changing only the lines they concern. The caller (core/plan)
 * parses the result again and compares it with the intended document, as for every format.
 * @throws ParseError when `text` is malformed; KitcfgError (`EDIT_FAILED`) for paths deeper than
 * section and key, or a key where a section is (or the reverse).
 */
export function editIni(text: string, changes: readonly Change[], style: FormatStyle = {}): string {
  // One scan per change and no document built: a big file (up to 16 MiB) stays linear.
  let layout = scanIni(text);
  for (const [i, change] of changes.entries()) {
    if (change.path.length === 0 || change.path.length > 2)
      throw editFailed(change.path, "INI keys are a section and a key");
    const out =
      change.op === "set" ? setIni(layout, change.path, change.value, style) : unsetIni(layout, change.path, style);
    if (out !== layout.text) layout = i === changes.length - 1 ? { ...layout, text: out } : scanIni(out);
  }
  return layout.text;
}

// --- internal ---

/** INI as a reader that skips section headers takes it (`FormatReading.oneSection`). */
function readingIni(reading: FormatReading): Format {
  const home = reading.oneSection;
  if (home === undefined) return format;
  return {
    ...format,
    parse: (text) => {
      const doc: Record<string, unknown> = {};
      for (const line of scanIni(text).lines) if (line.kind === "entry") defineOwn(doc, line.key!, line.value!);
      return doc;
    },
    stringify: (value, style) => stringifyIni(isPlainObject(value) ? { [home]: value } : value, style),
    edit: (text, changes, style = {}) => {
      let layout = scanIni(text);
      for (const change of changes) {
        if (change.path.length !== 1) throw editFailed(change.path, `every key is read as one of [${home}]`);
        const key = change.path[0]!;
        // Where the daemon reads the key: its last line, in a section or above any header.
        const last = layout.lines.findLast((line) => line.kind === "entry" && line.key === key);
        const out =
          change.op === "set"
            ? setEntry(layout, last ? last.section : home, key, change.value, style)
            : removeLines(
                layout,
                layout.lines.map((l) => l.kind === "entry" && l.key === key),
                style,
              );
        if (out !== layout.text) layout = scanIni(out);
      }
      return layout.text;
    },
  };
}

interface IniLine {
  start: number;
  end: number;
  next: number;
  kind: "blank" | "comment" | "header" | "entry" | "skipped";
  /** For a header its name; for an entry or comment, the section it is in (none: top level). */
  section?: string;
  key?: string;
  value?: string;
  valueStart?: number;
  separator?: string;
}

interface IniLayout {
  text: string;
  eol: string;
  lines: IniLine[];
}

/** The document of scanned lines. A later duplicate key wins and repeated sections merge. */
function documentOf(layout: IniLayout): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  for (const [i, line] of layout.lines.entries()) {
    if (line.kind === "header") {
      if (typeof doc[line.section!] === "string") throw conflict(line, i + 1);
      if (!Object.hasOwn(doc, line.section!)) defineOwn(doc, line.section!, {});
    } else if (line.kind === "entry") {
      const target = line.section === undefined ? doc : (doc[line.section] as Record<string, unknown>);
      defineOwn(target, line.key!, line.value!);
    }
  }
  return doc;
}

/**
 * The layout of `text`. A command reads a text, edits it and reads the result back: the last
 * layouts are kept, so each is scanned once (a layout is never changed once made).
 */
function scanIni(text: string): IniLayout {
  const known = recentLayouts.find((layout) => layout.text === text);
  if (known) return known;
  const layout = scanLines(text);
  recentLayouts.unshift(layout);
  if (recentLayouts.length > RECENT_LAYOUTS) recentLayouts.pop();
  return layout;
}

/** The layouts last scanned, newest first. */
const recentLayouts: IniLayout[] = [];
const RECENT_LAYOUTS = 2;

/** One pass over the text; per line only slices and regexes, no copies of the text (a big file stays linear). */
function scanLines(text: string): IniLayout {
  const lines: IniLine[] = [];
  let section: string | undefined;
  // A lone CR ends a line too (rare): only then is each line break looked for by a regex.
  const loneCr = text.includes("\r") && /\r(?!\n)/.test(text);
  const BREAK = /\r\n?|\n/g;
  for (let start = 0; ; ) {
    let end: number;
    let next: number;
    if (loneCr) {
      BREAK.lastIndex = start;
      const found = BREAK.exec(text);
      end = found ? found.index : text.length;
      next = found ? found.index + found[0].length : text.length;
    } else {
      const nl = text.indexOf("\n", start);
      next = nl === -1 ? text.length : nl + 1;
      end = nl === -1 ? text.length : nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    }
    const line = classify(text, start, end, next, section);
    if (line.kind === "header") section = line.section;
    lines.push(line);
    if (next === end) return { text, eol: text.includes("\r\n") ? "\r\n" : loneCr ? "\r" : "\n", lines };
    start = next;
  }
}

/** An entry's value as the reader takes it: one pair of quotes off (see QUOTED), then blanks at both ends. */
function readValue(raw: string): string {
  return pythonStrip(QUOTED.test(raw) ? raw.slice(1, -1) : raw);
}

function classify(text: string, start: number, end: number, next: number, section: string | undefined): IniLine {
  // An empty line, and one that starts with `#`, told by their first character.
  if (start === end) return { start, end, next, kind: "blank", section };
  if (text.charCodeAt(start) === HASH) return { start, end, next, kind: "comment", section };
  // The common line, `key = value` with an ASCII key, read in place: no copy of the line.
  FAST_ENTRY.lastIndex = start;
  const fast = FAST_ENTRY.exec(text);
  if (fast && FAST_ENTRY.lastIndex === end) {
    const [, indent, key, separator, value] = fast as unknown as [string, string, string, string, string];
    const unquoted = value.startsWith('"') ? readValue(value) : value;
    return {
      start,
      end,
      next,
      kind: "entry",
      section,
      key,
      value: unquoted,
      valueStart: start + indent.length + key.length + separator.length,
      separator,
    };
  }
  const body = text.slice(start, end);
  if (BLANK.test(body)) return { start, end, next, kind: "blank", section };
  if (COMMENT.test(body)) return { start, end, next, kind: "comment", section };
  const header = HEADER.exec(body);
  if (header) return { start, end, next, kind: "header", section: header[1] };
  const entry = ENTRY.exec(body);
  if (!entry) return { start, end, next, kind: "skipped", section };
  const [, indent, key, separator, raw] = entry as unknown as [string, string, string, string, string];
  const valueStart = start + indent.length + key.length + separator.length;
  return { start, end, next, kind: "entry", section, key, value: readValue(raw), valueStart, separator };
}

function setIni(layout: IniLayout, path: KeyPath, value: unknown, style: FormatStyle): string {
  const { text } = layout;
  const [first, key] = path as [string, string?];
  const isSection = layout.lines.some((l) => l.kind === "header" && l.section === first);
  const topValue = lastEntry(layout, undefined, first)?.value;
  if (topValue !== undefined && (key !== undefined || isPlainObject(value)))
    throw editFailed(path, `"${first}" is a key, not a section`);
  if (isSection && key === undefined && !isPlainObject(value)) throw editFailed(path, `"${first}" is a section`);
  if (key !== undefined) {
    if (lastEntry(layout, first, key)?.value === value) return text;
    return setEntry(layout, first, key, value, style);
  }
  if (!isPlainObject(value)) return topValue === value ? text : setEntry(layout, undefined, first, value, style);
  if (!isSection) {
    // A new section is written as one block, whatever its size.
    const separator = separatorOf(layout, first, style);
    return addSection(
      layout,
      first,
      Object.entries(value).map(([name, item]) => formatEntry([first, name], item, separator)),
    );
  }
  let out = text;
  const existing = new Set(layout.lines.filter((l) => l.kind === "entry" && l.section === first).map((l) => l.key!));
  for (const name of existing) if (!Object.hasOwn(value, name)) out = unsetIni(scanIni(out), [first, name], style);
  for (const [name, item] of Object.entries(value)) out = setIni(scanIni(out), [first, name], item, style);
  return out;
}

/** The line that gives `key` its value (the last one: a later duplicate wins). */
function lastEntry(layout: IniLayout, section: string | undefined, key: string): IniLine | undefined {
  for (let i = layout.lines.length - 1; i >= 0; i--) {
    const line = layout.lines[i]!;
    if (line.kind === "entry" && line.section === section && line.key === key) return line;
  }
  return undefined;
}

function setEntry(
  layout: IniLayout,
  section: string | undefined,
  key: string,
  value: unknown,
  style: FormatStyle,
): string {
  const { text, lines } = layout;
  const formatted = formatValue([section, key].filter((s) => s !== undefined) as string[], value);
  const own = lines.filter((l) => l.kind === "entry" && l.section === section && l.key === key);
  const last = own[own.length - 1];
  if (last) return text.slice(0, last.valueStart) + formatted + text.slice(last.end);
  // `# key = v`, or `;key = v` (a line the reader skips): where the key was meant to go.
  const commented = lines.find(
    (l) => (l.kind === "comment" || l.kind === "skipped") && l.section === section && commentedKey(text, l) === key,
  );
  if (commented) {
    const [, indent, , separator] = commentedEntry(text, commented)!;
    return text.slice(0, commented.start) + indent + key + separator + formatted + text.slice(commented.end);
  }
  return insertEntry(layout, section, key + separatorOf(layout, section, style) + formatted);
}

/** A new line goes after the last key of its section, or first in it; top-level keys above any header. */
function insertEntry(layout: IniLayout, section: string | undefined, line: string): string {
  const { lines } = layout;
  const headers = lines.flatMap((l, i) => (l.kind === "header" && l.section === section ? [i] : []));
  if (section !== undefined && headers.length === 0) return addSection(layout, section, [line]);
  const entries = lines.flatMap((l, i) => (l.kind === "entry" && l.section === section ? [i] : []));
  if (entries.length > 0) return insertLines(layout, entries[entries.length - 1]!, [line]);
  if (section !== undefined) return insertLines(layout, headers[headers.length - 1]!, [line]);
  const firstHeader = lines.findIndex((l) => l.kind === "header");
  if (firstHeader === -1) return insertLines(layout, lastNonBlank(layout) ?? -1, [line]);
  return insertLines(layout, firstHeader - 1, [line, ""]);
}

function addSection(layout: IniLayout, section: string, entries: string[]): string {
  const after = lastNonBlank(layout);
  const block = [formatHeader(section), ...entries];
  return insertLines(layout, after ?? -1, after === undefined ? block : ["", ...block]);
}

function unsetIni(layout: IniLayout, path: KeyPath, style: FormatStyle): string {
  const [first, key] = path as [string, string?];
  const isSection = key === undefined && layout.lines.some((l) => l.kind === "header" && l.section === first);
  const doomed = layout.lines.map((l) => {
    if (isSection) return l.section === first;
    return l.kind === "entry" && l.section === (key === undefined ? undefined : first) && l.key === (key ?? first);
  });
  return removeLines(layout, doomed, style, isSection);
}

/** The text without the `doomed` lines (commented out with `style.commentOnUnset`, but for a whole section). */
function removeLines(layout: IniLayout, doomed: boolean[], style: FormatStyle, isSection = false): string {
  if (style.commentOnUnset && !isSection) return commentOut(layout, doomed);
  let out = layout.text;
  for (let to = doomed.length - 1; to >= 0; to--) {
    if (!doomed[to]) continue;
    let from = to;
    while (from > 0 && doomed[from - 1]) from--;
    out = removeRun({ ...layout, text: out }, from, to);
    to = from;
  }
  return out;
}

/** `#` before each doomed line's text, after its indentation: a line readers skip as a comment. */
function commentOut(layout: IniLayout, doomed: boolean[]): string {
  const { text } = layout;
  const pieces: string[] = [];
  let from = 0;
  for (let i = 0; i < layout.lines.length; i++) {
    if (!doomed[i]) continue;
    const at =
      layout.lines[i]!.start + /^[ \t]*/.exec(text.slice(layout.lines[i]!.start, layout.lines[i]!.end))![0].length;
    pieces.push(text.slice(from, at), "#");
    from = at;
  }
  pieces.push(text.slice(from));
  return pieces.join("");
}

/** Remove lines `from..to`; a run at the end of the file takes the blank lines before it instead. */
function removeRun(layout: IniLayout, from: number, to: number): string {
  const { text, lines } = layout;
  let [start, end] = [from, to];
  if (lastNonBlank(layout, to + 1) === undefined) {
    while (start > 0 && lines[start - 1]!.kind === "blank") start--;
    end = lastNonBlank({ ...layout, lines: lines.slice(0, to + 1) }, from) ?? to;
  }
  const last = lines[end]!;
  if (last.next > last.end || start === 0) return text.slice(0, lines[start]!.start) + text.slice(last.next);
  return text.slice(0, lines[start - 1]!.end) + text.slice(last.end);
}

function commentedEntry(text: string, line: IniLine): RegExpExecArray | null {
  return ENTRY.exec(text.slice(line.start, line.end).replace(/^([ \t]*)[#;][ \t]*/, "$1"));
}

function commentedKey(text: string, line: IniLine): string | undefined {
  return commentedEntry(text, line)?.[2];
}

/**
 * The separator of the nearest line with a value, so new lines look like their neighbours
 * (on an empty value written as `key = `, the blanks after `=` are ambiguous).
 */
function separatorOf(layout: IniLayout, section: string | undefined, style: FormatStyle): string {
  const models = layout.lines.filter((l) => l.kind === "entry" && l.value !== "");
  const near = models.filter((l) => l.section === section);
  return (near[near.length - 1] ?? models[models.length - 1])?.separator ?? style.separator ?? " = ";
}

function lastNonBlank(layout: IniLayout, from = 0): number | undefined {
  for (let i = layout.lines.length - 1; i >= from; i--) if (layout.lines[i]!.kind !== "blank") return i;
  return undefined;
}

function formatEntry(path: string[], value: unknown, separator: string): string {
  return `${checkKey(path)}${separator}${formatValue(path, value)}`;
}

/** A value as a line reader reads it back: quoted when its own quotes would be lost. */
function formatValue(path: string[], value: unknown): string {
  if (typeof value !== "string") {
    const got = isPlainObject(value)
      ? "an object (sections do not nest)"
      : value === null
        ? "null"
        : `a ${typeof value}`;
    throw new KitcfgError(
      "INVALID_VALUE",
      `Cannot write "${formatKeyPath(path)}" as INI: values are strings, got ${got}`,
      {
        hint: "Convert the value to the text the daemon expects (a plugin's encode does this)",
      },
    );
  }
  // A value the format cannot hold is a refused value (exit 1), not a failed edit.
  if (/[\r\n]/.test(value))
    throw new KitcfgError(
      "INVALID_VALUE",
      `Cannot write "${formatKeyPath(path)}" as INI: a value cannot hold a line break`,
      { key: formatKeyPath(path) },
    );
  if (pythonStrip(value) !== value)
    throw new KitcfgError(
      "INVALID_VALUE",
      `Cannot write "${formatKeyPath(path)}" as INI: a value cannot begin or end with a blank, ` +
        "which the reader strips (quoted or not)",
      { key: formatKeyPath(path) },
    );
  // Quotes of its own would be taken off: a second pair keeps them.
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? `"${value}"` : value;
}

function checkKey(path: string[]): string {
  const key = path[path.length - 1]!;
  if (!KEY.test(key))
    throw new KitcfgError(
      "INVALID_KEY",
      `Cannot write "${formatKeyPath(path)}" as INI: a key is letters, digits and "_"`,
    );
  return key;
}

function formatHeader(name: string): string {
  if (name === "" || /[\]\r\n]/.test(name) || name.trim() !== name) {
    throw new KitcfgError(
      "INVALID_KEY",
      `Cannot write section "${name}" as INI: a name must be non-empty, without "]", line breaks or blanks at its ends`,
    );
  }
  return `[${name}]`;
}

function conflict(line: IniLine, number: number): ParseError {
  return new ParseError(
    `Cannot parse INI at line ${number}, column 1: section "${line.section}" has the name of a key above it`,
    {
      line: number,
      column: 1,
    },
  );
}

function editFailed(path: KeyPath, reason: string): KitcfgError {
  return new KitcfgError("EDIT_FAILED", `Cannot edit "${formatKeyPath(path)}" in place: ${reason}`, {
    key: formatKeyPath(path),
  });
}

/** Assign an own property even for a key named `__proto__` (plain assignment otherwise: much faster). */
function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
