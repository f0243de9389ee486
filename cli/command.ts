import type { ArgsDef, CommandDef } from "citty";
import type { Kit } from "../core/kit.ts";
import type { Output } from "../present/output.ts";

/** What every command's `run` is given besides its parsed arguments. */
export interface CommandData {
  /**
   * The session, opened on first use (a command that needs none never pays for it). Given
   * the daemon the command is about, only that daemon's plugin is loaded.
   */
  kit: (daemon?: string) => Promise<Kit>;
  out: Output;
}

/** What a command's `run` receives. */
export interface CommandContext extends Omit<CommandData, "kit"> {
  kit: () => Promise<Kit>;
  // biome-ignore lint/suspicious/noExplicitAny: citty types parsed arguments by definition; commands read them as given
  args: Record<string, any>;
  rawArgs: string[];
}

/** Flags every command takes. */
export const COMMON_ARGS = {
  json: { type: "boolean", description: "Print one JSON document on stdout" },
  root: { type: "string", description: "Put every file under DIR (~ becomes DIR); also KITCFG_ROOT", valueHint: "DIR" },
  plugins: {
    type: "string",
    description: "Load user plugins from DIR (colon-separated list); also KITCFG_PLUGIN_PATH",
    valueHint: "DIR",
  },
  "lock-timeout": {
    type: "string",
    description: "Seconds to wait for another writer (default 10)",
    valueHint: "SECONDS",
  },
  color: {
    type: "string",
    description: "Colour: auto (each stream's own terminal), always or never",
    valueHint: "WHEN",
  },
  quiet: { type: "boolean", alias: "q", description: "Print no success or info lines" },
  help: { type: "boolean", alias: "h", description: "Show this help" },
} as const satisfies ArgsDef;

/** The daemon positional most commands take. */
export const DAEMON_ARG = {
  type: "positional",
  description: "Daemon name (see `kitcfg list`)",
  required: true,
} as const;

/** `--instance NAME`, for daemons with several configurations. */
/** `--force` of the commands that change a configured daemon (update, set, unset). */
export const FORCE_ARG = {
  type: "boolean",
  description: "Write even if the result is invalid (exit code 1 all the same)",
} as const;

export const INSTANCE_ARG = {
  type: "string",
  description: "Instance, for daemons with several (ipfs-cluster-follow)",
  valueHint: "NAME",
} as const;

/**
 * Define a kitcfg command: citty's definition with the common flags added, whose `run`
 * returns the exit code.
 */
export function defineKitcfgCommand(
  name: string,
  description: string,
  args: ArgsDef,
  run: (context: CommandContext) => Promise<number>,
  // biome-ignore lint/suspicious/noExplicitAny: citty types parsed arguments by definition; commands read them as given
): CommandDef<any> {
  return {
    meta: { name, description },
    args: { ...args, ...COMMON_ARGS },
    run: function runKitcfgCommand({ args: parsed, rawArgs, data }) {
      const given = data as CommandData;
      const daemon = typeof parsed.daemon === "string" ? parsed.daemon : undefined;
      return run({ ...given, kit: () => given.kit(daemon), args: parsed, rawArgs });
    },
  };
}
