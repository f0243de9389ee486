import { applyPlan } from "./apply.ts";
import { planConfigure } from "./configure.ts";
import { KitcfgError } from "./errors.ts";
import type { ErrorCode, Issue } from "./errors.ts";
import type { Kit } from "./kit.ts";
import { allTargets, remember, restartNote } from "./ops.ts";
import { isEmptyPlan } from "./plan.ts";
import type { FileAction, Plan } from "./plan.ts";
import { concernsOthers, crossIssuesBrought } from "./cross.ts";
import { findPlugin } from "./registry.ts";
import { refuseInstanceForAll, resolveTarget } from "./target.ts";
import { planUpdate } from "./update.ts";
import type { UpdateRequest } from "./request.ts";
import type { Target } from "./target.ts";

/** What a configure or update did (or, on a dry run, would do) to one daemon. */
export interface ChangeResult {
  daemon: string;
  instance?: string;
  kind: Plan["kind"];
  dryRun: boolean;
  /** Something was (or would be) written. */
  changed: boolean;
  files: { key: string; path: string; action: FileAction; keys: string[] }[];
  /** Unified diff of every file, secrets redacted. */
  diff: string;
  changedKeys: string[];
  issues: Issue[];
  notes: string[];
  /** Ids of the versions kept in history (empty on a dry run). */
  history: string[];
  /** Set when the daemon runs and must restart to read the change. */
  restart?: string;
  /** With "all": the error that stopped this daemon (the others went on), as its code. */
  error?: { code: ErrorCode; message: string };
}

export interface ConfigureOptions {
  /** A daemon name, or "all". */
  daemon: string;
  instance?: string;
  force?: boolean;
  dryRun?: boolean;
  profile?: string;
  /** Values for the files being written (`--set` on configure); one daemon only. */
  requests?: readonly UpdateRequest[];
}

/**
 * Write defaults for one daemon or all of them; see `planConfigure`.
 * @throws KitcfgError `USAGE` for `requests`, a profile or an instance with "all": each belongs to one daemon.
 */
export async function configure(kit: Kit, options: ConfigureOptions): Promise<ChangeResult[]> {
  const requests = options.requests ?? [];
  if (options.daemon === "all" && requests.length > 0) {
    throw new KitcfgError("USAGE", "Cannot give values to configure all: key paths belong to one daemon", {
      hint: "Name the daemon: kitcfg configure NAME --set KEY=VALUE",
    });
  }
  if (options.daemon === "all") refuseInstanceForAll(options.instance);
  // Checked before any daemon is written: a profile most daemons lack would refuse them one by one.
  if (options.daemon === "all" && options.profile !== undefined) {
    throw new KitcfgError("USAGE", "Cannot give a profile to configure all: profiles belong to one daemon", {
      hint: `Name the daemon: kitcfg configure NAME --profile ${options.profile}`,
    });
  }
  const targets = options.daemon === "all" ? allTargets(kit, false) : [kit.target(options.daemon, options.instance)];
  const results: ChangeResult[] = [];
  for (const target of targets) {
    try {
      if (target.failure) throw target.failure;
      const plan = await planConfigure({ target, force: options.force, profile: options.profile, requests });
      results.push(await finish(kit, plan, options.dryRun ?? false));
    } catch (error) {
      // With "all", one daemon's broken file or unwritable folder must not leave the rest unconfigured.
      if (options.daemon !== "all" || !(error instanceof KitcfgError)) throw error;
      results.push(failedResult(kit, target, error, options.dryRun ?? false));
    }
  }
  return results;
}

export interface UpdateOptions {
  daemon: string;
  instance?: string;
  requests: readonly UpdateRequest[];
  dryRun?: boolean;
  /** A profile applied before the requests; with it, `requests` may be empty. */
  profile?: string;
  /** Write even when the result has errors (they are returned in `issues`). */
  force?: boolean;
}

/**
 * Change some keys of one daemon, or apply a profile to it; see `planUpdate`. A daemon that
 * is not configured is refused (`NOT_FOUND`): only `configure` creates one.
 */
