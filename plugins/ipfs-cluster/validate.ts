import { getAt, parseGoUrl } from "kitcfg";
import { isObject } from "./shared.ts";
import { apiIssues, componentIssues, datastoreIssues } from "./components.ts";
import { crdtIssues, raftIssues } from "./consensus.ts";
import { mergeDaemonEnvIssues, omittedIssues, sourcedIssues, withDaemonEnv } from "./daemon-env.ts";
import { canonicalClusterKeys, floatLiteralIssues, integerLimitIssues, nestedUnknownKeys } from "./keys.ts";
import { serviceAsGo } from "./go-reading.ts";
import { clusterSchema, COMPONENTS, KEYS } from "./schema.ts";
import { duration, hostListenAddrs, identityMatch, multiaddrs, peerAddrs, STRICT } from "./values.ts";
import type { Add } from "./values.ts";
import { goJsonNulls, goJsonTextProblem } from "kitcfg";
import type { Config, PluginContext, PluginIssue } from "kitcfg";

// The loading rules of ipfs-cluster v1.1.6, as the daemon applies them to service.json and
// identity.json (tests/fixtures/FORMATS.md §4; config/config.go, config/identity.go,
// cluster_config.go, api/common/config.go, cmdutils/configs.go, cmdutils/state.go and each
// component's applyJSONConfig/Validate). A missing key reads as Go's zero value.

type Obj = Record<string, unknown>;

export interface ValidateClusterOptions {
  /** The plugin's name, for the commands messages suggest. */
  name: string;
  /** The follower: it runs crdt only and replaces the REST API with a unix socket. */
  follower?: boolean;
  /** The file key of service.json in `ctx.paths`, for files named relative to its folder. */
  mainFile: string;
}

/**
 * Every issue the daemon would raise (errors) or silently work around (warnings), reading the
 * files and then, as it does at every start, the CLUSTER_* variables of `ctx.env` over them.
 */
export async function validateCluster(
  written: Config,
  ctx: PluginContext,
  options: ValidateClusterOptions,
): Promise<PluginIssue[]> {
  // A key given twice: service.json as the daemon decodes it, not as its parse keeps it.
  const asGo = await serviceAsGo(written, ctx, options.mainFile);
  const read = asGo?.config ?? written;
  const fileIssues = [...(asGo?.issues ?? []), ...validateFile(read, ctx, options, asGo !== undefined)];
  const view = withDaemonEnv(read, ctx.env);
  if (!view) return fileIssues;
  const envIssues = [
    ...validateFile(view.config, ctx, options, asGo !== undefined),
    ...omittedIssues(view, ctx, options),
  ];
  const sourced = sourcedIssues(view, ctx, options, clusterIssues);
  return [...mergeDaemonEnvIssues(fileIssues, envIssues, view), ...sourced];
}

// --- internal ---

/** `asGo`: `written` is service.json as Go decodes it (keys already matched), not the text's parse. */
function validateFile(
  written: Config,
  ctx: PluginContext,
  options: ValidateClusterOptions,
  asGo: boolean,
): PluginIssue[] {
  const issues: PluginIssue[] = [];
  const add: Add = (key, message, severity = "error") => {
    issues.push({ key, message, severity });
  };
  // A null anywhere reads as Go reads it: a null section, component or field as a missing one.
  const config = goJsonNulls(clusterSchema, asGo ? written : canonicalClusterKeys(written, add)) as Config;
  const text = ctx.paths[options.mainFile] ? ctx.readText(ctx.paths[options.mainFile]!) : undefined;
  // With a source, the sections are decoded as raw JSON only: their numbers are not read either.
  const sourced = unreadWithSource(config).length > 0;
  if (text !== undefined && !sourced && !asGo) floatLiteralIssues(text, written, add);
  // Every file is read with encoding/json, which stops on a byte-order mark (config.go, identity.go).
  // (While validating, ctx.readText gives the text just read, not a second read of the file.)
  for (const path of Object.values(ctx.paths)) {
    const problem = goJsonTextProblem(ctx.readText(path) ?? "");
    if (problem) add("", `${path} ${problem}`);
  }
  if (!sourced) integerLimitIssues(text, written, add);
  misplacedKeys(config, options.name, add);
  identityIssues(config, options, add);
  if (typeof config.source === "string" && config.source !== "") {
    sourceIssues(config, add);
    return issues;
  }
  if (!isObject(config.cluster))
    add("cluster", "is missing: the daemon cannot load a service.json without a cluster section");
  else clusterIssues(config.cluster, add);
  consensusIssues(config, add, options.follower ?? false);
  apiIssues(config, ctx, options, add);
  componentIssues(config, add, options);
  // Loading registers every datastore whatever the consensus (NewLoadedConfigHelper passes no
  // consensus to cmdutils/configs.go ConfigHelper.init), so a present section is validated with raft too.
  datastoreIssues(config, add, options.follower);
  unknownKeys(config, add);
  unusedKeys(config, add);
  return issues;
}

