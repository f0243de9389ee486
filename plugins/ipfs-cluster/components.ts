import { dirname, isAbsolute, join } from "node:path";
import { isObject } from "./shared.ts";
import { tlsPairProblems } from "./tls.ts";
import {
  dialAddr,
  duration,
  headerBytes,
  HTTP_API_DURATIONS,
  identityMatch,
  LENIENT_POSITIVE,
  listenAddrs,
  multiaddrs,
  NON_NEGATIVE,
  PARSED,
  portAddr,
  STRICT,
} from "./values.ts";
import type { Add } from "./values.ts";
import type { Config, PluginContext } from "kitcfg";

// The components' own loading rules at ipfs-cluster v1.1.6 (api/common/config.go,
// api/ipfsproxy, ipfsconn/ipfshttp, pintracker/stateless, monitor/pubsubmon, informer/*,
// observations, allocator/balanced: each applyJSONConfig and Validate).

type Obj = Record<string, unknown>;

/** The informers the daemons build, each only when its section is in the file (numpin is not registered). */
const INFORMERS = ["disk", "tags", "pinqueue"];

/** Where the REST API options come from, and whether a follower reads them. */
export interface ApiContext {
  follower?: boolean;
  /** The file key of service.json in `ctx.paths`: TLS files are relative to its folder. */
  mainFile: string;
  /**
   * The APIs in the configuration are loaded and never started: ones the file leaves out, which
   * the daemon loads at their defaults (cmd/ipfs-cluster-service/daemon.go createCluster starts
   * only those IsLoadedFromJSON).
   */
  unstarted?: boolean;
}

/** restapi, pinsvcapi and ipfsproxy. */
export function apiIssues(config: Config, ctx: PluginContext, options: ApiContext, add: Add): void {
  const api = isObject(config.api) ? config.api : {};
  for (const name of ["restapi", "pinsvcapi"]) {
    const section = api[name];
    if (!isObject(section)) continue;
    if (name === "restapi" && options.follower && !options.unstarted) {
      // The follower still loads the section (config.Manager LoadJSON: a bad value fails the
      // start), then replaces it (cmd/ipfs-cluster-follow/commands.go runCmd).
      add(
        "api.restapi",
        "is ignored by ipfs-cluster-follow: " +
          "it serves its REST API on the api-socket in its folder (or CLUSTER_RESTAPI_HTTPLISTENMULTIADDRESS)",
        "warning",
      );
    }
    httpApiIssues(`api.${name}`, section, ctx, options, add);
    // Started from the file by the service only: the follower serves its own socket, no pinsvcapi.
    if (!options.follower && !options.unstarted) {
      listenAddrs(`api.${name}.http_listen_multiaddress`, section.http_listen_multiaddress, add);
      logFileIssues(`api.${name}.http_log_file`, section.http_log_file, ctx, options, add);
    }
  }
  if (isObject(api.ipfsproxy)) {
    const proxy = api.ipfsproxy;
    multiaddrs("api.ipfsproxy.listen_multiaddress", proxy.listen_multiaddress, add);
    if (proxy.node_multiaddress !== undefined && proxy.node_multiaddress !== "")
      multiaddrs("api.ipfsproxy.node_multiaddress", proxy.node_multiaddress, add);
    // The follower loads the proxy's section but never starts it (ipfs-cluster-follow runCmd).
    if (!options.follower && !options.unstarted) {
      listenAddrs("api.ipfsproxy.listen_multiaddress", proxy.listen_multiaddress, add);
      dialAddr("api.ipfsproxy.node_multiaddress", proxy.node_multiaddress, add);
      logFileIssues("api.ipfsproxy.log_file", proxy.log_file, ctx, options, add);
    }
    for (const key of ["read_timeout", "read_header_timeout", "write_timeout", "idle_timeout", "extract_headers_ttl"])
      duration(`api.ipfsproxy.${key}`, proxy[key], NON_NEGATIVE, add);
    headerBytes("api.ipfsproxy.max_header_bytes", proxy.max_header_bytes, add);
  }
}

