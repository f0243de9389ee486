import type { GenericSchema } from "valibot";
import { safeParse } from "valibot";
import type { FoldedConfig } from "./_fold-keys.ts";
import { OBJECT_TYPES, unwrap } from "./_schema-node.ts";
import type { Node } from "./_schema-node.ts";
import { parseJsonExact } from "./formats/_json-exact.ts";
import { scanJson } from "./formats/_json-scan.ts";
import type { JsonNode } from "./formats/_json-scan.ts";
import { decoderOf, isGoJsonMap, isGoPointer, isGoRawJson } from "./_go-json-marks.ts";
import { isPlainObject, lookupPath } from "./keypath.ts";
import { childSchema, entryNameOf, fieldNames, hasEntries, itemSchema } from "./schema.ts";

// A JSON text read as Go's encoding/json decodes it into structs (decode.go `object`, `array`,
// `literalStore`), which JSON.parse cannot tell: JSON.parse keeps one value per key, the last,
// at the place of the first, so `foldKeys` on its result neither sees the keys a later one
// shadows nor reads them in document order. Go decodes every member in document order into
// the value decoded so far: a struct is merged into, a map gains keys (each value decoded
// afresh), a list's items are decoded into the items before them, and a scalar is replaced.
// null leaves a struct or scalar as it was and empties a list or map. A value of the wrong
// JSON type is an error even when a later member replaces it (`saveError`: Unmarshal returns
// it at the end), as is an integer written with a fraction or exponent. A field Go holds as
// raw JSON (`goRawJson`) and a map with named keys (`goJsonMap`) are read as Go reads those. A
// field whose Go type has a decoder of its own (`goDecoder`: an UnmarshalJSON that parses a
// duration) fails the whole decode on a value it refuses even when a later member replaces it,
// and is given null too: it resets to its default, where the schema takes null, or refuses it.

/** `FoldedConfig`, with the members Go cannot decode that a later member hides from the schema. */
export interface GoJsonReading extends FoldedConfig {
  /** A member whose JSON type (or integer form) the field's Go type refuses: where, and what was written. */
  undecodable: { path: string[]; message: string }[];
  /**
   * Where raw JSON values (`goRawJson`) were written that the daemon never decodes: each one
   * there was replaced whole by a later member (spelled otherwise: `"raw": 5, "Raw": {...}`),
   * or emptied with its map by a null, and no value that stands was written there. A parse of
   * the text keeps such a value (JSON.parse keeps the last member of each spelling).
   */
  replaced: string[][];
}

/**
 * The JSON document of `text` (no byte-order mark; text after the document is left unread) as a
 * daemon reads it with Go's encoding/json into the structs `schema` stands for, keys folded as
 * `foldKeys` folds them.
 * @throws ParseError for a text that is not JSON.
 */
export function foldJsonText(schema: GenericSchema, text: string): GoJsonReading {
  const result: GoJsonReading = { value: {}, respelled: [], unknown: [], undecodable: [], replaced: [] };
  const root = scanJson(text, true);
  const reading: Reading = { text, result, raw: new Map(), gone: [], decoded: [] };
  const read = decode(reading, schema, undefined, root, [], []);
  result.value = isPlainObject(read) ? read : {};
  const decoded = [...reading.decoded];
  const standing = new Set<string>();
  for (const found of reading.raw.values()) {
    result.undecodable.push(...found.undecodable);
    decoded.push(...found.decoded);
    standing.add(found.written.join("\0"));
  }
  for (const written of reading.gone) {
    const key = written.join("\0");
    if (standing.has(key)) continue;
    standing.add(key);
    result.replaced.push(written);
  }
  // The value that stands is checked as any value is; one that does not stand was decoded all the same.
  for (const { path, written, value, message } of decoded) {
    if (Object.is(lookupPath(result.value, path), value)) continue;
    result.undecodable.push({
      path: written,
      message:
        `is ${JSON.stringify(value)}: ${message}; a later value takes its place, ` +
        "but the daemon decodes this one too and refuses to start",
    });
  }
  return result;
}

// --- internal ---

interface Reading {
  text: string;
  result: GoJsonReading;
  /**
   * Each raw JSON value (`goRawJson`) that stands, by its path: where it was written, and what Go
   * cannot decode in it. A later one replaces it.
   */
  raw: Map<string, RawValue>;
  /** Where each raw JSON value a later one replaced, or a null emptied, was written. */
  gone: string[][];
  /** Each value a field's own decoder (`goDecoder`) refuses, wherever it was written. */
  decoded: Decoded[];
}

