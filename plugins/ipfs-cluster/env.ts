import {
  checkIdentity,
  decodesAsPeerId,
  formatGoDuration,
  goDurationMs,
  isGoDuration,
  KitcfgError,
  marshalPrivateKey,
  parseGoInteger,
  peerIdOf,
  readGoText,
} from "kitcfg";

// The CLUSTER_* variables `ipfs-cluster-service init` applies before it writes service.json
// (Manager.ApplyEnvVars: each component runs kelseyhightower/envconfig v1.4.0 `Process` over
// its JSON struct, then reads it back as from the file). A variable is the prefix (CLUSTER for
// the cluster section, CLUSTER_<COMPONENT> for a component) and the Go field name in capitals,
// which is the JSON key without its underscores; a nested struct adds its own name
// (CLUSTER_CONNECTIONMANAGER_HIGHWATER). envconfig takes a variable set to "" as given. Values are
// read as envconfig reads them (strconv's bools and base-prefixed integers, comma lists, k:v
// maps) and written as the component writes them back (Go durations, a one-item Strings as a string).

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

/** What `withClusterEnv` may be given beside the section, and what it reports back. */
export interface ClusterEnvOptions {
  /**
   * Every field of the component's JSON struct at the value it holds when the file leaves it
   * out (fields.ts): a key the section omits is read against it when its variable is set, and
   * kept only when the variable moves it. Without it, only `HIDDEN_KEYS` are added.
   */
  fields?: Record<string, unknown>;
  /** Collects the variables the component reads and then ignores (raft, crdt durations). */
  notes?: VariableNote[];
}

/** A variable the component reads and ignores, keeping the value it had: the daemon starts all the same. */
export interface VariableNote {
  variable: string;
  /** The key path inside the section. */
  key: string[];
  detail: string;
}

/**
 * `section` with the variables under `prefix` applied, for each key it holds, each key the
 * component leaves out at its default (`HIDDEN_KEYS`), written when a variable moves it off the
 * default, and with `fields` each other key the section omits; a nested object is a struct of its
 * own, except the maps (`tags`, `basic_auth_credentials`, `headers`). The HTTP APIs' libp2p id and
 * key a variable gives are written back as the component writes them.
 * @throws KitcfgError `INVALID_VALUE` naming the variable for a value its Go type does not take.
 */
export function withClusterEnv(
  section: Record<string, unknown>,
  prefix: string,
  env: Record<string, string | undefined>,
  options: ClusterEnvOptions = {},
): Record<string, unknown> {
  const hidden = (HIDDEN_KEYS[prefix] ?? []).filter(
    (h) => !(h.key in section) && env[clusterVariable(prefix, h.key)] !== undefined,
  );
  const next = withHidden(section, hidden);
  // The keys the section omits that a variable reaches, at the value the component holds for them.
  const omitted = Object.entries(options.fields ?? {}).filter(
    ([key, value]) => !(key in next) && reaches(clusterVariable(prefix, key), isStruct(key, value), env),
  );
  for (const [key, value] of omitted) next[key] = value;
  const ignored = ignoredDurations(env);
  for (const [key, current] of Object.entries(next)) {
    const name = clusterVariable(prefix, key);
    if (isStruct(key, current)) {
      const inner = options.fields?.[key];
      const fields = isStruct(key, inner) ? (inner as Record<string, unknown>) : undefined;
      const notes: VariableNote[] = [];
      next[key] = withClusterEnv(current as Record<string, unknown>, name, env, { fields, notes });
      options.notes?.push(...notes.map((note) => ({ ...note, key: [key, ...note.key] })));
      continue;
    }
    const text = env[name];
    if (text === undefined) continue;
    const note = ignoredNote(name, current, text, ignored);
    if (note !== undefined) {
      options.notes?.push({ variable: name, key: [key], detail: note });
      if (ignored.has(name)) continue;
    }
    next[key] = keptOnZero(prefix, key, current, readValue(name, key, current, text));
  }
  // Written only off their defaults: toJSON blanks a default, omitempty drops the zero value.
  for (const { key, value } of hidden)
    if (JSON.stringify(next[key]) === JSON.stringify(value) || isZero(next[key])) delete next[key];
  // A key the variables leave as the component holds it stays out, as the file has it.
  for (const [key, value] of omitted) if (JSON.stringify(next[key]) === JSON.stringify(value)) delete next[key];
  if (prefix === "CLUSTER_RESTAPI" || prefix === "CLUSTER_PINSVCAPI") return withApiIdentity(next, prefix, env);
  return next;
}

