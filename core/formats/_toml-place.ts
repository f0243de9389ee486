/**
 * Where the TOML editor puts what is new and what a removal takes: a key added on a line of its
 * table (or its commented default taken up), a table added after its closest ancestor, a table
 * removed with its sub-tables and dotted keys, each in the indentation the file already uses.
 */
import { insertLines } from "./_text-lines.ts";
import { firstNonBlank, lastNonBlank, ownRegion, removeLines } from "./_toml-lines.ts";
import { findCommented, uncomment } from "./_toml-commented.ts";
import type { TomlHeader, TomlLayout } from "./_toml-scan.ts";
import { formatDottedKey, formatValue, isTable, renderTable } from "./_toml-write.ts";
import type { TomlIndent } from "./_toml-write.ts";
import type { FormatStyle, KeyPath } from "./types.ts";

/** A key that is not in the file: uncomment its default, add a line, or add a table. */
export function addKey(layout: TomlLayout, path: KeyPath, value: unknown, style: FormatStyle): string {
  const table = containerOf(layout, path);
  const rel = path.slice(table?.path.length ?? 0);
  const dotted = layout.entries.some((e) => e.table === table && e.key.length > 1 && e.key[0] === rel[0]);
  if (dotted || (rel.length === 1 && !isTable(value))) return addLine(layout, table, rel, value, style);
  const tablePath = isTable(value) ? path : path.slice(0, -1);
  const content = isTable(value) ? value : { [path[path.length - 1]!]: value };
  return addTable(layout, tablePath, content, style);
}

/** Remove a table: its headers, sub-tables and any dotted keys that define it elsewhere. */
export function removeTable(layout: TomlLayout, path: KeyPath): string {
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

/** `prefix` is a proper prefix of `path`. */
export function isPrefix(prefix: KeyPath, path: KeyPath): boolean {
  return prefix.length < path.length && prefix.every((s, i) => s === path[i]);
}

export function isPrefixOrSame(prefix: KeyPath, path: KeyPath): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => s === path[i]);
}

// --- internal ---

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
