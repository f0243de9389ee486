import { KitcfgError } from "../../core/errors.ts";
import { renderShellExports } from "../../core/formats/env.ts";
import { valuesForClient } from "../client-values.ts";
import { commandWords } from "../../core/target.ts";
import { formatJson } from "../../present/output.ts";
import { DAEMON_ARG, defineKitcfgCommand, INSTANCE_ARG } from "../command.ts";

export default defineKitcfgCommand(
  "env",
  'Print export lines for a shell: eval "$(kitcfg env huggingface)"; a secret only with --reveal',
  {
    daemon: DAEMON_ARG,
    reveal: { type: "boolean", description: "Print a variable holding a secret in clear (without it, exit 1)" },
    instance: INSTANCE_ARG,
  },
  async ({ kit, out, args }) => {
    const vars = await valuesForClient(await kit(), out, { daemon: args.daemon, instance: args.instance }, "env");
    // A placeholder in an export line is a wrong value to whatever evaluates it, as `get` says.
    const secret = Object.keys(vars).filter((name) => out.redact(vars[name]!) !== vars[name]);
    if (secret.length > 0 && !args.reveal) {
      throw new KitcfgError(
        "SECRET",
        `${secret.join(", ")} would hold a secret of ${args.daemon}: kitcfg prints it only when asked with --reveal`,
        { hint: `kitcfg env ${commandWords(args.daemon, args.instance)} --reveal` },
      );
    }
    // Revealed, as asked: the one output not redacted.
    // Nothing to export says so in a shell comment: harmless to `eval`, read by a person.
    if (!out.json && Object.keys(vars).length === 0)
      out.io.stdout(`# ${commandWords(args.daemon, args.instance)}: no variable holds any of its settings\n`);
    else if (args.reveal) out.io.stdout(out.json ? `${formatJson(vars, 2)}\n` : renderShellExports(vars));
    else if (out.json) out.data(vars);
    else out.io.stdout(out.redact(renderShellExports(vars)));
    return 0;
  },
);
