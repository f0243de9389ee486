import { expect, test } from "bun:test";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kitcfg, pluginFolderEachTest } from "../helpers.ts";

// What the registry holds a user plugin file to when it loads it, before any command uses
// the plugin: its shape, the names it may take, and the files it imports. A file refused is
// reported by file name (`list`, and a command naming it), and the other daemons go on.

let root: string;
let plugins: string;
let env: Record<string, string>;
pluginFolderEachTest((...made) => ([root, plugins, env] = made));

const run = (...args: string[]) => kitcfg(args, { root, env });

/** A plugin called `name` with `fields` (source text) added or replacing the defaults; `files` replaces its files. */
function pluginText(name: string, fields = "", files = `{ main: { path: "~/.${name}/config.json", format: "json" } }`) {
  return `import { definePlugin, v } from "kitcfg";
export default definePlugin({
  name: "${name}",
  summary: "a plugin",
  files: ${files},
  schema: v.object({ port: v.optional(v.number()) }),
  defaults: () => ({ port: 1 }),
  ${fields}
});
`;
}

/** One wrong field per file (`.js`, as no type checker stops it), and what the refusal names. */
const WRONG: [file: string, text: string, names: string][] = [
  ["secrets.js", pluginText("secrets", 'secrets: "token",'), '"secrets" must be a list, got the string "token"'],
  ["secret-path.js", pluginText("secret-path", 'secrets: ["a..b"],'), '"secrets[0]" "a..b" is not a dotted key path'],
  ["checks.js", pluginText("checks", 'checks: { needs: ["s3"] },'), '"checks" must be a list, got an object'],
  [
    "needs.js",
    pluginText("needs", 'checks: [{ needs: "s3", run: () => [] }],'),
    '"checks[0].needs" must be a list, got the string "s3"',
  ],
  ["run.js", pluginText("run", 'checks: [{ needs: ["s3"] }],'), '"checks[0].run" must be a function, got nothing'],
  // A misspelt field would be ignored, and what it meant to hide shown.
  ["typo.js", pluginText("typo", 'secret: ["token"],'), 'a field "secret" no plugin has: did you mean "secrets"?'],
  [
    "mount.ts",
    pluginText(
      "mount",
      "",
      '{ main: { path: "~/.m.json", format: "json" }, tok: { path: "~/.t", format: "text", mount: "a..b" } }',
    ),
    '"files.tok.mount" "a..b" is not a dotted key path: it has an empty segment',
  ],
  [
    "mode.js",
    pluginText("mode", "", '{ main: { path: "~/.m.json", format: "json", mode: "0644" } }'),
    '"files.main.mode" must be a file mode from 0o0 to 0o7777, got the string "0644"',
  ],
  [
    "decode.js",
    pluginText("decode", "", '{ main: { path: "~/.m.json", format: "json", decode: "raw" } }'),
    '"files.main.decode" must be a function',
  ],
  [
    "no-main.js",
    pluginText("no-main", "", '{ tok: { path: "~/.t", format: "text", mount: "token" } }'),
    '"files" must hold a main file',
  ],
  [
    "profile.js",
    pluginText("profile", 'profiles: { fast: { summary: "f" } },'),
    '"profiles.fast.apply" must be a function',
  ],
  [
    "init-only.js",
    pluginText("init-only", 'profiles: { fast: { summary: "f", apply: (c) => c, initOnly: "yes" } },'),
    '"profiles.fast.initOnly" must be a boolean',
  ],
  [
    "instances.js",
    pluginText("instances", 'instances: { default: "a b", list: () => [] },'),
    '"instances.default" "a b" is not an instance name',
  ],
  [
    "instance-list.js",
    pluginText("instance-list", 'instances: { default: "a" },'),
    '"instances.list" must be a function',
  ],
  ["case.js", pluginText("case", 'caseInsensitiveKeys: "yes",'), '"caseInsensitiveKeys" must be a boolean or "lookup"'],
  ["validate.js", pluginText("validate", 'validate: "strict",'), '"validate" must be a function'],
  ["aliases.js", pluginText("aliases", 'aliases: ["al", "Old_Name"],'), '"aliases[1]" "Old_Name" is not a name'],
  ["space.js", pluginText("space", 'aliases: ["with space"],'), '"aliases[0]" "with space" is not a name'],
  ["empty.js", pluginText("empty", 'aliases: [""],'), '"aliases[0]" "" is not a name'],
  ["all.js", pluginText("all"), '"name" "all" stands for every daemon'],
];

