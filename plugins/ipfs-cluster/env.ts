import { checkIdentity, decodesAsPeerId, goDurationMs, isGoDuration, marshalPrivateKey, peerIdOf } from "kitcfg";
import { isStruct, isZero, keptOnZero, readValue, refuse, VariableRefused } from "./env-values.ts";

// The CLUSTER_* variables `ipfs-cluster-service init` applies before it writes service.json
// (Manager.ApplyEnvVars: each component runs kelseyhightower/envconfig v1.4.0 `Process` over
// its JSON struct, then reads it back as from the file). A variable is the prefix (CLUSTER for
// the cluster section, CLUSTER_<COMPONENT> for a component) and the Go field name in capitals,
// which is the JSON key without its underscores; a nested struct adds its own name
// (CLUSTER_CONNECTIONMANAGER_HIGHWATER). envconfig takes a variable set to "" as given. Values are
// read as envconfig reads them (strconv's bools and base-prefixed integers, comma lists, k:v
// maps) and written as the component writes them back (Go durations, a one-item Strings as a string).

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
  /**
   * Applied as the daemon applies them at start (validate), not as kitcfg's configure does: an
   * empty CLUSTER_SECRET is then the empty secret the daemon runs with, not configure's random one.
   */
  atStart?: boolean;
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
      next[key] = withField(key, () =>
        withClusterEnv(current as Record<string, unknown>, name, env, { fields, notes, atStart: options.atStart }),
      );
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
    const value = withField(key, () => readValue(name, key, current, text));
    // The daemon runs with an empty CLUSTER_SECRET's empty secret; configure keeps its random one (FORMATS.md §4).
    const keepsSecret = !options.atStart && name === "CLUSTER_SECRET" && value === "";
    next[key] = keepsSecret ? current : keptOnZero(prefix, key, current, value);
  }
  // Written only off their defaults: toJSON blanks a default, omitempty drops the zero value.
  for (const { key, value } of hidden)
    if (JSON.stringify(next[key]) === JSON.stringify(value) || isZero(next[key])) delete next[key];
  // A key the variables leave as the component holds it stays out, as the file has it.
  for (const [key, value] of omitted) if (JSON.stringify(next[key]) === JSON.stringify(value)) delete next[key];
  if (prefix === "CLUSTER_RESTAPI" || prefix === "CLUSTER_PINSVCAPI") return withApiIdentity(next, prefix, env);
  return next;
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

/** `read()`, a refusal it throws naming `key` as the field below the section (`VariableRefused.field`). */
function withField<T>(key: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof VariableRefused) error.field.unshift(key);
    throw error;
  }
}

function refuseIdentity(name: string, detail: string): never {
  throw new VariableRefused(
    name,
    detail,
    "Give CLUSTER_ID and CLUSTER_PRIVATEKEY of one identity (identity.json's id and private_key), or unset both",
  );
}
