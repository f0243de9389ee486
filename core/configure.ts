import { issueText, KitcfgError, ParseError, type ValidationError } from "./errors.ts";
import type { Issue } from "./errors.ts";
import type { Change } from "./formats/types.ts";
import { assemblePlan, changedKeys } from "./plan.ts";
import { redactText, secretsOf } from "./redact.ts";
import type { Plan } from "./plan.ts";
import { composeConfig, partsOf, readSnapshot } from "./snapshot.ts";
import type { Snapshot } from "./snapshot.ts";
import { callPlugin, commandWords } from "./target.ts";
import type { Target } from "./target.ts";
import type { Config } from "./plugin.ts";
import { applyProfile, profileOf } from "./profile.ts";
import { applyChanges } from "./update.ts";
import { toChange, unsetsHeld } from "./request.ts";
import type { UpdateRequest } from "./request.ts";
import { refusalError, validateConfig } from "./validate.ts";
import { assembleOrRefuse, errorsOf, validatePlanned } from "./_planned.ts";

export interface PlanConfigureOptions {
  target: Target;
  /** Rewrite existing files from the defaults; the old ones are kept in history. */
  force?: boolean;
  /** Apply this profile to the defaults (or, with an existing config, to it). */
  profile?: string;
  /**
   * Values for what is written (`configure --set key=value`), typed by the schema as an
   * update's are and applied to the defaults after the profile. They shape new files only:
   * a configuration kept as it is must already hold them.
   */
  requests?: readonly UpdateRequest[];
  /** As for `planUpdate`: an unset of a key the daemon does not take, absent here, is reported, not refused. */
  onUnheldUnset?: (key: string) => void;
}

/**
 * Plan writing a daemon's defaults: each missing file is created from what the daemon
 * itself would write; an existing valid file is left as it is (with `force`, replaced).
 * Derived files are rewritten whenever they disagree with the configuration.
 * @throws ParseError when an existing file does not parse and `force` is not set;
 * KitcfgError `INVALID_CONFIG` when an existing file is invalid and `force` is not set; `USAGE` for an
 * unknown profile, or for `requests` that a kept configuration does not already hold; `INVALID_KEY` /
 * `UNKNOWN_KEY` / `INVALID_VALUE` for a request that does not fit; `ValidationError` when the result
 * would be invalid.
 */
export async function planConfigure(options: PlanConfigureOptions): Promise<Plan> {
  const { target, force = false } = options;
  const requested = (options.requests ?? []).map((request) => toChange(target, request));
  const snapshot = await readSnapshot(target);
  if (!force) await refuseBroken(target, snapshot);
  const plain = applyProfile(
    target,
    await callPlugin(target.loaded, "defaults", () => target.plugin.defaults(target.ctx)),
    options.profile,
  );
  // `--unset` leaves a key out of the defaults: one they cannot hold is a misspelt key.
  const changes = unsetsHeld(target, options.requests ?? [], requested, plain, options.onUnheldUnset);
  const defaults = changes.length > 0 ? applyChanges(target, plain, changes) : plain;
  const fromDefaults = partsOf(target, defaults);
  const existing = partsOf(target, snapshot.config);
  const parts = new Map<string, unknown>();
  const replace = new Set<string>();
  for (const snap of snapshot.files) {
    const { key } = snap.file;
    if (snap.file.spec.derive) continue;
    const fresh = fromDefaults.get(key);
    const keep = snap.text !== undefined && (!force || fresh === undefined);
    // A missing mounted file whose part another file holds (a token an older tool merged into the
    // main file) gets that part: a configuration kept is kept whole, not with defaults in its holes.
    const held = !force && snapshot.configured && snap.file.mount.length > 0 ? existing.get(key) : undefined;
    parts.set(key, keep ? existing.get(key) : (held ?? fresh));
    if (!keep && snap.text !== undefined) replace.add(key);
  }
  const after = composeConfig(target, parts);
  if (snapshot.configured && !force) refuseReshaping(target, after, changes, options.profile);
  const plan = await assembleOrRefuse({
    target,
    after,
    assemble: () =>
      assemblePlan({
        kind: "configure",
        target,
        snapshot,
        after,
        replace,
        issues: [],
        notes: [],
        recompute: () => planConfigure(options),
      }),
    refuse: (errors) => refuseValues(target, errors, secretsOf(target, after)),
  });
  // Whatever made them (values, a profile, --force over a file kept beside), files the
  // daemon would refuse are not written. They are judged as planned: a check that reads a
  // file's raw text sees the new text, not the broken file --force replaces.
  const issues = await validatePlanned(target, after, plan.files);
  const errors = errorsOf(issues);
  if (errors.length > 0) throw refuseValues(target, errors, secretsOf(target, after));
  // Said only of a main file left byte for byte: one kept whose part moved to another file is updated.
  const main = plan.files.find((f) => f.file.main && f.action === "unchanged" && f.before !== undefined);
  const note = `${main?.file.path} exists and is valid: left as it is (use --force to rewrite it)`;
  return { ...plan, issues, notes: main ? [note, ...plan.notes] : plan.notes };
}

