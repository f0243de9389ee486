import { resolvePlace } from "../core/paths.ts";
import type { PluginContext } from "../core/plugin.ts";
import { makeContext } from "../core/target.ts";

export interface CreatePluginContextOptions {
  /** Put every path under this folder, as `--root` does (also the home `~` stands for). */
  root: string;
  /** The environment the daemon would read (default: none). */
  env?: Record<string, string | undefined>;
  instance?: string;
  /** Resolved file paths by file key, as the core fills them in (default: none). */
  paths?: Record<string, string>;
}

/**
 * A real plugin context under a root, for calling a plugin's hooks directly in a test:
 * `await plugin.defaults(createPluginContext({ root: dir }))`.
 */
export function createPluginContext(options: CreatePluginContextOptions): PluginContext {
  const place = resolvePlace({ root: options.root, env: options.env ?? {} });
  return makeContext(place, options.instance, { ...options.paths });
}
