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
 * - Bytecode, minified, split so that rarely used code (the MCP SDK, TOML, consola) loads
 *   only when used. The JIT policy keeps start-up code in the interpreter instead of
 *   compiling it (about 10% faster for a one-shot command, measured with bench/run.ts);
 *   a long-running server sets the normal policy back once it is up.
 *   (A profile-guided bytecode layout, `bytecodeOrder`, was tried and measured no faster.)
 * - `--names` keeps identifiers unminified, for readable CPU profiles of the binary
 *   (`BUN_OPTIONS=--cpu-prof dist/kitcfg ...`).
 */
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { BunPlugin } from "bun";

const ROOT = import.meta.dir;
const args = process.argv.slice(2);
const outfile = resolve(args.includes("--outfile") ? args[args.indexOf("--outfile") + 1]! : join(ROOT, "dist/kitcfg"));

/** JIT tier-up thresholds multiplied by this at start (see `Bun.unsafe.setJITPolicy`). */
export const START_JIT_POLICY = 1000;

await compile(outfile);

// --- internal ---

async function compile(out: string): Promise<void> {
  const result = await Bun.build({
    entrypoints: [join(ROOT, "cli.ts")],
    compile: {
      outfile: out,
      autoloadDotenv: false,
      autoloadBunfig: false,
      autoloadTsconfig: false,
      autoloadPackageJson: false,
      jitPolicy: START_JIT_POLICY,
    },
    minify: args.includes("--names") ? { whitespace: true, syntax: true, identifiers: false } : true,
    bytecode: true,
    format: "esm",
    splitting: true,
    plugins: [staticBuiltins()],
  });
  if (!result.success) {
    for (const log of result.logs) console.error(log);
    process.exit(1);
  }
  console.log(`built ${out}`);
}

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
          const plugin = (await import(join(ROOT, "plugins", `${file}.ts`))).default as { name: string; aliases?: string[] };
          manifest.push({ file, name: plugin.name, aliases: plugin.aliases ?? [] });
        }
        const loaders = names.map((name) => `${JSON.stringify(name)}: () => import(${JSON.stringify(join(ROOT, "plugins", `${name}.ts`))})`);
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