// --- internal ---

/**
 * A configuration kept as it is must already hold what configure was given: its values and
 * its profile shape new files only, and one silently left out would read as applied.
 * @throws KitcfgError `USAGE` naming the command that makes the change.
 */
function refuseReshaping(target: Target, after: Config, changes: Change[], profile: string | undefined): void {
  const named = commandWords(target.plugin.name, target.instance);
  const rewrite = "rewrite the files with --force (the old ones are kept in history)";
  if (changes.length > 0 && changedKeys(after, applyChanges(target, after, changes)).length > 0) {
    throw new KitcfgError("USAGE", `${target.label} is already configured: configure's values shape new files only`, {
      hint: `Change keys with \`kitcfg update ${named} --set KEY=VALUE\`, or ${rewrite}`,
    });
  }
  // One that picks new values each time (a random port) would differ from any file: a desired state keeps it so too.
  if (profile === undefined || profileOf(target, profile).random) return;
  if (changedKeys(after, applyProfile(target, after, profile)).length === 0) return;
  throw new KitcfgError(
    "USAGE",
    `${target.label} is already configured: configure's profile "${profile}" shapes new files only`,
    {
      hint: profileOf(target, profile).initOnly
        ? `It applies only when the configuration is first written: ${rewrite}`
        : `Apply it with \`kitcfg update ${named} --profile ${profile}\`, or ${rewrite}`,
    },
  );
}

/** Values given to configure that make the result invalid: nothing is written. */
function refuseValues(target: Target, issues: Issue[], secrets: string[]): ValidationError {
  return refusalError(
    issues,
    (issue) => `Cannot configure ${target.label}: ${issueText(issue)}`,
    secrets,
    "Nothing was written",
  );
}

async function refuseBroken(target: Target, snapshot: Snapshot): Promise<void> {
  const broken = snapshot.files.find((f) => f.error && !f.file.spec.derive);
  if (broken?.error) {
    // Still a file that does not parse (exit 3, as from every other command), with the way out.
    const { line, column } = broken.error;
    throw new ParseError(`${broken.error.message}; use --force to replace it (the old file is kept in history)`, {
      file: broken.file.path,
      line,
      column,
      cause: broken.error,
    });
  }
  if (!snapshot.configured) return;
  const errors = (await validateConfig(target, snapshot.config)).filter((i) => i.severity === "error");
  if (errors.length > 0) {
    const first = errors[0]!;
    const named = commandWords(target.plugin.name, target.instance);
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more; see \`kitcfg validate ${named}\`)` : "";
    // The value a message quotes may be a secret's (a password of the wrong type): redacted, as validate does.
    const message = redactText(first.message, secretsOf(target, snapshot.config));
    throw new KitcfgError(
      "INVALID_CONFIG",
      `${target.label} is configured but not valid: "${first.key}": ${message}${more}; ` +
        "use --force to replace it with defaults",
      { file: first.file, key: first.key },
    );
  }
}
