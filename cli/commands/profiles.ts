import { listProfiles } from "../../core/keys.ts";
import { DAEMON_ARG, defineKitcfgCommand } from "../command.ts";
import { table } from "../../present/output.ts";

export default defineKitcfgCommand(
  "profiles",
  "List a daemon's profiles, for `configure --profile` and `update --profile`",
  { daemon: DAEMON_ARG },
  async ({ kit, out, args }) => {
    const result = listProfiles(await kit(), { daemon: args.daemon });
    if (out.json) return (out.data(result), 0);
    if (result.profiles.length === 0) return (out.info(`${result.daemon} has no profiles`), 0);
    out.line(
      table(result.profiles.map((p) => [p.name, p.summary + (p.initOnly ? " (only when first configured)" : "")])),
    );
    return 0;
  },
);
