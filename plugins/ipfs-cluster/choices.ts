import type { Config, PluginContext, Profile } from "kitcfg";
import { withClusterEnv } from "./env.ts";

// The consensus and datastore choices of `ipfs-cluster-service init --consensus crdt|raft
// --datastore pebble|badger3|leveldb|badger` (v1.1.6), as profiles. Facts: FORMATS.md §4
// "init's consensus and datastore choices" (ipfs-cluster @2182e887: cmdutils/configs.go
// ConfigHelper.init, each component's Default()/toJSONConfig()). Only crdt registers a
// datastore: with raft init writes no datastore section at all, whatever --datastore says,
// since raft keeps its state in memory (cmdutils/state.go).

/** consensus.crdt as init writes it (max_queue_size, rebroadcast_interval, ... omitted at their defaults). */
export function crdtDefaults(): Record<string, unknown> {
  return {
    cluster_name: "ipfs-cluster",
    trusted_peers: ["*"],
    batching: { max_batch_size: 0, max_batch_age: "0s" },
    repair_interval: "1h0m0s",
  };
}

/**
 * consensus.raft as init writes it: cluster's own defaults, then hashicorp/raft v1.7.3
 * DefaultConfig() for the Raft timings (data_folder and datastore_namespace omitted at theirs).
 */
export function raftDefaults(): Record<string, unknown> {
  return {
    init_peerset: [],
    wait_for_leader_timeout: "15s",
    network_timeout: "10s",
    commit_retries: 1,
    commit_retry_delay: "200ms",
    backups_rotate: 6,
    heartbeat_timeout: "1s",
    election_timeout: "1s",
    commit_timeout: "50ms",
    max_append_entries: 64,
    trailing_logs: 10240,
    snapshot_interval: "2m0s",
    snapshot_threshold: 8192,
    leader_lease_timeout: "500ms",
  };
}

/**
 * Pebble tuning that cluster itself sets (datastore/pebble/config.go constants, the same
 * values as the v1.0.6 CHANGELOG block). FORMATS.md §11 leaves the full `pebble_options` of
 * v1.1.6 unestablished: the other keys (format_major_version, flush_split_bytes, the
 * per-level block settings) come from the pebble library version. The loader merges the file
 * over cluster's own defaults and skips zero values (mergo.WithOverride in
 * applyJSONConfig), so every key left out here gets exactly the daemon's default.
 */
export function pebbleDefaults(): Record<string, unknown> {
  return {
    pebble_options: {
      cache_size_bytes: 1073741824,
      bytes_per_sync: 1048576,
      disable_wal: false,
      l0_compaction_file_threshold: 750,
      l0_compaction_threshold: 4,
      l0_stop_writes_threshold: 12,
      l_base_max_bytes: 134217728,
      max_open_files: 1000,
      mem_table_size: 67108864,
      mem_table_stop_writes_threshold: 20,
      read_only: false,
    },
  };
}

/** The garbage collection settings both badger datastores of cluster start with (in this order). */
const BADGER_GC = { gc_discard_ratio: 0.2, gc_interval: "15m0s", gc_sleep: "10s" } as const;

/**
 * datastore.badger3: dgraph-io/badger v3.2103.5 DefaultOptions("") with cluster's changes
 * (no compaction on close, value_threshold 100, no block cache, no compression, no conflict
 * detection); folder omitted at its default.
 */
export function badger3Defaults(): Record<string, unknown> {
  return {
    ...BADGER_GC,
    badger_options: {
      dir: "",
      value_dir: "",
      sync_writes: false,
      num_versions_to_keep: 1,
      read_only: false,
      compression: 0,
      in_memory: false,
      metrics_enabled: true,
      num_goroutines: 8,
      mem_table_size: 67108864,
      base_table_size: 2097152,
      base_level_size: 10485760,
      level_size_multiplier: 10,
      table_size_multiplier: 2,
      max_levels: 7,
      v_log_percentile: 0,
      value_threshold: 100,
      num_memtables: 5,
      block_size: 4096,
      bloom_false_positive: 0.01,
      block_cache_size: 0,
      index_cache_size: 0,
      num_level_zero_tables: 5,
      num_level_zero_tables_stall: 15,
      value_log_file_size: 1073741823,
      value_log_max_entries: 1000000,
      num_compactors: 4,
      compact_l_0_on_close: false,
      lmax_compaction: false,
      zstd_compression_level: 1,
      verify_value_checksum: false,
      checksum_verification_mode: 0,
      detect_conflicts: false,
      namespace_offset: -1,
    },
  };
}

/**
 * datastore.badger (badger v1.6.2 DefaultOptions("") with cluster's changes: no compaction on
 * close, truncate, value log read through files, tables memory-mapped, 16 MiB tables), as in
 * the v0.14 init output tests/fixtures/ipfs-cluster-service/service.json.
 */
