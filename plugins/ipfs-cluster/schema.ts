import { GO_INTEGER_RANGES, goJsonMap, goPointer, goRawJson, v } from "kitcfg";

// The keys of service.json that ipfs-cluster v1.1.6 reads, component by component, with the
// JSON types Go's decoder accepts (a wrong type fails the whole load). Sources: each
// component's `jsonConfig` struct (cluster_config.go, api/common/config.go,
// api/ipfsproxy/config.go, ipfsconn/ipfshttp/config.go, consensus/*/config.go,
// pintracker/stateless, monitor/pubsubmon, allocator/balanced, informer/*, observations,
// datastore/*) and tests/fixtures/FORMATS.md §4. Objects are non-strict, as Go ignores
// keys it does not know; the validator warns about them. Durations and multiaddrs are
// plain strings here: the validator checks them with messages that say what is wrong.
// JSON null is accepted everywhere: config/config.go loads a null section or component as a
// missing one (its default), and each component decodes into a fresh struct, where encoding/json
// leaves a null field at its zero value, as if the key were missing (validate reads it so).
// config/config.go decodes service.json's top level into its jsonConfig, which holds `cluster`
// as a *json.RawMessage and each other section as a map of them (`jsonSection`): marked so
// (`goRawJson`, `goJsonMap`), a text read as Go reads it (`readJsonAsGo`) gets the later `cluster`
// or component whole, a section's components by exact name, and the members inside merged.

/** Absent or null: Go keeps the field's zero value. */
const opt = <T extends v.GenericSchema>(schema: T) => v.optional(v.nullable(schema));
/** An item of a list or a value of a map: null holds the zero value there. */
const slot = <T extends v.GenericSchema>(schema: T) => v.nullable(schema);

const str = opt(v.string());
/**
 * Go's int is 64-bit on the builds cluster ships; encoding/json reads an integer field from the
 * number's text (strconv.ParseInt / ParseUint) and refuses one outside the field's range
 * ("cannot unmarshal number ... into Go struct field"), which fails the load. kitcfg reads an
 * integer past 2^53 as a bigint with every digit, judged here exactly; a double (written with a
 * fraction or exponent, which `floatLiteralIssues` reports) passes up to 2^63 or 2^64, and
 * `integerLimitIssues` (keys.ts) judges it as kitcfg would write it.
 */
export const INT64 = goInteger("int64", 2 ** 63);
export const UINT64 = goInteger("uint64", 2 ** 64);
const int = opt(INT64);
const uint = opt(UINT64);
const bool = opt(v.boolean());
/**
 * A float64 field: encoding/json's strconv.ParseFloat fails the load on a number too large for
 * a double (`1e400`), which JSON.parse reads as Infinity.
 */
const finite = v.pipe(
  v.union([v.number(), v.bigint()]),
  // An integer past 2^53 (a bigint) is read as the double nearest to it.
  v.check((n) => Number.isFinite(Number(n)), "expected a number within Go's float64 range"),
);
const num = opt(finite);
/** Go uint32 (badger's value_log_max_entries): exact in a double, so the schema alone decides. */
export const UINT32 = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2 ** 32 - 1));
const uint32 = opt(UINT32);
const list = opt(v.array(slot(v.string())));
/** Go `config.Strings`: one string or a list of them. */
const strings = opt(v.union([v.string(), v.array(slot(v.string()))]));

/** What the badger and badger3 sections share: the section's own keys, and the head of badger_options. */
const badgerSection = { folder: str, gc_discard_ratio: num, gc_interval: str, gc_sleep: str };
const badgerOptions = { dir: str, value_dir: str, sync_writes: bool, num_versions_to_keep: int };

