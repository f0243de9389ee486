import { afterEach, beforeEach, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { cleanEnv, kitcfg, tempDir } from "../helpers.ts";

// `--root DIR` builds files for an image or a container: they must read the same once the
// folder is the machine's own, so no content written under a root may name the root.
// (kitcfg's own history, which records the command line, is the one place that may.)

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir("kitcfg-root-")));
afterEach(() => cleanup());

function filesUnder(dir: string, skip: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((entry) => join(dir, entry))
    .filter((path) => !path.startsWith(skip) && statSync(path).isFile());
}

function expectNoRootInside(): void {
  const state = join(root, ".local/state/kitcfg");
  const files = filesUnder(root, state);
  expect(files.length).toBeGreaterThan(10);
  const naming = files.filter((file) => readFileSync(file, "latin1").includes(root));
  expect(naming).toEqual([]);
}

test("configure all and updates of every daemon under --root write no path with the root's prefix", () => {
  const run = (...args: string[]) => kitcfg(args, { root });
  expect(run("configure", "all").code).toBe(0);
  expect(run("configure", "ipfs-cluster-follow", "--instance", "second").code).toBe(0);
  expect(run("update", "huggingface", "--set", "offline=true", "--set", "token=hf_abc").code).toBe(0);
  expect(run("update", "lassie", "--set", "port=7777").code).toBe(0);
  expect(run("update", "s3", "--set", "host_base=s3.example.org").code).toBe(0);
  expect(run("update", "ipfs", "--set", "Swarm.ConnMgr.HighWater=300").code).toBe(0);
  expect(run("update", "lotus", "--set", "API.ListenAddress=/ip4/127.0.0.1/tcp/1234/http").code).toBe(0);
  expect(run("validate").code).toBe(0);
  expectNoRootInside();
});

test("daemon path variables given as absolute paths are written as the daemon will see them", () => {
  const env = cleanEnv(root, {
    IPFS_PATH: "/var/lib/ipfs",
    HF_HOME: "/data/hf",
    LOTUS_PATH: "/var/lib/lotus",
    IPFS_CLUSTER_PATH: "/var/lib/ipfs-cluster",
    XDG_CACHE_HOME: "/cache",
  });
  expect(kitcfg(["configure", "all"], { root, env }).code).toBe(0);
  expect(readFileSync(join(root, "data/hf/huggingface.env"), "utf8")).toContain("HF_HOME=/data/hf");
  expect(JSON.parse(readFileSync(join(root, "data/hf/config.json"), "utf8")).cache_dir).toBe("/data/hf");
  expect(kitcfg(["validate"], { root, env }).code).toBe(0);
  expectNoRootInside();
});
