/**
 * The TOML editor: applies set/unset changes to the real text, line by line, so that every
 * byte a change does not concern stays as it was. Each change re-scans the text it is given;
 * config files are small and this keeps every step simple and independent.
 */
import { KitcfgError } from "../errors.ts";
import { deepEqual, formatKeyPath, getPath, samePath, setPath, unsetPath, withChanges } from "../keypath.ts";
import { firstNonBlank, insertLines, lastNonBlank, ownRegion, removeLines } from "./_toml-lines.ts";
import { parseToml } from "./_toml-parse.ts";
import { decodeKey, scanKeyEnd, scanToml } from "./_toml-scan.ts";
import type { TomlEntry, TomlHeader, TomlLayout } from "./_toml-scan.ts";
import { formatDottedKey, formatValue, isFloatText, isTable, renderTable } from "./_toml-write.ts";
import type { TomlIndent } from "./_toml-write.ts";
import type { Change, EditOptions, FormatStyle, KeyPath } from "./types.ts";

/** How the editor reads a text: `parseToml`, or the reading of the file's daemon. */
type TomlRead = (text: string) => unknown;

/**
 * Apply `changes` in order to TOML `text`, then check that the result parses to exactly the
 * value the changes describe, each text read with `read`.
 * @throws ParseError when `text` is malformed.
 * @throws KitcfgError (`EDIT_FAILED`) for arrays of tables, paths into arrays, or a result that
 * does not read back as intended; (`INVALID_VALUE`) for values TOML cannot hold.
 */
export function editToml(
  text: string,
  changes: readonly Change[],
  style: FormatStyle = {},
  _options: EditOptions = {},
  read: TomlRead = parseToml,
): string {
  const before = read(text);
  let out = text;
  for (const change of changes) {
    if (change.path.length === 0)
      throw editFailed(change.path, "the key path is empty", "Name a key, e.g. API.ListenAddress");
    if (change.op === "set") {
      if (change.value === undefined)
        throw new KitcfgError("INVALID_VALUE", `Cannot set "${formatKeyPath(change.path)}": the value is undefined`);
      out = setKey(out, change.path, change.value, style, read);
    } else {
      out = unsetKey(out, change.path, style, read);
    }
  }
  verifyEdit(out, withChanges(before, changes), read);
  return out;
}

// --- internal ---

function setKey(text: string, path: KeyPath, value: unknown, style: FormatStyle, read: TomlRead): string {
  const layout = scanToml(text);
  const doc = read(text);
  refuseArrays(layout, doc, path);
  if (sameValue(getPath(doc, path), value)) return text;
  const entry = layout.entries.find((e) => samePath(e.path, path));
  if (entry) return replaceValue(layout, entry, value, style);
  const outer = layout.entries.find((e) => isPrefix(e.path, path));
  if (outer) {
    // The path runs into an inline table (or through a scalar): rewrite that one value.
    const current = getPath(doc, outer.path);
    return replaceValue(
      layout,
      outer,
      setPath(isTable(current) ? current : {}, path.slice(outer.path.length), value),
      style,
    );
  }
  if (isTablePath(layout, path)) return replaceTable(text, path, value, style, read);
  return addKey(layout, path, value, style);
}

function unsetKey(text: string, path: KeyPath, style: FormatStyle, read: TomlRead): string {
  const layout = scanToml(text);
  const doc = read(text);
  refuseArrays(layout, doc, path);
  const entry = layout.entries.find((e) => samePath(e.path, path));
  if (entry) {
    const out = style.commentOnUnset ? commentOut(layout, entry) : removeLines(layout, entry.line, entry.lastLine);
    return keepParent(out, path, doc, style, read);
  }
  const outer = layout.entries.find((e) => isPrefix(e.path, path));
  if (outer) {
    const current = getPath(doc, outer.path);
    const rest = path.slice(outer.path.length);
    if (!isTable(current) || getPath(current, rest) === undefined) return text;
    return replaceValue(layout, outer, unsetPath(current, rest), style);
  }
  return isTablePath(layout, path) ? keepParent(removeTable(layout, path), path, doc, style, read) : text;
}

