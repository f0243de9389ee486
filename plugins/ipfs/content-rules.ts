import type { Config, PluginIssue } from "kitcfg";
import { sectionAt } from "kitcfg";
import { durationMs } from "./go.ts";
import { PROVIDE_MOVES } from "./migrate.ts";

// kubo's load-time rules for content: how it imports (chunker, hash, CID version) and provides
// it (strategies, intervals, the Provider and Reprovider settings Provide replaced). Part of
// ./rules.ts `loadTimeIssues`; FORMATS.md "kubo load-time rules".

export const HOUR = 3_600_000;

/**
 * Hash functions go-multihash v0.2.3 names (Names, lower-cased by kubo) that boxo verifcid's
 * DefaultAllowlist allows.
 */
const ALLOWED_HASHES = new Set([
  "identity",
  "sha1",
  "sha2-256",
  "sha2-512",
  "sha3",
  "sha3-224",
  "sha3-256",
  "sha3-384",
  "sha3-512",
  "dbl-sha2-256",
  "keccak-224",
  "keccak-256",
  "keccak-384",
  "keccak-512",
  "blake3",
  "shake-256",
  ...range(20, 64).map((n) => `blake2b-${n * 8}`),
  ...range(20, 32).map((n) => `blake2s-${n * 8}`),
]);

/** Named by go-multihash but refused by verifcid ("is not allowed for use in IPFS"). */
const REFUSED_HASHES = new Set([
  "murmur3-x64-64",
  "shake-128",
  "sha2-256-trunc254-padded",
  "x11",
  "md5",
  "poseidon-bls12_381-a2-fc1",
  ...range(1, 19).map((n) => `blake2b-${n * 8}`),
  ...range(1, 19).map((n) => `blake2s-${n * 8}`),
]);

/** config/import.go ValidateImportConfig (run by core/node/groups.go IPFS). */
export function importIssues(config: Config): PluginIssue[] {
  const imp = sectionAt(config, ["Import"]);
  const issues: PluginIssue[] = [];
  const add = (key: string, message: string) => issues.push({ key: `Import.${key}`, message });
  const num = (key: string) => (typeof imp[key] === "number" ? (imp[key] as number) : undefined);
  const cid = num("CidVersion");
  if (cid !== undefined && cid !== 0 && cid !== 1)
    add("CidVersion", `must be 0 or 1, got ${cid}: kubo refuses to start`);
  positive(num("UnixFSFileMaxLinks"), () => add("UnixFSFileMaxLinks", "must be positive: kubo refuses to start"));
  const dirLinks = num("UnixFSDirectoryMaxLinks");
  if (dirLinks !== undefined && dirLinks < 0)
    add("UnixFSDirectoryMaxLinks", "must not be negative: kubo refuses to start");
  const fanout = num("UnixFSHAMTDirectoryMaxFanout");
  if (fanout !== undefined && (fanout < 8 || fanout > 1024 || (fanout & (fanout - 1)) !== 0)) {
    add("UnixFSHAMTDirectoryMaxFanout", `must be a power of 2 from 8 to 1024, got ${fanout}: kubo refuses to start`);
  }
  positive(num("BatchMaxNodes"), () => add("BatchMaxNodes", "must be positive: kubo refuses to start"));
  positive(num("BatchMaxSize"), () => add("BatchMaxSize", "must be positive: kubo refuses to start"));
  const chunker = imp.UnixFSChunker;
  if (typeof chunker === "string" && !isChunker(chunker)) {
    add(
      "UnixFSChunker",
      `${JSON.stringify(chunker)} is not a chunker kubo reads: ` +
        "use size-<bytes>, rabin-<min>-<avg>-<max> (min <= avg <= max) or buzhash",
    );
  }
  const hash = imp.HashFunction;
  if (typeof hash === "string") {
    const name = hash.toLowerCase();
    if (REFUSED_HASHES.has(name))
      add(
        "HashFunction",
        `${JSON.stringify(hash)} is not allowed for use in IPFS (boxo verifcid): kubo refuses to start`,
      );
    else if (!ALLOWED_HASHES.has(name))
      add(
        "HashFunction",
        `${JSON.stringify(hash)} is not a multihash name kubo knows (e.g. sha2-256, sha2-512, blake3, blake2b-256)`,
      );
  }
  return issues;
}

