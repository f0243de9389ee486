import { getAt } from "kitcfg";
import { isObject } from "./shared.ts";
import { nestedUnknownKeys } from "./keys.ts";
import { KEYS } from "./component-keys.ts";
import { COMPONENTS } from "./schema.ts";
import type { Add } from "./values.ts";
import type { Config } from "kitcfg";

// Keys service.json may hold that ipfs-cluster v1.1.6 reads and then does nothing with, or never reads.

type Obj = Record<string, unknown>;

/**
 * Keys a component decodes and then never uses, each with the value it has in effect: raft's
 * applyJSONConfig never reads datastore_namespace (consensus/raft/config.go: Default's "/r"
 * stays), and pebbleOptions.Unmarshal never copies flush_delay_range_key into pebble's options
 * (datastore/pebble/config.go).
 */
const DECODED_UNUSED: [key: string, inEffect: unknown, why: string][] = [
  ["consensus.raft.datastore_namespace", "/r", 'raft never reads it and keeps its state under "/r"'],
  ["datastore.pebble.pebble_options.flush_delay_range_key", 0, "cluster never passes it on to pebble"],
];

export function unusedKeys(config: Config, add: Add): void {
  for (const [key, inEffect, why] of DECODED_UNUSED) {
    const value = getAt(config, key);
    if (value === undefined || value === "" || value === inEffect) continue;
    // Another JSON type than the key's is an error of its own (the schema): nothing more to say of it.
    if (jsonKind(value) !== jsonKind(inEffect)) continue;
    const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
    add(key, `is ${shown}, which has no effect: ${why}`, "warning");
  }
}

/** A value's JSON type: an integer past 2^53 (a bigint) is a number as any other. */
function jsonKind(value: unknown): string {
  return typeof value === "bigint" ? "number" : typeof value;
}

/** Keys and components the daemon does not read: it ignores them, which hides typos. */
export function unknownKeys(config: Config, add: Add): void {
  const known = (path: string, obj: Obj, keys: readonly string[], what: string) => {
    for (const key of Object.keys(obj)) {
      if (!keys.includes(key))
        add(path ? `${path}.${key}` : key, `is not ${what} that ipfs-cluster v1.1.6 reads: it is ignored`, "warning");
    }
  };
  known(
    "",
    config,
    ["source", "cluster", "identity", "id", "secret", "private_key", ...Object.keys(COMPONENTS)],
    "a section",
  );
  if (isObject(config.cluster)) {
    known("cluster", config.cluster, [...Object.keys(KEYS.cluster), "replication_factor"], "a cluster key");
    nestedUnknownKeys("cluster", config.cluster, KEYS.cluster, add);
  }
  for (const [section, components] of Object.entries(COMPONENTS)) {
    const value = config[section];
    if (!isObject(value)) continue;
    known(section, value, Object.keys(components), `${/^[aeiou]/.test(section) ? "an" : "a"} ${section} component`);
    for (const [name, kind] of Object.entries(components)) {
      if (kind === "opaque" || !isObject(value[name])) continue;
      known(`${section}.${name}`, value[name] as Obj, Object.keys(KEYS[kind]), "a key");
      nestedUnknownKeys(`${section}.${name}`, value[name] as Obj, KEYS[kind], add);
    }
  }
}