/**
 * An unset keeps the table it emptied (as `unsetPath` does). A table that existed only through
 * the removed lines (dotted keys, or a sub-table header) gets an empty `[header]` of its own.
 */
function keepParent(text: string, path: KeyPath, before: unknown, style: FormatStyle, read: TomlRead): string {
  const parent = path.slice(0, -1);
  if (parent.length === 0 || !isTable(getPath(before, parent))) return text;
  return getPath(read(text), parent) === undefined ? addKey(scanToml(text), parent, {}, style) : text;
}

/** Setting a whole table: change only the keys that differ, so the rest keeps its bytes. */
function replaceTable(text: string, path: KeyPath, value: unknown, style: FormatStyle, read: TomlRead): string {
  if (!isTable(value)) return setKey(unsetKey(text, path, {}, read), path, value, style, read);
  const current = getPath(read(text), path);
  let out = text;
  for (const key of Object.keys(isTable(current) ? current : {})) {
    if (!Object.hasOwn(value, key)) out = unsetKey(out, [...path, key], style, read);
  }
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) out = setKey(out, [...path, key], item, style, read);
  }
  // Removing every key of a table defined only by dotted keys removes the table itself.
  if (getPath(read(out), path) === undefined) out = addKey(scanToml(out), path, {}, style);
  return out;
}

/** A key that is not in the file: uncomment its default, add a line, or add a table. */
function addKey(layout: TomlLayout, path: KeyPath, value: unknown, style: FormatStyle): string {
  const table = containerOf(layout, path);
  const rel = path.slice(table?.path.length ?? 0);
  const dotted = layout.entries.some((e) => e.table === table && e.key.length > 1 && e.key[0] === rel[0]);
  if (dotted || (rel.length === 1 && !isTable(value))) return addLine(layout, table, rel, value, style);
  const tablePath = isTable(value) ? path : path.slice(0, -1);
  const content = isTable(value) ? value : { [path[path.length - 1]!]: value };
  return addTable(layout, tablePath, content, style);
}

function addLine(
  layout: TomlLayout,
  table: TomlHeader | undefined,
  rel: KeyPath,
  value: unknown,
  style: FormatStyle,
): string {
  const [from, to] = ownRegion(layout, table);
  const commented = rel.length === 1 ? findCommented(layout, from, to, rel[0]!) : undefined;
  if (commented) return uncomment(layout, commented, value, style);
  const after = lastNonBlank(layout, from, to) ?? (table ? table.line : -1);
  const line = `${keyIndent(layout, table, from, to, style)}${formatDottedKey(rel)} = ${formatValue(value)}`;
  // A root key added above the first header gets a blank line, as between tables.
  const blank = after === -1 && layout.headers.length > 0 ? [""] : [];
  return insertLines(layout, after, [line, ...blank]);
}

/** A new `[table]` block after the region of its closest existing ancestor, or at the end. */
function addTable(layout: TomlLayout, path: KeyPath, content: Record<string, unknown>, style: FormatStyle): string {
  const lines = renderTable(path, content, indentOf(layout, style));
  let after = lastNonBlank(layout, 0, layout.lines.length - 1) ?? -1;
  for (let depth = path.length - 1; depth > 0; depth--) {
    const family = layout.headers.filter((h) => isPrefixOrSame(path.slice(0, depth), h.path));
    const anchor = family[family.length - 1];
    if (anchor) {
      after = lastNonBlank(layout, anchor.line, anchor.ownEnd) ?? anchor.line;
      break;
    }
  }
  return insertLines(layout, after, after === -1 ? lines : ["", ...lines]);
}

/** Remove a table: its headers, sub-tables and any dotted keys that define it elsewhere. */
function removeTable(layout: TomlLayout, path: KeyPath): string {
  const doomed = layout.lines.map(() => false);
  const mark = (from: number, to: number) => doomed.fill(true, from, to + 1);
  for (const header of layout.headers) {
    if (isPrefixOrSame(path, header.path)) mark(header.line, header.ownEnd);
  }
  for (const entry of layout.entries) {
    if (isPrefix(path, entry.path)) mark(entry.line, entry.lastLine);
  }
  let text = layout.text;
  for (let to = doomed.length - 1; to >= 0; to--) {
    if (!doomed[to]) continue;
    let from = to;
    while (from > 0 && doomed[from - 1]) from--;
    const [start, end] = trimRun(layout, from, to);
    text = removeLines({ ...layout, text }, start, end);
    to = from;
  }
  return text;
}

