import { status } from "../../core/ops.ts";
import { defineKitcfgCommand } from "../command.ts";
import { table } from "../../present/output.ts";

export default defineKitcfgCommand(
  "status",
  "Show which daemons are configured and valid",
  {},
  async ({ kit, out }) => {
    const reports = await status(await kit());
    if (out.json) return (out.data({ daemons: reports }), 0);
    const rows = reports.map((r) => [
      r.instance ? `${r.daemon}/${r.instance}` : r.daemon,
      r.configured ? (r.valid ? "valid" : "invalid") : "not configured",
      r.files.find((f) => f.exists)?.path ?? r.files[0]?.path ?? "",
    ]);
    out.line(table([["DAEMON", "STATE", "FILE"], ...rows]));
    for (const r of reports) if (r.restart) out.warn(r.restart);
    return 0;
  },
);
