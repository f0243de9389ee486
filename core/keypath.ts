import { KitcfgError, quotedName } from "./errors.ts";
import type { Change, KeyPath } from "./formats/types.ts";

/** Segments that would reach into an object's prototype instead of its own keys. */
const FORBIDDEN_SEGMENTS = new Set(["__proto__", "prototype", "constructor"]);
const FORBIDDEN_NAMES = [...FORBIDDEN_SEGMENTS];

/**
 * Split a dotted key path (`Addresses.API`, `proxies.https`) into segments.
 * @throws KitcfgError (`INVALID_KEY`) for an empty path, empty segments, NUL bytes, or a
 * segment that names an object prototype.
 */
export function parseKeyPath(dotted: string): string[] {
  if (dotted.length === 0) throw invalidKey(dotted, "the key is empty");
  return checkSegments(dotted, dotted.split("."));
}

/**
 * Segments given one by one (a desired state's nested tables), where one may hold dots: a
 * map keyed by DNS names (`Gateway.PublicGateways."dweb.link"`), which no dotted path reaches.
 * @throws KitcfgError (`INVALID_KEY`) for what `parseKeyPath` refuses in a segment.
 */
export function checkKeyPath(segments: readonly string[]): string[] {
  if (segments.length === 0) throw invalidKey("", "the key is empty");
  return checkSegments(segments.join("."), [...segments]);
}

/**
 * The path to the first key inside `value` that names an object prototype (`__proto__`,
 * `constructor`, `prototype`), as a key path would be refused for; undefined when none.
 * Checked without recursion, so a deep value cannot exhaust the stack.
 */
export function forbiddenKeyIn(value: unknown): string[] | undefined {
  // Nearly every value holds none: look first without building paths, which a big config makes costly.
  return holdsForbiddenKey(value) ? forbiddenPathIn(value) : undefined;
}

/** The same key path, segment for segment. */
export function samePath(a: KeyPath, b: KeyPath): boolean {
  return a.length === b.length && a.every((segment, i) => segment === b[i]);
}

/** Join segments back into the dotted form users type. */
export function formatKeyPath(path: KeyPath): string {
  return path.join(".");
}

/**
 * Every leaf under `value` with its path from `prefix`: anything that is not a plain object
 * (an array is a leaf: it is set whole), and an empty object, so that nothing is left out.
 * An object with a key that no dotted path can name (a DNS name such as `.` or `eth.` in
 * a daemon's map of resolvers) is a leaf too: each path given is one `get` and `set` take.
 * In the order of the keys, as `git config --list` gives a file's order.
 */
export function leaves(value: unknown, prefix: KeyPath = []): [KeyPath, unknown][] {
  if (!isPlainObject(value)) return [[prefix, value]];
  const keys = Object.keys(value);
  if ((keys.length === 0 || !pathsNameEach(value)) && prefix.length > 0) return [[prefix, value]];
  return keys.flatMap((key) => leaves(value[key], [...prefix, key]));
}

/**
 * Whether a dotted path can name each key of `object`: none is empty or holds a dot. A map
 * keyed by DNS names (a map of resolvers or of gateways by host name) cannot be reached
 * key by key; it is read and set whole, at its own path.
 */
export function pathsNameEach(object: Record<string, unknown>): boolean {
  for (const key in object) if (key === "" || key.includes(".")) return false;
  return true;
}

/**
 * A key as Go matches it with a field name case-insensitively (encoding/json's decoder,
 * strings.EqualFold), for comparing with an ASCII name: lower case, where Go also reads
 * "ſ" (U+017F) as "s" and the Kelvin sign (U+212A) as "k" (toLowerCase does that one). A Go
 * daemon reads `"ſecret"` as its `secret` field: matching with toLowerCase alone misses it.
 */
export function goFoldKey(key: string): string {
  const lower = key.toLowerCase();
  return lower.includes("\u017f") ? lower.replaceAll("\u017f", "s") : lower;
}

/** True for a plain object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value at `path`, or `undefined` when any level is missing. */
export function getPath(root: unknown, path: KeyPath): unknown {
  let node = root;
  for (const segment of path) {
    if (!isPlainObject(node) || !Object.hasOwn(node, segment)) return undefined;
    node = node[segment];
  }
  return node;
}

