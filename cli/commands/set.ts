import { recordedSet, toRequest } from "../args.ts";
import { DAEMON_ARG, defineKitcfgCommand, FORCE_ARG, INSTANCE_ARG } from "../command.ts";
import { changeOne } from "../change-one.ts";

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
    force: FORCE_ARG,
    instance: INSTANCE_ARG,
  },
  (context) =>
    changeOne(context, toRequest("set", context.args.key, context.args.value, context.out.io.cwd), (secrets) =>
      recordedSet(context.rawArgs, context.args.key, context.args.value, secrets),
    ),
);
