import { valuesForClient } from "../client-values.ts";
import { shellQuote } from "../../present/output.ts";
import { DAEMON_ARG, defineKitcfgCommand, INSTANCE_ARG } from "../command.ts";

export default defineKitcfgCommand(
  "args",
  "Print a client's command-line flags on one line: $(kitcfg args NAME)",
  { daemon: DAEMON_ARG, instance: INSTANCE_ARG },
  async ({ kit, out, args }) => {
    const flags = await valuesForClient(await kit(), out, { daemon: args.daemon, instance: args.instance }, "args");
    // The one output allowed to carry a credential: its whole purpose is to hand it to the
    // client (ipfs-cluster-ctl's --basic-auth), so it bypasses redaction on purpose.
    if (out.json) out.io.stdout(`${JSON.stringify(flags)}\n`);
    else out.io.stdout(`${flags.map(shellQuote).join(" ")}\n`);
    return 0;
  },
);
