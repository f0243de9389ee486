import { readdirSync, realpathSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { BUILTIN_MANIFEST, loadBuiltinModules } from "./_builtins.ts";
import type { BuiltinManifestEntry } from "./_builtins.ts";
import { isFolder, readBytesIfAny } from "./_fs.ts";
import { nearestName } from "./_nearest.ts";
import { KitcfgError, quotedName } from "./errors.ts";
import { FORMAT_NAMES } from "./formats/index.ts";
import { PLUGIN_FUNCTIONS } from "./plugin.ts";
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
   * that plugin is loaded, and of the user plugin files only those whose text names it in
   * quotes, to find one claiming the same name. Otherwise everything is loaded.
   */
  only?: string;
}

/**
 * Load the built-in plugins and every user plugin file in `dirs`. A file that throws on
 * import or does not export a plugin is reported in `problems` and skipped. Two plugins
 * claiming one name (or alias) are both kept out and reported, naming both files.
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
  let files = listPluginFiles(options.dirs);
  if (one) {
    const needles = [one.name, ...one.aliases].flatMap((name) => ['"', "'", "`"].map((q) => Buffer.from(q + name + q)));
    files = files.filter((file) => mentionsAny(file, needles));
  }
  if (files.length > 0) await registerVirtualModule();
  const uid = process.getuid?.() ?? 0;
  for (const file of files) {
    const untrusted = untrustedReason(file, uid);
    if (untrusted !== undefined) {
      problems.push({ file, message: `Plugin file ${file} not loaded: ${untrusted}` });
      continue;
    }
    try {
      const module = await import(file);
      candidates.push({ plugin: checkPlugin(module.default, file), source: file });
    } catch (error) {
      problems.push({ file, message: describeLoadFailure(file, error) });
    }
  }
  const registry = removeConflicts(candidates, problems);
  if (one) registry.loadAll = () => loadRegistry({ ...options, only: undefined });
  return registry;
}

/**
 * The plugin called `name` (or with that alias).
 * @throws KitcfgError `PLUGIN_CONFLICT` when two files claim the name, `UNKNOWN_DAEMON`
 * (with the nearest known name) when none does.
 */
