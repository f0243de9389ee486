import { defineKitcfgCommand } from "../command.ts";
import { FILE_ARG, runDesired } from "../desired.ts";

export default defineKitcfgCommand(
  "apply",
  "Make every daemon a desired-state file names hold what it says; all or nothing",
  {
    file: FILE_ARG,
    "dry-run": { type: "boolean", description: "Show the diff, write nothing (as plan, with apply's exit codes)" },
  },
  (context) => runDesired(context, { dryRun: context.args["dry-run"] === true, plan: false }),
);
