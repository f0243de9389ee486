import type { Config, PluginIssue } from "kitcfg";
import { isPlainObject } from "kitcfg";

// A repo older than version 18 is migrated before kubo v0.43 reads its settings
// (`ipfs daemon --migrate`, `ipfs repo migrate`): fs-repo-17-to-18 (kubo
// repo/fsrepo/migrations/fs-repo-17-to-18/migration/migration.go `convert`) builds the Provide
// section from the deprecated Provider and Reprovider ones, so kubo's rules on Provide judge the
// values it moves there. A setting kubo 0.37 needed (Reprovider.Interval "0" turned providing off;
// Routing.Type "delegated" wanted Provider.Enabled false) can start, or stop, kubo only once moved.

/** Where fs-repo-17-to-18 puts each deprecated setting; it drops Provider.Strategy, which kubo never read. */
export const PROVIDE_MOVES: Readonly<Record<string, string>> = {
  "Provider.Enabled": "Provide.Enabled",
  "Provider.WorkerCount": "Provide.DHT.MaxWorkers",
  "Reprovider.Strategy": "Provide.Strategy",
  "Reprovider.Interval": "Provide.DHT.Interval",
};

/** The config as fs-repo-17-to-18 leaves it, and the settings it moved (new key -> old key). */
export interface ProvideMigration {
  config: Config;
  moved: Map<string, string>;
}

/**
 * Apply fs-repo-17-to-18 to `config` (its keys already folded to kubo's spelling). As the
 * migration does: a setting present, even null, is moved; Reprovider.Strategy "flat" becomes
 * "all", and one that is no string "all"; a Provide section it builds replaces the one there;
 * Provider and Reprovider are removed.
 */
export function migrateProvide(config: Config): ProvideMigration {
  const moved = new Map<string, string>();
  const provider = isPlainObject(config.Provider) ? config.Provider : {};
  const reprovider = isPlainObject(config.Reprovider) ? config.Reprovider : {};
  const provide: Record<string, unknown> = {};
  const dht: Record<string, unknown> = {};
  const move = (from: string, value: unknown, to: Record<string, unknown>, field: string) => {
    to[field] = value;
    moved.set(PROVIDE_MOVES[from] as string, from);
  };
  if (Object.hasOwn(provider, "Enabled")) move("Provider.Enabled", provider.Enabled, provide, "Enabled");
  if (Object.hasOwn(provider, "WorkerCount")) move("Provider.WorkerCount", provider.WorkerCount, dht, "MaxWorkers");
  if (Object.hasOwn(reprovider, "Strategy")) {
    const strategy = reprovider.Strategy;
    move(
      "Reprovider.Strategy",
      typeof strategy === "string" && strategy !== "flat" ? strategy : "all",
      provide,
      "Strategy",
    );
  }
  if (Object.hasOwn(reprovider, "Interval")) move("Reprovider.Interval", reprovider.Interval, dht, "Interval");
  if (Object.keys(dht).length > 0) provide.DHT = dht;
  const { Provider: _provider, Reprovider: _reprovider, ...rest } = config;
  return { config: Object.keys(provide).length > 0 ? { ...rest, Provide: provide } : rest, moved };
}

/**
 * Issues found on the migrated config, told about the settings as the file holds them: one at a
 * key the migration filled is at the key it came from, and a message naming a key the migration
 * fills names the key that fills it (it replaces Provide whole, so setting Provide.Enabled in the
 * file does nothing; Provider.Enabled sets it).
 */
export function issuesBeforeMigration(issues: PluginIssue[], migration: ProvideMigration): PluginIssue[] {
  if (migration.moved.size === 0) return issues;
  const rename = (text: string) => text.replace(MOVED_NAME, (name) => SOURCE_OF.get(name) ?? name);
  return issues.map((issue) => {
    const from = migration.moved.get(issue.key);
    if (from === undefined) return { ...issue, message: rename(issue.message) };
    return {
      ...issue,
      key: from,
      message: `is moved to ${issue.key} by kubo's migration to repo version 18, and there: ${rename(issue.message)}`,
    };
  });
}

// --- internal ---

const SOURCE_OF = new Map(Object.entries(PROVIDE_MOVES).map(([from, to]) => [to, from]));
const MOVED_NAME = /\bProvide(?:\.DHT)?\.(?:Enabled|MaxWorkers|Strategy|Interval)\b/g;
