import { KitcfgError } from "./errors.ts";
import type { Config } from "./plugin.ts";
import { callPlugin } from "./target.ts";
import type { Target } from "./target.ts";

/**
 * The configuration with a named profile applied.
 * @throws KitcfgError `USAGE` when the plugin has no such profile.
 */
export function applyProfile(target: Target, config: Config, name: string | undefined): Config {
  if (name === undefined) return config;
  const profile = target.plugin.profiles?.[name];
  if (!profile) {
    const known = Object.keys(target.plugin.profiles ?? {});
    throw new KitcfgError("USAGE", `Unknown profile "${name}" for ${target.label}${known.length ? `: use one of ${known.join(", ")}` : ": it has no profiles"}`);
  }
  return callPlugin(target.loaded, `profiles.${name}`, () => profile.apply(config, target.ctx));
}
