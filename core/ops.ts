import { readPathOf } from "./_fold-keys.ts";
import { EXIT_CODES, issueText, KitcfgError, ValidationError } from "./errors.ts";
import type { Issue } from "./errors.ts";
import { ARRAY_INDEX, formatKeyPath, lookupPath, parseKeyPath, reachesSecret } from "./keypath.ts";
import { nearestName } from "./_nearest.ts";
import { schemaAt } from "./schema.ts";
import type { Kit } from "./kit.ts";
import { secretsOf } from "./redact.ts";
import { redactConfig } from "./redact.ts";
import { readFileStates, readSnapshot, snapshotOf } from "./snapshot.ts";
import type { FileState } from "./_file-state.ts";
import { recallChecked } from "./check-memo.ts";
import type { CheckedTarget } from "./check-memo.ts";
import type { Snapshot } from "./snapshot.ts";
import type { LoadedPlugin } from "./registry.ts";
import { crossIssues } from "./cross.ts";
import { callPlugin, commandWords, failedTarget, refuseInstanceForAll } from "./target.ts";
import type { Target } from "./target.ts";

/** The outcome of validating one daemon. */
export interface DaemonReport {
  daemon: string;
  instance?: string;
  configured: boolean;
  valid: boolean;
  issues: Issue[];
  files: { key: string; path: string; exists: boolean }[];
  restart?: string;
}

export interface ValidateResult {
  ok: boolean;
  daemons: DaemonReport[];
  /** Disagreements between daemons. */
  cross: Issue[];
}

/**
 * Validate one daemon, or every configured one and the agreement between them. A named
 * daemon that is not configured is an error; in "all", unconfigured daemons are skipped.
 * @throws KitcfgError `USAGE` for an instance without a daemon.
 */
export async function validate(
  kit: Kit,
  options: { daemon?: string; instance?: string } = {},
): Promise<ValidateResult> {
  if (!options.daemon) refuseInstanceForAll(options.instance);
  const targets = options.daemon ? [kit.target(options.daemon, options.instance)] : allTargets(kit, true);
  const daemons: DaemonReport[] = [];
  // Every configured daemon and instance whose files parse, for what they must agree on.
  const configured: Snapshot[] = [];
  for (const target of targets) {
    const report = options.daemon ? await reportOn(kit, target, true) : await reportOrFailure(kit, target, true);
    if (!report.snapshot) {
      daemons.push(report.report);
      continue;
    }
    if (!report.snapshot.configured && !options.daemon) continue;
    if (!report.snapshot.configured) {
      report.report.issues.push({ key: "", message: notConfigured(target).message, severity: "error" });
      report.report.valid = false;
    }
    if (agrees(report.snapshot)) configured.push(report.snapshot);
    daemons.push(report.report);
  }
  const cross = options.daemon ? [] : issuesAcross(kit, configured);
  const problems: Issue[] = options.daemon
    ? []
    : kit.registry.problems.map((p) => ({ key: "", message: p.message, severity: "error", file: p.file }));
  // A warning between daemons (a doubtful but working setup) is reported, not a failure.
  const ok =
    daemons.length > 0 &&
    daemons.every((d) => d.valid) &&
    cross.every((i) => i.severity !== "error") &&
    problems.length === 0;
  return { ok, daemons, cross: [...problems, ...cross] };
}

/**
 * The exit code of a validation, as for every other command: 3 when a file does not parse
 * or cannot be read, else 1 when anything is invalid, else 0.
 */
export function validateExitCode(result: ValidateResult): number {
  const issues = [...result.daemons.flatMap((d) => d.issues), ...result.cross].filter((i) => i.severity === "error");
  return Math.max(result.ok ? 0 : 1, ...issues.map((i) => (i.code ? EXIT_CODES[i.code] : 1)));
}

/**
 * Every daemon (and instance) with its files and whether it is configured and valid: its own
 * files, and what it must agree on with the other daemons configured here (as `validate` says
 * of all daemons), so that a daemon `validate` refuses is not called valid here.
 */
export async function status(kit: Kit): Promise<DaemonReport[]> {
  const reports: DaemonReport[] = [];
  const configured: Snapshot[] = [];
  for (const target of allTargets(kit, true)) {
    const { report, snapshot } = await reportOrFailure(kit, target, false);
    reports.push(report);
    if (snapshot && agrees(snapshot)) configured.push(snapshot);
  }
  // status gives a daemon's errors only (validate gives every issue).
  for (const issue of issuesAcross(kit, configured)) {
    const report = issue.severity === "error" && reports.find((r) => labelOf(r) === issue.daemon);
    if (!report) continue;
    report.valid = false;
    report.issues.push(issue);
  }
  return reports;
}

export interface ShowOptions {
  daemon: string;
  instance?: string;
  key?: string;
}

