/**
 * JSON as Go daemons write it (`json.MarshalIndent`), and an editor that
 * changes only the bytes a change concerns.
 */
import { KitcfgError, ParseError, locate } from "../errors.ts";
import { deepEqual, samePath, setPath, withChanges } from "../keypath.ts";
import { exactIntegers, parseJsonExact } from "./_json-exact.ts";
import { parseEditedJson } from "./_json-reread.ts";
import { countMemberKeys, countMembers } from "./_json-members.ts";
import { looseEntries } from "./_loose-entries.ts";
import { type Entry, type JsonNode, scanAlong, scanJson, skipSpace, stringEnd, valueEnd } from "./_json-scan.ts";
import type { Change, EditOptions, Format, FormatReading, FormatStyle, KeyPath, StringSpan } from "./types.ts";

const BOM = "\uFEFF";

/** Go's encoder escapes these in its default (HTML-safe) mode; U+2028/9 it escapes always. */
const GO_ESCAPES: Readonly<Record<string, string>> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/**
 * JSON.
 *
 * - `parse` has `JSON.parse` semantics, except that an integer past 2^53 comes back as a
 *   bigint with every digit written (`_json-exact.ts`: Go reads such an integer exactly); a
 *   leading BOM is accepted, and errors carry the 1-based line and column (after the BOM).
 * - `stringify` writes Go's `json.MarshalIndent` layout: `{}`/`[]` for empties, key order as
 *   inserted, `style.indent` spaces or string (default 2; 0 or "" for one compact line), a
 *   newline only with `style.trailingNewline`, and with `style.escapeHtml` `<>&` (and
 *   U+2028/U+2029, which Go always escapes) as `\u003c` and so on.
 * - `edit` rewrites only what each change concerns, in order: a set replaces a value's text
 *   (nothing at all when it already holds that value, but a number is written as given)
 *   or appends a member after its last sibling, copying that sibling's separator, colon
 *   spacing and indent; new objects and arrays follow the document's indent unit, line
 *   ending and one-line or multi-line layout (the style is used only when the text gives no
 *   hint, e.g. `{}`); missing or non-object levels become objects. An unset removes the
 *   member, its comma and its line, and every duplicate of it; with duplicates a set changes
 *   the last, which readers use. A BOM, CRLF and the trailing newline (or its absence) are
 *   kept. The result is parsed again and compared with the intended value.
 * - `parseEdited` reads an edited document from the members of the root object the edit
 *   changed (see `_json-reread.ts`).
 * - `reading({ ignoresTrailingText: true })` is JSON as Go's `json.Decoder.Decode` reads it:
 *   text after the root object or array is left out by `parse` and `strings`, kept by
 *   `edit`, and located by `unread`.
 *
 * Values JSON cannot hold (undefined, functions, symbols, NaN, Infinity) are refused with
 * `INVALID_VALUE`; undefined object members are skipped and `toJSON` is used, as
 * `JSON.stringify` does; a bigint is written as an integer, every digit of it.
 *
 * @throws ParseError for malformed text; KitcfgError `EDIT_FAILED` to unset the whole
 * document or when the edited text would not read back as intended.
 */
export const format: Format = {
  parse: parseJson,
  stringify: stringifyJson,
  edit: editJson,
  strings: jsonStrings,
  lineStrings: jsonLineStrings,
  entries: (text) => jsonEntries(text),
  parseEdited: parseEditedJson,
  reading: readingJson,
};

// --- internal ---

/** JSON read up to the end of the document, the text after it left unread. */
let firstValue: Format | undefined;

function readingJson(reading: FormatReading): Format {
  if (!reading.ignoresTrailingText) return format;
  firstValue ??= {
    ...format,
    parse: (text) => parseJson(text, true),
    edit: (text, changes, style, options) => editJson(text, changes, style, options, true),
    strings: (text) => jsonStrings(text, true),
    // The document's members, then the key-value pairs of the text after it, read line by line
    // (`looseEntries`): no configuration, but a second copy of the file or a note pasted there
    // holds secrets all the same, which a diff's context lines would show. No JSON grammar
    // there: a stray quote would throw it off.
    entries: (text) => {
      const end = documentEnd(text);
      return [...jsonEntries(text.slice(0, end)), ...looseEntries(text.slice(end))];
    },
    unread: (text) => {
      const rest = skipSpace(text, documentEnd(text));
      return rest < text.length ? locate(text, rest).line : undefined;
    },
  };
  return firstValue;
}

