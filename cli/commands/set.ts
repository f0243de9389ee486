import { update } from "../../core/change.ts";
import { toRequest } from "../args.ts";
import { DAEMON_ARG, defineKitcfgCommand, INSTANCE_ARG } from "../command.ts";
import { renderChange } from "../../present/render.ts";

export default defineKitcfgCommand(
  "set",
  "Set one key, as `kitcfg update DAEMON --set KEY=VALUE` does (VALUE @FILE reads a file, @- stdin)",
  {
    daemon: DAEMON_ARG,
    key: { type: "positional", description: "Dotted key path (see `kitcfg keys DAEMON`)", required: true },
    value: {
      type: "positional",
      description: "The value, typed by the schema; @FILE reads it from FILE, @- from stdin",
      required: true,
    },
    "dry-run": { type: "boolean", description: "Show the diff, write nothing" },
    instance: INSTANCE_ARG,
  },
  async ({ kit, out, args }) => {
    const requests = [toRequest("set", args.key, args.value, out.io.cwd)];
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
