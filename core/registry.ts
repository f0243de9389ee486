import { join } from "node:path";
import { BUILTIN_MANIFEST, loadBuiltinModules } from "./_builtins.ts";
import type { BuiltinManifestEntry } from "./_builtins.ts";
import { fileIdentity, folderNames, readFilesTogether } from "./_fs.ts";
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
   * text (`namesReadable`). Otherwise everything is loaded.
   */
  only?: string;
}

/** A `name` or `aliases` key written as a property (`name:`, `"aliases":`). */
const NAME_KEY = /(?<![\w$.])(["'`]?)(name|aliases)\1\s*:/g;
/** A name written as a literal, ending its property. */
const LITERAL_NAME = /\s*(["'`])[a-z][a-z0-9_-]*\1\s*[,}]/y;
/** A list of literals (no escapes, no `${`), ending its property. */
const LITERAL_LIST = /\s*\[\s*(?:(["'`])[^"'`\\$\n]*\1\s*(?:,\s*)?)*\]\s*[,}]/y;
/** Other ways a file may give a plugin its names than `name: "literal"`. */
const OTHER_NAMING = new RegExp(
  [
    /[{,]\s*(?:name|aliases)\s*[,}]/, // shorthand: { name, summary }
    /\.(?:name|aliases)\s*(?:=[^=]|[.[])/, // assignment: p.name = n, p.aliases.push(n)
    /[{,]\s*\[[^\]\n]*\]\s*:/, // a computed key: { [key]: n }
    /\bObject\.assign\b|\bdefineProperty|\bReflect\./,
    /\bfrom\s*["'`](?!kitcfg["'`])|\bimport\s*[("'`]|\brequire\s*\(/, // the plugin object may come from there
  ]
    .map((part) => part.source)
    .join("|"),
  "g",
);

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
  let files = listPluginFiles(options.dirs);
  if (one) files = mayClaim(files, [one.name, ...one.aliases]);
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

/**
 * The user plugin `files` that could claim one of `names`: a file that names one in quotes,
 * or whose names cannot be read from its text (at least one `name:`, and every `name:` and
 * `aliases:` followed by a literal, with no other way of naming; cautious: a schema key
 * called `name` makes a file unreadable here), or that cannot be read (importing it says
 * why). Only a file whose every name is a literal that is none of them is left unevaluated.
 * The files are read together and searched as one text: a folder of many plugins costs a
 * few native searches rather than a round of calls per file. They are separated by a line
 * break and a NUL, which no pattern here reads past, so no match runs from one into the next.
 */
function mayClaim(files: string[], names: string[]): string[] {
  const { bytes, spans } = readFilesTogether(files, FILE_SEPARATOR);
  // Names are ASCII: latin1 reads one character per byte, and never fails.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  // A file that could not be read starts where the next one does: no match is ever in it.
  let next = 0;
  const starts = spans.map((span) => {
    if (span === undefined) return next;
    next = span.end + FILE_SEPARATOR.length;
    return span.start;
  });
  const may = spans.map((span) => span === undefined);
  const named = spans.map(() => 0);
  const at = (index: number) => fileAt(starts, index);
  for (const needle of names.flatMap((name) => ['"', "'", "`"].map((q) => q + name + q))) {
    for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) may[at(i)] = true;
  }
  for (const match of text.matchAll(OTHER_NAMING)) may[at(match.index)] = true;
  for (const match of text.matchAll(NAME_KEY)) {
    const file = at(match.index);
    const literal = match[2] === "name" ? LITERAL_NAME : LITERAL_LIST;
    literal.lastIndex = match.index + match[0].length;
    if (!literal.test(text)) may[file] = true;
    else if (match[2] === "name") named[file]!++;
  }
  return files.filter((_, i) => may[i] || named[i] === 0);
}

/** What `mayClaim` puts between two files. */
const FILE_SEPARATOR = Uint8Array.of(0x0a, 0x00);

/** The index of the file whose text holds `index` of the joined text: the last that starts at or before it. */
function fileAt(starts: readonly number[], index: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= index) low = mid;
    else high = mid - 1;
  }
  return low;
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

function listPluginFiles(dirs: string[]): string[] {
  const files: string[] = [];
  for (const dir of dirs) {
    // Through libc where it can (getdents64): a command about a built-in daemon then reads the
    // user plugin files it need not run without loading node:fs (about 4 ms of a start).
    const entries = folderNames(dir); // undefined: a plugin folder that does not exist is normal
    for (const entry of entries?.sort() ?? []) {
      if (isPluginFileName(entry)) files.push(join(dir, entry));
    }
  }
  return files;
}

/** A plugin file: `.ts`, `.js` or `.mjs`, but not a declaration, a test beside it, or a hidden file. */
function isPluginFileName(entry: string): boolean {
  return /\.(ts|js|mjs)$/.test(entry) && !/\.d\.ts$|\.(test|spec)\.[mc]?[jt]s$/.test(entry) && !entry.startsWith(".");
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
