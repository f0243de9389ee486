import { getAt, goJsonNulls } from "kitcfg";
import type { Config, PluginContext, PluginIssue } from "kitcfg";
import { apiIssues, componentIssues, datastoreIssues } from "./components.ts";
import type { ApiContext } from "./components.ts";
import { crdtIssues, raftIssues } from "./consensus.ts";
import { clusterVariable, withClusterEnv, withIdentityEnv } from "./env.ts";
import { VariableRefused } from "./env-values.ts";
import type { ClusterIdentity, VariableNote } from "./env.ts";
import { componentFields } from "./fields.ts";
import { canonicalClusterKeys } from "./keys.ts";
import { clusterSchema, COMPONENTS } from "./schema.ts";
import { componentDefaults, isObject } from "./shared.ts";

// At every start, `ipfs-cluster-service daemon` and `ipfs-cluster-follow <name> run` load
// service.json, each component validating what the file gives it, and then apply the CLUSTER_*
// variables over what they loaded and validate again (cmdutils/configs.go NewLoadedConfigHelper
// -> config/config.go LoadJSONFileAndEnv -> Manager.ApplyEnvVars; each component's ApplyEnvVars
// runs envconfig over its JSON struct, then applyJSONConfig and Validate). That goes for every
// component the daemons register, one the file leaves out included (loaded at its Default()),
// and for every field, a key the file leaves out included (fields.ts). kitcfg sees its own
// environment, not the daemon's, so what it finds this way says so.

/** service.json as the daemon reads it with this environment's CLUSTER_* variables applied. */
export interface DaemonEnvView {
  /** The configuration as the file gives it (keys as the daemon matches them, nulls as missing). */
  file: Config;
  /** The configuration with the variables applied to every section the file holds. */
  config: Config;
  /** Key path -> the variable that gave its value. */
  sources: Map<string, string>;
  /** The variables a component refuses (the daemon stops at start), one issue each. */
  refusals: PluginIssue[];
  /** The variables a component reads and ignores (warnings), one issue each. */
  notes: PluginIssue[];
  /**
   * The components the file leaves out that a variable reaches, by key path ("consensus.raft"),
   * each at its defaults with the variables over them, as the daemon loads and validates it.
   */
  omitted: Map<string, Config>;
  /**
   * With a `source`: the cluster section and each component a variable reaches, at their defaults
   * with the variables over them, by key path, and the variable of each key (as `sources`).
   */
  sourced?: { sections: Map<string, Config>; sources: Map<string, string> };
}

/**
 * `config` with the CLUSTER_* variables of `env` applied to the cluster section and to each
 * component the daemons register (one the file leaves out goes to `omitted`), or undefined when
 * none applies. With `source` set, the sections come from the URL: only a variable refused
 * whatever they hold (a value its Go type does not take) is reported, read over the defaults.
 */
export function withDaemonEnv(written: Config, env: Record<string, string | undefined>): DaemonEnvView | undefined {
  if (!Object.keys(env).some((name) => name.startsWith("CLUSTER_"))) return undefined;
  // Keys as the daemon matches them, and a null as a missing key (keys.ts; SDK goJsonNulls).
  const config = goJsonNulls(
    clusterSchema,
    canonicalClusterKeys(written, () => {}),
  ) as Config;
  const view: DaemonEnvView = {
    file: config,
    config: { ...config },
    sources: new Map(),
    refusals: [],
    notes: [],
    omitted: new Map(),
  };
  identityRefusals(view, env);
  const sourced = typeof config.source === "string" && config.source !== "";
  if (sourced || isObject(config.cluster)) {
    const fields = componentFields("cluster")!;
    view.config.cluster = applySection(view, ["cluster"], sourced ? fields : (config.cluster as Config), fields, env);
  }
  const defaults = componentDefaults();
  for (const [section, components] of Object.entries(COMPONENTS)) {
    const present = sourced ? undefined : config[section];
    if (present !== undefined && !isObject(present)) continue; // the file does not load
    if (isObject(present)) view.config[section] = { ...present };
    for (const name of Object.keys(components)) {
      const fields = componentFields(section, name, defaults);
      if (isObject(present) && isObject(present[name])) {
        (view.config[section] as Config)[name] = applySection(view, [section, name], present[name], fields, env);
        continue;
      }
      const body = applySection(view, [section, name], defaults[section]?.[name] ?? {}, fields, env);
      if ([...view.sources.keys()].some((key) => key.startsWith(`${section}.${name}.`)))
        view.omitted.set(`${section}.${name}`, body);
    }
  }
  if (sourced) {
    // The sections are the URL's: what the variables do to them, or which value a duration the
    // component ignores keeps, is not known here; only a variable its Go type refuses is.
    const sections = new Map(view.omitted);
    if ([...view.sources.keys()].some((key) => key.startsWith("cluster.")))
      sections.set("cluster", view.config.cluster as Config);
    view.sourced = { sections, sources: new Map(view.sources) };
    view.config = config;
    view.sources.clear();
    view.omitted.clear();
    view.notes = [];
  }
  const found =
    view.sources.size +
    view.refusals.length +
    view.notes.length +
    view.omitted.size +
    (view.sourced?.sources.size ?? 0);
  return found > 0 ? view : undefined;
}

