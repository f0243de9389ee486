import { safeParse } from "valibot";
import type { GenericSchema } from "valibot";
import type { Issue } from "./errors.ts";
import { JSON_NOUNS, OBJECT_TYPES, unwrap } from "./_schema-node.ts";
import type { Node } from "./_schema-node.ts";
import type { TypeNouns } from "./formats/types.ts";

// Two walks of a value against a schema that build nothing: whether valibot would find no issue
// (`passes`, for a big config), and where a list stands for an object (`listsForObjects`), which
// valibot lets through.

/** How many lists in place of objects one check reports at most. */
const MAX_LIST_ISSUES = 20;

/** What a schema node takes, for `listsForObjects`: found once per node, not per value. */
interface Shape {
  /** Takes an object or a map, and takes no list. */
  objectOnly: boolean;
  /** The one object or map it takes, whose members are looked into. */
  object?: Node;
  /** The item schema of the one kind of list it takes. */
  item?: Node;
  /** An object or map is taken somewhere inside a value of it: else it is not looked into. */
  holdsObjects: boolean;
  /** A lazy schema, resolved for each value (its getter may make a new schema at each call). */
  lazy?: Node;
}

const shapes = new WeakMap<Node, Shape>();

type Checker = (value: unknown) => boolean;

const checkers = new WeakMap<Node, Checker>();

/** Whether valibot finds no issue in `value` against `schema`, nor a list where it reads an object (see `passes`). */
export function passesSchema(schema: GenericSchema, value: unknown): boolean {
  return passes(schema as unknown as Node, value);
}

/** The lists where `schema` reads an object (`listsForObjects`), as `schemaIssues` names them; for tests. */
export function listIssues(schema: GenericSchema, value: unknown): Issue[] {
  const out: Issue[] = [];
  listsForObjects(schema as unknown as Node, value, { path: [], out, nouns: JSON_NOUNS });
  return out;
}

/**
 * Whether valibot's run of `node` over `value` finds no issue, told without the copy of
 * the value a run builds (a config of megabytes is copied whole, then collected): the
 * schemas that only check a type or hold others (objects, records, lists, unions, optional
 * and nullable wrappers, lazy) are followed here as valibot runs them; anything else (a
 * pipe of actions, a default, a fallback, a schema of another kind) is run by valibot on
 * its part of the value. A list where an object schema reads fails too, so that a pass
 * also says `listsForObjects` has nothing to report. `true` only where neither reports
 * anything; `false` sends the caller to both, which then say what is wrong. Each schema is
 * turned into a function once (`checkerOf`): a list of thousands of items calls one small
 * function each.
 */
export function passes(node: Node, value: unknown): boolean {
  return checkerOf(node)(value);
}

/** `listsForObjects`' state: the path it is at (pushed and popped), what it found, its words. */
export interface ListWalk {
  path: string[];
  out: Issue[];
  nouns: TypeNouns;
}

/**
 * Lists where the schema reads an object: valibot's object and record schemas take an array
 * (an object to JavaScript), which no daemon's decoder does (Go's encoding/json: "cannot
 * unmarshal array into Go struct field"; a TOML array where a table belongs). A union is
 * followed only where one of its options is an object (or a list, for a list). Only values
 * whose schema takes an object somewhere inside are looked into, and `path` is one array
 * pushed and popped: a config of megabytes of peer lists is walked without copies.
 */
