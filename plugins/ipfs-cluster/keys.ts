import { GO_INTEGER_RANGES, goFoldKey, v, writtenJsonNumbers } from "kitcfg";
import { isObject } from "./shared.ts";
import { goRangeProblem, INT64, UINT32, UINT64 } from "./go-types.ts";
import { clusterSchema } from "./schema.ts";
import type { Add } from "./values.ts";
import type { Config } from "kitcfg";

// How ipfs-cluster v1.1.6 matches the keys of service.json. Go's encoding/json matches a JSON
// key to a struct field's tag exactly or, failing that, without regard to case; that holds for
// the sections (config/config.go `jsonConfig`) and every key inside a component. The component
// names inside a section are map keys (`jsonSection`, a map[string]*json.RawMessage) and must
// match exactly. When a field is given twice, the later key in the file wins.

type Node = {
  type?: string;
  entries?: Record<string, Node>;
  wrapped?: Node;
  item?: Node;
  pipe?: { type?: string }[];
};

/** The config with each key the daemon would match written as the daemon's own; an issue per other spelling. */
export function canonicalClusterKeys(config: Config, add: Add): Config {
  const changed: string[] = [];
  const out = canonical(config, clusterSchema as unknown as Node, [], [], add, changed, 0) as Config;
  if (changed.length === 0) return out;
  // The core checks types on the file as written, where these keys are unknown: check them here.
  const result = v.safeParse(clusterSchema, out);
  for (const issue of result.success ? [] : result.issues) {
    const path = v.getDotPath(issue) ?? "";
    // Valibot's message quotes the value, which may be a secret: say only what was expected.
    if (changed.some((key) => path === key || path.startsWith(`${key}.`)))
      add(path, `expected ${issue.expected ?? "another type"} (read from a key written in another case)`);
  }
  return out;
}

/**
 * Whole numbers written with a fraction or exponent (`"concurrent_pins": 10.0`, `1e3`) where the
 * daemon decodes an integer: Go's encoding/json refuses them ("cannot unmarshal number 10.0
 * into Go struct field ... of type int"), while a JavaScript parse gives 10. Read from the
 * raw text of service.json, when that text is what `config` holds.
 */
export function floatLiteralIssues(text: string, config: Config, add: Add): void {
  // Most files write no number with a fraction or exponent: one search says so before a parse.
  if (!MAYBE_POINT_NUMBER.test(text)) return;
  const found = writtenJsonNumbers(text, (number) => /[.eE]/.test(number));
  if (!found?.length) return; // none, or a file that does not parse (the core reports it)
  // Only when the file on disk is the configuration being validated (not the one an update
  // or configure is about to write in its place).
  const { identity: _identity, ...service } = config;
  // JSON.parse rounds an integer past 2^53, which `service` holds exact (a bigint): round it alike.
  const rounded = JSON.stringify(service, (_key, value) => (typeof value === "bigint" ? Number(value) : value));
  if (JSON.stringify(JSON.parse(text)) !== rounded) return;
  for (const { path, text: number } of found) {
    if (integerKindAt(path))
      add(
        path.join("."),
        `is the JSON number ${number}: ` +
          "ipfs-cluster decodes an integer here and refuses a fraction or exponent; write it as a whole number",
      );
  }
}

/**
 * Doubles at Go's limits: encoding/json reads an int64 field with strconv.ParseInt and a uint64
 * with ParseUint on the number's own text, so 9223372036854775807 and 18446744073709551615 load
 * and one more fails ("cannot unmarshal number ... of type int64"). kitcfg reads an integer so
 * large exactly (a bigint, which the schema judges), but a double near 2^63 (or 2^64) stands for
 * many integers, so the schema lets it through and this decides from the text: the number as
 * written on disk where `config` still holds it there, else the text kitcfg would write for it.
 * ParseUint also refuses `-0`, which JSON.parse gives as 0.
 */
export function integerLimitIssues(text: string | undefined, config: Config, add: Add): void {
  const boundary = boundaryNumbers(config, []);
  if (boundary.length === 0) return;
  const onDisk =
    (text === undefined ? undefined : writtenJsonNumbers(text, (number) => number.length > 15 || number === "-0")) ??
    [];
  for (const { path, value } of boundary) {
    const kind = integerKindAt(path);
    if (!kind) continue;
    const key = path.join(".");
    const disk = onDisk.find((found) => found.path.join(".") === key && Object.is(Number(found.text), value))?.text;
    if (disk !== undefined && /[.eE]/.test(disk)) continue; // floatLiteralIssues reports it
    // The JSON writer spells -0 with its sign, as it must to give the same double back.
    const written = disk ?? (Object.is(value, -0) ? "-0" : String(value));
    const number = BigInt(written);
    if (GO_INTEGER_RANGES[kind][0] === 0n && written.startsWith("-") && number === 0n)
      add(key, "is -0: ipfs-cluster reads this unsigned field with strconv.ParseUint, which refuses a sign; write 0");
    const problem = goRangeProblem(kind, number);
    if (problem) add(key, problem);
  }
}

