import type { CommandDef } from "citty";

/** A command: its one-line summary for `kitcfg --help`, and its module, loaded only when it runs. */
export interface CommandEntry {
  summary: string;
  load: () => Promise<{ default: CommandDef<any> }>;
}

/** Every command, by name. Adding one is a file in this folder and a line here. */
export const COMMANDS: Record<string, CommandEntry> = {
  list: { summary: "List the daemons kitcfg knows", load: () => import("./list.ts") },
  status: { summary: "Show which daemons are configured and valid", load: () => import("./status.ts") },
  show: { summary: "Print a daemon's configuration (secrets redacted)", load: () => import("./show.ts") },
  get: { summary: "Print one value, for scripts", load: () => import("./get.ts") },
  configure: { summary: "Write defaults where files are missing (all: every daemon)", load: () => import("./configure.ts") },
  update: { summary: "Change keys: --set KEY=VALUE, --unset KEY", load: () => import("./update.ts") },
  validate: { summary: "Check configurations the way the daemons read them", load: () => import("./validate.ts") },
  env: { summary: "Print export lines for a shell", load: () => import("./env.ts") },
  args: { summary: "Print a client's flags on one line", load: () => import("./args.ts") },
};
