import {
  checkIdentity,
  decodesAsPeerId,
  formatGoDuration,
  goDurationMs,
  isGoDuration,
  KitcfgError,
  marshalPrivateKey,
  peerIdOf,
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
const SECRET_VARIABLES = /^CLUSTER_(SECRET|(RESTAPI|PINSVCAPI)_BASICAUTHCREDENTIALS|PRIVATEKEY)$/;

/** Keys whose Go type is config.Strings: one item is written as a plain string. */
const STRINGS_KEYS = new Set([
  "listen_multiaddress",
  "announce_multiaddress",
  "no_announce_multiaddress",
  "http_listen_multiaddress",
  "libp2p_listen_multiaddress",
]);

/**
 * `section` with the variables under `prefix` applied, for each key it holds; a nested object is
 * a struct of its own, except the maps (`tags`, `basic_auth_credentials`, `headers`).
 * @throws KitcfgError `INVALID_VALUE` naming the variable for a value its Go type does not take.
 */
export function withClusterEnv(
  section: Record<string, unknown>,
  prefix: string,
  env: Record<string, string | undefined>,
): Record<string, unknown> {
  const next: Record<string, unknown> = { ...section };
  for (const [key, current] of Object.entries(section)) {
    const name = `${prefix}_${key.replaceAll("_", "").toUpperCase()}`;
    if (isStruct(key, current)) {
      next[key] = withClusterEnv(current as Record<string, unknown>, name, env);
      continue;
    }
    const text = env[name];
    if (text === undefined) continue;
    next[key] = readValue(name, key, current, text);
  }
  return next;
}

/** identity.json's two keys. */
export type ClusterIdentity = { id: string; private_key: string };

/**
 * The identity init writes: a fresh one with CLUSTER_ID and CLUSTER_PRIVATEKEY over it
 * (config/identity.go `ApplyEnvVars`), written back as go-libp2p writes it (the ID in
 * base58, the key re-marshalled). Init then reads it as from identity.json, so an ID that
 * does not decode, a key that does not, or an ID that is not the key's, is refused; one
 * variable alone gives a half of the fresh identity, which never matches.
 * @throws KitcfgError `INVALID_VALUE` naming the variable; the key's value is never quoted.
 */
export function withIdentityEnv(identity: ClusterIdentity, env: Record<string, string | undefined>): ClusterIdentity {
  const [idText, keyText] = [env.CLUSTER_ID, env.CLUSTER_PRIVATEKEY];
  if (idText === undefined && keyText === undefined) return identity;
  const id = idText ?? identity.id;
  const key = keyText ?? identity.private_key;
  if (!decodesAsPeerId(id)) refuse("CLUSTER_ID", id, "a peer ID (12D3KooW..., Qm... or a k51... CID)");
  const check = checkIdentity(id, key);
  if (check.ok) return { id: peerIdOf(key), private_key: marshalPrivateKey(key) };
  if (!check.reason.startsWith("the peer ID")) refuseIdentity("CLUSTER_PRIVATEKEY", check.reason);
  const keyId = peerIdOf(key);
  if (keyText === undefined)
    refuseIdentity("CLUSTER_ID", "init takes it only with CLUSTER_PRIVATEKEY, the private key of that peer");
  if (idText === undefined)
    refuseIdentity("CLUSTER_PRIVATEKEY", `init takes it only with CLUSTER_ID, the key's peer ID (${keyId})`);
  return refuseIdentity("CLUSTER_ID", `${JSON.stringify(id)} is not the peer ID of CLUSTER_PRIVATEKEY (${keyId})`);
}

// --- internal ---

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
  if (Array.isArray(current) || STRINGS_KEYS.has(key)) {
    const items = text.trim() === "" ? [] : text.split(",");
    return STRINGS_KEYS.has(key) && items.length === 1 ? items[0] : items;
  }
  if (typeof current === "string" && isGoDuration(current)) {
    if (text === "") return current; // an empty duration keeps the default
    const ms = goDurationMs(text);
    if (ms === undefined) return refuse(name, text, 'a Go duration ("30s", "1m30s")');
    return ms > 0 && ms < 1000 && Number.isInteger(ms) ? `${ms}ms` : formatGoDuration(ms);
  }
  // A string the component keeps when empty (SetIfNotDefault): peername, folders.
  return text === "" && current !== "" ? current : text;
}

/** strconv.ParseBool. */
function parseBool(text: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(text)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(text)) return false;
  return undefined;
}

/** strconv.ParseInt(text, 0, 64): decimal, or 0x / 0o / 0b / 0 prefixed, `_` between digits with a prefix. */
function parseGoInt(text: string): number | undefined {
  const match = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]+|0[bB][01_]+|[1-9][0-9]*|0)$/.exec(text);
  if (!match) return undefined;
  const digits = match[2] as string;
  const clean = /^0[0-7_]/.test(digits) ? `0o${digits.slice(1)}` : digits;
  if (clean.includes("_") && (!/^0[xXoObB]/.test(clean) || /__|_$/.test(clean))) return undefined;
  const value = Number(BigInt(clean.replaceAll("_", "")));
  return Number.isSafeInteger(value) ? (match[1] === "-" ? -value : value) : undefined;
}

function parseGoFloat(text: string): number | undefined {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : undefined;
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
  throw new KitcfgError("INVALID_VALUE", `Cannot apply ${name}: ${detail}`, {
    hint: "Give CLUSTER_ID and CLUSTER_PRIVATEKEY of one identity (identity.json's id and private_key), or unset both",
  });
}

function refuse(name: string, text: string, expected: string): never {
  const got = SECRET_VARIABLES.test(name) ? "" : `, got ${JSON.stringify(text)}`;
  throw new KitcfgError("INVALID_VALUE", `Cannot apply ${name}: expected ${expected}${got}`, {
    hint: `Fix or unset ${name} in the environment; ipfs-cluster-service init refuses it too`,
  });
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