/** Each group of keys by what reads it; their key lists drive the unknown-key warnings. */
export const KEYS = {
  cluster: {
    peername: str,
    secret: str,
    leave_on_shutdown: bool,
    listen_multiaddress: strings,
    announce_multiaddress: strings,
    no_announce_multiaddress: strings,
    enable_relay_hop: bool,
    // Pointers to structs (cluster_config.go configJSON): a null one is nil, the defaults.
    connection_manager: goPointer(opt(v.object({ high_water: int, low_water: int, grace_period: str }))),
    resource_manager: goPointer(
      opt(v.object({ enabled: bool, memory_limit_bytes: uint, file_descriptors_limit: uint })),
    ),
    pubsub: goPointer(
      opt(
        v.object({
          seen_messages_ttl: str,
          heartbeat_interval: str,
          d_factor: int,
          history_gossip: int,
          history_length: int,
          flood_publish: bool,
        }),
      ),
    ),
    dial_peer_timeout: str,
    state_sync_interval: str,
    pin_recover_interval: str,
    replication_factor_min: int,
    replication_factor_max: int,
    monitor_ping_interval: str,
    peer_watch_interval: str,
    mdns_interval: str,
    pin_only_on_trusted_peers: bool,
    pin_only_on_untrusted_peers: bool,
    disable_repinning: bool,
    follower_mode: bool,
    peerstore_file: str,
    peer_addresses: list,
    // Pre-0.11 layout: the identity lived here; the daemon moves it into identity.json.
    id: str,
    private_key: str,
  },
  httpApi: {
    http_listen_multiaddress: strings,
    ssl_cert_file: str,
    ssl_key_file: str,
    read_timeout: str,
    read_header_timeout: str,
    write_timeout: str,
    idle_timeout: str,
    max_header_bytes: int,
    libp2p_listen_multiaddress: strings,
    id: str,
    private_key: str,
    basic_auth_credentials: opt(v.record(v.string(), slot(v.string()))),
    http_log_file: str,
    headers: opt(v.record(v.string(), slot(v.array(slot(v.string()))))),
    cors_allowed_origins: list,
    cors_allowed_methods: list,
    cors_allowed_headers: list,
    cors_exposed_headers: list,
    cors_allow_credentials: bool,
    cors_max_age: str,
  },
  ipfsproxy: {
    listen_multiaddress: strings,
    node_multiaddress: str,
    node_https: bool,
    log_file: str,
    read_timeout: str,
    read_header_timeout: str,
    write_timeout: str,
    idle_timeout: str,
    max_header_bytes: int,
    extract_headers_extra: list,
    extract_headers_path: str,
    extract_headers_ttl: str,
  },
  ipfshttp: {
    node_multiaddress: str,
    connect_swarms_delay: str,
    ipfs_request_timeout: str,
    pin_timeout: str,
    unpin_timeout: str,
    repogc_timeout: str,
    informer_trigger_interval: int,
    unpin_disable: bool,
  },
  crdt: {
    cluster_name: str,
    trusted_peers: list,
    batching: opt(v.object({ max_batch_size: int, max_batch_age: str, max_queue_size: int })),
    repair_interval: str,
    rebroadcast_interval: str,
    peerset_metric: str,
    datastore_namespace: str,
  },
  raft: {
    data_folder: str,
    init_peerset: list,
    wait_for_leader_timeout: str,
    network_timeout: str,
    commit_retries: int,
    commit_retry_delay: str,
    backups_rotate: int,
    datastore_namespace: str,
    heartbeat_timeout: str,
    election_timeout: str,
    commit_timeout: str,
    max_append_entries: int,
    trailing_logs: uint,
    snapshot_interval: str,
    snapshot_threshold: uint,
    leader_lease_timeout: str,
  },
  stateless: {
    max_pin_queue_size: int,
    concurrent_pins: int,
    priority_pin_max_age: str,
    priority_pin_max_retries: int,
  },
  pubsubmon: { check_interval: str },
  balanced: { allocate_by: list },
  disk: { metric_ttl: str, metric_type: str },
  tags: { metric_ttl: str, tags: opt(v.record(v.string(), slot(v.string()))) },
  pinqueue: { metric_ttl: str, weight_bucket_size: int },
  metrics: { enable_stats: bool, prometheus_endpoint: str, reporting_interval: str },
  tracing: { enable_tracing: bool, jaeger_agent_endpoint: str, sampling_prob: num, service_name: str },
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
  identity: { id: str, private_key: str },
} as const;