/**
 * The configuration of a daemon, or the value at one key, secrets redacted.
 * @throws KitcfgError `NOT_FOUND` when the daemon is not configured or the key is absent.
 */
export async function show(
  kit: Kit,
  options: ShowOptions,
): Promise<{ daemon: string; instance?: string; key?: string; value: unknown }> {
  const { target, snapshot } = await readConfigured(kit, options);
  const redacted = redactConfig(snapshot.config, target.plugin.secrets ?? []);
  if (options.key === undefined) return { daemon: target.plugin.name, instance: target.instance, value: redacted };
  const path = parseKeyPath(options.key);
  const schema = target.plugin.schema;
  const value = lookupPath(redacted, target.plugin.caseInsensitiveKeys ? readPathOf(schema, redacted, path) : path);
  if (value === undefined) throw noValue(target, options.key);
  return { daemon: target.plugin.name, instance: target.instance, key: options.key, value };
}

/** The environment variables that give a daemon its configuration (`kitcfg env`). */
export async function envOf(kit: Kit, options: { daemon: string; instance?: string }): Promise<Record<string, string>> {
  const { target, snapshot } = await configuredTarget(kit, options, "env");
  return callPlugin(target.loaded, "env", () => target.plugin.env!(snapshot.config, target.ctx));
}

/** The command-line flags that give a client its configuration (`kitcfg args`). */
export async function argsOf(kit: Kit, options: { daemon: string; instance?: string }): Promise<string[]> {
  const { target, snapshot } = await configuredTarget(kit, options, "args");
  return callPlugin(target.loaded, "args", () => target.plugin.args!(snapshot.config, target.ctx));
}

/**
 * `envOf` or `argsOf`, and the errors `validate` finds in the same reading of the files: a client
 * given values of a configuration with errors may refuse them (`kitcfg env` and `args` say so).
 * @throws as `envOf` and `argsOf` do.
 */
export async function clientValues<K extends "env" | "args">(
  kit: Kit,
  options: { daemon: string; instance?: string },
  capability: K,
): Promise<{ values: K extends "env" ? Record<string, string> : string[]; errors: Issue[] }> {
  const target = await capableTarget(kit, options, capability);
  const { report, snapshot } = await reportOn(kit, target, true);
  checkConfigured(target, snapshot);
  const errors = report.issues.filter((issue) => issue.severity === "error");
  let values: unknown;
  try {
    values = callPlugin(target.loaded, capability, () => target.plugin[capability]!(snapshot.config, target.ctx));
  } catch (error) {
    // The hook may trip over a value `validate` refuses (an object where it wants text): those errors say
    // enough, as for a plugin's own checks (validate.ts), and are the user's to fix, not the plugin's.
    if (errors.length === 0 || !(error instanceof KitcfgError) || error.code !== "PLUGIN_FAILED") throw error;
    const words = commandWords(target.plugin.name, target.instance);
    const head =
      `Cannot give ${target.label}'s ${capability === "env" ? "variables" : "flags"}: its configuration has ` +
      `${errors.length === 1 ? "an error" : `${errors.length} errors`}`;
    // Each error a line, as an update's refusal gives them (values shown pass through the output's redaction).
    throw new ValidationError(
      [head, ...errors.map((issue) => `${target.label}: ${issueText(issue)}`)].join("\n"),
      errors,
      {
        key: errors[0]!.key,
        hint: `Correct it (\`kitcfg validate ${words}\` lists every issue)`,
      },
    );
  }
  return { values: values as never, errors };
}

/**
 * The error for a key that holds no value (`get`, `show`). Where the daemon takes no such key,
 * the hint says so, with the nearest one: a misspelt key holds no value either, and the exit
 * code stays the one of an absent value, as `git config` gives. An index into a list is no key.
 * A key the daemon takes, with a default its documentation gives, has that default in the hint.
 */
export function noValue(target: Target, key: string): KitcfgError {
  const path = parseKeyPath(key);
  const lookup = schemaAt(target.plugin.schema, path, { caseInsensitive: Boolean(target.plugin.caseInsensitiveKeys) });
  const missing = lookup.found ? undefined : path[lookup.at.length]!;
  let hint: string | undefined;
  if (lookup.found) {
    const known = documentedDefault(target, lookup.path);
    if (known !== undefined)
      hint = `not set: ${target.plugin.name} uses its default, ${JSON.stringify(known)}, when the key is absent`;
  } else if (missing !== undefined && !ARRAY_INDEX.test(missing)) {
    const near = nearestName(missing, lookup.known);
    const prefix = lookup.at.length > 0 ? `${formatKeyPath(lookup.at)}.` : "";
    hint =
      `${target.plugin.name} takes no key "${prefix}${missing}"` +
      `${near ? `: did you mean "${prefix}${near}"?` : ""} (see \`kitcfg keys ${target.plugin.name}\`)`;
  }
  return new KitcfgError("NOT_FOUND", `${target.label} has no value at "${key}"`, { key, hint });
}

