import { definePlugin, urlCheck, v } from "kitcfg";
import type { Config, Listener, PluginIssue } from "kitcfg";
import { isGoDuration } from "kitcfg";
import { excludedProblem, ipniIssues, providerEndpoint, providerProblem, reaches } from "./lassie/providers.ts";
import { lassieKeyDocs } from "./lassie/docs.ts";
import { countIssues, timeoutIssues } from "./lassie/rules.ts";
import { ipFamily, tcpEndpoint } from "kitcfg";

/** Lotus's own API address (its default config.toml, FORMATS.md §2): it serves no retrievals. */
const LOTUS_API_DEFAULT = "/ip4/127.0.0.1/tcp/1234/http";

// Facts: tests/fixtures/FORMATS.md §3 (filecoin-project/lassie cmd/lassie/daemon.go,
// flags.go). `lassie daemon` reads no file: only flags and LASSIE_* variables. kitcfg keeps
// ~/.lassie/config.json (the older tool's file, ipfs_kit_py daemon_config_manager.py) as the
// source of truth and writes lassie.env beside it, so that systemd's `EnvironmentFile=`
// gives the daemon exactly this configuration. Keys are the daemon's flag names in
// snake_case; `args` gives the same settings as flags.

type LassieConfig = v.InferOutput<typeof schema>;

/** Each setting's variable and flag (urfave/cli: a flag wins over its variable). */
const OPTIONS: Record<string, { env?: string; flag: string }> = {
  address: { env: "LASSIE_ADDRESS", flag: "--address" },
  port: { env: "LASSIE_PORT", flag: "--port" },
  max_blocks: { env: "LASSIE_MAX_BLOCKS_PER_REQUEST", flag: "--maxblocks" },
  libp2p_lowwater: { env: "LASSIE_LIBP2P_CONNECTIONS_LOWWATER", flag: "--libp2p-conns-lowwater" },
  libp2p_highwater: { env: "LASSIE_LIBP2P_CONNECTIONS_HIGHWATER", flag: "--libp2p-conns-highwater" },
  concurrent_sp_retrievals: { env: "LASSIE_CONCURRENT_SP_RETRIEVALS", flag: "--concurrent-sp-retrievals" },
  protocols: { env: "LASSIE_SUPPORTED_PROTOCOLS", flag: "--protocols" },
  providers: { env: "LASSIE_ALLOW_PROVIDERS", flag: "--providers" },
  exclude_providers: { env: "LASSIE_EXCLUDE_PROVIDERS", flag: "--exclude-providers" },
  temp_directory: { env: "LASSIE_TEMP_DIRECTORY", flag: "--tempdir" },
  bitswap_concurrency: { env: "LASSIE_BITSWAP_CONCURRENCY", flag: "--bitswap-concurrency" },
  bitswap_concurrency_per_retrieval: {
    env: "LASSIE_BITSWAP_CONCURRENCY_PER_RETRIEVAL",
    flag: "--bitswap-concurrency-per-retrieval",
  },
  global_timeout: { env: "LASSIE_GLOBAL_TIMEOUT", flag: "--global-timeout" },
  provider_timeout: { env: "LASSIE_PROVIDER_TIMEOUT", flag: "--provider-timeout" },
  event_recorder_url: { env: "LASSIE_EVENT_RECORDER_URL", flag: "--event-recorder-url" },
  event_recorder_auth: { env: "LASSIE_EVENT_RECORDER_AUTH", flag: "--event-recorder-auth" },
  event_recorder_instance_id: { env: "LASSIE_EVENT_RECORDER_INSTANCE_ID", flag: "--event-recorder-instance-id" },
  // Flags only: lassie declares no variable for these two (FORMATS.md §3, §11).
  ipni_endpoint: { flag: "--ipni-endpoint" },
  access_token: { flag: "--access-token" },
};

