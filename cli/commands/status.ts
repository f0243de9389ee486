import { status, validateExitCode } from "../../core/ops.ts";
import { commandWords } from "../../core/target.ts";
import { defineKitcfgCommand } from "../command.ts";
import { aboutDaemon, formatIssue, table } from "../../present/output.ts";

export default defineKitcfgCommand(
  "status",
  "Show which daemons are configured and valid (exit 1 if one is invalid, 3 if a file does not parse)",
  {},
  async ({ kit, out }) => {
    const session = await kit();
    const reports = await status(session);
    // A plugin file that failed to load has no row: said here, as `list` says it.
    const { problems } = session.registry;
    if (out.json) out.data({ daemons: reports, ...(problems.length > 0 ? { problems } : {}) });
    else {
      const rows = reports.map((r) => [
        r.instance ? `${r.daemon}/${r.instance}` : r.daemon,
        r.configured ? (r.valid ? "valid" : "invalid") : "not configured",
        r.files.find((f) => f.exists)?.path ?? r.files[0]?.path ?? "",
      ]);
      out.line(table([["DAEMON", "STATE", "FILE"], ...rows]));
      for (const r of reports) {
        const [first, ...more] = r.issues;
        const label = r.instance ? `${r.daemon}/${r.instance}` : r.daemon;
        // An issue with another daemon (`daemon` set) is found by validating them all.
        const where = r.issues.some((i) => i.daemon) ? "" : ` ${commandWords(r.daemon, r.instance)}`;
        if (first)
          out.error(
            aboutDaemon(label, formatIssue(first)) +
              `${more.length > 0 ? ` (and ${more.length} more: kitcfg validate${where})` : ""}`,
          );
      }
      for (const r of reports) if (r.restart) out.warn(r.restart);
      for (const problem of problems) out.warn(problem.message);
    }
    // As validate's: 3 when a file does not parse, 1 when a configured daemon is invalid.
    return validateExitCode({ ok: reports.every((r) => !r.configured || r.valid), daemons: reports, cross: [] });
  },
);
