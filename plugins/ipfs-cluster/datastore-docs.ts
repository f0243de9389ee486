import type { KeyDoc } from "kitcfg";

// `kitcfg keys` lines for service.json's datastore section, in kitcfg's words. Sources
// (ipfs-cluster/ipfs-cluster @2182e887): datastore/{badger,badger3,leveldb,pebble}/config.go,
// which hold cluster's defaults and copy each option into the storage library; the options'
// meaning is the library's: dgraph-io/badger options.go (@34dba21b, v4, whose options badger3
// shares), goleveldb opt.Options, cockroachdb/pebble options.go. go-ds-badger opens badger in
// the component's folder (`opt.Dir = path`), so badger_options.dir and value_dir are unused.

/** Lines for datastore.badger, .badger3, .leveldb and .pebble. */
export function datastoreKeyDocs(): Record<string, KeyDoc> {
  return {
    ...badgerCommon("badger"),
    ...badgerCommon("badger3"),
    ...BADGER_ONLY,
    ...BADGER3_ONLY,
    ...LEVELDB,
    ...PEBBLE,
  };
}

// --- internal ---

/** The keys badger and badger3 share, each line naming its store. */
function badgerCommon(store: "badger" | "badger3"): Record<string, KeyDoc> {
  const at = `datastore.${store}`;
  const o = `${at}.badger_options`;
  return {
    [`${at}.folder`]: { doc: `Folder of the ${store} datastore, relative to the config folder`, default: store },
    [`${at}.gc_discard_ratio`]: {
      doc: `Share of stale data (0-1) that makes ${store}'s GC rewrite a value log file`,
      default: 0.2,
    },
    [`${at}.gc_interval`]: { doc: `Time between two ${store} garbage collection cycles`, default: "15m0s" },
    [`${at}.gc_sleep`]: { doc: `Pause between the rounds of one ${store} garbage collection cycle`, default: "10s" },
    [`${o}.dir`]: { doc: `${store}'s key folder: unused, the datastore opens ${store} in folder` },
    [`${o}.value_dir`]: { doc: `${store}'s value log folder: unused, the datastore opens ${store} in folder` },
    [`${o}.sync_writes`]: { doc: `Have ${store} fsync every write before it returns (safer, slower)` },
    [`${o}.num_versions_to_keep`]: { doc: `Versions of each key ${store} keeps` },
    [`${o}.read_only`]: { doc: `Open the ${store} datastore read-only` },
    [`${o}.level_size_multiplier`]: { doc: `Size ratio between one ${store} LSM level and the next` },
    [`${o}.max_levels`]: { doc: `Number of levels of ${store}'s LSM tree` },
    [`${o}.value_threshold`]: {
      doc: `Values of at least this many bytes go to ${store}'s value log; smaller ones stay in the LSM tree`,
    },
    [`${o}.num_memtables`]: { doc: `Memtables ${store} holds in memory before writes stall` },
    [`${o}.num_level_zero_tables`]: { doc: `Level-0 tables at which ${store} starts compacting them into level 1` },
    [`${o}.num_level_zero_tables_stall`]: { doc: `Level-0 tables at which ${store} stalls writes until compaction` },
    [`${o}.value_log_file_size`]: { doc: `Size in bytes of each ${store} value log file` },
    [`${o}.value_log_max_entries`]: { doc: `Most entries in one ${store} value log file` },
    [`${o}.num_compactors`]: { doc: `Compaction workers ${store} runs at once` },
    [`${o}.compact_l_0_on_close`]: { doc: `Have ${store} compact level 0 when the datastore closes (slower stop)` },
  };
}

const BADGER_ONLY: Record<string, KeyDoc> = {
  "datastore.badger.badger_options.table_loading_mode": {
    doc: "How badger reads its LSM tables: 0 file reads, 1 loaded into memory, 2 memory-mapped (cluster's)",
  },
  "datastore.badger.badger_options.value_log_loading_mode": {
    doc: "How badger reads its value log: 0 file reads (cluster's) or 2 memory-mapped; 1 is refused",
  },
  "datastore.badger.badger_options.max_table_size": { doc: "Size in bytes of each badger LSM table file" },
  "datastore.badger.badger_options.level_one_size": { doc: "Target size in bytes of badger's LSM level 1" },
  "datastore.badger.badger_options.truncate": {
    doc: "On open, cut badger's value log after its last valid entry instead of failing",
  },
};

