import { show } from "../../core/ops.ts";
import { DAEMON_ARG, defineKitcfgCommand, INSTANCE_ARG } from "../command.ts";
import { formatJson } from "../../present/output.ts";

export default defineKitcfgCommand(
  "get",
  "Print one value, for scripts: strings bare, anything else as JSON (secrets redacted)",
  { daemon: DAEMON_ARG, key: { type: "positional", description: "Dotted key path", required: true }, instance: INSTANCE_ARG },
  async ({ kit, out, args }) => {
    const result = await show(await kit(), { daemon: args.daemon, key: args.key, instance: args.instance });
    if (out.json) out.data(result.value);
    else out.line(typeof result.value === "string" ? result.value : formatJson(result.value));
    return 0;
  },
);
