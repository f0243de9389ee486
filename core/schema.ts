import { check, getDotPath, safeParse, unknown } from "valibot";
import type { BaseIssue, GenericSchema } from "valibot";
import { bigStep, isLongWork } from "./_big-input.ts";
import type { Issue } from "./errors.ts";
import { parseJsonExact } from "./formats/_json-exact.ts";
import type { KeyPath, TypeNouns } from "./formats/types.ts";
import { isGoJsonMap } from "./_go-json-marks.ts";
import { forbiddenKeyIn, goFoldKey } from "./keypath.ts";
import { listsForObjects, passes } from "./_schema-check.ts";
import { JSON_NOUNS, unwrap } from "./_schema-node.ts";
import type { Node } from "./_schema-node.ts";

/** What a key path reaches in a schema. */
export type SchemaLookup =
  /** `path` is the key path as the schema spells it (see `caseInsensitive`). */
  | { found: true; schema: GenericSchema; path: string[] }
  /** `known` lists the keys that do exist at the level where the path left the schema. */
  | { found: false; at: string[]; known: string[] };

/**
 * The schema of the value at `path`: through objects, records, optional and nullable
 * wrappers, unions and pipes. An object that allows other keys yields an `unknown` schema.
 * With `caseInsensitive`, a segment that names no object key exactly reaches the key it
 * equals but for case (as Go's encoding/json matches struct fields); record keys stay exact.
 */
export function schemaAt(
  schema: GenericSchema,
  path: KeyPath,
  options: { caseInsensitive?: boolean } = {},
): SchemaLookup {
  let node = schema as unknown as Node;
  const spelled: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const segment = options.caseInsensitive ? (entryNameOf(node, path[i]!) ?? path[i]!) : path[i]!;
    const next = childOf(node, segment);
    if (!next) return { found: false, at: spelled, known: keysOf(node) };
    spelled.push(segment);
    node = next;
  }
  return { found: true, schema: node as unknown as GenericSchema, path: spelled };
}

/**
 * The object key of `schema` that `key` names: itself when it is one, else the one key that
 * equals it but for case; undefined when the schema has no such key (or is not an object).
 */
export function entryNameOf(schema: GenericSchema | Node, key: string): string | undefined {
  const entries = objectEntries(schema as Node);
  if (!entries) return undefined;
  if (Object.hasOwn(entries, key)) return key;
  // A Go map whose keys the schema names (goJsonMap): a name matches only as written.
  if (isGoJsonMap(schema)) return undefined;
  const folded = goFoldKey(key);
  return Object.keys(entries).find((name) => goFoldKey(name) === folded);
}

/** The schema one level down from `schema` at `key` (exact), or undefined. */
export function childSchema(schema: GenericSchema, key: string): GenericSchema | undefined {
  return childOf(schema as unknown as Node, key) as unknown as GenericSchema | undefined;
}

/** Whether `schema`'s keys are the named fields of an object (not the free keys of a record). */
export function hasEntries(schema: GenericSchema): boolean {
  return objectEntries(schema as unknown as Node) !== undefined;
}

/** The field names of an object schema (of every object in a union); empty for anything else. */
export function fieldNames(schema: GenericSchema): string[] {
  return keysOf(schema as unknown as Node);
}

/** The schema of an array's items, for a schema that is (or may be) an array. */
export function itemSchema(schema: GenericSchema): GenericSchema | undefined {
  const base = unwrap(schema as unknown as Node);
  const options =
    base.type === "union" || base.type === "variant" ? ((base.options ?? []) as Node[]).map(unwrap) : [base];
  return options.find((o) => o.type === "array")?.item as unknown as GenericSchema | undefined;
}

/**
 * Turn a command-line string into a value of the type `schema` expects: booleans
 * (`true`/`false`, `yes`/`no`, `on`/`off`, `1`/`0`), numbers, strings, and JSON for
 * arrays, objects and `null`. An integer past 2^53 (alone or inside JSON) is a bigint with
 * every digit given, never a rounded double: a schema that takes only numbers refuses it.
 * Returns `{ ok: false }` with a description of what was expected when the text fits none.
 */
