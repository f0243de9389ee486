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
    // Each value is redacted before it is quoted: a secret's shell-quoted spelling (a `'`
    // becomes `'\''`) would no longer match the secret itself.
    else
      out.io.stdout(
        out.redact(
          renderShellExports(
            Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, out.redact(value)])),
          ),
        ),
      );
    return 0;
  },
);
