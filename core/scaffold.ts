import { closeSync, existsSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";
import { PLUGIN_NAME, RESERVED_NAMES } from "./_plugin-shape.ts";
import { KitcfgError, quotedName } from "./errors.ts";
import { builtinPluginNamed } from "./registry.ts";

/** Set at build time by `build.ts` to the text of kitcfg.d.ts (`build-types.ts`). */
declare const KITCFG_TYPES: string | undefined;

export interface NewPluginOptions {
  /** Plugin name, kebab-case: the daemon's name on the command line. */
  name: string;
  /** Folder to write into (created if missing). */
  dir: string;
}

export interface NewPluginResult {
  name: string;
  /** Absolute paths written: the plugin, its test, kitcfg.d.ts and (if absent) tsconfig.json. */
  files: string[];
}

/**
 * Write a working plugin file `NAME.ts`, its test `NAME.test.ts`, the types of `"kitcfg"`
 * (`kitcfg.d.ts`, so an editor or `tsc` checks the plugin with no node_modules) and a
 * `tsconfig.json` when the folder has none. An existing plugin or test file is never
 * overwritten; kitcfg.d.ts is replaced, since it belongs to the kitcfg that runs.
 * @throws KitcfgError `USAGE` for a name that is not kebab-case, that a built-in plugin
 * answers to (a user plugin of that name would never load), or a plugin that exists;
 * `IO_FAILED` when the folder cannot be written.
 */
export async function newPlugin(options: NewPluginOptions): Promise<NewPluginResult> {
  const { name } = options;
  const refused = await nameRefusal(name);
  if (refused) throw new KitcfgError("USAGE", `Cannot create plugin ${quotedName(name)}: ${refused}`);
  const dir = resolve(options.dir);
  const plugin = join(dir, `${name}.ts`);
  const test = join(dir, `${name}.test.ts`);
  for (const file of [plugin, test]) {
    if (existsSync(file))
      throw new KitcfgError("USAGE", `Cannot create plugin "${name}": ${file} exists`, {
        file,
        hint: "Pick another name or --dir",
      });
  }
  const types = typeof KITCFG_TYPES === "string" ? KITCFG_TYPES : await typesFromSource();
  const written: string[] = [];
  try {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    writeNew(plugin, pluginText(name), written);
    writeNew(test, testText(name), written);
    writeNew(join(dir, "kitcfg.d.ts"), types, written, "w");
    const tsconfig = join(dir, "tsconfig.json");
    if (!existsSync(tsconfig)) writeNew(tsconfig, TSCONFIG, written);
  } catch (error) {
    if (error instanceof KitcfgError) throw error;
    throw new KitcfgError("IO_FAILED", `Cannot write plugin files in ${dir}: ${(error as Error).message}`, {
      file: dir,
      cause: error,
    });
  }
  return { name, files: written };
}

// --- internal ---

/** Why no plugin can be called `name`, as the registry would refuse it when loading the file. */
async function nameRefusal(name: string): Promise<string | undefined> {
  if (!PLUGIN_NAME.test(name)) return "a plugin name is kebab-case (a-z, 0-9, -), starting with a letter";
  if (RESERVED_NAMES.has(name)) return `"${name}" stands for every daemon on the command line`;
  const builtin = await builtinPluginNamed(name);
  if (builtin === undefined) return undefined;
  return builtin === name
    ? `a built-in plugin is called "${name}"; pick another name`
    : `"${name}" is an alias of the built-in plugin "${builtin}"; pick another name`;
}

/** Running from source (`bun cli.ts`): build the types as `build.ts` would. */
async function typesFromSource(): Promise<string> {
  const { buildTypes } = await import("../build-types.ts");
  return buildTypes();
}

/** Write a file 0644 (kitcfg refuses to load a plugin file others can write); "wx" never replaces one. */
function writeNew(path: string, text: string, written: string[], flags: "wx" | "w" = "wx"): void {
  const fd = openSync(path, flags, 0o644);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  written.push(path);
}

const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: "ES2022",
      module: "ESNext",
      moduleResolution: "bundler",
      lib: ["ES2022", "DOM"],
      strict: true,
      noEmit: true,
      allowImportingTsExtensions: true,
    },
    // The test runs under Bun (bun test), whose types come with Bun, not with kitcfg.
    exclude: ["*.test.ts"],
  },
  null,
  2,
)}\n`;

function envPrefix(name: string): string {
  return name.toUpperCase().replace(/-/g, "_");
}

function pluginText(name: string): string {
  const prefix = envPrefix(name);
  return `/// <reference path="./kitcfg.d.ts" />
