import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { format as toml } from "../../core/formats/toml.ts";
import lotus from "../../plugins/lotus.ts";
import { LOTUS_ENV_FIELDS } from "../../plugins/lotus/env.ts";
import { OPTION_KINDS } from "../../plugins/lotus/options.ts";
import { createPluginContext } from "../../sdk/context.ts";
import { goEnvVariable } from "../../sdk/go-env.ts";
import type { PluginIssue } from "../../sdk/index.ts";
import { cleanEnv, FIXTURES, runCli, tempDir } from "../helpers.ts";

// Lotus runs envconfig.Process("LOTUS", cfg) over the config it decoded (node/config/load.go
// FromReader): LOTUS_<SECTION>_<FIELD> replaces a field, and a text its Go type refuses stops it.
// FORMATS.md §2 "Lotus load-time rules", "Environment overrides".

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

const FIXTURE = join(FIXTURES, "lotus/default-lotus-config.toml");
const DEFAULTS = toml.parse(readFileSync(FIXTURE, "utf8")) as Record<string, unknown>;

/** lotus's validate of its own default file, run with `env` as kitcfg's environment. */
async function issuesWith(env: Record<string, string>, config = DEFAULTS): Promise<PluginIssue[]> {
  return (await lotus.validate!(config as never, createPluginContext({ root, env }))) as PluginIssue[];
}
const errors = (issues: PluginIssue[]) => issues.filter((issue) => (issue.severity ?? "error") === "error");
const START = "lotus stops at start";

