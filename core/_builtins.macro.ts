import { readdirSync } from "node:fs";

/**
 * The file names in `plugins/`, read when kitcfg is bundled or transpiled (a Bun macro),
 * so adding a plugin file is all it takes: the build passes the same files as entrypoints
 * and the registry imports them by name.
 */
export function listBuiltinPlugins(): string[] {
  return readdirSync(new URL("../plugins", import.meta.url))
    .filter((file) => /^[a-z][a-z0-9-]*\.ts$/.test(file))
    .map((file) => file.slice(0, -3))
    .sort();
}
