import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cleanEnv, kitcfg, tempDir } from "../helpers.ts";
import { CTL_REFUSED, FOLLOW_REFUSED, LOTUS_REFUSED, SERVICE_REFUSED } from "../plugins/_load-rules.ts";
import type { RefusedRow } from "../plugins/_load-rules.ts";

// The compiled binary refuses every value lotus and the ipfs-cluster daemons refuse at load:
// exit 1, kitcfg's reason on stderr, and every file left byte-identical.

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

const DAEMONS: [daemon: string, rows: RefusedRow[], files: string[], extra: string[]][] = [
  ["lotus", LOTUS_REFUSED, [".lotus/config.toml"], []],
  ["ipfs-cluster-service", SERVICE_REFUSED, [".ipfs-cluster/service.json", ".ipfs-cluster/identity.json"], []],
  [
    "ipfs-cluster-follow",
    FOLLOW_REFUSED,
    [".ipfs-cluster-follow/e2e/service.json", ".ipfs-cluster-follow/e2e/identity.json"],
    ["--instance", "e2e"],
  ],
  ["ipfs-cluster-ctl", CTL_REFUSED, [".ipfs-cluster/ctl/config.json"], []],
];

describe("dist/kitcfg refuses what the daemons refuse at load", () => {
  for (const [daemon, rows, files, extra] of DAEMONS) {
    test(`${daemon}: ${rows.length} refused values, exit 1, files byte-identical`, () => {
      expect(kitcfg(["configure", daemon, ...extra], { root }).code).toBe(0);
      const before = files.map((file) => readFileSync(join(root, file)));
      for (const [sets, message, upstream] of rows) {
        const ran = kitcfg(["update", daemon, ...extra, ...sets.flatMap((set) => ["--set", set])], { root });
        expect({ sets, upstream, code: ran.code }).toEqual({ sets, upstream, code: 1 });
        expect({ upstream, stderr: ran.stderr }).toEqual({ upstream, stderr: expect.stringContaining(message) });
        expect(ran.stderr).not.toContain("    at ");
        for (const [i, file] of files.entries()) expect(readFileSync(join(root, file))).toEqual(before[i]!);
      }
    }, 120_000);
  }
});

// Lotus applies the LOTUS_* variables of its environment over config.toml (node/config/load.go
// FromReader -> envconfig.Process): `validate` judges the file with the binary's own environment.
const LOTUS_ENV_ROWS: [variable: string, refused: string, accepted: string, says: string][] = [
  ["LOTUS_BACKUP_DISABLEMETADATALOG", "yes", "0", "expected true or false"],
  ["LOTUS_LIBP2P_CONNMGRHIGH", "-1", "0x400", "expected an integer from 0 to 18446744073709551615"],
  ["LOTUS_CHAININDEXER_GCRETENTIONEPOCHS", "1e4", "0", "expected an integer from -9223372036854775808"],
  ["LOTUS_API_TIMEOUT", "", "1m", "expected a Go duration"],
  ["LOTUS_FEES_DEFAULTMAXFEE", "1 FILL", "1 FIL", "is not a FIL amount"],
  ["LOTUS_LOGGING_SUBSYSTEMLEVELS", "rpc", "rpc:debug", "key:value pairs"],
  ["LOTUS_API_LISTENADDRESS", "garbage", "/ip4/127.0.0.1/tcp/1235/http", "is not a multiaddr"],
  ["LOTUS_LIBP2P_LISTENADDRESSES", "/ip4/0.0.0.0/udp/1", "/ip4/0.0.0.0/tcp/0", "no address has a transport"],
  ["LOTUS_LIBP2P_CONNMGRGRACE", "-1s", "1s", "is negative"],
  ["LOTUS_CHAINSTORE_SPLITSTORE_COLDSTORETYPE", "cold", "messages", "is not a choice lotus has"],
];

