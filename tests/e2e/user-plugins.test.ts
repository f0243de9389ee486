import { describe, expect, test } from "bun:test";
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ACME_PLUGIN, cleanEnv, KITCFG, kitcfg, pluginFolderEachTest } from "../helpers.ts";

let root: string;
let plugins: string;
let env: Record<string, string>;
pluginFolderEachTest((...made) => ([root, plugins, env] = made));

const acmeFile = () => join(root, ".acme/config.json");

test("the acme plugin dropped into a plugin folder works with the binary: list, configure, update, validate", () => {
  writeFileSync(join(plugins, "acme.ts"), ACME_PLUGIN);
  const list = kitcfg(["list", "--json"], { root, env });
  expect(list.code).toBe(0);
  const daemons = JSON.parse(list.stdout).daemons as { name: string; source: string }[];
  expect(daemons.find((d) => d.name === "acme")?.source).toBe(join(plugins, "acme.ts"));

  expect(kitcfg(["configure", "acme"], { root, env }).code).toBe(0);
  expect(JSON.parse(readFileSync(acmeFile(), "utf8"))).toEqual({ port: 8080, debug: false });

  expect(kitcfg(["update", "acme", "--set", "port=9090", "--set", "debug=true"], { root, env }).code).toBe(0);
  expect(JSON.parse(readFileSync(acmeFile(), "utf8"))).toEqual({ port: 9090, debug: true });

  const refused = kitcfg(["update", "acme", "--set", "port=70000"], { root, env });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('Cannot set "port" for acme: expected an integer from 1 to 65535');
  expect(JSON.parse(readFileSync(acmeFile(), "utf8")).port).toBe(9090);

  expect(kitcfg(["validate", "acme"], { root, env }).code).toBe(0);
  writeFileSync(acmeFile(), JSON.stringify({ port: 0, debug: "no" }));
  const invalid = kitcfg(["validate", "acme"], { root, env });
  expect(invalid.code).toBe(1);
  expect(invalid.stderr).toContain('"port"');
  expect(invalid.stderr).toContain('"debug"');
});

test("under a root, plugins in the root's $XDG_CONFIG_HOME/kitcfg/plugins load only with --plugins", () => {
  const dir = join(root, ".config/kitcfg/plugins");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "acme.ts"), ACME_PLUGIN);
  const unasked = kitcfg(["configure", "acme"], { root, env: cleanEnv(root) });
  expect(unasked.code).toBe(2);
  expect(unasked.stderr).toContain('Unknown daemon "acme"');
  expect(existsSync(acmeFile())).toBe(false);
  const ran = kitcfg(["configure", "acme", "--plugins", dir], { root, env: cleanEnv(root) });
  expect(ran.code).toBe(0);
  expect(JSON.parse(readFileSync(acmeFile(), "utf8")).port).toBe(8080);
  // Without a root, the user's own folder is searched as before.
  const list = kitcfg(["list", "--json"], { env: cleanEnv(root), cwd: root });
  expect(JSON.parse(list.stdout).daemons.find((d: { name: string }) => d.name === "acme")?.source).toBe(
    join(dir, "acme.ts"),
  );
});

