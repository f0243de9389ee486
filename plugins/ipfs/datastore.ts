import { posix } from "node:path";
import { GO_INTEGER_RANGES, goTrimSpace, parseByteSize } from "kitcfg";

// The "disk spec" kubo keeps in `$IPFS_PATH/datastore_spec` and compares, byte for byte
// after trimming, with the one it computes from Datastore.Spec on every start (kubo
// repo/fsrepo/fsrepo.go openDatastore, readSpec; repo/fsrepo/datastores.go). Each datastore
// type keeps only the fields that say where and how data sits on disk:
// - mount: its mounts, sorted by mount point (descending), each its child's disk spec plus
//   the cleaned `mountpoint`;
// - measure and log: their child's disk spec (the wrapper adds nothing);
// - mem: nothing;
// - flatfs: type, path, shardFunc (normalized); levelds, badgerds, pebbleds: type, path
//   (plugin/plugins/*/*.go DiskSpec).
// Each plugin's DatastoreConfigParser runs first and refuses parameters of the wrong type.
// The result is Go's compact `json.Marshal` of a map: keys sorted, `<>&` escaped.

/** What reducing a Datastore.Spec gave: the file's text, or why it cannot be computed. */
export type DiskSpecResult =
  | { ok: true; text: string }
  /** `pluginType` is set when the spec names a type only a kubo plugin provides (e.g. s3ds). */
  /** `problem` names where in the spec, e.g. `mounts.0: "path" is missing`. */
  | { ok: false; problem: string; pluginType?: string };

/** Types built into kubo, each with the check of its own fields. */
const BUILT_IN = new Set(["mount", "measure", "log", "mem", "flatfs", "levelds", "badgerds", "pebbleds"]);

/** The plugin each datastore type comes from (each plugin/plugins/<name>/<name>.go: Name, DatastoreTypeName). */
const TYPE_PLUGINS: Record<string, string> = {
  flatfs: "ds-flatfs",
  levelds: "ds-level",
  badgerds: "ds-badgerds",
  pebbleds: "ds-pebble",
};

/** badger v1.6.2 db.go Open: ValueLogFileSize from 1<<20 to 2<<30 bytes. */
const BADGER_VLOG_MIN = 2 ** 20;
const BADGER_VLOG_MAX = 2 ** 31;

/**
 * pebble v2.1.5 format_major_version.go: FormatMinSupported (FormatFlushableIngest) and
 * internalFormatNewest (FormatValueSeparation); open.go maxMemTableSize, MaxUint32OrInt on 64 bits.
 */
const PEBBLE_FORMATS = { min: 13, max: 24 };
const PEBBLE_MAX_MEMTABLE = 2 ** 32 - 1;

/** The keys kubo's pebbleds plugin reads with getConfigInt. */
const PEBBLE_INT_KEYS = [
  "cacheSize",
  "bytesPerSync",
  "formatMajorVersion",
  "l0CompactionThreshold",
  "l0StopWritesThreshold",
  "lBaseMaxBytes",
  "maxConcurrentCompactions",
  "memTableSize",
  "memTableStopWritesThreshold",
  "walBytesPerSync",
  "walMinSyncIntervalSeconds",
];

/** The largest Go int on 64 bits, which strconv.Atoi reads. */
const INT64_MAX = GO_INTEGER_RANGES.int64[1];

/** The prefix every flatfs shard function starts with (go-ds-flatfs shard.go PREFIX). */
const SHARD_PREFIX = "/repo/flatfs/shard/";

/** The datastore_spec text kubo derives from a Datastore.Spec. */
export function datastoreDiskSpec(spec: unknown): DiskSpecResult {
  try {
    // A memory-only datastore has no disk spec: Go writes its nil map as `null`.
    return { ok: true, text: goCompactJson(reduce(asFloat64s(spec), "") ?? null) };
  } catch (error) {
    if (error instanceof SpecProblem) return { ok: false, problem: error.message, pluginType: error.pluginType };
    throw error;
  }
}

/**
 * The kubo plugins the datastores of `spec` come from, by plugin name (mount, measure, log and mem
 * are fsrepo's own). A plugin that Plugins.Plugins disables is never loaded (plugin/loader/loader.go
 * Load), so its type is unknown to fsrepo (datastores.go AnyDatastoreConfig).
 */
export function datastorePlugins(spec: unknown): string[] {
  if (typeof spec !== "object" || spec === null) return [];
  const { type, mounts, child } = spec as Spec;
  const own = typeof type === "string" && Object.hasOwn(TYPE_PLUGINS, type) ? [TYPE_PLUGINS[type]!] : [];
  const children = Array.isArray(mounts) ? mounts : [child];
  return [...own, ...children.flatMap(datastorePlugins)];
}

