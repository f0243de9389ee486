/**
 * Environment files read by systemd's `EnvironmentFile=` and by a shell's `.`: one
 * `KEY=value` per line. The reader follows systemd's parser (src/basic/env-file.c); the
 * writer quotes so that systemd and POSIX sh read back the same string.
 */
import { KitcfgError, ParseError, locate } from "../errors.ts";
import { commentEntries } from "./_loose-entries.ts";
import { deepEqual, isPlainObject, withChanges } from "../keypath.ts";
import type { Change, Format, FormatStyle, StringSpan } from "./types.ts";

/** The names both systemd (`env_name_is_valid`) and sh accept. */
const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Values made only of these need no quotes: none is special to sh or systemd (`~` is: tilde expansion). */
const SAFE_VALUE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Env files: the value is a flat object of strings (`{ APP_OFFLINE: "1" }`).
 *
 * - `parse` reads `KEY=value` lines as systemd does: blank lines and lines starting with `#`
 *   or `;` are skipped; an `export ` prefix is accepted (shell style; note that systemd itself
 *   ignores such lines); values are unquoted (surrounding blanks trimmed, `\x` is `x`),
 *   `'single quoted'` (literal) or `"double quoted"`, where only `\"`, `\\`, `` \` `` and `\$`
 *   are escapes and backslash-newline joins lines. As in sh and systemd, `"\n"` is a backslash
 *   and an `n`; a newline in a value is a literal newline inside the quotes. The last
 *   assignment of a key wins.
 * - `stringify` writes one `KEY=value` line per key, ending with a newline, with no header;
 *   values are double-quoted only when needed.
 * - `edit` replaces only the value part of a key's last line (keeping `export `; nothing
 *   when it already holds that value), appends
 *   new keys at the very end (with `export ` when every existing line has it), and removes
 *   every line of an unset key. Paths have exactly one segment.
 *
 * @throws ParseError for a line that is not `KEY=value`, a bad key, an unterminated quote.
 * @throws KitcfgError `INVALID_VALUE` for a non-string value (env values are always text;
 * convert numbers and booleans before writing), `INVALID_KEY` for a name sh would not accept,
 * `EDIT_FAILED` for a path that is not one segment.
 */
export const format: Format = {
  parse: parseEnv,
  stringify: stringifyEnv,
  edit: editEnv,
  strings: envStrings,
  // With the assignments of comment lines (`# KEY=value`), which hold values all the same.
  entries: (text) => [
    ...scanEnv(text).map((entry) => ({ path: [entry.key], value: entry.value })),
    ...commentEntries(text),
  ],
};

/**
 * `export KEY='value'` lines for `eval` in sh or bash: single quotes keep every byte literal,
 * and a quote inside is written `'\''`.
 * @throws KitcfgError `INVALID_KEY` or `INVALID_VALUE` as `format.stringify`.
 */
export function renderShellExports(vars: Record<string, string>): string {
  return Object.entries(vars)
    .map(([key, value]) => `export ${checkKey(key)}='${checkValue(key, value).replaceAll("'", "'\\''")}'\n`)
    .join("");
}

// --- internal ---

/** One assignment; offsets cover its whole line(s) and the value's text. */
interface EnvEntry {
  key: string;
  value: string;
  exported: boolean;
  lineStart: number;
  valueStart: number;
  valueEnd: number;
  lineEnd: number;
}

function parseEnv(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const entry of scanEnv(text)) defineOwn(result, entry.key, entry.value);
  return result;
}

function stringifyEnv(value: unknown, _style?: FormatStyle): string {
  if (!isPlainObject(value))
    throw new KitcfgError("INVALID_VALUE", "Cannot write an env file: expected an object of strings");
  return Object.entries(value)
    .map(([key, item]) => `${checkKey(key)}=${quoteValue(checkValue(key, item))}\n`)
    .join("");
}

