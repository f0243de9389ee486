import { afterEach, beforeEach, expect, test } from "bun:test";
import { chmodSync, copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { cleanEnv, FIXTURES, kitcfg, tempDir } from "../helpers.ts";

// A daemon from outside the repo: `kitcfg plugin new` starts it, the SDK is all it imports,
// tsc checks it against the kitcfg.d.ts that `plugin new` wrote, and the binary runs it.

const TSC = resolve(import.meta.dir, "../../node_modules/.bin/tsc");
const BUN = process.execPath;
const NODE_EXPORTER = join(FIXTURES, "plugins/node-exporter.ts");

let root: string;
let dir: string;
const cleanups: (() => void)[] = [];
beforeEach(() => {
  const a = tempDir();
  const b = tempDir("kitcfg-plugin-");
  cleanups.push(a.cleanup, b.cleanup);
  root = a.dir;
  dir = b.dir;
}, 120_000);
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const env = () => cleanEnv(root, { KITCFG_PLUGIN_PATH: dir });
const tsc = (cwd: string) => Bun.spawnSync([TSC, "-p", cwd], { cwd, stdout: "pipe", stderr: "pipe" });

test("plugin new writes a plugin, its test, kitcfg.d.ts and a tsconfig; tsc checks it and its own test passes", () => {
  const made = kitcfg(["plugin", "new", "acme-gateway", "--dir", dir, "--json"], { root });
  expect(made.code).toBe(0);
  const files = JSON.parse(made.stdout).files as string[];
  expect(files.map((f) => f.slice(dir.length + 1)).sort()).toEqual([
    "acme-gateway.test.ts",
    "acme-gateway.ts",
    "kitcfg.d.ts",
    "tsconfig.json",
  ]);
  for (const file of files) expect(statSync(file).mode & 0o022).toBe(0); // loadable: not writable by others
  expect(readFileSync(join(dir, "acme-gateway.ts"), "utf8")).not.toMatch(/from "(?!kitcfg")/);

  const checked = tsc(dir);
  expect(checked.stdout.toString() + checked.stderr.toString()).toBe("");
  expect(checked.exitCode).toBe(0);

  // The generated test drives the binary through the new plugin.
  const ran = Bun.spawnSync([BUN, "test", join(dir, "acme-gateway.test.ts")], {
    cwd: dir,
    env: { ...cleanEnv(root), KITCFG: resolve(import.meta.dir, "../../dist/kitcfg") },
    stdout: "pipe",
    stderr: "pipe",
  });
  expect(ran.stderr.toString()).toContain("2 pass");
  expect(ran.exitCode).toBe(0);

  // A second run never overwrites the plugin.
  const again = kitcfg(["plugin", "new", "acme-gateway", "--dir", dir], { root });
  expect(again.code).toBe(2);
  expect(again.stderr).toContain("exists");
  expect(kitcfg(["plugin", "new", "Bad_Name", "--dir", dir], { root }).code).toBe(2);
}, 120_000);

test("plugin new's hint can be pasted into a shell when the folder's name has a blank or a quote", () => {
  const spaced = join(dir, "my plugins", "it's here");
  const made = kitcfg(["plugin", "new", "acme", "--dir", spaced], { root });
  expect(made.code).toBe(0);
  const hint = made.stdout.split("\n").find((line) => line.includes("Load it with"))!;
  const command = hint.slice(hint.indexOf("KITCFG_PLUGIN_PATH="));
  // The shell gives the variable back as the folder: `env` prints it.
  const echoed = Bun.spawnSync(["sh", "-c", command.replace(/ kitcfg configure acme$/, " env")]);
  expect(echoed.stdout.toString()).toContain(`KITCFG_PLUGIN_PATH=${spaced}\n`);
});

test("plugin new into a folder kitcfg searches says so, and the plugin loads from there without a variable", () => {
  // No --root: the user's own plugin folder (HOME is a temporary folder here) is searched.
  const own = join(root, ".config/kitcfg/plugins");
  const made = kitcfg(["plugin", "new", "acme", "--dir", own], { env: cleanEnv(root) });
  expect(made.code).toBe(0);
  expect(made.stdout).toContain("ℹ kitcfg loads it from there: kitcfg configure acme\n");
  expect(made.stdout).not.toContain("KITCFG_PLUGIN_PATH");
  expect(kitcfg(["configure", "acme", "-q"], { env: cleanEnv(root), cwd: root }).code).toBe(0);
  // Under a root that folder is not searched: the hint names the variable.
  const rooted = kitcfg(["plugin", "new", "acme2", "--dir", own], { root });
  expect(rooted.stdout).toContain(`Load it with KITCFG_PLUGIN_PATH=${own} kitcfg configure acme2`);
  const unknown = kitcfg(["configure", "acme2"], { root });
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain("Under --root your own plugin folder is not searched: name it with --plugins DIR");
  expect(kitcfg(["configure", "acme2", "--plugins", own], { root }).code).toBe(0);
});

