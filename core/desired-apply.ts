import { finishPlan } from "./change.ts";
import { crossIssuesBrought } from "./cross.ts";
import type { ChangeResult } from "./change.ts";
import { planConfigure } from "./configure.ts";
import { parseDesired } from "./desired.ts";
import type { DesiredDaemon, DesiredState } from "./desired.ts";
import { EXIT_CODES, KitcfgError, ValidationError } from "./errors.ts";
import type { ErrorCode, Issue } from "./errors.ts";
import { loadedFileFormat } from "./formats/index.ts";
import { restoreVersion } from "./history-ops.ts";
import { isPlainObject } from "./keypath.ts";
import type { Kit } from "./kit.ts";
import { allTargets, remember } from "./ops.ts";
import { isEmptyPlan, redactPair } from "./plan.ts";
import { findProfile } from "./profile.ts";
import type { FilePlan, Plan } from "./plan.ts";
import type { Config } from "./plugin.ts";
import { holdsUrlCredentials, redactText, redactValue, secretKeysAmong, secretsOf, shadowedSecrets } from "./redact.ts";
import { readSnapshot } from "./snapshot.ts";
import { callPlugin } from "./target.ts";
import type { Target } from "./target.ts";
import { planUpdate } from "./update.ts";
import { readRequestSource } from "./request.ts";
import type { UpdateRequest } from "./request.ts";

/** One file of a daemon in a desired-state result; texts have their secrets redacted. */
export interface DesiredFileResult {
  path: string;
  action: "create" | "update" | "delete" | "unchanged";
  /** The text before (null: no file). */
  before: string | null;
  /** The text after (null: no file); the same as `before` for an unchanged file. */
  after: string | null;
}

/** What a desired-state plan or apply did (or would do) to one daemon. */
export interface DesiredDaemonResult {
  daemon: string;
  /** Only for a daemon with instances. */
  instance?: string;
  /** `create`: it was not configured; `update`: its files change; `unchanged`: in sync. */
  action: "create" | "update" | "unchanged";
  /** Something was written (apply) or would be (plan); false for every daemon of a refusal. */
  changed: boolean;
  /** Key paths whose value changes. */
  keys: string[];
  /** Unified diff of every file, secrets redacted. */
  diff: string;
  files: DesiredFileResult[];
  /** Validation issues of the result, and new disagreements with other daemons. */
  issues: Issue[];
  /** The plugin's public facts (peer id, addresses, fingerprints): never a secret. */
  facts: Record<string, unknown>;
  notes: string[];
  /** Ids of the versions kept in history by this write (`kitcfg restore DAEMON` undoes it). */
  history: string[];
  restart?: string;
  /** Why this daemon was refused; then nothing was written on any daemon. */
  error?: { code: ErrorCode; message: string };
  /**
   * The keys of the document's `set` for this daemon that are (or hold, or lie in) a secret, as
   * the document gives them: a caller that echoes its own arguments hides their values.
   */
  secretKeys: string[];
}

/**
 * The outcome of `planDesired` / `applyDesired`: the shape `kitcfg plan|apply --json`
 * prints and the MCP tool `apply_daemon_configs` returns.
 */
export interface DesiredResult {
  /** False when a daemon was refused: then nothing was written anywhere. */
  ok: boolean;
  dry_run: boolean;
  /** Some daemon changed (apply) or would change (plan). */
  changed: boolean;
  daemons: DesiredDaemonResult[];
  /** Each named daemon's facts, by `daemon` or `daemon/instance`. */
  facts: Record<string, Record<string, unknown>>;
  /** With `ok` false: the refusal, as a CLI error, its code the worst of the daemons'. */
  error?: { code: ErrorCode; message: string; hint?: string; issues?: Issue[] };
}

export interface ApplyDesiredOptions {
  /** Plan only: compute every change and its diff, write nothing (`kitcfg plan`). */
  dryRun?: boolean;
}

/** `applyDesired` with `dryRun`: what would change, nothing written. */
export async function planDesired(kit: Kit, desired: DesiredState | Record<string, unknown>): Promise<DesiredResult> {
  return applyDesired(kit, desired, { dryRun: true });
}

