import { realpathSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { readBytesIfAny } from "./_fs.ts";
import { quotedName } from "./errors.ts";

/** An import by path (`./x.ts`, `../lib`, `/abs/x.js`, `file:///...`), not by a package's name. */
const PATH_SPECIFIER = /^(\.{1,2}(\/|$)|\/|file:)/;

/** Why a plugin's code may not run; `unsafe` when someone else could have written it. */
export interface Distrust {
  message: string;
  unsafe: boolean;
}

/**
 * Why a plugin file may not run, as ssh treats authorized_keys and sudo its sudoers: the
 * file, its folder and every folder above them must belong to the running user or root and
 * be writable by no one else, or another local user could make kitcfg (often run as root)
 * run their code. Folders above the plugin folder may be sticky (as /tmp is): there no one
 * can rename or remove what another user owns. Undefined when the file may run. `it` and
 * `its` start the reason, so that it reads for a file a plugin imports as for the plugin.
 */
export function untrustedReason(file: string, uid: number, it = "it", its = "its"): string | undefined {
  try {
    const real = [realpathSync(file), realpathSync(dirname(file))];
    const own = new Set([real[0]!, dirname(real[0]!), real[1]!]);
    const seen = new Set<string>();
    for (const start of real) {
      for (let path = start; !seen.has(path); path = dirname(path)) {
        seen.add(path);
        const why = unsafeEntry(path, uid, own.has(path));
        if (why !== undefined) return path === real[0] ? `${it} ${why}` : `${its} folder ${path} ${why}`;
      }
    }
    return undefined;
  } catch (error) {
    // A file or folder that cannot be looked at cannot be shown to be safe.
    return `${it} cannot be checked for who may write it: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
  }
}

/**
 * Why what a plugin file imports may not run, found before any of it runs: every file it
 * imports by path (`./lib/x.ts`; at any depth; `import()` and `require` of a literal too)
 * is held to `untrustedReason`. A package (a bare name other than "kitcfg" and the
 * runtime's own modules) is refused: a plugin takes its helpers from "kitcfg" and needs no
 * node_modules, whose folders up the tree another user may own. What code computes at run
 * time cannot be seen here: that is the plugin's own doing, as any code it runs. Undefined
 * when all of it may run.
 */
export async function importsDistrust(file: string, uid: number): Promise<Distrust | undefined> {
  const seen = new Set([file]);
  const queue = [file];
  for (let importer = queue.shift(); importer !== undefined; importer = queue.shift()) {
    const by = importer === file ? "it" : `${importer}, which it imports,`;
    const specifiers = importsOf(importer);
    if (typeof specifiers === "string") return { message: `${by} does not parse: ${specifiers}`, unsafe: false };
    for (const spec of specifiers) {
      if (spec === "kitcfg" || (await isRuntimeModule(spec))) continue;
      if (!PATH_SPECIFIER.test(spec)) {
        const message =
          `${by} imports the package ${quotedName(spec)}: a plugin imports "kitcfg", ` +
          "the runtime's own modules (node:*, bun:*) and files by path only";
        return { message, unsafe: false };
      }
      let path: string;
      try {
        path = Bun.resolveSync(spec, dirname(importer));
      } catch {
        return { message: `${by} imports ${quotedName(spec)}, which is not found`, unsafe: false };
      }
      if (seen.has(path)) continue;
      seen.add(path);
      const untrusted = untrustedReason(path, uid, `${by} imports ${path}, which`, `${by} imports ${path}, whose`);
      if (untrusted !== undefined) return { message: untrusted, unsafe: true };
      queue.push(path);
    }
  }
  return undefined;
}

// --- internal ---

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

/** The transpiler's loader for a module's imports, by file extension; other files (JSON, text) hold no code. */
const CODE_LOADERS: Readonly<Record<string, "ts" | "tsx" | "js" | "jsx">> = {
  ts: "ts",
  mts: "ts",
  cts: "ts",
  tsx: "tsx",
  js: "js",
  mjs: "js",
  cjs: "js",
  jsx: "jsx",
};

/** One transpiler per loader, made when first needed. */
const TRANSPILERS: Partial<Record<string, Bun.Transpiler>> = {};

/**
 * What a module imports, read without running it (Bun's transpiler: `import`, `export
 * from`, `import()` and `require` of a literal; type-only imports left out, as at run
 * time); the parser's first line when the text does not parse.
 */
function importsOf(file: string): string[] | string {
  const loader = CODE_LOADERS[file.slice(file.lastIndexOf(".") + 1)];
  if (loader === undefined) return [];
  try {
    const text = new TextDecoder().decode(readBytesIfAny(file) ?? new Uint8Array());
    const transpiler = (TRANSPILERS[loader] ??= new Bun.Transpiler({ loader }));
    return transpiler.scanImports(text).map((found) => found.path);
  } catch (error) {
    return parseProblem(error);
  }
}

/**
 * The first line of what the parser said, with where: Bun throws an AggregateError whose own
 * message is only "Failed to scan imports", and whose first error has the line and column.
 */
function parseProblem(error: unknown): string {
  const first = error instanceof AggregateError ? (error.errors[0] as Partial<BuildMessage> | undefined) : undefined;
  const where = first?.position ? `line ${first.position.line}, column ${first.position.column}: ` : "";
  const message = first?.message ?? (error instanceof Error ? error.message : String(error));
  return where + message.split("\n")[0]!;
}

/** `node:fs`, `bun:ffi`, `bun`, and Node's modules by their bare names (`fs`, `path`). */
async function isRuntimeModule(spec: string): Promise<boolean> {
  if (/^(node|bun):/.test(spec) || spec === "bun") return true;
  if (PATH_SPECIFIER.test(spec)) return false;
  const { isBuiltin } = await import("node:module"); // only for a bare name, which is rare
  return isBuiltin(spec);
}