export function listsForObjects(node: Node, value: unknown, walk: ListWalk): void {
  const { path, out, nouns } = walk;
  if (typeof value !== "object" || value === null || out.length >= MAX_LIST_ISSUES) return;
  const shape = shapeOf(node);
  if (shape.lazy) return listsForObjects(shape.lazy.getter!(value), value, walk);
  if (!shape.holdsObjects) return;
  if (Array.isArray(value)) {
    if (shape.objectOnly) {
      out.push({ key: path.join("."), message: `expected ${nouns.object}, got ${nouns.list}`, severity: "error" });
      return;
    }
    const item = shape.item;
    if (item === undefined || !shapeOf(item).holdsObjects) return;
    for (let i = 0; i < value.length; i++) {
      path.push(String(i));
      listsForObjects(item, value[i], walk);
      path.pop();
    }
    return;
  }
  const object = shape.object;
  if (object === undefined) return;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const child = (value as Record<string, unknown>)[key];
    if (typeof child !== "object" || child === null) continue;
    const inner = object.type === "record" ? object.value : (object.entries?.[key] ?? object.rest);
    if (inner === undefined) continue;
    path.push(key);
    listsForObjects(inner, child, walk);
    path.pop();
  }
}

// --- internal ---

/** A node's shape; a schema met again while its own shape is being found (lazy, recursive) holds objects. */
function shapeOf(node: Node): Shape {
  const known = shapes.get(node);
  if (known) return known;
  const shape: Shape = { objectOnly: false, holdsObjects: true };
  shapes.set(node, shape);
  let base = node;
  while (base.wrapped) base = base.wrapped;
  if (base.type === "lazy" && base.getter) {
    shape.lazy = base;
    return shape;
  }
  const options =
    base.type === "union" || base.type === "variant" ? ((base.options ?? []) as Node[]).map(unwrap) : [base];
  const objects = options.filter((o) => OBJECT_TYPES.has(o.type));
  const lists = options.filter((o) => !OBJECT_TYPES.has(o.type));
  shape.objectOnly = objects.length > 0 && lists.length === 0;
  if (objects.length === 1) shape.object = objects[0];
  if (lists.length === 1 && lists[0]!.type === "array") shape.item = lists[0]!.item;
  const children = [
    ...(shape.object?.type === "record" ? [shape.object.value] : Object.values(shape.object?.entries ?? {})),
    shape.object?.rest,
    shape.item,
  ].filter((child): child is Node => child !== undefined);
  shape.holdsObjects = objects.length > 0 || children.some((child) => shapeOf(child).holdsObjects);
  return shape;
}

function checkerOf(node: Node): Checker {
  let checker = checkers.get(node);
  if (checker === undefined) {
    // A schema is a tree of values (a lazy one is resolved at run time): making one never meets itself.
    checker = makeChecker(node);
    checkers.set(node, checker);
  }
  return checker;
}

function makeChecker(node: Node): Checker {
  if (node.pipe !== undefined || node.default !== undefined || node.fallback !== undefined) return runChecker(node);
  if (OBJECT_TYPES.has(node.type)) {
    // A list where an object schema reads is what `listsForObjects` reports (valibot takes it).
    const object = objectChecker(node);
    return function passesObject(value) {
      return !Array.isArray(value) && object(value);
    };
  }
  switch (node.type) {
    case "string":
      return isString;
    case "boolean":
      return isBoolean;
    case "number":
      return isNumber;
    case "null":
      return isNull;
    case "unknown":
    case "any":
      return passesAny;
    case "picklist": {
      const options = node.options!;
      return function passesPicklist(value) {
        return options.includes(value);
      };
    }
    case "optional": {
      const wrapped = checkerOf(node.wrapped!);
      return function passesOptional(value) {
        return value === undefined || wrapped(value);
      };
    }
    case "nullable": {
      const wrapped = checkerOf(node.wrapped!);
      return function passesNullable(value) {
        return value === null || wrapped(value);
      };
    }
    case "nullish": {
      const wrapped = checkerOf(node.wrapped!);
      return function passesNullish(value) {
        return value === null || value === undefined || wrapped(value);
      };
    }
    case "array": {
      const item = checkerOf(node.item!);
      return function passesArray(value) {
        if (!Array.isArray(value)) return false;
        for (let i = 0; i < value.length; i++) if (!item(value[i])) return false;
        return true;
      };
    }
    case "union": {
      // `listsForObjects` may look into an option other than the one that passes.
      const options = (node.options as Node[]).map(checkerOf);
      return function passesUnion(value) {
        return options.some((option) => option(value)) && (!isObjectLike(value) || noListIssues(node, value));
      };
    }
    case "lazy": {
      const getter = node.getter!;
      return function passesLazy(value) {
        return passes(getter(value), value);
      };
    }
    default:
      return runChecker(node);
  }
}

