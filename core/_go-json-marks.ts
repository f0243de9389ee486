import type { GenericSchema } from "valibot";

// Marks on a schema for what Go's encoding/json does with a field beyond its type: read by
// `foldJsonText` (core/_fold-json-text.ts), which decodes a JSON text as Go does, and by the
// key matching of get and set (core/schema.ts `entryNameOf`).

/**
 * `schema`, marked as a field Go holds as raw JSON text (a json.RawMessage, or a pointer to one)
 * and decodes later, on its own, into what `schema` stands for: a later member replaces it whole
 * (RawMessage.UnmarshalJSON copies the bytes), so only the last one's members and types count,
 * and null leaves it nil (missing). The schema itself, marked: give each field a schema object of
 * its own (`opt(v.object(...))` made there), as every use of a marked object is marked.
 */
export function goRawJson<T extends GenericSchema>(schema: T): T {
  RAW_JSON.add(schema);
  return schema;
}

/**
 * `schema`, marked as a Go pointer field (`*T`): null sets it to nil, as if missing, where it
 * leaves a struct or number held in place as it was; a later value decodes into what it points to.
 */
export function goPointer<T extends GenericSchema>(schema: T): T {
  POINTER.add(schema);
  return schema;
}

/**
 * `schema`, an object of named entries, marked as a Go map (`map[string]T`) whose useful keys
 * are those names: a key matches only as written (no case folding), a later member gives its
 * key a value decoded afresh, null empties the map, and a key it does not name is no warning.
 */
export function goJsonMap<T extends GenericSchema>(schema: T): T {
  JSON_MAP.add(schema);
  return schema;
}

/**
 * `schema`, marked as a field whose Go type decodes itself (an UnmarshalJSON of its own, such
 * as a duration parsed as it is read): a value `schema` refuses fails the whole decode, even
 * one a later member of the same key replaces; and null is the decoder's too: a schema that
 * takes null stands for a decoder that resets the field to its default (an earlier value is
 * gone), one that refuses null for a decoder that fails on it. Mark only a schema that refuses
 * exactly what the decoder refuses, not what the daemon checks later on the value that stands.
 */
export function goDecoder<T extends GenericSchema>(schema: T): T {
  DECODER.add(schema);
  return schema;
}

/** Whether `schema` is marked `goDecoder`. */
export function isGoDecoder(schema: unknown): boolean {
  return typeof schema === "object" && schema !== null && DECODER.has(schema);
}

/** Whether `schema` is marked `goRawJson`. */
export function isGoRawJson(schema: unknown): boolean {
  return typeof schema === "object" && schema !== null && RAW_JSON.has(schema);
}

/** Whether `schema` is marked `goPointer`. */
export function isGoPointer(schema: unknown): boolean {
  return typeof schema === "object" && schema !== null && POINTER.has(schema);
}

/** Whether `schema` is marked `goJsonMap`: its names match only as written. */
export function isGoJsonMap(schema: unknown): boolean {
  return typeof schema === "object" && schema !== null && JSON_MAP.has(schema);
}

// --- internal ---

const RAW_JSON = new WeakSet<object>();
const JSON_MAP = new WeakSet<object>();
const POINTER = new WeakSet<object>();
const DECODER = new WeakSet<object>();