/** A variable refused: its name and why apart, so that `validate` can word it as the daemon's start (daemon-env.ts). */
export class VariableRefused extends KitcfgError {
  constructor(
    readonly variable: string,
    readonly detail: string,
    hint: string,
  ) {
    super("INVALID_VALUE", `Cannot apply ${variable}: ${detail}`, { hint });
  }
}

/** The variable envconfig reads for `key` under `prefix`: the JSON key without underscores, in capitals. */
export function clusterVariable(prefix: string, key: string): string {
  return `${prefix}_${key.replaceAll("_", "").toUpperCase()}`;
}

/** identity.json's two keys. */
export type ClusterIdentity = { id: string; private_key: string };

/**
 * The identity init writes: a fresh one with CLUSTER_ID and CLUSTER_PRIVATEKEY over it
 * (config/identity.go `ApplyEnvVars`), written back as go-libp2p writes it (the ID in
 * base58, the key re-marshalled). Init then reads it as from identity.json, so an ID that
 * does not decode, a key that does not, or an ID that is not the key's, is refused; one
 * variable alone gives a half of the fresh identity, which never matches. `loaded`: over the
 * identity.json the daemon loads at start, whose other half may match.
 * @throws KitcfgError `INVALID_VALUE` naming the variable; the key's value is never quoted.
 */
export function withIdentityEnv(
  identity: ClusterIdentity,
  env: Record<string, string | undefined>,
  options: { loaded?: boolean } = {},
): ClusterIdentity {
  const [idText, keyText] = [env.CLUSTER_ID, env.CLUSTER_PRIVATEKEY];
  if (idText === undefined && keyText === undefined) return identity;
  const id = idText ?? identity.id;
  const key = keyText ?? identity.private_key;
  if (!decodesAsPeerId(id)) refuse("CLUSTER_ID", id, "a peer ID (12D3KooW..., Qm... or a k51... CID)");
  const check = checkIdentity(id, key);
  if (check.ok) return { id: peerIdOf(key), private_key: marshalPrivateKey(key) };
  if (!check.reason.startsWith("the peer ID")) refuseIdentity("CLUSTER_PRIVATEKEY", check.reason);
  const keyId = peerIdOf(key);
  // At start, one variable goes over the other half of identity.json (cmdutils/configs.go LoadIdentityFromDisk).
  if (options.loaded && keyText === undefined)
    refuseIdentity("CLUSTER_ID", `${JSON.stringify(id)} is not the peer ID of identity.json's private key (${keyId})`);
  if (options.loaded && idText === undefined)
    refuseIdentity("CLUSTER_PRIVATEKEY", `is not the private key of identity.json's id (${identity.id})`);
  if (keyText === undefined)
    refuseIdentity("CLUSTER_ID", "init takes it only with CLUSTER_PRIVATEKEY, the private key of that peer");
  if (idText === undefined)
    refuseIdentity("CLUSTER_PRIVATEKEY", `init takes it only with CLUSTER_ID, the key's peer ID (${keyId})`);
  return refuseIdentity("CLUSTER_ID", `${JSON.stringify(id)} is not the peer ID of CLUSTER_PRIVATEKEY (${keyId})`);
}

// --- internal ---

/** restapi's and pinsvcapi's: the TLS files and the libp2p endpoint (api/common/config.go jsonConfig). */
const HTTP_API_HIDDEN = [
  { key: "ssl_cert_file", value: "", before: "read_timeout" },
  { key: "ssl_key_file", value: "", before: "read_timeout" },
  { key: "libp2p_listen_multiaddress", value: [], before: "basic_auth_credentials" },
  { key: "id", value: "", before: "basic_auth_credentials" },
  { key: "private_key", value: "", before: "basic_auth_credentials" },
];

/**
 * The keys a component writes only off their defaults, by variable prefix, each at its default
 * as written, before the key that follows it in the component's JSON struct (none: last).
 * Facts: each component's jsonConfig (`omitempty`) and toJSONConfig, ipfs-cluster @2182e887.
 * raft's datastore_namespace is left out: its applyJSONConfig never reads it, so its variable
 * changes nothing.
 */
