import { KitcfgError, newIdentity, primeIdentities, setAt, unsetAt } from "kitcfg";
import type { Config, PluginContext } from "kitcfg";
import {
  badger3Defaults,
  badgerDefaults,
  crdtDefaults,
  leveldbDefaults,
  pebbleDefaults,
  raftDefaults,
} from "./choices.ts";
import { withClusterEnvAll, withIdentityEnv } from "./env.ts";

// What `ipfs-cluster-service init` writes at v1.1.6 (crdt consensus, pebble datastore), and
// what cluster service and follower share. Facts: tests/fixtures/FORMATS.md §4 and each
// component's Default()/toJSONConfig() in ipfs-cluster @2182e887; notes inline.

export type Change = { op: "set"; path: readonly string[]; value: unknown } | { op: "unset"; path: readonly string[] };

/** How cluster writes its files: Go `json.MarshalIndent`, no trailing newline, HTML-safe escapes. */
export const SERVICE_STYLE = { indent: 2, escapeHtml: true } as const;
export const IDENTITY_STYLE = { indent: 4, escapeHtml: true } as const;

/** The defaults of a fresh `ipfs-cluster-service init`, with a new secret and identity. */
export async function clusterDefaults(ctx: PluginContext): Promise<Config> {
  const identity = await newIdentity();
  // Derived ahead so that checking the key does not load node:crypto.
  await primeIdentities(ctx.env.CLUSTER_PRIVATEKEY);
  const secret = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("hex");
  const components = componentDefaults();
  return withClusterEnvAll(
    {
      // CLUSTER_* variables are applied over these (env.ts); an empty CLUSTER_SECRET or
      // CLUSTER_PEERNAME keeps them.
      cluster: clusterSectionDefaults(ctx.hostname, secret),
      ...components,
      // init registers only the consensus and datastore it is given (crdt and pebble by default).
      consensus: { crdt: components.consensus!.crdt },
      datastore: { pebble: components.datastore!.pebble },
      identity: withIdentityEnv({ id: identity.id, private_key: identity.privateKey }, ctx.env),
    },
    ctx.env,
  );
}

/**
 * Every component the daemons register, section by section, as its Default() writes it
 * (toJSONConfig: the keys it leaves out at their defaults are env.ts HIDDEN_KEYS). The daemon
 * loads a component the file leaves out at these, and applies the CLUSTER_* variables over
 * them all the same (config/config.go LoadJSON, ApplyEnvVars).
 */
export function componentDefaults(): Record<string, Record<string, Record<string, unknown>>> {
  return {
    // trusted_peers ["*"] is TrustAll; max_queue_size, rebroadcast_interval, peerset_metric and
    // datastore_namespace are omitted while they hold their defaults (crdt toJSONConfig).
    consensus: { crdt: crdtDefaults(), raft: raftDefaults() },
    api: {
      // A one-element config.Strings is written as a plain string.
      ipfsproxy: {
        listen_multiaddress: "/ip4/127.0.0.1/tcp/9095",
        node_multiaddress: "/ip4/127.0.0.1/tcp/5001",
        log_file: "",
        read_timeout: "0s",
        read_header_timeout: "5s",
        write_timeout: "0s",
        idle_timeout: "1m0s",
        max_header_bytes: 4096,
      },
      pinsvcapi: httpApi("/ip4/127.0.0.1/tcp/9097"),
      restapi: httpApi("/ip4/127.0.0.1/tcp/9094"),
    },
    ipfs_connector: {
      ipfshttp: {
        node_multiaddress: "/ip4/127.0.0.1/tcp/5001",
        connect_swarms_delay: "30s",
        ipfs_request_timeout: "5m0s",
        pin_timeout: "2m0s",
        unpin_timeout: "3h0m0s",
        repogc_timeout: "24h0m0s",
        informer_trigger_interval: 0,
      },
    },
    pin_tracker: { stateless: { concurrent_pins: 10, priority_pin_max_age: "24h0m0s", priority_pin_max_retries: 5 } },
    monitor: { pubsubmon: { check_interval: "15s" } },
    allocator: { balanced: { allocate_by: ["tag:group", "freespace"] } },
    informer: {
      disk: { metric_ttl: "30s", metric_type: "freespace" },
      pinqueue: { metric_ttl: "30s", weight_bucket_size: 100000 },
      tags: { metric_ttl: "30s", tags: { group: "default" } },
    },
    observations: {
      metrics: { enable_stats: false, prometheus_endpoint: "/ip4/127.0.0.1/tcp/8888", reporting_interval: "30s" },
      tracing: {
        enable_tracing: false,
        jaeger_agent_endpoint: "/ip4/0.0.0.0/udp/6831",
        sampling_prob: 0.3,
        service_name: "cluster-daemon",
      },
    },
    datastore: {
      pebble: pebbleDefaults(),
      badger3: badger3Defaults(),
      leveldb: leveldbDefaults(),
      badger: badgerDefaults(),
    },
  };
}

