import { restoreVersion } from "../../core/history-ops.ts";
import { DAEMON_ARG, defineKitcfgCommand, INSTANCE_ARG } from "../command.ts";
import { renderChange } from "../../present/render.ts";

export default defineKitcfgCommand(
  "restore",
  "Put a daemon's files back as they were before a write (default: undo the last one)",
  {
    daemon: DAEMON_ARG,
    id: {
      type: "positional",
      description: "Version id or unique prefix (see `kitcfg history`); default: the newest",
      required: false,
    },
    "dry-run": { type: "boolean", description: "Show the diff, write nothing" },
    force: {
      type: "boolean",
      description: "Restore a version even if it does not parse or validate, or is partly pruned",
    },
    instance: INSTANCE_ARG,
  },
  async ({ kit, out, args }) => {
    const result = await restoreVersion(await kit(), {
      daemon: args.daemon,
      instance: args.instance,
      id: args.id,
      dryRun: args["dry-run"],
      force: args.force,
    });
    if (out.json) out.data(result);
    else renderChange(out, result);
    return 0;
  },
);