export function coerceValue(
  schema: GenericSchema,
  text: string,
): { ok: true; value: unknown } | { ok: false; expected: string } {
  for (const candidate of candidatesFor(schema as unknown as Node, text)) {
    if (safeParse(schema, candidate).success) return { ok: true, value: candidate };
  }
  return { ok: false, expected: describeSchema(schema) };
}

/** A short phrase for what a schema accepts: "an integer from 1 to 65535". */
export function describeSchema(schema: GenericSchema): string {
  return describeNode(schema as unknown as Node);
}

/**
 * Run a schema and turn its issues into one line each, with the key path, naming an object
 * and a list as the config's file format does (`Format.nouns`; JSON's words by default).
 */
export function schemaIssues(schema: GenericSchema, value: unknown, nouns: TypeNouns = JSON_NOUNS): Issue[] {
  // A prototype-named key passes an object schema unseen (valibot skips keys it does not name).
  const forbidden = forbiddenKeyIn(value);
  const own = forbidden
    ? [
        {
          key: forbidden.join("."),
          message: `"${forbidden.at(-1)}" is not a configuration key; remove it`,
          severity: "error" as const,
        },
      ]
    : [];
  // Most configurations pass: a big one is told so without valibot's copy of it (see `passes`).
  if (isLongWork() && passes(schema as unknown as Node, value)) return own;
  bigStep.before();
  const result = safeParse(schema, value);
  const lists: Issue[] = [];
  listsForObjects(schema as unknown as Node, value, { path: [], out: lists, nouns });
  bigStep.after();
  if (result.success) return [...own, ...lists];
  // An issue inside a list read as an object is the list's: the list is what to fix.
  const inList = (key: string) => lists.some((list) => list.key === "" || key.startsWith(`${list.key}.`));
  return [
    ...own,
    ...lists,
    ...result.issues
      .map((issue) => ({
        key: getDotPath(issue) ?? "",
        message: describeIssue(issue, schema, nouns),
        severity: "error" as const,
      }))
      .filter((issue) => !inList(issue.key)),
  ];
}

/**
 * A valibot action that checks a URL as the WHATWG URL parser (Go's net/url, Python's
 * urllib agree on these) reads it: it must parse, use one of `schemes` and have a host.
 * Tabs, line breaks and other control characters are refused, since the parser would
 * silently drop them (`https://a.example\nHF_X=1` parses) while an env file or a flag
 * would carry them through.
 */
export function urlCheck(schemes: readonly string[] = ["http", "https"]) {
  const named =
    schemes.length === 2 && schemes.includes("http") && schemes.includes("https") ? "http(s)" : schemes.join(" or ");
  const expected = `expected an ${named} URL with no blanks or line breaks`;
  return check((text: string) => {
    if (/[\u0000-\u0020\u007f]/.test(text)) return false;
    const url = URL.parse(text);
    return url !== null && schemes.includes(url.protocol.slice(0, -1)) && url.hostname !== "";
  }, expected);
}

// --- internal ---

function childOf(node: Node, key: string): Node | undefined {
  const base = unwrap(node);
  switch (base.type) {
    case "object":
    case "strict_object":
      return base.entries && Object.hasOwn(base.entries, key) ? base.entries[key] : undefined;
    case "loose_object":
    case "object_with_rest":
      if (base.entries && Object.hasOwn(base.entries, key)) return base.entries[key];
      return base.rest ?? (unknown() as unknown as Node);
    case "record":
      return base.value;
    case "union":
    case "variant":
      for (const option of (base.options ?? []) as Node[]) {
        const child = childOf(option, key);
        if (child) return child;
      }
      return undefined;
    case "unknown":
    case "any":
      return base;
    default:
      return undefined;
  }
}

function objectEntries(node: Node): Record<string, Node> | undefined {
  const base = unwrap(node);
  if (base.entries) return base.entries;
  if (base.type !== "union" && base.type !== "variant") return undefined;
  const withEntries = ((base.options ?? []) as Node[]).map(unwrap).filter((o) => o.entries);
  return withEntries.length > 0 ? Object.assign({}, ...withEntries.map((o) => o.entries)) : undefined;
}

