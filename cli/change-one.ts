import { update } from "../core/change.ts";
import type { UpdateRequest } from "../core/request.ts";
import { renderChange } from "../present/render.ts";
import type { CommandContext } from "./command.ts";

/**
 * `kitcfg set` and `kitcfg unset`: one request, as `kitcfg update` would make it; `recorded`
 * gives the command line history records, from the daemon's secret key patterns.
 */
export async function changeOne(
  { kit, out, args }: CommandContext,
  request: UpdateRequest,
  recorded?: (secretPatterns: readonly string[]) => string,
): Promise<number> {
  const k = await kit();
  if (recorded) k.command = recorded(k.target(args.daemon, args.instance).plugin.secrets ?? []);
  const result = await update(k, {
    daemon: args.daemon,
    requests: [request],
    dryRun: args["dry-run"],
    force: args.force,
    instance: args.instance,
  });
  if (out.json) out.data(result);
  else renderChange(out, result);
  // Written with --force, but still not what the daemon would start with.
  return result.issues.some((issue) => issue.severity === "error") ? 1 : 0;
}
