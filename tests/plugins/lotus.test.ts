import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { format as toml } from "../../core/formats/toml.ts";
import { floatLiteralIssues } from "../../plugins/lotus/keys.ts";
import { filProblem } from "../../plugins/lotus/options.ts";
import { blake2b, filecoinAddressProblem } from "../../plugins/lotus/address.ts";
import { repairLotusConfig } from "../../plugins/lotus/repair.ts";
import { parsePythonLiteral, PythonFloat } from "../../sdk/python-literal.ts";
import { goTomlValueProblems } from "../../sdk/toml.ts";
import { LOTUS_DEFAULT_CONFIG } from "../../plugins/lotus/template.ts";
import lotus from "../../plugins/lotus.ts";
import { cleanEnv, FIXTURES, kitcfg, runCli, tempDir } from "../helpers.ts";
import { LOTUS_REFUSED, PEER } from "./_load-rules.ts";

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

  test(
    "setting API.ListenAddress uncomments its line in place, " + "and unsetting it restores the fixture bytes",
    async () => {
      mkdirSync(join(root, ".lotus"));
      copyFileSync(FIXTURE, file());
      const original = readFileSync(file(), "utf8");
      expect(
        (await runCli(["update", "lotus", "--set", "API.ListenAddress=/ip4/0.0.0.0/tcp/2345/http"], { root })).code,
      ).toBe(0);
      expect(changedLines(original, readFileSync(file(), "utf8"))).toEqual([
        '  ListenAddress = "/ip4/0.0.0.0/tcp/2345/http"',
      ]);
      expect((await runCli(["update", "lotus", "--unset", "API.ListenAddress"], { root })).code).toBe(0);
      expect(readFileSync(file(), "utf8")).toBe(original);
    },
  );

  test("update of a nested key changes only its line; values keep their TOML types", async () => {
    await runCli(["configure", "lotus"], { root });
    const original = readFileSync(file(), "utf8");
    const ran = await runCli(
      [
        "update",
        "lotus",
        "--set",
        "Chainstore.Splitstore.HotStoreMaxSpaceTarget=9223372036854775807",
        "--set",
        "Libp2p.ConnMgrGrace=1m0s",
        "--set",
        "Fevm.EnableEthRPC=true",
        "--set",
        "ChainIndexer.EnableIndexer=true",
      ],
      { root },
    );
    expect(ran.code).toBe(0);
    expect(changedLines(original, readFileSync(file(), "utf8"))).toEqual([
      '  ConnMgrGrace = "1m0s"',
      "    HotStoreMaxSpaceTarget = 9223372036854775807",
      "  EnableEthRPC = true",
      "  EnableIndexer = true",
    ]);
    expect((await runCli(["get", "lotus", "Chainstore.Splitstore.HotStoreMaxSpaceTarget"], { root })).stdout).toBe(
      "9223372036854775807\n",
    );
    expect((await runCli(["validate", "lotus"], { root })).code).toBe(0);
  });

  test("every value lotus refuses at load is refused by update --set, and the file stays byte-identical", async () => {
    await runCli(["configure", "lotus"], { root });
    const original = readFileSync(file(), "utf8");
    for (const [sets, message, upstream] of LOTUS_REFUSED) {
      const ran = await runCli(["update", "lotus", ...sets.flatMap((set) => ["--set", set])], { root });
      expect({ sets, upstream, code: ran.code }).toEqual({ sets, upstream, code: 1 });
      expect(ran.stderr).toContain(message);
      expect(readFileSync(file(), "utf8")).toBe(original);
    }
  });

  // Hand-written files: what lotus refuses but the parsed config alone does not show.
  const HAND_WRITTEN: [text: string, message: string, upstream: string][] = [
    [
      "[Libp2p]\n  ConnMgrHigh = 5.0\n",
      '"Libp2p.ConnMgrHigh": is the TOML float 5.0: lotus reads an integer here',
      "BurntSushi/toml decode.go unifyInt (float into int)",
    ],
    [
      "[Events]\n  MaxFilters = 1e3\n",
      '"Events.MaxFilters": is the TOML float 1e3',
      "BurntSushi/toml decode.go unifyInt",
    ],
    [
      '[libp2p]\n  connmgrlow = "abc"\n',
      '"libp2p.connmgrlow": (read as Libp2p.ConnMgrLow): expected an unsigned integer',
      "BurntSushi/toml decode.go unifyStruct (strings.EqualFold)",
    ],
    [
      '[pubsub]\n  directpeers = ["/ip4/1.2.3.4/tcp/1"]\n',
      '"Pubsub.DirectPeers": item 0',
      "BurntSushi/toml decode.go unifyStruct; node/modules/lp2p/pubsub.go",
    ],
    [
      "[Fevm]\n  enableethrpc = true\n",
      '"Fevm.EnableEthRPC": needs ChainIndexer.EnableIndexer = true',
      "decode.go unifyStruct; node/builder_chain.go",
    ],
    [
      "[ChainIndexer]\n  EnableIndexer = true\n  GCRetentionEpochs = 100\n",
      "must be 0 or at least 2880",
      "chain/index/indexer.go NewSqliteIndexer",
    ],
    [
      "[Events]\n  MaxFilters = 9223372036854775808\n",
      "expected an integer from -9223372036854775808 to 9223372036854775807",
      "BurntSushi/toml parse.go valueInteger",
    ],
    ["[Logging.SubsystemLevels]\n  rpc = 5\n", "", "BurntSushi/toml decode.go unifyString (map[string]string)"],
    [
      // strings.EqualFold folds U+017F to "s": lotus reads this key as ListenAddresses.
      '[Libp2p]\n  "ListenAddre\u017f\u017fes" = ["/ip4/0.0.0.0/udp/4001"]\n',
      '"Libp2p.ListenAddresses": no address has a transport lotus listens with',
      "BurntSushi/toml decode.go unifyStruct (strings.EqualFold); go-libp2p swarm Listen",
    ],
    // A struct takes a table only: an array of tables, or any array, fails the decode.
    ['[[API]]\n  Timeout = "30s"\n', '"API": expected a table, got an array', "BurntSushi/toml decode.go unifyStruct"],
    [
      "  Splitstore = []\n",
      '"Chainstore.Splitstore": expected a table, got an array',
      "BurntSushi/toml decode.go unifyStruct",
    ],
    [
      '[[Chainstore.Splitstore]]\n  ColdStoreType = "discard"\n',
      '"Chainstore.Splitstore": expected a table, got an array',
      "BurntSushi/toml decode.go unifyStruct",
    ],
    // A table in another case is still lotus's: its values are decoded with their types.
    [
      '[libp2p]\n  ConnMgrLow = "abc"\n',
      '"libp2p.ConnMgrLow": (read as Libp2p.ConnMgrLow): expected an unsigned integer',
      "BurntSushi/toml decode.go unifyStruct (strings.EqualFold), unifyInt",
    ],
    // Two spellings of a table are both decoded into it; of two values, both are decoded.
    [
      '[Libp2p]\n  ConnMgrLow = 5\n[libp2p]\n  ConnMgrGrace = "5x"\n',
      '"Libp2p.ConnMgrGrace": "5x" is not a Go duration',
      "BurntSushi/toml decode.go unifyStruct (every key of the table); node/config/def.go Duration.UnmarshalText",
    ],
    [
      '[Libp2p]\n  ConnMgrGrace = "1s"\n  connmgrgrace = "5x"\n',
      '"Libp2p.connmgrgrace": "5x" is not a Go duration',
      "BurntSushi/toml decode.go unifyStruct; node/config/def.go Duration.UnmarshalText",
    ],
  ];

  test("hand-written values lotus refuses fail validate (exit 1), each with its message", async () => {
    mkdirSync(join(root, ".lotus"));
    for (const [text, message, upstream] of HAND_WRITTEN) {
      writeFileSync(file(), `[Chainstore]\n  EnableSplitstore = true\n${text}`);
      const ran = await runCli(["validate", "lotus"], { root });
      expect({ text, upstream, code: ran.code }).toEqual({ text, upstream, code: 1 });
      expect(ran.stderr).toContain(message);
    }
  });

  test("a negative number in an unsigned option is a warning: lotus reads it wrapped, and starts", async () => {
    // BurntSushi/toml decode.go unifyInt checks the sign for uint8/16/32 only: uint, uint64 take uint64(num).
    mkdirSync(join(root, ".lotus"));
    writeFileSync(
      file(),
      "[Chainstore]\n  EnableSplitstore = true\n[Libp2p]\n  ConnMgrLow = -5\n[Events]\n  MaxFilterHeightRange = -1\n",
    );
    const ran = await runCli(["validate", "lotus"], { root });
    expect(ran.code).toBe(0);
    expect(ran.stderr).toContain('"Libp2p.ConnMgrLow": -5 is read by lotus as 18446744073709551611');
    expect(ran.stderr).toContain('"Events.MaxFilterHeightRange": -1 is read by lotus as 18446744073709551615');
  });

  test("Logging.SubsystemLevels that is no table is a warning: lotus's TOML decoder skips it and starts", async () => {
    // BurntSushi/toml v1.6.0 decode.go unifyMap: a value that is not a table returns nil (no error).
    mkdirSync(join(root, ".lotus"));
    const validate = async (body: string) => {
      writeFileSync(file(), `[Chainstore]\n  EnableSplitstore = true\n${body}`);
      return runCli(["validate", "lotus"], { root });
    };
    for (const value of ['"debug"', "3", "true", "[]", '["rpc"]', '[{ rpc = "debug" }]']) {
      const ran = await validate(`[Logging]\n  SubsystemLevels = ${value}\n`);
      expect({ value, code: ran.code }).toEqual({ value, code: 0 });
      expect(ran.stderr).toContain('"Logging.SubsystemLevels": is not a table: lotus\'s TOML decoder skips it');
    }
    const tables = await validate('[[Logging.SubsystemLevels]]\n  rpc = "debug"\n');
    expect(tables.code).toBe(0);
    expect(tables.stderr).toContain("is not a table");
    // Read but skipped: an integer past int64 in it still fails the parse (parse.go valueInteger).
    const huge = await validate("[Logging]\n  SubsystemLevels = [9223372036854775808]\n");
    expect(huge.code).toBe(1);
    expect(huge.stderr).toContain("holds an integer past int64");
  });

  test("a bare TOML number for a FIL amount is read as lotus's TOML reader reads it: as its text", async () => {
    // BurntSushi/toml decode.go unifyText hands UnmarshalText an integer as %d and a float as
    // %f; chain/types/fil.go ParseFIL then reads the text (no suffix: FIL).
    mkdirSync(join(root, ".lotus"));
    const validate = async (value: string) => {
      writeFileSync(file(), `[Chainstore]\n  EnableSplitstore = true\n[Fees]\n  DefaultMaxFee = ${value}\n`);
      return runCli(["validate", "lotus"], { root });
    };
    for (const value of ["1", "0", "-3", "0.07", "1e-7", "1e40", "9223372036854775807", '"5"']) {
      const ran = await validate(value);
      expect({ value, code: ran.code, stderr: ran.stderr }).toEqual({ value, code: 0, stderr: "" });
    }
    const refused: [string, string][] = [
      // %f of 1e60 is 61 digits and ".000000": ParseFIL refuses over 50 characters.
      ["1e60", 'is read by lotus as the text "999999999999999949387135297074018866963645011013410073083904.000000"'],
      ["nan", 'NaN is read by lotus as the text "NaN", which is not a FIL amount: unknown unit "NaN"'],
      ["-inf", '-Infinity is read by lotus as the text "-Inf", which is not a FIL amount: unknown unit "Inf"'],
      // An integer past int64 fails BurntSushi/toml's parse of the whole file.
      ["9223372036854775808", "9223372036854775808 is beyond the 64-bit integers lotus's TOML reader takes"],
      ["true", 'expected a FIL amount: a string such as "0.07 FIL", or a number'],
      ["[1]", 'expected a FIL amount: a string such as "0.07 FIL", or a number'],
    ];
    for (const [value, message] of refused) {
      const ran = await validate(value);
      expect({ value, code: ran.code }).toEqual({ value, code: 1 });
      expect(ran.stderr).toContain(message);
    }
    // --set text stays a string, as lotus writes these; a float it would round is not written.
    await runCli(["configure", "lotus", "--force"], { root });
    expect((await runCli(["update", "lotus", "--set", "Fees.DefaultMaxFee=5"], { root })).code).toBe(0);
    expect(readFileSync(file(), "utf8")).toContain('  DefaultMaxFee = "5"\n');
    const tiny = await runCli(["update", "lotus", "--set", "Fees.DefaultMaxFee=1e-19"], { root });
    expect(tiny.code).toBe(1);
    expect(tiny.stderr).toContain('"1e-19" is not a FIL amount');
  });

  test("a float in the file is reported only while the configuration checked still holds its value", async () => {
    // A planned change checked against the file on disk: the value it replaces is no issue of its.
    const text = "[Libp2p]\n  ConnMgrHigh = 180.0\n[API]\n  Timeout = 0.0\n";
    const held = await floatLiteralIssues(text, { Libp2p: { ConnMgrHigh: 180 }, API: { Timeout: 0 } });
    expect(held.map((issue) => issue.key)).toEqual(["Libp2p.ConnMgrHigh", "API.Timeout"]);
    expect(await floatLiteralIssues(text, { Libp2p: { ConnMgrHigh: 200 }, API: { Timeout: "30s" } })).toEqual([]);
  });

  test("a bare TOML number for a Duration: only the integer 0 is one once lotus's TOML reader makes text", async () => {
    // BurntSushi/toml decode.go unifyText: an integer as %d ("0" is the one Go duration
    // without a unit, time.ParseDuration), a float as %f ("0.000000": "missing unit").
    mkdirSync(join(root, ".lotus"));
    const validate = async (value: string) => {
      writeFileSync(file(), `[Chainstore]\n  EnableSplitstore = true\n[API]\n  Timeout = ${value}\n`);
      return runCli(["validate", "lotus"], { root });
    };
    for (const value of ["0", "-0", "+0", "0x0", '"0"', '"30s"']) {
      const ran = await validate(value);
      expect({ value, code: ran.code, stderr: ran.stderr }).toEqual({ value, code: 0, stderr: "" });
    }
    const refused: [string, string][] = [
      ["0.0", "is the number 0 written as the TOML float 0.0: lotus reads the integer 0 as a duration"],
      ["0e0", "is the number 0 written as the TOML float 0e0"],
      ["30", '30 is read by lotus as the text "30", which is not a Go duration: give a unit in a string'],
      ["1.5", '1.5 is read by lotus as the text "1.500000", which is not a Go duration'],
      ["true", 'expected a Go duration: a string such as "30s" or "1h0m0s"'],
    ];
    for (const [value, message] of refused) {
      const ran = await validate(value);
      expect({ value, code: ran.code }).toEqual({ value, code: 1 });
      expect(ran.stderr).toContain(`"API.Timeout": ${message}`);
    }
    // An inline table or a dotted key is read as a table is: the integer 0 passes, the float not.
    const elsewhere: [body: string, code: number, message: string][] = [
      ["API = { Timeout = 0.0 }", 1, '"API.Timeout": is the number 0 written as a TOML float: lotus reads'],
      ["API.Timeout = 0.0", 1, '"API.Timeout": is the number 0 written as a TOML float'],
      ["API = { Timeout = 0 }", 0, ""],
      ["api.timeout = 0", 0, '"api.timeout": is read by lotus as API.Timeout'],
      ["Libp2p = { ConnMgrHigh = 5e2 }", 1, '"Libp2p.ConnMgrHigh": is a TOML float (500, written with a fraction'],
      ["Libp2p.ConnMgrHigh = 500.0", 1, '"Libp2p.ConnMgrHigh": is a TOML float (500,'],
      ["Libp2p = { ConnMgrHigh = 500 }", 0, ""],
    ];
    for (const [body, code, message] of elsewhere) {
      writeFileSync(file(), `${body}\n[Chainstore]\n  EnableSplitstore = true\n`);
      const ran = await runCli(["validate", "lotus"], { root });
      expect({ body, code: ran.code }).toEqual({ body, code });
      expect(ran.stderr).toContain(message);
    }
  });

  test("a real option of every section lotus reads is accepted, the peer lists included", async () => {
    await runCli(["configure", "lotus"], { root });
    const peer = PEER;
    const sets = [
      "API.ListenAddress=/ip4/0.0.0.0/tcp/2345/http",
      "Backup.DisableMetadataLog=true",
      // zap reads "" as info and lowers "İ" to "i" as Go does.
      'Logging.SubsystemLevels={"rpc":"warn","chain":"","net":"\u0130NFO"}',
      // go-multiaddr reads an address without the slashes it ends with (codec.go stringToBytes).
      `Libp2p.BootstrapPeers=["/ip4/1.2.3.4/tcp/1347/p2p/${peer}//","/dnsaddr/bootstrap.filecoin.example"]`,
      `Libp2p.ProtectedPeers=["${peer}"]`,
      "Libp2p.ConnMgrHigh=9223372036854775807",
      "Libp2p.ConnMgrGrace=-0s",
      // Address masks are read by NewMask (net.ParseCIDR), which takes an IPv6 range under /ip4.
      'Libp2p.NoAnnounceAddresses=["/ip4/::/ipcidr/0","/ip4/1.2.3.4/tcp/4001"]',
      `Pubsub.DirectPeers=["/ip4/1.2.3.4/tcp/1347/p2p/${peer}"]`,
      'Pubsub.IPColocationWhitelist=["10.0.0.0/8","fd00::/8","192.168.0.0/0016"]',
      `Pubsub.RemoteTracer=/ip4/1.2.3.4/tcp/4001/p2p/${peer}`,
      "Wallet.EnableLedger=true",
      "Wallet.RemoteBackend=TOKEN:/ip4/127.0.0.1/tcp/1777/http",
      "Fees.DefaultMaxFee=0.07 FIL",
      "Chainstore.Splitstore.ColdStoreType=discard",
      "Chainstore.Splitstore.MarkSetType=badger",
      "ChainIndexer.EnableIndexer=true",
      "ChainIndexer.GCRetentionEpochs=5760",
      "Fevm.EnableEthRPC=true",
      "Fevm.EthBlkCacheSize=-1",
      "Events.FilterTTL=48h0m0s",
      "FaultReporter.EnableConsensusFaultReporter=true",
      "FaultReporter.ConsensusFaultReporterAddress=f17uoq6tp427uzv7fztkbsnn64iwotfrristwpryy",
      "PaymentChannels.EnablePaymentChannelManager=true",
    ];
    const ran = await runCli(["update", "lotus", ...sets.flatMap((set) => ["--set", set])], { root });
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    const text = readFileSync(file(), "utf8");
    expect(text).toContain(
      `  BootstrapPeers = ["/ip4/1.2.3.4/tcp/1347/p2p/${peer}//", "/dnsaddr/bootstrap.filecoin.example"]\n`,
    );
    expect(text).toContain('  IPColocationWhitelist = ["10.0.0.0/8", "fd00::/8", "192.168.0.0/0016"]\n');
    const valid = await runCli(["validate", "lotus"], { root });
    expect(valid.stderr).toBe("");
    expect(valid.code).toBe(0);
  });

  test("a store type lotus lacks is refused with the splitstore on, and only a warning with it off", async () => {
    await runCli(["configure", "lotus"], { root });
    const set = ["--set", "Chainstore.Splitstore.MarkSetType=bloom"];
    expect((await runCli(["update", "lotus", ...set], { root })).code).toBe(1);
    const off = await runCli(["update", "lotus", "--set", "Chainstore.EnableSplitstore=false", ...set], { root });
    expect(off.code).toBe(0);
    expect(off.stderr).toContain(
      '"bloom" is not a choice lotus has: expected one of "map", "badger" (unused while Chainstore.EnableSplitstore',
    );
  });

  test("a listen address no transport takes is a warning while another one listens, as lotus skips it", async () => {
    await runCli(["configure", "lotus"], { root });
    const set = 'Libp2p.ListenAddresses=["/ip4/0.0.0.0/udp/4001","/ip4/0.0.0.0/tcp/4001"]';
    const ran = await runCli(["update", "lotus", "--set", set], { root });
    expect(ran.code).toBe(0);
    expect(ran.stderr).toContain('"/ip4/0.0.0.0/udp/4001" has no transport lotus listens with, so lotus skips it');
  });

  test(
    "an integer option hand-written as a float fails validate, " + "and update writes it back as an integer",
    async () => {
      await runCli(["configure", "lotus"], { root });
      writeFileSync(file(), readFileSync(file(), "utf8").replace("  #ConnMgrHigh = 180\n", "  ConnMgrHigh = 180.0\n"));
      const bad = await runCli(["validate", "lotus"], { root });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('"Libp2p.ConnMgrHigh": is the TOML float 180.0');
      expect((await runCli(["update", "lotus", "--set", "Libp2p.ConnMgrHigh=200"], { root })).code).toBe(0);
      expect(readFileSync(file(), "utf8")).toContain("\n  ConnMgrHigh = 200\n");
      expect((await runCli(["validate", "lotus"], { root })).code).toBe(0);
    },
  );

  test(
    "hand-written peer lists are read, not called ignored; " + "a key in another case is read as lotus's own",
    async () => {
      mkdirSync(join(root, ".lotus"));
      const peer = PEER;
      writeFileSync(
        file(),
        `[Chainstore]\n  EnableSplitstore = true\n[Libp2p]\n  ProtectedPeers = ["${peer}"]\n[Pubsub]\n` +
          `  DirectPeers = ["/ip4/1.2.3.4/tcp/1/p2p/${peer}"]\n[fees]\n  defaultmaxfee = "1 FIL"\n`,
      );
      const ran = await runCli(["validate", "lotus"], { root });
      expect(ran.code).toBe(0);
      expect(ran.stderr).not.toContain("ignores it");
      expect(ran.stderr).toContain('"fees.defaultmaxfee": is read by lotus as Fees.DefaultMaxFee');
    },
  );

  test("a config.toml without EnableSplitstore is refused the way lotus refuses it", async () => {
    mkdirSync(join(root, ".lotus"));
    writeFileSync(
      file(),
      readFileSync(FIXTURE, "utf8").replace("  EnableSplitstore = true\n", "  #EnableSplitstore = true\n"),
    );
    const ran = await runCli(["validate", "lotus"], { root });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain(
      '"Chainstore.EnableSplitstore": is missing: ' +
        "a full node refuses a config.toml without an explicit EnableSplitstore line",
    );
    // Set as a dotted key it parses the same, but lotus's line check does not see it.
    writeFileSync(file(), "Chainstore.EnableSplitstore = true\n");
    const dotted = await runCli(["validate", "lotus"], { root });
    expect(dotted.code).toBe(1);
    expect(dotted.stderr).toContain('not on a line that starts with "EnableSplitstore ="');
  });

  // filecoin-project/lotus node/config/load_test.go TestValidateSplitstoreSet (l. 67-93): lotus matches the raw
  // text with `(?m)^\s*EnableSplitstore\s*=` (load.go l. 238) and nothing else, Go's `\s` and `^` being ASCII only.
  const SPLITSTORE_LINES: [text: string, code: number, source: string][] = [
    [" \n\t\tEnableSplitstore = false\n\t\t", 0, "load_test.go l. 68 cfgSet (a top-level line)"],
    ["\n\t\t           \tEnableSplitstore          =   \ttrue\t\n\t", 0, "load_test.go l. 72 cfgSloppySet"],
    ['[API]\n  Timeout = "10s"\n  EnableSplitstore = false\n', 0, "a line in another table passes the check"],
    [
      " \n\t[Chainstore]\n\t  # env var: LOTUS_CHAINSTORE_ENABLESPLITSTORE\n\t  # oops its missing\n\n" +
        '\t[Chainstore.Splitstore]\n    \tColdStoreType = "discard"\n\t',
      1,
      "load_test.go l. 78 cfgMissing (its comments shortened)",
    ],
    ["\n\t\t\t\t#    EnableSplitstore = false\n\t", 1, "load_test.go l. 90 cfgCommentedOut"],
    ['[API]\n  RemoteListenAddress = """\n\u00a0EnableSplitstore = true"""\n', 1, "U+00A0 is no space to Go's \\s"],
    ['[API]\n  RemoteListenAddress = "x\u2028EnableSplitstore = true"\n', 1, "Go's (?m)^ follows \\n only"],
  ];
  for (const [text, code, source] of SPLITSTORE_LINES) {
    test(`validate judges the EnableSplitstore line as lotus does: ${source}`, async () => {
      mkdirSync(join(root, ".lotus"));
      writeFileSync(file(), text);
      const ran = await runCli(["validate", "lotus"], { root });
      expect(ran.code).toBe(code);
      if (code === 1) expect(ran.stderr).toContain('"Chainstore.EnableSplitstore": is missing');
    });
  }

  test("a byte that is not UTF-8, even in a comment, is refused: lotus's TOML lexer stops on it", async () => {
    mkdirSync(join(root, ".lotus"));
    const fixture = readFileSync(FIXTURE);
    writeFileSync(file(), Buffer.concat([Buffer.from("# caf\xe9\n", "latin1"), fixture]));
    const ran = await runCli(["validate", "lotus"], { root });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain("config.toml holds the byte 0xE9 on line 1, which is not UTF-8");
    writeFileSync(file(), fixture);
    expect((await runCli(["validate", "lotus"], { root })).code).toBe(0);
  });

  test("an integer past int64 under a key lotus ignores still fails the file: its decoder reads it first", async () => {
    mkdirSync(join(root, ".lotus"));
    const fixture = readFileSync(FIXTURE, "utf8");
    writeFileSync(file(), `${fixture}[Extra]\n  Fine = 9223372036854775807\n  Big = [1, -9223372036854775809]\n`);
    const ran = await runCli(["validate", "lotus"], { root });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('"Extra": holds -9223372036854775809, past int64');
    writeFileSync(file(), `${fixture}[Extra]\n  Fine = 9223372036854775807\n`);
    const fine = await runCli(["validate", "lotus"], { root });
    expect(fine.code).toBe(0);
    expect(fine.stderr).toContain('"Extra": is not a Lotus option here');
  });

  test("history's command line hides a secret set, and no plain value beside it", () => {
    // Secrets are also matched under any table (`*.*.Wallet.RemoteBackend`): that reaches no plain value.
    expect(kitcfg(["configure", "lotus", "-q"], { root }).code).toBe(0);
    const sets = [
      "API.Timeout=46s",
      "Wallet.RemoteBackend=kitcfgWalletTok9:/ip4/1.2.3.4/tcp/1",
      "Libp2p.ConnMgrHigh=200",
    ];
    const ran = kitcfg(["update", "lotus", ...sets.flatMap((set) => ["--set", set]), "-q"], { root });
    expect(ran.code).toBe(0);
    const by = JSON.parse(kitcfg(["history", "lotus", "--json"], { root }).stdout).versions[0].command;
    expect(by).toContain("--set API.Timeout=46s --set Wallet.RemoteBackend=<redacted> --set Libp2p.ConnMgrHigh=200");
  });

  test("a secret the older tool appended into the last table is redacted there too, unread by lotus", async () => {
    mkdirSync(join(root, ".lotus"));
    const appended =
      "\n# Updated by daemon_config_manager\nWallet.RemoteBackend = 'kitcfgWalletToken5:/ip4/1.2.3.4/tcp/1'\n";
    writeFileSync(file(), `${readFileSync(FIXTURE, "utf8")}${appended}`);
    const shown = await runCli(["show", "lotus"], { root });
    expect(shown.stdout).toContain('"RemoteBackend": "<redacted>"');
    const got = await runCli(["get", "lotus", "PaymentChannels.Wallet.RemoteBackend"], { root });
    expect(got.code).toBe(1);
    for (const ran of [shown, got, await runCli(["show", "lotus", "--flat"], { root })])
      expect(ran.stdout + ran.stderr).not.toContain("kitcfgWalletToken5");
  });

  test("a dotted key the older tool appended into the last table is pointed to its section and to repair", async () => {
    // daemon_config_manager.py `_update_lotus_config` with {"API.ListenAddress": ...}: it parses, in [PaymentChannels].
    mkdirSync(join(root, ".lotus"));
    const appended = "\n# Updated by daemon_config_manager\nAPI.ListenAddress = '/ip4/0.0.0.0/tcp/1234/http'\n";
    writeFileSync(file(), `${readFileSync(FIXTURE, "utf8")}${appended}`);
    const ran = await runCli(["validate", "lotus"], { root });
    expect(ran.code).toBe(0);
    expect(ran.stderr).toContain(
      '"PaymentChannels.API": is not a Lotus option here: lotus ignores it; it belongs at API ' +
        "(if the older tool appended it, run `kitcfg repair lotus`)",
    );
  });

  test("a section an older lotus kept elsewhere is said to belong there; repair named where it helps", async () => {
    // lotus v1.23.0 documentation/en/default-lotus-config.toml: [Fevm.Events], its keys commented (now [Events]).
    mkdirSync(join(root, ".lotus"));
    const fixture = readFileSync(FIXTURE, "utf8");
    writeFileSync(file(), `${fixture}\n[Fevm.Events]\n  # FilterTTL = "24h0m0s"\n`);
    const empty = await runCli(["validate", "lotus"], { root });
    expect(empty.stderr).toContain(
      '"Fevm.Events": is an empty table lotus does not read here: nothing is lost (these settings are read at Events)',
    );
    writeFileSync(file(), `${fixture}\n[Fevm.Events]\n  FilterTTL = "2h0m0s"\n`);
    const set = await runCli(["validate", "lotus"], { root });
    expect(set.code).toBe(0);
    expect(set.stderr).toContain('"Fevm.Events": is not a Lotus option here: lotus ignores it; it belongs at Events\n');
    expect(set.stderr).not.toContain("kitcfg repair");
    expect((await runCli(["repair", "lotus", "--dry-run"], { root })).stdout).toContain("nothing to repair");
  });

  test("a float past float64, an impossible date or 10 digits of a second under any key fails the file", async () => {
    // BurntSushi/toml v1.6.0 parse.go valueFloat (strconv ErrRange) and valueDatetime (time.Parse).
    mkdirSync(join(root, ".lotus"));
    const fixture = readFileSync(FIXTURE, "utf8");
    const extra =
      "[Extra]\n  Float = [1.5, -1e400]\n  Date = 1979-02-29\n  Time = 07:32:00.1234567890\n" +
      '  Text = "1e400 1979-02-30"\n';
    writeFileSync(file(), `${fixture}${extra}`);
    const ran = await runCli(["validate", "lotus"], { root });
    expect(ran.code).toBe(1);
    const at = fixture.split("\n").length;
    expect(ran.stderr).toContain(`config.toml line ${at + 1}: the float -1e400 is past float64's range`);
    expect(ran.stderr).toContain(`config.toml line ${at + 2}: the date 1979-02-29 does not exist`);
    expect(ran.stderr).toContain(`line ${at + 3}: the time 07:32:00.1234567890 gives more than 9 digits`);
    expect(ran.stderr).not.toContain("1979-02-30");
    writeFileSync(file(), `${fixture}[Extra]\n  Float = 1e308\n  Date = 1980-02-29\n  Time = 07:32:00.123456789\n`);
    expect((await runCli(["validate", "lotus"], { root })).code).toBe(0);
  });

  test("goTomlValueProblems counts leap years as Go does, and skips strings, comments and table names", async () => {
    const flagged = async (toml: string) => (await goTomlValueProblems(toml)).map((p) => p.problem);
    for (const date of ["0000-02-29", "2000-02-29", "2024-02-29", "1979-12-31"])
      expect(await flagged(`k = ${date}\n`)).toEqual([]);
    for (const date of ["1900-02-29", "0100-02-29", "2023-02-29", "1979-04-31"])
      expect(await flagged(`k = ${date}\n`)).toEqual([`the date ${date} does not exist`]);
    expect(
      await flagged('[1979-02-30]\na = "1e400" # 2e999\nb = """\n1979-02-30\n"""\nc = [\n 1.5,\n -1e999,\n]\n'),
    ).toEqual(["the float -1e999 is past float64's range"]);
  });

  test("show hides the wallet backend token; unknown keys are warnings, as lotus ignores them", async () => {
    await runCli(["configure", "lotus"], { root });
    const token = "eyJhbGciOiJIUzI1NiJ9.kitcfg-test-token";
    expect(
      (
        await runCli(["update", "lotus", "--set", `Wallet.RemoteBackend=${token}:/ip4/127.0.0.1/tcp/1777/http`], {
          root,
        })
      ).code,
    ).toBe(0);
    // A backend lotus cannot dial is refused without the token in the message.
    const refused = await runCli(["update", "lotus", "--set", `Wallet.RemoteBackend=${token}:ftp://wallet:1`], {
      root,
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("is neither a multiaddr nor an http, https, ws or wss URL");
    expect(refused.stdout + refused.stderr).not.toContain(token);
    for (const args of [
      ["show", "lotus"],
      ["show", "lotus", "--json"],
      ["get", "lotus", "Wallet.RemoteBackend"],
    ]) {
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

  test("an Elasticsearch tracer URL lotus's client cannot read fails validate, its password never shown", async () => {
    // lp2p.GossipSub -> tracer.NewElasticSearchTransport: url.Parse, then go-elasticsearch's NewClient
    // parses scheme + "://" + host again, which fails without a scheme.
    mkdirSync(join(root, ".lotus"));
    const password = "kitcfg-es-pa55";
    for (const [url, message] of [
      [`es.example.com`, "has no scheme (http:// or https://)"],
      [`//elastic:${password}@es.example.com:9200`, "has no scheme (http:// or https://)"],
      [`http://elastic:${password}@es.example.com:92OO`, "is a URL Go's url.Parse refuses"],
      [`http://elastic:${password}@es example.com:9200`, "is a URL Go's url.Parse refuses"],
      [`http://elastic:${password}@es.example.com:9200/%${password}`, "is a URL Go's url.Parse refuses"],
    ]) {
      writeFileSync(file(), `[Chainstore]\n  EnableSplitstore = true\n[Pubsub]\n  ElasticSearchTracer = "${url}"\n`);
      const ran = await runCli(["validate", "lotus"], { root });
      expect({ url, code: ran.code }).toEqual({ url, code: 1 });
      expect(ran.stderr).toContain(`"Pubsub.ElasticSearchTracer": ${message}`);
      expect(ran.stdout + ran.stderr).not.toContain(password);
    }
    const url = `https://elastic:${password}@es.example.com:9200`;
    writeFileSync(file(), `[Chainstore]\n  EnableSplitstore = true\n[Pubsub]\n  ElasticSearchTracer = "${url}"\n`);
    chmodSync(file(), 0o600); // it holds a password
    expect((await runCli(["validate", "lotus"], { root })).code).toBe(0);
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
      expect(JSON.parse(ran.stdout).restart).toBe(
        `lotus is running (it holds ${dir}/repo.lock; ` +
          `API at /ip4/127.0.0.1/tcp/1234/http): restart it to apply the change`,
      );
    } finally {
      holder.kill();
      await holder.exited;
    }
  });
});

describe("filProblem", () => {
  test("accepts what lotus's ParseFIL accepts and refuses the rest", () => {
    const ok = [
      "0.07 FIL",
      "0.07FIL",
      "1",
      "1.",
      ".5 fil",
      "70000000000000000 attoFIL",
      "7 aFIL ",
      "-1 FIL",
      "0.000000000000000001",
      "1.000 afil",
      // Go's TrimSpace and ToLower: U+0085 is a space, U+0130 lowers to "i".
      "1 FIL\u0085",
      "1 F\u0130L",
    ];
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
      ["1 FIL\ufeff", "unknown unit"], // U+FEFF is no space to Go
    ];
    for (const [text, reason] of bad) expect(filProblem(text)).toContain(reason);
  });
});

describe("filecoinAddressProblem", () => {
  // go-address v1.2.0 address_test.go: its own good and bad strings.
  test("decodes what go-address's NewFromString decodes and refuses the rest", () => {
    for (const good of [
      "",
      "<empty>",
      "t01024",
      "f09223372036854775807",
      "f17uoq6tp427uzv7fztkbsnn64iwotfrristwpryy",
      "f1xpbyy4tkdx5si2bgo37dubc2xwv6fum5tk57mia",
      "f2gfvuyh7v2sx3patm5k23wdzmhyhtmqctasbr23y",
      "f3vvmn62lofvhjd2ugzca6sof2j2ubwok6cj4xxbfzz4yuxfkgobpihhd2thlanmsh3w2ptld2gqkn2jvlss4a",
      "f432f77777777x32lpna",
      "f49223372036854775807fiic6zsy",
    ])
      expect({ good, problem: filecoinAddressProblem(good) }).toEqual({ good, problem: undefined });
    const bad: [string, string][] = [
      ["t0", "wrong length"],
      ["f09223372036854775808", "below 2^63"],
      ["x1abc", 'start with "f"'],
      ["f5abc", "must be 0, 1, 2, 3 or 4"],
      ["f1xpbyy4tkdx5si2bgo37dubc2xwv6fum5tk57mid", "not base32"], // trailing bits set
      ["t2gfvuyh7v2sx3patm5k23wdzmhyhtmqctasbr24y", "checksum does not match"],
      ["F17uoq6tp427uzv7fztkbsnn64iwotfrristwpryy", 'start with "f"'],
      ["f4f2aaaa", "namespace number"],
    ];
    for (const [text, why] of bad) expect(filecoinAddressProblem(text)).toContain(why);
  });

  test("blake2b gives Bun's digests at their sizes", () => {
    for (const length of [0, 1, 128, 129, 300]) {
      const data = new Uint8Array(length).map((_, i) => (i * 7 + 3) & 255);
      expect(Buffer.from(blake2b(data, 64)).toString("hex")).toBe(
        new Bun.CryptoHasher("blake2b512").update(data).digest("hex"),
      );
      expect(Buffer.from(blake2b(data, 32)).toString("hex")).toBe(
        new Bun.CryptoHasher("blake2b256").update(data).digest("hex"),
      );
    }
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
  const base = '[API]\n  #ListenAddress = "/ip4/127.0.0.1/tcp/1234/http"\n\n[Chainstore]\n  EnableSplitstore = true\n';

  test("gives back the text before the block and the settings it meant; values never appear in the fixes", () => {
    const text =
      `${base}\n# Updated by daemon_config_manager\nListenAddress = '/ip4/0.0.0.0/tcp/1/http'\n` +
      `Wallet = {'RemoteBackend': 'tok:/ip4/1.2.3.4/tcp/1/http'}\nTimeout = 30\nFoo = True\n`;
    const result = repairLotusConfig(text, "/x/config.toml");
    expect(result.texts).toEqual({ config: base });
    expect(result.set).toEqual({
      "API.ListenAddress": "/ip4/0.0.0.0/tcp/1/http",
      "Wallet.RemoteBackend": "tok:/ip4/1.2.3.4/tcp/1/http",
    });
    expect(result.fixes.slice(0, 4)).toEqual([
      'moved "ListenAddress" (line 8) to API.ListenAddress',
      'moved "Wallet.RemoteBackend" (line 9) to Wallet.RemoteBackend',
      'could not place "Timeout" (line 10): its value does not fit API.Timeout',
      'could not place "Foo" (line 11): it is not a Lotus option',
    ]);
    expect(result.fixes.join("\n")).not.toContain("tok:");
  });

  test(
    "a file without the older tool's marker has nothing to repair; " + "someone else's line after it stops the repair",
    () => {
      expect(repairLotusConfig(base, "/x/config.toml")).toEqual({ texts: {}, fixes: [] });
      expect(repairLotusConfig(undefined, "/x/config.toml")).toEqual({ texts: {}, fixes: [] });
      expect(() =>
        repairLotusConfig(`${base}\n# Updated by daemon_config_manager\n[Extra]\n`, "/x/config.toml"),
      ).toThrow('line 8 follows "# Updated by daemon_config_manager"');
    },
  );
});
