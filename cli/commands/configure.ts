import { configure } from "../../core/change.ts";
import { DAEMON_ARG, defineKitcfgCommand, INSTANCE_ARG } from "../command.ts";
import { renderChange } from "../render.ts";

export default defineKitcfgCommand(
  "configure",
  "Write a daemon's defaults where its files are missing",
  {
    daemon: { ...DAEMON_ARG, description: 'Daemon name, or "all"' },
    force: { type: "boolean", description: "Rewrite existing files from the defaults (old ones kept in history)" },
    "dry-run": { type: "boolean", description: "Show what would be written, write nothing" },
    profile: { type: "string", description: "Apply a profile to the defaults", valueHint: "NAME" },
    instance: INSTANCE_ARG,
  },
  async ({ kit, out, args }) => {
    const results = await configure(await kit(), {
      daemon: args.daemon,
      force: args.force,
      dryRun: args["dry-run"],
      profile: args.profile,
      instance: args.instance,
    });
    if (out.json) out.data({ results });
    else for (const result of results) renderChange(out, result);
    return results.some((r) => r.issues.some((i) => i.severity === "error")) ? 1 : 0;
  },
);
