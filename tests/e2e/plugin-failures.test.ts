import { expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanEnv, kitcfg, pluginFolderEachTest } from "../helpers.ts";
import type { Ran } from "../helpers.ts";

// What a user plugin gets wrong in ways TypeScript lets through (a schema check that throws,
// an async hook, a default too large to read back, an odd folder among its instances, keyDocs
// of the wrong shape) is that plugin's error: one line naming the plugin, its file and the
// hook, exit 3, never kitcfg's internal error, and the other daemons go on.

let root: string;
let plugins: string;
pluginFolderEachTest((...made) => ([root, plugins] = made));

/** Write a user plugin file (not writable by others, so it loads) and give the environment that loads it. */
function install(file: string, source: string): Record<string, string> {
  writeFileSync(join(plugins, file), source, { mode: 0o644 });
  return cleanEnv(root, { KITCFG_PLUGIN_PATH: plugins });
}

/** A plugin of one JSON file at `~/.NAME/config.json` (with `main`'s fields); `fields` are added to its definition. */
function plugin(name: string, schema: string, fields: string, main = ""): string {
  return `import { definePlugin, v } from "kitcfg";
export default definePlugin({
  name: "${name}",
  summary: "a plugin that gets something wrong",
  files: { main: { path: "~/.${name}/config.json", format: "json"${main} } },
  schema: ${schema},
  ${fields}
});
`;
}

/** The run failed as the plugin's error: exit 3, one error line naming the plugin, its file and `what`. */
function expectPluginError(ran: Ran, name: string, file: string, what: string): void {
  expect(ran.stderr).not.toContain("Internal error");
  expect(ran.stderr).not.toMatch(/\n\s+at /);
  expect(ran.code).toBe(3);
  const errors = ran.stderr.split("\n").filter((line) => line.startsWith("✖"));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toContain(`"${name}"`);
  expect(errors[0]).toContain(join(plugins, file));
  expect(errors[0]).toContain(what);
}

const THROWING_SCHEMA = `v.object({
    port: v.pipe(v.number(), v.check((n) => { if (n === 666) throw new Error("boom in schema"); return true; })),
  })`;

test("a schema check that throws is the plugin's error in validate, status and update; s3 is still checked", () => {
  const env = install("st.ts", plugin("st", THROWING_SCHEMA, "defaults: () => ({ port: 1 }),"));
  expect(kitcfg(["configure", "st"], { root, env }).code).toBe(0);
  expect(kitcfg(["configure", "s3"], { root, env }).code).toBe(0);
  writeFileSync(join(root, ".st/config.json"), '{"port": 666}');

  expectPluginError(kitcfg(["validate", "st"], { root, env }), "st", "st.ts", "schema: boom in schema");

  const all = kitcfg(["validate", "--json"], { root, env });
  expect(all.code).toBe(3);
  const daemons = JSON.parse(all.stdout).daemons as { daemon: string; valid: boolean; issues: { message: string }[] }[];
  expect(daemons.find((d) => d.daemon === "s3")?.valid).toBe(true);
  const st = daemons.find((d) => d.daemon === "st");
  expect(st?.valid).toBe(false);
  expect(st?.issues[0]?.message).toContain(`Plugin "st" (${join(plugins, "st.ts")}) failed in schema: boom in schema`);

  const text = kitcfg(["validate"], { root, env });
  expect(text.code).toBe(3);
  expect(text.stdout + text.stderr).toContain("s3: valid");
  expect(text.stderr).not.toContain("Internal error");

  const status = kitcfg(["status"], { root, env });
  expect(status.code).toBe(3);
  expect(status.stdout).toMatch(/^s3 +valid/m);
  expect(status.stdout).toMatch(/^st +invalid/m);
  expect(status.stderr).toContain("failed in schema: boom in schema");
  const statusJson = kitcfg(["status", "--json"], { root, env });
  expect(statusJson.code).toBe(3);
  expect(JSON.parse(statusJson.stdout).daemons.find((d: { daemon: string }) => d.daemon === "s3").valid).toBe(true);

  // --set runs the schema on the value given; the file is left as it was.
  writeFileSync(join(root, ".st/config.json"), '{"port": 1}');
  expectPluginError(kitcfg(["update", "st", "--set", "port=666"], { root, env }), "st", "st.ts", "schema: boom");
  expect(readFileSync(join(root, ".st/config.json"), "utf8")).toBe('{"port": 1}');
});