test("a plugin file with one field of the wrong shape is refused at load, naming file and field; others go on", () => {
  for (const [file, text] of WRONG) writeFileSync(join(plugins, file), text);
  const list = run("list", "--json");
  expect(list.code).toBe(0);
  const { daemons, problems } = JSON.parse(list.stdout);
  const messages = problems.map((p: { message: string }) => p.message);
  for (const [file, , names] of WRONG) {
    expect(messages).toContainEqual(expect.stringContaining(`Plugin file ${join(plugins, file)} `));
    expect(messages.find((m: string) => m.includes(join(plugins, file)))).toContain(names);
  }
  expect(daemons.map((d: { name: string }) => d.name)).toContain("s3");

  const status = run("status");
  expect(status.code).toBe(0);
  expect(status.stdout).toContain("s3");
  expect(run("configure", "huggingface").code).toBe(0);
  const validate = run("validate");
  expect(validate.code).toBe(1); // the refused files are errors of the whole run, not crashes
  expect(validate.stderr).toContain('"checks" must be a list');
  expect(validate.stderr).not.toContain("    at ");
  // Naming a refused file's daemon says why, with the exit code of a load failure.
  const mount = run("configure", "mount");
  expect(mount.code).toBe(3);
  expect(mount.stderr).toContain(`Plugin file ${join(plugins, "mount.ts")} does not export a valid plugin`);
});

test('an alias is a lowercase name: "Old_Name", "with space" and "" answer no command', () => {
  writeFileSync(join(plugins, "old.js"), pluginText("old", 'aliases: ["old_name", "Old_Name"],'));
  const ran = run("configure", "Old_Name");
  expect(ran.code).toBe(2);
  expect(ran.stderr).toContain('Unknown daemon "Old_Name"');
  expect(ran.stderr).not.toContain('did you mean "Old_Name"');
  expect(JSON.parse(run("list", "--json").stdout).problems[0].message).toContain(
    '"aliases[1]" "Old_Name" is not a name',
  );
  writeFileSync(join(plugins, "old.js"), pluginText("old", 'aliases: ["old_name"],'));
  expect(run("configure", "Old_Name").code).toBe(0); // a daemon argument is matched lowercased
  writeFileSync(join(plugins, "blank.js"), pluginText("blank", 'aliases: ["", "with space"],'));
  for (const name of ["", "with space"]) {
    const show = run("show", name);
    expect(show.code).toBe(2);
    expect(show.stderr).toContain("Unknown daemon");
  }
});

/** A plugin that claims `s3`'s name without writing it as a quoted literal anywhere. */
const COMPUTED_NAME = pluginText("x").replace('name: "x"', 'name: ["s", "3"].join("")');
const COMPUTED_ALIAS = pluginText("mine", 'aliases: [["s3", "cmd"].join("")],');

test("a user plugin that takes a built-in's name or alias without quoting it conflicts in every command", () => {
  for (const [file, text, name] of [
    ["computed.ts", COMPUTED_NAME, "s3"],
    ["alias.ts", COMPUTED_ALIAS, "s3cmd"],
  ] as const) {
    writeFileSync(join(plugins, file), text);
    for (const args of [
      ["show", "s3"],
      ["configure", "s3"],
      ["get", "s3", "host_base"],
      ["show", "s3cmd"],
    ]) {
      const ran = run(...args);
      expect([args.join(" "), ran.code]).toEqual([args.join(" "), 3]);
      expect(ran.stderr).toContain(`Two plugins are both called "${name}": built-in plugins/s3.ts and`);
      expect(ran.stderr).toContain(join(plugins, file));
    }
    const list = JSON.parse(run("list", "--json").stdout);
    expect(list.daemons.map((d: { name: string }) => d.name)).not.toContain("s3");
    rmSync(join(plugins, file));
  }
});

test("a one-daemon command still leaves unevaluated a user plugin whose literal names are not its own", () => {
  const marker = join(root, "evaluated");
  const sideEffect = `await Bun.write(${JSON.stringify(marker)}, "");\n`;
  writeFileSync(join(plugins, "other.ts"), pluginText("other").replace("export default", `${sideEffect}$&`));
  expect(run("get", "huggingface", "offline").code).toBe(1); // not configured: nothing to get
  expect(existsSync(marker)).toBe(false);
  expect(run("list").code).toBe(0);
  expect(existsSync(marker)).toBe(true);
});

