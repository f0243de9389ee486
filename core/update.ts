import { respellPath, spellingsOf } from "./_fold-keys.ts";
import { issueText, KitcfgError, type ValidationError } from "./errors.ts";
import type { Issue } from "./errors.ts";
import type { Change } from "./formats/types.ts";
import { formatKeyPath, isPlainObject, withChanges } from "./keypath.ts";
import { assemblePlan } from "./plan.ts";
import type { FilePlan, Plan } from "./plan.ts";
import type { Config } from "./plugin.ts";
import { applyProfile, findProfile, profileOf } from "./profile.ts";
import { assembleOrRefuse, errorsOf, validatePlanned, validateSnapshot } from "./_planned.ts";
import { notConfigured } from "./ops.ts";
import { secretsOf } from "./redact.ts";
import { assertParsed, readSnapshot } from "./snapshot.ts";
import type { Snapshot } from "./snapshot.ts";
import { callPlugin, commandWords } from "./target.ts";
import type { Target } from "./target.ts";
import { exposedFiles, exposedIssue, oldIssueTest, refusalError } from "./validate.ts";
import { toChange, unsetsHeld } from "./request.ts";
import type { UpdateRequest } from "./request.ts";

export interface PlanUpdateOptions {
  target: Target;
  requests: readonly UpdateRequest[];
  /** A profile of the plugin, applied before the requests (`update --profile NAME`). */
  profile?: string;
  /** Plan the change even when the result has errors (`update --force`); they stay in `issues`. */
  force?: boolean;
  /**
   * Given, an unset of a key the daemon does not take and the file does not hold is left out
   * and reported here instead of refused (a desired state: the key is gone, as it says).
   */
  onUnheldUnset?: (key: string) => void;
}

/**
 * Plan a change of some keys: coerce and check each value against the schema, apply the
 * profile if one is named, then the changes in order (through the plugin's `update` when it
 * has one), compute the file edits and validate the result as it will be on disk. A result
 * with errors is refused, whether the change made them or the file already had them (the
 * daemon would not start either way), unless `force` is set.
 * @throws KitcfgError `INVALID_KEY` / `UNKNOWN_KEY` / `INVALID_VALUE` before anything is
 * computed for a key or value that does not fit; `NOT_FOUND` when the daemon (or instance)
 * is not configured: an update never creates one (`configure` does); `USAGE` for an unknown
 * profile, or an init-only one; `ValidationError` when the result would have errors and
 * `force` is not set; `ParseError` when a file does not parse.
 */
export async function planUpdate(options: PlanUpdateOptions): Promise<Plan> {
  const { target, requests } = options;
  const requested = requests.map((request) => toChange(target, request));
  // Usage errors first: a misspelt profile is one whatever is on disk.
  if (options.profile !== undefined) profileOf(target, options.profile);
  const snapshot = await readSnapshot(target);
  assertParsed(snapshot);
  if (!snapshot.configured) throw notConfigured(target);
  const base = snapshot.config;
  const changes = unsetsHeld(target, requests, requested, base, options.onUnheldUnset);
  const profiled = withProfile(target, base, options.profile);
  const spelled = spelledAsWritten(target, profiled, changes);
  const after = applyChanges(target, profiled, spelled);
  const kind = options.profile === undefined ? "update" : "profile";
  // A number set to the value it holds is still written as asked (`90.0` -> `90`).
  const respell = spelled.filter((change) => change.op === "set").map((change) => change.path);
  // The issues already in the file, as read: a big file is not read and decoded again for them.
  const refuse = async (errors: Issue[]) =>
    refusal(target, changes, errors, await validateSnapshot(snapshot), secretsOf(target, after));
  const plan = await assembleOrRefuse({
    target,
    after,
    assemble: () =>
      assemblePlan({ kind, target, snapshot, after, respell, issues: [], recompute: () => planUpdate(options) }),
    refuse,
  });
  const issues = await validatePlanned(target, after, plan.files);
  const errors = errorsOf(issues);
  if (errors.length > 0 && !options.force) throw await refuse(errors);
  return { ...plan, issues: [...issues, ...exposedAfter(snapshot, after, plan.files)] };
}

/**
 * A write keeps each file's mode: a secret file others may read stays so, which the update
 * says (as a warning: the change itself is fine; `validate` calls it an error).
 */
