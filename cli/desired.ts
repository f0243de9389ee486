import { applyDesired } from "../core/desired-apply.ts";
import type { DesiredResult } from "../core/desired-apply.ts";
import { parseDesiredText, readDesired } from "../core/desired.ts";
import { EXIT_CODES, KitcfgError } from "../core/errors.ts";
import type { CommandContext } from "./command.ts";
import type { Output } from "./output.ts";
import { formatIssue } from "./output.ts";

/** `kitcfg plan`'s exit code when something would change (terraform plan -detailed-exitcode's 2). */
export const PLAN_PENDING = 4;

/** The argument plan and apply take. */
export const FILE_ARG = { type: "positional", description: "Desired-state file (TOML or JSON), or - for stdin", required: true } as const;

/**
 * Plan or apply a desired-state file and print the result. Exit codes: 0 done (plan: in
 * sync), 4 (plan only) changes pending, 1 refused (nothing written), 2 usage, 3 I/O.
 */
export async function runDesired(context: CommandContext, mode: { dryRun: boolean; plan: boolean }): Promise<number> {
  const { out, args } = context;
  const kit = await context.kit();
  const state =
    args.file === "-"
      ? await parseDesiredText(kit, await readStdin(out), { name: "the desired state on stdin", baseDir: out.io.cwd })
      : await readDesired(kit, args.file, { cwd: out.io.cwd });
  const result = await applyDesired(kit, state, { dryRun: mode.dryRun });
  if (out.json) out.data(result);
  else renderDesired(out, result);
  if (!result.ok) return EXIT_CODES[result.error!.code];
  return mode.plan && result.changed ? PLAN_PENDING : 0;
}

/**
 * Human output: per daemon, in sync or what changes with its diff (secrets redacted),
 * notes and issues; then one line for the whole: "N daemons changed", "Everything is in
 * sync", or why nothing was written.
 */
export function renderDesired(out: Output, result: DesiredResult): void {
  for (const daemon of result.daemons) {
    const label = daemon.instance ? `${daemon.daemon}/${daemon.instance}` : daemon.daemon;
    for (const note of daemon.notes) out.info(`${label}: ${note}`);
    if (daemon.error) {
      for (const issue of daemon.issues) out.error(`${label}: ${issue.message}`);
      continue;
    }
    if (daemon.action === "unchanged") out.success(`${label}: in sync`);
    else if (result.error) out.info(`${label}: not written, as another daemon was refused`);
    else {
      const verb = daemon.action === "create" ? "created" : "updated";
      const keys = daemon.action === "update" && daemon.keys.length > 0 ? ` (${daemon.keys.join(", ")})` : "";
      out.success(`${label}: ${result.ok && !result.dry_run ? verb : `would be ${verb}`}${keys}`);
      if (daemon.diff) out.diff(daemon.diff);
    }
    for (const issue of daemon.issues) (issue.severity === "error" ? out.error : out.warn)(`${label}: ${formatIssue(issue)}`);
    if (daemon.restart) out.warn(daemon.restart);
  }
  const count = (n: number) => `${n} daemon${n === 1 ? "" : "s"}`;
  if (result.error) return out.error(`Nothing was written on any daemon: ${count(result.daemons.filter((d) => d.error).length)} refused`);
  const changed = result.daemons.filter((d) => d.action !== "unchanged").length;
  if (changed === 0) out.success("Everything is in sync");
  else out.success(result.dry_run ? `${count(changed)} would change (nothing written)` : `${count(changed)} changed`);
}

// --- internal ---

async function readStdin(out: Output): Promise<string> {
  if (!out.io.stdin) throw new KitcfgError("USAGE", "Cannot read the desired state from stdin here: give a file name");
  try {
    return await out.io.stdin();
  } catch (error) {
    throw new KitcfgError("IO_FAILED", `Cannot read the desired state from stdin: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
