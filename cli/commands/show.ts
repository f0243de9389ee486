import { show } from "../../core/ops.ts";
import { DAEMON_ARG, defineKitcfgCommand, INSTANCE_ARG } from "../command.ts";
import { formatJson } from "../../present/output.ts";

export default defineKitcfgCommand(
  "show",
  "Print a daemon's configuration, or one key of it (secrets redacted)",
  {
    daemon: DAEMON_ARG,
    key: { type: "positional", description: "Dotted key path", required: false },
    instance: INSTANCE_ARG,
  },
  async ({ kit, out, args }) => {
    const result = await show(await kit(), { daemon: args.daemon, key: args.key, instance: args.instance });
    if (out.json) out.data(result);
    else out.line(typeof result.value === "string" ? result.value : formatJson(result.value, 2));
    return 0;
  },
);