/** Past the document of a text that parses with text after it allowed. */
function documentEnd(text: string): number {
  return valueEnd(text, skipSpace(text, text.startsWith(BOM) ? BOM.length : 0));
}

/**
 * Every string and number member of a JSON document by its key path (an array's items under
 * the array's), each duplicate key's too: `parse` keeps a key's last member, yet the ones it
 * shadows are still on disk, where a diff's context shows them, and Go's decoder reads an
 * object given twice into one struct (a first `"Identity"`'s PrivKey stays there). None for a
 * document that gives no key twice: `parse` keeps each of its members, so its value tells them.
 * @throws ParseError for malformed text.
 */
function jsonEntries(text: string): { path: string[]; value: string }[] {
  const body = text.startsWith(BOM) ? text.slice(BOM.length) : text;
  if (!mayRepeatKey(body)) return [];
  const entries: { path: string[]; value: string }[] = [];
  // A stack, not recursion: the walk goes as deep as the document.
  const stack: [JsonNode, string[]][] = [[scanJson(body), []]];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (node.kind !== "scalar") {
      for (const entry of node.entries) stack.push([entry.value, entry.key === null ? path : [...path, entry.key]]);
      continue;
    }
    const raw = body.slice(node.start, node.end);
    if (raw.startsWith('"')) entries.push({ path, value: JSON.parse(raw) as string });
    else if (raw !== "true" && raw !== "false" && raw !== "null") entries.push({ path, value: raw });
  }
  return entries;
}

/**
 * Whether a JSON document may give a key twice in one object: it writes more member keys than
 * its parsed value holds (`countMemberKeys` errs towards yes).
 */
function mayRepeatKey(document: string): boolean {
  try {
    return countMemberKeys(document) !== countMembers(JSON.parse(document));
  } catch {
    return true;
  }
}

/** Every string literal of a JSON document, keys included, with what it decodes to. */
function jsonStrings(text: string, trailing = false): StringSpan[] {
  // Only a document that parses has strings to list; then a quote outside a string opens one.
  parseJson(text, trailing);
  return jsonLineStrings(text);
}

/**
 * The string literals of whole lines of a JSON document that parses: a line starts outside
 * any string, since a JSON string holds no line break. Text after the document (which a
 * reader may leave unread) is listed up to a quote that opens no string JSON can read.
 */
function jsonLineStrings(text: string): StringSpan[] {
  const spans: StringSpan[] = [];
  for (let start = text.indexOf('"'); start !== -1; ) {
    const end = stringEnd(text, start);
    if (end - start < 2 || text.charCodeAt(end - 1) !== 34) break; // unclosed: not a document that parses
    const spelling = text.slice(start, end);
    const value = spelling.includes("\\") ? decodeString(spelling) : spelling.slice(1, -1);
    if (value === undefined) break;
    spans.push({ start, end, value });
    start = text.indexOf('"', end);
  }
  return spans;
}

/** What a string literal with an escape reads as; undefined for one that is no JSON string. */
function decodeString(spelling: string): string | undefined {
  try {
    return JSON.parse(spelling) as string;
  } catch {
    return undefined;
  }
}

/** How to write a value: `unit` null means on one line, joined with `comma`. */
interface Layout {
  unit: string | null;
  eol: string;
  colon: string;
  comma: string;
  escapeHtml: boolean;
}

/** The layout an existing document uses; `multiline` says whether new containers open up. */
interface DocLayout extends Omit<Layout, "unit"> {
  unit: string;
  multiline: boolean;
}

/** A JSON text, a BOM skipped; with `trailing`, its document, any text after it left out. */
function parseJson(text: string, trailing = false): unknown {
  return parseBody(text.startsWith(BOM) ? text.slice(1) : text, trailing);
}

function parseBody(body: string, trailing: boolean): unknown {
  try {
    return parseJsonExact(body);
  } catch (cause) {
    // JSON.parse says what but not where; our own reader finds the position, or where the document ends.
    const root = scanJson(body, trailing);
    if (trailing && skipSpace(body, root.end) < body.length) return parseJsonExact(body.slice(0, root.end));
    throw new ParseError(`Invalid JSON: ${(cause as Error).message}`, { cause });
  }
}

