import { KitcfgError } from "./errors.ts";
import type { Config, Plugin, Profile } from "./plugin.ts";
import { callPlugin } from "./target.ts";
import type { Target } from "./target.ts";

/**
 * The configuration with a named profile applied. `name` may list several profiles, comma
 * separated (`a,b`): each is applied in turn.
 * @throws KitcfgError `USAGE` when the plugin has no such profile.
 */
export function applyProfile(target: Target, config: Config, name: string | undefined): Config {
  if (name === undefined) return config;
  const profile = profileOf(target, name);
  return callPlugin(target.loaded, `profiles.${name}`, () => profile.apply(config, target.ctx));
}

/**
 * The plugin's profile of that name; a comma-separated list reads as one profile that applies
 * each in turn, init-only (or random) when one of them is.
 * @throws KitcfgError `USAGE` when it has none, listing the ones it has.
 */
export function profileOf(target: Target, name: string): Profile {
  const names = profileNames(name);
  const found = findProfile(target.plugin, name);
  if (found) return found;
  const unknown = names.find((one) => ownProfile(target.plugin, one) === undefined) ?? name;
  const known = Object.keys(target.plugin.profiles ?? {});
  throw new KitcfgError(
    "USAGE",
    `Unknown profile "${unknown}" for ${target.label}` +
      (known.length ? `: use one of ${known.join(", ")}` : ": it has no profiles"),
  );
}

/** The plugin's profile of that name (or comma-separated names, combined), or undefined when one is unknown. */
export function findProfile(plugin: Plugin, name: string): Profile | undefined {
  const names = profileNames(name);
  const profiles = names.map((one) => ownProfile(plugin, one));
  if (profiles.some((p) => p === undefined)) return undefined;
  const all = profiles as Profile[];
  if (all.length === 1) return all[0];
  return {
    summary: all.map((p) => p.summary).join("; "),
    initOnly: all.some((p) => p.initOnly === true),
    random: all.some((p) => p.random === true),
    apply: function applyProfiles(config, ctx) {
      return all.reduce((next, p) => p.apply(next, ctx), config);
    },
  };
}

// --- internal ---

/** The plugin's own profile of one name (never an Object.prototype member such as "constructor"). */
function ownProfile(plugin: Plugin, name: string): Profile | undefined {
  return plugin.profiles && Object.hasOwn(plugin.profiles, name) ? plugin.profiles[name] : undefined;
}

/** `a,b` as ["a", "b"]; blanks around a name are dropped, an empty name kept (and refused as unknown). */
function profileNames(name: string): string[] {
  return name.split(",").map((one) => one.trim());
}
