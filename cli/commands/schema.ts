import { jsonSchemaOf } from "../../core/keys.ts";
import { DAEMON_ARG, defineKitcfgCommand } from "../command.ts";

export default defineKitcfgCommand(
  "schema",
  "Print the JSON Schema of a daemon's configuration, for an editor to check the file as you type",
  { daemon: DAEMON_ARG },
  async ({ kit, out, args }) => {
    out.data(await jsonSchemaOf(await kit(), { daemon: args.daemon }));
    return 0;
  },
);
