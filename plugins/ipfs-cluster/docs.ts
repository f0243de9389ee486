import type { KeyDoc } from "kitcfg";
import { datastoreKeyDocs } from "./datastore-docs.ts";

// `kitcfg keys ipfs-cluster-service` and `ipfs-cluster-follow`: one line per key of
// service.json and identity.json, in kitcfg's words, after the field comments and defaults of
// each component's config.go (ipfs-cluster/ipfs-cluster @2182e887, v1.1.6: cluster_config.go,
// clusterhost.go, api/common/config.go, api/ipfsproxy/config.go, ipfsconn/ipfshttp/config.go
// and ipfshttp.go, consensus/crdt/config.go, consensus/raft/config.go, pintracker/stateless,
// monitor/pubsubmon, allocator/balanced, informer/{disk,tags,pinqueue}, observations/config.go)
// and the follower's start (cmd/ipfs-cluster-follow/commands.go `runCmd`). A `default` is the
// component's own, for keys `init` leaves out; durations are written as Go prints them.

/** Lines for the service's service.json and identity.json. */
export function clusterServiceKeyDocs(): Record<string, KeyDoc> {
  return {
    source: { doc: "URL the whole configuration is fetched from at start, in place of this file's other keys" },
    ...CLUSTER,
    ...CRDT,
    ...RAFT,
    ...IPFS_PROXY,
    ...httpApiDocs("pinsvcapi", "Pinning Service API"),
    ...httpApiDocs("restapi", "REST API"),
    ...IPFS_CONNECTOR,
    state: { doc: "Reserved section: cluster v1.1.6 registers no component in it, so it is not read" },
    ...TRACKER_AND_METRICS,
    ...datastoreKeyDocs(),
    "identity.id": { doc: "This peer's libp2p peer ID (identity.json), derived from identity.private_key" },
    "identity.private_key": { doc: "This peer's private key (identity.json); whoever holds it can act as the peer" },
  };
}

/**
 * Lines for a follower: the service's, with what ipfs-cluster-follow does otherwise. Its
 * service.json is often only `source`; at start it forces follower_mode, serves the REST API on
 * its api-socket instead of api.restapi, starts neither the proxy nor the Pinning Service API,
 * runs crdt only and turns metrics and tracing off (commands.go `runCmd`).
 */
export function clusterFollowKeyDocs(): Record<string, KeyDoc> {
  const docs = clusterServiceKeyDocs();
  const note = (prefix: string, suffix: string) => {
    for (const [key, doc] of Object.entries(docs))
      if (key.startsWith(prefix)) docs[key] = { ...doc, doc: `${doc.doc} (${suffix})` };
  };
  note("api.restapi.", "follower: api-socket instead");
  note("api.pinsvcapi.", "follower: not started");
  note("api.ipfsproxy.", "follower: not started");
  note("consensus.raft.", "follower: unused, crdt only");
  note("observations.", "follower: forced off");
  docs.source = { doc: "URL of the cluster's published service.json, fetched at each start (`init <url>` writes it)" };
  docs["cluster.follower_mode"] = {
    doc: "Always on in a follower, whatever the file says: it only follows the pinset",
  };
  return docs;
}

// --- internal ---

