import * as v from "valibot";
import { applyDesired } from "../core/desired-apply.ts";
import type { DesiredResult } from "../core/desired-apply.ts";
import { parseDesired } from "../core/desired.ts";
import { KitcfgError, ValidationError } from "../core/errors.ts";
import { renderedText } from "../present/text.ts";
import { renderDesired } from "../present/desired.ts";
import { args, DRY_RUN_ARG, ISSUE } from "./schemas.ts";
import type { ToolOutcome } from "./call.ts";
import type { ToolDef } from "./tools.ts";

const FILE_RESULT = v.object({
  path: v.string(),
  action: v.picklist(["create", "update", "delete", "unchanged"]),
  before: v.nullable(v.string()),
  after: v.nullable(v.string()),
});

const DAEMON_RESULT = v.object({
  daemon: v.string(),
  instance: v.optional(v.string()),
  action: v.picklist(["create", "update", "unchanged"]),
  changed: v.boolean(),
  keys: v.array(v.string()),
  diff: v.string(),
  files: v.array(FILE_RESULT),
  issues: v.array(ISSUE),
  facts: v.record(v.string(), v.unknown()),
  notes: v.array(v.string()),
  history: v.array(v.string()),
  restart: v.optional(v.string()),
  error: v.optional(v.object({ code: v.string(), message: v.string() })),
  secretKeys: v.array(v.string()),
});

/**
 * The result of `kitcfg plan|apply --json`. A failure has the same shape: `ok` false, the
 * daemons when some were refused (else none), and `error` as the CLI's.
 */
export const DESIRED_RESULT = v.object({
  ok: v.boolean(),
  dry_run: v.boolean(),
  changed: v.boolean(),
  daemons: v.array(DAEMON_RESULT),
  facts: v.record(v.string(), v.record(v.string(), v.unknown())),
  error: v.optional(
    v.object({
      code: v.string(),
      message: v.string(),
      hint: v.optional(v.string()),
      file: v.optional(v.string()),
      key: v.optional(v.string()),
      issues: v.optional(v.array(ISSUE)),
    }),
  ),
});

/**
 * `apply_daemon_configs`: `kitcfg apply` (or, with dry_run, `kitcfg plan`) for a desired
 * state given as JSON. Values by reference (`@FILE`, `env:NAME`) are refused: a caller of
 * the server must not read the server's files or environment through it.
 */
export function desiredTool(): ToolDef {
  return {
    name: "apply_daemon_configs",
    title: "Apply desired daemon configurations",
    description:
      "Make several daemons hold a desired state at once, all or nothing. desired_state maps daemon names to " +
      '{"profile"?, "set"?: {dotted key: value}, "unset"?: [keys]}; a daemon with instances takes "instances": ' +
      '{NAME: {..., "source"?}}. String values are typed by the schema as on the command line, other JSON values are ' +
      "kept. A daemon not configured yet is created from its defaults. Every daemon is planned and checked first; if " +
      "one is refused nothing is written. dry_run: true returns the plan (diffs) only. The result gives each " +
      "daemon's public facts (peer ids, listen addresses, a fingerprint of the cluster secret).",
    input: args({
      desired_state: v.pipe(
        v.record(
          v.string(),
          v.unknown(),
          'expected an object of daemons, e.g. {"ipfs": {"set": {"Swarm.ConnMgr.HighWater": 200}}}',
        ),
        v.description("Daemon name to {profile?, set?, unset?, instances?}, as a kitcfg desired-state file in JSON"),
      ),
      dry_run: DRY_RUN_ARG,
    }),
    output: DESIRED_RESULT,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    run: async (kit, given): Promise<ToolOutcome> => {
      const dryRun = given.dry_run === true;
      try {
        const result = await applyDesired(kit, parseDesired(kit, given.desired_state, { references: false }), {
          dryRun,
        });
        return { data: { ...result }, text: await desiredText(result), isError: !result.ok };
      } catch (error) {
        if (!(error instanceof KitcfgError)) throw error;
        return {
          data: failure(error, dryRun),
          text: error.hint ? `${error.message}\n${error.hint}` : error.message,
          isError: true,
        };
      }
    },
  };
}

// --- internal ---

/** A usage, parse or write failure in the result's shape (runTool redacts it). */
function failure(error: KitcfgError, dryRun: boolean): Record<string, unknown> {
  const issues = error instanceof ValidationError ? error.issues : undefined;
  const detail = {
    code: error.code,
    message: error.message,
    hint: error.hint,
    file: error.file,
    key: error.key,
    issues,
  };
  return { ok: false, dry_run: dryRun, changed: false, daemons: [], facts: {}, error: detail };
}

/** The text the CLI prints for the same result. */
async function desiredText(result: DesiredResult): Promise<string> {
  return renderedText((out) => renderDesired(out, result));
}
