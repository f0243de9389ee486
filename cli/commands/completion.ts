import { KitcfgError } from "../../core/errors.ts";
import { BASH_COMPLETION, FISH_COMPLETION, ZSH_COMPLETION } from "../completion-scripts.ts";
import { defineKitcfgCommand } from "../command.ts";

const SCRIPTS: Record<string, string> = { bash: BASH_COMPLETION, zsh: ZSH_COMPLETION, fish: FISH_COMPLETION };

/** The shells kitcfg has completion for. */
export const SHELLS = Object.keys(SCRIPTS);

export default defineKitcfgCommand(
  "completion",
  "Print the completion script for a shell: commands, daemons, instances and key paths",
  { shell: { type: "positional", description: "bash, zsh or fish", required: true } },
  async ({ out, args }) => {
    const script = SCRIPTS[args.shell];
    if (!script)
      throw new KitcfgError(
        "USAGE",
        `Cannot complete for ${JSON.stringify(args.shell)}: kitcfg has completion for bash, zsh and fish`,
      );
    // With --json, the script as a JSON string, so a tool that asks every command for JSON gets JSON.
    if (out.json) out.data({ shell: args.shell, script });
    else out.io.stdout(script);
    return 0;
  },
);
