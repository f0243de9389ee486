import type { Config, PluginIssue } from "kitcfg";
import { clusterVariable, VariableRefused, withClusterEnv, withIdentityEnv } from "./env.ts";
import type { ClusterIdentity } from "./env.ts";
import { isObject, restApiDefaults } from "./shared.ts";

// At every start, `ipfs-cluster-service daemon` and `ipfs-cluster-follow <name> run` load
// service.json, each component validating what the file gives it, and then apply the CLUSTER_*
// variables over what they loaded and validate again (cmdutils/configs.go NewLoadedConfigHelper
// -> config/config.go LoadJSONFileAndEnv -> Manager.ApplyEnvVars; each component's ApplyEnvVars
// runs envconfig over its JSON struct, then applyJSONConfig and Validate). kitcfg sees its own
// environment, not the daemon's, so what it finds this way says so.

/** service.json as the daemon reads it with this environment's CLUSTER_* variables applied. */
export interface DaemonEnvView {
  /** The configuration with the variables applied to every section the file holds. */
  config: Config;
  /** Key path -> the variable that gave its value. */
  sources: Map<string, string>;
  /** The variables a component refuses (the daemon stops at start), one issue each. */
  refusals: PluginIssue[];
}

/**
 * `config` with the CLUSTER_* variables of `env` applied to the cluster section and to each
 * component the file holds (a section the file leaves out is not judged), or undefined when
 * none applies. With `source` set, the sections come from the URL: nothing is applied, but the
 * follower's own REST API still takes its variables.
 */
export function withDaemonEnv(
  config: Config,
  env: Record<string, string | undefined>,
  options: { follower?: boolean } = {},
): DaemonEnvView | undefined {
  if (!Object.keys(env).some((name) => name.startsWith("CLUSTER_"))) return undefined;
  const view: DaemonEnvView = { config: { ...config }, sources: new Map(), refusals: [] };
  if (options.follower) followerApiRefusals(view, env);
  identityRefusals(view, env);
  if (typeof config.source === "string" && config.source !== "")
    return view.refusals.length > 0 ? { ...view, config } : undefined;
  if (isObject(config.cluster)) applySection(view, ["cluster"], "CLUSTER", env);
  for (const [section, components] of Object.entries(config)) {
    if (section === "cluster" || section === "identity" || !isObject(components)) continue;
    view.config[section] = { ...components };
    for (const [name, body] of Object.entries(components))
      if (isObject(body)) applySection(view, [section, name], `CLUSTER_${name.toUpperCase()}`, env);
  }
  return view.sources.size > 0 || view.refusals.length > 0 ? view : undefined;
}

/**
 * What `validate` reports: the file's issues (the daemon validates the file before it applies the
 * variables), less the warnings about values a variable replaces, then the issues the applied
 * variables bring, each naming its variable.
 */
export function mergeDaemonEnvIssues(
  fileIssues: PluginIssue[],
  envIssues: PluginIssue[],
  view: DaemonEnvView,
): PluginIssue[] {
  const seen = new Set(fileIssues.map(issueId));
  const kept = fileIssues.flatMap((issue) => {
    const names = variablesAt(issue.key, view.sources, false);
    if (names.length === 0) return [issue];
    // The daemon runs with the variable's value: a warning about the file's is moot.
    if (issue.severity === "warning") return [];
    const note = `${listed(names)} in this environment replaces it only after the daemon has validated the file`;
    return [{ ...issue, message: `${issue.message} (${note})` }];
  });
  const added = envIssues
    .filter((issue) => !seen.has(issueId(issue)))
    .map((issue) => {
      const names = variablesAt(issue.key, view.sources, true);
      return { ...issue, message: `${issue.message} (${fromEnvironment(names)})` };
    });
  return [...kept, ...view.refusals, ...added];
}

// --- internal ---

/** A variable of this process is not necessarily one of the daemon's: every message says so. */
const IF_THE_DAEMONS = "if it runs with this environment too";