const CLUSTER: Record<string, KeyDoc> = {
  "cluster.peername": { doc: "Human-readable name of this peer in peer listings (default: the host name)" },
  "cluster.secret": { doc: "Private network key (32 bytes in hex) every peer of the cluster must share" },
  "cluster.leave_on_shutdown": { doc: "On shutdown, leave the cluster and drop this peer from the peer set" },
  "cluster.listen_multiaddress": { doc: "Multiaddrs the cluster's libp2p host listens on (RPC and consensus)" },
  "cluster.announce_multiaddress": { doc: "If set, the only addresses announced; empty announces the ones found" },
  "cluster.no_announce_multiaddress": { doc: "Addresses never announced to other peers" },
  "cluster.enable_relay_hop": { doc: "Relay connections (hop) between peers that cannot reach each other" },
  "cluster.connection_manager.high_water": { doc: "libp2p connections above which the connection manager trims" },
  "cluster.connection_manager.low_water": { doc: "libp2p connections the connection manager trims down to" },
  "cluster.connection_manager.grace_period": { doc: "How long a new libp2p connection is safe from trimming" },
  "cluster.resource_manager.enabled": { doc: "Apply libp2p resource manager limits; false makes them infinite" },
  "cluster.resource_manager.memory_limit_bytes": { doc: "Memory libp2p may use; 0: a quarter of the system's" },
  "cluster.resource_manager.file_descriptors_limit": {
    doc: "File descriptors libp2p may use; 0: half of those allowed",
  },
  "cluster.pubsub.seen_messages_ttl": { doc: "How long pubsub remembers a message it has seen, to drop repeats" },
  "cluster.pubsub.heartbeat_interval": { doc: "Time between gossipsub heartbeats, which gossip recent message IDs" },
  "cluster.pubsub.d_factor": { doc: "Multiplier of gossipsub's mesh degree defaults (D, Dlo, Dhi, Dout, Dlazy)" },
  "cluster.pubsub.history_gossip": { doc: "Heartbeats during which a message ID is gossiped (IHAVE)" },
  "cluster.pubsub.history_length": { doc: "Heartbeats during which requests for a message (IWANT) are answered" },
  "cluster.pubsub.flood_publish": { doc: "Send own messages to every known subscriber, not only the mesh" },
  "cluster.dial_peer_timeout": { doc: "Timeout of dialing another peer over libp2p" },
  "cluster.state_sync_interval": { doc: "How often the shared pinset is synced to the local pin tracker" },
  "cluster.pin_recover_interval": { doc: "How often pins and unpins in error are retried (recover)" },
  "cluster.replication_factor_min": { doc: "Fewest peers that must pin an item, or pinning fails; -1: every peer" },
  "cluster.replication_factor_max": { doc: "Most peers an item is allocated to; -1: every peer" },
  "cluster.monitor_ping_interval": { doc: "How often this peer sends its ping metric (valid for twice as long)" },
  "cluster.peer_watch_interval": { doc: "How often the peer set is checked for changes, this peer's removal included" },
  "cluster.mdns_interval": { doc: "Time between mDNS announcements on the local network; 0 turns mDNS off" },
  "cluster.pin_only_on_trusted_peers": { doc: "Allocate pins to trusted peers only" },
  "cluster.pin_only_on_untrusted_peers": { doc: "Allocate pins to untrusted peers only" },
  "cluster.disable_repinning": { doc: "Do not move a down peer's pins to other peers" },
  "cluster.follower_mode": {
    doc: "Refuse pin and unpin requests and broadcasts: this peer only follows the pinset",
    default: false,
  },
  "cluster.peerstore_file": { doc: "File saving known peer addresses; empty: peerstore in the config folder" },
  "cluster.peer_addresses": { doc: "Peer multiaddrs tried first when connecting at start" },
  "cluster.id": { doc: "Pre-0.11 place of the peer ID; the daemon moves it to identity.json" },
  "cluster.private_key": { doc: "Pre-0.11 place of the peer's private key; the daemon moves it to identity.json" },
};

const CRDT: Record<string, KeyDoc> = {
  "consensus.crdt.cluster_name": { doc: "Pubsub topic of the crdt consensus; every peer of the cluster uses the same" },
  "consensus.crdt.trusted_peers": { doc: 'Peer IDs whose updates are accepted and who get extra RPC rights; "*": all' },
  "consensus.crdt.batching.max_batch_size": {
    doc: "Pins in a crdt batch that force a commit; 0 and age 0: no batching",
  },
  "consensus.crdt.batching.max_batch_age": { doc: "Age of a crdt batch's oldest update that forces a commit" },
  "consensus.crdt.batching.max_queue_size": {
    doc: "Updates waiting for a batch before pin and unpin calls block",
    default: 50000,
  },
  "consensus.crdt.repair_interval": { doc: "How often the crdt store repairs itself when marked dirty" },
  "consensus.crdt.rebroadcast_interval": {
    doc: "How often the current crdt heads are announced again while nothing changes",
    default: "1m0s",
  },
  "consensus.crdt.peerset_metric": { doc: "Metric whose live senders make up the peer set", default: "ping" },
  "consensus.crdt.datastore_namespace": { doc: "Prefix of every key the crdt writes to the datastore", default: "/c" },
};