/** A raw JSON value that stands so far (`Reading.raw`). */
interface RawValue {
  written: string[];
  undecodable: GoJsonReading["undecodable"];
  decoded: Decoded[];
}

/** A value a field's own decoder refuses: where it goes (`path`, as the schema spells it) and where it was written. */
interface Decoded {
  path: string[];
  written: string[];
  value: unknown;
  message: string;
}

type Kind = "string" | "number" | "boolean" | "array" | "object";

/** What Go makes of `node` decoded into the field of `schema` that holds `existing` so far. */
function decode(
  reading: Reading,
  schema: GenericSchema | undefined,
  existing: unknown,
  node: JsonNode,
  written: string[],
  spelled: string[],
): unknown {
  if (schema === undefined) return plainValue(reading, node);
  const decoder = decoderOf(schema);
  const map = isGoJsonMap(schema);
  const rawJson = isGoRawJson(schema);
  const pointer = isGoPointer(schema) || rawJson;
  schema = resolved(reading, schema, node);
  const kind = kindOf(reading.text, node);
  if (kind === undefined) {
    // null to a type that decodes itself: its UnmarshalJSON is given the null (a pointer to it is
    // set to nil), and either resets it (an optional duration's: the schema takes null) or refuses it.
    if (decoder) {
      const checked = safeParse(decoder, null);
      if (!checked.success)
        reading.decoded.push({ path: spelled, written, value: null, message: checked.issues[0].message });
      return null;
    }
    // null: a list, map or pointer is emptied (nil), a struct or scalar keeps what it holds.
    const kinds = kindsOf(schema as unknown as Node);
    const emptied =
      map || pointer || kinds === "any" || kinds.has("array") || (kinds.has("object") && !hasEntries(schema));
    // The raw values an emptied map held, or the one a null sets to nil, are gone, and what Go
    // could not decode in them with them.
    if (map || rawJson) forgetRaw(reading, spelled.join("\0"), map);
    return existing === undefined || emptied ? null : existing;
  }
  const problem = kindProblem(reading.text, schema, node, kind);
  if (problem) {
    reading.result.undecodable.push({ path: written, message: problem });
    return plainValue(reading, node);
  }
  if (kind === "array") {
    const item = itemSchema(schema);
    if (!item) return plainValue(reading, node);
    const before = Array.isArray(existing) ? existing : [];
    return node.entries.map((entry, i) =>
      decode(reading, item, before[i], entry.value, [...written, String(i)], [...spelled, String(i)]),
    );
  }
  if (kind !== "object") {
    const value = plainValue(reading, node);
    const checked = decoder ? safeParse(decoder, value) : undefined;
    if (checked && !checked.success)
      reading.decoded.push({ path: spelled, written, value, message: checked.issues[0].message });
    return value;
  }
  const fields = hasEntries(schema) && !map;
  const out: Record<string, unknown> = isPlainObject(existing) ? { ...existing } : {};
  for (const entry of node.entries) {
    // Go reads a lone surrogate (an escape, or a byte that is not UTF-8) as U+FFFD: two such map keys are one.
    const key = goText(entry.key!);
    const value = entry.value;
    const here = [...written, key];
    const name = fields ? (entryNameOf(schema, key) ?? key) : key;
    // An exact name of a map (goJsonMap): a key it does not name decodes as a plain value.
    const next = childSchema(schema, name);
    if (fields && next === undefined) {
      reading.result.unknown.push({ path: here, known: fieldNames(schema) });
      put(out, key, plainValue(reading, value));
      continue;
    }
    if (name !== key) reading.result.respelled.push({ path: here, as: [...spelled, name] });
    // A map's value is decoded afresh (Go zeroes it first); a struct's field into what it holds.
    const raw = next !== undefined && isGoRawJson(next);
    const held = fields && !raw && Object.hasOwn(out, name) ? out[name] : undefined;
    const [mark, decodedMark] = [reading.result.undecodable.length, reading.decoded.length];
    put(out, name, decode(reading, next, held, value, here, [...spelled, name]));
    if (raw) {
      const path = [...spelled, name].join("\0");
      const before = reading.raw.get(path);
      if (before) reading.gone.push(before.written);
      reading.raw.set(path, {
        written: here,
        undecodable: reading.result.undecodable.splice(mark),
        decoded: reading.decoded.splice(decodedMark),
      });
    }
  }
  return out;
}

/**
 * A null emptied the field at `path` (a map: each raw JSON value it held, by `path` + "\0" + key)
 * or set the raw JSON value there to nil: what was written for them is never decoded.
 */
