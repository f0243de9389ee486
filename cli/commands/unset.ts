import { update } from "../../core/change.ts";
import { DAEMON_ARG, defineKitcfgCommand, INSTANCE_ARG } from "../command.ts";
import { renderChange } from "../../present/render.ts";

export default defineKitcfgCommand(
  "unset",
  "Remove one key, as `kitcfg update DAEMON --unset KEY` does (the daemon's default applies again)",
  {
    daemon: DAEMON_ARG,
    key: { type: "positional", description: "Dotted key path", required: true },
    "dry-run": { type: "boolean", description: "Show the diff, write nothing" },
    instance: INSTANCE_ARG,
  },
  async ({ kit, out, args }) => {
    const requests = [{ op: "unset" as const, key: args.key }];
    const result = await update(await kit(), {
      daemon: args.daemon,
      requests,
      dryRun: args["dry-run"],
      instance: args.instance,
    });
    if (out.json) out.data(result);
    else renderChange(out, result);
    return 0;
  },
);
