import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openKit } from "../../core/kit.ts";
import { configure } from "../../core/change.ts";
import { repair } from "../../core/repair.ts";
import { cleanEnv, tempDir } from "../helpers.ts";

// A plugin with two files whose older layout kept the secret in the wrong one, as the
// cluster's older files kept `secret` at the top of service.json: the repair moves it by
// taking it out of one file's text and setting it where it belongs.
const TWOFILE = `import { definePlugin, v } from "kitcfg";
export default definePlugin({
  name: "twofile",
  summary: "two files, one secret",
  files: {
    main: { path: "~/.twofile/main.json", format: "json", style: { indent: 2 } },
    key: { path: "~/.twofile/key.json", format: "json", mount: "auth", style: { indent: 2 } },
  },
  schema: v.object({
    name: v.string(),
    port: v.optional(v.number()),
    auth: v.optional(v.object({ secret: v.string() })),
  }),
  secrets: ["auth.secret"],
  defaults: () => ({ name: "x", auth: { secret: "fresh" } }),
  validate: (config) => (config.port === 0 ? [{ key: "port", message: "must not be 0" }] : []),
  repair: (texts) => {
    const main = texts.main === undefined ? undefined : JSON.parse(texts.main);
    if (main === undefined) return { texts: {}, fixes: [] };
    if (texts.main.includes("BREAK"))
      return { texts: { main: JSON.stringify({ ...main, port: 0 }) }, fixes: ["broke it"] };
    if (texts.main.includes("BOGUS")) return { texts: { other: "{}" }, fixes: [] };
    if (!("secret" in main)) return { texts: {}, fixes: [] };
    const { secret, ...rest } = main;
    return {
      texts: { main: JSON.stringify(rest, null, 2) },
      set: { "auth.secret": secret },
      fixes: ["moved secret into key.json"],
    };
  },
});
`;

let root: string;
let cleanup: () => void;
let env: Record<string, string>;
beforeEach(() => {
  ({ dir: root, cleanup } = tempDir());
  mkdirSync(join(root, "plugins"));
  writeFileSync(join(root, "plugins/twofile.ts"), TWOFILE);
  mkdirSync(join(root, ".twofile"));
  env = cleanEnv(root, { KITCFG_PLUGIN_PATH: join(root, "plugins") });
});
afterEach(() => cleanup());

const main = () => join(root, ".twofile/main.json");
const key = () => join(root, ".twofile/key.json");
const OLD = '{\n  "name": "node-1",\n  "secret": "s3cr3t-value-99"\n}';

async function kit() {
  return openKit({ root, env, command: "kitcfg repair twofile" });
}

describe("repair", () => {
  test("a dry run shows the fixes and a redacted diff, and writes nothing", async () => {
    writeFileSync(main(), OLD);
    const [result] = await repair(await kit(), { daemon: "twofile", dryRun: true });
    expect(result!.fixes).toEqual(["moved secret into key.json"]);
    expect(result!.files.map((f) => [f.key, f.action])).toEqual([
      ["main", "update"],
      ["key", "create"],
    ]);
    expect(result!.diff).toContain('-  "secret": "<redacted>"');
    expect(result!.diff).not.toContain("s3cr3t-value-99");
    expect(readFileSync(main(), "utf8")).toBe(OLD);
    expect(existsSync(key())).toBe(false);
    expect(existsSync(join(root, ".local/state/kitcfg/history"))).toBe(false);
  });

  test("moves content from one file to another, and keeps the old file in history", async () => {
    writeFileSync(main(), OLD);
    const [result] = await repair(await kit(), { daemon: "twofile" });
    expect(result!.changed).toBe(true);
    expect(result!.issues).toEqual([]);
    expect(readFileSync(main(), "utf8")).toBe('{\n  "name": "node-1"\n}');
    expect(JSON.parse(readFileSync(key(), "utf8"))).toEqual({ secret: "s3cr3t-value-99" });
    const history = join(root, ".local/state/kitcfg/history/twofile/main");
    const kept = readdirSync(history).filter((name) => name.endsWith(".data"));
    expect(kept.map((name) => readFileSync(join(history, name), "utf8"))).toEqual([OLD]);
    // Nothing left to do: a second run says so and changes nothing.
    const [again] = await repair(await kit(), { daemon: "twofile" });
    expect(again!.changed).toBe(false);
    expect(again!.notes).toEqual(["twofile: nothing to repair"]);
  });

  test("a repair that would make a valid configuration invalid is refused, nothing written", async () => {
    const text = '{\n  "name": "BREAK"\n}';
    writeFileSync(main(), text);
    const error = await repair(await kit(), { daemon: "twofile" }).catch((e) => e);
    expect(error.code).toBe("INVALID_VALUE");
    expect(error.message).toBe('Cannot repair twofile: "port": must not be 0');
    expect(readFileSync(main(), "utf8")).toBe(text);
  });

  test("a hook naming a file the plugin does not have is reported as the plugin's failure", async () => {
    writeFileSync(main(), '{"name": "BOGUS"}');
    const error = await repair(await kit(), { daemon: "twofile" }).catch((e) => e);
    expect(error.code).toBe("PLUGIN_FAILED");
    expect(error.message).toContain('it returned text for "other", which is not one of its files');
  });

  test("a daemon without a repair hook has nothing to repair; one with no files is not configured", async () => {
    await expect(repair(await kit(), { daemon: "huggingface" })).rejects.toThrow("huggingface is not configured");
    await configure(await kit(), { daemon: "huggingface" });
    const [result] = await repair(await kit(), { daemon: "huggingface" });
    expect(result).toMatchObject({ daemon: "huggingface", kind: "repair", changed: false, fixes: [] });
    expect(result!.notes).toEqual(["huggingface has nothing kitcfg knows how to repair"]);
  });
});
