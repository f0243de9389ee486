/**
 * Build `dist/kitcfg`: `cli.ts` and every file in `plugins/` compiled into one executable.
 *
 *   bun build.ts [--outfile PATH] [--names]
 *
 * - `core/_builtins.ts` is replaced at build time by a module listing `plugins/` with each
 *   plugin's name and aliases (dropping a file there and rebuilding is all it takes), and a
 *   chunk per plugin: a command about one daemon evaluates that plugin only.
 * - The binary never reads `.env`, `bunfig.toml`, `tsconfig.json` or `package.json` from
 *   the folder it runs in: kitcfg runs inside other people's projects.
 * - Bytecode, minified, split so that rarely used code (the MCP SDK, TOML, JSON Schema) loads
 *   only when used. The JIT policy keeps start-up code in the interpreter instead of
 *   compiling it (about 10% faster for a one-shot command, measured with bench/run.ts);
 *   a long-running server sets the normal policy back once it is up.
 *   (A profile-guided bytecode layout, `bytecodeOrder`, was tried and measured no faster.)
 * - package.json says `"sideEffects": false`: loading a kitcfg module only defines things,
 *   so the bundler leaves out of a chunk the modules it imports nothing from. A plugin's
 *   chunk then no longer brings the core's update and planning code that `sdk/index.ts`
 *   re-exports: about 90 KB less per plugin, 2-3% off `get`. A module must therefore never
 *   be imported for what loading it does.
 * - `node:fs`, as kitcfg's own files import it, loads on its first call (`lazyNodeFs`): a
 *   command that reads through `core/_fs.ts` and writes through `core/_fs-sync.ts` (libc
 *   system calls on Linux) never pays for it; `KITCFG_TRACE_NODE_FS=1` names the call that
 *   loads it. `node:path` is `core/_path.ts`.
 * - The git commit is written into the binary (`kitcfg --version`); "unknown" without git.
 * - The types of "kitcfg" (`build-types.ts`) are embedded for `kitcfg plugin new` and
 *   written beside the binary as `kitcfg.d.ts`.
 * - `--names` keeps identifiers unminified, for readable CPU profiles of the binary
 *   (`BUN_OPTIONS=--cpu-prof dist/kitcfg ...`).
 *
 * `release.ts` builds the same binary for other systems through `compileKitcfg`.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { BunPlugin } from "bun";
import { buildTypes } from "./build-types.ts";

const ROOT = import.meta.dir;

/** JIT tier-up thresholds multiplied by this at start (see `Bun.unsafe.setJITPolicy`). */
export const START_JIT_POLICY = 1000;

/** kitcfg.d.ts, built once per run (tsc takes a few seconds) and shared by every target. */
let types: string | undefined;

export interface CompileOptions {
  outfile: string;
  /** A `bun-<os>-<arch>[-baseline][-musl]` target; default: this machine. */
  target?: Bun.Build.CompileTarget;
  /** The Bun executable of `target` to build on (release.ts fetches it from the npm registry). */
  executablePath?: string;
  /** Commit written into the binary; default: this checkout's (`gitCommit`). */
  commit?: string;
  /** Keep identifiers unminified, for readable CPU profiles (`--names`). */
  names?: boolean;
}

/**
 * Compile kitcfg into one executable.
 * @throws Error with Bun's build logs when the build fails.
 */
export async function compileKitcfg(options: CompileOptions): Promise<string> {
  types ??= buildTypes();
  mkdirSync(dirname(options.outfile), { recursive: true });
  writeFileSync(join(dirname(options.outfile), "kitcfg.d.ts"), types);
  const result = await Bun.build({
    entrypoints: [join(ROOT, "cli.ts")],
    compile: {
      outfile: options.outfile,
      ...(options.target ? { target: options.target } : {}),
      ...(options.executablePath ? { executablePath: options.executablePath } : {}),
      autoloadDotenv: false,
      autoloadBunfig: false,
      autoloadTsconfig: false,
      autoloadPackageJson: false,
      jitPolicy: START_JIT_POLICY,
    },
    minify: options.names ? { whitespace: true, syntax: true, identifiers: false } : true,
    bytecode: true,
    format: "esm",
    splitting: true,
    define: { KITCFG_COMMIT: JSON.stringify(options.commit ?? gitCommit()), KITCFG_TYPES: JSON.stringify(types) },
    plugins: [staticBuiltins(), lighterModules()],
  });
  if (!result.success) throw new Error(`Build of ${options.outfile} failed:\n${result.logs.join("\n")}`);
  return options.outfile;
}

