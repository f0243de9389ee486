/**
 * Build `dist/kitcfg`: `cli.ts` and every file in `plugins/` compiled into one executable.
 *
 *   bun build.ts [--outfile PATH]
 *
 * - The built-in plugins are imported statically: `core/_builtins.ts` is replaced at build
 *   time by a module listing `plugins/` (dropping a file there and rebuilding is all it
 *   takes), so start-up pays no dynamic import per plugin.
 * - The binary never reads `.env`, `bunfig.toml`, `tsconfig.json` or `package.json` from
 *   the folder it runs in: kitcfg runs inside other people's projects.
 * - Bytecode, minified, split so that rarely used code (the MCP SDK, TOML, consola) loads
 *   only when used. The JIT policy keeps start-up code in the interpreter instead of
 *   compiling it (about 10% faster for a one-shot command, measured with bench/run.ts);
 *   a long-running server sets the normal policy back once it is up.
 *   (A profile-guided bytecode layout, `bytecodeOrder`, was tried and measured no faster.)
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { BunPlugin } from "bun";
import { buildTypes } from "./build-types.ts";

const ROOT = import.meta.dir;
const args = process.argv.slice(2);
const outfile = resolve(args.includes("--outfile") ? args[args.indexOf("--outfile") + 1]! : join(ROOT, "dist/kitcfg"));

/** JIT tier-up thresholds multiplied by this at start (see `Bun.unsafe.setJITPolicy`). */
export const START_JIT_POLICY = 1000;

mkdirSync(dirname(outfile), { recursive: true });
await compile(outfile);

// --- internal ---

async function compile(out: string): Promise<void> {
  // The types of "kitcfg", for `kitcfg plugin new`: written beside the binary and embedded in it.
  const types = buildTypes();
  writeFileSync(join(dirname(out), "kitcfg.d.ts"), types);
  const result = await Bun.build({
    define: { KITCFG_TYPES: JSON.stringify(types) },
    entrypoints: [join(ROOT, "cli.ts")],
    compile: {
      outfile: out,
      autoloadDotenv: false,
      autoloadBunfig: false,
      autoloadTsconfig: false,
      autoloadPackageJson: false,
      jitPolicy: START_JIT_POLICY,
    },
    minify: true,
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

/** Serve `core/_builtins.ts` as static imports of every plugin file. */
function staticBuiltins(): BunPlugin {
  return {
    name: "kitcfg-static-builtins",
    setup(build) {
      build.onLoad({ filter: /[\\/]core[\\/]_builtins\.ts$/ }, () => {
        const names = readdirSync(join(ROOT, "plugins"))
          .filter((file) => /^[a-z][a-z0-9-]*\.ts$/.test(file))
          .map((file) => file.slice(0, -3))
          .sort();
        const imports = names.map((name, i) => `import p${i} from ${JSON.stringify(join(ROOT, "plugins", `${name}.ts`))};`);
        const list = names.map((name, i) => `[${JSON.stringify(name)}, p${i}]`).join(", ");
        return { loader: "ts", contents: `${imports.join("\n")}\nexport async function loadBuiltinModules() { return [${list}]; }\n` };
      });
    },
  };
}
