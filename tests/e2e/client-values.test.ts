import { afterEach, beforeEach, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { openTestKit, schemaLeaves } from "../_safety.ts";
import { runCli, tempDir } from "../helpers.ts";

// `kitcfg env` and `kitcfg args` over a configuration with a value of the wrong JSON type: the
// plugins turned an object into text, so a shell got LASSIE_ADDRESS='[object Object]' and a
// client HF_ENDPOINT='[object Object]'; storacha's env failed as a plugin fault (exit 3). Every
// setting of every built-in daemon that gives variables or flags from its file, set to an object
// in turn: each command gives no such text, and ends in the values with a warning (exit 0) or the
// configuration's errors (exit 1).

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

const CLIENTS: [daemon: string, command: "env" | "args"][] = [
  ["huggingface", "env"],
  ["lassie", "env"],
  ["lassie", "args"],
  ["storacha", "env"],
  ["ipfs-cluster-ctl", "args"],
];

test("env and args of a setting holding an object: no [object Object], exit 0 or 1 with the error named", async () => {
  const kit = await openTestKit(root);
  for (const [daemon, command] of CLIENTS) {
    expect((await runCli(["configure", daemon], { root })).code).toBe(0);
    const target = kit.target(daemon);
    const file = target.files.find((f) => f.spec.format === "json" && (f.spec.mount ?? "") === "")!.path;
    const pristine = readFileSync(file, "utf8");
    for (const { path } of schemaLeaves(target.plugin.schema)) {
      if (path.includes("*")) continue;
      // An object, and a list of one (lassie joined a list's items as text).
      for (const value of [{ a: 1 }, [{}]]) {
        writeFileSync(file, JSON.stringify(withValue(JSON.parse(pristine), path, value)));
        const ran = await runCli(command === "env" ? ["env", daemon, "--reveal"] : ["args", daemon], { root });
        const key = path.join(".");
        const seen = { daemon, command, key, code: ran.code, object: ran.stdout.includes("[object") };
        expect(seen).toEqual({ ...seen, code: ran.code === 1 ? 1 : 0, object: false });
        expect(ran.stderr).not.toContain("Plugin");
      }
    }
    writeFileSync(file, pristine);
  }
}, 120_000);

test("validate of any setting holding an object says what it is: never [object Object], undefined or NaN", async () => {
  const kit = await openTestKit(root);
  for (const { plugin } of kit.registry.plugins) {
    expect((await runCli(["configure", plugin.name], { root })).code).toBe(0);
    const file = kit
      .target(plugin.name)
      .files.find((f) => f.spec.format === "json" && (f.spec.mount ?? "") === "" && !f.spec.derive);
    if (!file) continue;
    const pristine = readFileSync(file.path, "utf8");
    for (const { path } of schemaLeaves(plugin.schema)) {
      if (path.includes("*")) continue;
      writeFileSync(file.path, JSON.stringify(withValue(JSON.parse(pristine), path, { a: 1 })));
      const ran = await runCli(["validate", plugin.name], { root });
      const text = ran.stdout + ran.stderr;
      const seen = {
        daemon: plugin.name,
        key: path.join("."),
        shown: /\[object |\bundefined\b|\bNaN\b/.exec(text)?.[0],
      };
      expect(seen).toEqual({ ...seen, shown: undefined });
    }
    writeFileSync(file.path, pristine);
  }
}, 120_000);

/** `config` with `value` at `path`, each object on the way made if it is not one. */
function withValue(config: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  let at = config;
  for (const key of path.slice(0, -1)) {
    const next = at[key];
    at = at[key] = typeof next === "object" && next !== null && !Array.isArray(next) ? (next as typeof at) : {};
  }
  at[path.at(-1)!] = value;
  return config;
}
