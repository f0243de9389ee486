import { expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanEnv, kitcfg, pluginFolderEachTest } from "../helpers.ts";

// A user plugin whose hook throws, or returns what its hook does not promise, is that
// plugin's error (exit 3, named by plugin and file, no stack): list, status, validate and
// configure all go on for the others.

/** Hooks of a plugin called "brok", each given as source text; `breaking` replaces one. */
const HOOKS: Record<string, string> = {
  "files.path": `(ctx) => "~/.brok/config.json"`,
  defaults: `() => ({ port: 1 })`,
  validate: `() => []`,
  update: `(config, changes, ctx, next) => next(config, changes)`,
  env: `(config) => ({ BROK_PORT: String(config.port) })`,
  args: `(config) => ["--port=" + config.port]`,
  running: `() => undefined`,
  repair: `() => ({ texts: {}, fixes: [] })`,
  "instances.list": `() => []`,
  checks: `() => []`,
  decode: `(raw) => raw`,
  encode: `(value) => value`,
  derive: `(config) => ({ BROK_PORT: String(config.port) })`,
  "profiles.fast": `(config) => ({ ...config, port: 2 })`,
  facts: `(config) => ({ port: config.port })`,
};

function pluginSource(broken: string, how: "throw" | "garbage"): string {
  const hook = (name: string) =>
    name !== broken ? HOOKS[name] : how === "throw" ? `() => { throw new Error("boom in ${name}") }` : `() => 42`;
  return `import { definePlugin, v } from "kitcfg";
export default definePlugin({
  name: "brok",
  summary: "a plugin with a broken hook",
  files: {
    main: { path: ${hook("files.path")}, format: "json", decode: ${hook("decode")}, encode: ${hook("encode")} },
    env: { path: "~/.brok/brok.env", format: "env", derive: ${hook("derive")} },
  },
  schema: v.object({ port: v.number() }),
  defaults: ${hook("defaults")},
  validate: ${hook("validate")},
  update: ${hook("update")},
  env: ${hook("env")},
  args: ${hook("args")},
  running: ${hook("running")},
  repair: ${hook("repair")},
  instances: { default: "main", list: ${hook("instances.list")} },
  checks: [{ needs: ["s3"], run: ${hook("checks")} }],
  profiles: { fast: { summary: "fast", apply: ${hook("profiles.fast")} } },
  facts: ${hook("facts")},
});
`;
}

/** The command that reaches the hook, run on the broken plugin itself. */
const REACHES: Record<string, string[]> = {
  "files.path": ["show", "brok"],
  defaults: ["configure", "brok"],
  validate: ["validate", "brok"],
  update: ["update", "brok", "--set", "port=5"],
  env: ["env", "brok"],
  args: ["args", "brok"],
  running: ["update", "brok", "--set", "port=5"],
  repair: ["repair", "brok"],
  "instances.list": ["status"],
  checks: ["validate"],
  decode: ["show", "brok"],
  encode: ["update", "brok", "--set", "port=5"],
  derive: ["update", "brok", "--set", "port=5"],
  "profiles.fast": ["update", "brok", "--profile", "fast"],
  facts: ["plan", "desired.json"],
};

let root: string;
let plugins: string;
pluginFolderEachTest((...made) => ([root, plugins] = made));

function install(source: string): Record<string, string> {
  writeFileSync(join(plugins, "brok.ts"), source);
  return cleanEnv(root, { KITCFG_PLUGIN_PATH: plugins });
}

/** Configure brok (with a working copy of the plugin) and s3, so every hook has files to work on. */
function configured(): void {
  const env = install(pluginSource("none", "throw"));
  expect(kitcfg(["configure", "brok", "--instance", "main"], { root, env }).code).toBe(0);
  expect(kitcfg(["configure", "s3"], { root, env }).code).toBe(0);
  mkdirSync(join(root, ".brok"), { recursive: true });
  writeFileSync(join(root, "desired.json"), JSON.stringify({ brok: { instances: { main: { set: { port: 5 } } } } }));
}

for (const hook of Object.keys(HOOKS)) {
  for (const how of ["throw", "garbage"] as const) {
    // A decode or encode may return any value; only a throw is a failure there.
    if (how === "garbage" && ["decode", "encode", "derive"].includes(hook)) continue;
    test(`a user plugin whose ${hook} ${how === "throw" ? "throws" : "returns garbage"} fails alone`, () => {
      configured();
      const env = install(pluginSource(hook, how));
      const command = REACHES[hook]!;
      const instance =
        ["status", "plan"].includes(command[0]!) || (command[0] === "validate" && command.length === 1)
          ? []
          : ["--instance", "main"];
      const own = kitcfg([...REACHES[hook]!, ...instance], { root, env });
      if (hook !== "running") {
        expect(own.stderr).not.toContain("Internal error");
        expect(own.stderr).not.toMatch(/\n\s+at /); // no stack
      }
      if (hook === "checks") {
        expect(own.code).toBe(1);
      } else if (hook !== "running" || how === "garbage") {
        expect(own.code).toBe(3);
        expect(own.stderr).toContain('Plugin "brok"');
        expect(own.stderr).toContain(join(plugins, "brok.ts"));
      }

      const list = kitcfg(["list", "--json"], { root, env });
      expect(list.code).toBe(0);
      expect(JSON.parse(list.stdout).daemons.map((d: { name: string }) => d.name)).toContain("s3");

      const status = kitcfg(["status", "--json"], { root, env });
      // status exits as validate does: 3 when the failed plugin is reached; s3 is still reported.
      expect([0, 1, 3]).toContain(status.code);
      const daemons = JSON.parse(status.stdout).daemons as { daemon: string; valid: boolean }[];
      expect(daemons.find((d) => d.daemon === "s3")?.valid).toBe(true);

      const validate = kitcfg(["validate", "s3", "--json"], { root, env });
      expect(validate.code).toBe(0);
      const all = kitcfg(["validate", "--json"], { root, env });
      // The failed plugin sets the exit code (3, a plugin failure); the others are still reported.
      expect([0, 1, 3]).toContain(all.code);
      expect(JSON.parse(all.stdout).daemons.find((d: { daemon: string }) => d.daemon === "s3")?.valid).toBe(true);
    }, 60_000);
  }
}