/** The older tool's keys that mean a lassie option, read as that option and kept under their old name. */
const OLDER_NAMES: Record<string, string> = {
  // Its whole-retrieval timeout is lassie's --global-timeout.
  retrieval_timeout: "global_timeout",
  // Its concurrent bitswap retrievals are lassie's concurrent bitswap requests.
  bitswap_concurrent: "bitswap_concurrency",
};

/** The older tool's keys that lassie has nothing like (per-peer limits, HTTP concurrency). */
const OLDER_ONLY = ["bitswap_requests_per_peer", "http_concurrent", "http_requests_per_peer"] as const;

// Every value ends up on one line of lassie.env (urfave/cli reads LASSIE_* as given): no
// control characters. Counts stay within what JSON numbers hold exactly, so the env file
// never gets "1e+21", which urfave/cli's ParseInt/ParseUint refuse.
const count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));
/**
 * An IntFlag's count (urfave/cli `strconv.ParseInt`): a negative one is read too. Lassie uses
 * the bitswap ones only above 0 and hands the libp2p ones to the connection manager as they are
 * (see negativeIssues).
 */
const signedCount = v.pipe(
  v.number(),
  v.integer(),
  v.minValue(-Number.MAX_SAFE_INTEGER),
  v.maxValue(Number.MAX_SAFE_INTEGER),
);
const line = v.pipe(v.string(), v.regex(/^[^\x00-\x1f\x7f]*$/, "expected text on one line"));
const duration = v.pipe(
  v.string(),
  v.check((text: string) => isGoDuration(text), "expected a Go duration such as 20s, 30m or 1h30m"),
);
// urlCheck refuses tabs and line breaks, which WHATWG URL parsing would drop.
const httpUrl = v.pipe(v.string(), urlCheck(["http", "https"]));
/**
 * The daemon listens on fmt.Sprintf("%s:%d", address, port) (pkg/server/http/server.go):
 * a host name or an IPv4 address, an IPv6 one in brackets; a port here, or a bare IPv6
 * address, makes net.Listen fail ("too many colons in address"). An empty
 * one (urfave/cli takes an empty LASSIE_ADDRESS as given) listens on every interface.
 */
const address = v.pipe(
  v.string(),
  v.regex(
    /^([^\s:[\]\x00-\x1f]*|\[[0-9A-Fa-f:.]+(%[^\]\s]+)?\])$/,
    "expected a host name or IP address without a port (IPv6 in brackets: [::1])",
  ),
);
/**
 * `--ipni-endpoint`: only a flag (`kitcfg args`, split by the shell at blanks), read only when no
 * provider is given (main.go buildLassieConfigFromCLIContext), so what it must be is judged in validate.
 */
const flagWord = v.pipe(
  v.string(),
  v.regex(/^[^\x00-\x20\x7f]*$/, "expected one word (no blanks or control characters): lassie takes it as a flag"),
);
const schema = v.object({
  address: v.optional(address),
  /** 0 asks the kernel for a random free port each start (lassie's default). */
  port: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535))),
  max_blocks: v.optional(count),
  libp2p_lowwater: v.optional(signedCount),
  libp2p_highwater: v.optional(signedCount),
  concurrent_sp_retrievals: v.optional(count),
  protocols: v.optional(
    v.pipe(
      v.array(v.picklist(["bitswap", "graphsync", "http"])),
      v.minLength(1, "expected a JSON array of one or more of bitswap, graphsync, http"),
    ),
  ),
  providers: v.optional(v.array(v.string())),
  exclude_providers: v.optional(v.array(v.string())),
  /** Empty is the system's temporary folder, as unset (os.CreateTemp in pkg/storage). */
  temp_directory: v.optional(line),
  bitswap_concurrency: v.optional(signedCount),
  bitswap_concurrency_per_retrieval: v.optional(signedCount),
  global_timeout: v.optional(duration),
  provider_timeout: v.optional(duration),
  event_recorder_url: v.optional(httpUrl),
  event_recorder_auth: v.optional(line),
  event_recorder_instance_id: v.optional(line),
  ipni_endpoint: v.optional(flagWord),
  access_token: v.optional(line),
  bitswap_requests_per_peer: v.optional(count),
  http_concurrent: v.optional(count),
  http_requests_per_peer: v.optional(count),
});