test("what plugin files say of their names is kept in the cache folder of the root, never elsewhere", () => {
  writeFileSync(join(plugins, "other.ts"), pluginText("other"));
  Bun.sleepSync(2100); // kept only once at rest for two seconds, as installed plugins are
  expect(run("get", "huggingface", "offline").code).toBe(1); // not configured: nothing to get
  expect(readdirSync(join(root, ".cache/kitcfg")).filter((name) => name.startsWith("plugin-names-"))).toHaveLength(1);
  // Changed since (within the same second, too): read again, not taken from the cache.
  writeFileSync(join(plugins, "other.ts"), pluginText("other", 'aliases: ["hf"],'));
  const ran = run("get", "huggingface", "offline");
  expect(ran.code).toBe(3);
  expect(ran.stderr).toContain('Two plugins are both called "hf"');
});

test("under --root, a cache folder that a link leads outside the root is left alone, as every write's would be", () => {
  const outside = mkdtempSync(join(tmpdir(), "kitcfg-outside-"));
  try {
    mkdirSync(join(root, ".cache"), { recursive: true });
    symlinkSync(outside, join(root, ".cache/kitcfg"));
    writeFileSync(join(plugins, "other.ts"), pluginText("other"));
    Bun.sleepSync(2100); // at rest: a cache would be written now
    expect(run("get", "huggingface", "offline").code).toBe(1); // not configured: nothing to get
    expect(run("get", "huggingface", "offline").code).toBe(1);
    expect(readdirSync(outside)).toEqual([]);
  } finally {
    rmSync(outside, { recursive: true, force: true });
  }
});

test("plugin files are searched together, each as itself: one's end and the next one's start make no match", () => {
  const marked = (name: string) => join(root, `evaluated-${name}`);
  const withMarker = (name: string, text: string) =>
    text.replace("export default", `await Bun.write(${JSON.stringify(marked(name))}, "");\n$&`);
  const plain = Array.from({ length: 20 }, (_, i) => `plain-${String(i).padStart(2, "0")}`);
  for (const name of plain) writeFileSync(join(plugins, `${name}.ts`), withMarker(name, pluginText(name)));
  // Read alone, neither file names a plugin another way; joined, "{[" + "//]:" would read as a computed key.
  writeFileSync(join(plugins, "a-tail.ts"), `${withMarker("a-tail", pluginText("a-tail"))}// {[`);
  writeFileSync(join(plugins, "b-head.ts"), `//]: the end\n${withMarker("b-head", pluginText("b-head"))}`);
  // A match at a file's first byte is that file's: this one is evaluated (its names might come from there).
  writeFileSync(join(plugins, "plain-05b.ts"), `require("node:path");\n${pluginText("plain-05b")}`);
  mkdirSync(join(plugins, "c-folder.ts")); // no file: importing it says why
  writeFileSync(join(plugins, "d-claims.ts"), pluginText("d-claims", 'aliases: ["huggingface"],'));
  const ran = run("get", "huggingface", "offline");
  expect(ran.code).toBe(3);
  expect(ran.stderr).toContain(`Two plugins are both called "huggingface": built-in plugins/huggingface.ts and`);
  expect(ran.stderr).toContain(join(plugins, "d-claims.ts"));
  expect([...plain, "a-tail", "b-head"].filter((name) => existsSync(marked(name)))).toEqual([]);
  run("list");
  expect([...plain, "a-tail", "b-head"].filter((name) => !existsSync(marked(name)))).toEqual([]);
});

test("plugin new refuses a built-in plugin's name or alias, and the word all, in one line; nothing is written", () => {
  const dir = join(root, "new");
  for (const [name, says] of [
    ["s3", 'Cannot create plugin "s3": a built-in plugin is called "s3"; pick another name'],
    ["kubo", 'Cannot create plugin "kubo": "kubo" is an alias of the built-in plugin "ipfs"; pick another name'],
    ["all", 'Cannot create plugin "all": "all" stands for every daemon on the command line'],
  ]) {
    const ran = run("plugin", "new", name!, "--dir", dir);
    expect(ran.code).toBe(2);
    expect(ran.stderr.trim().split("\n")).toEqual([`✖ ${says}`]);
  }
  expect(existsSync(dir)).toBe(false);
  expect(run("plugin", "new", "acme-gw", "--dir", dir).code).toBe(0);
  expect(readdirSync(dir)).toContain("acme-gw.ts");
});