/** The IPFS connector, pin tracker, monitor, informers, observations and allocator. */
export function componentIssues(config: Config, add: Add, options: { follower?: boolean } = {}): void {
  const get = (section: string, name: string) =>
    isObject(config[section]) ? (config[section] as Obj)[name] : undefined;
  const ipfshttp = get("ipfs_connector", "ipfshttp");
  if (isObject(ipfshttp)) {
    // Parsed unconditionally: an empty or missing address fails the load.
    multiaddrs("ipfs_connector.ipfshttp.node_multiaddress", ipfshttp.node_multiaddress ?? "", add, true);
    dialAddr("ipfs_connector.ipfshttp.node_multiaddress", ipfshttp.node_multiaddress, add);
    for (const key of [
      "connect_swarms_delay",
      "ipfs_request_timeout",
      "pin_timeout",
      "unpin_timeout",
      "repogc_timeout",
    ])
      duration(`ipfs_connector.ipfshttp.${key}`, ipfshttp[key], NON_NEGATIVE, add);
    if (typeof ipfshttp.informer_trigger_interval === "number" && ipfshttp.informer_trigger_interval < 0)
      add("ipfs_connector.ipfshttp.informer_trigger_interval", "cannot be negative");
  }
  const stateless = get("pin_tracker", "stateless");
  if (isObject(stateless)) {
    for (const key of ["max_pin_queue_size", "concurrent_pins", "priority_pin_max_retries"]) {
      if (typeof stateless[key] === "number" && (stateless[key] as number) < 0)
        add(`pin_tracker.stateless.${key}`, "must be greater than 0 (0 keeps the default)");
    }
    duration("pin_tracker.stateless.priority_pin_max_age", stateless.priority_pin_max_age, STRICT, add);
  }
  const pubsubmon = get("monitor", "pubsubmon");
  if (isObject(pubsubmon))
    duration("monitor.pubsubmon.check_interval", pubsubmon.check_interval, LENIENT_POSITIVE, add);
  // Both daemons build an informer only from a section in the file (cmd/ipfs-cluster-service/daemon.go
  // createCluster, cmd/ipfs-cluster-follow/commands.go runCmd: IsLoadedFromJSON); NewCluster refuses none.
  if (!INFORMERS.some((name) => isObject(get("informer", name))))
    add(
      "informer",
      "has no disk, tags or pinqueue section: the daemon builds informers only from those in the file, " +
        'and refuses to start without one ("no informers are passed")',
    );
  const disk = get("informer", "disk");
  if (isObject(disk)) {
    duration("informer.disk.metric_ttl", disk.metric_ttl, LENIENT_POSITIVE, add);
    if (disk.metric_type !== "freespace" && disk.metric_type !== "reposize")
      add(
        "informer.disk.metric_type",
        `must be "freespace" or "reposize", got ${JSON.stringify(disk.metric_type ?? "")}`,
      );
  }
  const tags = get("informer", "tags");
  if (isObject(tags)) duration("informer.tags.metric_ttl", tags.metric_ttl, STRICT, add);
  const pinqueue = get("informer", "pinqueue");
  if (isObject(pinqueue)) {
    duration("informer.pinqueue.metric_ttl", pinqueue.metric_ttl, LENIENT_POSITIVE, add);
    if (typeof pinqueue.weight_bucket_size === "number" && pinqueue.weight_bucket_size < 0)
      add("informer.pinqueue.weight_bucket_size", "cannot be negative");
  }
  const metrics = get("observations", "metrics");
  if (isObject(metrics)) {
    multiaddrs("observations.metrics.prometheus_endpoint", metrics.prometheus_endpoint ?? "", add, true);
    // A negative interval is refused only while stats are on (MetricsConfig.Validate).
    duration(
      "observations.metrics.reporting_interval",
      metrics.reporting_interval,
      metrics.enable_stats === true ? NON_NEGATIVE : PARSED,
      add,
    );
    // The follower turns metrics and tracing off whatever the file says (commands.go runCmd).
    if (metrics.enable_stats === true && !options.follower)
      portAddr("observations.metrics.prometheus_endpoint", metrics.prometheus_endpoint, add);
  }
  const tracing = get("observations", "tracing");
  if (isObject(tracing)) {
    multiaddrs("observations.tracing.jaeger_agent_endpoint", tracing.jaeger_agent_endpoint ?? "", add, true);
    if (tracing.enable_tracing === true && typeof tracing.sampling_prob === "number" && tracing.sampling_prob < 0)
      add("observations.tracing.sampling_prob", "cannot be negative");
    if (tracing.enable_tracing === true && !options.follower)
      portAddr("observations.tracing.jaeger_agent_endpoint", tracing.jaeger_agent_endpoint, add);
  }
  const allocator = get("allocator", "balanced");
  if (!isObject(allocator) && isObject(config.allocator)) {
    add(
      "allocator",
      'has no "balanced" section: the daemon allocates by ["freespace"] (its setting for older files)',
      "warning",
    );
  }
}