/**
 * `root` with each change applied in order, as `setPath` and `unsetPath` one after another
 * would give, but an object is copied once, not once per change: a thousand keys set in one
 * map cost a thousand writes, not a thousand copies of the map. `root` is not modified.
 */
export function withChanges(root: unknown, changes: readonly Change[]): unknown {
  const copies = new Set<object>();
  const own = (node: unknown): Record<string, unknown> => {
    if (isPlainObject(node) && copies.has(node)) return node;
    const copy: Record<string, unknown> = isPlainObject(node) ? { ...node } : {};
    copies.add(copy);
    return copy;
  };
  const set = (node: unknown, path: KeyPath, value: unknown): unknown => {
    if (path.length === 0) return value;
    const copy = own(node);
    const head = path[0]!;
    defineOwn(copy, head, set(Object.hasOwn(copy, head) ? copy[head] : undefined, path.slice(1), value));
    return copy;
  };
  const unset = (node: unknown, path: KeyPath): unknown => {
    if (path.length === 0) return undefined;
    if (!isPlainObject(node) || !Object.hasOwn(node, path[0]!)) return node;
    const copy = own(node);
    const head = path[0]!;
    if (path.length === 1) delete copy[head];
    else defineOwn(copy, head, unset(copy[head], path.slice(1)));
    return copy;
  };
  let next = root;
  for (const change of changes)
    next = change.op === "set" ? set(next, change.path, change.value) : unset(next, change.path);
  return next;
}

/**
 * The value at `path` as a reader means it: like `getPath`, but a segment that is a whole
 * number indexes an array (`Peers.0`, as users of config tools write it). Used to read
 * values, never to plan edits.
 */
export function lookupPath(root: unknown, path: KeyPath): unknown {
  let node = root;
  for (const segment of path) {
    if (Array.isArray(node) && ARRAY_INDEX.test(segment)) node = node[Number(segment)];
    else if (isPlainObject(node) && Object.hasOwn(node, segment)) node = node[segment];
    else return undefined;
  }
  return node;
}

/** An array index as a key path segment: a whole number without leading zeros. */
export const ARRAY_INDEX = /^(0|[1-9]\d{0,8})$/;

/** A copy of `root` with `value` at `path`; missing or non-object levels become objects. */
export function setPath(root: unknown, path: KeyPath, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as string[];
  const base = isPlainObject(root) ? root : {};
  const copy: Record<string, unknown> = { ...base };
  defineOwn(copy, head!, setPath(Object.hasOwn(base, head!) ? base[head!] : undefined, rest, value));
  return copy;
}

/** A copy of `root` without `path`; objects left empty by the removal are kept. */
export function unsetPath(root: unknown, path: KeyPath): unknown {
  if (path.length === 0) return undefined;
  if (!isPlainObject(root) || !Object.hasOwn(root, path[0]!)) return root;
  const [head, ...rest] = path as string[];
  const copy: Record<string, unknown> = { ...root };
  if (rest.length === 0) delete copy[head!];
  else defineOwn(copy, head!, unsetPath(root[head!], rest));
  return copy;
}

/**
 * Whether `path` lies at or under `pattern` (a secret's dotted pattern, `*` for any one name);
 * a `*` in `path` (a schema's map key) matches any name of the pattern.
 */
export function matchesKeyPattern(pattern: readonly string[], path: readonly string[]): boolean {
  return pattern.length <= path.length && pattern.every((p, i) => p === "*" || path[i] === "*" || p === path[i]);
}

/**
 * Whether a value at `path` may show a secret of `pattern`: the path is the secret or lies in
 * one, or (for a value that nests, an object or a list) the secret may lie below it. A plain
 * value above a secret holds none, which matters for a pattern under any table (`*.*.Token`),
 * which reaches below every short key.
 */
export function reachesSecret(pattern: readonly string[], path: readonly string[], nests: boolean): boolean {
  return matchesKeyPattern(pattern, path) || (nests && matchesKeyPattern(path, pattern.slice(0, path.length)));
}