/**
 * A removed run keeps the blank lines that separate it from what follows; at the end of the
 * file it takes the blank lines before it instead, so the file's tail stays as it was.
 */
function trimRun(layout: TomlLayout, from: number, to: number): [number, number] {
  if (lastNonBlank(layout, to + 1, layout.lines.length - 1) !== undefined) return [from, to];
  let start = from;
  while (start > 0 && layout.lines[start - 1]!.kind === "blank") start--;
  return [start, lastNonBlank(layout, from, to) ?? to];
}

function replaceValue(layout: TomlLayout, entry: TomlEntry, value: unknown, style: FormatStyle): string {
  const { text } = layout;
  const old = text.slice(entry.valueStart, entry.valueEnd);
  return (
    text.slice(0, entry.valueStart) +
    formatValue(value, !style.noFloats && isFloatText(old)) +
    text.slice(entry.valueEnd)
  );
}

/** The commented-default style of generated TOML files: `#Key = value` at the same indentation, no space. */
function commentOut(layout: TomlLayout, entry: TomlEntry): string {
  let text = layout.text;
  for (let n = entry.lastLine; n >= entry.line; n--) {
    const line = layout.lines[n]!;
    const at = line.start + /^[ \t]*/.exec(text.slice(line.start, line.end))![0].length;
    text = `${text.slice(0, at)}#${text.slice(at)}`;
  }
  return text;
}

interface Commented {
  line: number;
  /** Offset where the value starts, after `#`, the key and `=` with their spacing. */
  valueStart: number;
  hashAt: number;
}

/** A commented-out assignment of exactly `key` (`#Key = ...`, `# Key = ...`) in the lines given. */
function findCommented(layout: TomlLayout, from: number, to: number, key: string): Commented | undefined {
  const { text } = layout;
  for (let n = from; n <= to; n++) {
    const line = layout.lines[n]!;
    if (line.kind !== "comment") continue;
    const hashAt = text.indexOf("#", line.start);
    const keyStart = skipSpaces(text, hashAt + 1);
    const keyEnd = scanKeyEnd(text, keyStart);
    const eq = skipSpaces(text, keyEnd);
    if (keyEnd === keyStart || text[eq] !== "=") continue;
    const valueStart = skipSpaces(text, eq + 1);
    // Prose such as "# Note = see below" fails here: the rest must be one TOML value.
    if (!isAssignment(text.slice(keyStart, keyEnd), text.slice(valueStart, line.end), key)) continue;
    return { line: n, valueStart, hashAt };
  }
  return undefined;
}

function isAssignment(keyText: string, valueText: string, key: string): boolean {
  try {
    const path = decodeKey(keyText);
    if (path.length !== 1 || path[0] !== key) return false;
    parseToml(`x = ${valueText}`);
    return true;
  } catch {
    return false;
  }
}

/** Turn the commented line into the live setting in place: same indentation, key and `=` spacing. */
function uncomment(layout: TomlLayout, commented: Commented, value: unknown, style: FormatStyle): string {
  const { text } = layout;
  const line = layout.lines[commented.line]!;
  const keyStart = skipSpaces(text, commented.hashAt + 1);
  const keyAndEq = text.slice(keyStart, commented.valueStart);
  const old = text.slice(commented.valueStart, line.end);
  return (
    text.slice(0, commented.hashAt) +
    keyAndEq +
    formatValue(value, !style.noFloats && isFloatText(old)) +
    text.slice(line.end)
  );
}

/** The deepest `[table]` header whose path leads to `path`; undefined for the root. */
function containerOf(layout: TomlLayout, path: KeyPath): TomlHeader | undefined {
  let best: TomlHeader | undefined;
  for (const header of layout.headers) {
    if (!header.array && isPrefix(header.path, path) && header.path.length > (best?.path.length ?? 0)) best = header;
  }
  return best;
}

