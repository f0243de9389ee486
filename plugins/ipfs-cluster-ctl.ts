import { definePlugin, v } from "kitcfg";
import type { PluginContext, PluginIssue } from "kitcfg";
import { ctlServiceCheck } from "./ipfs-cluster/checks.ts";
import type { CtlTarget } from "./ipfs-cluster/checks.ts";
import { clusterCtlKeyDocs } from "./ipfs-cluster/ctl-docs.ts";
import { dialNetwork, multiaddrProblem, multiaddrProtocols, tcpEndpoint } from "kitcfg";

// Facts: tests/fixtures/FORMATS.md §6 (ipfs-cluster v1.1.6 cmd/ipfs-cluster-ctl/main.go).
// ipfs-cluster-ctl reads no configuration file: it takes global flags only. kitcfg keeps
// them in ~/.ipfs-cluster/ctl/config.json (the file the older ipfs_kit_py tool reserved, which
// it never filled, §10) and `kitcfg args ipfs-cluster-ctl` turns them back into flags.

type CtlConfig = v.InferOutput<typeof schema>;

const NAME = "ipfs-cluster-ctl";
const DEFAULT_HOST = "/ip4/127.0.0.1/tcp/9094";
/** The largest --timeout whose nanoseconds fit Go's int64 time.Duration. */
const MAX_TIMEOUT = 9_223_372_036;

const schema = v.object({
  /** --host: the REST API multiaddr(s); several are tried in turn. */
  host: v.optional(v.union([v.string(), v.array(v.string())])),
  /** --basic-auth user[:password]; ctl splits at the first ":", so the user name cannot hold one. */
  basic_auth: v.optional(v.nullable(v.object({ username: v.string(), password: v.optional(v.string()) }))),
  /** --https. The scheme ctl uses: kitcfg passes --force-http when credentials go over plain HTTP. */
  https: v.optional(v.boolean()),
  /** --no-check-certificate (only with https). */
  no_check_certificate: v.optional(v.boolean()),
  /** --encoding: text or json. */
  encoding: v.optional(v.picklist(["text", "json"])),
  /**
   * --timeout in seconds; 0 waits forever. main.go multiplies it by time.Second in an int64 of
   * nanoseconds, so more than MAX_TIMEOUT seconds wraps around to a nonsense timeout.
   */
  timeout: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_TIMEOUT))),
  /** --secret: the cluster secret, needed only for /p2p/ and /dnsaddr/ hosts (libp2p). */
  secret: v.optional(v.string()),
  /** --force-http: kept for files that say so; `https` decides the scheme. */
  force_http: v.optional(v.boolean()),
  /** --debug. */
  debug: v.optional(v.boolean()),
});

export default definePlugin({
  name: NAME,
  summary: "IPFS Cluster CLI client: REST API host, credentials, output (as flags: kitcfg args)",
  aliases: ["ipfs_cluster_ctl"],
  files: {
    // Holds the basic-auth password and possibly the cluster secret: 0600 in a 0700 folder.
    main: { path: "~/.ipfs-cluster/ctl/config.json", format: "json", secret: true, style: { indent: 2 } },
  },
  schema,
  secrets: ["basic_auth.password", "secret"],
  keyDocs: clusterCtlKeyDocs,
  // ctl's own flag defaults (main.go).
  defaults: () => ({
    host: DEFAULT_HOST,
    https: false,
    no_check_certificate: false,
    encoding: "text" as const,
    timeout: 0,
    debug: false,
  }),
  validate: validateCtl,
  args: ctlArgs,
  checks: [ctlServiceCheck(NAME, "ipfs-cluster-service", (config) => ctlTarget(config as CtlConfig))],
});

/**
 * The flags that make ctl behave as configured, one `--name=value` word each. ctl turns on
 * HTTPS by itself when it gets credentials (main.go `app.Before`), so plain HTTP with
 * credentials needs --force-http; and a CLUSTER_CREDENTIALS variable in the environment would
 * add credentials the configuration does not have, so an empty --basic-auth overrides it.
 */
function ctlArgs(config: CtlConfig, ctx: PluginContext): string[] {
  const flags = [`--host=${hosts(config).join(",")}`];
  const user = flagText(config.basic_auth?.username) ?? "";
  if (config.https === true) flags.push("--https");
  if (config.https === true && config.no_check_certificate === true) flags.push("--no-check-certificate");
  if (user !== "") {
    const password = flagText(config.basic_auth?.password) ?? "";
    flags.push(`--basic-auth=${password === "" ? user : `${user}:${password}`}`);
    if (config.https !== true) flags.push("--force-http");
  } else if (ctx.env.CLUSTER_CREDENTIALS) flags.push("--basic-auth=");
  const secret = flagText(config.secret);
  if (secret) flags.push(`--secret=${secret}`);
  const encoding = flagText(config.encoding);
  if (encoding && encoding !== "text") flags.push(`--encoding=${encoding}`);
  const timeout = flagText(config.timeout);
  if (timeout && timeout !== "0") flags.push(`--timeout=${timeout}`);
  if (config.debug === true) flags.push("--debug");
  return flags;
}

/** A setting as a flag's text; undefined for a value of another JSON type (an object), which `validate` refuses. */
function flagText(value: unknown): string | undefined {
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}