function forgetRaw(reading: Reading, path: string, map: boolean): void {
  for (const [at, value] of reading.raw)
    if (map ? at.startsWith(`${path}\0`) : at === path) {
      reading.raw.delete(at);
      reading.gone.push(value.written);
    }
}

/** A lazy schema (one that picks its shape by the value, as a router by its Type) as it is for `node`'s value. */
function resolved(reading: Reading, schema: GenericSchema, node: JsonNode): GenericSchema {
  let inner = schema as unknown as Node;
  while (inner.wrapped) inner = inner.wrapped;
  if (inner.type !== "lazy" || !inner.getter) return schema;
  return inner.getter(plainValue(reading, node)) as unknown as GenericSchema;
}

/** The JSON kind of a scanned value; undefined for null. */
function kindOf(text: string, node: JsonNode): Kind | undefined {
  if (node.kind !== "scalar") return node.kind;
  const c = text.charCodeAt(node.start);
  return c === 110 ? undefined : c === 34 ? "string" : c === 116 || c === 102 ? "boolean" : "number";
}

/** The plain value of a scanned value, as `parseJsonExact` reads it; a string as Go holds it (`goText`). */
function plainValue(reading: Reading, node: JsonNode): unknown {
  const value = parseJsonExact(reading.text.slice(node.start, node.end));
  return typeof value === "string" ? goText(value) : value;
}

/** Text as Go's decoder gives it: each lone surrogate (`\ud800`, or a byte kitcfg kept) is U+FFFD. */
function goText(text: string): string {
  return text.toWellFormed();
}

/**
 * Why Go's decoder refuses `node` for the field of `schema`: a JSON type it has no option for,
 * or a number an integer field takes only as a whole number written without fraction or
 * exponent, within the field's range (`strconv.ParseInt` on the text).
 */
function kindProblem(text: string, schema: GenericSchema, node: JsonNode, kind: Kind): string | undefined {
  const kinds = kindsOf(schema as unknown as Node);
  if (kinds === "any") return undefined;
  if (!kinds.has(kind)) return `is ${article(kind)}, which the daemon cannot decode here (it refuses to start)`;
  if (kind !== "number" || !isInteger(schema)) return undefined;
  const written = text.slice(node.start, node.end);
  if (/[.eE]/.test(written) || !safeParse(schema, parseJsonExact(written)).success)
    return `is the number ${written}, which the daemon cannot decode as its integer (it refuses to start)`;
  return undefined;
}

function literalKind(literal: unknown): Kind {
  return typeof literal === "string" ? "string" : typeof literal === "boolean" ? "boolean" : "number";
}

function article(kind: Kind): string {
  return kind === "array" ? "a list" : kind === "object" ? "an object" : `a ${kind}`;
}

const KIND_CACHE = new WeakMap<Node, Set<Kind> | "any">();
/** The JSON kind of each valibot schema type that decides one. */
const KIND_OF_TYPE: Record<string, Kind> = {
  string: "string",
  picklist: "string",
  enum: "string",
  number: "number",
  bigint: "number",
  boolean: "boolean",
  array: "array",
  tuple: "array",
  ...Object.fromEntries([...OBJECT_TYPES].map((type) => [type, "object"])),
};
const INTEGER_CACHE = new WeakMap<GenericSchema, boolean>();

/** A number field that takes 1 and refuses 0.5: a Go integer, which reads only a whole number's text. */
function isInteger(schema: GenericSchema): boolean {
  let integer = INTEGER_CACHE.get(schema);
  if (integer === undefined) {
    integer = !safeParse(schema, 0.5).success && safeParse(schema, 1).success;
    INTEGER_CACHE.set(schema, integer);
  }
  return integer;
}

/** The JSON kinds a schema decodes from; "any" when it cannot tell (unknown, any, lazy). */
function kindsOf(node: Node): Set<Kind> | "any" {
  const known = KIND_CACHE.get(node);
  if (known) return known;
  const base = unwrap(node);
  let kinds: Set<Kind> | "any";
  if (base.type === "union" || base.type === "variant") {
    const all = ((base.options ?? []) as Node[]).map(kindsOf);
    kinds = all.includes("any") ? "any" : new Set(all.flatMap((each) => [...(each as Set<Kind>)]));
  } else {
    const kind = base.type === "literal" ? literalKind(base.literal) : KIND_OF_TYPE[base.type];
    kinds = kind ? new Set([kind]) : "any";
  }
  KIND_CACHE.set(node, kinds);
  return kinds;
}

/** Assign an own property, even `__proto__`, without touching the prototype. */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