/**
 * Make every daemon a desired state names hold what it says. Each is planned first: a daemon
 * not configured yet gets a configure plan (its defaults, identities and secrets generated,
 * then the document's profile and values), a configured one an update plan (the profile,
 * then the sets and unsets in order). Then the checks across daemons run on the planned
 * configurations with the others' current ones. If any daemon is refused, nothing is
 * written anywhere and the result says why (`ok` false). Otherwise each plan is written
 * through the lock, history and atomic write of every change, so `kitcfg restore DAEMON`
 * undoes it daemon by daemon; should a write fail midway, the daemons already written are
 * restored from history. Values given by reference (`@FILE`, `env:NAME`) are read once and
 * treated as secrets in every output.
 * @throws KitcfgError `USAGE` / `UNKNOWN_DAEMON` for a document that does not parse as a
 * desired state; `LOCKED` / `IO_FAILED` for a write that failed (the daemons written
 * before it are put back).
 */
export async function applyDesired(
  kit: Kit,
  desired: DesiredState | Record<string, unknown>,
  options: ApplyDesiredOptions = {},
): Promise<DesiredResult> {
  const dryRun = options.dryRun ?? false;
  const state = isDesiredState(desired) ? desired : parseDesired(kit, desired);
  const planned = state.daemons.map(
    (entry) =>
      ({ entry, target: kit.target(entry.daemon, entry.instance), created: false, notes: [], cross: [] }) as Planned,
  );
  for (const item of planned) await planOne(kit, item);
  await checkAcross(kit, planned);
  if (planned.some((item) => item.error)) return refusal(kit, planned, dryRun);
  const daemons: DesiredDaemonResult[] = [];
  const done: ChangeResult[] = [];
  for (const item of planned) {
    try {
      const { result, plan } = await finishPlan(kit, item.plan!, dryRun);
      done.push(result);
      daemons.push(describe(kit, item, plan, result));
    } catch (error) {
      if (dryRun || !(error instanceof KitcfgError)) throw error;
      throw await rollBack(kit, done, item.target, error);
    }
  }
  const facts = Object.fromEntries(daemons.map((d) => [labelOf(d), d.facts]));
  return { ok: true, dry_run: dryRun, changed: daemons.some((d) => d.changed), daemons, facts };
}

/** Whether `value` is a parsed desired state rather than a document. */
export function isDesiredState(value: unknown): value is DesiredState {
  if (!isPlainObject(value) || !Array.isArray(value.daemons)) return false;
  return value.daemons.every((d) => isPlainObject(d) && typeof d.daemon === "string" && Array.isArray(d.requests));
}

// --- internal ---

interface Planned {
  entry: DesiredDaemon;
  target: Target;
  plan?: Plan;
  /** The daemon was not configured: its plan is a configure. */
  created: boolean;
  notes: string[];
  /** New disagreements with other daemons this plan would bring. */
  cross: Issue[];
  error?: KitcfgError;
}

/** Plan one daemon, recording (not throwing) why it is refused. */
async function planOne(kit: Kit, item: Planned): Promise<void> {
  const { target, entry } = item;
  try {
    // Read first: a daemon refused for a reference it cannot read is still one to create.
    item.created = !(await readSnapshot(target)).configured;
    const requests = entry.requests.map((request) => dereference(kit, target, request));
    item.plan = await planEntry(kit, item, requests);
  } catch (error) {
    if (!(error instanceof KitcfgError)) throw error;
    item.error = error;
  }
}

/**
 * A configure plan for a daemon not configured (`item.created`), else an update plan. Should
 * another writer configure the daemon before this one takes its lock (two applies at once),
 * the write plans again, and the values become an update of what that writer wrote.
 */
async function planEntry(kit: Kit, item: Planned, requests: UpdateRequest[]): Promise<Plan> {
  const { target, entry } = item;
  // The desired state holds for a key it unsets that the daemon does not take once the file
  // no longer has it: a second apply of the file that removed it changes nothing.
  const onUnheldUnset = (key: string) =>
    item.notes.push(`"${key}" is not a setting ${target.label} takes, and is not in its files: nothing to remove`);
  let plan: Plan;
  if (item.created) {
    plan = await planConfigure({ target, profile: entry.profile, requests, onUnheldUnset });
    const recompute = async () => {
      item.created = !(await readSnapshot(target)).configured;
      return planEntry(kit, item, requests);
    };
    plan = { ...plan, recompute };
  } else {
    // A profile that only a new configuration takes (a datastore) was taken when it was first
    // written, or never can be.
    // One that picks new values each time would leave the desired state never in sync.
    const profile = entry.profile === undefined ? undefined : findProfile(target.plugin, entry.profile);
    const once = profile?.initOnly === true || profile?.random === true;
    if (once)
      item.notes.push(
        `profile "${entry.profile}" applies only when ${target.label} is first written` +
          `${profile?.random ? " (it picks new values each time)" : ""}: the existing configuration is kept as it is`,
      );
    plan = await planUpdate({ target, requests, profile: once ? undefined : entry.profile, onUnheldUnset });
  }
  remember(kit, plan.secrets);
  return plan;
}

