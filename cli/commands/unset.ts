import { DAEMON_ARG, defineKitcfgCommand, FORCE_ARG, INSTANCE_ARG } from "../command.ts";
import { changeOne } from "../change-one.ts";

export default defineKitcfgCommand(
  "unset",
  "Remove one key, as `kitcfg update DAEMON --unset KEY` does (the daemon's default applies again)",
  {
    daemon: DAEMON_ARG,
    key: { type: "positional", description: "Dotted key path", required: true },
    "dry-run": { type: "boolean", description: "Show the diff, write nothing" },
    force: FORCE_ARG,
    instance: INSTANCE_ARG,
  },
  (context) => changeOne(context, { op: "unset", key: context.args.key }),
);