/**
 * The default the daemon's documentation gives for the key at `path` (`keyDocs`), never for
 * a secret nor for a key that holds one (a default object with a password in it).
 */
function documentedDefault(target: Target, path: readonly string[]): unknown {
  const { plugin } = target;
  if (!plugin.keyDocs) return undefined;
  const known = callPlugin(target.loaded, "keyDocs", () => plugin.keyDocs!())[formatKeyPath(path)]?.default;
  const nests = typeof known === "object" && known !== null;
  if ((plugin.secrets ?? []).some((pattern) => reachesSecret(pattern.split("."), path, nests))) return undefined;
  return known;
}

/**
 * The error for a daemon (or instance) with no main file, as a daemon's own config command without its folder:
 * nothing but `configure` creates one, so a typo in `--instance` or in the daemon's path
 * variable cannot make a new configuration (and a new identity).
 */
export function notConfigured(target: Target): KitcfgError {
  const main = target.files.find((f) => f.main) ?? target.files[0];
  const instance =
    target.instance === undefined || target.instance === target.plugin.instances?.default
      ? ""
      : ` --instance ${target.instance}`;
  return new KitcfgError(
    "NOT_FOUND",
    `${target.label} is not configured: run \`kitcfg configure ${target.plugin.name}${instance}\``,
    {
      ...(main
        ? {
            file: main.path,
            hint: `There is no ${main.path}; check the path (and the variables that move it) if it should exist`,
          }
        : {}),
    },
  );
}

// --- internal ---

/** A configured daemon whose files parse: one to compare with the others (`issuesAcross`). */
function agrees(snapshot: Snapshot): boolean {
  return snapshot.configured && !snapshot.files.some((f) => f.error && !f.file.spec.derive);
}

/** The issues between the daemons of `snapshots`: the plugins' checks across daemons and shared sockets. */
function issuesAcross(kit: Kit, snapshots: readonly Snapshot[]): Issue[] {
  return crossIssues(
    kit,
    snapshots.map((s) => ({ target: s.target, config: s.config })),
  ).map((found) => found.issue);
}

function labelOf(report: DaemonReport): string {
  return report.instance ? `${report.daemon}/${report.instance}` : report.daemon;
}

/**
 * `reportOn`, except that a daemon whose files cannot be read (a path through a regular
 * file, a folder without permission) is reported as such, so one bad daemon does not hide
 * the others in `validate` or `status`.
 */
async function reportOrFailure(
  kit: Kit,
  target: Target,
  deep: boolean,
): Promise<{ report: DaemonReport; snapshot?: Snapshot }> {
  try {
    return await reportOn(kit, target, deep);
  } catch (error) {
    if (!(error instanceof KitcfgError)) throw error;
    const issue: Issue = {
      key: "",
      message: kit.redact(error.message),
      severity: "error",
      code: error.code,
      ...(error.file ? { file: error.file } : {}),
    };
    const report: DaemonReport = {
      daemon: target.plugin.name,
      ...(target.instance ? { instance: target.instance } : {}),
      configured: true,
      valid: false,
      issues: [issue],
      files: target.files.map((f) => ({ key: f.key, path: f.path, exists: false })),
    };
    return { report };
  }
}

async function reportOn(
  kit: Kit,
  target: Target,
  deep: boolean,
): Promise<{ report: DaemonReport; snapshot: Snapshot }> {
  if (target.failure) throw target.failure;
  const states = await readFileStates(target);
  const check = (checked: Target) => checkTarget(kit, checked, states);
  const { snapshot, issues, secrets } = kit.memo
    ? await recallChecked(kit.memo, target, states, check)
    : await check(target);
  remember(kit, secrets);
  const report: DaemonReport = {
    daemon: target.plugin.name,
    ...(target.instance ? { instance: target.instance } : {}),
    configured: snapshot.configured,
    valid: snapshot.configured && !issues.some((i) => i.severity === "error"),
    // status says why a daemon is invalid: its errors (validate gives every issue).
    issues: deep ? issues : issues.filter((i) => i.severity === "error"),
    files: snapshot.files.map((f) => ({ key: f.file.key, path: f.file.path, exists: f.text !== undefined })),
    // Only status says whether a daemon runs: validate changes nothing a daemon must re-read.
    ...(deep ? {} : restartNote(target, true)),
  };
  return { report, snapshot };
}

