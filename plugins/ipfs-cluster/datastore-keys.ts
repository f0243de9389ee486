import { goPointer, v } from "kitcfg";
import { bool, finite, INT64, int, num, opt, slot, str, uint, uint32 } from "./go-types.ts";

// The keys of service.json's datastore components at ipfs-cluster v1.1.6 (datastore/*/config.go),
// part of `KEYS` (component-keys.ts).

/** What the badger and badger3 sections share: the section's own keys, and the head of badger_options. */
const badgerSection = { folder: str, gc_discard_ratio: num, gc_interval: str, gc_sleep: str };
const badgerOptions = { dir: str, value_dir: str, sync_writes: bool, num_versions_to_keep: int };

/** Each datastore component's keys, by the component that reads them. */
export const DATASTORE_KEYS = {
  pebble: {
    folder: str,
    // datastore/pebble/config.go pebbleOptions: the JSON types Go decodes (durations are integer nanoseconds).
    pebble_options: opt(
      v.object({
        cache_size_bytes: int,
        bytes_per_sync: int,
        disable_wal: bool,
        flush_delay_delete_range: int,
        flush_delay_range_key: int,
        flush_split_bytes: int,
        format_major_version: uint,
        l0_compaction_file_threshold: int,
        l0_compaction_threshold: int,
        l0_stop_writes_threshold: int,
        l_base_max_bytes: int,
        max_open_files: int,
        mem_table_size: uint,
        mem_table_stop_writes_threshold: int,
        read_only: bool,
        wal_bytes_per_sync: int,
        // levelOptions, one per LSM level: plain ints. filter_type and filter_policy are pebble's
        // FilterType and bloom.FilterPolicy, both `int` with no JSON unmarshaler of their own.
        levels: opt(
          v.array(
            slot(
              v.object({
                block_restart_interval: int,
                block_size: int,
                block_size_threshold: int,
                compression: int,
                filter_type: int,
                filter_policy: int,
                index_block_size: int,
                target_file_size: int,
              }),
            ),
          ),
        ),
      }),
    ),
  },
  // The storage libraries' options, as each backend's own struct decodes them (datastore/badger,
  // badger3, leveldb config.go). The named enum types are Go integers with no JSON unmarshaler of
  // their own: badger's loading modes (*options.FileLoadingMode, an int), badger3's compression
  // (options.CompressionType, a uint32) and checksum mode (options.ChecksumVerificationMode, an
  // int); the values the store opens with are checked in components.ts `badgerModeIssues`.
  badger: {
    ...badgerSection,
    badger_options: opt(
      v.object({
        ...badgerOptions,
        // *options.FileLoadingMode (datastore/badger/config.go): a null one is nil.
        table_loading_mode: goPointer(opt(INT64)),
        value_log_loading_mode: goPointer(opt(INT64)),
        max_table_size: int,
        level_size_multiplier: int,
        max_levels: int,
        value_threshold: int,
        num_memtables: int,
        num_level_zero_tables: int,
        num_level_zero_tables_stall: int,
        level_one_size: int,
        value_log_file_size: int,
        value_log_max_entries: uint32,
        num_compactors: int,
        compact_l_0_on_close: bool,
        read_only: bool,
        truncate: bool,
      }),
    ),
  },
  badger3: {
    ...badgerSection,
    badger_options: opt(
      v.object({
        ...badgerOptions,
        read_only: bool,
        compression: uint32,
        in_memory: bool,
        metrics_enabled: bool,
        num_goroutines: int,
        mem_table_size: int,
        base_table_size: int,
        base_level_size: int,
        level_size_multiplier: int,
        table_size_multiplier: int,
        max_levels: int,
        v_log_percentile: num,
        value_threshold: int,
        num_memtables: int,
        block_size: int,
        bloom_false_positive: num,
        block_cache_size: int,
        index_cache_size: int,
        num_level_zero_tables: int,
        num_level_zero_tables_stall: int,
        value_log_file_size: int,
        value_log_max_entries: uint32,
        num_compactors: int,
        compact_l_0_on_close: bool,
        lmax_compaction: bool,
        zstd_compression_level: int,
        verify_value_checksum: bool,
        checksum_verification_mode: int,
        detect_conflicts: bool,
        namespace_offset: int,
      }),
    ),
  },
  leveldb: {
    folder: str,
    leveldb_options: opt(
      v.object({
        block_cache_capacity: int,
        block_cache_evict_removed: bool,
        block_restart_interval: int,
        block_size: int,
        compaction_expand_limit_factor: int,
        compaction_gp_overlaps_factor: int,
        compaction_l0_trigger: int,
        compaction_source_limit_factor: int,
        compaction_table_size: int,
        compaction_table_size_multiplier: num,
        compaction_table_size_multiplier_per_level: opt(v.array(slot(finite))),
        compaction_total_size: int,
        compaction_total_size_multiplier: num,
        compaction_total_size_multiplier_per_level: opt(v.array(slot(finite))),
        compression: uint,
        disable_buffer_pool: bool,
        disable_block_cache: bool,
        disable_compaction_backoff: bool,
        disable_large_batch_transaction: bool,
        iterator_sampling_rate: int,
        no_sync: bool,
        no_write_merge: bool,
        open_files_cache_capacity: int,
        read_only: bool,
        strict: uint,
        write_buffer: int,
        write_l0_pause_trigger: int,
        write_l0_slowdown_trigger: int,
      }),
    ),
  },
} as const;