const RAFT: Record<string, KeyDoc> = {
  "consensus.raft.data_folder": { doc: "Folder of Raft's logs and snapshots; default raft in the config folder" },
  "consensus.raft.init_peerset": {
    doc: "Peer IDs of the first peer set of a new Raft peer; ignored once Raft has state",
    default: [],
  },
  "consensus.raft.wait_for_leader_timeout": { doc: "How long an operation waits for a Raft leader", default: "15s" },
  "consensus.raft.network_timeout": { doc: "Timeout of Raft network operations", default: "10s" },
  // Read as it is, not through SetIfNotDefault: a raft section without it gets 0 (init writes 1).
  "consensus.raft.commit_retries": {
    doc: "Retries of a failed Raft commit before giving up (init writes 1)",
    default: 0,
  },
  "consensus.raft.commit_retry_delay": { doc: "Wait between Raft commit retries", default: "200ms" },
  "consensus.raft.backups_rotate": { doc: "Old copies of the Raft data folder kept after a cleanup", default: 6 },
  "consensus.raft.datastore_namespace": {
    doc: "Not read by cluster v1.1.6: Raft's state is always kept under /r",
    default: "/r",
  },
  "consensus.raft.heartbeat_timeout": { doc: "Time a follower goes without a leader before calling an election" },
  "consensus.raft.election_timeout": { doc: "Time a candidate goes without a leader before a new election" },
  "consensus.raft.commit_timeout": { doc: "Time without an Apply after which the leader sends a heartbeat" },
  "consensus.raft.max_append_entries": { doc: "Most log entries in one Raft append request (1-1024)" },
  "consensus.raft.trailing_logs": { doc: "Log entries kept after a snapshot, for followers catching up" },
  "consensus.raft.snapshot_interval": { doc: "How often Raft checks whether to take a snapshot" },
  "consensus.raft.snapshot_threshold": { doc: "Log entries since the last snapshot that call for a new one" },
  "consensus.raft.leader_lease_timeout": { doc: "How long a leader stays leader without reaching a quorum" },
};

const PROXY = "api.ipfsproxy";
const IPFS_PROXY: Record<string, KeyDoc> = {
  [`${PROXY}.listen_multiaddress`]: {
    doc: "Where the IPFS proxy listens: kubo's RPC API, with pin calls sent to the cluster",
  },
  [`${PROXY}.node_multiaddress`]: { doc: "kubo RPC API the IPFS proxy forwards the other requests to" },
  [`${PROXY}.node_https`]: { doc: "Reach the proxied kubo RPC API over HTTPS (experimental)", default: false },
  [`${PROXY}.log_file`]: { doc: "Request log file of the IPFS proxy, relative to the config folder; empty: stdout" },
  [`${PROXY}.read_timeout`]: { doc: "Longest time the IPFS proxy takes to read a whole request; 0s: no limit" },
  [`${PROXY}.read_header_timeout`]: { doc: "Longest time the IPFS proxy takes to read a request's headers" },
  [`${PROXY}.write_timeout`]: { doc: "Longest time the IPFS proxy takes to write a response; 0s: no limit" },
  [`${PROXY}.idle_timeout`]: { doc: "How long an idle keep-alive connection to the IPFS proxy stays open" },
  [`${PROXY}.max_header_bytes`]: { doc: "Largest request headers the IPFS proxy accepts, in bytes (at least 4096)" },
  [`${PROXY}.extract_headers_extra`]: { doc: "kubo response headers the IPFS proxy copies into its own answers" },
  [`${PROXY}.extract_headers_path`]: {
    doc: "kubo API path the IPFS proxy calls to learn those headers",
    default: "/api/v0/version",
  },
  [`${PROXY}.extract_headers_ttl`]: {
    doc: "How long the IPFS proxy reuses extracted headers; 0 asks kubo every time",
    default: "5m0s",
  },
};

/** The keys restapi and pinsvcapi share (api/common/config.go), each line naming its API. */
function httpApiDocs(component: string, api: string): Record<string, KeyDoc> {
  const at = `api.${component}`;
  return {
    [`${at}.http_listen_multiaddress`]: { doc: `Multiaddr(s) the ${api} listens on over HTTP` },
    [`${at}.ssl_cert_file`]: { doc: `TLS certificate file for HTTPS on the ${api}, used with ssl_key_file` },
    [`${at}.ssl_key_file`]: { doc: `File with the private key of the ${api}'s TLS certificate` },
    [`${at}.read_timeout`]: { doc: `Longest time the ${api} takes to read a whole request; 0s: no limit` },
    [`${at}.read_header_timeout`]: { doc: `Longest time the ${api} takes to read a request's headers` },
    [`${at}.write_timeout`]: { doc: `Longest time the ${api} takes to write a response; 0s: no limit` },
    [`${at}.idle_timeout`]: { doc: `How long an idle keep-alive connection to the ${api} stays open` },
    [`${at}.max_header_bytes`]: { doc: `Largest request headers the ${api} accepts, in bytes (at least 4096)` },
    [`${at}.libp2p_listen_multiaddress`]: {
      doc: `Multiaddrs of a separate libp2p host serving the ${api} (with id, private_key)`,
    },
    [`${at}.id`]: { doc: `Peer ID of the ${api}'s separate libp2p host` },
    [`${at}.private_key`]: { doc: `Private key of the ${api}'s separate libp2p host` },
    [`${at}.basic_auth_credentials.*`]: { doc: `Password of this user name for HTTP basic auth on the ${api}` },
    [`${at}.http_log_file`]: { doc: `Request log file of the ${api}, relative to the config folder; empty: stdout` },
    [`${at}.headers.*`]: { doc: `Values of this header added to the ${api}'s responses` },
    [`${at}.cors_allowed_origins`]: { doc: `Origins whose browser pages may call the ${api} (CORS)` },
    [`${at}.cors_allowed_methods`]: { doc: `HTTP methods allowed in CORS requests to the ${api}` },
    [`${at}.cors_allowed_headers`]: { doc: `Request headers allowed in CORS requests to the ${api}` },
    [`${at}.cors_exposed_headers`]: { doc: `Headers of the ${api}'s responses that browser scripts may read` },
    [`${at}.cors_allow_credentials`]: { doc: `Let CORS requests to the ${api} carry credentials` },
    [`${at}.cors_max_age`]: { doc: `How long browsers may cache the ${api}'s CORS preflight answers` },
  };
}