export default definePlugin({
  name: "lassie",
  summary: "Lassie retrieval daemon: settings as LASSIE_* variables (lassie.env) and flags",
  files: {
    config: {
      path: "~/.lassie/config.json",
      format: "json",
      style: { indent: 2 },
      decode: readOlderNames,
      encode: keepOlderNames,
    },
    env: {
      path: "~/.lassie/lassie.env",
      format: "env",
      header: "# Lassie settings, written by kitcfg from config.json; change them with `kitcfg update lassie`.\n",
      derive: (config) => lassieEnv(config as LassieConfig),
    },
  },
  schema,
  secrets: ["event_recorder_auth", "access_token"],
  keyDocs: lassieKeyDocs,
  // Lassie's own defaults (daemon.go, flags.go, pkg/lassie), written out; the whole-retrieval
  // timeout is the older tool's 30m (lassie has none by default).
  defaults: () => ({
    address: "127.0.0.1",
    port: 0,
    protocols: ["bitswap", "graphsync", "http"] as const satisfies string[],
    global_timeout: "30m",
    provider_timeout: "20s",
    bitswap_concurrency: 32,
    bitswap_concurrency_per_retrieval: 12,
  }),
  validate: (config) => {
    const issues: PluginIssue[] = [];
    (config.providers ?? []).forEach((item, i) => {
      const problem = item.includes(",")
        ? "holds a comma, which separates providers in LASSIE_ALLOW_PROVIDERS"
        : providerProblem(item);
      if (problem) issues.push({ key: "providers", message: `item ${i} ${JSON.stringify(item)} ${problem}` });
    });
    (config.exclude_providers ?? []).forEach((item, i) => {
      const problem = excludedProblem(item);
      if (problem) issues.push({ key: "exclude_providers", message: `item ${i} ${JSON.stringify(item)} ${problem}` });
    });
    issues.push(...ipniIssues(config.ipni_endpoint, (config.providers ?? []).length > 0));
    if (new Set(config.protocols).size !== (config.protocols ?? []).length)
      issues.push({ key: "protocols", severity: "warning", message: "names a protocol twice" });
    issues.push(...countIssues(config), ...timeoutIssues(config));
    if (config.temp_directory && !config.temp_directory.startsWith("/")) {
      issues.push({
        key: "temp_directory",
        severity: "warning",
        message: "is not an absolute path: lassie takes it as given, relative to where it starts (no ~ expansion)",
      });
    }
    for (const key of OLDER_ONLY) {
      if (config[key] !== undefined)
        issues.push({
          key,
          severity: "warning",
          message: "is the older tool's setting: lassie has no such option and ignores it",
        });
    }
    return issues;
  },
  // For a shell: every variable but the secret ones, which a shell would keep in its
  // history and environment dumps; those stay in lassie.env (0600), for `EnvironmentFile=`.
  env: (config) => lassieEnv({ ...config, event_recorder_auth: undefined }),
  // Every setting as a flag, for `lassie daemon $(kitcfg args lassie)`: the two that have
  // no variable (ipni_endpoint, access_token) can only be given this way.
  args: (config) =>
    Object.entries(OPTIONS).flatMap(([key, { flag }]) => {
      const value = text(config[key as keyof LassieConfig]);
      return value === undefined ? [] : [`${flag}=${value}`];
    }),
  listens: (config) => daemonListens(config as LassieConfig),
  checks: [{ needs: ["lotus"], run: (configs) => providersVsLotus(configs.lassie as LassieConfig, configs.lotus!) }],
});

// --- internal ---

