import {
  formatGoDuration,
  goDurationMs,
  goDurationNs,
  isGoDuration,
  KitcfgError,
  parseGoInteger,
  readGoText,
} from "kitcfg";

// One CLUSTER_* variable's text read as envconfig reads it into the field's Go type (strconv's
// readers, comma lists, k:v maps, durations), and what the component then makes of a zero.

/** Variables whose values are secrets: a refusal never quotes them. */
const SECRET_VARIABLES = /^CLUSTER_(SECRET|(RESTAPI|PINSVCAPI)_(BASICAUTHCREDENTIALS|PRIVATEKEY)|PRIVATEKEY)$/;

/** Keys whose Go type is config.Strings: one item is written as a plain string. */
const STRINGS_KEYS = new Set([
  "listen_multiaddress",
  "announce_multiaddress",
  "no_announce_multiaddress",
  "http_listen_multiaddress",
  "libp2p_listen_multiaddress",
]);

/** Durations read with time.ParseDuration's error dropped, then checked > 0: "" or bad text is refused. */
const POSITIVE_DURATIONS = new Set([
  "CLUSTER_PUBSUBMON_CHECKINTERVAL",
  "CLUSTER_DISK_METRICTTL",
  "CLUSTER_PINQUEUE_METRICTTL",
]);

/**
 * Keys whose component takes a zero value (0, "", false, an empty list) as "keep what is held":
 * init then writes the default, a start keeps the file's value (ipfs-cluster @2182e887:
 * config.SetIfNotDefault, config/util.go l. 58, in cluster_config.go l. 521-590,
 * consensus/crdt/config.go l. 150-173, consensus/raft/config.go l. 221-236, api/ipfsproxy/config.go
 * l. 258-283, pintracker/stateless/config.go l. 117-130, each datastore's folder and badger's
 * gc_discard_ratio; the `len(...) > 0` and `!= ""` tests of api/common/config.go l. 246, 321-345,
 * api/ipfsproxy/config.go l. 241, 251, 280, allocator/balanced/config.go l. 80).
 * The durations are read apart (readDuration). The secret is not here: DecodeClusterSecret("") is the empty
 * secret, which the daemon runs with (kitcfg's configure keeps its random one instead: env.ts, FORMATS.md §4).
 */
const ZERO_KEEPS: Record<string, readonly string[]> = {
  CLUSTER: ["peername", "peerstore_file", "replication_factor_min", "replication_factor_max"],
  CLUSTER_CRDT: ["cluster_name", "peerset_metric", "datastore_namespace"],
  CLUSTER_CRDT_BATCHING: ["max_queue_size"],
  CLUSTER_RAFT: ["data_folder", "backups_rotate", "max_append_entries", "trailing_logs", "snapshot_threshold"],
  CLUSTER_RESTAPI: ["http_listen_multiaddress", "libp2p_listen_multiaddress", "id", "private_key"],
  CLUSTER_PINSVCAPI: ["http_listen_multiaddress", "libp2p_listen_multiaddress", "id", "private_key"],
  CLUSTER_IPFSPROXY: [
    "listen_multiaddress",
    "node_multiaddress",
    "node_https",
    "log_file",
    "extract_headers_extra",
    "extract_headers_path",
  ],
  CLUSTER_STATELESS: ["max_pin_queue_size", "concurrent_pins", "priority_pin_max_retries"],
  CLUSTER_BALANCED: ["allocate_by"],
  CLUSTER_BADGER: ["folder", "gc_discard_ratio"],
  CLUSTER_BADGER3: ["folder", "gc_discard_ratio"],
  CLUSTER_LEVELDB: ["folder"],
  CLUSTER_PEBBLE: ["folder"],
};

/**
 * The datastores' option structs, merged over what the component holds with mergo.WithOverride,
 * which skips a zero source field (datastore/badger/config.go l. 233, badger3 l. 314, leveldb l. 201,
 * pebble l. 360). Not badger's two loading modes: pointers, set after the merge whatever they hold
 * (datastore/badger/config.go l. 237-243). pebble creates a cache only for cache_size_bytes > 0 and
 * never copies flush_delay_range_key (datastore/pebble/config.go `Unmarshal`, l. 113-119), so
 * neither moves off what is held.
 */
const MERGED = new Set([
  "CLUSTER_BADGER_BADGEROPTIONS",
  "CLUSTER_BADGER3_BADGEROPTIONS",
  "CLUSTER_LEVELDB_LEVELDBOPTIONS",
  "CLUSTER_PEBBLE_PEBBLEOPTIONS",
]);

/** max_header_bytes: 0 gives the default, whatever is held (api/common/config.go l. 263, ipfsproxy l. 274). */
const DEFAULT_HEADER_BYTES = 4096;

const MAP_KEYS = new Set(["tags", "basic_auth_credentials", "headers"]);