function misplacedKeys(config: Config, name: string, add: Add): void {
  // ipfs_kit_py's validator wanted these at the top level (FORMATS.md §10); the daemon reads
  // `secret` under `cluster` and the identity from identity.json, and ignores them here.
  for (const key of ["id", "secret", "private_key"]) {
    if (key in config)
      add(
        key,
        "sits at the top level, where ipfs-cluster ignores it (the older ipfs_kit_py tool put it there): " +
          `\`kitcfg repair ${name}\` moves it`,
      );
  }
}

function identityIssues(config: Config, options: ValidateClusterOptions, add: Add): void {
  const cluster = isObject(config.cluster) ? config.cluster : {};
  if (!isObject(config.identity)) {
    if (typeof cluster.id === "string" && typeof cluster.private_key === "string") {
      add(
        "cluster.id",
        "is the identity in service.json, the pre-0.11 layout: " +
          "the daemon moves it into identity.json on its next start " +
          `(\`kitcfg repair ${options.name}\` does it now)`,
        "warning",
      );
      identityMatch("cluster", cluster.id, cluster.private_key, add);
    } else {
      add(
        "identity",
        "is missing (no identity.json, and no cluster.id/private_key in service.json): the daemon cannot start; " +
          `\`kitcfg repair ${options.name}\` writes a new identity (a new peer ID)`,
      );
    }
    return;
  }
  const { id, private_key: key } = config.identity;
  if (typeof id !== "string" || id === "") add("identity.id", "is missing: identity.json needs the peer ID");
  if (typeof key !== "string" || key === "")
    add("identity.private_key", "is missing: identity.json needs the private key");
  if (typeof id === "string" && id !== "" && typeof key === "string" && key !== "")
    identityMatch("identity", id, key, add);
}

/**
 * With `source` set, the daemon loads its whole configuration from that URL (config/config.go
 * LoadJSON returns with LoadJSONFromHTTPSource): service.json's other keys are decoded into its
 * jsonConfig only, `cluster` as raw JSON and each other section as a map of raw JSON, and never
 * read (the plugins' `unread`). identity.json is read all the same.
 */
export function unreadWithSource(config: Config): string[] {
  if (typeof config.source !== "string" || config.source === "") return [];
  return Object.keys(config).filter((key) => key !== "source" && key !== "identity");
}

function sourceIssues(config: Config, add: Add): void {
  const problem = sourceProblem(config.source as string);
  if (problem)
    add("source", `${problem}: the daemon fetches its configuration from it with an HTTP GET and would fail to start`);
  // jsonConfig's sections are map[string]*json.RawMessage: anything but an object (or null) fails the decode.
  for (const section of Object.keys(COMPONENTS)) {
    const value = config[section];
    if (value !== undefined && value !== null && !isObject(value))
      add(section, "is not a JSON object: the daemon cannot decode service.json, even with a source set");
  }
  const ignored = Object.keys(config).filter((key) => key !== "source" && key !== "identity");
  if (ignored.length > 0)
    add(
      ignored[0]!,
      'is ignored: with "source" set the daemon loads its whole configuration from that URL ' +
        `(also ignored: ${ignored.slice(1).join(", ") || "nothing else"})`,
      "warning",
    );
}

