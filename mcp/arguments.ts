import { toStandardJsonSchema } from "@valibot/to-json-schema";
import * as v from "valibot";
import type { GenericSchema } from "valibot";
import { KitcfgError } from "../core/errors.ts";

/**
 * A tool's argument schema as the SDK sees it: the real JSON Schema is advertised in
 * `tools/list`, but the SDK's own check lets every object through. kitcfg checks the
 * arguments itself (`checkArguments`) inside the call, so that a wrong argument comes back
 * as kitcfg's error result (`structuredContent.error` with a code, the message naming the
 * argument) rather than the SDK's bare "Input validation error".
 */
export function advertisedArguments(schema: GenericSchema) {
  const standard = toStandardJsonSchema(schema);
  return {
    "~standard": {
      ...standard["~standard"],
      validate: function acceptArguments(value: unknown) {
        return { value };
      },
    },
  };
}

/**
 * The arguments of a call, checked against the tool's schema.
 * @throws KitcfgError `UNKNOWN_DAEMON` for a `daemon_name` no plugin answers to (with the
 * nearest name); `USAGE` for a missing argument (naming it and what it is), an unknown one
 * or a value of the wrong type.
 */
export function checkArguments(schema: GenericSchema, given: unknown): Record<string, unknown> {
  const result = v.safeParse(schema, given ?? {});
  if (result.success) return withObjectsAsGiven(schema, given, result.output as Record<string, unknown>);
  const issue = result.issues[0];
  const name = v.getDotPath(issue) ?? "";
  const missing =
    issue.type.endsWith("object") && issue.expected !== "never" && issue.input === undefined && name !== "";
  if (missing) {
    const what = descriptionOf(schema, name);
    throw new KitcfgError("USAGE", `Missing argument "${name}"${what ? `: ${what}` : ""}`, { key: name });
  }
  if (issue.type.endsWith("object") && issue.expected === "never")
    throw new KitcfgError("USAGE", issue.message, { key: name });
  if (name === "daemon_name" && typeof issue.input === "string")
    throw new KitcfgError("UNKNOWN_DAEMON", issue.message, { key: name });
  throw new KitcfgError("USAGE", name ? `${name}: ${issue.message}` : issue.message, {
    ...(name ? { key: name } : {}),
  });
}

// --- internal ---

interface Node {
  type: string;
  entries?: Record<string, Node>;
  wrapped?: Node;
  pipe?: { type: string; description?: string }[];
}

/**
 * `output` with each object-of-keys argument (a `v.record`) as the client sent it. valibot
 * takes an array for one (its indexes as keys: "Unknown key 0") and builds a new object,
 * in which a `"__proto__"` key sets the prototype and vanishes ("Nothing to change"): the
 * given object keeps it, for the key checks to refuse by name.
 */
function withObjectsAsGiven(
  schema: GenericSchema,
  given: unknown,
  output: Record<string, unknown>,
): Record<string, unknown> {
  const entries = (schema as unknown as Node).entries ?? {};
  for (const [name, entry] of Object.entries(entries)) {
    let node: Node | undefined = entry;
    while (node?.wrapped) node = node.wrapped;
    const value = (given as Record<string, unknown> | undefined)?.[name];
    if (node?.type !== "record" || value === undefined) continue;
    if (Array.isArray(value)) {
      throw new KitcfgError("USAGE", `${name}: expected an object of keys and values, got an array`, { key: name });
    }
    output[name] = value;
  }
  return output;
}

/** The `v.description` of a top-level argument, lower-cased to follow a colon. */
function descriptionOf(schema: GenericSchema, name: string): string | undefined {
  let node = (schema as unknown as Node).entries?.[name];
  while (node?.wrapped) node = node.wrapped;
  const text = node?.pipe?.find((action) => action.type === "description")?.description;
  return text ? text.charAt(0).toLowerCase() + text.slice(1) : undefined;
}
