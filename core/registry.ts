import { BUILTIN_MANIFEST, loadBuiltinModules } from "./_builtins.ts";
import type { BuiltinManifestEntry } from "./_builtins.ts";
import { fileIdentity } from "./_fs.ts";
import { filesThatMayClaim, listPluginFiles } from "./_plugin-candidates.ts";
import type { NameCacheOptions } from "./_plugin-candidates.ts";
import { nearestName } from "./_nearest.ts";
import { pluginShapeProblem } from "./_plugin-shape.ts";
import { importsDistrust, untrustedReason } from "./_plugin-trust.ts";
import { KitcfgError, quotedName } from "./errors.ts";
import type { Plugin } from "./plugin.ts";

/** A plugin and where it came from. */
export interface LoadedPlugin {
  plugin: Plugin;
  /** `built-in` or the absolute path of the user plugin file. */
  source: string;
}

/** A plugin file that could not be used, and why. */
export interface LoadProblem {
  file: string;
  message: string;
  /** For a name claimed twice: that name. */
  name?: string;
}

/** The plugins of one run. */
export interface Registry {
  plugins: LoadedPlugin[];
  /** Files reported and skipped: failed imports, non-plugins, name conflicts. */
  problems: LoadProblem[];
  /**
   * The plugins kept out for a name conflict, with its problem: a daemon argument that is
   * another of their names (an alias, when the name is claimed twice) gets that conflict too.
   */
  conflicts?: Map<LoadedPlugin, LoadProblem>;
  /**
   * Set when only the plugin of one daemon was loaded (`only`): loads them all. Anything
   * that looks beyond that daemon (lists, suggestions) calls it first.
   */
  loadAll?: () => Promise<Registry>;
}

export interface LoadRegistryOptions {
  /** Folders searched for user plugins (`.ts` / `.js` files), in order. */
  dirs: string[];
  /** Also load the plugins compiled into kitcfg (default true). */
  builtins?: boolean;
  /**
   * The one daemon the command is about. When it is a built-in plugin's name or alias (and
   * kitcfg is the compiled binary, which knows them without evaluating the plugins), only
   * that plugin is loaded, and of the user plugin files only those that could claim the same
   * name: a file that names it in quotes, and any file whose names cannot be read from its
   * text (`filesThatMayClaim`). Otherwise everything is loaded.
   */
  only?: string;
  /** Where what the user plugin files' texts say of their names is kept between runs (`filesThatMayClaim`). */
  cache?: Omit<NameCacheOptions, "keeps">;
}

/** Problems of files refused as unsafe (`untrustedReason`), told apart without a field `list --json` would show. */
const UNSAFE = new WeakSet<LoadProblem>();

/**
 * Load the built-in plugins and every user plugin file in `dirs`. A file that throws on
 * import, imports what it may not, or does not export a plugin is reported in `problems`
 * and skipped. Two plugins claiming one name (or alias) are both kept out and reported,
 * naming both files.
 */
export async function loadRegistry(options: LoadRegistryOptions): Promise<Registry> {
  const candidates: LoadedPlugin[] = [];
  const problems: LoadProblem[] = [];
  const one = options.only === undefined || options.builtins === false ? undefined : builtinEntry(options.only);
  if (options.builtins !== false) {
    for (const [name, plugin] of await loadBuiltinModules(...(one ? [[one.file]] : []))) {
      candidates.push({ plugin: checkPlugin(plugin, `plugins/${name}.ts`), source: "built-in" });
    }
  }
  const files = one
    ? await filesThatMayClaim(
        options.dirs,
        [one.name, ...one.aliases],
        options.cache && { ...options.cache, keeps: BUILTIN_MANIFEST!.flatMap((e) => [e.name, ...e.aliases]) },
      )
    : listPluginFiles(options.dirs);
  if (files.length > 0) await registerVirtualModule();
  const uid = process.getuid?.() ?? 0;
  const seen = new Set<string>();
  for (const file of files) {
    // One file reached twice (a plugin folder listed again through a symbolic link) is one
    // plugin, not two that claim one name.
    const id = fileIdentity(file);
    const key = id ? `${id.major}:${id.minor}:${id.ino}` : file;
    if (seen.has(key)) continue;
    seen.add(key);
    const loaded = await loadUserPlugin(file, uid);
    if ("plugin" in loaded) candidates.push(loaded);
    else problems.push(loaded);
  }
  const registry = removeConflicts(candidates, problems);
  if (one) registry.loadAll = () => loadRegistry({ ...options, only: undefined });
  return registry;
}

/**
 * The plugin called `name` (or with that alias).
 * @throws KitcfgError `PLUGIN_CONFLICT` when two files claim the name; when none does but a
 * plugin file of that name (`NAME.ts`) was not loaded, why: `PLUGIN_LOAD_FAILED`, or
 * `UNKNOWN_DAEMON` for a file refused as unsafe (a usage error, as the README's exit codes
 * say); otherwise `UNKNOWN_DAEMON` with the nearest known name.
 */
