import type { GenericSchema } from "valibot";
import { countMembers } from "./formats/_json-members.ts";
import { goFoldKey, isPlainObject } from "./keypath.ts";
import { childSchema, entryNameOf, fieldNames, hasEntries, itemSchema, schemaAt } from "./schema.ts";

// Keys for daemons that read their config with Go's encoding/json, whose decoder matches a
// JSON key to a struct field case-insensitively (an exact match first), decodes every key
// that matches a field in document order (so the last one wins, and objects merge), and
// ignores keys that match no field. Map keys (schema records) are compared exactly.

/** A configuration seen the way such a daemon reads it. */
export interface FoldedConfig {
  /** The configuration with every key spelled as the schema spells it. */
  value: Record<string, unknown>;
  /** Keys written in another case than the schema's: where they are, and what they are read as. */
  respelled: { path: string[]; as: string[] }[];
  /** Keys that name no field of an object whose fields the schema lists: the daemon ignores them. */
  unknown: { path: string[]; known: string[] }[];
}

/** `FoldedConfig`, with a count taken on the way. */
export interface KeyFolding extends FoldedConfig {
  /**
   * How many members the objects of the configuration hold, every key of every object (those the
   * schema does not walk too): a JSON text that has more member keys than that gives one twice
   * (`countMemberKeys`), which a parsed value cannot show.
   */
  members: number;
}

/** The configuration as the daemon reads it, with the keys it respelled or ignored. */
export function foldKeys(schema: GenericSchema, config: Record<string, unknown>): KeyFolding {
  const result: KeyFolding = { value: {}, respelled: [], unknown: [], members: 0 };
  const folded = foldValue(schema, config, { written: [], spelled: [] }, result, new Map());
  result.value = isPlainObject(folded) ? folded : {};
  return result;
}

/**
 * Where a set of the schema-spelled `path` lands in `config`: the spelling already written
 * that reaches deepest into the path (the last such one, which the daemon reads last), with
 * the schema's spelling for the levels that do not exist yet.
 */
export function respellPath(schema: GenericSchema, config: unknown, path: readonly string[]): string[] {
  let best: { path: string[]; depth: number } = { path: [...path], depth: -1 };
  for (const candidate of spellingsOf(schema, config, path)) {
    const depth = existingDepth(config, candidate);
    if (depth >= best.depth) best = { path: candidate, depth };
  }
  return best.path;
}

/**
 * Where the daemon reads a key given in any case (`addresses.api`): the schema's spelling of
 * every level it knows (the rest as given), then the spelling `config` uses for it, so a read
 * finds what `set` of the same key writes.
 */
export function readPathOf(schema: GenericSchema, config: unknown, path: readonly string[]): string[] {
  const lookup = schemaAt(schema, path, { caseInsensitive: true });
  const spelled = lookup.found ? lookup.path : [...lookup.at, ...path.slice(lookup.at.length)];
  return respellPath(schema, config, spelled);
}

/** Every spelling of the schema-spelled `path` present in `config` (the path itself if none is). */
export function spellingsOf(schema: GenericSchema, config: unknown, path: readonly string[]): string[][] {
  const walk = (level: GenericSchema | undefined, node: unknown, rest: readonly string[]): string[][] => {
    if (rest.length === 0) return [[]];
    const [segment, ...tail] = rest as [string, ...string[]];
    const variants = variantsOf(level, node, segment);
    const next = level ? childSchema(level, segment) : undefined;
    if (variants.length === 0) return walk(next, undefined, tail).map((p) => [segment, ...p]);
    return variants.flatMap((key) => walk(next, (node as Record<string, unknown>)[key], tail).map((p) => [key, ...p]));
  };
  const found = walk(schema, config, path);
  return found.length > 0 ? found : [[...path]];
}

// --- internal ---

/** How many levels of `path` exist in `config`. */
function existingDepth(config: unknown, path: readonly string[]): number {
  let node = config;
  let depth = 0;
  for (const key of path) {
    if (!isPlainObject(node) || !Object.hasOwn(node, key)) break;
    node = node[key];
    depth++;
  }
  return depth;
}

/** The keys of `node` that the daemon reads as the field `segment` of `level`. */
function variantsOf(level: GenericSchema | undefined, node: unknown, segment: string): string[] {
  if (!level || !hasEntries(level) || !isPlainObject(node)) return [];
  return Object.keys(node).filter(
    (key) => goFoldKey(key) === goFoldKey(segment) && entryNameOf(level, key) === segment,
  );
}

