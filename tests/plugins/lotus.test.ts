import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { format as toml } from "../../core/formats/toml.ts";
import { filProblem } from "../../plugins/_lotus-options.ts";
import { repairLotusConfig } from "../../plugins/_lotus-repair.ts";
import { parsePythonLiteral, PythonFloat } from "../../plugins/_python-literal.ts";
import { LOTUS_DEFAULT_CONFIG } from "../../plugins/_lotus-template.ts";
import lotus from "../../plugins/lotus.ts";
import { cleanEnv, FIXTURES, kitcfg, runCli, tempDir } from "../helpers.ts";

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

const FIXTURE = join(FIXTURES, "lotus/default-lotus-config.toml");
const file = () => join(root, ".lotus/config.toml");

/** The lines of `after` that differ from `before` (same line count expected). */
function changedLines(before: string, after: string): string[] {
  const old = before.split("\n");
  const now = after.split("\n");
  expect(now.length).toBe(old.length);
  return now.filter((line, i) => line !== old[i]);
}

describe("lotus plugin", () => {
  test("configure writes lotus's own commented default file, byte for byte, and it validates", async () => {
    expect((await runCli(["configure", "lotus"], { root })).code).toBe(0);
    expect(readFileSync(file(), "utf8")).toBe(readFileSync(FIXTURE, "utf8"));
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    expect((await runCli(["validate", "lotus"], { root })).code).toBe(0);
  });

  test("the built-in template is the fixture, and its parse is the plugin's defaults", () => {
    expect(LOTUS_DEFAULT_CONFIG).toBe(readFileSync(FIXTURE, "utf8"));
    expect(JSON.parse(JSON.stringify(toml.parse(LOTUS_DEFAULT_CONFIG)))).toEqual(lotus.defaults({} as never) as object);
  });

  test("the upstream fixture validates as lotus wrote it (0644, no secrets in it)", async () => {
    mkdirSync(join(root, ".lotus"));
    copyFileSync(FIXTURE, file());
    const ran = await runCli(["validate", "lotus"], { root });
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
  });

  test("setting API.ListenAddress uncomments its line in place, and unsetting it restores the fixture bytes", async () => {
    mkdirSync(join(root, ".lotus"));
    copyFileSync(FIXTURE, file());
    const original = readFileSync(file(), "utf8");
    expect((await runCli(["update", "lotus", "--set", "API.ListenAddress=/ip4/0.0.0.0/tcp/2345/http"], { root })).code).toBe(0);
    expect(changedLines(original, readFileSync(file(), "utf8"))).toEqual(['  ListenAddress = "/ip4/0.0.0.0/tcp/2345/http"']);
    expect((await runCli(["update", "lotus", "--unset", "API.ListenAddress"], { root })).code).toBe(0);
    expect(readFileSync(file(), "utf8")).toBe(original);
  });

  test("update of a nested key changes only its line; values keep their TOML types", async () => {
    await runCli(["configure", "lotus"], { root });
    const original = readFileSync(file(), "utf8");
    const ran = await runCli(
      ["update", "lotus", "--set", "Chainstore.Splitstore.HotStoreMaxSpaceTarget=18446744073709551615", "--set", "Libp2p.ConnMgrGrace=1m0s", "--set", "Fevm.EnableEthRPC=true", "--set", "ChainIndexer.EnableIndexer=true"],
      { root },
    );
    expect(ran.code).toBe(0);
    expect(changedLines(original, readFileSync(file(), "utf8"))).toEqual([
      '  ConnMgrGrace = "1m0s"',
      "    HotStoreMaxSpaceTarget = 18446744073709551615",
      "  EnableEthRPC = true",
      "  EnableIndexer = true",
    ]);
    expect((await runCli(["get", "lotus", "Chainstore.Splitstore.HotStoreMaxSpaceTarget"], { root })).stdout).toBe("18446744073709551615\n");
    expect((await runCli(["validate", "lotus"], { root })).code).toBe(0);
  });

  test("FIL, duration, multiaddr and integer refusals say what is wrong, and the file stays byte-identical", async () => {
    await runCli(["configure", "lotus"], { root });
    const original = readFileSync(file(), "utf8");
    const cases: [string, string][] = [
      ["Fees.DefaultMaxFee=0.07 FLT", 'Cannot set "Fees.DefaultMaxFee" for lotus: "0.07 FLT" is not a FIL amount: unknown unit'],
      ["Fees.DefaultMaxFee=0.0000000000000000001", "not a whole number of attoFIL"],
      ["API.Timeout=30 seconds", 'Cannot set "API.Timeout" for lotus: "30 seconds" is not a Go duration'],
      ["API.ListenAddress=/ip4/127.0.0.1/tcp/99999/http", 'Cannot set "API.ListenAddress" for lotus: "/ip4/127.0.0.1/tcp/99999/http" is not a multiaddr: tcp "99999": not a port number'],
      ["API.ListenAddress=/ip4/127.0.0.1/udp/1234", "has no TCP port or unix path to listen on"],
      ['Libp2p.ListenAddresses=["/ip4/0.0.0.0/tcp/0","/ip9/x"]', 'item 1 "/ip9/x" is not a multiaddr: unknown protocol "ip9"'],
      ["Libp2p.ConnMgrLow=-5", 'Cannot set "Libp2p.ConnMgrLow" for lotus: expected an unsigned integer'],
      ["Chainstore.Splitstore.ColdStoreType=cold", 'expected one of "discard", "messages", "universal"'],
      ["Fevm.EnableEthRPC=true", '"Fevm.EnableEthRPC" for lotus: needs ChainIndexer.EnableIndexer = true'],
    ];
    for (const [set, message] of cases) {
      const ran = await runCli(["update", "lotus", "--set", set], { root });
      expect({ set, code: ran.code }).toEqual({ set, code: 1 });
      expect(ran.stderr).toContain(message);
      expect(readFileSync(file(), "utf8")).toBe(original);
    }
  });

  test("a config.toml without EnableSplitstore is refused the way lotus refuses it", async () => {
    mkdirSync(join(root, ".lotus"));
    writeFileSync(file(), readFileSync(FIXTURE, "utf8").replace("  EnableSplitstore = true\n", "  #EnableSplitstore = true\n"));
    const ran = await runCli(["validate", "lotus"], { root });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('"Chainstore.EnableSplitstore": is missing: a full node refuses a config.toml without an explicit EnableSplitstore line');
    // Set as a dotted key it parses the same, but lotus's line check does not see it.
    writeFileSync(file(), "Chainstore.EnableSplitstore = true\n");
    const dotted = await runCli(["validate", "lotus"], { root });
    expect(dotted.code).toBe(1);
    expect(dotted.stderr).toContain('not on a line that starts with "EnableSplitstore ="');
  });

  test("show hides the wallet backend token; unknown keys are warnings, as lotus ignores them", async () => {
    await runCli(["configure", "lotus"], { root });
    const token = "eyJhbGciOiJIUzI1NiJ9.kitcfg-test-token";
    expect((await runCli(["update", "lotus", "--set", `Wallet.RemoteBackend=${token}:/ip4/127.0.0.1/tcp/1777/http`], { root })).code).toBe(0);
    for (const args of [["show", "lotus"], ["show", "lotus", "--json"], ["get", "lotus", "Wallet.RemoteBackend"]]) {
      const ran = await runCli(args, { root });
      expect(ran.stdout + ran.stderr).not.toContain(token);
      // show redacts; get refuses a secret (exit 1) unless --reveal.
      if (args[0] === "show") expect(ran.stdout).toContain("<redacted>");
      else expect(ran.code).toBe(1);
    }
    writeFileSync(file(), `${readFileSync(file(), "utf8")}\n[Client]\n  UseIpfs = true\n`);
    const ran = await runCli(["validate", "lotus"], { root });
    expect(ran.code).toBe(0);
    expect(ran.stderr).toContain('"Client": is not a Lotus option here: lotus ignores it');
  });

  test("LOTUS_PATH moves the repo, as lotus does", () => {
    const env = cleanEnv(root, { LOTUS_PATH: join(root, "data/lotus") });
    expect(kitcfg(["configure", "lotus"], { root, env }).code).toBe(0);
    expect(readFileSync(join(root, "data/lotus/config.toml"), "utf8")).toBe(readFileSync(FIXTURE, "utf8"));
    expect(kitcfg(["env", "lotus"], { root, env }).stdout).toBe(`export LOTUS_PATH='${join(root, "data/lotus")}'\n`);
  });

  test("a daemon holding repo.lock is reported as running; a stale api file alone is not", async () => {
    await runCli(["configure", "lotus"], { root });
    const dir = join(root, ".lotus");
    writeFileSync(join(dir, "api"), "/ip4/127.0.0.1/tcp/1234/http");
    const stale = await runCli(["update", "lotus", "--set", "Backup.DisableMetadataLog=false", "--json"], { root });
    expect(JSON.parse(stale.stdout).restart).toBeUndefined();
    writeFileSync(join(dir, "repo.lock"), "");
    const holder = Bun.spawn(["flock", join(dir, "repo.lock"), "-c", "echo locked; exec sleep 30"], { stdout: "pipe" });
    try {
      await new Response(holder.stdout).body!.getReader().read(); // "locked": the lock is taken
      const ran = await runCli(["update", "lotus", "--set", "Backup.DisableMetadataLog=true", "--json"], { root });
      expect(JSON.parse(ran.stdout).restart).toBe(`lotus is running (it holds ${dir}/repo.lock; API at /ip4/127.0.0.1/tcp/1234/http): restart it to apply the change`);
    } finally {
      holder.kill();
      await holder.exited;
    }
  });
});

