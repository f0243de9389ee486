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
 * - The git commit is written into the binary (`kitcfg --version`); "unknown" without git.
 * - The types of "kitcfg" (`build-types.ts`) are embedded for `kitcfg plugin new` and
 *   written beside the binary as `kitcfg.d.ts`.
 * - `--names` keeps identifiers unminified, for readable CPU profiles of the binary
 *   (`BUN_OPTIONS=--cpu-prof dist/kitcfg ...`).
 *
 * `release.ts` builds the same binary for other systems through `compileKitcfg`.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
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
    plugins: [staticBuiltins()],
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