/**
 * The commit of the checkout at `cwd` (default: this one) (12 hex digits, "-dirty" with uncommitted
 * changes), or "unknown" without git.
 */
export function gitCommit(cwd = ROOT): string {
  const git = (...args: string[]) => spawnSync("git", args, { cwd, encoding: "utf8" });
  const head = git("rev-parse", "--short=12", "HEAD");
  if (head.status !== 0 || !head.stdout) return "unknown";
  const dirty = git("status", "--porcelain", "--untracked-files=no").stdout?.trim();
  return head.stdout.trim() + (dirty ? "-dirty" : "");
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const outfile = resolve(
    args.includes("--outfile") ? args[args.indexOf("--outfile") + 1]! : join(ROOT, "dist/kitcfg"),
  );
  try {
    console.log(`built ${await compileKitcfg({ outfile, names: args.includes("--names") })}`);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}

// --- internal ---

/**
 * Serve `core/_builtins.ts` as a manifest of every plugin file (its name and aliases, read
 * here by evaluating it once) and one lazily imported chunk per plugin.
 */
function staticBuiltins(): BunPlugin {
  return {
    name: "kitcfg-static-builtins",
    setup(build) {
      build.onLoad({ filter: /[\\/]core[\\/]_builtins\.ts$/ }, async () => {
        const names = readdirSync(join(ROOT, "plugins"))
          .filter((file) => /^[a-z][a-z0-9-]*\.ts$/.test(file))
          .map((file) => file.slice(0, -3))
          .sort();
        const manifest = [];
        for (const file of names) {
          const plugin = (await import(join(ROOT, "plugins", `${file}.ts`))).default as {
            name: string;
            aliases?: string[];
          };
          manifest.push({ file, name: plugin.name, aliases: plugin.aliases ?? [] });
        }
        const loaders = names.map(
          (name) => `${JSON.stringify(name)}: () => import(${JSON.stringify(join(ROOT, "plugins", `${name}.ts`))})`,
        );
        const contents = [
          `export const BUILTIN_MANIFEST = ${JSON.stringify(manifest)};`,
          `const loaders = { ${loaders.join(", ")} };`,
          `export async function loadBuiltinModules(files = ${JSON.stringify(names)}) {`,
          `  return Promise.all(files.map(async (name) => [name, (await loaders[name]()).default]));`,
          `}`,
        ].join("\n");
        return { loader: "ts", contents };
      });
    },
  };
}

/**
 * What a one-daemon command loads, made lighter in kitcfg's own files (see `rewriteSource`):
 * - `node:fs` becomes a module of stand-ins that load the real one on their first call.
 *   Loading node:fs costs about 4 ms of a 22 ms start (hello-world binaries with and
 *   without it, measured side by side), the largest single cost of a `get`; reads go
 *   through `core/_fs.ts` instead, so a read-only command never loads it. `constants` is
 *   looked up when used: its values differ between systems, and the binary may be built
 *   for another one.
 * - `node:path` becomes `core/_path.ts` (POSIX, node's results; about 2 ms less).
 * - Built-in plugins import the SDK (`sdk/index.ts`) rather than all of "kitcfg", and
 *   valibot as a namespace of their own: re-exported as the value `v`, valibot's namespace
 *   object is built with a getter per export (about 1.5 ms) wherever the SDK loads. User
 *   plugins get `v` from the "kitcfg" module registry.ts serves them.
 * Dependencies keep the real modules.
 */
function lighterModules(): BunPlugin {
  return {
    name: "kitcfg-lighter-modules",
    setup(build) {
      // Bun resolves built-in modules before plugins see them: the import is renamed in the
      // source. node:path is served by core/_path.ts (POSIX, node's results, ~2 ms less).
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (!args.path.startsWith(ROOT) || args.path.includes("node_modules") || /_builtins\.ts$/.test(args.path))
          return undefined;
        return { loader: "ts", contents: rewriteSource(args.path, await Bun.file(args.path).text()) };
      });
      build.onResolve({ filter: /^kitcfg-lazy:node-fs$/ }, () => ({ path: "node-fs", namespace: "kitcfg-lazy" }));
      build.onLoad({ filter: /.*/, namespace: "kitcfg-lazy" }, () => {
        // Only the functions some file imports: each export is a binding to create and link.
        const contents = [
          "let fs;",
          // KITCFG_TRACE_NODE_FS=1 names the first call that loads it (tests/e2e/node-fs.test.ts).
          "const real = (name) => fs ?? (process.env.KITCFG_TRACE_NODE_FS === '1' && " +
            'console.error("node:fs loaded by " + name), (fs = require("node:fs")));',
          ...nodeFsImports().map(
            (name) => `export function ${name}(...args) { return real(${JSON.stringify(name)}).${name}(...args); }`,
          ),
          'export const constants = new Proxy({}, { get: (_, key) => real("constants")[key] });',
        ].join("\n");
        return { loader: "js", contents };
      });
    },
  };
}

