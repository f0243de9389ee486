/**
 * TOML, as Go daemons write it: parsed with smol-toml, written with tables indented by
 * `style.indent`, and edited in place by a line-based editor that keeps comments, blank lines,
 * indentation and CRLF (see `_toml-edit.ts`).
 */
import { KitcfgError } from "../errors.ts";
import { linkedPath } from "../keypath.ts";
import type { KeyLink } from "../keypath.ts";
import { commentEntries } from "./_loose-entries.ts";
import { editToml } from "./_toml-edit.ts";
import { parseTomlReopening } from "./_toml-implicit.ts";
import { parseToml } from "./_toml-parse.ts";
import { tomlStrings } from "./_toml-scan.ts";
import { isTable, renderTable } from "./_toml-write.ts";
import type { Format, FormatReading, FormatStyle } from "./types.ts";

/**
 * The TOML format.
 * - `parse`: integers that fit a JS safe integer are numbers, larger ones bigints; dates are
 *   smol-toml `TomlDate`s; tables are null-prototype objects.
 * - `stringify`: top-level keys, then `[tables]` (nested ones indented one `style.indent` per
 *   level, keys one more); arrays are always inline, never `[[tables]]`.
 * - `edit`: set/unset in place. A missing key whose table holds a commented-out assignment of
 *   it (`#Key = ...`) takes that line; `style.commentOnUnset` comments a line out instead of
 *   removing it. Arrays of tables and paths into arrays are refused with `EDIT_FAILED`.
 * - `reading({ reopensImplicitTables: true })` is TOML as a decoder reads it that lets a table
 *   defined only implicitly be defined again (`FormatReading.reopensImplicitTables`).
 */
export const format: Format = {
  parse: parseToml,
  stringify: stringifyToml,
  edit: editToml,
  strings: tomlStrings,
  entries: tomlEntries,
  nouns: { object: "a table", list: "an array" },
  reading: readingToml,
};

/** The TOML format read with `reading`: parsed, edited and listed as the daemon reads it. */
function readingToml(reading: FormatReading): Format {
  if (!reading.reopensImplicitTables) return format;
  const read = parseTomlReopening;
  return {
    ...format,
    parse: read,
    edit: (text, changes, style, options) => editToml(text, changes, style, options, read),
    strings: (text) => tomlStrings(text, read),
    entries: (text) => tomlEntries(text, read),
  };
}

/**
 * Every value of a TOML text by its full key path, an array's items each under the array's:
 * a secret's key written under another table (a line appended at the end of the file lands
 * in the last table) is still found by its last segments. The assignments of comment lines
 * follow, by their key alone (`#RemoteBackend = "..."`: see `commentEntries`). A text that
 * does not parse throws, and its secrets are then read line by line.
 */
export function tomlEntries(
  text: string,
  read: (text: string) => unknown = parseToml,
): { path: string[]; value: string }[] {
  const entries: { path: string[]; value: string }[] = [];
  // Depth first in document order, with a stack of its own and each key linked to its table's:
  // a text may nest tables as deep as it likes (`a.a.a.… = 1`), and copying each level's path
  // (or a call per level) made 70,000 levels take seconds.
  const stack: [unknown, KeyLink | undefined][] = [[read(text), undefined]];
  while (stack.length > 0) {
    const [value, at] = stack.pop()!;
    if (Array.isArray(value)) for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], at]);
    else if (isTable(value)) {
      const members = Object.entries(value);
      for (let i = members.length - 1; i >= 0; i--) stack.push([members[i]![1], { key: members[i]![0], up: at }]);
    } else if (typeof value === "string" || typeof value === "number" || typeof value === "bigint")
      entries.push({ path: linkedPath(at), value: String(value) });
  }
  return [...entries, ...commentEntries(text)];
}

/**
 * Write a table as a new TOML document.
 * @throws KitcfgError (`INVALID_VALUE`) when `value` is not a table or holds a value TOML cannot hold.
 */
export function stringifyToml(value: unknown, style: FormatStyle = {}): string {
  if (!isTable(value)) throw new KitcfgError("INVALID_VALUE", "Cannot write TOML: the document must be a table");
  const indent = typeof style.indent === "number" ? " ".repeat(style.indent) : (style.indent ?? "");
  const text = renderTable([], value, { key: indent, header: indent }).join("\n");
  return style.trailingNewline === false || text === "" ? text : `${text}\n`;
}