export async function update(kit: Kit, options: UpdateOptions): Promise<ChangeResult> {
  const target = kit.target(options.daemon, options.instance);
  const plan = await planUpdate({ target, requests: options.requests, profile: options.profile, force: options.force });
  const across = await acrossWarnings(kit, plan);
  return finish(
    kit,
    across.length > 0 ? { ...plan, issues: [...plan.issues, ...across] } : plan,
    options.dryRun ?? false,
  );
}

/**
 * What a change of one daemon brings between it and the others (a socket another one listens
 * on, an address another one no longer reaches), as warnings: a change across daemons may take
 * one update of each (`apply` makes it at once, and refuses what it brings).
 */
async function acrossWarnings(kit: Kit, plan: Plan): Promise<Issue[]> {
  if (!concernsOthers(plan.target) || isEmptyPlan(plan)) return [];
  const whole = await wholeKit(kit);
  const planned = [{ target: plan.target, config: plan.after, before: plan.before }];
  const found = await crossIssuesBrought(whole, planned, allTargets(whole, true));
  return found.map(({ issue }) => ({ ...issue, severity: "warning" as const }));
}

/** `kit` with every plugin loaded: a command about one daemon loads its own only. */
async function wholeKit(kit: Kit): Promise<Kit> {
  const registry = (await kit.registry.loadAll?.()) ?? kit.registry;
  if (registry === kit.registry) return kit;
  return {
    ...kit,
    registry,
    target: (daemon, instance) => resolveTarget({ loaded: findPlugin(registry, daemon), place: kit.place, instance }),
  };
}

/**
 * Apply a plan (unless `dryRun` or it changes nothing) and describe what happened, secrets
 * redacted. Every interface turns a plan into its output through this.
 */
export async function finish(kit: Kit, planned: Plan, dryRun: boolean): Promise<ChangeResult> {
  return (await finishPlan(kit, planned, dryRun)).result;
}

/**
 * `finish`, also giving the plan that was written: the given one, or the one computed again
 * under the lock because another writer changed a file meanwhile.
 */
export async function finishPlan(
  kit: Kit,
  planned: Plan,
  dryRun: boolean,
): Promise<{ result: ChangeResult; plan: Plan }> {
  remember(kit, planned.secrets);
  const applied =
    dryRun || isEmptyPlan(planned)
      ? undefined
      : await applyPlan({
          plan: planned,
          stateDir: kit.stateDir,
          command: kit.command,
          lockTimeoutMs: kit.lockTimeoutMs,
          retention: kit.retention,
        });
  const plan = applied?.plan ?? planned;
  remember(kit, plan.secrets);
  const changed = !isEmptyPlan(plan);
  const notes = [...plan.notes];
  if (applied?.recomputed)
    notes.push("another writer changed a file meanwhile: the change was computed again from its version");
  // Joined when read, as each file's diff is made (see `planFiles`).
  let diff: string | undefined;
  const result: ChangeResult = {
    daemon: plan.target.plugin.name,
    ...(plan.target.instance ? { instance: plan.target.instance } : {}),
    kind: plan.kind,
    dryRun,
    changed,
    files: plan.files.map((f) => ({ key: f.file.key, path: f.file.path, action: f.action, keys: f.keys })),
    get diff() {
      return (diff ??= plan.files.map((f) => f.diff).join(""));
    },
    changedKeys: plan.changedKeys,
    issues: plan.issues,
    notes,
    history: applied?.history.map((h) => h.id) ?? [],
    ...restartNote(plan.target, changed),
  };
  return { result, plan };
}

/** The result for a daemon that "all" could not change: its error as an issue, nothing written. */
export function failedResult(
  kit: Kit,
  target: Target,
  error: KitcfgError,
  dryRun: boolean,
  kind: Plan["kind"] = "configure",
): ChangeResult {
  const message = kit.redact(error.message);
  return {
    daemon: target.plugin.name,
    ...(target.instance ? { instance: target.instance } : {}),
    kind,
    dryRun,
    changed: false,
    files: [],
    diff: "",
    changedKeys: [],
    issues: [{ key: error.key ?? "", message, severity: "error", ...(error.file ? { file: error.file } : {}) }],
    notes: error.hint ? [error.hint] : [],
    history: [],
    error: { code: error.code, message },
  };
}