test("an async derive, decode, update or profile is the plugin's error, naming the hook; nothing is written", () => {
  const env = install(
    "ad.ts",
    `import { definePlugin, v } from "kitcfg";
export default definePlugin({
  name: "ad",
  summary: "an async derive",
  files: {
    main: { path: "~/.ad/config.json", format: "json" },
    envf: { path: "~/.ad/ad.env", format: "env", derive: async (c) => ({ AD_PORT: String(c.port) }) },
  },
  schema: v.object({ port: v.number() }),
  defaults: () => ({ port: 1 }),
});
`,
  );
  expectPluginError(kitcfg(["configure", "ad"], { root, env }), "ad", "ad.ts", "Promise from files.envf.derive");
  expect(existsSync(join(root, ".ad/ad.env"))).toBe(false);
  expect(existsSync(join(root, ".ad/config.json"))).toBe(false);

  install(
    "adec.ts",
    plugin("adec", "v.object({ port: v.number() })", "defaults: () => ({ port: 1 }),", ", decode: async (raw) => raw"),
  );
  expectPluginError(kitcfg(["configure", "adec"], { root, env }), "adec", "adec.ts", "Promise from files.main.decode");
  expect(existsSync(join(root, ".adec/config.json"))).toBe(false);

  // A .js plugin is not type-checked at all; its async defaults and validate are waited for, as they may be.
  install(
    "aup.js",
    plugin(
      "aup",
      "v.object({ port: v.number() })",
      `defaults: async () => ({ port: 1 }),
  validate: async () => [],
  update: async (config, changes, ctx, next) => next(config, changes),
  profiles: { p: { summary: "p", apply: async (config) => ({ ...config, port: 2 }) } },`,
    ),
  );
  expect(kitcfg(["configure", "aup"], { root, env }).code).toBe(0);
  expect(kitcfg(["validate", "aup"], { root, env }).code).toBe(0);
  const before = readFileSync(join(root, ".aup/config.json"), "utf8");
  expectPluginError(
    kitcfg(["update", "aup", "--set", "port=3"], { root, env }),
    "aup",
    "aup.js",
    "Promise from update",
  );
  const profile = kitcfg(["update", "aup", "--profile", "p"], { root, env });
  expectPluginError(profile, "aup", "aup.js", "Promise from profiles.p");
  expect(profile.stderr).toContain("must return its value, not a Promise");
  expect(readFileSync(join(root, ".aup/config.json"), "utf8")).toBe(before);
});

test("configure refuses a file larger than kitcfg reads back, naming file and plugin; nothing is written", () => {
  const env = install(
    "big.ts",
    plugin("big", "v.object({ blob: v.string() })", `defaults: () => ({ blob: "x".repeat(17 * 1024 * 1024) }),`),
  );
  const ran = kitcfg(["configure", "big"], { root, env });
  expect(ran.code).toBe(3);
  expect(ran.stderr).not.toContain("Internal error");
  const line = ran.stderr.split("\n")[0]!;
  expect(line).toContain(`Cannot write ${join(root, ".big/config.json")}: plugin "big" (${join(plugins, "big.ts")})`);
  expect(line).toContain("over the 16777216 bytes (16 MiB) kitcfg reads");
  expect(existsSync(join(root, ".big/config.json"))).toBe(false);
  expect(kitcfg(["status", "--json"], { root, env }).code).toBe(0);
});

test("names from instances.list that are no instance names are skipped with one warning; the others are listed", () => {
  const env = install(
    "inst.ts",
    `import { definePlugin, v } from "kitcfg";
export default definePlugin({
  name: "inst",
  summary: "one folder per instance",
  files: { main: { path: (ctx) => \`~/.inst/\${ctx.instance}/config.json\`, format: "json" } },
  schema: v.object({ port: v.number() }),
  defaults: () => ({ port: 1 }),
  instances: { default: "a", list: (ctx) => ctx.listDir("~/.inst") ?? [] },
});
`,
  );
  expect(kitcfg(["configure", "inst"], { root, env }).code).toBe(0);
  expect(kitcfg(["configure", "inst", "--instance", "b"], { root, env }).code).toBe(0);
  mkdirSync(join(root, ".inst/.hidden"));

  const status = kitcfg(["status", "--json"], { root, env });
  expect(status.code).toBe(0);
  const listed = JSON.parse(status.stdout).daemons.filter((d: { daemon: string }) => d.daemon === "inst");
  expect(listed.map((d: { instance: string; valid: boolean }) => [d.instance, d.valid])).toEqual([
    ["a", true],
    ["b", true],
  ]);

  const validate = kitcfg(["validate"], { root, env });
  expect(validate.code).toBe(0);
  const warnings = validate.stderr.split("\n").filter((line) => line.includes("instances.list"));
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain(`Plugin "inst" (${join(plugins, "inst.ts")}) gave ".hidden" from instances.list`);
  expect(validate.stdout + validate.stderr).toContain("inst/b: valid");
  const list = JSON.parse(kitcfg(["list", "--json"], { root, env }).stdout).daemons;
  expect(list.find((d: { name: string }) => d.name === "inst").instances).toEqual(["a", "b"]);
});

test("keyDocs that return anything but docs by key path are the plugin's error in keys", () => {
  for (const docs of ["42", "({ doc: 5 })", "({ port: { doc: 5 } })"]) {
    const env = install(
      "kd.js",
      plugin("kd", "v.object({ port: v.number() })", `defaults: () => ({ port: 1 }), keyDocs: () => ${docs},`),
    );
    expectPluginError(kitcfg(["keys", "kd"], { root, env }), "kd", "kd.js", "from keyDocs");
  }
  const env = install(
    "kd.js",
    plugin(
      "kd",
      "v.object({ port: v.number() })",
      `defaults: () => ({ port: 1 }), keyDocs: () => ({ port: { doc: "p" } }),`,
    ),
  );
  const keys = kitcfg(["keys", "kd"], { root, env });
  expect(keys.code).toBe(0);
  expect(keys.stdout).toContain("p");
});