/** A source file of kitcfg as the binary compiles it (see `lighterModules`). */
function rewriteSource(path: string, source: string): string {
  // Imports only: the module's head, up to its first statement (a template below may hold import lines).
  const body = source.search(/^(export|const|let|var|function|async|class|type|interface|declare|enum)\b/m);
  const end = body === -1 ? source.length : body;
  let text =
    source
      .slice(0, end)
      .replace(/(from\s*)"node:fs"/g, '$1"kitcfg-lazy:node-fs"')
      .replace(/(from\s*)"node:path"/g, `$1${JSON.stringify(join(ROOT, "core/_path.ts"))}`) + source.slice(end);
  const sdk = JSON.stringify(join(ROOT, "sdk/index.ts"));
  if (path === join(ROOT, "sdk/index.ts")) {
    text = text.replace(/^import \* as v from "valibot";\n/m, "").replace(/^export \{ v \};\n/m, "");
  } else if (path.startsWith(`${join(ROOT, "plugins")}/`)) {
    const kitcfgImport = /import(\s+type)?\s*\{([^}]*)\}\s*from\s*"kitcfg";?/g;
    text = text.replace(kitcfgImport, (_all, type: string | undefined, list: string) => {
      const names = list
        .split(",")
        .map((name) => name.trim())
        .filter(Boolean);
      const rest = names.filter((name) => name !== "v");
      const own = rest.length > 0 ? `import${type ?? ""} { ${rest.join(", ")} } from ${sdk};` : "";
      return rest.length === names.length ? own : `${own} import * as v from "valibot";`;
    });
  }
  return text;
}

/** The names kitcfg's own files import from node:fs (`constants` aside). */
function nodeFsImports(): string[] {
  const names = new Set<string>();
  const files = ["*.ts", "{core,sdk,cli,mcp,present,plugins}/**/*.ts"].flatMap((pattern) => [
    ...new Bun.Glob(pattern).scanSync({ cwd: ROOT }),
  ]);
  for (const file of files) {
    const text = readFileSync(join(ROOT, file), "utf8");
    for (const [, list] of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*"node:fs"/g)) {
      // `readFileSync as nodeReadFileSync`: the module's own name.
      for (const name of list!.split(",").map((n) => n.trim().split(/\s+as\s+/)[0]!)) {
        if (/^[a-z][A-Za-z]*$/.test(name) && name !== "constants") names.add(name);
      }
    }
  }
  return [...names].sort();
}