/**
 * Keys of the objects inside a component (connection_manager, batching, badger_options,
 * pebble_options and its levels...) that no Go field reads: encoding/json skips them there as it
 * does a component's own. `fields` are the component's schema entries (`KEYS`).
 */
export function nestedUnknownKeys(path: string, value: Record<string, unknown>, fields: object, add: Add): void {
  for (const [key, field] of Object.entries(fields)) {
    const node = unwrapped(field as Node);
    const found = value[key];
    if (node?.type === "array" && Array.isArray(found)) {
      for (const [index, item] of found.entries()) unknownIn(`${path}.${key}.${index}`, item, node.item, add);
    } else unknownIn(`${path}.${key}`, found, node, add);
  }
}

// --- internal ---

/** An object's keys that the Go struct `schema` stands for has no field for, and those of the objects in it. */
function unknownIn(path: string, value: unknown, schema: Node | undefined, add: Add): void {
  const entries = schema ? objectEntries(schema) : undefined;
  if (!entries || !isObject(value)) return;
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(entries, key))
      add(`${path}.${key}`, "is not a key that ipfs-cluster v1.1.6 reads: it is ignored", "warning");
  }
  nestedUnknownKeys(path, value, entries, add);
}

/** A JSON number with a fraction or exponent after a colon, bracket or comma (a string may match too). */
const MAYBE_POINT_NUMBER = /[:[,][ \t\n\r]*-?\d+(?:\.\d|[eE])/;

type GoInteger = keyof typeof GO_INTEGER_RANGES;

/** What Go integer the schema (keys matched as Go matches them) wants at `path`, if any. */
function integerKindAt(path: string[]): GoInteger | undefined {
  let node: Node | undefined = clusterSchema as unknown as Node;
  for (const [depth, part] of path.entries()) {
    const list = unwrapped(node);
    if (list?.type === "array" && /^\d+$/.test(part)) {
      node = list.item; // an item of a list of objects (pebble_options.levels)
      continue;
    }
    const entries: Record<string, Node> | undefined = node ? objectEntries(node) : undefined;
    if (!entries) return undefined;
    const exactOnly = depth === 1 && path[0] !== "cluster" && path[0] !== "identity";
    const match: string | undefined = Object.hasOwn(entries, part)
      ? part
      : exactOnly
        ? undefined
        : Object.keys(entries).find((name) => goFoldKey(name) === goFoldKey(part));
    node = match === undefined ? undefined : entries[match];
  }
  node = unwrapped(node);
  const kinds = new Map<unknown, GoInteger>([
    [INT64, "int64"],
    [UINT64, "uint64"],
    [UINT32, "uint32"],
  ]);
  return kinds.get(node);
}

/**
 * Numbers of `node` whose double does not say how Go reads them: magnitude 2^63 or more (a limit,
 * or one past it), and -0 (ParseUint refuses the sign).
 */
function boundaryNumbers(node: unknown, path: string[]): { path: string[]; value: number }[] {
  if (typeof node === "number") return Math.abs(node) >= 2 ** 63 || Object.is(node, -0) ? [{ path, value: node }] : [];
  if (typeof node !== "object" || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => boundaryNumbers(value, [...path, key]));
}

function canonical(
  node: unknown,
  schema: Node,
  written: string[],
  path: string[],
  add: Add,
  changed: string[],
  depth: number,
): unknown {
  const entries = objectEntries(schema);
  if (!isObject(node) || !entries) return node;
  // Depth 1 is a section's map of components: names there match exactly.
  const mapOfComponents = depth === 1 && path[0] !== "cluster" && path[0] !== "identity";
  const out: Record<string, unknown> = {};
  const keys = Object.keys(node);
  for (const key of keys) {
    const exact = Object.hasOwn(entries, key);
    const match =
      exact || mapOfComponents ? key : Object.keys(entries).find((name) => goFoldKey(name) === goFoldKey(key));
    const here = [...written, key];
    if (match === undefined || !Object.hasOwn(entries, match)) {
      out[key] = node[key];
      continue;
    }
    const target = [...path, match];
    if (match !== key) {
      const twin = keys.includes(match);
      const later = twin && keys.indexOf(key) > keys.indexOf(match);
      add(
        here.join("."),
        twin
          ? `is also written as ${target.join(".")}: ipfs-cluster reads both as that key and keeps the later one ` +
              `(${later ? "this one" : target.join(".")}); remove one`
          : `is read by ipfs-cluster as ${target.join(".")} ` +
              `(Go's JSON decoder matches keys without regard to case): write it as ${match}`,
        "warning",
      );
      if (twin && !later) continue;
      changed.push(target.join("."));
    }
    out[match] = canonical(node[key], entries[match]!, here, target, add, changed, depth + 1);
  }
  return out;
}

function objectEntries(schema: Node): Record<string, Node> | undefined {
  const node = unwrapped(schema);
  return node?.type === "object" ? node.entries : undefined;
}

function unwrapped(schema: Node | undefined): Node | undefined {
  let node = schema;
  while (node && (node.type === "optional" || node.type === "nullable" || node.type === "nullish")) node = node.wrapped;
  return node;
}