/** A value given by reference, read now (once) and remembered as a secret. */
function dereference(kit: Kit, target: Target, request: UpdateRequest): UpdateRequest {
  if (request.op !== "set" || !("file" in request || "env" in request)) return request;
  const text = readRequestSource(target, request);
  remember(kit, [text]);
  return { op: "set", key: request.key, text, ...(request.path ? { path: request.path } : {}) };
}

/**
 * Run the checks across daemons on the planned configurations (and the current ones of the
 * daemons not named); a disagreement that was not there before refuses the daemon it is
 * reported on: the check's owner if named, else a named daemon the check needs.
 */
async function checkAcross(kit: Kit, planned: Planned[]): Promise<void> {
  const ok = planned.filter((item) => item.plan);
  if (ok.length === 0) return;
  const brought = await crossIssuesBrought(
    kit,
    ok.map((item) => ({ target: item.target, config: item.plan!.after })),
    allTargets(kit, true),
  );
  for (const found of brought) {
    const item =
      ok.find((i) => i.target.label === found.owner) ??
      ok.find((i) => i.target.label === found.other) ??
      ok.find((i) => found.needs.includes(i.target.plugin.name)) ??
      ok[0]!;
    item.cross.push(found.issue);
  }
  for (const item of ok) {
    const errors = item.cross.filter((issue) => issue.severity === "error");
    if (errors.length === 0) continue;
    const lines = errors.map((issue) => kit.redact(`Cannot apply ${item.target.label}: ${crossText(issue)}`));
    const issues = errors.map((issue, i) => ({ ...issue, message: lines[i]! }));
    item.error = new ValidationError(lines.join("\n"), issues, { key: errors[0]!.key, hint: "Nothing was written" });
  }
}

/** An issue between daemons as one clause: the daemon and key it is about, then what is wrong. */
function crossText(issue: Issue): string {
  return issue.key === "" ? `${issue.daemon}: ${issue.message}` : `${issue.daemon} "${issue.key}" ${issue.message}`;
}

/** The result of a refused desired state: nothing written; each refused daemon says why. */
function refusal(kit: Kit, planned: Planned[], dryRun: boolean): DesiredResult {
  const daemons = planned.map((item) =>
    item.plan && !item.error ? describe(kit, item, item.plan, undefined) : failed(kit, item),
  );
  const refused = planned.filter((item) => item.error).map((item) => item.error!);
  const worst = refused.reduce((a, b) => (EXIT_CODES[b.code] > EXIT_CODES[a.code] ? b : a));
  const issues = daemons.flatMap((d) => (d.error ? d.issues : []));
  const message = refused.map((error) => kit.redact(error.message)).join("\n");
  const many = refused.length > 1 ? ` (${refused.length} daemons refused)` : "";
  const hint = `Nothing ${dryRun ? "would be" : "was"} written on any daemon${many}`;
  return {
    ok: false,
    dry_run: dryRun,
    changed: false,
    daemons,
    facts: {},
    error: { code: worst.code, message, hint, issues },
  };
}

/**
 * What a refused daemon's hint adds to the result's own "Nothing was written on any daemon":
 * its advice, without the words that say it again.
 */
function ownHint(hint: string | undefined): string[] {
  const rest = (hint ?? "").replace(/^Nothing was written(?:[:;] |$)/, "");
  return rest ? [rest.charAt(0).toUpperCase() + rest.slice(1)] : [];
}

function failed(kit: Kit, item: Planned): DesiredDaemonResult {
  const error = item.error!;
  const issues: Issue[] =
    error instanceof ValidationError
      ? error.issues.map((issue) => ({ ...issue, message: kit.redact(issue.message) }))
      : [
          {
            key: error.key ?? "",
            message: kit.redact(error.message),
            severity: "error",
            ...(error.file ? { file: error.file } : {}),
          },
        ];
  return {
    daemon: item.target.plugin.name,
    ...(item.target.instance ? { instance: item.target.instance } : {}),
    action: item.created ? "create" : "update",
    changed: false,
    keys: [],
    diff: "",
    files: [],
    issues,
    facts: {},
    notes: [...item.notes, ...ownHint(error.hint)],
    history: [],
    error: { code: error.code, message: kit.redact(error.message) },
    secretKeys: secretKeysOf(item),
  };
}

