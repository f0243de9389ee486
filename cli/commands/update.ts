import { update } from "../../core/change.ts";
import { KitcfgError } from "../../core/errors.ts";
import { collectChanges } from "../args.ts";
import { DAEMON_ARG, defineKitcfgCommand, INSTANCE_ARG } from "../command.ts";
import { renderChange } from "../render.ts";

export default defineKitcfgCommand(
  "update",
  "Change keys of a daemon's configuration",
  {
    daemon: DAEMON_ARG,
    set: { type: "string", description: "Set KEY to VALUE, typed by the schema; repeatable", valueHint: "KEY=VALUE" },
    unset: { type: "string", description: "Remove KEY; repeatable", valueHint: "KEY" },
    "dry-run": { type: "boolean", description: "Show the diff, write nothing" },
    instance: INSTANCE_ARG,
  },
  async ({ kit, out, args, rawArgs }) => {
    const requests = collectChanges(rawArgs);
    if (requests.length === 0) {
      throw new KitcfgError("USAGE", "Nothing to change: give --set KEY=VALUE or --unset KEY", { hint: "Example: kitcfg update huggingface --set offline=true" });
    }
    const result = await update(await kit(), { daemon: args.daemon, requests, dryRun: args["dry-run"], instance: args.instance });
    if (out.json) out.data(result);
    else renderChange(out, result);
    return 0;
  },
);
