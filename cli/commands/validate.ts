import { validate, validateExitCode } from "../../core/ops.ts";
import { defineKitcfgCommand, INSTANCE_ARG } from "../command.ts";
import { renderValidate } from "../../present/render.ts";

export default defineKitcfgCommand(
  "validate",
  "Check configurations the way the daemons read them",
  {
    daemon: { type: "positional", description: "Daemon name (default: every configured one)", required: false },
    instance: INSTANCE_ARG,
  },
  async ({ kit, out, args }) => {
    const result = await validate(await kit(), { daemon: args.daemon, instance: args.instance });
    if (out.json) return (out.data(result), validateExitCode(result));
    if (result.daemons.length === 0)
      out.error("Nothing to validate: no daemon is configured (run `kitcfg configure all`)");
    renderValidate(out, result);
    return validateExitCode(result);
  },
);
