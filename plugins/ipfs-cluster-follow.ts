import { join } from "node:path";
import { definePlugin, expandVars } from "kitcfg";
import type { Config, PluginContext, PluginIssue } from "kitcfg";
import {
  applyClusterChanges,
  clusterDefaults,
  clusterFacts,
  primeClusterIdentity,
  IDENTITY_STYLE,
  maxSocketPath,
  SERVICE_STYLE,
} from "./ipfs-cluster/shared.ts";
import type { Change } from "./ipfs-cluster/shared.ts";
import { followerWaitCheck, kuboApiCheck } from "./ipfs-cluster/checks.ts";
import { followerListens } from "./ipfs-cluster/listens.ts";
import { clusterFollowKeyDocs } from "./ipfs-cluster/docs.ts";
import { repairCluster } from "./ipfs-cluster/repair.ts";
import { CLUSTER_SECRETS, clusterSchema } from "./ipfs-cluster/schema.ts";
import { unreadCluster } from "./ipfs-cluster/go-reading.ts";
import { validateCluster } from "./ipfs-cluster/validate.ts";

// Facts: tests/fixtures/FORMATS.md §5 (ipfs-cluster v1.1.6 cmd/ipfs-cluster-follow/main.go,
// commands.go). One folder per followed cluster, <base>/<clusterName>/, with the same
// service.json and identity.json writers as the service. `init <url>` writes a service.json
// holding only {"source": url}; a full local service.json is read like the service's.

const NAME = "ipfs-cluster-follow";
/** The cluster name the older ipfs_kit_py installer followed (FORMATS.md §10). */
const DEFAULT_INSTANCE = "ipfs-kit-cluster";
/** `--gateway` default (main.go): host and port without a scheme. */
const DEFAULT_GATEWAY = "127.0.0.1:8080";

export default definePlugin({
  name: NAME,
  summary: "IPFS Cluster follower peers: one service.json (often just a source URL) and identity.json per cluster",
  aliases: ["ipfs_cluster_follow"],
  files: {
    service: {
      path: (ctx) => `${followBase(ctx)}/${ctx.instance}/service.json`,
      format: "json",
      secret: true,
      style: SERVICE_STYLE,
    },
    identity: {
      path: (ctx) => `${followBase(ctx)}/${ctx.instance}/identity.json`,
      format: "json",
      mount: "identity",
      secret: true,
      style: IDENTITY_STYLE,
    },
  },
  schema: clusterSchema,
  // Go's encoding/json matches keys whatever their case (component names in a section only as
  // written): get, set and unset do too; validate judges each spelling (ipfs-cluster/keys.ts).
  caseInsensitiveKeys: "lookup",
  secrets: CLUSTER_SECRETS,
  keyDocs: clusterFollowKeyDocs,
  defaults: async (ctx) => {
    // A follower serves its REST API on a unix socket and ignores api.restapi (commands.go runCmd).
    const { api, ...rest } = (await clusterDefaults(ctx)) as { api: Record<string, unknown> };
    const { restapi: _ignored, ...apis } = api;
    return { ...rest, api: apis } as Config;
  },
  validate: async (config, ctx) => {
    await primeClusterIdentity(config, ctx.env);
    return [
      ...(await validateCluster(config, ctx, { name: NAME, mainFile: "service", follower: true })),
      ...socketIssues(ctx),
    ];
  },
  update: (config, changes, ctx) =>
    applyClusterChanges(
      config,
      changes.map((change) => withGatewaySource(change, ctx)),
    ),
  instances: {
    default: DEFAULT_INSTANCE,
    list: listClusters,
  },
  facts: clusterFacts,
  listens: followerListens,
  unread: unreadCluster,
  checks: [kuboApiCheck(NAME, { follower: true }), followerWaitCheck(NAME)],
  running: (ctx) => {
    // While it runs, the follower listens on <folder>/api-socket; Go removes the socket when it stops.
    const socket = join(ctx.paths.service!, "..", "api-socket");
    return ctx.fileKind(socket) === "socket"
      ? `${NAME} ${ctx.instance} appears to be running (${socket} exists): restart it to read the new configuration`
      : undefined;
  },
  repair: (texts, ctx) => repairCluster(texts, ctx, { main: "service", identity: "identity" }),
});

/** `--config`/$IPFS_CLUSTER_PATH, else ~/.ipfs-cluster-follow (main.go). */
function followBase(ctx: PluginContext): string {
  return ctx.env.IPFS_CLUSTER_PATH ? expandVars(ctx.env.IPFS_CLUSTER_PATH, ctx.env) : "~/.ipfs-cluster-follow";
}

/**
 * `run` serves the REST API on <base>/<clusterName>/api-socket (main.go socketAddress; the base
 * made absolute), and stops ("creating REST API component") when Go cannot bind a path that
 * long, unless CLUSTER_RESTAPI_HTTPLISTENMULTIADDRESS moves the API (commands.go runCmd,
 * ApplyEnvVars). Under --root the daemon's home is not known: "~" is counted as nothing.
 */
function socketIssues(ctx: PluginContext): PluginIssue[] {
  if (ctx.env.CLUSTER_RESTAPI_HTTPLISTENMULTIADDRESS) return [];
  const socket = ctx.daemonPath(`${followBase(ctx)}/${ctx.instance}/api-socket`).replace(/^~/, "");
  const bytes = new TextEncoder().encode(socket).length;
  const limit = maxSocketPath();
  if (bytes <= limit) return [];
  return [
    {
      key: "",
      message:
        `the follower's API socket ${socket} is ${bytes} bytes long, past the ${limit} a unix socket ` +
        "path may have, so `ipfs-cluster-follow run` fails to start: use a shorter cluster name or " +
        "IPFS_CLUSTER_PATH, or set CLUSTER_RESTAPI_HTTPLISTENMULTIADDRESS",
    },
  ];
}

/**
 * A source that is not an http(s) URL is a DNSLink name, fetched through a gateway as
 * `<gateway>/ipns/<name>` (initCluster). Upstream's default gateway has no scheme, which Go's
 * http.Get cannot fetch; kitcfg adds `http://` so the follower can start. An /ipns/ or /ipfs/
 * path is taken as the gateway path it already is: upstream would put /ipns/ before it
 * (`<gateway>/ipns//ipns/<name>`), which no gateway resolves.
 */
function withGatewaySource(change: Change, ctx: PluginContext): Change {
  if (change.op !== "set" || change.path.join(".") !== "source" || typeof change.value !== "string") return change;
  const source = change.value;
  // Go's http.Get takes a scheme in any case; upstream's test (strings.HasPrefix) does not.
  if (source === "" || /^https?:\/\//i.test(source)) return change;
  const gateway = (ctx.env.IPFS_GATEWAY || DEFAULT_GATEWAY).replace(/(?<!\/)\/+$/, "");
  const base = /^[a-z][a-z0-9+.-]*:\/\//i.test(gateway) ? gateway : `http://${gateway}`;
  const path = /^\/(ipns|ipfs)\/[^/]/.test(source) ? source : `/ipns/${source}`;
  return { ...change, value: `${base}${path}` };
}

/** The cluster names with a service.json in the base folder, as `ipfs-cluster-follow` lists them. */
function listClusters(ctx: PluginContext): string[] {
  const base = followBase(ctx);
  // Names kitcfg cannot take as an instance (spaces, a leading dot) are left out.
  return (ctx.listDir(base) ?? []).filter(
    (name) => /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(name) && ctx.exists(`${base}/${name}/service.json`),
  );
}
