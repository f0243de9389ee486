import { KitcfgError } from "./errors.ts";
import type { Config, Profile } from "./plugin.ts";
import { callPlugin } from "./target.ts";
import type { Target } from "./target.ts";

/**
 * The configuration with a named profile applied.
 * @throws KitcfgError `USAGE` when the plugin has no such profile.
 */
export function applyProfile(target: Target, config: Config, name: string | undefined): Config {
  if (name === undefined) return config;
  const profile = profileOf(target, name);
  return callPlugin(target.loaded, `profiles.${name}`, () => profile.apply(config, target.ctx));
}

/**
 * The plugin's profile of that name.
 * @throws KitcfgError `USAGE` when it has none, listing the ones it has.
 */
export function profileOf(target: Target, name: string): Profile {
  const profile = target.plugin.profiles?.[name];
  if (profile) return profile;
  const known = Object.keys(target.plugin.profiles ?? {});
  throw new KitcfgError(
    "USAGE",
    `Unknown profile "${name}" for ${target.label}` +
      (known.length ? `: use one of ${known.join(", ")}` : ": it has no profiles"),
  );
}
