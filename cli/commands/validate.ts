import { validate, validateExitCode } from "../../core/ops.ts";
import { defineKitcfgCommand, INSTANCE_ARG } from "../command.ts";
import { aboutDaemon, formatIssue } from "../../present/output.ts";

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
    for (const report of result.daemons) {
      const label = report.instance ? `${report.daemon}/${report.instance}` : report.daemon;
      if (report.valid) out.success(`${label}: valid`);
      for (const issue of report.issues)
        (issue.severity === "error" ? out.error : out.warn)(aboutDaemon(label, formatIssue(issue)));
    }
    for (const issue of result.cross) {
      const text = formatIssue(issue);
      (issue.severity === "error" ? out.error : out.warn)(issue.daemon ? aboutDaemon(issue.daemon, text) : text);
    }
    return validateExitCode(result);
  },
);