/** Go's `json.Marshal` of decoded JSON: compact, map keys sorted, `<`, `>`, `&`, U+2028/9 escaped. */
export function goCompactJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goCompactJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${goString(k)}:${goCompactJson((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return typeof value === "string" ? goString(value) : JSON.stringify(value ?? null);
}

// --- internal ---

class SpecProblem extends Error {
  constructor(
    message: string,
    readonly pluginType?: string,
  ) {
    super(message);
  }
}

type Spec = Record<string, unknown>;

/**
 * `node` as kubo decodes it into map[string]any: every number a float64, so an integer kitcfg
 * read exactly (a bigint, past 2^53) is the double nearest to it, as Go's ParseFloat rounds it.
 */
function asFloat64s(node: unknown): unknown {
  if (typeof node === "bigint") return Number(node);
  if (Array.isArray(node)) return node.map(asFloat64s);
  if (typeof node !== "object" || node === null) return node;
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, asFloat64s(value)]));
}

/** `at` is the place in the spec, "" or ending with ": ", for messages. */
function reduce(node: unknown, at: string): Spec | undefined {
  if (typeof node !== "object" || node === null || Array.isArray(node))
    throw new SpecProblem(`${at}expected an object`);
  const spec = node as Spec;
  const type = spec.type;
  if (typeof type !== "string") throw new SpecProblem(`${at}"type" is missing or not a string`);
  if (!BUILT_IN.has(type)) throw new SpecProblem(`${at}datastore type "${type}" is not built into kubo`, type);
  switch (type) {
    case "mount":
      return reduceMount(spec, at);
    case "measure":
    case "log": {
      if (typeof spec.child !== "object" || spec.child === null)
        throw new SpecProblem(`${at}a ${type} datastore needs a "child" object`);
      const label = type === "measure" ? "prefix" : "name";
      if (typeof spec[label] !== "string") throw new SpecProblem(`${at}a ${type} datastore needs a "${label}" string`);
      return reduce(spec.child, `${at}child: `);
    }
    case "mem":
      return undefined;
    case "flatfs":
      if (typeof spec.sync !== "boolean") throw new SpecProblem(`${at}flatfs needs "sync" (true or false)`);
      return { type, path: pathOf(spec, at), shardFunc: shardFunction(spec.shardFunc, at) };
    case "levelds":
      if (![undefined, null, "", "none", "snappy"].includes(spec.compression as string)) {
        throw new SpecProblem(
          `${at}levelds "compression" must be "none" or "snappy", got ${JSON.stringify(spec.compression)}`,
        );
      }
      return { type, path: pathOf(spec, at) };
    case "badgerds": {
      const path = pathOf(spec, at);
      checkBadgerParams(spec, at);
      return { type, path };
    }
    default: {
      // pebbleds, the one built-in type left
      const path = pathOf(spec, at);
      checkPebbleParams(spec, at);
      return { type, path };
    }
  }
}

/**
 * kubo plugin/plugins/badgerds/badgerds.go DatastoreConfigParser: syncWrites and truncate,
 * when present (null included), are booleans; vlogFileSize a string humanize.ParseBytes reads.
 * badger v1.6.2 Open then wants the value log file size from 1MiB to 2GiB (ErrValueLogSize).
 */
function checkBadgerParams(spec: Spec, at: string): void {
  for (const key of ["syncWrites", "truncate"]) {
    if (key in spec && typeof spec[key] !== "boolean")
      throw new SpecProblem(`${at}badgerds "${key}" must be true or false, got ${JSON.stringify(spec[key])}`);
  }
  if (!("vlogFileSize" in spec)) return;
  const size = spec.vlogFileSize;
  const shown = JSON.stringify(size);
  if (typeof size !== "string")
    throw new SpecProblem(`${at}badgerds "vlogFileSize" must be a string such as "1GiB", got ${shown}`);
  const bytes = parseByteSize(size);
  if (bytes === undefined)
    throw new SpecProblem(`${at}badgerds "vlogFileSize" ${shown} is not a byte size such as 512MiB or 1GiB`);
  if (bytes < BADGER_VLOG_MIN || bytes > BADGER_VLOG_MAX)
    throw new SpecProblem(`${at}badgerds "vlogFileSize" must be from 1MiB to 2GiB (badger v1), got ${shown}`);
}

/**
 * kubo plugin/plugins/pebbleds/pebbleds.go DatastoreConfigParser: each key it reads, when
 * present (null included), is a JSON number (getConfigInt takes any float64 and truncates it)
 * or, for disableWAL, a boolean (getConfigBool). It always hands pebble its options (a
 * formatMajorVersion of 0 becomes the newest), which pebble's Open checks once
 * EnsureDefaults has put its defaults in place of the values not above 0 (pebble v2.1.5
 * options.go Validate; kubo pins v2.1.6, go-ds-pebble v0.5.12 datastore.go NewDatastore).
 */