describe("filProblem", () => {
  test("accepts what lotus's ParseFIL accepts and refuses the rest", () => {
    const ok = ["0.07 FIL", "0.07FIL", "1", "1.", ".5 fil", "70000000000000000 attoFIL", "7 aFIL ", "-1 FIL", "0.000000000000000001", "1.000 afil"];
    for (const text of ok) expect({ text, problem: filProblem(text) }).toEqual({ text, problem: undefined });
    const bad: [string, string][] = [
      ["1 FILX", "unknown unit"],
      ["FIL", "expected a decimal number"],
      ["1.2.3", "expected a decimal number"],
      ["1e3 FIL", "unknown unit"],
      [" 1 FIL", "unknown unit"],
      ["0.0000000000000000001", "not a whole number of attoFIL"],
      ["1.5 aFIL", "not a whole number of attoFIL"],
      [`${"1".repeat(51)} FIL`, "more than 50 characters"],
    ];
    for (const [text, reason] of bad) expect(filProblem(text)).toContain(reason);
  });
});

describe("parsePythonLiteral", () => {
  test("reads what repr() writes", () => {
    const cases: [string, unknown][] = [
      ["True", true],
      ["None", null],
      ["-42", -42],
      ["18446744073709551615", 18446744073709551615n],
      ["1.5e-05", 1.5e-5],
      ["'it\\'s'", "it's"],
      ['"it\'s"', "it's"],
      [String.raw`'tab\there\x41\u00e9\\'`, "tab\there\x41\u00e9\\"],
      ["['a', 1, (2, 3)]", ["a", 1, [2, 3]]],
      ["{'A': {'b': False}, 1: 'x'}", { A: { b: false }, 1: "x" }],
      ["[]", []],
    ];
    for (const [text, value] of cases) expect({ text, value: parsePythonLiteral(text) }).toEqual({ text, value });
    expect(parsePythonLiteral("inf")).toBeInstanceOf(PythonFloat);
    for (const bad of ["true", "'open", "[1, 2", "{'a' 1}", "1 2"]) expect(() => parsePythonLiteral(bad)).toThrow();
  });
});