/** Structural equality for JSON-like values; object key order does not matter. */
export function deepEqual(a: unknown, b: unknown): boolean {
  // -0 is 0 to every daemon (Go's ParseInt("-0"), Python's int("-0")), and JSON writes it 0.
  if (Object.is(a, b) || (typeof a === "number" && a === b)) return true;
  if (typeof a === "bigint" || typeof b === "bigint") return sameInteger(a, b);
  // Loops, not every(): this compares every value of a big document, for which a callback per value costs.
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const item = a[i];
      // A hole of `a` is skipped, as every() skips it.
      if (!Object.is(item, b[i]) && !(item === undefined && !(i in a)) && !deepEqual(item, b[i])) return false;
    }
    return true;
  }
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime() && String(a) === String(b);
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    // for...in and a count, not Object.keys: no array of keys per object of a big document.
    let count = 0;
    for (const key in a) {
      if (!Object.hasOwn(a, key)) continue;
      count++;
      if (!Object.hasOwn(b, key) || !deepEqual(a[key], b[key])) return false;
    }
    for (const key in b) if (Object.hasOwn(b, key)) count--;
    return count === 0;
  }
  return false;
}

/**
 * The leaf changes that turn `before` into `after`: objects are compared key by key,
 * anything else (arrays included) is replaced whole.
 */
export function diffValues(
  before: unknown,
  after: unknown,
  path: string[] = [],
): { op: "set" | "unset"; path: string[]; value?: unknown }[] {
  if (deepEqual(before, after)) return [];
  if (!isPlainObject(before) || !isPlainObject(after)) {
    return after === undefined ? [{ op: "unset", path }] : [{ op: "set", path, value: after }];
  }
  const changes: { op: "set" | "unset"; path: string[]; value?: unknown }[] = [];
  for (const key of Object.keys(before)) {
    if (!Object.hasOwn(after, key)) changes.push({ op: "unset", path: [...path, key] });
  }
  for (const key of Object.keys(after)) {
    const [was, now] = [Object.hasOwn(before, key) ? before[key] : undefined, after[key]];
    // Most keys of a big document are unchanged: no path is built for them.
    if (Object.is(was, now) && was !== undefined) continue;
    changes.push(...diffValues(was, now, [...path, key]));
  }
  return changes;
}

/**
 * A key linked to its parent's: a walk of a deep value keeps one of these per level, not a copy of
 * the path (a copy per level grows with the square of the depth), and builds the path (`linkedPath`)
 * only where it needs one.
 */
export interface KeyLink {
  key: string;
  up: KeyLink | undefined;
}

/** The key path a link ends, from the top. */
export function linkedPath(link: KeyLink | undefined): string[] {
  const path: string[] = [];
  for (let at = link; at; at = at.up) path.push(at.key);
  return path.reverse();
}

/**
 * True when `value` nests objects or arrays more than `max` levels deep (recursion stops at
 * `max`, so the stack it needs is bounded too). On the way it notes each long list that holds
 * no prototype-named key, and `forbiddenKeyIn` then passes over those lists: a big parsed
 * config is walked once for both, since its validation meets the same lists, unchanged by
 * an edit. Values checked here are kitcfg's own and never changed in place (edits copy the
 * path they change).
 */
export function exceedsDepth(value: unknown, max: number): boolean {
  return typeof value === "object" && value !== null && vetValue(value, max) === TOO_DEEP;
}

// --- internal ---

/** The first prototype-named key in `value`, searched depth first, with its path. */
function forbiddenPathIn(value: unknown): string[] | undefined {
  // Paths are kept as links to the parent, built into an array only for the key found.
  const stack: [unknown, KeyLink | undefined][] = [[value, undefined]];
  while (stack.length > 0) {
    const [node, at] = stack.pop()!;
    if (typeof node !== "object" || node === null) continue;
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) stack.push([item, { key: String(i), up: at }]);
      continue;
    }
    for (const key of Object.keys(node)) {
      if (FORBIDDEN_SEGMENTS.has(key)) return linkedPath({ key, up: at });
      const child = (node as Record<string, unknown>)[key];
      if (typeof child === "object" && child !== null) stack.push([child, { key, up: at }]);
    }
  }
  return undefined;
}

/**
 * Whether any object in `value` has a prototype-named key (no paths). Recursive while the
 * value nests no deeper than `RECURSION_DEPTH` (a parsed config is at most `MAX_DEPTH`):
 * visiting a big config's every object, a call per object costs less than a stack of them
 * and an array of keys each; deeper, the rest is searched with a stack of its own.
 */