export function findPlugin(registry: Registry, name: string): LoadedPlugin {
  const wanted = name.toLowerCase();
  const found = registry.plugins.find(({ plugin }) => plugin.name === wanted || plugin.aliases?.includes(wanted));
  if (found) return found;
  const conflict =
    registry.problems.find((problem) => problem.name === wanted) ??
    [...(registry.conflicts ?? [])].find(
      ([{ plugin }]) => plugin.name === wanted || plugin.aliases?.includes(wanted),
    )?.[1];
  if (conflict) throw new KitcfgError("PLUGIN_CONFLICT", conflict.message, { file: conflict.file });
  // A daemon argument is matched lowercased; a file may be named `MyDaemon.ts` all the same.
  const failed = registry.problems.find((p) => p.name === undefined && fileStem(p.file).toLowerCase() === wanted);
  if (failed) {
    throw new KitcfgError(UNSAFE.has(failed) ? "UNKNOWN_DAEMON" : "PLUGIN_LOAD_FAILED", failed.message, {
      file: failed.file,
    });
  }
  const known = registry.plugins.flatMap(({ plugin }) => [plugin.name, ...(plugin.aliases ?? [])]);
  const nearest = nearestName(wanted, known);
  throw new KitcfgError(
    "UNKNOWN_DAEMON",
    `Unknown daemon ${quotedName(name)}${nearest ? `: did you mean "${nearest}"?` : ""}`,
    {
      hint: `Known daemons: ${registry.plugins.map(({ plugin }) => plugin.name).join(", ")}`,
    },
  );
}

/**
 * Check that `value` has the shape of a plugin, as it is loaded (not on first use): every
 * field of `core/plugin.ts` the core relies on, in one pass over the object.
 * @throws KitcfgError `PLUGIN_LOAD_FAILED` naming the file and the field that is wrong.
 */
export function checkPlugin(value: unknown, file: string): Plugin {
  const problem = pluginShapeProblem(value);
  if (problem === undefined) return value as Plugin;
  throw new KitcfgError("PLUGIN_LOAD_FAILED", `Plugin file ${file} does not export a valid plugin: ${problem}`, {
    file,
    hint: 'Default-export definePlugin({ name, summary, files, schema, defaults }) from "kitcfg"',
  });
}

/**
 * The built-in plugin that answers to `name` (its name or an alias), by its name; undefined
 * when none does. Evaluates the built-in plugins only when running from source.
 */
export async function builtinPluginNamed(name: string): Promise<string | undefined> {
  if (BUILTIN_MANIFEST) return builtinEntry(name)?.name;
  for (const [, plugin] of await loadBuiltinModules()) {
    const { name: own, aliases } = plugin as Plugin;
    if (own === name || aliases?.includes(name)) return own;
  }
  return undefined;
}

// --- internal ---

function builtinEntry(name: string): BuiltinManifestEntry | undefined {
  const wanted = name.toLowerCase();
  return BUILTIN_MANIFEST?.find((entry) => entry.name === wanted || entry.aliases.includes(wanted));
}

/** Check, then import, one user plugin file; what went wrong as a problem. */
async function loadUserPlugin(file: string, uid: number): Promise<LoadedPlugin | LoadProblem> {
  const untrusted = untrustedReason(file, uid);
  if (untrusted !== undefined) return unsafeProblem(file, `Plugin file ${file} not loaded: ${untrusted}`);
  const imports = await importsDistrust(file, uid);
  if (imports !== undefined) {
    const message = `Plugin file ${file} not loaded: ${imports.message}`;
    return imports.unsafe ? unsafeProblem(file, message) : { file, message };
  }
  try {
    const module = await import(file);
    return { plugin: checkPlugin(module.default, file), source: file };
  } catch (error) {
    return { file, message: describeLoadFailure(file, error) };
  }
}

function unsafeProblem(file: string, message: string): LoadProblem {
  const problem = { file, message };
  UNSAFE.add(problem);
  return problem;
}

/** `NAME` of `DIR/NAME.ts`, as `findPlugin` matches a daemon to a file that did not load. */
function fileStem(file: string): string {
  return file.slice(file.lastIndexOf("/") + 1).replace(/\.[^.]*$/, "");
}

/**
 * Serve `import ... from "kitcfg"` to user plugins from the running binary itself. `v` is
 * added here: the binary's SDK leaves it out (build.ts `lighterModules`).
 */
async function registerVirtualModule(): Promise<void> {
  const [api, v] = await Promise.all([import("../index.ts"), import("valibot")]);
  Bun.plugin({
    name: "kitcfg-module",
    setup(build) {
      build.module("kitcfg", () => ({ exports: { ...api, v }, loader: "object" }));
    },
  });
}

function describeLoadFailure(file: string, error: unknown): string {
  if (error instanceof KitcfgError) return error.message;
  const reason = error instanceof Error ? error.message : String(error);
  return `Plugin file ${file} failed to load: ${reason.split("\n")[0]}`;
}

function removeConflicts(candidates: LoadedPlugin[], problems: LoadProblem[]): Registry {
  const owners = new Map<string, LoadedPlugin>();
  const conflicts = new Map<LoadedPlugin, LoadProblem>();
  for (const candidate of candidates) {
    for (const name of [candidate.plugin.name, ...(candidate.plugin.aliases ?? [])]) {
      const owner = owners.get(name);
      if (owner && owner !== candidate) {
        const problem = {
          file: candidate.source,
          name,
          message:
            `Two plugins are both called "${name}": ${describeSource(owner)} and ${describeSource(candidate)}; ` +
            "remove or rename one",
        };
        problems.push(problem);
        if (!conflicts.has(owner)) conflicts.set(owner, problem);
        if (!conflicts.has(candidate)) conflicts.set(candidate, problem);
      } else owners.set(name, candidate);
    }
  }
  return { plugins: candidates.filter((c) => !conflicts.has(c)), problems, conflicts };
}

function describeSource(loaded: LoadedPlugin): string {
  return loaded.source === "built-in" ? `built-in plugins/${loaded.plugin.name}.ts` : loaded.source;
}