/** The cluster section's defaults (cluster_config.go setDefaults), with this peer's name and secret. */
export function clusterSectionDefaults(peername: string, secret: string): Record<string, unknown> {
  return {
    peername,
    secret,
    leave_on_shutdown: false,
    listen_multiaddress: ["/ip4/0.0.0.0/tcp/9096", "/ip4/0.0.0.0/udp/9096/quic"],
    announce_multiaddress: [],
    no_announce_multiaddress: [],
    enable_relay_hop: true,
    connection_manager: { high_water: 400, low_water: 100, grace_period: "2m0s" },
    resource_manager: { enabled: true, memory_limit_bytes: 0, file_descriptors_limit: 0 },
    pubsub: {
      seen_messages_ttl: "30m0s",
      heartbeat_interval: "10s",
      d_factor: 4,
      history_gossip: 2,
      history_length: 6,
      flood_publish: false,
    },
    dial_peer_timeout: "3s",
    state_sync_interval: "5m0s",
    pin_recover_interval: "12m0s",
    replication_factor_min: -1,
    replication_factor_max: -1,
    monitor_ping_interval: "15s",
    peer_watch_interval: "5s",
    mdns_interval: "10s",
    pin_only_on_trusted_peers: false,
    pin_only_on_untrusted_peers: false,
    disable_repinning: true,
    peer_addresses: [],
  };
}

/**
 * The configuration after `changes`, applied in order as dotted set/unset. Setting a
 * non-empty `source` keeps only it and the identity: the daemon then loads everything from
 * that URL and ignores the rest of the file (config/config.go `LoadJSON`), and its own init
 * writes `{"source": URL}` alone (`Manager.ToJSON`).
 */
export function applyClusterChanges(config: Config, changes: readonly Change[]): Config {
  let next: Config = config;
  for (const change of changes)
    next = change.op === "set" ? setAt(next, change.path, change.value) : unsetAt(next, change.path);
  if (typeof next.source !== "string" || next.source === "") return next;
  // The daemon would ignore them: dropping them without a word would look like success.
  const ignored = changes.find((c) => c.op === "set" && c.path[0] !== "source" && c.path[0] !== "identity");
  if (ignored)
    throw new KitcfgError(
      "INVALID_VALUE",
      `Cannot set "${ignored.path.join(".")}": "source" is set, and the daemon then loads its whole ` +
        `configuration from ${next.source} and ignores the rest of the file; change it there, or unset source`,
      { key: ignored.path.join(".") },
    );
  return next.identity === undefined ? { source: next.source } : { source: next.source, identity: next.identity };
}

/**
 * What other peers need to know about this one (`kitcfg apply --json`): its peer id
 * (identity.json `id`), where it listens for cluster peers (`cluster.listen_multiaddress`, a
 * string or a list in the file: always a list here) and a fingerprint of the cluster secret,
 * so that hosts can compare secrets without showing them: "sha256:" and the hex SHA-256 of
 * the secret as written in service.json. A follower that loads its configuration from a
 * `source` has neither listen addresses nor secret locally: those are null and [].
 */
export function clusterFacts(config: Config): Record<string, unknown> {
  const cluster = isObject(config.cluster) ? config.cluster : {};
  const identity = isObject(config.identity) ? config.identity : {};
  const listen = cluster.listen_multiaddress;
  const secret = cluster.secret;
  return {
    peer_id: typeof identity.id === "string" ? identity.id : null,
    listen_addresses:
      typeof listen === "string" ? [listen] : Array.isArray(listen) ? listen.filter((a) => typeof a === "string") : [],
    secret_fingerprint:
      typeof secret === "string" && secret !== ""
        ? `sha256:${new Bun.CryptoHasher("sha256").update(secret).digest("hex")}`
        : null,
  };
}

/**
 * Derive the identity's public key ahead through WebCrypto (identity.json's, or the pre-0.11
 * one in service.json), so that validating it does not load node:crypto.
 */
export async function primeClusterIdentity(
  config: Config,
  env: Record<string, string | undefined> = {},
): Promise<void> {
  const identity = isObject(config.identity) ? config.identity : {};
  const cluster = isObject(config.cluster) ? config.cluster : {};
  await primeIdentities(identity.private_key, cluster.private_key, env.CLUSTER_PRIVATEKEY);
}

/** A JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// --- internal ---

/** restapi and pinsvcapi share one shape (api/common/config.go); only the port differs. */
function httpApi(listen: string): Record<string, unknown> {
  return {
    http_listen_multiaddress: listen,
    read_timeout: "0s",
    read_header_timeout: "5s",
    write_timeout: "0s",
    idle_timeout: "2m0s",
    max_header_bytes: 4096,
    basic_auth_credentials: null,
    http_log_file: "",
    headers: {},
    cors_allowed_origins: ["*"],
    cors_allowed_methods: ["GET"],
    cors_allowed_headers: [],
    cors_exposed_headers: ["Content-Type", "X-Stream-Output", "X-Chunked-Output", "X-Content-Length"],
    cors_allow_credentials: true,
    cors_max_age: "0s",
  };
}

/**
 * The longest unix socket path Go's net.Listen takes where kitcfg runs (a follower runs
 * there too): syscall's SockaddrUnix.sockaddr refuses a path as long as sockaddr_un's sun_path or
 * longer (EINVAL): 108 bytes on Linux and Windows, 104 on macOS and the BSDs.
 */
export function maxSocketPath(platform: string = process.platform): number {
  return ["linux", "android", "win32"].includes(platform) ? 107 : 103;
}
