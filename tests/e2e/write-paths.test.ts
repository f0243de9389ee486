import { afterEach, beforeEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openKit, update } from "../../index.ts";
import { cleanEnv, kitcfg, tempDir } from "../helpers.ts";

// Each test runs the binary several times; a loaded machine takes seconds for that.
setDefaultTimeout(60_000);

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

const ipfsConfig = () => join(root, ".ipfs/config");

/** Put a value kitcfg refuses into kubo's config by hand, as a user with an editor would. */
function handEditBadApi() {
  expect(kitcfg(["configure", "ipfs"], { root }).code).toBe(0);
  const config = JSON.parse(readFileSync(ipfsConfig(), "utf8"));
  config.Addresses.API = "not-a-multiaddr";
  writeFileSync(ipfsConfig(), JSON.stringify(config, null, 2));
  return readFileSync(ipfsConfig());
}

describe("writes that would leave a broken file", () => {
  test("update of another key on a hand-broken kubo config exits 1 naming the bad key and writes nothing", () => {
    const before = handEditBadApi();
    const ran = kitcfg(["update", "ipfs", "--set", "Swarm.ConnMgr.HighWater=120"], { root });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('Cannot update ipfs: "Addresses.API" (already in the file)');
    expect(ran.stderr).toContain("--force");
    expect(readFileSync(ipfsConfig())).toEqual(before);
    expect(kitcfg(["update", "ipfs", "--set", "Swarm.ConnMgr.HighWater=120", "--dry-run"], { root }).code).toBe(1);
  });

  test("update --force writes it anyway and still exits 1; fixing the bad key in the same update succeeds", () => {
    handEditBadApi();
    const forced = kitcfg(["update", "ipfs", "--set", "Swarm.ConnMgr.HighWater=120", "--force"], { root });
    expect(forced.code).toBe(1);
    expect(forced.stderr).toContain('"Addresses.API"');
    expect(JSON.parse(readFileSync(ipfsConfig(), "utf8")).Swarm.ConnMgr.HighWater).toBe(120);
    const fixed = kitcfg(
      ["update", "ipfs", "--set", "Swarm.ConnMgr.HighWater=130", "--set", "Addresses.API=/ip4/127.0.0.1/tcp/5001"],
      { root },
    );
    expect(fixed.code).toBe(0);
    expect(kitcfg(["validate", "ipfs"], { root }).code).toBe(0);
  });

  test(
    "configure lotus --force replaces a file that fails lotus's " +
      "own raw-line check (judged on the new file, not the old)",
    () => {
      mkdirSync(join(root, ".lotus"));
      const file = join(root, ".lotus/config.toml");
      // Parses to EnableSplitstore = true, but lotus looks for a line that starts with "EnableSplitstore =".
      writeFileSync(file, "Chainstore.EnableSplitstore = true\n");
      expect(kitcfg(["validate", "lotus"], { root }).code).toBe(1);
      const kept = kitcfg(["configure", "lotus"], { root });
      expect(kept.code).toBe(1);
      expect(kept.stderr).toContain("--force");
      const forced = kitcfg(["configure", "lotus", "--force"], { root });
      expect(forced.stderr).toBe("");
      expect(forced.code).toBe(0);
      expect(readFileSync(file, "utf8")).toMatch(/^\s*EnableSplitstore = true$/m);
      expect(kitcfg(["validate", "lotus"], { root }).code).toBe(0);
    },
  );
});

describe("update never creates a configuration", () => {
  test("update on a daemon never configured fails with exit 1 and how to configure it, creating nothing", () => {
    const ran = kitcfg(["update", "ipfs", "--set", "Addresses.API=/ip4/127.0.0.1/tcp/5002"], { root });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain("ipfs is not configured: run `kitcfg configure ipfs`");
    expect(existsSync(join(root, ".ipfs"))).toBe(false);
  });

  test("a typo in IPFS_PATH or --instance does not make a new repo, identity or follower folder", () => {
    expect(kitcfg(["configure", "ipfs"], { root }).code).toBe(0);
    const env = cleanEnv(root, { IPFS_PATH: join(root, ".ipsf") });
    const typo = kitcfg(["update", "ipfs", "--set", "Swarm.ConnMgr.HighWater=120"], { root, env });
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain(join(root, ".ipsf/config"));
    expect(existsSync(join(root, ".ipsf"))).toBe(false);

    expect(kitcfg(["configure", "ipfs-cluster-follow", "--instance", "collab"], { root }).code).toBe(0);
    const follower = kitcfg(["update", "ipfs-cluster-follow", "--instance", "colab", "--set", "cluster.peername=x"], {
      root,
    });
    expect(follower.code).toBe(1);
    expect(follower.stderr).toContain(
      "ipfs-cluster-follow/colab is not configured: run `kitcfg configure ipfs-cluster-follow --instance colab`",
    );
    expect(readdirSync(join(root, ".ipfs-cluster-follow")).sort()).toEqual(["collab"]);
  });

  test("the API refuses it with NOT_FOUND; configure still creates", async () => {
    const kit = await openKit({ root, env: cleanEnv(root), userPlugins: false });
    const error = await update(kit, {
      daemon: "s3",
      requests: [{ op: "set", key: "host_base", value: "minio.lab:9000" }],
    }).catch((e) => e);
    expect(error.code).toBe("NOT_FOUND");
    expect(existsSync(join(root, ".s3cfg"))).toBe(false);
    expect(kitcfg(["configure", "s3", "--set", "host_base=minio.lab:9000"], { root }).code).toBe(0);
    expect(kitcfg(["get", "s3", "host_base"], { root }).stdout).toBe("minio.lab:9000\n");
  });
});
