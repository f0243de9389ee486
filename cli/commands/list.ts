import { listDaemons } from "../../core/list.ts";
import { defineKitcfgCommand } from "../command.ts";
import { table } from "../../present/output.ts";

export default defineKitcfgCommand(
  "list",
  "List the daemons kitcfg knows, built-in and user plugins",
  {},
  async ({ kit, out }) => {
    const { daemons, problems } = listDaemons(await kit());
    if (out.json) return (out.data({ daemons, problems }), 0);
    const rows = daemons.map((d) => [
      d.name,
      d.summary + (d.instances?.length ? ` (instances: ${d.instances.join(", ")})` : ""),
      d.source === "built-in" ? "" : d.source,
    ]);
    out.line(table(rows));
    for (const d of daemons) if (d.error) out.warn(d.error);
    for (const problem of problems) out.warn(problem.message);
    return 0;
  },
);