test("tsc refuses a plugin whose defaults do not fit its schema: the config type comes from the schema", () => {
  expect(kitcfg(["plugin", "new", "acme", "--dir", dir], { root }).code).toBe(0);
  const file = join(dir, "acme.ts");
  writeFileSync(file, readFileSync(file, "utf8").replace("port: 8080", 'port: "8080"'));
  const checked = tsc(dir);
  expect(checked.exitCode).not.toBe(0);
  expect(checked.stdout.toString()).toContain("acme.ts");
}, 120_000);

test("hooks are typed as the file holds the config: a key the schema defaults may be absent; profiles too", () => {
  expect(kitcfg(["plugin", "new", "tr", "--dir", dir], { root }).code).toBe(0);
  const plugin = (port: string) => `import { definePlugin, v } from "kitcfg";
export default definePlugin({
  name: "tr",
  summary: "types of hooks",
  files: { main: { path: "~/.tr/config.json", format: "json" } },
  schema: v.object({ host: v.string(), port: v.optional(v.number(), 8080) }),
  defaults: () => ({ host: "localhost" }),
  env: (config) => ({ TR_ADDR: \`\${config.host}:\${${port}}\` }),
  profiles: { next: { summary: "the next port", apply: (config) => ({ ...config, port: (config.port ?? 8080) + 1 }) } },
});
`;
  // An unset key is absent from what the hooks get (`kitcfg unset tr port`): tsc says so.
  writeFileSync(join(dir, "tr.ts"), plugin("config.port.toFixed(0)"));
  const unchecked = tsc(dir);
  expect(unchecked.exitCode).not.toBe(0);
  expect(unchecked.stdout.toString()).toContain("'config.port' is possibly 'undefined'");
  writeFileSync(join(dir, "tr.ts"), plugin("config.port ?? 8080"));
  const checked = tsc(dir);
  expect(checked.stdout.toString() + checked.stderr.toString()).toBe("");
  expect(checked.exitCode).toBe(0);
}, 120_000);

test("a documented default that holds a secret is never shown, not even in get's hint for its parent key", () => {
  writeFileSync(
    join(dir, "kds.ts"),
    `import { definePlugin, v } from "kitcfg";
export default definePlugin({
  name: "kds",
  summary: "a default object with a password",
  files: { main: { path: "~/.kds/config.json", format: "json" } },
  schema: v.object({ port: v.number(), auth: v.optional(v.object({ pass: v.optional(v.string()) })) }),
  secrets: ["auth.pass"],
  defaults: () => ({ port: 1 }),
  keyDocs: () => ({ auth: { doc: "credentials", default: { pass: "kitcfgDefaultPass7" } } }),
});
`,
    { mode: 0o644 },
  );
  expect(kitcfg(["configure", "kds"], { root, env: env() }).code).toBe(0);
  for (const args of [
    ["get", "kds", "auth"],
    ["show", "kds", "auth"],
    ["get", "kds", "auth", "--json"],
    ["keys", "kds"],
  ]) {
    const ran = kitcfg(args, { root, env: env() });
    expect(ran.stdout + ran.stderr).not.toContain("kitcfgDefaultPass7");
  }
});