function keysOf(node: Node): string[] {
  const base = unwrap(node);
  if (base.entries) return Object.keys(base.entries);
  if (base.type === "union" || base.type === "variant") return ((base.options ?? []) as Node[]).flatMap(keysOf);
  return [];
}

function candidatesFor(node: Node, text: string): unknown[] {
  const types = new Set(leafTypes(node));
  const out: unknown[] = [];
  const json = parseJson(text);
  if (types.has("boolean")) {
    const flag = parseBoolean(text);
    if (flag !== undefined) out.push(flag);
  }
  const trimmed = text.trim();
  const integer = /^[+-]?\d+$/.test(trimmed);
  // An integer a double cannot hold is offered exact, as a bigint, never rounded (as JSON and TOML files read it).
  const exact = integer && !Number.isSafeInteger(Number(trimmed));
  if (types.has("number") && /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(trimmed))
    // -0 is 0 (no daemon reads a negative zero), and written so.
    out.push(exact ? BigInt(trimmed) : Number(text) || 0);
  if (types.has("bigint") && integer && !(exact && types.has("number"))) out.push(BigInt(trimmed));
  if (json.ok && (json.value === null || typeof json.value === "object")) out.push(json.value);
  if (types.has("string") || types.has("picklist") || types.has("literal") || types.has("enum")) out.push(text);
  if (types.has("unknown") || types.has("any")) out.push(json.ok ? json.value : text);
  if (types.has("literal") || types.has("picklist")) {
    if (json.ok) out.push(json.value);
  }
  return out;
}

function leafTypes(node: Node): string[] {
  const base = unwrap(node);
  if (base.type === "union" || base.type === "variant") return ((base.options ?? []) as Node[]).flatMap(leafTypes);
  return [base.type];
}

function parseBoolean(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (["true", "yes", "on", "1"].includes(t)) return true;
  if (["false", "no", "off", "0"].includes(t)) return false;
  return undefined;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: parseJsonExact(text) };
  } catch {
    return { ok: false };
  }
}

function describeNode(node: Node, nouns: TypeNouns = JSON_NOUNS): string {
  const optional = node.wrapped !== undefined && /nullable|nullish/.test(node.type) ? " or null" : "";
  const base = unwrap(node);
  const actions = (base.pipe ?? []).filter((a) => a.kind === "validation");
  return describeBase(base, actions, nouns) + optional;
}

function describeBase(base: Node, actions: Node[], nouns: TypeNouns): string {
  const has = (type: string) => actions.find((a) => a.type === type)?.requirement;
  // A plugin's own words for what it expects win over a phrase built from the types.
  const own = actions.find((a) => typeof a.message === "string")?.message as string | undefined;
  if (own) return own.replace(/^expected /, "");
  switch (base.type) {
    case "boolean":
      return "a boolean (true or false)";
    case "number": {
      const integer = actions.some((a) => a.type === "integer");
      const [min, max] = [has("min_value"), has("max_value")];
      const noun = integer ? "an integer" : "a number";
      if (min !== undefined && max !== undefined) return `${noun} from ${min} to ${max}`;
      if (min !== undefined) return `${noun} of at least ${min}`;
      if (max !== undefined) return `${noun} of at most ${max}`;
      return noun;
    }
    case "string": {
      const description = actions.find((a) => a.type === "description");
      if (actions.some((a) => a.type === "url")) return "a URL";
      if (actions.some((a) => a.type === "regex")) return `a string matching ${String(has("regex"))}`;
      return description ? String(description.requirement) : `a string${stringRules(actions)}`;
    }
    case "picklist":
    case "enum":
      return `one of ${((base.options ?? []) as unknown[]).map((o) => JSON.stringify(o)).join(", ")}`;
    case "literal":
      return JSON.stringify(base.literal);
    case "array": {
      if (!base.item) return `${nouns.list} of values`;
      // "of strings or null or null" would not say which null is the list's: null items are said apart.
      const nullItems = base.item.wrapped !== undefined && /nullable|nullish/.test(base.item.type);
      const items = plural(describeNode(nullItems ? base.item.wrapped! : base.item, nouns));
      return `${nouns.list} of ${items}${nullItems ? " (null items allowed)" : ""}`;
    }
    case "record":
    case "object":
    case "loose_object":
    case "strict_object":
    case "object_with_rest":
      return nouns.object;
    case "union":
    case "variant":
      // Options alike in words (a byte size as text or as a number, each with its own message) are said once.
      return [...new Set(((base.options ?? []) as Node[]).map((option) => describeNode(option, nouns)))].join(" or ");
    case "null":
      return "null";
    case "custom":
      // A plugin's own check: its message says what it expects.
      return typeof base.message === "string" ? base.message.replace(/^expected /, "") : "a value";
    default:
      return base.type;
  }
}