function exposedAfter(snapshot: Snapshot, after: Config, files: readonly FilePlan[]): Issue[] {
  const written = new Map(
    files.map((plan) => [plan.file.path, plan.action === "unchanged" ? plan.before : plan.after]),
  );
  const planned: Snapshot = {
    ...snapshot,
    config: after,
    files: snapshot.files.map((snap) => ({
      ...snap,
      text: written.has(snap.file.path) ? written.get(snap.file.path) : snap.text,
    })),
  };
  return exposedFiles(planned).map((exposed) => exposedIssue(snapshot.target, exposed, "warning"));
}

/** Apply changes in order: the plugin's `update` if it has one, else dotted set/unset. */
export function applyChanges(target: Target, config: Config, changes: readonly Change[]): Config {
  const update = target.plugin.update;
  if (update) return callPlugin(target.loaded, "update", () => update(config, changes, target.ctx, applyPathChanges));
  return applyPathChanges(config, changes);
}

/**
 * The default update: each dotted-path set or unset in order, on a copy (the SDK exports
 * it, and a plugin's own `update` gets it as `next`).
 */
export function applyPathChanges<C extends Config>(config: C, changes: readonly Change[]): C {
  const next = withChanges(config, changes);
  return (isPlainObject(next) ? next : {}) as C;
}

// --- internal ---

/**
 * For a daemon that matches keys case-insensitively: a set goes to the spelling the file
 * already uses for that key, and an unset removes every spelling of it.
 */
function spelledAsWritten(target: Target, config: Config, changes: Change[]): Change[] {
  if (!target.plugin.caseInsensitiveKeys) return changes;
  const schema = target.plugin.schema;
  return changes.flatMap((change): Change[] =>
    change.op === "set"
      ? [{ ...change, path: respellPath(schema, config, change.path) }]
      : spellingsOf(schema, config, change.path).map((path) => ({ op: "unset", path })),
  );
}

/** The configuration with the named profile applied; an init-only one is for `configure` only. */
function withProfile(target: Target, config: Config, name: string | undefined): Config {
  if (name === undefined) return config;
  if (findProfile(target.plugin, name)?.initOnly) {
    throw new KitcfgError(
      "USAGE",
      `Cannot apply profile "${name}" to the existing ${target.label} configuration: ` +
        "it applies only when the configuration is first written",
      {
        hint:
          `Use it for a new configuration: \`kitcfg configure ${commandWords(target.plugin.name, target.instance)} ` +
          `--profile ${name}\` where none exists yet`,
      },
    );
  }
  return applyProfile(target, config, name);
}

function refusal(
  target: Target,
  changes: readonly Change[],
  issues: Issue[],
  before: Issue[],
  secrets: string[],
): ValidationError {
  // The last change to each key says what was asked of it.
  const changed = new Map(changes.map((c) => [formatKeyPath(c.path), c.op]));
  const wasThere = oldIssueTest(before);
  const isOld = (issue: Issue) => !changed.has(issue.key) && wasThere(issue);
  // An issue of a variable the daemon reads over the file is this environment's: no key fixes it.
  const fromEnvironment = (issue: Issue) => (issue.variables?.length ?? 0) > 0;
  const whence = (issue: Issue) =>
    !isOld(issue) ? "" : fromEnvironment(issue) ? " (from this environment)" : " (already in the file)";
  const describe = (issue: Issue) =>
    changed.get(issue.key) === "unset"
      ? `Cannot unset "${issue.key}" for ${target.label}: ${target.plugin.name} needs a value there: ` +
        issue.message.replace(/^is missing: /, "")
      : changed.has(issue.key)
        ? `Cannot set "${issue.key}" for ${target.label}: ${issue.message}`
        : `Cannot update ${target.label}: ${issueText(issue, whence(issue))}`;
  const variables = [...new Set(issues.flatMap((issue) => issue.variables ?? []))];
  const ways = [
    ...(issues.some((issue) => isOld(issue) && !fromEnvironment(issue))
      ? ["fix those keys in the same update (--set KEY=VALUE or --unset KEY)"]
      : []),
    ...(variables.length > 0 ? [`correct or unset ${variables.join(", ")} in this environment`] : []),
  ];
  return refusalError(
    issues,
    describe,
    secrets,
    ways.length > 0
      ? `Nothing was written: ${ways.join(", ")}, or give --force to write anyway`
      : "Nothing was written",
  );
}