export function badgerDefaults(): Record<string, unknown> {
  return {
    ...BADGER_GC,
    badger_options: {
      dir: "",
      value_dir: "",
      sync_writes: true,
      table_loading_mode: 2,
      value_log_loading_mode: 0,
      num_versions_to_keep: 1,
      max_table_size: 16777216,
      level_size_multiplier: 10,
      max_levels: 7,
      value_threshold: 32,
      num_memtables: 5,
      num_level_zero_tables: 5,
      num_level_zero_tables_stall: 10,
      level_one_size: 268435456,
      value_log_file_size: 1073741823,
      value_log_max_entries: 1000000,
      num_compactors: 2,
      compact_l_0_on_close: false,
      read_only: false,
      truncate: true,
    },
  };
}

/** datastore.leveldb: goleveldb's zero Options (each zero means the library's default); folder omitted. */
export function leveldbDefaults(): Record<string, unknown> {
  return {
    leveldb_options: {
      block_cache_capacity: 0,
      block_cache_evict_removed: false,
      block_restart_interval: 0,
      block_size: 0,
      compaction_expand_limit_factor: 0,
      compaction_gp_overlaps_factor: 0,
      compaction_l0_trigger: 0,
      compaction_source_limit_factor: 0,
      compaction_table_size: 0,
      compaction_table_size_multiplier: 0,
      compaction_table_size_multiplier_per_level: null,
      compaction_total_size: 0,
      compaction_total_size_multiplier: 0,
      compaction_total_size_multiplier_per_level: null,
      compression: 0,
      disable_buffer_pool: false,
      disable_block_cache: false,
      disable_compaction_backoff: false,
      disable_large_batch_transaction: false,
      iterator_sampling_rate: 0,
      no_sync: false,
      no_write_merge: false,
      open_files_cache_capacity: 0,
      read_only: false,
      strict: 0,
      write_buffer: 0,
      write_l0_pause_trigger: 0,
      write_l0_slowdown_trigger: 0,
    },
  };
}

const DATASTORES = {
  pebble: pebbleDefaults,
  badger3: badger3Defaults,
  leveldb: leveldbDefaults,
  badger: badgerDefaults,
} as const;

/**
 * `configure ipfs-cluster-service --profile raft,badger3` writes what `init --consensus raft
 * --datastore badger3` writes. Every one applies only to a new configuration: a peer's pinset
 * lives in its consensus's and datastore's own folders, which a switch would leave behind.
 */
export const CLUSTER_PROFILES: Record<string, Profile> = {
  crdt: {
    summary: "crdt consensus (init's default), with a pebble datastore unless another one is picked",
    initOnly: true,
    apply: (config, ctx) => withConsensus(config, "crdt", ctx),
  },
  raft: {
    summary: "raft consensus (init --consensus raft): no datastore section, raft keeps its state in memory",
    initOnly: true,
    apply: (config, ctx) => withConsensus(config, "raft", ctx),
  },
  ...datastoreProfile("pebble", "pebble datastore (init's default)"),
  ...datastoreProfile("badger3", "badger v3 datastore (init --datastore badger3); crdt only"),
  ...datastoreProfile("leveldb", "leveldb datastore (init --datastore leveldb); crdt only"),
  ...datastoreProfile("badger", "badger v1 datastore (init --datastore badger, deprecated upstream); crdt only"),
};

// --- internal ---

/** A new component's defaults with the CLUSTER_<COMPONENT>_* variables init applies to it. */
function component(name: string, defaults: Record<string, unknown>, ctx: PluginContext): Record<string, unknown> {
  return { [name]: withClusterEnv(defaults, `CLUSTER_${name.toUpperCase()}`, ctx.env) };
}

function withConsensus(config: Config, name: "crdt" | "raft", ctx: PluginContext): Config {
  const next: Config = {
    ...config,
    consensus: component(name, name === "crdt" ? crdtDefaults() : raftDefaults(), ctx),
  };
  if (name === "raft") delete next.datastore;
  else if (next.datastore === undefined) next.datastore = component("pebble", pebbleDefaults(), ctx);
  return next;
}

function datastoreProfile(name: keyof typeof DATASTORES, summary: string): Record<string, Profile> {
  return {
    [name]: {
      summary,
      initOnly: true,
      apply: function applyDatastore(config, ctx) {
        // init registers no datastore with raft, whatever --datastore names.
        if (isRaftOnly(config.consensus)) return config;
        return { ...config, datastore: component(name, DATASTORES[name](), ctx) };
      },
    },
  };
}

function isRaftOnly(consensus: unknown): boolean {
  if (typeof consensus !== "object" || consensus === null) return false;
  return "raft" in consensus && !("crdt" in consensus);
}
