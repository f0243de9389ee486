import { applyDesired } from "../core/desired-apply.ts";
import { readDesired, readDesiredStdin } from "../core/desired.ts";
import { EXIT_CODES } from "../core/errors.ts";
import type { CommandContext } from "./command.ts";
import { renderDesired } from "../present/desired.ts";

/** `kitcfg plan`'s exit code when something would change (terraform plan -detailed-exitcode's 2). */
export const PLAN_PENDING = 4;

/** The argument plan and apply take. */
export const FILE_ARG = {
  type: "positional",
  description: "Desired-state file (TOML or JSON), or - for stdin",
  required: true,
} as const;

/**
 * Plan or apply a desired-state file and print the result. Exit codes: 0 done (plan: in
 * sync), 4 (plan only) changes pending, 1 refused (nothing written), 2 usage, 3 I/O.
 */
export async function runDesired(context: CommandContext, mode: { dryRun: boolean; plan: boolean }): Promise<number> {
  const { out, args } = context;
  const kit = await context.kit();
  const state =
    args.file === "-"
      ? await readDesiredStdin(kit, { cwd: out.io.cwd })
      : await readDesired(kit, args.file, { cwd: out.io.cwd });
  const result = await applyDesired(kit, state, { dryRun: mode.dryRun });
  if (out.json) out.data(result);
  else renderDesired(out, result);
  if (!result.ok) return EXIT_CODES[result.error!.code];
  return mode.plan && result.changed ? PLAN_PENDING : 0;
}
