import type { PluginContext } from "kitcfg";
import type { RepoFacts } from "./rules.ts";

/**
 * What kubo sees of the repo beside the config, read through the context: the repo version its
 * version file says (when it says one) and whether it holds a swarm.key (repo/fsrepo/fsrepo.go
 * SwarmKey), which makes kubo join a private network.
 */
export function repoFactsOf(ctx: PluginContext): RepoFacts {
  const versionPath = ctx.paths.version;
  const text = versionPath === undefined ? undefined : ctx.readText(versionPath)?.trim();
  const config = ctx.paths.config;
  return {
    version: text !== undefined && /^[+-]?\d+$/.test(text) ? Number(text) : undefined,
    privateNetwork: config !== undefined && ctx.readText(config.replace(/config$/, "swarm.key")) !== undefined,
  };
}