function holdsForbiddenKey(value: unknown, depth = 0): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (depth > RECURSION_DEPTH) return forbiddenPathIn(value) !== undefined;
  if (Array.isArray(value)) {
    if (value.length >= CLEAN_LIST && cleanLists.has(value)) return false;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === "object" && item !== null && holdsForbiddenKey(item, depth + 1)) return true;
    }
    return false;
  }
  // Own keys by name: no list of every key is made.
  for (let i = 0; i < FORBIDDEN_NAMES.length; i++) if (Object.hasOwn(value, FORBIDDEN_NAMES[i]!)) return true;
  for (const key in value) {
    const child = (value as Record<string, unknown>)[key];
    if (typeof child === "object" && child !== null && Object.hasOwn(value, key) && holdsForbiddenKey(child, depth + 1))
      return true;
  }
  return false;
}

/** How deep `holdsForbiddenKey` recurses before it goes on with a stack of its own. */
const RECURSION_DEPTH = 200;

/** Lists known to hold no prototype-named key (`exceedsDepth` walked them). */
const cleanLists = new WeakSet<unknown[]>();
/** Lists this long or longer are noted as clean: shorter ones cost less to walk than to look up. */
const CLEAN_LIST = 64;
/** `vetValue`'s answers, a value's flags. */
const HOLDS_FORBIDDEN = 1;
const TOO_DEEP = 2;

/** `exceedsDepth`'s walk: `TOO_DEEP`, else whether `value` holds a prototype-named key. */
function vetValue(value: object, max: number): number {
  // Recursion stops at `max` levels, so the stack it needs is bounded too.
  if (max <= 0) return TOO_DEEP;
  let found = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item !== "object" || item === null) continue;
      const flags = vetValue(item, max - 1);
      if (flags === TOO_DEEP) return TOO_DEEP;
      found |= flags;
    }
    if (found === 0 && value.length >= CLEAN_LIST) cleanLists.add(value);
    return found;
  }
  for (let i = 0; i < FORBIDDEN_NAMES.length; i++)
    if (Object.hasOwn(value, FORBIDDEN_NAMES[i]!)) found = HOLDS_FORBIDDEN;
  for (const key in value) {
    const child = (value as Record<string, unknown>)[key];
    if (typeof child !== "object" || child === null || !Object.hasOwn(value, key)) continue;
    const flags = vetValue(child, max - 1);
    if (flags === TOO_DEEP) return TOO_DEEP;
    found |= flags;
  }
  return found;
}

/** A TOML integer may come back as a bigint; it equals the number of the same value. */
function sameInteger(a: unknown, b: unknown): boolean {
  const toBig = (x: unknown) =>
    typeof x === "bigint" ? x : typeof x === "number" && Number.isInteger(x) ? BigInt(x) : undefined;
  const [x, y] = [toBig(a), toBig(b)];
  return x !== undefined && x === y;
}

/** Assign an own property even for names like `__proto__`, without touching the prototype. */
function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * The longest key path taken: far past any daemon's (the longest are under 60), and short
 * enough that a message naming one stays a line, and looking for the nearest known key
 * (an edit distance per key) stays quick.
 */
export const MAX_KEY_PATH_CHARS = 1024;

function checkSegments(dotted: string, segments: string[]): string[] {
  if (dotted.length > MAX_KEY_PATH_CHARS)
    throw invalidKey(
      dotted,
      `it is ${dotted.length} characters long; no daemon has a key of over ${MAX_KEY_PATH_CHARS}`,
    );
  if (dotted.includes("\0")) throw invalidKey(dotted, "it contains a NUL byte");
  for (const segment of segments) {
    if (segment.length === 0) throw invalidKey(dotted, "it has an empty segment");
    if (FORBIDDEN_SEGMENTS.has(segment)) throw invalidKey(dotted, `"${segment}" is not a configuration key`);
  }
  return segments;
}

function invalidKey(dotted: string, reason: string): KitcfgError {
  const shown = quotedName(dotted.replaceAll("\0", "\\0"));
  return new KitcfgError("INVALID_KEY", `Invalid key ${shown}: ${reason}`, {
    hint: "Use a dotted path of key names, e.g. Addresses.API",
  });
}
