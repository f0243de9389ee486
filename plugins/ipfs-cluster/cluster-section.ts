import { isObject } from "./shared.ts";
import { duration, hostListenAddrs, multiaddrs, peerAddrs, STRICT } from "./values.ts";
import type { Add } from "./values.ts";

// The cluster section's loading rules at ipfs-cluster v1.1.6 (cluster_config.go
// applyJSONConfig, Validate).

type Obj = Record<string, unknown>;

export function clusterIssues(c: Obj, add: Add): void {
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

// --- internal ---

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