function editEnv(text: string, changes: readonly Change[], _style?: FormatStyle): string {
  const before = parseEnv(text);
  // Unsets in a row are made together, in one reading of the text: one reading each made
  // `configure --force` over a file of many unknown variables grow with their square.
  const unsets = new Set<string>();
  for (const change of changes) {
    if (change.path.length !== 1) {
      throw new KitcfgError(
        "EDIT_FAILED",
        `Cannot edit "${change.path.join(".")}" in an env file: keys have exactly one segment`,
      );
    }
    const key = checkKey(change.path[0]!);
    if (change.op === "unset") {
      unsets.add(key);
      continue;
    }
    text = setKey(unsetKeys(text, unsets), key, checkValue(key, change.value));
    unsets.clear();
  }
  text = unsetKeys(text, unsets);
  if (!deepEqual(parseEnv(text), withChanges(before, changes))) {
    throw new KitcfgError(
      "EDIT_FAILED",
      "Cannot edit the env file in place: the result does not read back as intended",
    );
  }
  return text;
}

function setKey(text: string, key: string, value: string): string {
  const entries = scanEnv(text);
  const entry = entries.findLast((e) => e.key === key);
  if (entry?.value === value) return text; // keep its quoting, so an idempotent set shows no diff
  if (entry) return text.slice(0, entry.valueStart) + quoteValue(value) + text.slice(entry.valueEnd);
  const prefix = entries.length > 0 && entries.every((e) => e.exported) ? "export " : "";
  const line = `${prefix}${key}=${quoteValue(value)}`;
  const eolAt = text.indexOf("\n");
  const eol = eolAt > 0 && text[eolAt - 1] === "\r" ? "\r\n" : "\n";
  if (text === "") return line + eol;
  // Keep the file's trailing newline, or its absence.
  return text.endsWith("\n") ? text + line + eol : text + eol + line;
}

/**
 * `text` without the lines of `keys`, the rest joined once (a slice and a join for each line
 * removed grew with the square of a file of thousands). A file without a final newline whose
 * last lines go still ends without one: the line break before them goes too.
 */
function unsetKeys(text: string, keys: ReadonlySet<string>): string {
  if (keys.size === 0) return text;
  const gone = scanEnv(text).filter((e) => keys.has(e.key));
  if (gone.length === 0) return text;
  const kept: string[] = [];
  let at = 0;
  for (const entry of gone) {
    kept.push(text.slice(at, entry.lineStart));
    at = entry.lineEnd;
  }
  kept.push(text.slice(at));
  const out = kept.join("");
  if (at < text.length || /[\r\n]$/.test(text)) return out;
  return out.endsWith("\r\n") ? out.slice(0, -2) : /[\r\n]$/.test(out) ? out.slice(0, -1) : out;
}

/** Double quotes are read the same by systemd and sh when `"`, `\`, `` ` `` and `$` are escaped. */
function quoteValue(value: string): string {
  if (value === "" || SAFE_VALUE.test(value)) return value;
  return `"${value.replace(/["\\`$]/g, "\\$&")}"`;
}

function checkKey(key: string): string {
  if (!KEY.test(key)) {
    throw new KitcfgError(
      "INVALID_KEY",
      `Invalid env variable name ${JSON.stringify(key)}: expected letters, digits and "_", not starting with a digit`,
    );
  }
  return key;
}

function checkValue(key: string, value: unknown): string {
  if (typeof value !== "string") {
    throw new KitcfgError(
      "INVALID_VALUE",
      `Cannot write "${key}" to an env file: expected a string, got ${value === null ? "null" : typeof value}`,
    );
  }
  if (value.includes("\0"))
    throw new KitcfgError("INVALID_VALUE", `Cannot write "${key}" to an env file: it contains a NUL byte`);
  // Quoted, a line break would survive systemd and sh, but not the many readers that take one line per variable.
  if (/[\r\n]/.test(value))
    throw new KitcfgError("INVALID_VALUE", `Cannot write "${key}" to an env file: its value holds a line break`);
  return value;
}

/** Every value, where it is written (quotes and escapes included) and what it reads as. */
function envStrings(text: string): StringSpan[] {
  return scanEnv(text).map((entry) => ({ start: entry.valueStart, end: entry.valueEnd, value: entry.value }));
}