describe("dist/kitcfg validate lotus applies the LOTUS_* variables it runs with", () => {
  const env = (extra: Record<string, string>) => cleanEnv(root, extra);
  beforeEach(() => {
    expect(kitcfg(["configure", "lotus"], { root }).code).toBe(0);
  });

  test(`${LOTUS_ENV_ROWS.length} variables: a refused value fails naming it, an accepted one passes`, () => {
    for (const [variable, refused, accepted, says] of LOTUS_ENV_ROWS) {
      const bad = kitcfg(["validate", "lotus"], { root, env: env({ [variable]: refused }) });
      expect({ variable, code: bad.code }).toEqual({ variable, code: 1 });
      expect({ variable, out: bad.stdout + bad.stderr }).toEqual({
        variable,
        out: expect.stringMatching(new RegExp(`${says}.*${variable}|${variable}.*${says}`)),
      });
      expect(bad.stderr).toContain("if it runs with this environment too");
      const good = kitcfg(["validate", "lotus"], { root, env: env({ [variable]: accepted }) });
      expect({ variable, code: good.code, out: good.stderr }).toEqual({ variable, code: 0, out: "" });
    }
  }, 120_000);

  test("an update refused over a variable says to correct the variable, not to set a key the file holds", () => {
    const bad = env({ LOTUS_API_LISTENADDRESS: "garbage" });
    const ran = kitcfg(["update", "lotus", "--set", "Libp2p.ConnMgrLow=100"], { root, env: bad });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('Cannot update lotus: "API.ListenAddress" (from this environment): "garbage"');
    expect(ran.stderr).toContain("Nothing was written: correct or unset LOTUS_API_LISTENADDRESS in this environment");
    expect(ran.stderr).not.toContain("already in the file");
    expect(ran.stderr).not.toContain("fix those keys");
    // With a bad key in the file as well, both ways are given.
    expect(kitcfg(["update", "lotus", "--set", "API.Timeout=1x", "--force"], { root }).code).toBe(1);
    const both = kitcfg(["update", "lotus", "--set", "Libp2p.ConnMgrLow=100"], { root, env: bad });
    expect(both.stderr).toContain('"API.Timeout" (already in the file)');
    expect(both.stderr).toContain(
      "fix those keys in the same update (--set KEY=VALUE or --unset KEY), correct or unset LOTUS_API_LISTENADDRESS",
    );
    // validate --json names the variable of each issue it judged, for a script.
    const json = JSON.parse(kitcfg(["validate", "lotus", "--json"], { root, env: bad }).stdout);
    const issue = json.daemons[0].issues.find((i: { key: string }) => i.key === "API.ListenAddress");
    expect(issue.variables).toEqual(["LOTUS_API_LISTENADDRESS"]);
  });

  test("--json names a secret variable and never its value; status fails on it too", () => {
    const secret = { LOTUS_WALLET_REMOTEBACKEND: "hunter2:ftp://wallet", LOTUS_PUBSUB_TRACERSOURCEAUTH: "hunter3" };
    const ran = kitcfg(["validate", "lotus", "--json"], { root, env: env(secret) });
    expect(ran.code).toBe(1);
    expect(ran.stdout).toContain("LOTUS_WALLET_REMOTEBACKEND from this environment");
    expect(ran.stdout + ran.stderr).not.toContain("hunter");
    const status = kitcfg(["status"], { root, env: env(secret) });
    expect(status.code).toBe(1);
    expect(status.stdout + status.stderr).not.toContain("hunter");
  });

  test("a variable that names no field, or in lower case, does nothing; `kitcfg env` is unchanged", () => {
    const extra = { LOTUS_API_NOSUCHFIELD: "garbage", lotus_api_listenaddress: "garbage" };
    expect(kitcfg(["validate", "lotus"], { root, env: env(extra) }).code).toBe(0);
    const plain = kitcfg(["env", "lotus"], { root }).stdout;
    expect(kitcfg(["env", "lotus"], { root, env: env({ LOTUS_API_LISTENADDRESS: "garbage" }) }).stdout).toBe(plain);
  });
});
