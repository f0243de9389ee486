/**
 * The TOML editor: applies set/unset changes to the real text, line by line, so that every
 * byte a change does not concern stays as it was. Each change re-scans the text it is given;
 * config files are small and this keeps every step simple and independent.
 */
import { KitcfgError } from "../errors.ts";
import { deepEqual, formatKeyPath, getPath, samePath, setPath, unsetPath, withChanges } from "../keypath.ts";
import { commentOut } from "./_toml-commented.ts";
import { removeLines } from "./_toml-lines.ts";
import { parseToml } from "./_toml-parse.ts";
import { addKey, isPrefix, isPrefixOrSame, removeTable } from "./_toml-place.ts";
import { scanToml } from "./_toml-scan.ts";
import type { TomlEntry, TomlLayout } from "./_toml-scan.ts";
import { formatValue, isFloatText, isTable } from "./_toml-write.ts";
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

function replaceValue(layout: TomlLayout, entry: TomlEntry, value: unknown, style: FormatStyle): string {
  const { text } = layout;
  const old = text.slice(entry.valueStart, entry.valueEnd);
  return (
    text.slice(0, entry.valueStart) +
    formatValue(value, !style.noFloats && isFloatText(old)) +
    text.slice(entry.valueEnd)
  );
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