/**
 * The issues of each component the file leaves out that a variable reaches, judged as the daemon
 * judges it: loaded at its defaults with the variables over them and validated. The APIs and
 * informers are then not started (only those in the file are), a datastore not opened, and a
 * consensus not run (the file names the one in use).
 */
export function omittedIssues(view: DaemonEnvView, ctx: PluginContext, options: ApiContext): PluginIssue[] {
  const issues: PluginIssue[] = [];
  for (const [path, body] of view.omitted) {
    const [section, name] = path.split(".") as [string, string];
    const config: Config = { [section]: { [name]: body } };
    const add = (key: string, message: string, severity: PluginIssue["severity"] = "error") => {
      if (key === path || key.startsWith(`${path}.`)) issues.push({ key, message, severity });
    };
    if (section === "api") apiIssues(config, ctx, { ...options, unstarted: true }, add);
    else if (path === "consensus.crdt") crdtIssues(body, add);
    else if (path === "consensus.raft") raftIssues(body, add);
    else if (section === "datastore") datastoreIssues(config, add);
    else componentIssues(config, add, options);
  }
  return issues;
}

/**
 * With a `source`, the errors a component's own checks raise whatever the source holds: each at a
 * key a variable gives, by a rule that reads no other key, or only keys variables give too (a
 * message names the other keys it compares: `low_water` against `high_water`). Every component
 * runs its checks again after the variables (each ApplyEnvVars ends in applyJSONConfig and
 * Validate), so such a value stops the start. `clusterIssues` judges the cluster section.
 */
export function sourcedIssues(
  view: DaemonEnvView,
  ctx: PluginContext,
  options: ApiContext,
  clusterIssues: (
    cluster: Config,
    add: (key: string, message: string, severity?: PluginIssue["severity"]) => void,
  ) => void,
): PluginIssue[] {
  if (!view.sourced) return [];
  const { sections, sources } = view.sourced;
  const judged: DaemonEnvView = { ...view, omitted: new Map([...sections].filter(([path]) => path !== "cluster")) };
  const issues = omittedIssues(judged, ctx, options);
  const cluster = sections.get("cluster");
  if (cluster) clusterIssues(cluster, (key, message, severity = "error") => issues.push({ key, message, severity }));
  return issues.flatMap((issue) => {
    const names = variablesAt(issue.key, sources, false);
    if ((issue.severity ?? "error") !== "error" || names.length === 0) return [];
    const path = issue.key
      .split(".")
      .slice(0, issue.key.startsWith("cluster.") ? 1 : 2)
      .join(".");
    const body = sections.get(path);
    if (body && readsOtherKeys(issue, path, body, sources)) return [];
    const given = `with ${listed(names)} from this environment, whatever the source gives`;
    return [{ ...issue, message: `${issue.message} (${given}, ${IF_THE_DAEMONS})`, variables: names }];
  });
}