/** config/provide.go ValidateProvideConfig and ParseProvideStrategy. */
export function provideIssues(config: Config): PluginIssue[] {
  const provide = sectionAt(config, ["Provide"]);
  const dht = sectionAt(provide, ["DHT"]);
  const issues: PluginIssue[] = [];
  const add = (key: string, message: string) => issues.push({ key: `Provide.${key}`, message });
  if (typeof provide.Strategy === "string") {
    const problem = strategyProblem(provide.Strategy);
    if (problem) add("Strategy", `${problem}: kubo refuses to start`);
  }
  const rate = provide.BloomFPRate;
  if (typeof rate === "number" && rate < 1_000_000)
    add("BloomFPRate", `must be at least 1000000 (1 in 1M), got ${rate}: kubo refuses to start`);
  const interval = durationMs(dht.Interval);
  if (interval !== undefined) {
    if (interval > 48 * HOUR)
      add("DHT.Interval", "must be at most 48h, the DHT provider record validity: kubo refuses to start");
    if (interval < 0) add("DHT.Interval", "must not be negative: kubo refuses to start");
    if (interval === 0 && isDefault(provide.Enabled)) {
      add(
        "DHT.Interval",
        "is 0, which no longer turns providing off on its own: " +
          "set Provide.Enabled to false (no providing) or true (no periodic reprovide); kubo refuses to start",
      );
    }
  }
  const workers = dht.MaxWorkers;
  if (typeof workers === "number" && workers <= 0) add("DHT.MaxWorkers", "must be positive: kubo refuses to start");
  for (const key of ["DedicatedPeriodicWorkers", "DedicatedBurstWorkers"]) {
    if (typeof dht[key] === "number" && (dht[key] as number) < 0)
      add(`DHT.${key}`, "must not be negative: kubo refuses to start");
  }
  for (const key of ["MaxProvideConnsPerWorker", "KeystoreBatchSize"])
    positive(dht[key], () => add(`DHT.${key}`, "must be positive: kubo refuses to start"));
  const delay = durationMs(dht.OfflineDelay);
  if (delay !== undefined && delay < 0) add("DHT.OfflineDelay", "must not be negative: kubo refuses to start");
  const timeout = durationMs(dht.SendProviderRecordTimeout);
  if (timeout !== undefined && timeout <= 0)
    add("DHT.SendProviderRecordTimeout", "must be positive: kubo refuses to start");
  return issues;
}

/**
 * daemon.go validateDaemonConfig refuses any Provider or Reprovider setting; in a repo older
 * than version 18, the fs-repo-17-to-18 migration moves them to Provide first (up to version 12,
 * fs-repo-12-to-13 has removed go-ipfs's old Reprovider defaults already: `removed`).
 */
export function deprecatedProviderIssues(
  config: Config,
  migrates: boolean,
  removed: ReadonlyMap<string, number>,
): PluginIssue[] {
  const found: string[] = [];
  const provider = sectionAt(config, ["Provider"]);
  for (const key of ["Enabled", "Strategy", "WorkerCount"])
    if (!isDefault(provider[key])) found.push(`Provider.${key}`);
  const reprovider = sectionAt(config, ["Reprovider"]);
  if (!isDefaultDuration(reprovider.Interval)) found.push("Reprovider.Interval");
  if (!isDefault(reprovider.Strategy)) found.push("Reprovider.Strategy");
  return found.map((key): PluginIssue => {
    const moved = PROVIDE_MOVES[key];
    if (!migrates) {
      const fix = moved ? `move it to ${moved} and remove it here` : "remove it (kubo never read it)";
      return { key, message: `is deprecated and refused by kubo: ${fix}` };
    }
    const dropped = removed.get(key);
    if (dropped !== undefined) {
      const message = `is deprecated: kubo's migration to repo version ${dropped} removes it (an old default)`;
      return { key, severity: "warning", message };
    }
    const what = moved ? `moves it to ${moved}` : "removes it (kubo never read it)";
    return { key, severity: "warning", message: `is deprecated: kubo's migration to repo version 18 ${what}` };
  });
}

/** Unset, as kubo's Optional* types read it. */
export function isDefault(value: unknown): boolean {
  return value === undefined || value === null;
}

// --- internal ---

/** config/import.go isValidChunker: size-N (N > 0), rabin-min-avg-max with min <= avg <= max, or buzhash. */
function isChunker(text: string): boolean {
  if (text === "buzhash") return true;
  const int = /^[+-]?\d+$/;
  if (text.startsWith("size-")) {
    const size = text.slice(5);
    return int.test(size) && !size.startsWith("-") && fitsInt(size) && Number(size) > 0;
  }
  if (!text.startsWith("rabin-")) return false;
  const parts = text.split("-").slice(1);
  if (parts.length !== 3 || !parts.every((p) => int.test(p) && fitsInt(p))) return false;
  const [min, avg, max] = parts.map(Number) as [number, number, number];
  return min <= avg && avg <= max;
}

/** ParseProvideStrategy's complaint about a Provide.Strategy, or undefined when kubo takes it. */
function strategyProblem(text: string): string | undefined {
  const tokens = new Set<string>();
  for (const part of text.split("+")) {
    if (part === "" && text !== "") return `${JSON.stringify(text)} has an empty part between "+" signs`;
    if (!["", "all", "flat", "pinned", "roots", "mfs", "unique", "entities"].includes(part)) {
      return (
        `${JSON.stringify(part)} in ${JSON.stringify(text)} is not a strategy: ` +
        "use all, or pinned, roots, mfs combined with +, with +unique or +entities"
      );
    }
    tokens.add(part === "" || part === "flat" ? "all" : part);
  }
  if (tokens.has("all") && tokens.size > 1)
    return `"all" cannot be combined with other strategies in ${JSON.stringify(text)}`;
  if (tokens.has("unique") || tokens.has("entities")) {
    if (!tokens.has("pinned") && !tokens.has("mfs"))
      return `+unique and +entities need pinned and/or mfs in ${JSON.stringify(text)}`;
    if (tokens.has("roots")) return `+unique and +entities cannot go with roots in ${JSON.stringify(text)}`;
  }
  return undefined;
}

function isDefaultDuration(value: unknown): boolean {
  return isDefault(value) || (typeof value === "string" && ["", "default", "null"].includes(value));
}

function positive(value: unknown, fail: () => void): void {
  if (typeof value === "number" && value <= 0) fail();
}

/** strconv.Atoi on 64 bits. */
function fitsInt(text: string): boolean {
  const n = BigInt(text);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