test("env of a variable that holds a secret exits 1 rather than export a placeholder, unless --reveal", () => {
  writeFileSync(
    join(dir, "envsec.ts"),
    `import { definePlugin, v } from "kitcfg";
export default definePlugin({
  name: "envsec",
  summary: "a daemon that reads its token from the environment",
  files: { main: { path: "~/.envsec/config.json", format: "json" } },
  schema: v.object({ port: v.number(), token: v.string() }),
  secrets: ["token"],
  defaults: () => ({ port: 7, token: "kitcfgEnvToken0042" }),
  env: (config) => ({ ENVSEC_PORT: String(config.port), ENVSEC_TOKEN: config.token }),
});
`,
    { mode: 0o644 },
  );
  expect(kitcfg(["configure", "envsec"], { root, env: env() }).code).toBe(0);
  for (const json of [[], ["--json"]]) {
    const ran = kitcfg(["env", "envsec", ...json], { root, env: env() });
    // export ENVSEC_TOKEN='<redacted>' would set a wrong token in whatever evaluates it, with exit 0.
    expect([ran.code, ran.stdout]).toEqual([1, json.length ? expect.stringContaining('"SECRET"') : ""]);
    expect(ran.stdout + ran.stderr).toContain("ENVSEC_TOKEN would hold a secret of envsec");
    expect(ran.stdout + ran.stderr).not.toContain("kitcfgEnvToken0042");
  }
  expect(kitcfg(["env", "envsec", "--reveal"], { root, env: env() }).stdout).toBe(
    "export ENVSEC_PORT='7'\nexport ENVSEC_TOKEN='kitcfgEnvToken0042'\n",
  );
  expect(JSON.parse(kitcfg(["env", "envsec", "--reveal", "--json"], { root, env: env() }).stdout)).toEqual({
    ENVSEC_PORT: "7",
    ENVSEC_TOKEN: "kitcfgEnvToken0042",
  });
});

test("a secret that a startsWith check refuses is never shown in part: validate and update name the key only", () => {
  writeFileSync(
    join(dir, "tok.ts"),
    `import { definePlugin, v } from "kitcfg";
export default definePlugin({
  name: "tok",
  summary: "a token with a prefix",
  files: { main: { path: "~/.tok/config.json", format: "json" } },
  schema: v.object({
    port: v.number(),
    auth: v.optional(v.object({ token: v.pipe(v.string(), v.startsWith("tok_")) })),
  }),
  secrets: ["auth.token"],
  defaults: () => ({ port: 1 }),
});
`,
    { mode: 0o644 },
  );
  expect(kitcfg(["configure", "tok"], { root, env: env() }).code).toBe(0);
  const set = kitcfg(["update", "tok", "--set", 'auth={"token":"zqxwSecretSetInJson9"}'], { root, env: env() });
  expect(set.code).toBe(1);
  expect(set.stderr).toContain('expected a string starting with "tok_", got "<redacted>"');
  writeFileSync(join(root, ".tok/config.json"), '{"port": 1, "auth": {"token": "zqxwSecretInTheFile7"}}');
  for (const args of [["validate", "tok"], ["validate", "tok", "--json"], ["validate"]]) {
    const ran = kitcfg(args, { root, env: env() });
    expect(ran.code).toBe(1);
    // valibot gives the issue the slice it compared ("zqxw"), which is no secret value to redaction.
    expect(ran.stdout + ran.stderr).not.toContain("zqxw");
    expect(ran.stdout + ran.stderr).toContain("<redacted>");
  }
});