export function findPlugin(registry: Registry, name: string): LoadedPlugin {
  const wanted = name.toLowerCase();
  const found = registry.plugins.find(({ plugin }) => plugin.name === wanted || plugin.aliases?.includes(wanted));
  if (found) return found;
  const conflict = registry.problems.find((problem) => problem.name === wanted);
  if (conflict) throw new KitcfgError("PLUGIN_CONFLICT", conflict.message, { file: conflict.file });
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
 * Check that `value` has the shape of a plugin, as it is loaded (not on first use).
 * @throws KitcfgError `PLUGIN_LOAD_FAILED` naming the file and what is wrong.
 */
export function checkPlugin(value: unknown, file: string): Plugin {
  const fail = (what: string) =>
    new KitcfgError("PLUGIN_LOAD_FAILED", `Plugin file ${file} does not export a plugin: ${what}`, {
      file,
      hint: 'Default-export definePlugin({ name, summary, files, schema, defaults }) from "kitcfg"',
    });
  if (typeof value !== "object" || value === null) throw fail("its default export is not an object");
  const p = value as Record<string, unknown>;
  if (typeof p.name !== "string" || !/^[a-z][a-z0-9-]*$/.test(p.name)) throw fail('"name" must be a kebab-case string');
  if (typeof p.summary !== "string") throw fail('"summary" must be a string');
  if (typeof p.files !== "object" || p.files === null || Object.keys(p.files).length === 0)
    throw fail('"files" must name at least one file');
  for (const [key, spec] of Object.entries(p.files as Record<string, Record<string, unknown>>)) {
    if (typeof spec?.path !== "string" && typeof spec?.path !== "function")
      throw fail(`files.${key}.path must be a string or a function`);
    if (!FORMAT_NAMES.includes(spec.format as never))
      throw fail(`files.${key}.format must be one of ${FORMAT_NAMES.join(", ")}`);
  }
  if ((p.schema as { kind?: unknown } | undefined)?.kind !== "schema") throw fail('"schema" must be a valibot schema');
  if (typeof p.defaults !== "function") throw fail('"defaults" must be a function');
  for (const fn of PLUGIN_FUNCTIONS) {
    if (p[fn] !== undefined && typeof p[fn] !== "function") throw fail(`"${fn}" must be a function`);
  }
  if (p.aliases !== undefined && !(Array.isArray(p.aliases) && p.aliases.every((a) => typeof a === "string"))) {
    throw fail('"aliases" must be a list of strings');
  }
  return value as Plugin;
}

// --- internal ---

function builtinEntry(name: string): BuiltinManifestEntry | undefined {
  const wanted = name.toLowerCase();
  return BUILTIN_MANIFEST?.find((entry) => entry.name === wanted || entry.aliases.includes(wanted));
}

/** Whether a plugin file's text holds one of `needles`: the names it could claim, quoted. */
function mentionsAny(file: string, needles: Buffer[]): boolean {
  const read = readBytesIfAny(file); // bytes: names are ASCII, no need to decode the file
  if (read === undefined) return true; // unreadable: importing it reports why
  const bytes = Buffer.from(read.buffer, read.byteOffset, read.byteLength);
  return needles.some((needle) => bytes.includes(needle));
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

function listPluginFiles(dirs: string[]): string[] {
  const files: string[] = [];
  for (const dir of dirs) {
    // Most runs have no plugin folder: found out without loading node:fs.
    if (!isFolder(dir)) continue;
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      continue; // a plugin folder that does not exist is normal
    }
    for (const entry of entries.sort()) {
      if (isPluginFileName(entry)) files.push(join(dir, entry));
    }
  }
  return files;
}

/** A plugin file: `.ts`, `.js` or `.mjs`, but not a declaration, a test beside it, or a hidden file. */
function isPluginFileName(entry: string): boolean {
  return /\.(ts|js|mjs)$/.test(entry) && !/\.d\.ts$|\.(test|spec)\.[mc]?[jt]s$/.test(entry) && !entry.startsWith(".");
}

/**
 * Why a plugin file may not run, as ssh treats authorized_keys and sudo its sudoers: the
 * file, its folder and every folder above them must belong to the running user or root and
 * be writable by no one else, or another local user could make kitcfg (often run as root)
 * run their code. Folders above the plugin folder may be sticky (as /tmp is): there no one
 * can rename or remove what another user owns. Undefined when the file may run.
 */
function untrustedReason(file: string, uid: number): string | undefined {
  try {
    const real = [realpathSync(file), realpathSync(dirname(file))];
    const own = new Set([real[0]!, dirname(real[0]!), real[1]!]);
    const seen = new Set<string>();
    for (const start of real) {
      for (let path = start; !seen.has(path); path = dirname(path)) {
        seen.add(path);
        const why = unsafeEntry(path, uid, own.has(path));
        if (why !== undefined) return path === real[0] ? `it ${why}` : `its folder ${path} ${why}`;
      }
    }
    return undefined;
  } catch (error) {
    // A file or folder that cannot be looked at cannot be shown to be safe.
    return `cannot check who may write it: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
  }
}

function unsafeEntry(path: string, uid: number, own: boolean): string | undefined {
  const stat = statSync(path);
  if (stat.uid !== uid && stat.uid !== 0) {
    return `is owned by another user (uid ${stat.uid}), not by you (uid ${uid}) or root; plugins run with your rights`;
  }
  const sticky = stat.isDirectory() && (stat.mode & 0o1000) !== 0;
  if ((stat.mode & 0o022) === 0 || (sticky && !own)) return undefined;
  const who = (stat.mode & 0o002) !== 0 ? "others" : "its group";
  return `is writable by ${who} (mode ${(stat.mode & 0o7777).toString(8).padStart(4, "0")}); run chmod go-w ${path}`;
}

function describeLoadFailure(file: string, error: unknown): string {
  if (error instanceof KitcfgError) return error.message;
  const reason = error instanceof Error ? error.message : String(error);
  return `Plugin file ${file} failed to load: ${reason.split("\n")[0]}`;
}

function removeConflicts(candidates: LoadedPlugin[], problems: LoadProblem[]): Registry {
  const owners = new Map<string, LoadedPlugin>();
  const rejected = new Set<LoadedPlugin>();
  for (const candidate of candidates) {
    for (const name of [candidate.plugin.name, ...(candidate.plugin.aliases ?? [])]) {
      const owner = owners.get(name);
      if (owner && owner !== candidate) {
        rejected.add(owner).add(candidate);
        problems.push({
          file: candidate.source,
          name,
          message:
            `Two plugins are both called "${name}": ${describeSource(owner)} and ${describeSource(candidate)}; ` +
            "remove or rename one",
        });
      } else owners.set(name, candidate);
    }
  }
  return { plugins: candidates.filter((c) => !rejected.has(c)), problems };
}

function describeSource(loaded: LoadedPlugin): string {
  return loaded.source === "built-in" ? `built-in plugins/${loaded.plugin.name}.ts` : loaded.source;
}