/** The checker of an object or record schema (`OBJECT_TYPES`), leaving lists to `makeChecker`. */
function objectChecker(node: Node): Checker {
  switch (node.type) {
    case "object":
    case "loose_object":
      return entriesChecker(node.entries!);
    case "strict_object": {
      const entries = node.entries!;
      const known = entriesChecker(entries);
      return function passesStrictObject(value) {
        if (!known(value)) return false;
        for (const key in value as object) if (!Object.hasOwn(entries, key)) return false;
        return true;
      };
    }
    case "object_with_rest": {
      const entries = node.entries!;
      const known = entriesChecker(entries);
      const rest = checkerOf(node.rest!);
      return function passesObjectWithRest(value) {
        if (!known(value)) return false;
        const object = value as Record<string, unknown>;
        for (const key in object) {
          // A prototype-named key too, which valibot skips and `listsForObjects` looks into.
          if (Object.hasOwn(object, key) && !Object.hasOwn(entries, key) && !rest(object[key])) return false;
        }
        return true;
      };
    }
    default: {
      // A record: every own key, a prototype-named one too (as in a rest).
      const key = checkerOf(node.key!);
      const item = checkerOf(node.value!);
      return function passesRecord(value) {
        if (!isObjectLike(value)) return false;
        const object = value as Record<string, unknown>;
        for (const name in object) if (Object.hasOwn(object, name) && !(key(name) && item(object[name]))) return false;
        return true;
      };
    }
  }
}

/**
 * valibot's own run; a value it reads as not of the type (untyped) does not pass, as in a
 * union. Where the schema holds objects, `listsForObjects` looks at the value too.
 */
function runChecker(node: Node): Checker {
  const schema = node as unknown as GenericSchema;
  return function passesByValibot(value) {
    const result = safeParse(schema, value);
    return result.success && result.typed && (!isObjectLike(value) || noListIssues(node, value));
  };
}

/** Whether `listsForObjects` finds nothing in `value` against `node`. */
function noListIssues(node: Node, value: unknown): boolean {
  const out: Issue[] = [];
  listsForObjects(node, value, { path: [], out, nouns: JSON_NOUNS });
  return out.length === 0;
}

function isObjectLike(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}

function isString(value: unknown): boolean {
  return typeof value === "string";
}

function isBoolean(value: unknown): boolean {
  return typeof value === "boolean";
}

/** valibot's number: NaN is none. */
function isNumber(value: unknown): boolean {
  return typeof value === "number" && !Number.isNaN(value);
}

function isNull(value: unknown): boolean {
  return value === null;
}

function passesAny(): boolean {
  return true;
}

/** An object schema's entries, as valibot's object schemas run them (an array is an object to them). */
function entriesChecker(entries: Record<string, Node>): Checker {
  const fields = Object.keys(entries).map((key) => {
    const entry = entries[key]!;
    const optional = entry.type === "optional" || entry.type === "nullish" || entry.type === "exact_optional";
    // An absent key: nothing to check, a missing key, or (an optional one with a default) its
    // default, which valibot runs the entry on, as its own run of undefined does (an exact one does not).
    const withDefault = optional && entry.default !== undefined;
    const exact = entry.type === "exact_optional";
    const absent = withDefault ? undefined : optional || entry.fallback !== undefined;
    return { key, check: checkerOf(entry), absent: () => absent ?? (!exact && passes(entry, undefined)) };
  });
  return function passesEntries(value) {
    if (!isObjectLike(value)) return false;
    const object = value as Record<string, unknown>;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      if (field.key in object ? !field.check(object[field.key]) : !field.absent()) return false;
    }
    return true;
  };
}