/** A daemon's files parsed and checked: the issues of the files, then of the configuration. */
async function checkTarget(kit: Kit, target: Target, states: ReadonlyMap<string, FileState>): Promise<CheckedTarget> {
  const snapshot = await snapshotOf(target, states);
  const secrets = secretsOf(target, snapshot.config);
  // Before the checks: a message of a plugin that fails may quote a secret.
  remember(kit, secrets);
  const unparsed = new Map(snapshot.files.flatMap((f) => (f.error ? [[f.file.path, f.error.message] as const] : [])));
  const tag = (issue: Issue): Issue =>
    unparsed.get(issue.file ?? "") === issue.message ? { ...issue, code: "PARSE_FAILED" } : issue;
  // Not loaded for a `get`.
  const [{ derivedFileIssues, fileIssues }, { validateSnapshot }] = await Promise.all([
    import("./validate.ts"),
    import("./_planned.ts"),
  ]);
  const issues = snapshot.configured ? (await fileIssues(snapshot)).map(tag) : [];
  if (snapshot.configured && !snapshot.files.some((f) => f.error && !f.file.spec.derive)) {
    // A check that reads one of the daemon's own files gets the text read here, not read again.
    const own = await validateSnapshot(snapshot);
    // An env file "disagrees" with an invalid value by necessity: the value is what to fix.
    if (!own.some((i) => i.severity === "error")) issues.push(...(await derivedFileIssues(snapshot)));
    issues.push(...own);
  }
  return { snapshot, issues, secrets };
}

/** Every plugin's target: each instance found on disk (or the default one) for plugins with instances. */
export function allTargets(kit: Kit, foundInstances: boolean): Target[] {
  const targets: Target[] = [];
  for (const loaded of kit.registry.plugins) {
    // A plugin whose paths or instance list throw is one failed target, not a failed run.
    try {
      targets.push(...targetsOf(kit, loaded, foundInstances));
    } catch (error) {
      if (!(error instanceof KitcfgError)) throw error;
      targets.push(failedTarget(loaded, error));
    }
  }
  return targets;
}

function targetsOf(kit: Kit, loaded: LoadedPlugin, foundInstances: boolean): Target[] {
  const { plugin } = loaded;
  if (!plugin.instances) return [kit.target(plugin.name)];
  const probe = kit.target(plugin.name);
  const found = foundInstances ? callPlugin(loaded, "instances.list", () => plugin.instances!.list(probe.ctx)) : [];
  return (found.length > 0 ? found : [plugin.instances.default]).map((instance) => kit.target(plugin.name, instance));
}

async function configuredTarget(kit: Kit, options: { daemon: string; instance?: string }, capability: "env" | "args") {
  const target = await capableTarget(kit, options, capability);
  const { snapshot } = await readConfigured(kit, options, target);
  return { target, snapshot };
}

/**
 * The target of a daemon whose plugin gives `capability`.
 * @throws KitcfgError `USAGE` naming the plugins that do, when it does not.
 */
async function capableTarget(
  kit: Kit,
  options: { daemon: string; instance?: string },
  capability: "env" | "args",
): Promise<Target> {
  const target = kit.target(options.daemon, options.instance);
  if (!target.plugin[capability]) {
    const registry = (await kit.registry.loadAll?.()) ?? kit.registry;
    const which = registry.plugins.filter((p) => p.plugin[capability]).map((p) => p.plugin.name);
    throw new KitcfgError(
      "USAGE",
      `${target.plugin.name} has no ${capability} to give${which.length ? `: try ${which.join(", ")}` : ""}`,
    );
  }
  return target;
}

/**
 * A daemon's configuration as read, for commands that need one that exists: its secrets
 * remembered for redaction.
 * @throws ParseError for a file that does not parse; KitcfgError `NOT_FOUND` when the
 * daemon (or instance) is not configured.
 */
export async function readConfigured(
  kit: Kit,
  options: { daemon: string; instance?: string },
  target = kit.target(options.daemon, options.instance),
): Promise<{ target: Target; snapshot: Snapshot }> {
  const snapshot = await readSnapshot(target);
  remember(kit, secretsOf(target, snapshot.config));
  checkConfigured(target, snapshot);
  return { target, snapshot };
}

/**
 * @throws ParseError for a file of the snapshot that does not parse; KitcfgError `NOT_FOUND`
 * when the daemon (or instance) is not configured.
 */
function checkConfigured(target: Target, snapshot: Snapshot): void {
  const broken = snapshot.files.find((f) => f.error && !f.file.spec.derive);
  if (broken?.error) throw broken.error;
  if (!snapshot.configured) throw notConfigured(target);
}

/** `{ restart }` with the plugin's note when the daemon runs and `changed` is true. */
export function restartNote(target: Target, changed: boolean): { restart?: string } {
  if (!changed || !target.plugin.running) return {};
  const note = callPlugin(target.loaded, "running", () => target.plugin.running!(target.ctx));
  return note ? { restart: note } : {};
}

/** Add secret values to the session's redaction list. */
export function remember(kit: Kit, secrets: string[]): void {
  for (const secret of secrets) kit.secrets.add(secret);
}