/**
 * The datastore backends (datastore/{pebble,badger,badger3,leveldb}/config.go): each merges the
 * file over its defaults (zero values skipped), then validates.
 */
export function datastoreIssues(config: Config, add: Add, follower = false): void {
  const stores = isObject(config.datastore) ? config.datastore : {};
  for (const name of ["badger", "badger3"]) {
    const store = stores[name];
    if (!isObject(store)) continue;
    const ratio = store.gc_discard_ratio;
    // SetIfNotDefault: 0 keeps 0.2; Validate wants 0 < ratio < 1.
    if (typeof ratio === "number" && ratio !== 0 && !(ratio > 0 && ratio < 1))
      add(`datastore.${name}.gc_discard_ratio`, `must be more than 0 and less than 1, got ${ratio}`);
    for (const key of ["gc_interval", "gc_sleep"]) duration(`datastore.${name}.${key}`, store[key], PARSED, add);
    if (isObject(store.badger_options)) {
      // Only crdt opens the store (cmdutils/state.go GetStore; raft keeps its state in memory).
      const opened = follower || (isObject(config.consensus) && isObject(config.consensus.crdt));
      badgerModeIssues(`datastore.${name}.badger_options`, store.badger_options, opened, add);
    }
  }
  const pebble =
    isObject(stores.pebble) && isObject(stores.pebble.pebble_options) ? stores.pebble.pebble_options : undefined;
  if (pebble) pebbleIssues(pebble, add);
}

// --- internal ---

/**
 * The enum options of badger (v1.6.2) and badger3 (v3.2103.5), plain Go integers that decode
 * whatever their value; the store reads them when crdt opens it (a warning when nothing does).
 * Absent, null or (badger3, merged with mergo) 0 keeps cluster's default.
 */
function badgerModeIssues(at: string, options: Obj, opened: boolean, add: Add): void {
  const check = (
    key: string,
    allowed: number[],
    problem: string,
    level: "error" | "warning" = opened ? "error" : "warning",
  ) => {
    const value = options[key];
    const integer = typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value));
    if (integer && !allowed.includes(Number(value))) add(`${at}.${key}`, `is ${value}: ${problem}`, level);
  };
  if (at.startsWith("datastore.badger.")) {
    // badger db.go Open; table/table.go OpenTable (each table at open, and each new one).
    check(
      "value_log_loading_mode",
      [0, 2],
      'badger refuses to open ("Invalid ValueLogLoadingMode"); use 0 (FileIO) or 2 (MemoryMap)',
    );
    check(
      "table_loading_mode",
      [0, 1, 2],
      'badger panics when it opens a table ("Invalid loading mode"); use 0 (FileIO), 1 (LoadToRAM) or 2 (MemoryMap)',
    );
    return;
  }
  // table/builder.go compressData: the first table badger3 writes fails and y.Check exits the daemon.
  check(
    "compression",
    [0, 1, 2],
    'badger3 stops the daemon when it writes its first table ("Unsupported compression type"); ' +
      "use 0 (none), 1 (snappy) or 2 (zstd)",
  );
  // table/table.go: only 1 and 3 verify whole tables, 2 and 3 blocks; any other value verifies nothing.
  check(
    "checksum_verification_mode",
    [0, 1, 2, 3],
    "badger3 reads it as 0 (no verification); use 0 (none), 1 (on table read), 2 (on block read) or 3 (both)",
    "warning",
  );
}

/** pebble's Options.Validate over cluster's defaults (datastore/pebble/config.go `Default`). */
function pebbleIssues(options: Obj, add: Add): void {
  const at = (key: string) => `datastore.pebble.pebble_options.${key}`;
  const read = (key: string, fallback: number) =>
    typeof options[key] === "number" && options[key] !== 0 ? (options[key] as number) : fallback;
  const [compaction, stop] = [read("l0_compaction_threshold", 4), read("l0_stop_writes_threshold", 12)];
  if (stop < compaction)
    add(
      at("l0_stop_writes_threshold"),
      `(${stop}) must be at least l0_compaction_threshold (${compaction}): writes would stall for good`,
    );
  const memtables = read("mem_table_stop_writes_threshold", 20);
  if (memtables < 2) add(at("mem_table_stop_writes_threshold"), `must be at least 2, got ${memtables}`);
  // maxMemTableSize is MaxUint32OrInt, 4294967295 on 64-bit (open.go, internal/constants).
  if (read("mem_table_size", 64 << 20) >= 2 ** 32 - 1)
    add(at("mem_table_size"), `must be less than 4294967295 (4 GiB - 1), got ${options.mem_table_size}`);
  // FormatMinSupported (FormatFlushableIngest, 13) to internalFormatNewest (FormatValueSeparation, 24)
  // in pebble v2.1.5 (format_major_version.go); 0 keeps cluster's default, FormatNewest.
  const format = read("format_major_version", 24);
  if (format < 13 || format > 24)
    add(at("format_major_version"), `must be 13 to 24 (0 keeps the newest, 24), got ${format}`);
}