/**
 * `lassie daemon`'s HTTP server (pkg/server/http/server.go NewHttpServer): Go's net.Listen("tcp",
 * fmt.Sprintf("%s:%d", address, port)), so on 0.0.0.0 (or no address) one socket for IPv6 and
 * IPv4; port 0 (the default) is a free one each start. Its libp2p host for retrievals takes
 * go-libp2p's default addresses, all port 0 (pkg/net/host/host.go InitHost, no ListenAddrs).
 */
function daemonListens(config: LassieConfig): Listener[] {
  const port = typeof config.port === "number" ? config.port : 0;
  const host = typeof config.address === "string" ? config.address : "127.0.0.1";
  const bare = host.replace(/^\[(.*)\]$/, "$1");
  const family = host === "" ? 4 : ipFamily(bare);
  const head = host === "" ? "/ip4/0.0.0.0" : family === 0 ? `/dns/${host}` : `/ip${family}/${bare}`;
  return [{ key: "port", address: `${head}/tcp/${port}`, dualStack: true }];
}

/** The LASSIE_* variables for the settings that have one; lists comma-separated, as lassie splits them. */
function lassieEnv(config: LassieConfig): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [key, { env }] of Object.entries(OPTIONS)) {
    const value = config[key as keyof LassieConfig];
    if (!env || (Array.isArray(value) && value.length === 0)) continue;
    const given = text(value);
    if (given !== undefined) vars[env] = given;
  }
  return vars;
}

/**
 * A setting as lassie's flag or variable text (a list comma-separated); undefined for none, and for a
 * value of another JSON type (an object), which `validate` refuses: nothing to give for it.
 */
function text(value: unknown): string | undefined {
  const scalar = (item: unknown) => typeof item === "string" || typeof item === "number" || typeof item === "boolean";
  if (Array.isArray(value)) return value.every(scalar) ? value.join(",") : undefined;
  return scalar(value) ? String(value) : undefined;
}

function readOlderNames(raw: unknown): unknown {
  const config = { ...(raw as Record<string, unknown>) };
  for (const [older, name] of Object.entries(OLDER_NAMES)) {
    if (!(older in config)) continue;
    if (!(name in config)) config[name] = config[older];
    delete config[older];
  }
  return config;
}

/** A setting read from an older name is written back under it, so the file keeps its keys. */
function keepOlderNames(value: unknown, previous: unknown): unknown {
  const before = (previous ?? {}) as Record<string, unknown>;
  const out = { ...(value as Record<string, unknown>) };
  for (const [older, name] of Object.entries(OLDER_NAMES)) {
    if (older in before && !(name in before) && name in out) {
      out[older] = out[name];
      delete out[name];
    }
  }
  return out;
}

/**
 * A provider at lotus's API address: the Lotus JSON-RPC API serves no retrievals (the older
 * tool's default "127.0.0.1:1234" meant "the local Lotus"), so lassie can fetch nothing there.
 * An error when it is the only provider (every retrieval fails), else a warning.
 */
function providersVsLotus(lassie: LassieConfig, lotus: Config): PluginIssue[] {
  const api = ((lotus.API ?? {}) as { ListenAddress?: string }).ListenAddress ?? LOTUS_API_DEFAULT;
  const listen = tcpEndpoint(api);
  const providers = lassie.providers ?? [];
  if (!listen) return [];
  const hits = providers.filter((p) => {
    const target = providerEndpoint(p);
    return target !== undefined && reaches(target, listen);
  });
  return hits.map((hit) => ({
    key: "providers",
    severity: hits.length === providers.length ? "error" : "warning",
    message:
      `lists ${JSON.stringify(hit)}, which is lotus "API.ListenAddress" (${api}): ` +
      "the Lotus JSON-RPC API serves no retrievals, so lassie cannot fetch from it" +
      (hits.length === providers.length ? " and, with no other provider, every retrieval fails" : ""),
  }));
}
