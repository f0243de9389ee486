import { repair } from "../../core/repair.ts";
import { commandWords } from "../../core/target.ts";
import { DAEMON_ARG, defineKitcfgCommand, INSTANCE_ARG } from "../command.ts";
import { renderChange } from "../../present/render.ts";

export default defineKitcfgCommand(
  "repair",
  "Fix what the older tool (ipfs_kit_py) got wrong in a daemon's files; the old files are kept in history",
  {
    daemon: { ...DAEMON_ARG, description: 'Daemon name, or "all"' },
    "dry-run": { type: "boolean", description: "Show the fixes and the diff, write nothing" },
    instance: INSTANCE_ARG,
  },
  async ({ kit, out, args }) => {
    const results = await repair(await kit(), {
      daemon: args.daemon,
      instance: args.instance,
      dryRun: args["dry-run"],
    });
    if (out.json) out.data({ results });
    else {
      for (const result of results) {
        const label = result.instance ? `${result.daemon}/${result.instance}` : result.daemon;
        for (const fix of result.fixes) out.info(`${label}: ${result.dryRun ? "would fix" : "fixed"}: ${fix}`);
        if (result.files.length === 0) for (const note of result.notes) out.success(note);
        else renderChange(out, result);
        if (result.history.length > 0)
          out.info(
            `the old files are kept in history: \`kitcfg history ${commandWords(result.daemon, result.instance)}\``,
          );
      }
      if (results.length === 0) out.success("Nothing to repair: no daemon has a repair for the older tool's files");
    }
    return results.some((r) => r.issues.some((i) => i.severity === "error")) ? 1 : 0;
  },
);
