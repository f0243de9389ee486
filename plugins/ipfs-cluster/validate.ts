import { isObject } from "./shared.ts";
import { clusterIssues } from "./cluster-section.ts";
import { apiIssues, componentIssues, datastoreIssues } from "./components.ts";
import { consensusIssues } from "./consensus.ts";
import { mergeDaemonEnvIssues, omittedIssues, sourcedIssues, withDaemonEnv } from "./daemon-env.ts";
import { unknownKeys, unusedKeys } from "./ignored-keys.ts";
import { canonicalClusterKeys, floatLiteralIssues, integerLimitIssues } from "./keys.ts";
import { serviceAsGo } from "./go-reading.ts";
import { clusterSchema } from "./schema.ts";
import { sourceIssues, unreadWithSource } from "./source.ts";
import { identityMatch } from "./values.ts";
import type { Add } from "./values.ts";
import { goJsonNulls, goJsonTextProblem } from "kitcfg";
import type { Config, PluginContext, PluginIssue } from "kitcfg";

// The loading rules of ipfs-cluster v1.1.6, as the daemon applies them to service.json and
// identity.json (tests/fixtures/FORMATS.md §4; config/config.go, config/identity.go,
// cluster_config.go, api/common/config.go, cmdutils/configs.go, cmdutils/state.go and each
// component's applyJSONConfig/Validate). A missing key reads as Go's zero value.

export interface ValidateClusterOptions {
  /** The plugin's name, for the commands messages suggest. */
  name: string;
  /** The follower: it runs crdt only and replaces the REST API with a unix socket. */
  follower?: boolean;
  /** The file key of service.json in `ctx.paths`, for files named relative to its folder. */
  mainFile: string;
}

/**
 * Every issue the daemon would raise (errors) or silently work around (warnings), reading the
 * files and then, as it does at every start, the CLUSTER_* variables of `ctx.env` over them.
 */
export async function validateCluster(
  written: Config,
  ctx: PluginContext,
  options: ValidateClusterOptions,
): Promise<PluginIssue[]> {
  // A key given twice: service.json as the daemon decodes it, not as its parse keeps it.
  const asGo = await serviceAsGo(written, ctx, options.mainFile);
  const read = asGo?.config ?? written;
  const fileIssues = [...(asGo?.issues ?? []), ...validateFile(read, ctx, options, asGo !== undefined)];
  const view = withDaemonEnv(read, ctx.env);
  if (!view) return fileIssues;
  const envIssues = [
    ...validateFile(view.config, ctx, options, asGo !== undefined),
    ...omittedIssues(view, ctx, options),
  ];
  const sourced = sourcedIssues(view, ctx, options, clusterIssues);
  return [...mergeDaemonEnvIssues(fileIssues, envIssues, view), ...sourced];
}

// --- internal ---

/** `asGo`: `written` is service.json as Go decodes it (keys already matched), not the text's parse. */
function validateFile(
  written: Config,
  ctx: PluginContext,
  options: ValidateClusterOptions,
  asGo: boolean,
): PluginIssue[] {
  const issues: PluginIssue[] = [];
  const add: Add = (key, message, severity = "error") => {
    issues.push({ key, message, severity });
  };
  // A null anywhere reads as Go reads it: a null section, component or field as a missing one.
  const config = goJsonNulls(clusterSchema, asGo ? written : canonicalClusterKeys(written, add)) as Config;
  const text = ctx.paths[options.mainFile] ? ctx.readText(ctx.paths[options.mainFile]!) : undefined;
  // With a source, the sections are decoded as raw JSON only: their numbers are not read either.
  const sourced = unreadWithSource(config).length > 0;
  if (text !== undefined && !sourced && !asGo) floatLiteralIssues(text, written, add);
  // Every file is read with encoding/json, which stops on a byte-order mark (config.go, identity.go).
  // (While validating, ctx.readText gives the text just read, not a second read of the file.)
  for (const path of Object.values(ctx.paths)) {
    const problem = goJsonTextProblem(ctx.readText(path) ?? "");
    if (problem) add("", `${path} ${problem}`);
  }
  if (!sourced) integerLimitIssues(text, written, add);
  misplacedKeys(config, options.name, add);
  identityIssues(config, options, add);
  if (typeof config.source === "string" && config.source !== "") {
    sourceIssues(config, add);
    return issues;
  }
  if (!isObject(config.cluster))
    add("cluster", "is missing: the daemon cannot load a service.json without a cluster section");
  else clusterIssues(config.cluster, add);
  consensusIssues(config, add, options.follower ?? false);
  apiIssues(config, ctx, options, add);
  componentIssues(config, add, options);
  // Loading registers every datastore whatever the consensus (NewLoadedConfigHelper passes no
  // consensus to cmdutils/configs.go ConfigHelper.init), so a present section is validated with raft too.
  datastoreIssues(config, add, options.follower);
  unknownKeys(config, add);
  unusedKeys(config, add);
  return issues;
}

function misplacedKeys(config: Config, name: string, add: Add): void {
  // ipfs_kit_py's validator wanted these at the top level (FORMATS.md §10); the daemon reads
  // `secret` under `cluster` and the identity from identity.json, and ignores them here.
  for (const key of ["id", "secret", "private_key"]) {
    if (key in config)
      add(
        key,
        "sits at the top level, where ipfs-cluster ignores it (the older ipfs_kit_py tool put it there): " +
          `\`kitcfg repair ${name}\` moves it`,
      );
  }
}

function identityIssues(config: Config, options: ValidateClusterOptions, add: Add): void {
  const cluster = isObject(config.cluster) ? config.cluster : {};
  if (!isObject(config.identity)) {
    if (typeof cluster.id === "string" && typeof cluster.private_key === "string") {
      add(
        "cluster.id",
        "is the identity in service.json, the pre-0.11 layout: " +
          "the daemon moves it into identity.json on its next start " +
          `(\`kitcfg repair ${options.name}\` does it now)`,
        "warning",
      );
      identityMatch("cluster", cluster.id, cluster.private_key, add);
    } else {
      add(
        "identity",
        "is missing (no identity.json, and no cluster.id/private_key in service.json): the daemon cannot start; " +
          `\`kitcfg repair ${options.name}\` writes a new identity (a new peer ID)`,
      );
    }
    return;
  }
  const { id, private_key: key } = config.identity;
  if (typeof id !== "string" || id === "") add("identity.id", "is missing: identity.json needs the peer ID");
  if (typeof key !== "string" || key === "")
    add("identity.private_key", "is missing: identity.json needs the private key");
  if (typeof id === "string" && id !== "" && typeof key === "string" && key !== "")
    identityMatch("identity", id, key, add);
}