describe("a plugin anyone else could have written is refused, the others still load", () => {
  const nobody = { uid: 65534, gid: 65534 };
  /** A folder nobody may use (the temp root is root's 0700), with the acme plugin in it. */
  const nobodyRoot = () => {
    chmodSync(root, 0o755);
    chownSync(root, nobody.uid, nobody.gid);
    chownSync(plugins, nobody.uid, nobody.gid);
    writeFileSync(join(plugins, "acme.ts"), ACME_PLUGIN);
    chownSync(join(plugins, "acme.ts"), nobody.uid, nobody.gid);
  };
  /** Run the binary as nobody (we are root in CI); undefined (with a notice) when impossible. */
  const asNobody = (args: string[]) => {
    if (process.getuid?.() !== 0) return void console.log("skipped: cannot run as another user: not root");
    const ran = Bun.spawnSync(
      ["setpriv", `--reuid=${nobody.uid}`, `--regid=${nobody.gid}`, "--clear-groups", KITCFG, ...args, "--root", root],
      {
        env,
        cwd: root,
        stdout: "pipe",
        stderr: "pipe",
      },
    );
    return { code: ran.exitCode, stdout: ran.stdout.toString(), stderr: ran.stderr.toString() };
  };

  test("as a user: a plugin file writable by others (0666)", () => {
    if (process.getuid?.() !== 0) return void console.log("skipped: needs root to act as two users");
    nobodyRoot();
    writeFileSync(
      join(plugins, "evil.ts"),
      ACME_PLUGIN.replace('"acme"', '"evil"').replace(
        "import",
        'require("node:fs").writeFileSync(process.env.HOME + "/ran", "");\nimport',
      ),
    );
    chownSync(join(plugins, "evil.ts"), nobody.uid, nobody.gid);
    chmodSync(join(plugins, "evil.ts"), 0o666);
    const ran = asNobody(["list", "--json"])!;
    expect(ran.code).toBe(0);
    const { daemons, problems } = JSON.parse(ran.stdout);
    expect(daemons.map((d: { name: string }) => d.name)).toContain("acme");
    expect(daemons.map((d: { name: string }) => d.name)).not.toContain("evil");
    expect(problems).toEqual([
      {
        file: join(plugins, "evil.ts"),
        message:
          `Plugin file ${join(plugins, "evil.ts")} not loaded: it is writable by others (mode 0666); ` +
          `run chmod go-w ${join(plugins, "evil.ts")}`,
      },
    ]);
    expect(existsSync(join(root, "ran"))).toBe(false);
    const text = asNobody(["list"])!;
    expect(text.stderr.trim().split("\n")).toEqual([
      `⚠ Plugin file ${join(plugins, "evil.ts")} not loaded: ` +
        `it is writable by others (mode 0666); run chmod go-w ${join(plugins, "evil.ts")}`,
    ]);
  });

  test("as a user: a plugin folder writable by everyone (0777)", () => {
    if (process.getuid?.() !== 0) return void console.log("skipped: needs root to act as two users");
    nobodyRoot();
    const open = join(root, "open");
    mkdirSync(open);
    chownSync(open, nobody.uid, nobody.gid);
    chmodSync(open, 0o777);
    writeFileSync(join(open, "other.ts"), ACME_PLUGIN.replace('"acme"', '"other"'));
    chownSync(join(open, "other.ts"), nobody.uid, nobody.gid);
    env.KITCFG_PLUGIN_PATH = `${plugins}:${open}`;
    const ran = asNobody(["list", "--json"])!;
    expect(ran.code).toBe(0);
    const { daemons, problems } = JSON.parse(ran.stdout);
    expect(daemons.map((d: { name: string }) => d.name)).toContain("acme");
    expect(problems.map((p: { message: string }) => p.message)).toEqual([
      `Plugin file ${join(open, "other.ts")} not loaded: ` +
        `its folder ${open} is writable by others (mode 0777); run chmod go-w ${open}`,
    ]);
    expect(asNobody(["configure", "other"])!.code).toBe(2);
    expect(asNobody(["configure", "acme"])!.code).toBe(0);
  });

  test("as root: a plugin file owned by another user, or in a folder another user owns", () => {
    if (process.getuid?.() !== 0) return void console.log("skipped: needs root to own files as another user");
    writeFileSync(join(plugins, "acme.ts"), ACME_PLUGIN);
    writeFileSync(join(plugins, "theirs.ts"), ACME_PLUGIN.replace('"acme"', '"theirs"'));
    chownSync(join(plugins, "theirs.ts"), nobody.uid, nobody.gid);
    const alice = join(root, "alice");
    mkdirSync(alice, { mode: 0o755 });
    writeFileSync(join(alice, "hers.ts"), ACME_PLUGIN.replace('"acme"', '"hers"'));
    chownSync(alice, nobody.uid, nobody.gid);
    env.KITCFG_PLUGIN_PATH = `${plugins}:${alice}`;
    const ran = kitcfg(["list", "--json"], { root, env });
    expect(ran.code).toBe(0);
    const { daemons, problems } = JSON.parse(ran.stdout);
    expect(daemons.map((d: { name: string }) => d.name)).toContain("acme");
    expect(problems.map((p: { message: string }) => p.message)).toEqual([
      `Plugin file ${join(plugins, "theirs.ts")} not loaded: it is owned by another user ` +
        `(uid 65534), not by you (uid 0) or root; plugins run with your rights`,
      `Plugin file ${join(alice, "hers.ts")} not loaded: its folder ${alice} is owned by another user ` +
        `(uid 65534), not by you (uid 0) or root; plugins run with your rights`,
    ]);
    const show = kitcfg(["show", "theirs"], { root, env });
    expect(show.code).toBe(2);
  });
});

