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
 * as a duration parsed as it is read): a value `decodes` refuses fails the whole decode, even
 * one a later member of the same key replaces; and null is the decoder's too: where `decodes`
 * takes null, the decoder resets the field to its default (an earlier value is gone), where
 * it does not, the decoder fails on it. `decodes` is what the decoder itself refuses and no
 * more (default: `schema`, when the field's schema is exactly that); what the daemon checks
 * later, on the value that stands, stays in `schema`.
 */
export function goDecoder<T extends GenericSchema>(schema: T, decodes: GenericSchema = schema): T {
  DECODER.set(schema, decodes);
  return schema;
}

/** What the decoder of a field marked `goDecoder` refuses (a schema), or undefined for a field not marked. */
export function decoderOf(schema: unknown): GenericSchema | undefined {
  return typeof schema === "object" && schema !== null ? DECODER.get(schema) : undefined;
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
const DECODER = new WeakMap<object, GenericSchema>();
