import { defineKitcfgCommand } from "../command.ts";
import { table } from "../output.ts";

export default defineKitcfgCommand("list", "List the daemons kitcfg knows, built-in and user plugins", {}, async ({ kit, out }) => {
  const k = await kit();
  const daemons = k.registry.plugins.map(({ plugin, source }) => {
    const instances = plugin.instances ? plugin.instances.list(k.target(plugin.name).ctx) : undefined;
    return { name: plugin.name, summary: plugin.summary, aliases: plugin.aliases ?? [], source, ...(instances ? { instances } : {}) };
  });
  if (out.json) return out.data({ daemons, problems: k.registry.problems }), 0;
  const rows = daemons.map((d) => [
    d.name,
    d.summary + (d.instances?.length ? ` (instances: ${d.instances.join(", ")})` : ""),
    d.source === "built-in" ? "" : d.source,
  ]);
  out.line(table(rows));
  for (const problem of k.registry.problems) out.warn(problem.message);
  return 0;
});