/**
 * What `validate` reports: the file's issues (the daemon validates the file before it applies the
 * variables), less the warnings about values a variable replaces (one that gives the file's own
 * value, as configure writes it, replaces nothing), then the variables refused or ignored, then
 * the issues the applied variables bring (`envIssues`, those of `omittedIssues` included), each
 * naming its variable.
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
    // What configure writes from a variable, or a file that agrees with it: nothing is replaced.
    if (givesFileValue(issue.key, view))
      return [
        {
          ...issue,
          message: `${issue.message} (${listed(names)} in this environment gives the same value)`,
          variables: names,
        },
      ];
    // The daemon runs with the variable's value: a warning about the file's is moot.
    if (issue.severity === "warning") return [];
    const note = `${listed(names)} in this environment replaces it only after the daemon has validated the file`;
    return [{ ...issue, message: `${issue.message} (${note})` }];
  });
  const added = envIssues
    .filter((issue) => !seen.has(issueId(issue)))
    .map((issue) => {
      const names = variablesAt(issue.key, view.sources, true);
      const omitted = [...view.omitted.keys()].find((path) => issue.key === path || issue.key.startsWith(`${path}.`));
      return { ...issue, message: `${issue.message} (${fromEnvironment(names, omitted)})`, variables: names };
    });
  return [...kept, ...view.refusals, ...view.notes, ...added];
}

// --- internal ---

/** A variable of this process is not necessarily one of the daemon's: every message says so. */
const IF_THE_DAEMONS = "if it runs with this environment too";

/**
 * `section` at `path` with the variables applied, reading a key it omits against `fields`
 * (fields.ts); what they give is recorded in `view`. A refused variable leaves it as it was.
 */
function applySection(
  view: DaemonEnvView,
  path: string[],
  section: Config,
  fields: Config | undefined,
  env: Record<string, string | undefined>,
): Config {
  const prefix = path.length === 1 ? "CLUSTER" : `CLUSTER_${path[1]!.toUpperCase()}`;
  const notes: VariableNote[] = [];
  let after: Config;
  try {
    after = withClusterEnv(section, prefix, env, { fields, notes, atStart: true });
  } catch (error) {
    view.refusals.push(refusal(path, error));
    return section;
  }
  for (const note of notes)
    view.notes.push({
      key: [...path, ...note.key].join("."),
      message: `${note.variable} in this environment: ${note.detail} ${IF_THE_DAEMONS}`,
      severity: "warning",
      variables: [note.variable],
    });
  recordSources(view.sources, path, prefix, after, env);
  return after;
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
    view.refusals.push(refusal(["identity"], error));
  }
}

/** A refusal of env.ts, which names the variable and never quotes a secret, at the key it sets below `path`. */
function refusal(path: string[], error: unknown): PluginIssue {
  if (!(error instanceof VariableRefused)) throw error;
  return {
    key: [...path, ...error.field].join("."),
    message: `${error.variable} in this environment: ${error.detail}; the daemon stops at start ${IF_THE_DAEMONS}`,
    variables: [error.variable],
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

/** Whether every variable at or above `key` gives the value the file holds there. */
function givesFileValue(key: string, view: DaemonEnvView): boolean {
  // An integer past 2^53 is a bigint, which JSON.stringify refuses.
  const text = (value: unknown) =>
    JSON.stringify(value, (_key, each) => (typeof each === "bigint" ? `${each}n` : each));
  const paths = [...view.sources.keys()].filter((path) => path === key || key.startsWith(`${path}.`));
  return paths.every((path) => text(getAt(view.file, path)) === text(getAt(view.config, path)));
}

/** Whether `issue`'s message names a key of `body` other than its own that no variable gives. */
function readsOtherKeys(issue: PluginIssue, path: string, body: Config, sources: Map<string, string>): boolean {
  const own = issue.key.split(".").at(-1);
  const keys = (node: Config, at: string): [string, string][] =>
    Object.entries(node).flatMap(([key, value]) => [
      [key, `${at}.${key}`] as [string, string],
      ...(isObject(value) ? keys(value, `${at}.${key}`) : []),
    ]);
  return keys(body, path).some(
    ([key, full]) =>
      key !== own &&
      new RegExp(`(^|[^a-z_])${key}([^a-z_]|$)`).test(issue.message) &&
      variablesAt(full, sources, false).length === 0,
  );
}

function fromEnvironment(names: string[], omitted: string | undefined): string {
  if (omitted === undefined)
    return `with ${listed(names)} from this environment, as the daemon reads it ${IF_THE_DAEMONS}`;
  // config/config.go LoadJSON gives a component the file leaves out its Default(), and ApplyEnvVars reaches it.
  return (
    `with ${listed(names)} from this environment over the defaults of ${omitted}, ` +
    `which the daemon loads though the file leaves it out, ${IF_THE_DAEMONS}`
  );
}

function listed(names: string[]): string {
  return names.length <= 3 ? names.join(", ") : `${names.slice(0, 3).join(", ")} and ${names.length - 3} more`;
}

function issueId(issue: PluginIssue): string {
  return `${issue.severity ?? "error"}\u0000${issue.key}\u0000${issue.message}`;
}