function applySection(view: DaemonEnvView, path: string[], prefix: string, env: Record<string, string | undefined>) {
  const [section, component] = path as [string, string | undefined];
  const before = (component ? (view.config[section] as Config)[component] : view.config[section]) as Config;
  let after: Config;
  try {
    after = withClusterEnv(before, prefix, env);
  } catch (error) {
    view.refusals.push(refusal(path.join("."), error));
    return;
  }
  recordSources(view.sources, path, prefix, after, env);
  if (component) (view.config[section] as Config)[component] = after;
  else view.config[section] = after;
}

/**
 * identity.json with CLUSTER_ID and CLUSTER_PRIVATEKEY over it, as loaded at every start
 * (cmdutils/configs.go LoadIdentityFromDisk -> config/identity.go ApplyEnvVars, Validate).
 * Judged only over a whole identity: the file's own problems are reported as they are.
 */
function identityRefusals(view: DaemonEnvView, env: Record<string, string | undefined>): void {
  const identity = view.config.identity;
  if (!isObject(identity) || typeof identity.id !== "string" || typeof identity.private_key !== "string") return;
  try {
    withIdentityEnv(identity as ClusterIdentity, env, { loaded: true });
  } catch (error) {
    view.refusals.push(refusal("identity", error));
  }
}

/**
 * `run` discards the file's REST API and starts a default one on its socket with the
 * CLUSTER_RESTAPI_* variables over it (cmd/ipfs-cluster-follow/commands.go runCmd,
 * apiCfg.ApplyEnvVars): a variable it refuses stops the follower, whatever the file holds.
 */
function followerApiRefusals(view: DaemonEnvView, env: Record<string, string | undefined>): void {
  if (isObject(view.config.api) && isObject(view.config.api.restapi)) return; // judged with the file's section
  const scratch: DaemonEnvView = { config: { api: { restapi: restApiDefaults() } }, sources: new Map(), refusals: [] };
  applySection(scratch, ["api", "restapi"], "CLUSTER_RESTAPI", env);
  view.refusals.push(...scratch.refusals);
}

/** A refusal of env.ts, which names the variable and never quotes a secret. */
function refusal(key: string, error: unknown): PluginIssue {
  if (!(error instanceof VariableRefused)) throw error;
  return {
    key,
    message: `${error.variable} in this environment: ${error.detail}; the daemon stops at start ${IF_THE_DAEMONS}`,
  };
}

/** Each key of `section` whose variable `env` sets (envconfig: the prefix, then each struct's name). */
function recordSources(
  sources: Map<string, string>,
  path: string[],
  prefix: string,
  section: Config,
  env: Record<string, string | undefined>,
): void {
  for (const [key, value] of Object.entries(section)) {
    const name = clusterVariable(prefix, key);
    if (env[name] !== undefined) sources.set([...path, key].join("."), name);
    else if (isObject(value)) recordSources(sources, [...path, key], name, value, env);
  }
}

/**
 * The variables that gave `key` or a key under it; with `near`, failing that, those under its
 * nearest parent that has any (a rule across keys, such as low_water against high_water), then all.
 */
function variablesAt(key: string, sources: Map<string, string>, near: boolean): string[] {
  // A key at or under a variable's; near, one above it too.
  const under = (at: string) =>
    [...sources].filter(([path]) => path === at || at.startsWith(`${path}.`) || (near && path.startsWith(`${at}.`)));
  const parts = key === "" ? [] : key.split(".");
  for (let depth = parts.length; depth > 0; depth--) {
    const found = under(parts.slice(0, depth).join("."));
    if (found.length > 0) return [...new Set(found.map(([, name]) => name))];
    if (!near) return [];
  }
  return near ? [...new Set(sources.values())] : [];
}

function fromEnvironment(names: string[]): string {
  return `with ${listed(names)} from this environment, as the daemon reads it ${IF_THE_DAEMONS}`;
}

function listed(names: string[]): string {
  return names.length <= 3 ? names.join(", ") : `${names.slice(0, 3).join(", ")} and ${names.length - 3} more`;
}

function issueId(issue: PluginIssue): string {
  return `${issue.severity ?? "error"}\u0000${issue.key}\u0000${issue.message}`;
}
