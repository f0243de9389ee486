import { renderShellExports } from "../../core/formats/env.ts";
import { envOf } from "../../core/ops.ts";
import { DAEMON_ARG, defineKitcfgCommand, INSTANCE_ARG } from "../command.ts";

export default defineKitcfgCommand(
  "env",
  'Print export lines for a shell: eval "$(kitcfg env huggingface)"',
  { daemon: DAEMON_ARG, instance: INSTANCE_ARG },
  async ({ kit, out, args }) => {
    const vars = await envOf(await kit(), { daemon: args.daemon, instance: args.instance });
    if (out.json) out.data(vars);
    else out.io.stdout(out.redact(renderShellExports(vars)));
    return 0;
  },
);