/**
 * What a string's length and affix checks ask, after "a string" (valibot's `nonEmpty`,
 * `minLength`, `startsWith`, ...): without them, "expected a string, got """ would contradict itself.
 */
function stringRules(actions: Node[]): string {
  const has = (type: string) => actions.find((a) => a.type === type)?.requirement;
  const chars = (n: unknown) => `${n} character${n === 1 ? "" : "s"}`;
  const [exact, max] = [has("length"), has("max_length")];
  const min = has("min_length") ?? (actions.some((a) => a.type === "non_empty") ? 1 : undefined);
  let length: string | undefined;
  if (exact !== undefined) length = `of ${chars(exact)}`;
  else if (min !== undefined && max !== undefined) length = `of ${min} to ${chars(max)}`;
  else if (min !== undefined) length = `of at least ${chars(min)}`;
  else if (max !== undefined) length = `of at most ${chars(max)}`;
  const affixes = (
    [
      ["starts_with", "starting with"],
      ["ends_with", "ending with"],
      ["includes", "containing"],
    ] as const
  ).map(([type, words]) => (has(type) === undefined ? undefined : `${words} ${JSON.stringify(has(type))}`));
  const rules = [length, ...affixes].filter((rule) => rule !== undefined);
  return rules.length > 0 ? ` ${rules.join(", ")}` : "";
}

function plural(phrase: string): string {
  return phrase.replace(/^an? ((?:JSON )?)(\w+)/, (_, json: string, noun: string) => `${json}${noun}s`);
}

function describeIssue(issue: BaseIssue<unknown>, root: GenericSchema, nouns: TypeNouns): string {
  // valibot's own messages start with "Invalid"; anything else is a plugin's own words.
  if (!issue.message.startsWith("Invalid ")) return issue.message;
  // Along the issue's own path: an array's item by its index, a member by its key.
  let node: Node | undefined = root as unknown as Node;
  for (const step of issue.path ?? []) {
    if (node === undefined) break;
    node =
      step.type === "array"
        ? (itemSchema(node as unknown as GenericSchema) as unknown as Node | undefined)
        : childOf(node, String(step.key));
  }
  if (node === undefined) return issue.message;
  // A key the schema needs and the file leaves out: valibot received `undefined`, which no file holds.
  if (issue.input === undefined) return `is missing: expected ${describeNode(node, nouns)}`;
  return `expected ${describeNode(node, nouns)}, got ${receivedText(issue, nouns)}`;
}

/**
 * What was given, in the file format's words for a container: valibot names a list "Array" and
 * an object by its constructor, which a parsed TOML table (no prototype) does not have ("null").
 * A string is given whole, escaped: valibot gives a `startsWith` or `endsWith` issue only the
 * slice it compared, which redaction cannot tell for part of a secret, and a line break as is.
 */
function receivedText(issue: BaseIssue<unknown>, nouns: TypeNouns): string {
  const { input } = issue;
  if (Array.isArray(input)) return nouns.list;
  if (typeof input === "object" && input !== null) return nouns.object;
  if (typeof input === "string") return JSON.stringify(input);
  return issue.received;
}