/**
 * The unsigned integer fields among the numbers (component-keys.ts and datastore-keys.ts write them
 * `uint` and `uint32`): envconfig reads a uint with strconv.ParseUint (base 0), which takes no sign,
 * not even "+", and nothing past the type's largest value.
 */
const UNSIGNED_KEYS = new Set([
  "memory_limit_bytes",
  "file_descriptors_limit",
  "trailing_logs",
  "snapshot_threshold",
  "format_major_version",
  "mem_table_size",
  "compression",
  "strict",
  "value_log_max_entries",
]);

/** The float64 fields among the numbers (the rest are Go integers). */
const FLOAT_KEYS = new Set([
  "gc_discard_ratio",
  "sampling_prob",
  "bloom_false_positive",
  "v_log_percentile",
  "compaction_table_size_multiplier",
  "compaction_total_size_multiplier",
]);

/**
 * The lists whose items are no strings, by key (envconfig processField, reflect.Slice: a blank
 * value is an empty list, else the comma-separated items, untrimmed, each read as the element
 * type and the first that does not parse refused). leveldb's `*_per_level` are []float64
 * (datastore/leveldb/config.go levelDBOptions); pebble's `levels` is []levelOptions, a struct with
 * no decoder, which processField leaves at its zero value whatever the item holds
 * (datastore/pebble/config.go l. 190).
 */
const LIST_ELEMENTS: Record<string, "float" | "level"> = {
  compaction_table_size_multiplier_per_level: "float",
  compaction_total_size_multiplier_per_level: "float",
  levels: "level",
};

/**
 * time.Duration fields the component writes as a number of nanoseconds (pebbleOptions,
 * datastore/pebble/config.go l. 95-96), which envconfig reads as Go duration text (processField:
 * time.ParseDuration for a time.Duration), not as a number: "10" has no unit.
 */
const NANOSECOND_DURATIONS = new Set([
  "CLUSTER_PEBBLE_PEBBLEOPTIONS_FLUSHDELAYDELETERANGE",
  "CLUSTER_PEBBLE_PEBBLEOPTIONS_FLUSHDELAYRANGEKEY",
]);

/** A zero levelOptions, as encoding/json writes it. */
const ZERO_LEVEL = {
  block_restart_interval: 0,
  block_size: 0,
  block_size_threshold: 0,
  compression: 0,
  filter_type: 0,
  filter_policy: 0,
  index_block_size: 0,
  target_file_size: 0,
};

/** A variable refused: its name and why apart, so that `validate` can word it as the daemon's start (daemon-env.ts). */
export class VariableRefused extends KitcfgError {
  /** The key the variable sets, below the section it was applied to (filled in as it goes up: `withClusterEnv`). */
  field: string[] = [];

  constructor(
    readonly variable: string,
    readonly detail: string,
    hint: string,
  ) {
    super("INVALID_VALUE", `Cannot apply ${variable}: ${detail}`, { hint });
  }
}

/** What the component holds once it has read `value`, the variable's, over `current`. */
export function keptOnZero(prefix: string, key: string, current: unknown, value: unknown): unknown {
  if (key === "max_header_bytes" && value === 0) return DEFAULT_HEADER_BYTES;
  if (prefix === "CLUSTER_PEBBLE_PEBBLEOPTIONS") {
    if (key === "flush_delay_range_key") return current;
    if (key === "cache_size_bytes" && typeof value === "number" && value < 0) return current;
  }
  if (prefix === "CLUSTER_BADGER_BADGEROPTIONS" && key.endsWith("_loading_mode")) return value;
  const keeps = MERGED.has(prefix) || ZERO_KEEPS[prefix]?.includes(key);
  return keeps && isZero(value) ? current : value;
}

export function isStruct(key: string, value: unknown): boolean {
  return !MAP_KEYS.has(key) && typeof value === "object" && value !== null && !Array.isArray(value);
}

export function readValue(name: string, key: string, current: unknown, text: string): unknown {
  if (NANOSECOND_DURATIONS.has(name)) return readNanoseconds(name, text);
  if (typeof current === "boolean") return parseBool(text) ?? refuse(name, text, "a boolean (true, false, 1, 0, t, f)");
  if (typeof current === "number") {
    const bits = unsignedBits(name, key);
    if (bits !== undefined) {
      const read = parseGoInteger(text, bits, false);
      if (read === undefined) return refuse(name, text, `a whole number from 0 to ${(1n << BigInt(bits)) - 1n}`);
      return Number.isSafeInteger(Number(read)) ? Number(read) : read;
    }
    const read = FLOAT_KEYS.has(key) ? parseGoFloat(text) : parseGoInt(text);
    return read ?? refuse(name, text, "a number");
  }
  if (MAP_KEYS.has(key)) return parseMap(name, text, key === "headers");
  const element = LIST_ELEMENTS[key];
  if (element !== undefined) return parseList(name, text, element);
  if (Array.isArray(current) || STRINGS_KEYS.has(key)) {
    const items = text.trim() === "" ? [] : text.split(",");
    return STRINGS_KEYS.has(key) && items.length === 1 ? items[0] : items;
  }
  if (typeof current === "string" && isGoDuration(current)) return readDuration(name, current, text);
  // An empty one the component may keep (keptOnZero).
  return text;
}

