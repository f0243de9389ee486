import { listBuiltinPlugins } from "./_builtins.macro.ts" with { type: "macro" };

/** What a built-in plugin answers to, known without evaluating it. */
export interface BuiltinManifestEntry {
  /** The file name in `plugins/`, without `.ts`. */
  file: string;
  name: string;
  aliases: string[];
}

/**
 * The name and aliases of every built-in plugin, or undefined when unknown. From source it
 * is unknown and every plugin is loaded; `build.ts` replaces this module with one that
 * reads each plugin at build time, so the binary evaluates only the plugin a one-daemon
 * command needs (its valibot schema included).
 */
export const BUILTIN_MANIFEST: BuiltinManifestEntry[] | undefined = undefined;

/**
 * The default exports of the built-in plugins (`plugins/*.ts`), by file name. From source
 * they are imported one by one, named by a macro that lists the folder.
 */
export async function loadBuiltinModules(
  files: readonly string[] = listBuiltinPlugins(),
): Promise<[name: string, plugin: unknown][]> {
  return Promise.all(
    files.map(async (name): Promise<[string, unknown]> => [name, (await import(`../plugins/${name}.ts`)).default]),
  );
}