const B3 = "datastore.badger3.badger_options";
const BADGER3_ONLY: Record<string, KeyDoc> = {
  [`${B3}.compression`]: { doc: "How badger3 compresses table blocks: 0 none (cluster's), 1 snappy, 2 zstd" },
  [`${B3}.in_memory`]: { doc: "Keep the whole badger3 store in memory, nothing on disk: lost at exit" },
  [`${B3}.metrics_enabled`]: { doc: "Have badger3 collect its internal metrics" },
  [`${B3}.num_goroutines`]: { doc: "Goroutines badger3 uses to stream its contents (backups and the like)" },
  [`${B3}.mem_table_size`]: { doc: "Size in bytes of one badger3 memtable" },
  [`${B3}.base_table_size`]: { doc: "Size in bytes of a table file in badger3's base level" },
  [`${B3}.base_level_size`]: { doc: "Target size in bytes of badger3's base LSM level" },
  [`${B3}.table_size_multiplier`]: { doc: "Ratio between table file sizes of one badger3 level and the next" },
  [`${B3}.v_log_percentile`]: {
    doc: "Share of values badger3 keeps in the LSM tree, moving value_threshold; 0 keeps it fixed",
  },
  [`${B3}.block_size`]: { doc: "Size in bytes of the blocks of badger3's table files" },
  [`${B3}.bloom_false_positive`]: { doc: "False-positive rate of badger3's table bloom filters; 0 turns them off" },
  [`${B3}.block_cache_size`]: { doc: "Bytes of badger3's block cache (cluster turns it off: 0)" },
  [`${B3}.index_cache_size`]: { doc: "Bytes of badger3's table index cache; 0 keeps every index in memory" },
  [`${B3}.lmax_compaction`]: { doc: "Have badger3 compact its last level into itself to drop stale data" },
  [`${B3}.zstd_compression_level`]: { doc: "Zstd level when badger3 compresses tables" },
  [`${B3}.verify_value_checksum`]: { doc: "Have badger3 check each value's checksum when reading the value log" },
  [`${B3}.checksum_verification_mode`]: {
    doc: "When badger3 checks table checksums: 0 never, 1 on opening a table, 2 on reading a block, 3 both",
  },
  [`${B3}.detect_conflicts`]: { doc: "Check badger3 transactions for conflicts (false writes faster)" },
  [`${B3}.namespace_offset`]: { doc: "Offset of an 8-byte namespace in badger3 keys; -1 for none" },
};

