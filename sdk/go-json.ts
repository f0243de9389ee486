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
  const node = unwrap(schema);
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
    case "union":
      return zeroOf(unwrap(node.options?.[0]));
    default:
      return null;
  }
}

function unwrap(node: Node | undefined): Node | undefined {
  let current = node;
  while (current?.wrapped) current = current.wrapped;
  return current;
}
