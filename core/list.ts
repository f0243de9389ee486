import { KitcfgError } from "./errors.ts";
import type { Kit } from "./kit.ts";
import type { LoadProblem } from "./registry.ts";
import { callPlugin } from "./target.ts";

/** One daemon kitcfg knows. */
export interface DaemonEntry {
  name: string;
  summary: string;
  aliases: string[];
  /** `built-in`, or the user plugin file. */
  source: string;
  /** Instances found on disk, for daemons with several configurations. */
  instances?: string[];
  /** Why the plugin could not list its instances (its hook failed); the others are unaffected. */
  error?: string;
}

export interface ListResult {
  daemons: DaemonEntry[];
  /** Plugin files that were not loaded, and why. */
  problems: LoadProblem[];
}

/** Every daemon of the session's plugins, with its instances, and the plugin files that failed to load. */
export function listDaemons(kit: Kit): ListResult {
  const daemons = kit.registry.plugins.map((loaded): DaemonEntry => {
    const { plugin, source } = loaded;
    const entry: DaemonEntry = { name: plugin.name, summary: plugin.summary, aliases: plugin.aliases ?? [], source };
    if (!plugin.instances) return entry;
    try {
      const ctx = kit.target(plugin.name).ctx;
      return { ...entry, instances: callPlugin(loaded, "instances.list", () => plugin.instances!.list(ctx)) };
    } catch (error) {
      if (!(error instanceof KitcfgError)) throw error;
      return { ...entry, error: error.message };
    }
  });
  return { daemons, problems: kit.registry.problems };
}