test("a module a plugin imports is held to the plugin file's rules before any of it runs", () => {
  const lib = join(plugins, "lib");
  mkdirSync(lib);
  const ran = join(root, "ran");
  writeFileSync(
    join(plugins, "good.ts"),
    `import { helperPort } from "./lib/helper.ts";\n${pluginText("good").replace("port: 1", "port: helperPort")}`,
  );
  writeFileSync(join(lib, "helper.ts"), `export { helperPort } from "./deeper.ts";\n`);
  writeFileSync(
    join(lib, "deeper.ts"),
    `require("node:fs").writeFileSync(${JSON.stringify(ran)}, "");\nexport const helperPort = 7;\n`,
  );
  chmodSync(join(lib, "deeper.ts"), 0o666);
  const problems = () => JSON.parse(run("list", "--json").stdout).problems.map((p: { message: string }) => p.message);
  expect(problems()).toEqual([
    `Plugin file ${join(plugins, "good.ts")} not loaded: ${join(lib, "helper.ts")}, which it imports, imports ` +
      `${join(lib, "deeper.ts")}, which is writable by others (mode 0666); run chmod go-w ${join(lib, "deeper.ts")}`,
  ]);
  chmodSync(join(lib, "deeper.ts"), 0o644);
  chmodSync(lib, 0o777);
  expect(problems()).toEqual([
    `Plugin file ${join(plugins, "good.ts")} not loaded: it imports ${join(lib, "helper.ts")}, whose folder ${lib} ` +
      `is writable by others (mode 0777); run chmod go-w ${lib}`,
  ]);
  const configure = run("configure", "good");
  expect(configure.code).toBe(2); // refused as unsafe: a usage error, as for the plugin file itself
  expect(configure.stderr).toContain(`Plugin file ${join(plugins, "good.ts")} not loaded: it imports`);
  expect(existsSync(ran)).toBe(false);
  chmodSync(lib, 0o755);
  expect(problems()).toEqual([]);
  expect(run("configure", "good").code).toBe(0);
  expect(existsSync(ran)).toBe(true);
});

test('a plugin importing a package (a bare name but "kitcfg" and node:*, bun:*) is refused; built-ins load', () => {
  writeFileSync(join(plugins, "pkg.ts"), `import _ from "lodash";\n${pluginText("pkg")}`);
  writeFileSync(
    join(plugins, "builtin.ts"),
    `import { hostname } from "node:os";\nimport "fs";\n${pluginText("builtin")}`,
  );
  const { daemons, problems } = JSON.parse(run("list", "--json").stdout);
  expect(daemons.map((d: { name: string }) => d.name)).toContain("builtin");
  expect(problems).toEqual([
    {
      file: join(plugins, "pkg.ts"),
      message:
        `Plugin file ${join(plugins, "pkg.ts")} not loaded: it imports the package "lodash": a plugin imports ` +
        `"kitcfg", the runtime's own modules (node:*, bun:*) and files by path only`,
    },
  ]);
  expect(run("show", "pkg").code).toBe(3);
});

test("naming the daemon of a plugin file that failed to load gives that failure, not unknown daemon", () => {
  writeFileSync(
    join(plugins, "typo.ts"),
    pluginText("typo")
      .replace("{ definePlugin, v }", "{ definePlugin, goDurationn, v }")
      .replace("v.optional(v.number())", "goDurationn()"),
  );
  writeFileSync(join(plugins, "evil.ts"), pluginText("evil"));
  chmodSync(join(plugins, "evil.ts"), 0o666);
  const typo = run("configure", "typo");
  expect(typo.code).toBe(3);
  expect(typo.stderr).toContain(`Plugin file ${join(plugins, "typo.ts")} failed to load:`);
  expect(typo.stderr).toContain("goDurationn");
  expect(typo.stderr).not.toContain("Unknown daemon");
  const evil = run("show", "evil");
  expect(evil.code).toBe(2); // README: a daemon whose plugin file was refused as unsafe is a usage error
  expect(evil.stderr.trim()).toBe(
    `✖ Plugin file ${join(plugins, "evil.ts")} not loaded: it is writable by others (mode 0666); ` +
      `run chmod go-w ${join(plugins, "evil.ts")}`,
  );
  expect(run("configure", "typos").stderr).toContain('Unknown daemon "typos"');
  // status, which lists every daemon, says so too (in --json, as list does).
  const status = run("status");
  expect(status.stderr).toContain(`Plugin file ${join(plugins, "typo.ts")} failed to load:`);
  expect(status.stderr).toContain(`Plugin file ${join(plugins, "evil.ts")} not loaded`);
  const files = JSON.parse(run("status", "--json").stdout).problems.map((p: { file: string }) => p.file);
  expect(files.sort()).toEqual([join(plugins, "evil.ts"), join(plugins, "typo.ts")]);
  // A file named with capitals is named so on the command line too (where names are matched lowercased).
  writeFileSync(join(plugins, "MyDaemon.ts"), 'throw new Error("boom at import");\n');
  const capitals = run("configure", "MyDaemon");
  expect(capitals.code).toBe(3);
  expect(capitals.stderr.trim()).toBe(`✖ Plugin file ${join(plugins, "MyDaemon.ts")} failed to load: boom at import`);
});