function validateCtl(config: CtlConfig): PluginIssue[] {
  const issues: PluginIssue[] = [];
  const add = (key: string, message: string, severity: PluginIssue["severity"] = "error") =>
    void issues.push({ key, message, severity });
  const list = hosts(config);
  if (list.length === 0) add("host", "is empty: ctl needs at least one REST API multiaddr");
  for (const host of list) {
    // main.go app.Before: ma.NewMultiaddr of each comma-separated host, or ctl exits.
    const problem = multiaddrProblem(host);
    if (problem) add("host", `${JSON.stringify(host)} is not a valid multiaddr: ${problem}`);
    // api/rest/client/transports.go enableLibp2p: a peer needs an address to dial.
    else if (/^\/(p2p|ipfs)\/[^/]+\/?$/.test(host))
      add(
        "host",
        `${JSON.stringify(host)} has a peer ID but no address to reach it: put the peer's multiaddr before /p2p/`,
      );
    else {
      const problem = clientProblem(host);
      if (problem) add("host", `${JSON.stringify(host)} ${problem}`);
    }
  }
  const auth = config.basic_auth;
  if (auth) {
    if (auth.username === "")
      add(
        "basic_auth.username",
        "is empty: ctl sends no credentials without a user name; use null for no authentication",
      );
    if (auth.username.includes(":"))
      add(
        "basic_auth.username",
        'contains ":": ctl splits user:password at the first ":", so the user name would be cut there',
      );
    if (!config.https && list.some((host) => !isLoopback(host))) {
      add(
        "https",
        "is false while basic_auth is set and a host is not on this machine: " +
          "the password would cross the network in clear",
        "warning",
      );
    }
  }
  if (config.secret) secretIssues(config.secret, list.some(isLibp2pHost), add);
  if (config.no_check_certificate && !config.https)
    add("no_check_certificate", "has no effect without https", "warning");
  if (config.force_http && config.https)
    add("force_http", "has no effect: https is true, so ctl uses HTTPS", "warning");
  return issues;
}

/**
 * main.go decodes --secret as hex whatever the host (an error exits); the libp2p transport
 * then wants exactly 32 bytes (api/rest/client/transports.go enableLibp2p).
 */
function secretIssues(
  secret: string,
  libp2p: boolean,
  add: (key: string, message: string, severity?: PluginIssue["severity"]) => void,
): void {
  if (!/^([0-9a-fA-F]{2})*$/.test(secret))
    add("secret", "is not hexadecimal: ctl decodes it as hex (an even number of 0-9, a-f) and exits otherwise");
  else if (secret.length !== 64)
    add(
      "secret",
      `must be the cluster secret: 64 hexadecimal characters (32 bytes), it has ${secret.length}`,
      libp2p ? "error" : "warning",
    );
  if (!libp2p) add("secret", "is only used for /p2p/ or /dnsaddr/ hosts (libp2p), and no host is one", "warning");
}

/**
 * Why ctl cannot build a client for one host (api/rest/client/client.go NewDefaultClient, run for
 * every host by NewLBClient in main.go app.Before, which exits on its error). A /p2p/ address is
 * dialled with libp2p (IsPeerAddress) and must end in /p2p/<id> (transports.go enableLibp2p ->
 * peer.AddrInfoFromP2pAddr, which reads the last part only). Any other address but a unix socket
 * goes through manet.DialArgs (setupHostname), which needs an IP or DNS host first. A /dnsaddr/
 * or DNS name is resolved first and left alone here.
 */
function clientProblem(host: string): string | undefined {
  const protocols = multiaddrProtocols(host) ?? [];
  if (protocols.some((name) => ["dnsaddr", "dns", "dns4", "dns6"].includes(name))) return undefined;
  if (protocols.includes("p2p") || protocols.includes("ipfs")) {
    return ["p2p", "ipfs"].includes(protocols.at(-1)!)
      ? undefined
      : "has /p2p/ before its end: ctl reaches a peer only at an address that ends in /p2p/<peer ID>";
  }
  if (protocols.includes("unix") || dialNetwork(host) !== undefined) return undefined;
  return "does not start with an IP address or DNS name ctl can reach: write /ip4/<address>/tcp/<port>";
}

function ctlTarget(config: CtlConfig): CtlTarget {
  return {
    hosts: hosts(config),
    https: config.https === true,
    username: config.basic_auth?.username || undefined,
    password: config.basic_auth?.password,
    secret: config.secret || undefined,
  };
}

/** --host takes comma-separated multiaddrs; the file may hold them as a string or a list. */
function hosts(config: CtlConfig): string[] {
  const value = config.host ?? DEFAULT_HOST;
  const list = Array.isArray(value) ? value : value.split(",");
  return list.map((host) => host.trim()).filter((host) => host !== "");
}

function isLibp2pHost(host: string): boolean {
  return /\/(p2p|ipfs|dnsaddr)\//.test(host);
}

function isLoopback(host: string): boolean {
  if (host.startsWith("/unix/")) return true;
  const endpoint = tcpEndpoint(host);
  return endpoint !== undefined && ["127.0.0.1", "::1", "localhost"].includes(endpoint.host);
}
