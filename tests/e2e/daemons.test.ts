import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { kitcfg, tempDir } from "../helpers.ts";

/**
 * The same four promises for each of the nine daemons, through the compiled binary:
 * configure in a fresh root, validate passes, an update of one key changes only that key's
 * line, and show hides the secrets.
 */
interface Case {
  daemon: string;
  /** The file the key lives in, relative to the root. */
  file: string;
  set: string;
  /** The one line the update must leave changed (trimmed). */
  line: string;
  /** A secret to set, whose value must never be shown (kubo's is generated: see secretValuesOnDisk). */
  secret?: [key: string, value: string];
}

const CASES: Case[] = [
  {
    daemon: "huggingface",
    file: ".cache/huggingface/config.json",
    set: "offline=true",
    line: '"offline": true,',
    secret: ["token", "hf_daemonsTestToken0123456789"],
  },
  {
    daemon: "s3",
    file: ".s3cfg",
    set: "host_base=minio.internal:9000",
    line: "host_base = minio.internal:9000",
    secret: ["secret_key", "s3SecretKeyForTheDaemonsTest"],
  },
  {
    daemon: "ipfs",
    file: ".ipfs/config",
    set: "Addresses.API=/ip4/127.0.0.1/tcp/5002",
    line: '"API": "/ip4/127.0.0.1/tcp/5002",',
  },
  {
    daemon: "lotus",
    file: ".lotus/config.toml",
    set: "API.ListenAddress=/ip4/127.0.0.1/tcp/2345/http",
    line: 'ListenAddress = "/ip4/127.0.0.1/tcp/2345/http"',
    secret: ["Wallet.RemoteBackend", "walletBackendTokenForDaemonsTest:/ip4/127.0.0.1/tcp/1777/http"],
  },
  {
    daemon: "lassie",
    file: ".lassie/config.json",
    set: "port=7777",
    line: '"port": 7777,',
    secret: ["access_token", "lassieAccessTokenForDaemonsTest"],
  },
  {
    daemon: "ipfs-cluster-service",
    file: ".ipfs-cluster/service.json",
    set: "cluster.peername=daemons-test",
    line: '"peername": "daemons-test",',
    secret: ["cluster.secret", "ab".repeat(32)],
  },
  {
    daemon: "ipfs-cluster-follow",
    file: ".ipfs-cluster-follow/ipfs-kit-cluster/service.json",
    set: "cluster.peername=follower-test",
    line: '"peername": "follower-test",',
    secret: ["cluster.secret", "cd".repeat(32)],
  },
  {
    daemon: "ipfs-cluster-ctl",
    file: ".ipfs-cluster/ctl/config.json",
    set: "timeout=45",
    line: '"timeout": 45,',
    secret: ["secret", "ef".repeat(32)],
  },
  {
    daemon: "storacha",
    file: ".storacha/config.json",
    set: "timeout=60",
    line: '"timeout": 60,',
    secret: ["api_key", "storachaApiKeyForDaemonsTest"],
  },
];

let root: string;
let cleanup: () => void;
beforeAll(() => ({ dir: root, cleanup } = tempDir()));
afterAll(() => cleanup());

describe.each(CASES)("$daemon", ({ daemon, file, set, line, secret }) => {
  test("configure in a fresh root, then validate passes", () => {
    const configured = kitcfg(["configure", daemon], { root });
    expect(configured.code).toBe(0);
    const validated = kitcfg(["validate", daemon], { root });
    // s3cmd's defaults have no keys: valid, with the warning that s3cmd then needs them from elsewhere.
    if (daemon === "s3") expect(validated.stderr).toStartWith('⚠ s3: "access_key": is empty, and so is secret_key');
    else expect(validated.stderr).toBe("");
    expect(validated.code).toBe(0);
  });

  test("an update of one key changes only that key's line", () => {
    const before = readFileSync(join(root, file), "utf8").split("\n");
    expect(kitcfg(["update", daemon, "--set", set], { root }).code).toBe(0);
    const after = readFileSync(join(root, file), "utf8").split("\n");
    expect(after.length).toBe(before.length);
    const changed = after.filter((text, i) => text !== before[i]);
    // A JSON member's comma depends on its place; compare without it.
    const bare = (text: string) => text.trim().replace(/,$/, "");
    expect(changed.map(bare)).toEqual([bare(line)]);
    expect(kitcfg(["validate", daemon], { root }).code).toBe(0);
  });

  test("show, get and --json hide its secrets", () => {
    const everySecret = secretValuesOnDisk(daemon);
    const outputs = [kitcfg(["status", "--json"], { root })];
    if (secret) {
      const [key, value] = secret;
      expect(kitcfg(["update", daemon, "--set", `${key}=${value}`], { root }).code).toBe(0);
      everySecret.push(value);
      outputs.push(
        kitcfg(["get", daemon, key], { root }),
        kitcfg(["update", daemon, "--set", `${key}=${value}x`, "--dry-run", "--json"], { root }),
      );
    }
    outputs.push(kitcfg(["show", daemon], { root }), kitcfg(["show", daemon, "--json"], { root }));
    for (const ran of outputs) {
      for (const hidden of everySecret) expect(ran.stdout + ran.stderr).not.toContain(hidden);
    }
    expect(outputs.at(-1)!.stdout).toContain("<redacted>");
  });
});

/** Secret values kitcfg generated into the files (identities, cluster secrets), read back from disk. */
function secretValuesOnDisk(daemon: string): string[] {
  const json = (path: string) => JSON.parse(readFileSync(join(root, path), "utf8"));
  switch (daemon) {
    case "ipfs":
      return [json(".ipfs/config").Identity.PrivKey];
    case "ipfs-cluster-service":
      return [json(".ipfs-cluster/identity.json").private_key];
    case "ipfs-cluster-follow":
      return [json(".ipfs-cluster-follow/ipfs-kit-cluster/identity.json").private_key];
    default:
      return [];
  }
}