/**
 * An API's log file, opened with O_CREATE when the API starts (api/common/config.go LogWriter,
 * api/ipfsproxy/ipfsproxy.go New), a relative path from service.json's folder (GetHTTPLogPath,
 * getLogPath): Go creates the file but not its folder, and the daemon fails to start.
 */
function logFileIssues(key: string, file: unknown, ctx: PluginContext, options: ApiContext, add: Add): void {
  if (typeof file !== "string" || file === "") return;
  const base = dirname(ctx.paths[options.mainFile] ?? "");
  const path = isAbsolute(file) ? ctx.resolve(file) : join(base, file);
  const folder = dirname(path);
  const kind = ctx.fileKind(folder);
  if (ctx.fileKind(path) === "folder")
    add(key, `names ${path}, which is a folder: the daemon cannot open it as a log file and fails to start`);
  // kitcfg creates service.json's own folder when it writes the file.
  else if (folder !== base && kind !== "folder")
    add(
      key,
      `names ${path}, but ${folder} ${kind === undefined ? "does not exist" : "is not a folder"}: ` +
        "the daemon creates the log file, not its folder, and fails to start",
    );
}

function httpApiIssues(prefix: string, api: Obj, ctx: PluginContext, options: ApiContext, add: Add): void {
  multiaddrs(`${prefix}.http_listen_multiaddress`, api.http_listen_multiaddress, add);
  for (const key of HTTP_API_DURATIONS) duration(`${prefix}.${key}`, api[key], NON_NEGATIVE, add);
  headerBytes(`${prefix}.max_header_bytes`, api.max_header_bytes, add);
  const creds = api.basic_auth_credentials;
  if (isObject(creds) && Object.keys(creds).length === 0)
    add(`${prefix}.basic_auth_credentials`, "is {}: use null for no authentication, or give at least one user");
  const text = (f: unknown) => (typeof f === "string" ? f : "");
  const [cert, key] = [text(api.ssl_cert_file), text(api.ssl_key_file)];
  if (cert !== "" || key !== "") {
    // Relative paths are taken from the folder of service.json; both files must load.
    const base = dirname(ctx.paths[options.mainFile] ?? "");
    const texts: Record<string, string | undefined> = {};
    for (const [field, file] of [
      ["ssl_cert_file", cert],
      ["ssl_key_file", key],
    ] as const) {
      const path = file === "" ? "" : isAbsolute(file) ? ctx.resolve(file) : join(base, file);
      texts[field] = path === "" ? undefined : ctx.readText(path);
      if (file === "")
        add(`${prefix}.${field}`, "is empty while the other TLS file is set: the daemon needs both to serve HTTPS");
      else if (texts[field] === undefined)
        add(
          `${prefix}.${field}`,
          `names ${path}, which does not exist: the daemon cannot load its TLS certificate and refuses to start`,
        );
    }
    if (texts.ssl_cert_file !== undefined && texts.ssl_key_file !== undefined) {
      const problems = tlsPairProblems(texts.ssl_cert_file, texts.ssl_key_file);
      const tail = ": tls.LoadX509KeyPair fails and the daemon refuses to start";
      if (problems.cert) add(`${prefix}.ssl_cert_file`, problems.cert + tail);
      if (problems.key) add(`${prefix}.ssl_key_file`, problems.key + tail);
    }
  }
  // The libp2p endpoint needs all three, and the ID must be the key's (validateLibp2p).
  const libp2p = [api.id, api.private_key, api.libp2p_listen_multiaddress].map(
    (x) => x !== undefined && x !== "" && !(Array.isArray(x) && x.length === 0),
  );
  if (libp2p.some(Boolean) && !libp2p.every(Boolean))
    add(
      `${prefix}.libp2p_listen_multiaddress`,
      "id, private_key and libp2p_listen_multiaddress must be set together or not at all",
    );
  if (libp2p.every(Boolean)) {
    multiaddrs(`${prefix}.libp2p_listen_multiaddress`, api.libp2p_listen_multiaddress, add);
    if (typeof api.id === "string" && typeof api.private_key === "string")
      identityMatch(prefix, api.id, api.private_key, add);
  }
}
