import { defineKitcfgCommand } from "../command.ts";
import { FILE_ARG, runDesired } from "../desired.ts";

export default defineKitcfgCommand(
  "plan",
  "Show what applying a desired-state file would change, write nothing (exit 4: changes pending)",
  { file: FILE_ARG },
  (context) => runDesired(context, { dryRun: true, plan: true }),
);
