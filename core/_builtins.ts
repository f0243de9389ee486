import { listBuiltinPlugins } from "./_builtins.macro.ts" with { type: "macro" };

/**
 * The default exports of the built-in plugins (`plugins/*.ts`), by file name. From source
 * they are imported one by one, named by a macro that lists the folder. `build.ts`
 * replaces this module with one that imports them statically, so the compiled binary
 * loads them with the rest of its code instead of one dynamic import each.
 */
export async function loadBuiltinModules(): Promise<[name: string, plugin: unknown][]> {
  return Promise.all(
    listBuiltinPlugins().map(async (name): Promise<[string, unknown]> => [name, (await import(`../plugins/${name}.ts`)).default]),
  );
}
