import { KitcfgError } from "../../core/errors.ts";
import { getValue } from "../../core/get.ts";
import { commandWords } from "../../core/target.ts";
import { DAEMON_ARG, defineKitcfgCommand, INSTANCE_ARG } from "../command.ts";
import { formatJson } from "../../present/output.ts";

export default defineKitcfgCommand(
  "get",
  "Print one value, for scripts: strings bare, anything else as JSON; a secret only with --reveal",
  {
    daemon: DAEMON_ARG,
    key: {
      type: "positional",
      description: "Dotted key path; the whole configuration is `kitcfg show DAEMON`",
      required: true,
    },
    reveal: { type: "boolean", description: "Print a secret in clear (without it, asking for a secret exits 1)" },
    instance: INSTANCE_ARG,
  },
  async ({ kit, out, args }) => {
    const result = await getValue(await kit(), {
      daemon: args.daemon,
      key: args.key,
      instance: args.instance,
      reveal: args.reveal,
    });
    const text = out.json
      ? formatJson(result.value, 2)
      : typeof result.value === "string"
        ? result.value
        : formatJson(result.value);
    // A revealed secret is the one output that must not be redacted: the user asked for it.
    if (result.secret) return (out.io.stdout(`${text}\n`), 0);
    // A value that is also a secret's value is redacted as that secret (README, Security model):
    // refused as a secret is, rather than printed as a placeholder a script would take for it.
    if (out.redact(text) !== text) {
      if (args.reveal) return (out.io.stdout(`${text}\n`), 0);
      const label = result.instance ? `${result.daemon}/${result.instance}` : result.daemon;
      throw new KitcfgError(
        "SECRET",
        `"${args.key}" of ${label} holds the value of a secret: kitcfg prints it only when asked with --reveal`,
        { key: args.key, hint: `kitcfg get ${commandWords(result.daemon, result.instance)} ${args.key} --reveal` },
      );
    }
    out.line(text);
    return 0;
  },
);