function checkPebbleParams(spec: Spec, at: string): void {
  for (const key of PEBBLE_INT_KEYS) {
    if (key in spec && typeof spec[key] !== "number")
      throw new SpecProblem(`${at}pebbleds "${key}" must be a number, got ${JSON.stringify(spec[key])}`);
  }
  if ("disableWAL" in spec && typeof spec.disableWAL !== "boolean")
    throw new SpecProblem(`${at}pebbleds "disableWAL" must be true or false, got ${JSON.stringify(spec.disableWAL)}`);
  const int = (key: string) => Math.trunc((spec[key] as number | undefined) ?? 0);
  const refuse = (key: string, rule: string) =>
    new SpecProblem(
      `${at}pebbleds "${key}" ${rule}, got ${key in spec ? JSON.stringify(spec[key]) : "none"}: pebble does not open`,
    );
  const format = int("formatMajorVersion");
  if (format !== 0 && (format < PEBBLE_FORMATS.min || format > PEBBLE_FORMATS.max))
    throw refuse("formatMajorVersion", `must be 0 (the newest) or ${PEBBLE_FORMATS.min} to ${PEBBLE_FORMATS.max}`);
  const orDefault = (key: string, fallback: number) => (int(key) > 0 ? int(key) : fallback);
  const compaction = orDefault("l0CompactionThreshold", 4);
  if (orDefault("l0StopWritesThreshold", 12) < compaction)
    throw refuse("l0StopWritesThreshold", `(0 or less: 12) must be at least l0CompactionThreshold (${compaction})`);
  // MemTableSize is a uint64 made of the int: a negative size is a huge one.
  const memTable = int("memTableSize");
  if (memTable < 0 || memTable >= PEBBLE_MAX_MEMTABLE)
    throw refuse("memTableSize", `must be from 0 (4 MiB) to ${PEBBLE_MAX_MEMTABLE - 1} bytes`);
  if (int("memTableStopWritesThreshold") === 1)
    throw refuse("memTableStopWritesThreshold", "must be at least 2 (0: 2)");
}

function reduceMount(spec: Spec, at: string): Spec {
  if (!Array.isArray(spec.mounts)) throw new SpecProblem(`${at}a mount datastore needs a "mounts" list`);
  const mounts = spec.mounts.map((mount, i) => {
    const child = reduce(mount, `${at}mounts.${i}: `) ?? {};
    const point = (mount as Spec).mountpoint;
    if (typeof point !== "string") throw new SpecProblem(`${at}mounts.${i}: "mountpoint" is missing or not a string`);
    return { ...child, mountpoint: cleanKey(point) };
  });
  // Go sorts the mounts by mount point, longest-prefix-first order (descending).
  mounts.sort((a, b) => (a.mountpoint > b.mountpoint ? -1 : a.mountpoint < b.mountpoint ? 1 : 0));
  return { type: "mount", mounts };
}

function pathOf(spec: Spec, at: string): string {
  if (typeof spec.path !== "string") throw new SpecProblem(`${at}"path" is missing or not a string`);
  return spec.path;
}

/**
 * go-ds-flatfs ParseShardFunc, then String(): `/repo/flatfs/shard/v1/<name>/<n>`. The length is
 * read by strconv.Atoi (an int64: "value out of range" past it), and a negative one makes kubo
 * panic: Prefix and Suffix pad with strings.Repeat("_", n) ("negative Repeat count"), NextToLast
 * with n+1 of them, and with -1 its slice of every key is out of range on the first block read or write.
 */
function shardFunction(value: unknown, at: string): string {
  // ParseShardFunc trims with strings.TrimSpace.
  const text = typeof value === "string" ? goTrimSpace(value) : "";
  if (!text.startsWith(SHARD_PREFIX))
    throw new SpecProblem(`${at}"shardFunc" must start with ${SHARD_PREFIX}, got ${JSON.stringify(value)}`);
  const match = /^v1\/(prefix|suffix|next-to-last)\/([+-]?\d+)$/.exec(text.slice(SHARD_PREFIX.length));
  if (!match)
    throw new SpecProblem(
      `${at}"shardFunc" must be ${SHARD_PREFIX}v1/(prefix|suffix|next-to-last)/N, got ${JSON.stringify(value)}`,
    );
  const length = BigInt(match[2]!);
  if (length < 0n || length > INT64_MAX)
    throw new SpecProblem(
      `${at}"shardFunc" must end in a length from 0 to ${INT64_MAX} (kubo panics on a negative one), ` +
        `got ${JSON.stringify(value)}`,
    );
  return `${SHARD_PREFIX}v1/${match[1]}/${length}`;
}

/** go-datastore `Key.Clean`: a leading slash, `path.Clean`'d. */
function cleanKey(key: string): string {
  if (key === "") return "/";
  const cleaned = posix.normalize(key.startsWith("/") ? key : `/${key}`);
  return cleaned.length > 1 && cleaned.endsWith("/") ? cleaned.slice(0, -1) : cleaned;
}

function goString(text: string): string {
  return JSON.stringify(text).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