/** Section -> the components ipfs-cluster v1.1.6 registers in it (cmdutils/configs.go). */
export const COMPONENTS: Record<string, Record<string, keyof typeof KEYS | "opaque">> = {
  consensus: { crdt: "crdt", raft: "raft" },
  api: { ipfsproxy: "ipfsproxy", pinsvcapi: "httpApi", restapi: "httpApi" },
  ipfs_connector: { ipfshttp: "ipfshttp" },
  state: {},
  pin_tracker: { stateless: "stateless" },
  monitor: { pubsubmon: "pubsubmon" },
  allocator: { balanced: "balanced" },
  // informer/numpin exists, but its registration is commented out in cmdutils/configs.go.
  informer: { disk: "disk", pinqueue: "pinqueue", tags: "tags" },
  observations: { metrics: "metrics", tracing: "tracing" },
  datastore: { badger: "badger", badger3: "badger3", leveldb: "leveldb", pebble: "pebble" },
};

/** The logical config: service.json at the root, identity.json at `identity`. */
export const clusterSchema = v.object({
  /** A remote configuration URL: the daemon fetches the whole config from there. */
  source: str,
  cluster: goRawJson(opt(v.object(KEYS.cluster))),
  ...Object.fromEntries(
    Object.entries(COMPONENTS).map(([section, components]) => [
      section,
      goJsonMap(
        opt(
          v.object(Object.fromEntries(Object.entries(components).map(([name, kind]) => [name, componentSchema(kind)]))),
        ),
      ),
    ]),
  ),
  identity: opt(v.object(KEYS.identity)),
});

/** Key paths whose values never leave kitcfg: the cluster secret and every private key or password. */
export const CLUSTER_SECRETS = [
  "cluster.secret",
  // Where the older tool wrote them (repair moves them): secret all the same until then.
  "secret",
  "private_key",
  "cluster.private_key",
  "identity.private_key",
  "api.restapi.basic_auth_credentials.*",
  "api.restapi.private_key",
  "api.pinsvcapi.basic_auth_credentials.*",
  "api.pinsvcapi.private_key",
];

/**
 * Why a Go integer field of `kind` refuses `value` (an integer read exactly), or undefined when it
 * loads it: outside the field's range, encoding/json stops the load.
 */
export function goRangeProblem(kind: keyof typeof GO_INTEGER_RANGES, value: bigint): string | undefined {
  const [min, max] = GO_INTEGER_RANGES[kind];
  if (value >= min && value <= max) return undefined;
  return (
    `is ${value}, outside Go's ${kind} range: ipfs-cluster refuses to load it; ` +
    `write ${value > max ? `at most ${max}` : `at least ${min}`}`
  );
}

// --- internal ---

/**
 * A Go integer field of `kind`: a bigint (an integer past 2^53) judged exactly; a double, which
 * stands for every integer that rounds to it, up to `limit`, past which none is within range.
 */
function goInteger(kind: "int64" | "uint64", limit: number) {
  const min = Number(GO_INTEGER_RANGES[kind][0]);
  return v.pipe(
    v.union([v.number(), v.bigint()]),
    v.check(
      (n) => (typeof n === "bigint" ? true : Number.isInteger(n) && n >= min && n <= limit),
      `expected an integer within Go's ${kind} range`,
    ),
    v.check(
      (n) => typeof n !== "bigint" || goRangeProblem(kind, n) === undefined,
      (issue) => goRangeProblem(kind, issue.input as bigint)!,
    ),
  );
}

/** A component as its section holds it: raw JSON, decoded by the component's own LoadJSON. */
function componentSchema(kind: keyof typeof KEYS | "opaque") {
  return goRawJson(kind === "opaque" ? opt(v.record(v.string(), v.unknown())) : opt(v.object(KEYS[kind])));
}
