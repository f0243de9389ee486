import { KitcfgError } from "../../core/errors.ts";
import { pluginDirs, resolvePlace } from "../../core/paths.ts";
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
    const dir = result.files[0]!.replace(/\/[^/]+$/, "");
    // A folder kitcfg searches already (its own plugin folder, one in KITCFG_PLUGIN_PATH) needs no variable.
    const place = resolvePlace({ root: args.root, env: out.io.env, cwd: out.io.cwd });
    const searched = pluginDirs(place, out.io.cwd, args.plugins).includes(dir);
    out.info(
      searched
        ? `kitcfg loads it from there: kitcfg configure ${result.name}`
        : `Load it with KITCFG_PLUGIN_PATH=${shellQuote(dir)} kitcfg configure ${result.name}`,
    );
    return 0;
  },
);
