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
  history: { summary: "List the versions kept of a daemon's files", load: () => import("./history.ts") },
  diff: { summary: "Diff versions in history against each other or the files now", load: () => import("./diff.ts") },
  restore: { summary: "Put a version from history back (default: undo the last write)", load: () => import("./restore.ts") },
  plan: { summary: "Show what a desired-state file would change (exit 4: changes pending)", load: () => import("./plan.ts") },
  apply: { summary: "Apply a desired-state file to every daemon it names, all or nothing", load: () => import("./apply.ts") },
  repair: { summary: "Fix what the older tool got wrong in a daemon's files", load: () => import("./repair.ts") },
  plugin: { summary: "Start a plugin for a new daemon: plugin new NAME [--dir DIR]", load: () => import("./plugin.ts") },
  mcp: { summary: "Serve MCP on stdio (--http: Streamable HTTP) for AI agents", load: () => import("./mcp.ts") },
};