function stringifyJson(value: unknown, style: FormatStyle = {}): string {
  const unit = indentUnit(style.indent);
  const colon = unit === null ? ":" : ": ";
  const layout: Layout = { unit, eol: "\n", colon, comma: ",", escapeHtml: style.escapeHtml ?? false };
  return render(value, layout, "") + (style.trailingNewline ? "\n" : "");
}

function editJson(
  text: string,
  changes: readonly Change[],
  style: FormatStyle = {},
  options: EditOptions = {},
  trailing = false,
): string {
  const bom = text.startsWith(BOM) ? BOM : "";
  let body = text.slice(bom.length);
  // A caller that checks the result has parsed the text: it is not read whole again here.
  const before = options.checked ? undefined : parseBody(body, trailing);
  // Changes before `single` are applied one at a time: a run looked for there found none.
  for (let i = 0, single = 0; i < changes.length; ) {
    const run = i < single ? undefined : insertRun(body, changes, i, style);
    if (run?.text !== undefined) {
      body = run.text;
      i = run.next;
      continue;
    }
    single = run?.next ?? single;
    body = applyChange(body, changes[i]!, style);
    i++;
  }
  if (!options.checked) {
    verifyEdit(
      body,
      withChanges(before, changes),
      changes.every((change) => change.op === "unset" || isPlainJson(change.value)),
      trailing,
    );
  }
  return bom + body;
}

/**
 * One change to a document that parses. Only the containers along the change's path are
 * read member by member; every other value is skipped over, so a change costs one pass
 * over the text, and the document's layout is looked for only when a container is written.
 */
function applyChange(text: string, change: Change, style: FormatStyle): string {
  // A set needs the members along its path, not those after them (see scanAlong).
  const root = scanAlong(text, skipSpace(text, 0), change.path, change.op === "set");
  if (change.op === "unset") {
    if (change.path.length === 0) {
      throw new KitcfgError("EDIT_FAILED", "Cannot unset the whole JSON document: a JSON file must hold a value");
    }
    return removeKey(text, root, change.path);
  }
  const doc = lazyLayout(text, style);
  if (change.path.length === 0 || root.kind !== "object") {
    // A path into a non-object root turns the root into an object, as setPath does.
    const value = setPath(undefined, change.path, change.value);
    const layout = holdsContainer(value)
      ? { ...doc(), unit: doc().multiline ? doc().unit : null }
      : scalarLayout(style);
    return splice(text, root.start, root.end, render(value, layout, ""));
  }
  return setKey(text, root, change.path, change.value, doc, style);
}

function setKey(
  text: string,
  node: JsonNode,
  path: KeyPath,
  value: unknown,
  doc: LazyLayout,
  style: FormatStyle,
): string {
  const [head, ...rest] = path as string[];
  const entry = lastEntry(node, head!);
  if (!entry) return insertEntry(text, node, head!, setPath(undefined, rest, value), doc, style);
  if (rest.length > 0 && entry.value.kind === "object") return setKey(text, entry.value, rest, value, doc, style);
  const next = setPath(undefined, rest, value);
  const layout = holdsContainer(next) ? layoutIn(text, node, doc()) : scalarLayout(style);
  const rendered = render(next, layout, lineIndent(text, entry.start));
  const old = text.slice(entry.value.start, entry.value.end);
  // Same value: keep its bytes (`\u003c`), so an idempotent set shows no diff. A number is
  // written as asked, though: Go reads `90.0` into an integer field as an error, so its
  // spelling is part of what a daemon reads (`--set X=90` is how that is fixed).
  const respelled = /^-?\d/.test(old) && old !== rendered;
  if (!respelled && deepEqual(parseJsonExact(old), parseJsonExact(rendered))) return text;
  return splice(text, entry.value.start, entry.value.end, rendered);
}

/**
 * Consecutive sets of members an object does not have yet (`changes` from `from`): written
 * in one splice after its last member, as one `applyChange` each would write them. A map set
 * whole from a desired state is a set per member: one at a time, each would read the whole
 * object again (a thousand members, a thousand readings). The document's layout is read once,
 * before the run: what it is read from cannot change as members are appended once the object
 * has two (the separator between them is a hint; the members appended are written in the
 * layout, so they show the same hints). Without `text` when fewer than two changes qualify,
 * or the object has fewer than two members (the first ones are added one at a time): `next`
 * then says up to where no run need be looked for again (members the object has already are
 * set in place); undefined when nothing was read.
 */
