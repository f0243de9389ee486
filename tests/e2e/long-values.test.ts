import { afterEach, beforeEach, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanEnv, KITCFG, kitcfg, tempDir } from "../helpers.ts";

// Files whose texts hold long runs of one character where a check's regex once tried every start in
// the run (time growing with its square: minutes for a few hundred KB). The real binary, stopped after
// 20 s; each takes well under a second.

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

const validate = (daemon: string, stopAfterMs = 20_000) => {
  const ran = Bun.spawnSync([KITCFG, "validate", daemon, "--root", root], {
    env: cleanEnv(root),
    stderr: "pipe",
    timeout: stopAfterMs,
  });
  return { code: ran.exitCode, stderr: ran.stderr.toString() };
};

/** Configure kubo, then change its config as `edit` says. */
function kuboConfigWith(edit: (config: Record<string, Record<string, unknown>>) => void): void {
  expect(kitcfg(["configure", "ipfs", "-q"], { root }).code).toBe(0);
  const file = join(root, ".ipfs/config");
  const config = JSON.parse(readFileSync(file, "utf8"));
  edit(config);
  writeFileSync(file, JSON.stringify(config, null, 2));
}

test("lotus: 400,000 empty lines before the EnableSplitstore line", () => {
  expect(kitcfg(["configure", "lotus", "-q"], { root }).code).toBe(0);
  const file = join(root, ".lotus/config.toml");
  writeFileSync(file, "\n".repeat(400_000) + readFileSync(file, "utf8"));
  expect(validate("lotus").code).toBe(0);
  // Without the line lotus refuses the file: still found at once.
  writeFileSync(file, "\n".repeat(400_000) + readFileSync(file, "utf8").replace(/EnableSplitstore/g, "#"));
  const refused = validate("lotus");
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain("EnableSplitstore");
}, 60_000);

test("ipfs: a delegated router's endpoint of 400,000 slashes and then a name", () => {
  const methods = ["find-providers", "find-peers", "get-ipns", "put-ipns", "provide"];
  kuboConfigWith((config) => {
    config.Routing!.Type = "custom";
    config.Routing!.Routers = {
      far: { Type: "http", Parameters: { Endpoint: `https://a.example${"/".repeat(400_000)}b` } },
    };
    config.Routing!.Methods = Object.fromEntries(methods.map((method) => [method, { RouterName: "far" }]));
  });
  const ran = validate("ipfs");
  expect(ran.code).not.toBeNull(); // finished, not stopped
  expect(ran.stderr).toContain("Routing.Routers.far");
}, 60_000);

test("ipfs: 100,000 swarm addresses, each on its own socket", () => {
  // Each was compared with every other (a minute), then looked up in the whole list (13 s); now 0.5 s,
  // and the binary is stopped after 5.
  kuboConfigWith((config) => {
    config.Addresses!.Swarm = Array.from(
      { length: 100_000 },
      (_, i) => `/ip4/10.0.${(i >> 8) & 255}.${i & 255}/tcp/${1000 + (i % 60_000)}`,
    );
  });
  expect(validate("ipfs", 5_000).code).toBe(0);
}, 60_000);