/**
 * Why LoadJSONFromHTTPSource (Go's http.Get) cannot fetch `url`, or undefined: Go's url.Parse
 * must read it (SDK `parseGoUrl`: it lowers the scheme, refuses control characters, a port
 * that is not digits, and a host byte it does not take), as an http or https URL with a host,
 * and the dial refuses a port past 65535.
 */
function sourceProblem(url: string): string | undefined {
  const read = parseGoUrl(url);
  if (read.problem !== undefined) return `is not a URL Go's url.Parse reads: ${read.problem}`;
  if ((read.scheme !== "http" && read.scheme !== "https") || read.host === "")
    return "is not an http:// or https:// URL with a host";
  if (Number(read.port) > 65535) return `has the port ${read.port}, past 65535`;
  // `ipfs-cluster-follow init /ipns/<name>` writes <gateway>/ipns//ipns/<name>: a gateway reads
  // an empty (or, once Go's ServeMux cleans the path, "ipns") name there and answers with an error.
  const doubled = /^\/ipns\/+(ipns|ipfs)\//.exec(read.path);
  if (doubled) return `puts ${doubled[0]} in its path, which no gateway resolves: keep only /${doubled[1]}/<name>`;
  // `init HTTPS://host/...`: upstream's prefix test is case-sensitive, so the URL became a gateway path.
  if (/^\/ipns\/https?:\//i.test(read.path))
    return "holds a URL as its /ipns/ name, which no gateway resolves: give the URL itself";
  return undefined;
}

function clusterIssues(c: Obj, add: Add): void {
  secretIssues(c.secret, add);
  multiaddrs("cluster.listen_multiaddress", c.listen_multiaddress, add, true);
  hostListenAddrs("cluster.listen_multiaddress", c.listen_multiaddress, add);
  multiaddrs("cluster.announce_multiaddress", c.announce_multiaddress, add);
  multiaddrs("cluster.no_announce_multiaddress", c.no_announce_multiaddress, add);
  multiaddrs("cluster.peer_addresses", c.peer_addresses, add);
  peerAddrs("cluster.peer_addresses", c.peer_addresses, add);
  if (isObject(c.connection_manager)) {
    // A present section replaces the defaults whole: every value must be given (> 0).
    const { high_water: high, low_water: low } = c.connection_manager;
    if (!(typeof low === "number" && low > 0)) add("cluster.connection_manager.low_water", "must be greater than 0");
    if (!(typeof high === "number" && high > 0)) add("cluster.connection_manager.high_water", "must be greater than 0");
    if (typeof low === "number" && typeof high === "number" && low > high)
      add("cluster.connection_manager.low_water", `is ${low}, greater than high_water (${high})`);
    duration(
      "cluster.connection_manager.grace_period",
      c.connection_manager.grace_period,
      { empty: "zero", bad: "error", min: 1 },
      add,
    );
  }
  if (isObject(c.pubsub)) {
    for (const key of ["d_factor", "history_gossip", "history_length"]) {
      const n = c.pubsub[key];
      if (!(typeof n === "number" && n >= 1))
        add(`cluster.pubsub.${key}`, "must be at least 1 (a missing value reads as 0)");
    }
    for (const key of ["seen_messages_ttl", "heartbeat_interval"])
      duration(`cluster.pubsub.${key}`, c.pubsub[key], STRICT, add);
    // Passed as they are to gossipsub (clusterhost.go newPubSub), whose GossipSubParams.validate
    // refuses more rounds of gossip than of history. A missing one reads as 0, refused above.
    const { history_gossip: gossip, history_length: length } = c.pubsub;
    if (typeof gossip === "number" && typeof length === "number" && length >= 1 && gossip > length)
      add("cluster.pubsub.history_gossip", `(${gossip}) cannot be greater than history_length (${length})`);
  }
  for (const key of [
    "dial_peer_timeout",
    "state_sync_interval",
    "pin_recover_interval",
    "monitor_ping_interval",
    "peer_watch_interval",
  ]) {
    duration(`cluster.${key}`, c[key], STRICT, add);
  }
  duration("cluster.mdns_interval", c.mdns_interval, { empty: "default", bad: "error" }, add);
  replicationIssues(c, add);
  if (c.pin_only_on_trusted_peers === true && c.pin_only_on_untrusted_peers === true) {
    add("cluster.pin_only_on_untrusted_peers", "cannot be true together with pin_only_on_trusted_peers");
  }
  if ("replication_factor" in c) {
    add(
      "cluster.replication_factor",
      "is the older single key, which ipfs-cluster v1 ignores: " +
        "set replication_factor_min and replication_factor_max instead",
      "warning",
    );
  }
}

function secretIssues(secret: unknown, add: Add): void {
  // DecodeClusterSecret: hex of exactly 32 bytes; empty is allowed with a warning.
  if (secret === undefined || secret === "") {
    add("cluster.secret", "is empty: the cluster runs on an unprotected network that any peer can join", "warning");
    return;
  }
  if (typeof secret !== "string") return;
  if (!/^[0-9a-fA-F]*$/.test(secret))
    add("cluster.secret", "must be hexadecimal (0-9, a-f): it holds other characters");
  else if (secret.length !== 64)
    add("cluster.secret", `must be 64 hexadecimal characters (32 bytes): it has ${secret.length}`);
}

function replicationIssues(c: Obj, add: Add): void {
  // A 0 (or missing) value keeps the default -1 (SetIfNotDefault), then isReplicationFactorValid runs.
  const effective = (n: unknown) => (typeof n === "number" && n !== 0 ? n : -1);
  const [min, max] = [effective(c.replication_factor_min), effective(c.replication_factor_max)];
  for (const key of ["replication_factor_min", "replication_factor_max"]) {
    if (c[key] === 0) add(`cluster.${key}`, "is 0, which cluster reads as unset (-1: pin on every peer)", "warning");
  }
  if (min < -1)
    add("cluster.replication_factor_min", `is ${min}: use -1 (every peer) or a number of peers of at least 1`);
  if (max < -1)
    add("cluster.replication_factor_max", `is ${max}: use -1 (every peer) or a number of peers of at least 1`);
  if (min > max && min >= 1 && max >= 1)
    add("cluster.replication_factor_min", `is ${min}, larger than replication_factor_max (${max})`);
  if ((min === -1) !== (max === -1)) {
    add(
      "cluster.replication_factor_min",
      `is ${min} and replication_factor_max is ${max}: both must be -1 (pin everywhere) or both at least 1`,
    );
  }
}

function consensusIssues(config: Config, add: Add, follower: boolean): void {
  const consensus = isObject(config.consensus) ? config.consensus : {};
  const [crdt, raft] = [isObject(consensus.crdt), isObject(consensus.raft)];
  if (crdt === raft) {
    add(
      "consensus",
      `${crdt ? "holds both crdt and raft" : "has neither crdt nor raft"}: ` +
        "the daemon cannot determine the consensus component; keep exactly one",
    );
  }
  if (raft && follower)
    add("consensus.raft", "is not used by ipfs-cluster-follow: a follower always runs crdt consensus", "warning");
  if (crdt && isObject(consensus.crdt)) crdtIssues(consensus.crdt, add);
  if (raft && isObject(consensus.raft)) raftIssues(consensus.raft, add);
  if (crdt && !raft) {
    // With crdt, the state lives in exactly one datastore backend (cmdutils GetDatastore).
    const stores = Object.keys(COMPONENTS.datastore!).filter(
      (name) => isObject(config.datastore) && name in config.datastore,
    );
    if (stores.length !== 1)
      add(
        "datastore",
        `${stores.length === 0 ? "has no backend" : `holds ${stores.join(", ")}`}: ` +
          "crdt consensus needs exactly one of pebble, badger3, badger or leveldb",
      );
  }
}

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

function unusedKeys(config: Config, add: Add): void {
  for (const [key, inEffect, why] of DECODED_UNUSED) {
    const value = getAt(config, key);
    if (value === undefined || value === "" || value === inEffect) continue;
    const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
    add(key, `is ${shown}, which has no effect: ${why}`, "warning");
  }
}

/** Keys and components the daemon does not read: it ignores them, which hides typos. */
function unknownKeys(config: Config, add: Add): void {
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