// kitcfg plugin for ${name}. Drop this file into a folder in KITCFG_PLUGIN_PATH (or
// ~/.config/kitcfg/plugins) and kitcfg knows the daemon: kitcfg configure ${name}.
// The contract, hook by hook: "Writing a plugin" in kitcfg's README.
import { definePlugin, goDuration, port, v } from "kitcfg";

export default definePlugin({
  name: "${name}",
  summary: "${name}: replace with one line for \`kitcfg list\`",
  files: {
    // Where the daemon reads its configuration. ~ is the home folder (or --root).
    main: { path: (ctx) => ctx.env.${prefix}_CONFIG || "~/.${name}/config.json", format: "json" },
  },
  schema: v.object({
    listen_address: v.pipe(v.string(), v.nonEmpty()),
    port: port(),
    // A Go duration, as the daemon's flag parser reads it: 30s, 1m30s, 2h.
    timeout: goDuration(),
    debug: v.boolean(),
  }),
  defaults: () => ({ listen_address: "127.0.0.1", port: 8080, timeout: "30s", debug: false }),
  // Checks beyond the schema; the config is typed from the schema.
  validate: (config) =>
    config.debug && config.listen_address !== "127.0.0.1"
      ? [{ key: "debug", severity: "warning", message: "is on while listening beyond localhost" }]
      : [],
  // kitcfg env ${name}: the variables the daemon reads.
  env: (config) => ({ ${prefix}_LISTEN: \`\${config.listen_address}:\${config.port}\`, \
${prefix}_TIMEOUT: config.timeout }),
});
`;
}

function testText(name: string): string {
  return `// Tests of the ${name} plugin through the kitcfg binary, in a temporary root.
// Run with: bun test ${name}.test.ts   (KITCFG=/path/to/kitcfg when it is not on PATH)
import { afterEach, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const KITCFG = process.env.KITCFG ?? "kitcfg";
const roots: string[] = [];
afterEach(() => roots.splice(0).forEach((root) => rmSync(root, { recursive: true, force: true })));

function sandbox(): string {
  const root = mkdtempSync(join(tmpdir(), "${name}-"));
  roots.push(root);
  return root;
}

function kitcfg(root: string, ...args: string[]) {
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: root, KITCFG_PLUGIN_PATH: import.meta.dir };
  const run = Bun.spawnSync([KITCFG, ...args, "--root", root], { env, stdout: "pipe", stderr: "pipe" });
  return { code: run.exitCode, stdout: run.stdout.toString(), stderr: run.stderr.toString() };
}

test("configure writes the defaults and validate accepts them", () => {
  const root = sandbox();
  expect(kitcfg(root, "configure", "${name}").code).toBe(0);
  expect(JSON.parse(readFileSync(join(root, ".${name}/config.json"), "utf8")).port).toBe(8080);
  expect(kitcfg(root, "validate", "${name}").code).toBe(0);
});

test("update types a value by the schema and refuses one that does not fit", () => {
  const root = sandbox();
  kitcfg(root, "configure", "${name}");
  expect(kitcfg(root, "update", "${name}", "--set", "port=9090").code).toBe(0);
  expect(kitcfg(root, "get", "${name}", "port").stdout.trim()).toBe("9090");
  const before = readFileSync(join(root, ".${name}/config.json"), "utf8");
  const refused = kitcfg(root, "update", "${name}", "--set", "timeout=soon");
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain("timeout");
  expect(readFileSync(join(root, ".${name}/config.json"), "utf8")).toBe(before);
});
`;
}
