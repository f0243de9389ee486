import type { ArgsDef } from "citty";
import { listKeys } from "../../core/keys.ts";
import { defineKitcfgCommand } from "../command.ts";
import { COMMANDS } from "./index.ts";

/** `kitcfg __complete WHAT [NAME]`: the words a shell completion script offers, one a line. */
export default defineKitcfgCommand(
  "__complete",
  "Words for shell completion: commands, daemons, instances DAEMON, keys DAEMON, flags COMMAND",
  {
    what: { type: "positional", description: "commands, daemons, instances, keys or flags", required: true },
    name: { type: "positional", description: "The daemon (instances, keys) or command (flags)", required: false },
  },
  async ({ kit, out, args }) => {
    const words = await wordsFor(args.what, args.name, kit).catch(() => []);
    if (words.length > 0) out.io.stdout(`${words.join("\n")}\n`);
    return 0;
  },
);

// --- internal ---

async function wordsFor(
  what: string,
  name: string | undefined,
  kit: () => Promise<import("../../core/kit.ts").Kit>,
): Promise<string[]> {
  switch (what) {
    case "commands":
      return [...Object.keys(COMMANDS).filter((n) => !COMMANDS[n]!.hidden), "help"];
    case "flags": {
      const entry = name ? COMMANDS[name] : undefined;
      if (!entry) return [];
      const defs = ((await entry.load()).default.args ?? {}) as ArgsDef;
      return Object.entries(defs)
        .filter(([, def]) => def.type !== "positional")
        .map(([flag]) => `--${flag}`);
    }
    case "daemons":
      return (await kit()).registry.plugins.map(({ plugin }) => plugin.name);
    case "instances": {
      const session = await kit();
      const target = name ? session.target(name) : undefined;
      return target?.plugin.instances ? target.plugin.instances.list(target.ctx) : [];
    }
    case "keys":
      // A `*` stands for a name of the user's choosing: nothing to complete there.
      return name
        ? (await listKeys(await kit(), { daemon: name })).keys.map((k) => k.key).filter((k) => !k.includes("*"))
        : [];
    default:
      return [];
  }
}
