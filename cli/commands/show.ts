import { show } from "../../core/ops.ts";
import { formatKeyPath, leaves, parseKeyPath } from "../../core/keypath.ts";
import { DAEMON_ARG, defineKitcfgCommand, INSTANCE_ARG } from "../command.ts";
import { formatJson } from "../../present/output.ts";

export default defineKitcfgCommand(
  "show",
  "Print a daemon's configuration, or one key of it (secrets redacted); --flat: a line per key",
  {
    daemon: DAEMON_ARG,
    key: { type: "positional", description: "Dotted key path", required: false },
    flat: {
      type: "boolean",
      description: "One KEY=VALUE line per key, as `git config --list` (strings bare, anything else JSON)",
    },
    instance: INSTANCE_ARG,
  },
  async ({ kit, out, args }) => {
    const result = await show(await kit(), { daemon: args.daemon, key: args.key, instance: args.instance });
    if (args.flat) {
      const flat = leaves(result.value, args.key === undefined ? [] : parseKeyPath(args.key));
      if (out.json)
        out.data({ ...result, value: Object.fromEntries(flat.map(([path, v]) => [formatKeyPath(path), v])) });
      else for (const [path, value] of flat) out.line(`${formatKeyPath(path)}=${flatText(value)}`);
    } else if (out.json) out.data(result);
    else out.line(typeof result.value === "string" ? result.value : formatJson(result.value, 2));
    return 0;
  },
);

// --- internal ---

/** A value on one line: a string bare unless it holds a line break or other control character. */
function flatText(value: unknown): string {
  return typeof value === "string" && !/[\u0000-\u001f\u007f]/.test(value) ? value : formatJson(value);
}