function insertRun(
  text: string,
  changes: readonly Change[],
  from: number,
  style: FormatStyle,
): { text?: string; next: number } | undefined {
  const first = changes[from]!;
  const parentPath = first.path.slice(0, -1);
  const sameParent = (change: Change | undefined): boolean =>
    change?.op === "set" && change.path.length === first.path.length && samePath(change.path.slice(0, -1), parentPath);
  if (first.op !== "set" || first.path.length === 0 || !sameParent(changes[from + 1])) return undefined;
  let node: JsonNode | undefined = scanAlong(text, skipSpace(text, 0), first.path);
  for (const segment of parentPath) node = node && lastEntry(node, segment)?.value;
  if (node?.kind !== "object" || node.entries.length < 2) return { next: from + 1 };
  const present = new Set(node.entries.map((entry) => entry.key));
  // Members the object has: each is set in place, and no run is looked for before the first new one.
  let start = from;
  while (sameParent(changes[start]) && present.has(changes[start]!.path.at(-1)!)) start++;
  if (start > from) return { next: start };
  const members: [string, unknown][] = [];
  for (let i = from; sameParent(changes[i]); i++) {
    const change = changes[i] as Change & { op: "set" };
    const key = change.path.at(-1)!;
    if (present.has(key)) break;
    present.add(key);
    members.push([key, change.value]);
  }
  if (members.length < 2) return { next: from + 1 };
  return { text: appendMembers(text, node, members, lazyLayout(text, style), style), next: from + members.length };
}

/** Append a member, as `appendMembers` does; an empty object gets it in the document's layout. */
function insertEntry(
  text: string,
  obj: JsonNode,
  key: string,
  value: unknown,
  lazy: LazyLayout,
  style: FormatStyle,
): string {
  if (obj.entries.length > 0) return appendMembers(text, obj, [[key, value]], lazy, style);
  const doc = lazy();
  const layout = layoutIn(text, obj, doc);
  const name = quote(key, layout.escapeHtml);
  const { colon, eol } = doc;
  if (layout.unit === null) return splice(text, obj.start + 1, obj.end - 1, name + colon + render(value, layout, ""));
  const outer = lineIndent(text, obj.start);
  const inner = outer + layout.unit;
  const member = name + colon + render(value, layout, inner);
  return splice(text, obj.start + 1, obj.end - 1, eol + inner + member + eol + outer);
}

/**
 * Members after the last one of an object that has one, copying the separator and colon
 * spacing its siblings use: each new member is preceded by what preceded the last one, so
 * several appended at once read as the same members appended one by one.
 */
function appendMembers(
  text: string,
  obj: JsonNode,
  members: readonly (readonly [string, unknown])[],
  lazy: LazyLayout,
  style: FormatStyle,
): string {
  const last = obj.entries.at(-1)!;
  const prev = obj.entries.at(-2);
  // The text before the last member holds the comma style (trailing or leading) and its indent.
  const sep = prev ? text.slice(prev.value.end, last.start) : `,${text.slice(obj.start + 1, last.start)}`;
  const colon = text.slice(last.keyEnd, last.value.start);
  const indent = sep.includes("\n")
    ? /^[ \t]*/.exec(sep.slice(sep.lastIndexOf("\n") + 1))![0]
    : lineIndent(text, last.start);
  let added = "";
  for (const [key, value] of members) {
    // A scalar needs nothing of the document's layout: it is not looked for.
    const layout = holdsContainer(value) ? layoutIn(text, obj, lazy()) : scalarLayout(style);
    added += sep + quote(key, layout.escapeHtml) + colon + render(value, layout, indent);
  }
  return splice(text, last.value.end, last.value.end, added);
}