/** One daemon's result from its plan (as written, or as planned when `result` is absent). */
function describe(kit: Kit, item: Planned, plan: Plan, result: ChangeResult | undefined): DesiredDaemonResult {
  const changes = !isEmptyPlan(plan);
  return {
    daemon: plan.target.plugin.name,
    ...(plan.target.instance ? { instance: plan.target.instance } : {}),
    action: item.created ? "create" : changes ? "update" : "unchanged",
    changed: result !== undefined && changes,
    keys: changes ? plan.changedKeys : [],
    diff: kit.redact(plan.files.map((f) => f.diff).join("")),
    files: plan.files.map((file) => fileResult(kit, file, plan)),
    issues: [...plan.issues, ...item.cross].map((issue) => ({ ...issue, message: kit.redact(issue.message) })),
    facts: factsOf(plan.target, plan.after),
    notes: [...item.notes, ...(result?.notes ?? plan.notes)],
    history: [...new Set(result?.history ?? [])],
    ...(result?.restart ? { restart: result.restart } : {}),
    secretKeys: secretKeysOf(item),
  };
}

/** The `set` keys of a daemon's entry that `secretKeysAmong` finds, and those given a URL with credentials. */
function secretKeysOf(item: Planned): string[] {
  const sets = item.entry.requests.filter((request) => request.op === "set");
  const paths = sets.map((request) => request.path ?? request.key.split("."));
  const secret = new Set(secretKeysAmong(item.target.plugin.secrets ?? [], paths));
  for (const [i, request] of sets.entries()) {
    const given = "text" in request ? request.text : "value" in request ? request.value : undefined;
    if (holdsUrlCredentials(given)) secret.add(i);
  }
  return sets.filter((_, i) => secret.has(i)).map((request) => request.key);
}

function fileResult(kit: Kit, file: FilePlan, plan: Plan): DesiredFileResult {
  const after = file.action === "unchanged" ? file.before : file.after;
  const format = loadedFileFormat(file.file.spec);
  const keys = plan.target.plugin.secrets ?? [];
  const [was, now] = [file.before, after].map((text) => shadowedSecrets(keys, format, text)) as [string[], string[]];
  const old = [...secretsOf(plan.target, plan.before), ...was];
  const texts = redactPair(file.before, after, [...plan.secrets, ...was, ...now], format, old);
  const action = file.action === "replace" ? "update" : file.action;
  const shown = (text: string | undefined) => (text === undefined ? null : kit.redact(text));
  return { path: file.file.path, action, before: shown(texts.before), after: shown(texts.after) };
}

/** The plugin's facts for `config`, with any secret value that slipped in replaced. */
function factsOf(target: Target, config: Config): Record<string, unknown> {
  const hook = target.plugin.facts;
  if (!hook) return {};
  const facts = callPlugin(target.loaded, "facts", () => hook(config, target.ctx));
  if (!isPlainObject(facts))
    throw new KitcfgError("PLUGIN_FAILED", `Plugin "${target.plugin.name}" failed in facts: it must return an object`);
  const secrets = secretsOf(target, config);
  return redactValue(facts, (text) => redactText(text, secrets)) as Record<string, unknown>;
}

/**
 * Put back the daemons written before a write failed, newest first, and say so in the
 * error. A daemon that cannot be put back is named: `kitcfg restore` can be run by hand.
 */
async function rollBack(kit: Kit, done: ChangeResult[], target: Target, error: KitcfgError): Promise<KitcfgError> {
  const restored: string[] = [];
  const left: string[] = [];
  for (const result of [...done].reverse()) {
    if (result.history.length === 0) continue;
    try {
      await restoreVersion(kit, {
        daemon: result.daemon,
        instance: result.instance,
        id: result.history[0],
        force: true,
      });
      restored.push(labelOf(result));
    } catch {
      left.push(labelOf(result));
    }
  }
  const parts: string[] = [];
  if (restored.length > 0) parts.push(`${restored.join(", ")} put back as they were`);
  if (left.length > 0) parts.push(`${left.join(", ")} could not be put back: run \`kitcfg restore DAEMON\``);
  const hint = parts.join("; ") || "Nothing was written";
  return new KitcfgError(error.code, kit.redact(`Cannot apply ${target.label}: ${error.message}`), {
    hint,
    file: error.file,
    key: error.key,
    cause: error,
  });
}

function labelOf(result: { daemon: string; instance?: string }): string {
  return result.instance ? `${result.daemon}/${result.instance}` : result.daemon;
}