function scanEnv(text: string): EnvEntry[] {
  const entries: EnvEntry[] = [];
  let pos = 0;
  while (pos < text.length) {
    const lineStart = pos;
    pos = skipBlanks(text, pos);
    const c = text[pos];
    if (c === "#" || c === ";") pos = endOfLine(text, pos);
    else if (c !== undefined && c !== "\n" && c !== "\r") {
      const entry = scanEntry(text, lineStart, pos);
      entries.push(entry);
      pos = entry.lineEnd;
      continue;
    }
    pos = afterNewline(text, pos);
  }
  return entries;
}

function scanEntry(text: string, lineStart: number, pos: number): EnvEntry {
  const exported = /export[ \t]+/y;
  exported.lastIndex = pos;
  const isExported = exported.test(text);
  if (isExported) pos = exported.lastIndex;
  const assignment = /([^=\r\n]*)=/y;
  assignment.lastIndex = pos;
  const match = assignment.exec(text);
  if (!match) fail(text, endOfLine(text, pos), 'expected "=" after the variable name');
  const key = match[1]!.trimEnd();
  if (!KEY.test(key)) fail(text, pos, `invalid variable name ${JSON.stringify(key)}`);
  const valueStart = skipBlanks(text, assignment.lastIndex);
  const { value, valueEnd, end } = scanValue(text, valueStart);
  return { key, value, exported: isExported, lineStart, valueStart, valueEnd, lineEnd: afterNewline(text, end) };
}

/** systemd's value states: blanks after a quoted part are skipped, trailing unquoted blanks trimmed. */
function scanValue(text: string, pos: number): { value: string; valueEnd: number; end: number } {
  let value = "";
  let kept = 0;
  let valueEnd = pos;
  let afterQuote = false;
  while (pos < text.length) {
    const c = text[pos]!;
    if (c === "\n" || c === "\r") break;
    if (c === "'" || c === '"') {
      const part = c === "'" ? scanSingle(text, pos) : scanDouble(text, pos);
      value += part.text;
      pos = part.end;
    } else if (c === "\\") {
      const next = text[pos + 1] ?? "";
      const continued = next === "\n" || next === "\r";
      value += continued ? "" : next;
      pos = continued ? afterNewline(text, pos + 1) : pos + 2;
    } else {
      pos++;
      if (c === " " || c === "\t") {
        if (!afterQuote) value += c;
        continue;
      }
      value += c;
    }
    afterQuote = c === "'" || c === '"';
    kept = value.length;
    valueEnd = pos;
  }
  return { value: value.slice(0, kept), valueEnd, end: pos };
}

function scanSingle(text: string, start: number): { text: string; end: number } {
  const close = text.indexOf("'", start + 1);
  if (close < 0) fail(text, start, "unterminated single-quoted value");
  return { text: text.slice(start + 1, close), end: close + 1 };
}

function scanDouble(text: string, start: number): { text: string; end: number } {
  let out = "";
  for (let pos = start + 1; pos < text.length; pos++) {
    const c = text[pos]!;
    if (c === '"') return { text: out, end: pos + 1 };
    if (c !== "\\") {
      out += c;
      continue;
    }
    const next = text[++pos] ?? "";
    // As in sh: only these four lose their backslash; backslash-newline disappears.
    if ('"\\`$'.includes(next)) out += next;
    else if (next !== "\n") out += `\\${next}`;
  }
  fail(text, start, "unterminated double-quoted value");
}

function skipBlanks(text: string, pos: number): number {
  while (text[pos] === " " || text[pos] === "\t") pos++;
  return pos;
}

function endOfLine(text: string, pos: number): number {
  while (pos < text.length && text[pos] !== "\n" && text[pos] !== "\r") pos++;
  return pos;
}

function afterNewline(text: string, pos: number): number {
  if (text[pos] === "\r") pos++;
  if (text[pos] === "\n") pos++;
  return pos;
}

function defineOwn(target: Record<string, string>, key: string, value: string): void {
  // `__proto__` is a valid variable name; keep it an own key.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function fail(text: string, pos: number, detail: string): never {
  const { line, column } = locate(text, pos);
  throw new ParseError(`Invalid env file at line ${line}, column ${column}: ${detail}`, { line, column });
}