test("a node_exporter plugin in one file of the SDK only: tsc, " +
  "list, configure, update, validate, args, history, restore", () => {
  expect(kitcfg(["plugin", "new", "node-exporter", "--dir", dir], { root }).code).toBe(0);
  copyFileSync(NODE_EXPORTER, join(dir, "node-exporter.ts"));
  const source = readFileSync(NODE_EXPORTER, "utf8");
  expect(source.split("\n").length).toBeLessThan(150);
  expect([...source.matchAll(/from "([^"]+)"/g)].map((m) => m[1])).toEqual(["kitcfg", "kitcfg"]);
  const checked = tsc(dir);
  expect(checked.stdout.toString()).toBe("");
  expect(checked.exitCode).toBe(0);

  const list = JSON.parse(kitcfg(["list", "--json"], { root, env: env() }).stdout);
  expect(list.daemons.some((d: { name: string }) => d.name === "node-exporter")).toBe(true);
  expect(list.problems).toEqual([]); // neither the test file nor kitcfg.d.ts is taken for a plugin

  expect(kitcfg(["configure", "node-exporter"], { root, env: env() }).code).toBe(0);
  const config = join(root, ".config/node-exporter/config.json");
  const envFile = join(root, ".config/node-exporter/node-exporter.env");
  expect(JSON.parse(readFileSync(config, "utf8")).web.listen_address).toBe(":9100");
  expect(readFileSync(envFile, "utf8")).toContain("--web.listen-address=:9100");

  // The plugin's update wraps the default one (`next`): enabling a collector un-disables it.
  const set = (...pairs: string[]) =>
    kitcfg(["update", "node-exporter", ...pairs.flatMap((p) => ["--set", p])], { root, env: env() });
  expect(set('collectors.disable=["systemd","wifi"]').code).toBe(1); // not a collector: refused by the picklist
  expect(set('collectors.disable=["systemd"]').code).toBe(0);
  expect(set('collectors.enable=["systemd","textfile"]', "textfile_directory=/var/lib/node_exporter").code).toBe(0);
  const after = JSON.parse(readFileSync(config, "utf8"));
  expect(after.collectors).toEqual({ enable: ["systemd", "textfile"], disable: [] });
  expect(readFileSync(envFile, "utf8")).toContain("--collector.textfile.directory=/var/lib/node_exporter");

  const before = readFileSync(config, "utf8");
  for (const bad of [
    "web.listen_address=9100",
    "web.listen_address=:99999",
    "filesystem_mount_timeout=5 seconds",
    "log.level=verbose",
  ]) {
    const refused = set(bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(bad.split("=")[0]!);
  }
  expect(readFileSync(config, "utf8")).toBe(before);

  expect(kitcfg(["validate", "node-exporter"], { root, env: env() }).code).toBe(0);
  const args = kitcfg(["args", "node-exporter"], { root, env: env() });
  expect(args.stdout).toContain("--collector.systemd");

  const history = JSON.parse(kitcfg(["history", "node-exporter", "--json"], { root, env: env() }).stdout);
  expect(history.versions.length).toBeGreaterThanOrEqual(2);
  expect(kitcfg(["restore", "node-exporter"], { root, env: env() }).code).toBe(0);
  expect(JSON.parse(readFileSync(config, "utf8")).collectors).toEqual({ enable: [], disable: ["systemd"] });
  expect(existsSync(envFile)).toBe(true);
  expect(readFileSync(envFile, "utf8")).not.toContain("textfile");
}, 120_000);

test("an encode/decode pair that loses a hand-added key is caught: " +
  "exit 3 naming the plugin and the key, file byte-identical", () => {
  writeFileSync(
    join(dir, "lossy.ts"),
    `import { definePlugin, v } from "kitcfg";
export default definePlugin({
  name: "lossy",
  summary: "keeps only the keys it knows",
  files: {
    main: {
      path: "~/.lossy.json",
      format: "json",
      decode: (raw) => raw,
      encode: (value) => ({ port: (value as { port: number }).port }),
    },
  },
  schema: v.looseObject({ port: v.number() }),
  defaults: () => ({ port: 1 }),
}, 120_000);
`,
  );
  expect(kitcfg(["configure", "lossy"], { root, env: env() }).code).toBe(0);
  const file = join(root, ".lossy.json");
  writeFileSync(file, '{\n  "port": 1,\n  "extra": "added by hand"\n}\n');
  const refused = kitcfg(["update", "lossy", "--set", "port=2"], { root, env: env() });
  expect(refused.code).toBe(3);
  expect(refused.stderr).toContain('Plugin "lossy"');
  expect(refused.stderr).toContain('"extra"');
  expect(readFileSync(file, "utf8")).toBe('{\n  "port": 1,\n  "extra": "added by hand"\n}\n');
}, 120_000);

test("keys a plugin's update leaves undefined are not written, at any depth; the rest is kept", () => {
  writeFileSync(
    join(dir, "trim.ts"),
    `import { definePlugin, v } from "kitcfg";
export default definePlugin({
  name: "trim",
  summary: "an update that drops keys by leaving them undefined",
  files: { main: { path: "~/.trim.json", format: "json" } },
  schema: v.looseObject({ debug: v.optional(v.boolean()), limits: v.optional(v.looseObject({})) }),
  defaults: () => ({ debug: true, limits: { max: 5, min: 1 }, peers: [{ id: "a" }, { id: "b" }] }),
  update: (config, changes, ctx, next) => {
    const after = next(config, changes) as Record<string, any>;
    return { ...after, debug: undefined, limits: { ...after.limits, max: undefined } };
  },
});
`,
  );
  expect(kitcfg(["configure", "trim"], { root, env: env() }).code).toBe(0);
  const ran = kitcfg(["update", "trim", "--set", "limits.min=2"], { root, env: env() });
  expect([ran.code, ran.stderr]).toEqual([0, ""]);
  expect(JSON.parse(readFileSync(join(root, ".trim.json"), "utf8"))).toEqual({
    limits: { min: 2 },
    peers: [{ id: "a" }, { id: "b" }],
  });
}, 60_000);

test("a plugin's mode is the permission policy of its secret file: " +
  "0640 may be group-readable, not world-readable", () => {
  const plugin = (mode: string) => `import { definePlugin, v } from "kitcfg";
export default definePlugin({
  name: "grouped",
  summary: "a secret file its daemon's group reads",
  files: { main: { path: "~/.grouped/secret.json", format: "json", secret: true${mode} } },
  schema: v.object({ token: v.string() }),
  secrets: ["token"],
  defaults: () => ({ token: "s3cr3t-token-value" }),
});
`;
  writeFileSync(join(dir, "grouped.ts"), plugin(", mode: 0o640, dirMode: 0o750"));
  expect(kitcfg(["configure", "grouped"], { root, env: env() }).code).toBe(0);
  const file = join(root, ".grouped/secret.json");
  expect(statSync(file).mode & 0o777).toBe(0o640);
  expect(kitcfg(["validate", "grouped"], { root, env: env() }).code).toBe(0);
  chmodSync(file, 0o644);
  const wide = kitcfg(["validate", "grouped"], { root, env: env() });
  expect(wide.code).toBe(1);
  expect(wide.stdout + wide.stderr).toContain("chmod 640");
  // Without the policy, group-readable is too wide.
  writeFileSync(join(dir, "grouped.ts"), plugin(""));
  chmodSync(file, 0o640);
  const strict = kitcfg(["validate", "grouped"], { root, env: env() });
  expect(strict.code).toBe(1);
  expect(strict.stdout + strict.stderr).toContain("chmod 600");
}, 60_000);

test("the README's plugin section names every field of the contract and every member of the context", () => {
  const readme = readFileSync(resolve(import.meta.dir, "../../README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Writing a plugin"), readme.indexOf("## Fleet"));
  const source = readFileSync(resolve(import.meta.dir, "../../core/plugin.ts"), "utf8");
  const members = (name: string) => {
    const body = new RegExp(`export interface ${name}\\b[^{]*\\{([\\s\\S]*?)\\n\\}`).exec(source)![1]!;
    return [...body.matchAll(/^ {2}(?:readonly )?(\w+)\??[(:]/gm)].map((m) => m[1]!);
  };
  const fields = members("Plugin");
  expect(fields).toContain("keyDocs");
  const rows = section.split("\n").filter((line) => line.startsWith("| `"));
  const named = rows.flatMap((row) => [...row.split(" | ")[0]!.matchAll(/`(\w+)/g)].map((m) => m[1]!));
  expect(fields.filter((field) => !named.includes(field))).toEqual([]);
  const context = members("PluginContext");
  expect(context).toContain("instance");
  expect(context.filter((member) => !section.includes(`\`ctx.${member}\``))).toEqual([]);
});

test("the README's complete plugin example works as written: " +
  "tsc, configure, update, profile, secrets, env, args", () => {
  const readme = readFileSync(resolve(import.meta.dir, "../../README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Writing a plugin"));
  const example = /```ts\n([\s\S]*?name: "pinsvc"[\s\S]*?)```/.exec(section)![1]!;
  expect(kitcfg(["plugin", "new", "pinsvc", "--dir", dir], { root }).code).toBe(0);
  writeFileSync(join(dir, "pinsvc.ts"), `/// <reference path="./kitcfg.d.ts" />\n${example}`);
  const checked = tsc(dir);
  expect(checked.stdout.toString()).toBe("");

  const run = (...args: string[]) => kitcfg(args, { root, env: env() });
  expect(run("configure", "pinsvc").code).toBe(0);
  expect(JSON.parse(readFileSync(join(root, ".pinsvc/config.json"), "utf8")).cache_dir).toBe("~/.pinsvc/cache");
  expect(run("update", "pinsvc", "--set", "timeout=soon").code).toBe(1);
  expect(run("update", "pinsvc", "--set", "kubo_api=/ip4/1.2.3/tcp/5001").code).toBe(1);
  expect(run("update", "pinsvc", "--set", "token=tok-123456789", "--profile", "durable").code).toBe(0);
  expect(readFileSync(join(root, ".pinsvc/token"), "utf8").trim()).toBe("tok-123456789");
  expect(statSync(join(root, ".pinsvc/token")).mode & 0o777).toBe(0o600);
  const shown = run("show", "pinsvc", "--json");
  expect(shown.stdout).not.toContain("tok-123456789");
  expect(JSON.parse(shown.stdout).value).toMatchObject({ replicas: 3, timeout: "2m0s" });
  expect(run("env", "pinsvc").stdout).toContain("PINSVC_TIMEOUT");
  expect(run("args", "pinsvc").stdout.trim()).toBe("--endpoint=https://pins.example.org/api/v1 --replicas=3");
  expect(run("validate", "pinsvc").code).toBe(0);
}, 120_000);
