import { afterEach, beforeEach, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ACME_PLUGIN, cleanEnv, kitcfg, tempDir } from "../helpers.ts";

let root: string;
let cleanup: () => void;
let plugins: string;
let env: Record<string, string>;
beforeEach(() => {
  ({ dir: root, cleanup } = tempDir());
  plugins = join(root, "plugins");
  mkdirSync(plugins);
  env = cleanEnv(root, { KITCFG_PLUGIN_PATH: plugins });
});
afterEach(() => cleanup());

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

test("user plugins are also found in $XDG_CONFIG_HOME/kitcfg/plugins under the root", () => {
  const dir = join(root, ".config/kitcfg/plugins");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "acme.ts"), ACME_PLUGIN);
  const ran = kitcfg(["configure", "acme"], { root, env: cleanEnv(root) });
  expect(ran.code).toBe(0);
  expect(JSON.parse(readFileSync(acmeFile(), "utf8")).port).toBe(8080);
});

test("a plugin that throws on import or is not a plugin is reported by file name and skipped", () => {
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
  expect(list.stderr).toContain(join(plugins, "syntax.ts"));
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

test("a user plugin cannot take a built-in plugin's name", () => {
  writeFileSync(join(plugins, "s3.ts"), ACME_PLUGIN.replace('"acme"', '"s3"'));
  const ran = kitcfg(["show", "s3"], { root, env });
  expect(ran.code).toBe(3);
  expect(ran.stderr).toContain("built-in plugins/s3.ts");
  expect(ran.stderr).toContain(join(plugins, "s3.ts"));
});