describe("lotus: the variable of each field, as envconfig names it", () => {
  test("every option has one, LOTUS_ then its section and name in capitals (Common is embedded)", () => {
    const names = LOTUS_ENV_FIELDS.map((field) => goEnvVariable("LOTUS", field.path));
    expect(names.length).toBe(OPTION_KINDS.size);
    expect(names).toContain("LOTUS_API_LISTENADDRESS");
    expect(names).toContain("LOTUS_LOGGING_SUBSYSTEMLEVELS");
    expect(names).toContain("LOTUS_CHAINSTORE_SPLITSTORE_HOTSTOREMAXSPACETARGET");
    expect(names).toContain("LOTUS_FEES_DEFAULTMAXFEE");
  });

  test("they are the names lotus's own template gives each key (# env var: ...)", () => {
    const documented = [...readFileSync(FIXTURE, "utf8").matchAll(/# env var: (LOTUS_\w+)/g)].map((m) => m[1]);
    const names = new Set(LOTUS_ENV_FIELDS.map((field) => goEnvVariable("LOTUS", field.path)));
    expect(documented.length).toBeGreaterThan(40);
    // The one other is the template's example log level: a map is one variable, "name:level,...".
    expect(documented.filter((name) => !names.has(name!))).toEqual(["LOTUS_LOGGING_SUBSYSTEMLEVELS_EXAMPLE"]);
  });
});

describe("lotus: validate applies LOTUS_* variables as lotus does at start", () => {
  test("no variable, or one that names no field, or in lower case: the file alone is judged", async () => {
    expect(await issuesWith({})).toEqual([]);
    const env = { LOTUS_API_NOSUCH: "x", LOTUS_LOGGING_SUBSYSTEMLEVELS_EXAMPLE: "x", lotus_api_listenaddress: "x" };
    expect(await issuesWith(env)).toEqual([]);
  });

  // Each Go type envconfig reads, with a value it refuses and one it takes.
  const TYPES: [string, string, string, string][] = [
    // variable, refused, accepted, what the refusal says
    ["LOTUS_BACKUP_DISABLEMETADATALOG", "yes", "F", "expected true or false"],
    ["LOTUS_LIBP2P_CONNMGRLOW", "-5", "0x20", "expected an integer from 0 to 18446744073709551615"],
    ["LOTUS_FEVM_ETHBLKCACHESIZE", "1.5", "-1", "expected an integer from -9223372036854775808"],
    ["LOTUS_API_TIMEOUT", "30", "1m30s", "expected a Go duration"],
    ["LOTUS_EVENTS_FILTERTTL", "", "0", "expected a Go duration"],
    ["LOTUS_FEES_DEFAULTMAXFEE", "0.07 FLT", "0.5 fil", '"0.07 FLT" is not a FIL amount: unknown unit'],
    ["LOTUS_FEES_DEFAULTMAXFEE", "", "7 aFIL", '"" is not a FIL amount'],
    ["LOTUS_LOGGING_SUBSYSTEMLEVELS", "rpc=debug", "rpc:debug,chain:warn", "key:value pairs; pair 0 has 0"],
    ["LOTUS_CHAININDEXER_ENABLEINDEXER", "", "1", "expected true or false"],
  ];
  for (const [variable, bad, good, says] of TYPES)
    test(`${variable}: a refused value and an accepted one`, async () => {
      const refused = await issuesWith({ [variable]: bad });
      expect(errors(refused).map((issue) => issue.message)).toEqual([expect.stringContaining(`${variable} in`)]);
      expect(refused[0]!.message).toContain(says);
      expect(refused[0]!.message).toContain(`${START} ("processing env vars overrides") if it runs with this`);
      expect(errors(await issuesWith({ [variable]: good }))).toEqual([]);
    });

  test("a value envconfig takes is judged by lotus's load-time rules, naming the variable", async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ LOTUS_API_LISTENADDRESS: "garbage" }, "API.ListenAddress", '"garbage" is not a multiaddr'],
      [{ LOTUS_API_LISTENADDRESS: "" }, "API.ListenAddress", '"" is not a multiaddr'],
      [{ LOTUS_LIBP2P_CONNMGRGRACE: "-5s" }, "Libp2p.ConnMgrGrace", "is negative"],
      [{ LOTUS_LIBP2P_LISTENADDRESSES: "/ip4/0.0.0.0/tcp/1, /ip4/0.0.0.0/tcp/2" }, "Libp2p.ListenAddresses", "item 1"],
      [{ LOTUS_FEVM_ENABLEETHRPC: "true" }, "Fevm.EnableEthRPC", "needs ChainIndexer.EnableIndexer"],
      [{ LOTUS_CHAINSTORE_SPLITSTORE_MARKSETTYPE: "mapp" }, "Chainstore.Splitstore.MarkSetType", "not a choice"],
      [{ LOTUS_PUBSUB_IPCOLOCATIONWHITELIST: "10.0.0.0" }, "Pubsub.IPColocationWhitelist", "prefix length"],
    ];
    for (const [env, key, says] of cases) {
      const issues = errors(await issuesWith(env));
      const [variable] = Object.keys(env);
      expect(issues.map((issue) => issue.key)).toEqual([key]);
      expect(issues[0]!.message).toContain(says);
      expect(issues[0]!.message).toEndWith(
        `(with ${variable} from this environment, as lotus reads it if it runs with this environment too)`,
      );
    }
  });

  test("and the same values pass where lotus takes them", async () => {
    const env = {
      LOTUS_API_LISTENADDRESS: "/ip4/127.0.0.1/tcp/2345/http",
      LOTUS_LIBP2P_LISTENADDRESSES: "",
      LOTUS_LIBP2P_CONNMGRGRACE: "0s",
      LOTUS_FEVM_ENABLEETHRPC: "true",
      LOTUS_CHAININDEXER_ENABLEINDEXER: "true",
      LOTUS_CHAINSTORE_SPLITSTORE_MARKSETTYPE: "map",
      LOTUS_PUBSUB_IPCOLOCATIONWHITELIST: "10.0.0.0/8,fd00::/8",
    };
    expect(await issuesWith(env)).toEqual([]);
  });

  test("a rule across keys names the variable of the section that broke it", async () => {
    const issues = await issuesWith({ LOTUS_LIBP2P_CONNMGRHIGH: "10" });
    expect(issues).toEqual([
      {
        key: "Libp2p.ConnMgrLow",
        severity: "warning",
        message: expect.stringMatching(
          /^\(150\) is above Libp2p.ConnMgrHigh \(10\): .* \(with LOTUS_LIBP2P_CONNMGRHIGH from/,
        ),
        variables: ["LOTUS_LIBP2P_CONNMGRHIGH"],
      },
    ]);
  });

  test("a variable fixes what the file gets wrong once loaded, never what its decoder refuses", async () => {
    const file = { ...DEFAULTS, API: { ListenAddress: "garbage", Timeout: "30 seconds" } };
    const plain = errors(await issuesWith({}, file)).map((issue) => issue.key);
    expect(plain).toEqual(["API.ListenAddress", "API.Timeout"]);
    const env = { LOTUS_API_LISTENADDRESS: "/ip4/127.0.0.1/tcp/1234/http", LOTUS_API_TIMEOUT: "30s" };
    // The decoder refuses "30 seconds" before envconfig runs.
    expect(errors(await issuesWith(env, file)).map((issue) => issue.key)).toEqual(["API.Timeout"]);
  });

  test("a connection count of 0 turns libp2p's connection manager off: lotus starts, a warning", async () => {
    const issues = await issuesWith({}, { ...DEFAULTS, Libp2p: { ConnMgrLow: 150, ConnMgrHigh: 0 } });
    expect(issues).toEqual([
      {
        key: "Libp2p.ConnMgrHigh",
        severity: "warning",
        message: expect.stringContaining("is 0: libp2p's connection manager never trims"),
      },
    ]);
  });

  test("a negative uint in the file a variable replaces is not warned of", async () => {
    const file = { ...DEFAULTS, Libp2p: { ConnMgrLow: -5 } };
    expect((await issuesWith({}, file)).map((issue) => issue.key)).toEqual(["Libp2p.ConnMgrLow"]);
    expect(await issuesWith({ LOTUS_LIBP2P_CONNMGRLOW: "5" }, file)).toEqual([]);
  });

  test("a variable cannot stand in for the EnableSplitstore line lotus looks for in the text", async () => {
    const { EnableSplitstore: _, ...chainstore } = DEFAULTS.Chainstore as Record<string, unknown>;
    const issues = await issuesWith(
      { LOTUS_CHAINSTORE_ENABLESPLITSTORE: "true" },
      { ...DEFAULTS, Chainstore: chainstore },
    );
    expect(errors(issues).map((issue) => issue.key)).toEqual(["Chainstore.EnableSplitstore"]);
  });

  test("a secret variable is named, its value never quoted", async () => {
    const env = {
      LOTUS_WALLET_REMOTEBACKEND: "hunter2:not a url",
      LOTUS_PUBSUB_ELASTICSEARCHTRACER: "http://u:hunter3@[bad",
    };
    const issues = errors(await issuesWith(env));
    expect(issues.map((issue) => issue.key)).toEqual(["Pubsub.ElasticSearchTracer", "Wallet.RemoteBackend"]);
    const text = JSON.stringify(issues);
    expect(text).toContain("LOTUS_WALLET_REMOTEBACKEND");
    expect(text).not.toContain("hunter");
  });
});

describe("lotus: validate and status through the CLI read the environment they run in", () => {
  beforeEach(() => {
    mkdirSync(join(root, ".lotus"));
    copyFileSync(FIXTURE, join(root, ".lotus/config.toml"));
  });

  test("validate fails on LOTUS_API_LISTENADDRESS=garbage and passes without it", async () => {
    expect((await runCli(["validate", "lotus"], { root })).code).toBe(0);
    const env = cleanEnv(root, { LOTUS_API_LISTENADDRESS: "garbage" });
    const ran = await runCli(["validate", "lotus"], { root, env });
    expect(ran.code).toBe(1);
    expect(ran.stdout + ran.stderr).toContain("with LOTUS_API_LISTENADDRESS from this environment");
  });

  test("status reports it too", async () => {
    const env = cleanEnv(root, { LOTUS_LIBP2P_CONNMGRLOW: "many" });
    const ran = await runCli(["status", "--json"], { root, env });
    expect(ran.code).toBe(1);
    expect(ran.stdout).toContain("LOTUS_LIBP2P_CONNMGRLOW in this environment");
  });
});
