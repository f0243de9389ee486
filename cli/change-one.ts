import { update } from "../core/change.ts";
import type { UpdateRequest } from "../core/update.ts";
import { renderChange } from "../present/render.ts";
import type { CommandContext } from "./command.ts";

/** `kitcfg set` and `kitcfg unset`: one request, as `kitcfg update` would make it. */
export async function changeOne({ kit, out, args }: CommandContext, request: UpdateRequest): Promise<number> {
  const result = await update(await kit(), {
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