/** Remove every member at `path`: with duplicates, JSON.parse would otherwise see the earlier one. */
function removeKey(text: string, root: JsonNode, path: KeyPath): string {
  let parent = root;
  for (const segment of path.slice(0, -1)) {
    const entry = lastEntry(parent, segment);
    if (!entry) return text;
    parent = entry.value;
  }
  const key = path.at(-1);
  const index = parent.kind === "object" ? parent.entries.findLastIndex((e) => e.key === key) : -1;
  if (index < 0) return text;
  const next = removeEntry(text, parent, index);
  // A duplicate before it would be read once it is gone: remove that one too (the text is read again only then).
  if (!parent.entries.slice(0, index).some((e) => e.key === key)) return next;
  return removeKey(next, scanAlong(next, skipSpace(next, 0), path), path);
}

function removeEntry(text: string, obj: JsonNode, index: number): string {
  const entries = obj.entries;
  const entry = entries[index]!;
  if (entries.length === 1) return splice(text, obj.start + 1, obj.end - 1, "");
  // Not first: drop the separator before it, so the previous line keeps its bytes.
  if (index > 0) return splice(text, entries[index - 1]!.value.end, entry.value.end, "");
  const next = entries[1]!;
  // On lines of its own with its comma after it: whole lines go. A comma leading the next line goes with it.
  const sep = text.slice(entry.value.end, next.start);
  const ownLines =
    text.slice(obj.start, entry.start).includes("\n") && sep.includes("\n") && sep.indexOf(",") < sep.indexOf("\n");
  if (ownLines) return splice(text, lineStart(text, entry.start), lineStart(text, next.start), "");
  return splice(text, entry.start, next.start, "");
}

/** The safety net: the edited text must read back as the changes applied to the old value. */
function verifyEdit(text: string, expected: unknown, plain: boolean, trailing: boolean): void {
  // Parsed text with plain values set reads back as itself: no need to write and re-read it.
  const intended = plain ? expected : readBack(expected);
  let actual: unknown;
  try {
    actual = parseBody(text, trailing);
  } catch (cause) {
    throw new KitcfgError("EDIT_FAILED", "Cannot edit the JSON document in place: the result does not parse", {
      cause,
    });
  }
  if (!deepEqual(actual, intended)) {
    throw new KitcfgError(
      "EDIT_FAILED",
      "Cannot edit the JSON document in place: the result does not read back as intended",
    );
  }
}

/** True when `value` is what JSON.parse could return (no toJSON, bigint, undefined, -0, non-finite number). */
function isPlainJson(value: unknown): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0);
    case "object":
      if (value === null) return true;
      // An array only without holes.
      if (Array.isArray(value)) return value.every(isPlainJson) && Object.keys(value).length === value.length;
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      return Object.values(value).every(isPlainJson);
    default:
      return false;
  }
}

/** What `parse` gets back for `value` once written: toJSON applied, a bigint as the integer it is. */
function readBack(value: unknown): unknown {
  const json = JSON.stringify(value, exactIntegers);
  return json === undefined ? undefined : parseJsonExact(json);
}

/** The document's layout, looked for on first use. */
type LazyLayout = () => DocLayout;

function lazyLayout(text: string, style: FormatStyle): LazyLayout {
  let doc: DocLayout | undefined;
  return () => {
    // The text parses: its document is read, and any text after it that its reader leaves unread is not.
    doc ??= detectLayout(text, scanJson(text, true), style);
    return doc;
  };
}

/** What a scalar is written with: of the layout, only `escapeHtml` concerns it. */
function scalarLayout(style: FormatStyle): Layout {
  return { unit: null, eol: "\n", colon: ":", comma: ",", escapeHtml: style.escapeHtml ?? false };
}

/** `value` is written as an object or array (after its toJSON, as `render` does). */
function holdsContainer(value: unknown): boolean {
  const v =
    typeof (value as { toJSON?: unknown } | null)?.toJSON === "function"
      ? (value as { toJSON(): unknown }).toJSON()
      : value;
  return typeof v === "object" && v !== null;
}

