import { listKeys } from "../../core/keys.ts";
import { DAEMON_ARG, defineKitcfgCommand, INSTANCE_ARG } from "../command.ts";
import { formatJson } from "../../present/output.ts";

export default defineKitcfgCommand(
  "keys",
  "List every key a daemon's configuration takes: type, default, one line of its documentation; secrets marked",
  {
    daemon: DAEMON_ARG,
    prefix: { type: "positional", description: "Only keys under this dotted path (Addresses, API)", required: false },
    instance: INSTANCE_ARG,
  },
  async ({ kit, out, args }) => {
    const result = await listKeys(await kit(), { daemon: args.daemon, instance: args.instance, prefix: args.prefix });
    if (out.json) return (out.data(result), 0);
    for (const k of result.keys) {
      const shown = k.secret
        ? "secret"
        : k.generated
          ? "made for each new configuration"
          : k.default === undefined
            ? "no default"
            : `default ${formatJson(k.default)}`;
      out.line(`${k.key}  (${k.type}; ${shown})${k.doc ? `\n    ${k.doc}` : ""}`);
    }
    return 0;
  },
);
