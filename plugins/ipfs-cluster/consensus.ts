import { goDurationMs } from "kitcfg";
import { decodesAsPeerId } from "kitcfg";
import { isObject } from "./shared.ts";
import { COMPONENTS } from "./schema.ts";
import type { Add } from "./values.ts";
import type { Config } from "kitcfg";

// The consensus components' loading rules at ipfs-cluster v1.1.6: consensus/crdt/config.go
// and consensus/raft/config.go (`applyJSONConfig`, `Validate`), the latter ending in
// hashicorp/raft v1.7.3 config.go `ValidateConfig`.

type Obj = Record<string, unknown>;

export function consensusIssues(config: Config, add: Add, follower: boolean): void {
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

/** crdt: what `applyJSONConfig` keeps as default, then what `Validate` refuses. */
export function crdtIssues(crdt: Obj, add: Add): void {
  const at = (key: string) => `consensus.crdt.${key}`;
  // SetIfNotDefault: an empty name keeps "ipfs-cluster", which may not be the cluster's.
  if (crdt.cluster_name === "")
    add(
      at("cluster_name"),
      'is empty: the daemon uses "ipfs-cluster", the default name; ' +
        "peers of another cluster name do not see this one's state",
      "warning",
    );
  const peers = Array.isArray(crdt.trusted_peers) ? crdt.trusted_peers : [];
  for (const [i, peer] of peers.entries()) {
    // Items after "*" are not read.
    if (peer === "*") break;
    if (typeof peer === "string" && !decodesAsPeerId(peer))
      add(at("trusted_peers"), `item ${i} (${JSON.stringify(peer)}) is not a peer ID or "*"`);
  }
  const batching = isObject(crdt.batching) ? crdt.batching : {};
  const read = crdtDurations(crdt, batching, add);
  if (read.rebroadcast_interval !== undefined && read.rebroadcast_interval <= 0)
    add(
      at("rebroadcast_interval"),
      `must be a duration greater than 0, got ${JSON.stringify(crdt.rebroadcast_interval)}`,
    );
  if (read.repair_interval !== undefined && read.repair_interval < 0)
    add(
      at("repair_interval"),
      `cannot be negative, got ${JSON.stringify(crdt.repair_interval)} (0s turns repairs off)`,
    );
  // 0 keeps the default (SetIfNotDefault); any other value must be positive.
  if (typeof batching.max_queue_size === "number" && batching.max_queue_size < 0)
    add(
      at("batching.max_queue_size"),
      `must be greater than 0 (0 keeps the default 50000), got ${batching.max_queue_size}`,
    );
}

/** raft: durations that do not parse (or read 0) keep their defaults; the values are then checked as a whole. */
export function raftIssues(raft: Obj, add: Add): void {
  const at = (key: string) => `consensus.raft.${key}`;
  const ms = (key: string, fallback: number) => {
    const value = raft[key];
    if (typeof value !== "string" || value === "") return fallback;
    const read = goDurationMs(value) ?? 0;
    if (read === 0)
      add(
        at(key),
        `is not a non-zero Go duration (got ${JSON.stringify(value)}): the daemon ignores it and uses its default`,
        "warning",
      );
    return read === 0 ? fallback : read;
  };
  // Cluster's own defaults (consensus/raft/config.go), then hashicorp/raft DefaultConfig.
  const positive: [string, number][] = [
    ["wait_for_leader_timeout", 15_000],
    ["network_timeout", 10_000],
    ["commit_retry_delay", 200],
  ];
  for (const [key, fallback] of positive)
    if (ms(key, fallback) <= 0) add(at(key), `must be a duration greater than 0, got ${JSON.stringify(raft[key])}`);
  const heartbeat = ms("heartbeat_timeout", 1000);
  const election = ms("election_timeout", 1000);
  const lease = ms("leader_lease_timeout", 500);
  const floors: [string, number, number][] = [
    ["heartbeat_timeout", heartbeat, 5],
    ["election_timeout", election, 5],
    ["commit_timeout", ms("commit_timeout", 50), 1],
    ["snapshot_interval", ms("snapshot_interval", 120_000), 5],
    ["leader_lease_timeout", lease, 5],
  ];
  for (const [key, value, floor] of floors)
    if (value < floor)
      add(at(key), `is too low: hashicorp/raft needs at least ${floor}ms, got ${JSON.stringify(raft[key])}`);
  if (lease > heartbeat)
    add(at("leader_lease_timeout"), `(${lease}ms) cannot be larger than heartbeat_timeout (${heartbeat}ms)`);
  if (election < heartbeat)
    add(at("election_timeout"), `(${election}ms) must be at least heartbeat_timeout (${heartbeat}ms)`);
  if (typeof raft.commit_retries === "number" && raft.commit_retries < 0)
    add(at("commit_retries"), `cannot be negative, got ${raft.commit_retries}`);
  if (typeof raft.backups_rotate === "number" && raft.backups_rotate < 0)
    add(at("backups_rotate"), `must be greater than 0 (0 keeps the default 6), got ${raft.backups_rotate}`);
  // api.StringsToPeers drops an item that is no peer ID, without a word.
  const peers = Array.isArray(raft.init_peerset) ? raft.init_peerset : [];
  for (const [i, peer] of peers.entries()) {
    if (typeof peer === "string" && !decodesAsPeerId(peer))
      add(
        at("init_peerset"),
        `item ${i} (${JSON.stringify(peer)}) is not a peer ID: the daemon drops it, and a new raft peer ` +
          "starts without that peer in its first peerset",
        "warning",
      );
  }
  const entries = raft.max_append_entries;
  if (typeof entries === "number" && (entries < 0 || entries > 1024))
    add(at("max_append_entries"), `must be 1 to 1024 (0 keeps the default 64), got ${entries}`);
}

// --- internal ---

/**
 * crdt's durations in the order `applyJSONConfig` hands them to config.ParseDurations, which
 * stops at the first text that does not parse; crdt drops that error, so that duration and every
 * later one keep their defaults. The milliseconds of each one read, by key.
 */
function crdtDurations(crdt: Obj, batching: Obj, add: Add): Record<string, number | undefined> {
  const read: Record<string, number | undefined> = {};
  let stop: string | undefined;
  for (const [key, value] of [
    ["rebroadcast_interval", crdt.rebroadcast_interval],
    ["batching.max_batch_age", batching.max_batch_age],
    ["repair_interval", crdt.repair_interval],
  ] as const) {
    if (typeof value !== "string" || value === "") continue; // "" keeps the default
    const at = `consensus.crdt.${key}`;
    if (stop) {
      add(at, `is not read: the daemon stops at ${stop}, which does not parse, and keeps this default too`, "warning");
      continue;
    }
    read[key] = goDurationMs(value);
    if (read[key] !== undefined) continue;
    stop = at;
    add(
      at,
      `is not a Go duration (got ${JSON.stringify(value)}): the daemon ignores it and uses its default`,
      "warning",
    );
  }
  return read;
}