const HIDDEN_KEYS: Record<string, { key: string; value: unknown; before?: string }[]> = {
  CLUSTER: [
    { key: "follower_mode", value: false, before: "peer_addresses" },
    { key: "peerstore_file", value: "", before: "peer_addresses" },
  ],
  CLUSTER_CRDT: [
    { key: "rebroadcast_interval", value: "1m0s" },
    { key: "peerset_metric", value: "ping" },
    { key: "datastore_namespace", value: "/c" },
  ],
  CLUSTER_CRDT_BATCHING: [{ key: "max_queue_size", value: 50000 }],
  CLUSTER_RAFT: [{ key: "data_folder", value: "", before: "init_peerset" }],
  CLUSTER_RESTAPI: HTTP_API_HIDDEN,
  CLUSTER_PINSVCAPI: HTTP_API_HIDDEN,
  CLUSTER_IPFSPROXY: [
    { key: "node_https", value: false, before: "log_file" },
    { key: "extract_headers_extra", value: [] },
    { key: "extract_headers_path", value: "/api/v0/version" },
    { key: "extract_headers_ttl", value: "5m0s" },
  ],
  CLUSTER_IPFSHTTP: [{ key: "unpin_disable", value: false }],
  CLUSTER_STATELESS: [{ key: "max_pin_queue_size", value: 1000000, before: "concurrent_pins" }],
  CLUSTER_PEBBLE: [{ key: "folder", value: "pebble", before: "pebble_options" }],
  CLUSTER_BADGER3: [{ key: "folder", value: "badger3", before: "gc_discard_ratio" }],
  CLUSTER_BADGER: [{ key: "folder", value: "badger", before: "gc_discard_ratio" }],
  CLUSTER_LEVELDB: [{ key: "folder", value: "leveldb", before: "leveldb_options" }],
};

/** Durations read with time.ParseDuration's error dropped, then checked > 0: "" or bad text is refused. */
const POSITIVE_DURATIONS = new Set([
  "CLUSTER_PUBSUBMON_CHECKINTERVAL",
  "CLUSTER_DISK_METRICTTL",
  "CLUSTER_PINQUEUE_METRICTTL",
]);

/** crdt's durations in the order `applyJSONConfig` hands them to config.ParseDurations. */
const CRDT_DURATIONS = [
  "CLUSTER_CRDT_REBROADCASTINTERVAL",
  "CLUSTER_CRDT_BATCHING_MAXBATCHAGE",
  "CLUSTER_CRDT_REPAIRINTERVAL",
];

function withHidden(section: Record<string, unknown>, hidden: { key: string; value: unknown; before?: string }[]) {
  const next: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(section)) {
    for (const h of hidden) if (h.before === key) next[h.key] = h.value;
    next[key] = value;
  }
  for (const h of hidden) if (!(h.key in next)) next[h.key] = h.value;
  return next;
}

/** Whether the variable `name` is set, or for a struct any variable under it. */
function reaches(name: string, struct: boolean, env: Record<string, string | undefined>): boolean {
  if (env[name] !== undefined) return true;
  return struct && Object.keys(env).some((each) => each.startsWith(`${name}_`) && env[each] !== undefined);
}

/**
 * Why the component ignores the variable `name` and keeps `current`, or undefined: raft drops a
 * duration that does not parse or reads 0, with a warning in its log (consensus/raft/config.go
 * applyJSONConfig parseDuration); crdt drops config.ParseDurations' error, which stops at the
 * first text that does not parse, so that one and the later ones keep their values.
 */
function ignoredNote(name: string, current: unknown, text: string, ignored: Set<string>): string | undefined {
  if (ignored.has(name)) {
    const [first] = ignored;
    if (name !== first)
      return `is not read: the daemon stops at ${first}, which does not parse, and keeps this duration as it was`;
    const got = `expected a Go duration, got ${JSON.stringify(text)}`;
    return `${got}; the daemon ignores it and the crdt durations after it, keeping their values`;
  }
  if (!name.startsWith("CLUSTER_RAFT_") || typeof current !== "string" || !isGoDuration(current)) return undefined;
  if (text === "" || goDurationMs(text)) return undefined;
  const got = `expected a non-zero Go duration, got ${JSON.stringify(text)}`;
  return `${got}; the daemon ignores it (raft logs a warning) and keeps ${JSON.stringify(current)}`;
}

/**
 * An HTTP API's libp2p endpoint as the component writes it back once a variable gave its id or
 * key (api/common/config.go loadLibp2pOptions, toJSONConfig): the ID in base58, the key
 * re-marshalled. A pair that does not match is left as it is, for validate to refuse.
 */
function withApiIdentity(
  api: Record<string, unknown>,
  prefix: string,
  env: Record<string, string | undefined>,
): Record<string, unknown> {
  const given = env[`${prefix}_ID`] !== undefined || env[`${prefix}_PRIVATEKEY`] !== undefined;
  const { id, private_key: key } = api;
  if (!given || typeof id !== "string" || typeof key !== "string" || !checkIdentity(id, key).ok) return api;
  return { ...api, id: peerIdOf(key), private_key: marshalPrivateKey(key) };
}

