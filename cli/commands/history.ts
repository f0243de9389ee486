import { listHistory } from "../../core/history-ops.ts";
import { DAEMON_ARG, defineKitcfgCommand, INSTANCE_ARG } from "../command.ts";
import { historyTable } from "../../present/text.ts";
import { commandWords } from "../../core/target.ts";

export default defineKitcfgCommand(
  "history",
  "List the versions kept of a daemon's files, newest first",
  { daemon: DAEMON_ARG, instance: INSTANCE_ARG },
  async ({ kit, out, args }) => {
    const result = await listHistory(await kit(), { daemon: args.daemon, instance: args.instance });
    if (out.json) return (out.data(result), 0);
    const label = result.instance ? `${result.daemon}/${result.instance}` : result.daemon;
    if (result.versions.length === 0)
      return (out.info(`${label}: no versions in history yet (one is kept before every write)`), 0);
    out.line(historyTable(result));
    for (const note of result.notes) out.info(note);
    const named = commandWords(result.daemon, result.instance);
    out.info(
      "each version is what the files held before that write: " +
        `\`kitcfg diff ${named} --from ID\`, \`kitcfg restore ${named} ID\``,
    );
    return 0;
  },
);