describe("repairLotusConfig", () => {
  const base = "[API]\n  #ListenAddress = \"/ip4/127.0.0.1/tcp/1234/http\"\n\n[Chainstore]\n  EnableSplitstore = true\n";

  test("gives back the text before the block and the settings it meant; values never appear in the fixes", () => {
    const text = `${base}\n# Updated by daemon_config_manager\nListenAddress = '/ip4/0.0.0.0/tcp/1/http'\nWallet = {'RemoteBackend': 'tok:/ip4/1.2.3.4/tcp/1/http'}\nTimeout = 30\nFoo = True\n`;
    const result = repairLotusConfig(text, "/x/config.toml");
    expect(result.texts).toEqual({ config: base });
    expect(result.set).toEqual({ "API.ListenAddress": "/ip4/0.0.0.0/tcp/1/http", "Wallet.RemoteBackend": "tok:/ip4/1.2.3.4/tcp/1/http" });
    expect(result.fixes.slice(0, 4)).toEqual([
      'moved "ListenAddress" (line 8) to API.ListenAddress',
      'moved "Wallet.RemoteBackend" (line 9) to Wallet.RemoteBackend',
      'could not place "Timeout" (line 10): its value does not fit API.Timeout',
      'could not place "Foo" (line 11): it is not a Lotus option',
    ]);
    expect(result.fixes.join("\n")).not.toContain("tok:");
  });

  test("a file without the older tool's marker has nothing to repair; someone else's line after it stops the repair", () => {
    expect(repairLotusConfig(base, "/x/config.toml")).toEqual({ texts: {}, fixes: [] });
    expect(repairLotusConfig(undefined, "/x/config.toml")).toEqual({ texts: {}, fixes: [] });
    expect(() => repairLotusConfig(`${base}\n# Updated by daemon_config_manager\n[Extra]\n`, "/x/config.toml")).toThrow('line 8 follows "# Updated by daemon_config_manager"');
  });
});