function isZero(value: unknown): boolean {
  return value === "" || value === 0 || value === false || (Array.isArray(value) && value.length === 0);
}

/**
 * The crdt duration variables init does not apply: config.ParseDurations stops at the first text
 * that does not parse and crdt drops its error, so that one and every later one keep their values.
 */
function ignoredDurations(env: Record<string, string | undefined>): Set<string> {
  const bad = CRDT_DURATIONS.findIndex((name) => {
    const text = env[name];
    return text !== undefined && text !== "" && goDurationMs(text) === undefined;
  });
  return new Set(bad < 0 ? [] : CRDT_DURATIONS.slice(bad));
}

/**
 * Keys whose component takes a zero value (0, "", false, an empty list) as "keep what is held":
 * init then writes the default, a start keeps the file's value (ipfs-cluster @2182e887:
 * config.SetIfNotDefault, config/util.go l. 58, in cluster_config.go l. 521-590,
 * consensus/crdt/config.go l. 150-173, consensus/raft/config.go l. 221-236, api/ipfsproxy/config.go
 * l. 258-283, pintracker/stateless/config.go l. 117-130, each datastore's folder and badger's
 * gc_discard_ratio; the `len(...) > 0` and `!= ""` tests of api/common/config.go l. 246, 321-345,
 * api/ipfsproxy/config.go l. 241, 251, 280, allocator/balanced/config.go l. 80).
 * The durations are read apart (readDuration); the secret is kitcfg's choice (FORMATS.md §4).
 */
const ZERO_KEEPS: Record<string, readonly string[]> = {
  CLUSTER: ["peername", "secret", "peerstore_file", "replication_factor_min", "replication_factor_max"],
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

/** What the component holds once it has read `value`, the variable's, over `current`. */
function keptOnZero(prefix: string, key: string, current: unknown, value: unknown): unknown {
  if (key === "max_header_bytes" && value === 0) return DEFAULT_HEADER_BYTES;
  if (prefix === "CLUSTER_PEBBLE_PEBBLEOPTIONS") {
    if (key === "flush_delay_range_key") return current;
    if (key === "cache_size_bytes" && typeof value === "number" && value < 0) return current;
  }
  if (prefix === "CLUSTER_BADGER_BADGEROPTIONS" && key.endsWith("_loading_mode")) return value;
  const keeps = MERGED.has(prefix) || ZERO_KEEPS[prefix]?.includes(key);
  return keeps && isZero(value) ? current : value;
}

const MAP_KEYS = new Set(["tags", "basic_auth_credentials", "headers"]);

/** The float64 fields among the numbers (the rest are Go integers). */
const FLOAT_KEYS = new Set([
  "gc_discard_ratio",
  "sampling_prob",
  "bloom_false_positive",
  "v_log_percentile",
  "compaction_table_size_multiplier",
  "compaction_total_size_multiplier",
]);

function isStruct(key: string, value: unknown): boolean {
  return !MAP_KEYS.has(key) && typeof value === "object" && value !== null && !Array.isArray(value);
}

function readValue(name: string, key: string, current: unknown, text: string): unknown {
  if (typeof current === "boolean") return parseBool(text) ?? refuse(name, text, "a boolean (true, false, 1, 0, t, f)");
  if (typeof current === "number") {
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

function refuseIdentity(name: string, detail: string): never {
  throw new VariableRefused(
    name,
    detail,
    "Give CLUSTER_ID and CLUSTER_PRIVATEKEY of one identity (identity.json's id and private_key), or unset both",
  );
}

function refuse(name: string, text: string, expected: string): never {
  const got = SECRET_VARIABLES.test(name) ? "" : `, got ${JSON.stringify(text)}`;
  throw new VariableRefused(
    name,
    `expected ${expected}${got}`,
    `Fix or unset ${name} in the environment; ipfs-cluster-service init refuses it too`,
  );
}

/** Every section of a new service.json with the variables init applies (the identity: `withIdentityEnv`). */
export function withClusterEnvAll(config: Record<string, unknown>, env: Record<string, string | undefined>) {
  const next: Record<string, unknown> = { ...config };
  for (const [section, value] of Object.entries(config)) {
    if (section === "identity" || typeof value !== "object" || value === null) continue;
    if (section === "cluster") {
      next.cluster = withClusterEnv(value as Record<string, unknown>, "CLUSTER", env);
      continue;
    }
    next[section] = Object.fromEntries(
      Object.entries(value).map(([component, body]) => [
        component,
        withClusterEnv(body as Record<string, unknown>, `CLUSTER_${component.toUpperCase()}`, env),
      ]),
    );
  }
  return next;
}