export function refuse(name: string, text: string, expected: string): never {
  const got = SECRET_VARIABLES.test(name) ? "" : `, got ${JSON.stringify(text)}`;
  throw new VariableRefused(
    name,
    `expected ${expected}${got}`,
    `Fix or unset ${name} in the environment; ipfs-cluster-service init refuses it too`,
  );
}

export function isZero(value: unknown): boolean {
  return value === "" || value === 0 || value === false || (Array.isArray(value) && value.length === 0);
}

// --- internal ---

/**
 * A duration as its component reads it: "" keeps the value (ParseDurations skips it); text that
 * does not parse is refused, except by raft, which warns and keeps its value, as it does for a
 * zero (consensus/raft/config.go applyJSONConfig). Pubsubmon and the disk and pinqueue
 * informers read either as 0, which their Validate refuses.
 */
function readDuration(name: string, current: string, text: string): string {
  const ms = text === "" ? undefined : goDurationMs(text);
  if (POSITIVE_DURATIONS.has(name) && (ms === undefined || ms <= 0))
    return refuse(name, text, 'a Go duration greater than 0 ("30s", "1m30s")');
  if (text === "") return current;
  if (name.startsWith("CLUSTER_RAFT_") && !ms) return current;
  if (ms === undefined) return refuse(name, text, 'a Go duration ("30s", "1m30s")');
  return ms > 0 && ms < 1000 && Number.isInteger(ms) ? `${ms}ms` : formatGoDuration(ms);
}

/** A Go duration's text as the nanoseconds encoding/json then writes (a bigint past 2^53). */
function readNanoseconds(name: string, text: string): number | bigint {
  const ns = goDurationNs(text);
  if (ns === undefined) return refuse(name, text, 'a Go duration ("500ms", "1s"), which this field reads as text');
  return Number.isSafeInteger(Number(ns)) ? Number(ns) : ns;
}

function parseList(name: string, text: string, element: "float" | "level"): unknown[] {
  if (text.trim() === "") return [];
  return text.split(",").map((item, i) => {
    if (element === "level") return { ...ZERO_LEVEL };
    const value = parseGoFloat(item);
    if (value !== undefined) return value;
    return refuse(name, text, `comma-separated numbers (item ${i}, ${JSON.stringify(item)}, is not one)`);
  });
}

/** strconv.ParseBool, as envconfig reads a bool (SDK `readGoText`). */
function parseBool(text: string): boolean | undefined {
  const read = readGoText("bool", text);
  return "value" in read ? (read.value as boolean) : undefined;
}

/** The bits of the unsigned field `key` (badger's options are uint32, the rest uint64), else undefined. */
function unsignedBits(name: string, key: string): 32 | 64 | undefined {
  if (!UNSIGNED_KEYS.has(key)) return undefined;
  return name.startsWith("CLUSTER_BADGER") ? 32 : 64;
}

/** strconv.ParseInt(text, 0, 64), as envconfig reads an int64 (SDK `parseGoInteger`): a bigint past 2^53. */
function parseGoInt(text: string): number | bigint | undefined {
  const value = parseGoInteger(text, 64, true);
  if (value === undefined) return undefined;
  return Number.isSafeInteger(Number(value)) ? Number(value) : value;
}

/**
 * strconv.ParseFloat(text, 64) (SDK `readGoText`), less its "inf" and "nan": init cannot write
 * them (encoding/json refuses a non-finite number).
 */
function parseGoFloat(text: string): number | undefined {
  const read = readGoText("float64", text);
  return "value" in read && Number.isFinite(read.value as number) ? (read.value as number) : undefined;
}

/**
 * envconfig's map: `k:v` pairs, comma separated; nothing for a blank value. `headers` is a
 * map[string][]string: each value is read as a list in turn, which the pair's comma already
 * split, so it holds that one value, or nothing when the value is blank (envconfig processField).
 */
function parseMap(name: string, text: string, listValues: boolean): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  if (text.trim() === "") return map;
  for (const pair of text.split(",")) {
    const parts = pair.split(":");
    if (parts.length !== 2) refuse(name, SECRET_VARIABLES.test(name) ? "" : pair, "key:value pairs, comma separated");
    const value = parts[1] as string;
    map[parts[0] as string] = listValues ? (value.trim() === "" ? [] : [value]) : value;
  }
  return map;
}
