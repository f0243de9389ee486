import { KEYS } from "./component-keys.ts";
import { COMPONENTS } from "./schema.ts";
import { clusterSectionDefaults, componentDefaults, isObject } from "./shared.ts";

// envconfig fills every field of a component's JSON struct, whatever the file holds: toJSONConfig
// writes the component as loaded (a key the file leaves out at the value it loaded, a component
// left out at its Default()), then Process sets each field whose variable is given
// (kelseyhightower/envconfig v1.4.0 gatherInfo, Process; each component's ApplyEnvVars). So a
// variable reaches a key the file omits as it reaches one it holds.

/**
 * Fields envconfig fills that the component never reads back, so their variables change
 * nothing: the cluster section's pre-0.11 id and private_key (cluster_config.go applyConfigJSON
 * reads neither; identity.json takes CLUSTER_ID and CLUSTER_PRIVATEKEY), and raft's
 * datastore_namespace (consensus/raft/config.go applyJSONConfig).
 */
const UNREAD: Record<string, string[]> = { cluster: ["id", "private_key"], raft: ["datastore_namespace"] };

/**
 * Every field of the cluster section (`name` undefined) or of component `name` in `section`, each
 * at its default where kitcfg knows it (shared.ts), else at its Go type's zero value from the
 * schema (the pebble options kitcfg does not write): what a variable for a key the file leaves
 * out is read against. Undefined for a component the daemons do not register (numpin).
 */
export function componentFields(
  section: string,
  name?: string,
  defaults: ReturnType<typeof componentDefaults> = componentDefaults(),
): Record<string, unknown> | undefined {
  if (section === "cluster") return fieldsOf("cluster", clusterSectionDefaults("", ""));
  const kind = name === undefined ? undefined : COMPONENTS[section]?.[name];
  if (kind === undefined || kind === "opaque") return undefined;
  return fieldsOf(kind, defaults[section]?.[name!] ?? {});
}

// --- internal ---

type Node = { type?: string; entries?: Record<string, Node>; wrapped?: Node; options?: Node[] };

function fieldsOf(kind: keyof typeof KEYS, defaults: Record<string, unknown>): Record<string, unknown> {
  const fields = overlay(zeroOf({ type: "object", entries: KEYS[kind] as unknown as Record<string, Node> }), defaults);
  for (const key of UNREAD[kind] ?? []) delete (fields as Record<string, unknown>)[key];
  return fields as Record<string, unknown>;
}

/** The JSON a Go field of this schema holds at its zero value; config.Strings (a string or a list) as "". */
function zeroOf(node: Node | undefined): unknown {
  let current = node;
  while (current?.wrapped) current = current.wrapped;
  switch (current?.type) {
    case "object":
      return Object.fromEntries(Object.entries(current.entries ?? {}).map(([key, each]) => [key, zeroOf(each)]));
    case "record":
      return {};
    case "array":
      return [];
    case "string":
      return "";
    case "boolean":
      return false;
    case "union":
      return current.options?.some((option) => option.type === "string") ? "" : 0;
    default:
      return 0;
  }
}

/** `base` with `over`'s values in place, object by object. */
function overlay(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = key in base ? overlay(base[key], value) : value;
  return out;
}
