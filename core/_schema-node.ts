import type { TypeNouns } from "./formats/types.ts";

// What core/schema.ts and core/_schema-check.ts read of a valibot schema: its nodes, seen through
// the fields kitcfg uses, and the words for an object and a list.

/** A valibot schema or action, seen through the fields kitcfg reads. */
export interface Node {
  kind?: string;
  type: string;
  entries?: Record<string, Node>;
  rest?: Node;
  value?: Node;
  item?: Node;
  items?: Node[];
  wrapped?: Node;
  options?: unknown[];
  literal?: unknown;
  pipe?: Node[];
  key?: Node;
  default?: unknown;
  fallback?: unknown;
  requirement?: unknown;
  message?: unknown;
  getter?: (input: unknown) => Node;
}

/** How messages name an object and a list unless the file's format says otherwise. */
export const JSON_NOUNS: TypeNouns = { object: "a JSON object", list: "a JSON array" };

export const OBJECT_TYPES = new Set(["object", "loose_object", "strict_object", "object_with_rest", "record"]);

/** Strip optional/nullable wrappers and lazy getters to reach the schema that decides the type. */
export function unwrap(node: Node): Node {
  let current = node;
  for (;;) {
    if (current.wrapped) current = current.wrapped;
    else if (current.type === "lazy" && current.getter) current = current.getter(undefined);
    else return current;
  }
}
