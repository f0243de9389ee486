import { dirname, join } from "node:path";
import { definePlugin, expandVars } from "kitcfg";
import type { PluginContext } from "kitcfg";
import {
  applyClusterChanges,
  clusterDefaults,
  clusterFacts,
  primeClusterIdentity,
  IDENTITY_STYLE,
  SERVICE_STYLE,
} from "./ipfs-cluster/shared.ts";
import { kuboApiCheck } from "./ipfs-cluster/checks.ts";
import { CLUSTER_PROFILES } from "./ipfs-cluster/choices.ts";
import { serviceListens } from "./ipfs-cluster/listens.ts";
import { clusterServiceKeyDocs } from "./ipfs-cluster/docs.ts";
import { repairCluster } from "./ipfs-cluster/repair.ts";
import { CLUSTER_SECRETS, clusterSchema } from "./ipfs-cluster/schema.ts";
import { unreadCluster } from "./ipfs-cluster/go-reading.ts";
import { validateCluster } from "./ipfs-cluster/validate.ts";

// Facts: tests/fixtures/FORMATS.md §4 (ipfs-cluster v1.1.6: cmd/ipfs-cluster-service/main.go,
// lock.go, config/config.go, config/identity.go). The folder is $IPFS_CLUSTER_PATH, else
// ~/.ipfs-cluster; service.json is written 2-space indented without a trailing newline,
// identity.json 4-space indented, both 0600 in a 0700 folder.

const NAME = "ipfs-cluster-service";

export default definePlugin({
  name: NAME,
  summary: "IPFS Cluster peer: service.json (cluster secret, consensus, APIs) and identity.json",
  aliases: ["ipfs_cluster_service"],
  files: {
    service: { path: (ctx) => `${clusterPath(ctx)}/service.json`, format: "json", secret: true, style: SERVICE_STYLE },
    identity: {
      path: (ctx) => `${clusterPath(ctx)}/identity.json`,
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
  keyDocs: clusterServiceKeyDocs,
  defaults: clusterDefaults,
  profiles: CLUSTER_PROFILES,
  validate: async (config, ctx) => {
    await primeClusterIdentity(config, ctx.env);
    return validateCluster(config, ctx, { name: NAME, mainFile: "service" });
  },
  update: (config, changes) => applyClusterChanges(config, changes),
  facts: clusterFacts,
  listens: serviceListens,
  unread: unreadCluster,
  checks: [kuboApiCheck(NAME)],
  running: (ctx) => {
    // The daemon holds an fcntl lock on cluster.lock while it runs and leaves the file behind
    // when it stops (lock.go, go-fs-lock), so only a held lock means "running".
    const lock = join(dirname(ctx.paths.service!), "cluster.lock");
    return ctx.isLockHeld(lock)
      ? `${NAME} is running (it holds ${lock}): restart it to read the new configuration`
      : undefined;
  },
  repair: (texts, ctx) => repairCluster(texts, ctx, { main: "service", identity: "identity" }),
});

/** `--config`/$IPFS_CLUSTER_PATH, else ~/.ipfs-cluster (main.go). */
function clusterPath(ctx: PluginContext): string {
  return ctx.env.IPFS_CLUSTER_PATH ? expandVars(ctx.env.IPFS_CLUSTER_PATH, ctx.env) : "~/.ipfs-cluster";
}