function keyIndent(
  layout: TomlLayout,
  table: TomlHeader | undefined,
  from: number,
  to: number,
  style: FormatStyle,
): string {
  const own = layout.entries.filter((e) => e.table === table);
  if (own.length > 0) return own[own.length - 1]!.indent;
  for (let n = from; n <= to; n++) {
    const line = layout.lines[n]!;
    if (line.kind === "comment") return /^[ \t]*/.exec(layout.text.slice(line.start, line.end))![0];
  }
  return table ? table.indent + indentOf(layout, style).key : "";
}

/**
 * The indentation the file already uses: keys under a top-level table, and nested headers
 * (generated files often indent both by two spaces); `style.indent` only where the file shows none.
 */
function indentOf(layout: TomlLayout, style: FormatStyle): TomlIndent {
  const fallback = typeof style.indent === "number" ? " ".repeat(style.indent) : (style.indent ?? "");
  let key: string | undefined;
  for (const header of layout.headers) {
    const first = header.path.length === 1 ? firstNonBlank(layout, header.line + 1, header.ownEnd) : undefined;
    if (first === undefined) continue;
    const line = layout.lines[first]!;
    key = /^[ \t]*/.exec(layout.text.slice(line.start, line.end))![0];
    break;
  }
  key ??= fallback;
  const nested = layout.headers.find((h) => h.path.length > 1);
  return { key, header: nested && nested.indent === "" ? "" : key };
}

/** Arrays are values kitcfg replaces whole; it does not guess which element a path means. */
function refuseArrays(layout: TomlLayout, doc: unknown, path: KeyPath): void {
  const arrayTable = layout.headers.find((h) => h.array && isPrefixOrSame(h.path, path));
  if (arrayTable) throw editFailed(path, `"[[${formatKeyPath(arrayTable.path)}]]" is an array of tables`);
  let node = doc;
  for (let i = 0; i < path.length - 1 && isTable(node); i++) {
    node = node[path[i]!];
    if (Array.isArray(node)) throw editFailed(path, `"${formatKeyPath(path.slice(0, i + 1))}" is an array`);
  }
}

/** True when `path` names a table: a header for it or under it, or dotted keys under it. */
function isTablePath(layout: TomlLayout, path: KeyPath): boolean {
  return layout.headers.some((h) => isPrefixOrSame(path, h.path)) || layout.entries.some((e) => isPrefix(path, e.path));
}

function verifyEdit(out: string, expected: unknown, read: TomlRead): void {
  let actual: unknown;
  try {
    actual = read(out);
  } catch (cause) {
    throw new KitcfgError("EDIT_FAILED", "Cannot edit the TOML document in place: the result does not parse", {
      cause,
    });
  }
  if (!sameValue(actual, expected)) {
    throw new KitcfgError(
      "EDIT_FAILED",
      "Cannot edit the TOML document in place: the result does not read back as intended",
      {
        hint: "Edit the file by hand: kitcfg only writes edits it can read back",
      },
    );
  }
}

function editFailed(
  path: KeyPath,
  reason: string,
  hint = "Set the whole array instead, or edit the file by hand",
): KitcfgError {
  return new KitcfgError("EDIT_FAILED", `Cannot edit "${formatKeyPath(path)}" in place: ${reason}`, {
    key: formatKeyPath(path),
    hint,
  });
}

/** keypath's deepEqual takes two dates for two empty objects; a date compares by its TOML text. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.toISOString() === b.toISOString();
  }
  return deepEqual(a, b);
}

function skipSpaces(text: string, from: number): number {
  let i = from;
  while (text[i] === " " || text[i] === "\t") i++;
  return i;
}

/** `prefix` is a proper prefix of `path`. */
function isPrefix(prefix: KeyPath, path: KeyPath): boolean {
  return prefix.length < path.length && prefix.every((s, i) => s === path[i]);
}

function isPrefixOrSame(prefix: KeyPath, path: KeyPath): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => s === path[i]);
}