const L = "datastore.leveldb.leveldb_options";
const LEVELDB: Record<string, KeyDoc> = {
  "datastore.leveldb.folder": {
    doc: "Folder of the leveldb datastore, relative to the config folder",
    default: "leveldb",
  },
  [`${L}.block_cache_capacity`]: { doc: "Bytes of leveldb's block cache; 0 keeps goleveldb's default" },
  [`${L}.block_cache_evict_removed`]: { doc: "Drop the cached blocks of leveldb tables once they are removed" },
  [`${L}.block_restart_interval`]: { doc: "Keys between restart points of leveldb's delta-encoded blocks" },
  [`${L}.block_size`]: { doc: "Least uncompressed size in bytes of a leveldb table block" },
  [`${L}.compaction_expand_limit_factor`]: { doc: "Bounds how far a leveldb compaction may expand (factor)" },
  [`${L}.compaction_gp_overlaps_factor`]: { doc: "Bounds a leveldb table's overlap with the grandparent level" },
  [`${L}.compaction_l0_trigger`]: { doc: "Level-0 tables that trigger a leveldb compaction" },
  [`${L}.compaction_source_limit_factor`]: { doc: "Bounds the input size of one leveldb compaction (factor)" },
  [`${L}.compaction_table_size`]: { doc: "Size in bytes of the table files a leveldb compaction writes" },
  [`${L}.compaction_table_size_multiplier`]: { doc: "Growth of leveldb's compaction table size per level" },
  [`${L}.compaction_table_size_multiplier_per_level`]: {
    doc: "Per-level multipliers of leveldb's compaction table size",
  },
  [`${L}.compaction_total_size`]: { doc: "Size in bytes a leveldb level may reach before compaction" },
  [`${L}.compaction_total_size_multiplier`]: { doc: "Growth of that leveldb level size limit per level" },
  [`${L}.compaction_total_size_multiplier_per_level`]: { doc: "Per-level multipliers of the leveldb level size limit" },
  [`${L}.compression`]: { doc: "leveldb block compression: 0 default (snappy), 1 none, 2 snappy" },
  [`${L}.disable_buffer_pool`]: { doc: "Allocate leveldb's buffers fresh instead of reusing them from a pool" },
  [`${L}.disable_block_cache`]: { doc: "Run leveldb without a block cache" },
  [`${L}.disable_compaction_backoff`]: { doc: "Retry failed leveldb compactions without backing off" },
  [`${L}.disable_large_batch_transaction`]: { doc: "Write large leveldb batches directly, not as a transaction" },
  [`${L}.iterator_sampling_rate`]: {
    doc: "Bytes read by leveldb iterators between samples that may trigger compaction",
  },
  [`${L}.no_sync`]: { doc: "Skip fsync on leveldb writes: faster, data may be lost on a crash" },
  [`${L}.no_write_merge`]: { doc: "Do not merge concurrent leveldb writes into one" },
  [`${L}.open_files_cache_capacity`]: { doc: "leveldb table files kept open at once" },
  [`${L}.read_only`]: { doc: "Open the leveldb datastore read-only" },
  [`${L}.strict`]: { doc: "Bit flags of leveldb corruption checks that fail instead of being skipped" },
  [`${L}.write_buffer`]: { doc: "Bytes leveldb buffers in memory before writing a level-0 table" },
  [`${L}.write_l0_pause_trigger`]: { doc: "Level-0 tables at which leveldb pauses writes" },
  [`${L}.write_l0_slowdown_trigger`]: { doc: "Level-0 tables at which leveldb slows writes down" },
};

const P = "datastore.pebble.pebble_options";
const PEBBLE: Record<string, KeyDoc> = {
  "datastore.pebble.folder": {
    doc: "Folder of the pebble datastore (the default one), relative to the config folder",
    default: "pebble",
  },
  [`${P}.cache_size_bytes`]: { doc: "Bytes of pebble's block cache (cluster's default 1 GiB, pebble's 8 MiB)" },
  [`${P}.bytes_per_sync`]: { doc: "Bytes written to a pebble table file between background syncs" },
  [`${P}.disable_wal`]: { doc: "Write without pebble's write-ahead log: faster, recent writes lost on a crash" },
  [`${P}.flush_delay_delete_range`]: {
    doc: "Nanoseconds before pebble flushes a range deletion to free its space; 0 never forces it",
  },
  [`${P}.flush_delay_range_key`]: { doc: "Read by cluster v1.1.6 but never passed to pebble: no effect" },
  [`${P}.flush_split_bytes`]: { doc: "Target bytes per level-0 sublevel when pebble splits a flush" },
  [`${P}.format_major_version`]: {
    doc: "pebble's on-disk format version (13-24); raising it cannot be undone",
    default: 24,
  },
  [`${P}.l0_compaction_file_threshold`]: { doc: "Level-0 files that make pebble compact level 0" },
  [`${P}.l0_compaction_threshold`]: { doc: "Level-0 read amplification that makes pebble compact level 0" },
  [`${P}.l0_stop_writes_threshold`]: {
    doc: "Level-0 read amplification at which pebble stops writes until compaction",
  },
  [`${P}.l_base_max_bytes`]: { doc: "Largest size in bytes of pebble's base level; deeper levels grow from it" },
  [`${P}.max_open_files`]: { doc: "Files pebble keeps open at most" },
  [`${P}.mem_table_size`]: { doc: "Size in bytes of one pebble memtable, which also sizes the WAL (under 4 GiB)" },
  [`${P}.mem_table_stop_writes_threshold`]: { doc: "Memtables waiting to be flushed at which pebble stops writes" },
  [`${P}.read_only`]: { doc: "Open the pebble datastore read-only" },
  [`${P}.wal_bytes_per_sync`]: { doc: "Bytes written to pebble's WAL between background syncs; 0 for none" },
  [`${P}.levels`]: { doc: "Per-level pebble options, level 0 first: block sizes, compression, target_file_size" },
};
