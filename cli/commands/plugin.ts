import { KitcfgError } from "../../core/errors.ts";
import { newPlugin } from "../../core/scaffold.ts";
import { shellQuote } from "../../present/output.ts";
import { defineKitcfgCommand } from "../command.ts";

export default defineKitcfgCommand(
  "plugin",
  "Start a plugin for a new daemon: `kitcfg plugin new NAME [--dir DIR]` writes NAME.ts, its test and kitcfg.d.ts",
  {
    action: { type: "positional", description: "new", required: true },
    name: {
      type: "positional",
      description: "Plugin name, kebab-case (the daemon's name on the command line)",
      required: true,
    },
    dir: { type: "string", description: "Folder to write into (default: the current folder)", valueHint: "DIR" },
  },
  async ({ out, args }) => {
    if (args.action !== "new")
      throw new KitcfgError("USAGE", `Unknown plugin action "${args.action}": the one action is "new"`, {
        hint: "kitcfg plugin new NAME [--dir DIR]",
      });
    const result = await newPlugin({ name: args.name, dir: args.dir ?? out.io.cwd });
    if (out.json) return (out.data(result), 0);
    for (const file of result.files) out.success(`wrote ${file}`);
    out.info(
      `Load it with KITCFG_PLUGIN_PATH=${shellQuote(result.files[0]!.replace(/\/[^/]+$/, ""))} ` +
        `kitcfg configure ${result.name}`,
    );
    return 0;
  },
);