test("a plugin that throws on import, does not parse or is not a plugin is reported by file name and skipped", () => {
  writeFileSync(join(plugins, "acme.ts"), ACME_PLUGIN);
  writeFileSync(join(plugins, "broken.ts"), 'throw new Error("boom at import");\n');
  writeFileSync(join(plugins, "not-a-plugin.js"), "export default { hello: 1 };\n");
  writeFileSync(join(plugins, "syntax.ts"), "export default {{{\n");
  const list = kitcfg(["list"], { root, env });
  expect(list.code).toBe(0);
  expect(list.stdout).toContain("acme");
  expect(list.stdout).toContain("huggingface");
  expect(list.stderr).toContain(join(plugins, "broken.ts"));
  expect(list.stderr).toContain("boom at import");
  expect(list.stderr).toContain(join(plugins, "not-a-plugin.js"));
  // Where the text stops parsing, as tsc would say it, not only that it does not.
  expect(list.stderr).toContain(
    `${join(plugins, "syntax.ts")} not loaded: it does not parse: line 1, column 17: Expected identifier but found "{"`,
  );
  expect(kitcfg(["configure", "acme"], { root, env }).code).toBe(0);
  expect(kitcfg(["configure", "huggingface"], { root, env }).code).toBe(0);
});

test("two plugins with one name give a clear error naming both files", () => {
  writeFileSync(join(plugins, "acme.ts"), ACME_PLUGIN);
  writeFileSync(join(plugins, "acme-copy.ts"), ACME_PLUGIN);
  const ran = kitcfg(["configure", "acme"], { root, env });
  expect(ran.code).toBe(3);
  expect(ran.stderr).toContain('Two plugins are both called "acme"');
  expect(ran.stderr).toContain(join(plugins, "acme.ts"));
  expect(ran.stderr).toContain(join(plugins, "acme-copy.ts"));
  expect(kitcfg(["configure", "huggingface"], { root, env }).code).toBe(0);
});

test("a plugin folder listed twice, once through a symbolic link, loads each of its files once", () => {
  writeFileSync(join(plugins, "acme.ts"), ACME_PLUGIN);
  symlinkSync(plugins, join(root, "linked"));
  const both = { ...env, KITCFG_PLUGIN_PATH: `${plugins}:${join(root, "linked")}` };
  const list = kitcfg(["list"], { root, env: both });
  expect(list.stderr).toBe("");
  expect(kitcfg(["configure", "acme"], { root, env: both }).code).toBe(0);
});

test("a user plugin cannot take a built-in plugin's name", () => {
  writeFileSync(join(plugins, "s3.ts"), ACME_PLUGIN.replace('"acme"', '"s3"'));
  const ran = kitcfg(["show", "s3"], { root, env });
  expect(ran.code).toBe(3);
  expect(ran.stderr).toContain("built-in plugins/s3.ts");
  expect(ran.stderr).toContain(join(plugins, "s3.ts"));
});

test("a plugin's unread may be async: the schema's issues under the paths it gives are left out", () => {
  writeFileSync(
    join(plugins, "remote.ts"),
    `import { definePlugin, v } from "kitcfg";
export default definePlugin({
  name: "remote",
  summary: "loads its settings from a URL when one is given",
  files: { main: { path: "~/.remote/config.json", format: "json" } },
  schema: v.object({ source: v.optional(v.string()), port: v.optional(v.number()) }),
  defaults: () => ({}),
  unread: async (config) => (await Promise.resolve(config.source ? ["port"] : [])),
});
`,
  );
  expect(kitcfg(["configure", "remote"], { root, env }).code).toBe(0);
  const file = join(root, ".remote/config.json");
  writeFileSync(file, JSON.stringify({ source: "https://cfg.lab/x", port: "x" }));
  expect(kitcfg(["validate", "remote"], { root, env }).code).toBe(0);
  writeFileSync(file, JSON.stringify({ port: "x" }));
  const refused = kitcfg(["validate", "remote"], { root, env });
  expect({ code: refused.code, port: refused.stderr.includes('"port"') }).toEqual({ code: 1, port: true });
});