/**
 * The way to the value being folded: each level's key as written and as the schema spells it
 * (an index in a list), pushed on the way down and popped on the way up: a big config's
 * many values need no object of their own for it.
 */
interface Way {
  written: (string | number)[];
  spelled: (string | number)[];
}

/** What folding needs of one schema level, looked up once per level and key, not once per value. */
interface LevelInfo {
  fields: boolean;
  item: GenericSchema | undefined;
  keys: Map<string, { name: string; next: GenericSchema | undefined }>;
}

function levelOf(levels: Map<GenericSchema, LevelInfo>, schema: GenericSchema): LevelInfo {
  let level = levels.get(schema);
  if (!level) {
    level = { fields: hasEntries(schema), item: undefined, keys: new Map() };
    level.item = itemSchema(schema);
    levels.set(schema, level);
  }
  return level;
}

function foldValue(
  schema: GenericSchema | undefined,
  value: unknown,
  way: Way,
  result: KeyFolding,
  levels: Map<GenericSchema, LevelInfo>,
): unknown {
  if (schema === undefined) {
    result.members += countMembers(value);
    return value;
  }
  if (Array.isArray(value)) {
    const item = levelOf(levels, schema).item;
    // Values come back as they were unless a key inside is respelled: a big list is not copied for nothing.
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const entry = value[i];
      const folded =
        typeof entry === "object" && entry !== null ? foldAt(item, entry, way, i, i, result, levels) : entry;
      if (out === undefined && folded !== entry) out = value.slice(0, i);
      out?.push(folded);
    }
    return out ?? value;
  }
  if (!isPlainObject(value)) return value;
  const level = levelOf(levels, schema);
  // Anything but a plain object (a TOML date) comes out as a plain copy, as it always has.
  let out: Record<string, unknown> | undefined = Object.getPrototypeOf(value) === Object.prototype ? undefined : {};
  // for...in, not Object.keys: no array of keys per object of a big config (own keys in order).
  let i = -1;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    i++;
    result.members++;
    const child = value[key];
    let known = level.keys.get(key);
    if (!known) {
      const name = level.fields ? (entryNameOf(schema, key) ?? key) : key;
      known = { name, next: childSchema(schema, name) };
      level.keys.set(key, known);
    }
    const { name, next } = known;
    if (next === undefined) {
      result.unknown.push({ path: pathOf(way, key, "written"), known: fieldNames(schema) });
      result.members += countMembers(child);
      out && put(out, key, child);
      continue;
    }
    if (name !== key) result.respelled.push({ path: pathOf(way, key, "written"), as: pathOf(way, name, "spelled") });
    // A string or number comes back as it is: no step of the way is made for it.
    const folded =
      typeof child === "object" && child !== null ? foldAt(next, child, way, key, name, result, levels) : child;
    if (out === undefined && (name !== key || folded !== child)) out = copyOf(value, Object.keys(value), i);
    if (out) put(out, name, Object.hasOwn(out, name) ? merge(out[name], folded) : folded);
  }
  return out ?? value;
}

/** `foldValue` of the value one level down `way`, at `key` (spelled `spelled` by the schema). */
function foldAt(
  schema: GenericSchema | undefined,
  value: unknown,
  way: Way,
  key: string | number,
  spelled: string | number,
  result: KeyFolding,
  levels: Map<GenericSchema, LevelInfo>,
): unknown {
  way.written.push(key);
  way.spelled.push(spelled);
  // Not popped when it throws: the way is of no use then (foldKeys makes a new one per call).
  const folded = foldValue(schema, value, way, result, levels);
  way.written.pop();
  way.spelled.pop();
  return folded;
}

/** The key path of `last` at the end of `way`, as written or as the schema spells it. */
function pathOf(way: Way, last: string, side: "written" | "spelled"): string[] {
  return [...way[side].map(String), last];
}

/** The first `count` keys of `value`, in order, as own properties of a new object. */
function copyOf(value: Record<string, unknown>, keys: string[], count: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) put(out, keys[i]!, value[keys[i]!]);
  return out;
}

/** A later key for the same field: objects merge into the earlier one, anything else replaces it. */
function merge(earlier: unknown, later: unknown): unknown {
  if (!isPlainObject(earlier) || !isPlainObject(later)) return later;
  const out: Record<string, unknown> = { ...earlier };
  for (const [key, value] of Object.entries(later))
    put(out, key, Object.hasOwn(out, key) ? merge(out[key], value) : value);
  return out;
}

/** Assign an own property, even `__proto__`, without touching the prototype. */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