const IPFS_CONNECTOR: Record<string, KeyDoc> = {
  "ipfs_connector.ipfshttp.node_multiaddress": {
    doc: "kubo RPC API this peer pins, unpins and checks content through",
  },
  "ipfs_connector.ipfshttp.connect_swarms_delay": {
    doc: "Wait after start before connecting this kubo to the other peers' kubo nodes",
  },
  "ipfs_connector.ipfshttp.ipfs_request_timeout": { doc: "Timeout of a request to kubo, except pin, unpin and GC" },
  "ipfs_connector.ipfshttp.pin_timeout": { doc: "A pin on kubo fails after this long without progress" },
  "ipfs_connector.ipfshttp.unpin_timeout": { doc: "Timeout of an unpin on kubo" },
  "ipfs_connector.ipfshttp.repogc_timeout": { doc: "Timeout of a repo garbage collection on kubo" },
  "ipfs_connector.ipfshttp.informer_trigger_interval": {
    doc: "Pins and block puts after which informer metrics are sent early; 0: never",
  },
  "ipfs_connector.ipfshttp.unpin_disable": {
    doc: "Refuse every unpin with an error, so kubo keeps all pins",
    default: false,
  },
};

const TRACKER_AND_METRICS: Record<string, KeyDoc> = {
  "pin_tracker.stateless.max_pin_queue_size": {
    doc: "Pins queued for kubo at most; further ones are marked as errors",
    default: 1000000,
  },
  "pin_tracker.stateless.concurrent_pins": { doc: "Pin requests sent to kubo in parallel (unpins go one by one)" },
  "pin_tracker.stateless.priority_pin_max_age": { doc: "Pins younger than this are pinned first" },
  "pin_tracker.stateless.priority_pin_max_retries": { doc: "Retries after which a pin loses its priority" },
  "monitor.pubsubmon.check_interval": { doc: "How often peers' metrics are checked for expiry (a down peer)" },
  "allocator.balanced.allocate_by": {
    doc: "Metrics that order peers for allocation, one partition after another (tag:<name>, freespace...)",
  },
  "informer.disk.metric_ttl": { doc: "How long this peer's disk metric stays valid (sent again before then)" },
  "informer.disk.metric_type": { doc: "Disk figure reported: freespace (kubo's free space) or reposize" },
  "informer.pinqueue.metric_ttl": { doc: "How long this peer's pin queue metric stays valid" },
  "informer.pinqueue.weight_bucket_size": { doc: "Queue lengths within a bucket of this many pins weigh the same" },
  "informer.tags.metric_ttl": { doc: "How long this peer's tags metric stays valid" },
  "informer.tags.tags.*": { doc: "Value of this tag for the peer, which allocate_by can use as tag:<name>" },
  "observations.metrics.enable_stats": { doc: "Collect metrics and serve them to Prometheus" },
  "observations.metrics.prometheus_endpoint": { doc: "Multiaddr the Prometheus metrics endpoint listens on" },
  "observations.metrics.reporting_interval": { doc: "How often metrics are gathered and reported" },
  "observations.tracing.enable_tracing": { doc: "Send traces of requests to a Jaeger agent" },
  "observations.tracing.jaeger_agent_endpoint": { doc: "UDP multiaddr of the Jaeger agent traces go to" },
  "observations.tracing.sampling_prob": { doc: "Share of requests traced, from 0 to 1" },
  "observations.tracing.service_name": { doc: "Service name the traces are recorded under" },
};
