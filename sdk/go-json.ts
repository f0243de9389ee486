import type * as v from "valibot";

// What Go's encoding/json makes of a JSON null (Go `encoding/json` Unmarshal docs, decode.go
// literalStore): null sets a pointer, map, slice or interface to nil and leaves any other field
// as it was. A daemon that decodes into a fresh struct therefore reads a null member exactly as a
// missing one, while a null inside a list or a map still takes a slot, holding the zero value.

/**
 * `value` as a daemon decoding it with Go's encoding/json into fresh structs sees it, given the
 * valibot schema of its JSON types: object members that are null are dropped (as if missing), and
 * a null list item or map value becomes the zero value of what the schema expects there ("" for a
 * string, 0, false, or an empty object or list). A copy; `value` is left alone.
 */
export function goJsonNulls(schema: v.GenericSchema, value: unknown): unknown {
  return zeroNulls(schema as unknown as Node, value, false);
}

/**
 * The values a Go integer field takes from JSON (strconv.ParseInt / ParseUint on the number's
 * text): judge a number as written (`writtenJsonNumbers`) with BigInt, since JavaScript reads
 * 2^63-1 and 2^63 alike.
 */
export const GO_INTEGER_RANGES = {
  int64: [-(1n << 63n), (1n << 63n) - 1n],
  uint64: [0n, (1n << 64n) - 1n],
  uint32: [0n, (1n << 32n) - 1n],
} as const satisfies Record<string, readonly [bigint, bigint]>;

/**
 * Why Go's encoding/json refuses a JSON text that kitcfg reads, or undefined: a byte-order
 * mark at its start, which Go's scanner takes for a value's first character ("invalid
 * character 'ï' looking for beginning of value", scanner.go stateBeginValue); JSON.parse-based
 * readers and kitcfg skip it.
 */
export function goJsonTextProblem(text: string): string | undefined {
  if (!text.startsWith("\ufeff")) return undefined;
  return (
    "starts with a byte-order mark (EF BB BF), which Go's encoding/json refuses " +
    "(\"invalid character 'ï' looking for beginning of value\"); remove those three bytes"
  );
}

/** A number of a JSON text as written there, and the key path it sits at (array indexes as strings). */
export interface WrittenNumber {
  path: string[];
  text: string;
}

/**
 * The numbers of a JSON text whose written form `keep` selects, with their key paths, or undefined
 * when the text does not parse. JSON.parse forgets how a number was written (`10.0` is 10,
 * 9223372036854775807 is 2^63), while Go's encoding/json reads an integer field from the text
 * itself (strconv.ParseInt / ParseUint: no fraction or exponent, the exact value within range).
 */
export function writtenJsonNumbers(text: string, keep: (text: string) => boolean): WrittenNumber[] | undefined {
  const found: { holder: object; key: string; text: string }[] = [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(
      text,
      function collect(this: object, key: string, value: unknown, context?: { source?: string }) {
        if (typeof value === "number" && context?.source !== undefined && keep(context.source))
          found.push({ holder: this, key, text: context.source });
        return value;
      },
    );
  } catch {
    return undefined;
  }
  if (found.length === 0) return [];
  const paths = new Map<object, string[]>();
  const index = (node: unknown, path: string[]) => {
    if (typeof node !== "object" || node === null) return;
    paths.set(node, path);
    for (const [key, value] of Object.entries(node)) index(value, [...path, key]);
  };
  index(parsed, []);
  return found.map(({ holder, key, text }) => ({ path: [...(paths.get(holder) ?? []), key], text }));
}

// --- internal ---

interface Node {
  type: string;
  wrapped?: Node;
  entries?: Record<string, Node>;
  value?: Node;
  item?: Node;
  options?: Node[];
}

function zeroNulls(schema: Node | undefined, value: unknown, slot: boolean): unknown {
  const node = shapeFor(unwrap(schema), value);
  if (value === null) return slot ? zeroOf(node) : undefined;
  if (!node || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const item = node.type === "array" ? node.item : undefined;
    return item ? value.map((each) => zeroNulls(item, each, true)) : value;
  }
  const out: Record<string, unknown> = {};
  for (const [key, each] of Object.entries(value)) {
    const child = node.type === "object" ? node.entries?.[key] : node.type === "record" ? node.value : undefined;
    const read = child ? zeroNulls(child, each, node.type === "record") : each;
    // A key the schema does not know is kept as written (null included): not ours to read.
    if (read !== undefined) out[key] = read;
  }
  return out;
}

/** The Go zero value for a slot of this schema, as JSON would show it. */
function zeroOf(node: Node | undefined): unknown {
  switch (node?.type) {
    case "string":
      return "";
    case "number":
      return 0;
    case "boolean":
      return false;
    case "array":
      return [];
    case "object":
    case "record":
      return {};
    default:
      return null;
  }
}

/** Of a union, the option shaped like `value` (a list, an object, or else the first); any other node as it is. */
function shapeFor(node: Node | undefined, value: unknown): Node | undefined {
  if (node?.type !== "union") return node;
  const options = (node.options ?? []).map(unwrap);
  const want = Array.isArray(value) ? ["array"] : typeof value === "object" && value ? ["object", "record"] : [];
  return options.find((option) => want.includes(option?.type ?? "")) ?? options[0];
}

function unwrap(node: Node | undefined): Node | undefined {
  let current = node;
  while (current?.wrapped) current = current.wrapped;
  return current;
}
