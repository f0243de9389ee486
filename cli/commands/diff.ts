import { diffHistory } from "../../core/history-ops.ts";
import { DAEMON_ARG, defineKitcfgCommand, INSTANCE_ARG } from "../command.ts";

export default defineKitcfgCommand(
  "diff",
  "Show a unified diff between versions in history and the files now (secrets redacted)",
  {
    daemon: DAEMON_ARG,
    from: {
      type: "string",
      description: 'Version id or unique prefix, or "current" (default: the newest version)',
      valueHint: "ID",
    },
    to: {
      type: "string",
      description: 'Version id or unique prefix, or "current" (default: current)',
      valueHint: "ID",
    },
    instance: INSTANCE_ARG,
  },
  async ({ kit, out, args }) => {
    const result = await diffHistory(await kit(), {
      daemon: args.daemon,
      instance: args.instance,
      from: args.from,
      to: args.to,
    });
    if (out.json) return (out.data(result), 0);
    for (const note of result.notes) out.info(note);
    if (result.diff) out.diff(result.diff);
    else out.success(`no differences between ${result.from} and ${result.to}`);
    return 0;
  },
);