function detectLayout(text: string, root: JsonNode, style: FormatStyle): DocLayout {
  const styleUnit = indentUnit(style.indent);
  const found: { unit?: string; colon?: string; comma?: string } = {};
  const queue = [root];
  // Breadth first, and only until every hint is found: the first containers decide.
  for (
    let i = 0;
    i < queue.length && (found.unit === undefined || found.colon === undefined || found.comma === undefined);
    i++
  ) {
    const node = queue[i]!;
    sampleLayout(text, node, found);
    for (const e of node.entries) queue.push(e.value);
  }
  // A document with no member or item gives no hint: follow the style.
  const hinted = root.entries.length > 0;
  const multiline = text.slice(root.start, root.end).includes("\n") || (!hinted && styleUnit !== null);
  const colon = found.colon ?? (multiline || found.comma?.endsWith(" ") ? ": " : ":");
  const comma = found.comma ?? (colon.endsWith(" ") ? ", " : ",");
  const eolAt = text.indexOf("\n");
  const eol = eolAt > 0 && text[eolAt - 1] === "\r" ? "\r\n" : "\n";
  return { multiline, unit: found.unit ?? styleUnit ?? "  ", colon, comma, eol, escapeHtml: style.escapeHtml ?? false };
}

function sampleLayout(text: string, node: JsonNode, found: { unit?: string; colon?: string; comma?: string }): void {
  const [first, second] = node.entries;
  if (!first) return;
  if (found.unit === undefined && text.slice(node.start, first.start).includes("\n")) {
    const outer = lineIndent(text, node.start);
    const inner = lineIndent(text, first.start);
    if (inner.length > outer.length && inner.startsWith(outer)) found.unit = inner.slice(outer.length);
  }
  const colon = text.slice(first.keyEnd, first.value.start);
  if (found.colon === undefined && first.key !== null && !colon.includes("\n")) found.colon = colon;
  const comma = second ? text.slice(first.value.end, second.start) : "\n";
  if (found.comma === undefined && !comma.includes("\n")) found.comma = comma;
}

/** A container opened over several lines gets new values on several lines; an empty one follows the document. */
function layoutIn(text: string, node: JsonNode, doc: DocLayout): Layout {
  const first = node.entries[0];
  const multiline = first ? text.slice(node.start, first.start).includes("\n") : doc.multiline;
  return { ...doc, unit: multiline ? doc.unit : null };
}

function render(value: unknown, layout: Layout, indent: string): string {
  const v =
    typeof (value as { toJSON?: unknown } | null)?.toJSON === "function"
      ? (value as { toJSON(): unknown }).toJSON()
      : value;
  switch (typeof v) {
    case "string":
      return quote(v, layout.escapeHtml);
    case "boolean":
    case "bigint":
      return String(v);
    case "number":
      if (!Number.isFinite(v)) throw unwritable(String(v));
      // -0 as 0: Go reads "-0" into no unsigned field, and no daemon means a negative zero.
      return String(v);
    case "object":
      return v === null ? "null" : renderContainer(v, layout, indent);
    default:
      throw unwritable(typeof v);
  }
}

function renderContainer(value: object, layout: Layout, indent: string): string {
  const inner = layout.unit === null ? "" : indent + layout.unit;
  const parts = Array.isArray(value)
    ? value.map((item) => render(item === undefined ? null : item, layout, inner))
    : Object.entries(value)
        .filter(([, item]) => item !== undefined)
        .map(([key, item]) => quote(key, layout.escapeHtml) + layout.colon + render(item, layout, inner));
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  if (parts.length === 0) return open + close;
  if (layout.unit === null) return open + parts.join(layout.comma) + close;
  const eolIndent = layout.eol + inner;
  return open + eolIndent + parts.join(`,${eolIndent}`) + layout.eol + indent + close;
}

function quote(text: string, escapeHtml: boolean): string {
  const json = JSON.stringify(text);
  return escapeHtml ? json.replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c]!) : json;
}

function indentUnit(indent: number | string | undefined): string | null {
  const unit = typeof indent === "number" ? " ".repeat(Math.max(0, indent)) : (indent ?? "  ");
  return unit === "" ? null : unit;
}

function lastEntry(node: JsonNode, key: string): Entry | undefined {
  return node.kind === "object" ? node.entries.findLast((e) => e.key === key) : undefined;
}

function lineStart(text: string, pos: number): number {
  return pos === 0 ? 0 : text.lastIndexOf("\n", pos - 1) + 1;
}

function lineIndent(text: string, pos: number): string {
  return /^[ \t]*/.exec(text.slice(lineStart(text, pos), pos))![0];
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

function unwritable(what: string): KitcfgError {
  return new KitcfgError(
    "INVALID_VALUE",
    `Cannot write ${what} as JSON: expected a string, number, boolean, null, array or object`,
  );
}
