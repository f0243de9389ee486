import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { foldKeys } from "../../core/_fold-keys.ts";
import { format as jsonFormat } from "../../core/formats/json.ts";
import { coerceValue, schemaAt, schemaIssues } from "../../core/schema.ts";
import { datastoreDiskSpec } from "../../plugins/ipfs/datastore.ts";
import { writtenValueIssues } from "../../plugins/ipfs/raw.ts";
import { schema as ipfsSchema } from "../../plugins/ipfs/schema.ts";
import { checkIdentity, decodeBase58 } from "../../sdk/libp2p.ts";
import { cleanEnv, FIXTURES, kitcfg, runCli, tempDir } from "../helpers.ts";

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

const repo = () => join(root, ".ipfs");
const read = (file: string) => readFileSync(join(repo(), file), "utf8");
const fixture = (version: string, file: string) => readFileSync(join(FIXTURES, `ipfs/${version}-repo`, file), "utf8");

/** A real repo from kubo's tests, its config 0600 as kubo writes it. */
function copyRepo(version: "v15" | "v16"): void {
  mkdirSync(repo(), { recursive: true });
  for (const file of ["config", "datastore_spec", "version"])
    copyFileSync(join(FIXTURES, `ipfs/${version}-repo`, file), join(repo(), file));
  chmodSync(join(repo(), "config"), 0o600);
}

/** The lines of `after` that differ from `before`, which must have as many lines. */
function changedLines(before: string, after: string): string[] {
  const old = before.split("\n");
  const lines = after.split("\n");
  expect(lines.length).toBe(old.length);
  return lines.filter((line, i) => line !== old[i]);
}

/** `keys` in the order they appear in `order`, keeping only those both lists have. */
function sharedOrder(keys: string[], order: string[]): string[] {
  return keys.filter((key) => order.includes(key));
}

describe("ipfs plugin: configure", () => {
  test("configure writes config, datastore_spec and version as `ipfs init` does", async () => {
    expect((await runCli(["configure", "ipfs"], { root })).code).toBe(0);
    const text = read("config");
    expect(text.startsWith('{\n  "Identity": {\n    "PeerID": "12D3KooW')).toBe(true);
    expect(text.endsWith('\n  "Bitswap": {}\n}')).toBe(true);
    const config = JSON.parse(text);
    expect(Object.keys(config)).toEqual([
      "Identity",
      "Datastore",
      "Addresses",
      "Mounts",
      "Discovery",
      "Routing",
      "Ipns",
      "Bootstrap",
      "Gateway",
      "API",
      "Swarm",
      "AutoNAT",
      "AutoTLS",
      "Pubsub",
      "Peering",
      "DNS",
      "Migration",
      "AutoConf",
      "Provide",
      "Provider",
      "Reprovider",
      "HTTPRetrieval",
      "Experimental",
      "Plugins",
      "Pinning",
      "Import",
      "Version",
      "Internal",
      "Bitswap",
    ]);
    expect(checkIdentity(config.Identity.PeerID, config.Identity.PrivKey)).toEqual({ ok: true, keyType: "Ed25519" });
    expect(config.Addresses.Swarm).toHaveLength(8);
    expect(config.Addresses.API).toBe("/ip4/127.0.0.1/tcp/5001");
    expect(config.Bootstrap).toEqual(["auto"]);
    expect(config.DNS.Resolvers).toEqual({ ".": "auto" });
    // The fixtures hold the same default datastore as a real kubo wrote it, and its disk spec byte for byte.
    expect(config.Datastore.Spec).toEqual(JSON.parse(fixture("v16", "config")).Datastore.Spec);
    expect(read("datastore_spec")).toBe(fixture("v16", "datastore_spec"));
    expect(read("version")).toBe("18\n");
    expect(statSync(join(repo(), "config")).mode & 0o777).toBe(0o600);
    expect(statSync(join(repo(), "datastore_spec")).mode & 0o777).toBe(0o600);
    expect(statSync(join(repo(), "version")).mode & 0o777).toBe(0o644);
    // kubo creates the repo folder 0755 although the config in it is secret (fsrepo.go).
    expect(statSync(repo()).mode & 0o777).toBe(0o755);
    expect((await runCli(["validate", "ipfs"], { root })).code).toBe(0);
  });

  test("every section keeps the key order of a config kubo wrote", async () => {
    await runCli(["configure", "ipfs"], { root });
    const ours = JSON.parse(read("config"));
    const theirs = JSON.parse(fixture("v16", "config"));
    expect(sharedOrder(Object.keys(ours), Object.keys(theirs))).toEqual(
      sharedOrder(Object.keys(theirs), Object.keys(ours)),
    );
    for (const section of [
      "Datastore",
      "Addresses",
      "Mounts",
      "Ipns",
      "Gateway",
      "Swarm",
      "Pubsub",
      "Experimental",
      "Import",
    ]) {
      const [a, b] = [Object.keys(ours[section]), Object.keys(theirs[section])];
      expect(sharedOrder(a, b)).toEqual(sharedOrder(b, a));
    }
  });

  test("IPFS_PATH moves the repo, and `kitcfg env ipfs` names it", () => {
    const env = cleanEnv(root, { IPFS_PATH: join(root, "data/ipfs") });
    expect(kitcfg(["configure", "ipfs"], { root, env }).code).toBe(0);
    expect(existsSync(join(root, "data/ipfs/config"))).toBe(true);
    expect(existsSync(join(root, "data/ipfs/version"))).toBe(true);
    expect(existsSync(join(root, ".ipfs"))).toBe(false);
    expect(kitcfg(["env", "ipfs"], { root, env }).stdout).toBe(`export IPFS_PATH='${join(root, "data/ipfs")}'\n`);
  });

  test("show, diffs and JSON output never contain a private key", async () => {
    await runCli(["configure", "ipfs"], { root });
    const key: string = JSON.parse(read("config")).Identity.PrivKey;
    const shown = await runCli(["show", "ipfs"], { root });
    expect(shown.stdout).toContain('"PrivKey": "<redacted>"');
    // Another valid identity: the diff shows the change, not either key.
    const { PeerID, PrivKey } = JSON.parse(fixture("v15", "config")).Identity;
    const swap = await runCli(
      [
        "update",
        "ipfs",
        "--set",
        `Identity.PeerID=${PeerID}`,
        "--set",
        `Identity.PrivKey=${PrivKey}`,
        "--dry-run",
        "--json",
      ],
      { root },
    );
    expect(swap.code).toBe(0);
    expect(JSON.parse(swap.stdout).diff).toContain('+    "PrivKey": "<redacted:changed>"');
    for (const ran of [
      shown,
      swap,
      await runCli(["show", "ipfs", "--json"], { root }),
      await runCli(["configure", "ipfs", "--force", "--dry-run"], { root }),
    ]) {
      expect(ran.stdout + ran.stderr).not.toContain(key);
      expect(ran.stdout + ran.stderr).not.toContain(PrivKey);
    }
  });
});

describe("ipfs plugin: integers written by hand", () => {
  test.each(["90.0", "9E+1", "9e1", "900e-1", "90.00\r\n", "\t9.0e1 "])(
    "%j is found wherever JSON lets blanks stand around it",
    (spelling) => {
      for (const text of [
        `{"Datastore":{"StorageGCWatermark":${spelling}}}`,
        `{\n  "Datastore": {\n    "StorageGCWatermark": ${spelling}\n  }\n}`,
        `{"Datastore": {"BloomFilterSize": 0,"StorageGCWatermark":\n${spelling},"GCPeriod": "1h"}}`,
      ]) {
        expect(writtenValueIssues(text, JSON.parse(text)).map((issue) => issue.key)).toEqual([
          "Datastore.StorageGCWatermark",
        ]);
      }
    },
  );

  test('an integer written with a fraction or exponent is found under a key with "ſ", which Go reads as s', () => {
    // Go's encoding/json folds "ſ" (U+017F) to "s": kubo reads "Dataſtore" as Datastore and refuses 9e1.
    const text = '{"Dataſtore": {"StorageGCWatermark": 9e1}, "Ipnſ": {"ReſolveCacheSize": 1.28e2}}';
    const { value } = foldKeys(ipfsSchema, JSON.parse(text));
    expect(writtenValueIssues(text, value).map((issue) => issue.key)).toEqual([
      "Dataſtore.StorageGCWatermark",
      "Ipnſ.ReſolveCacheSize",
    ]);
  });

  test("an integer written with a fraction or exponent is found under its key, however keys are spelled", () => {
    const peers = Array.from({ length: 2000 }, (_, i) => ({ ID: "x", Addrs: [`/ip4/10.0.0.${i % 250}/tcp/1`] }));
    const text = [
      "{",
      `  "Peering": {"Peers": ${JSON.stringify(peers)}},`,
      // An escaped key is read as what it spells; a number in a string is no number.
      '  "\u0044atastore": {"Note": "1.5e3", "StorageGCWatermark": 9e1, "BloomFilterSize": 0},',
      '  "ipns": {"ResolveCacheSize": 1.28e2, "UsePubsub": true},',
      '  "Swarm": {"ConnMgr": {"HighWater": 96.5}}',
      "}",
    ].join("\n");
    const config = JSON.parse(text);
    expect(writtenValueIssues(text, config).map((issue) => issue.key)).toEqual([
      "Datastore.StorageGCWatermark",
      "ipns.ResolveCacheSize",
    ]);
    // Only where the configuration checked still holds that number (a planned change replaces it).
    config.Datastore.StorageGCWatermark = 80;
    expect(writtenValueIssues(text, config).map((issue) => issue.key)).toEqual(["ipns.ResolveCacheSize"]);
  });
});

describe("ipfs plugin: int64's limits, read exactly (strconv.ParseInt on the number's text)", () => {
  // The file as kitcfg reads it: an integer past 2^53 is a bigint with every digit.
  const issuesOf = (number: string) => {
    const text = `{"Swarm": {"ConnMgr": {"HighWater": ${number}, "LowWater": 1}}}`;
    return schemaIssues(ipfsSchema, jsonFormat.parse(text) as Record<string, unknown>).map((issue) => issue.key);
  };
  test.each(["9223372036854775807", "-9223372036854775808", "922337203685477580", "9007199254740993"])(
    "%s is read",
    (number) => {
      expect(issuesOf(number)).toEqual([]);
    },
  );
  test.each(["9223372036854775808", "-9223372036854775809", "9223372036854776832", "1e19"])(
    "%s is refused",
    (number) => {
      expect(issuesOf(number)).toEqual(["Swarm.ConnMgr.HighWater"]);
    },
  );

  test("a double is judged as kitcfg writes it: 2^63 (a JSON client's 9223372036854775807) is refused", () => {
    const issues = (highWater: number) =>
      schemaIssues(ipfsSchema, { Swarm: { ConnMgr: { HighWater: highWater } } }).map((issue) => issue.message);
    expect(issues(-(2 ** 63) + 1024)).toEqual([]);
    expect(issues(2 ** 63 - 1024)).toEqual([]);
    expect(issues(-(2 ** 63))).toHaveLength(1);
    expect(issues(2 ** 63)).toEqual([
      "is 9223372036854776000, past a Go int64 (-9223372036854775808 to 9223372036854775807): " +
        "Go reads it only within those limits; kubo refuses to start",
    ]);
  });

  test("--set coerces an int64 past 2^53 to its exact bigint and refuses one past int64", () => {
    const highWater = schemaAt(ipfsSchema, ["Swarm", "ConnMgr", "HighWater"]);
    if (!highWater.found) throw new Error("no HighWater in the schema");
    for (const text of ["9007199254740993", "9223372036854775807", "-9223372036854775808"])
      expect(coerceValue(highWater.schema, text)).toEqual({ ok: true, value: BigInt(text) });
    expect(coerceValue(highWater.schema, "9223372036854775808")).toEqual({
      ok: false,
      expected: "a whole number (a Go int64)",
    });
  });

  test("validate takes int64's largest value and refuses the next one; a 19-digit string is no number", () => {
    const { dir: root, cleanup } = tempDir();
    try {
      expect(kitcfg(["configure", "ipfs"], { root }).code).toBe(0);
      const file = join(root, ".ipfs/config");
      const base = readFileSync(file, "utf8");
      const withWater = (number: string) =>
        writeFileSync(
          file,
          base
            .replace('"ConnMgr": {}', `"ConnMgr": {"HighWater": ${number}}`)
            .replace('"RootRedirect": ""', '"RootRedirect": "/9223372036854775808"'),
        );
      withWater("9223372036854775807");
      const ran = kitcfg(["validate", "ipfs"], { root });
      expect(ran.stderr).toBe("");
      expect(ran.code).toBe(0);
      withWater("9223372036854775808");
      const refused = kitcfg(["validate", "ipfs"], { root });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('"Swarm.ConnMgr.HighWater": is 9223372036854775808, past a Go int64');
    } finally {
      cleanup();
    }
  });
});

describe("ipfs plugin: durations written by hand (config/types.go OptionalDuration reads the raw JSON text)", () => {
  test.each(["0.0", "0e0", "-0.0", "0E+0", "0.00"])("a zero written %s is found; 0 and -0 are taken", (spelling) => {
    const text =
      `{"Swarm": {"ConnMgr": {"GracePeriod": ${spelling}, "SilencePeriod": 0}},` +
      ` "AutoTLS": {"RegistrationDelay": -0}}`;
    expect(writtenValueIssues(text, JSON.parse(text)).map((issue) => [issue.key, issue.message.slice(0, 40)])).toEqual([
      ["Swarm.ConnMgr.GracePeriod", `is written ${spelling}: kubo reads a number here`.slice(0, 40)],
    ]);
  });

  test("a duration string with an escape is found; an escape elsewhere, or in a plain string field, is not", () => {
    const text =
      String.raw`{"Note\"s": "a\\b", "Provide": {"DHT": {"Interval": "1\u0068"}}, ` +
      String.raw`"Routing": {"Type": "d\u0068t"}}`;
    const issues = writtenValueIssues(text, JSON.parse(text));
    expect(issues.map((issue) => issue.key)).toEqual(["Provide.DHT.Interval"]);
    expect(issues[0]!.message).toContain('write "1h"');
  });
});

describe("ipfs plugin: update", () => {
  test("--set coerces by kubo's types and changes only that key's line", async () => {
    await runCli(["configure", "ipfs"], { root });
    const sets: [string, string, (config: any) => unknown, unknown][] = [
      [
        "Addresses.API=/ip4/127.0.0.1/tcp/5002",
        '    "API": "/ip4/127.0.0.1/tcp/5002",',
        (c) => c.Addresses.API,
        "/ip4/127.0.0.1/tcp/5002",
      ],
      ["Discovery.MDNS.Enabled=false", '      "Enabled": false', (c) => c.Discovery.MDNS.Enabled, false],
      ["Datastore.StorageMax=20GB", '    "StorageMax": "20GB",', (c) => c.Datastore.StorageMax, "20GB"],
      ["Swarm.ConnMgr.HighWater=200", '      "HighWater": 200', (c) => c.Swarm.ConnMgr.HighWater, 200],
    ];
    for (const [set, line, pick, value] of sets) {
      const before = read("config");
      expect((await runCli(["update", "ipfs", "--set", set], { root })).code).toBe(0);
      const after = read("config");
      if (!set.startsWith("Swarm.ConnMgr")) expect(changedLines(before, after)).toEqual([line]);
      else expect(after).toContain(`"ConnMgr": {\n${line}\n    }`);
      expect(pick(JSON.parse(after))).toEqual(value);
    }
    const bootstrap = ["/dnsaddr/bootstrap.libp2p.io/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN"];
    expect((await runCli(["update", "ipfs", "--set", `Bootstrap=${JSON.stringify(bootstrap)}`], { root })).code).toBe(
      0,
    );
    expect(JSON.parse(read("config")).Bootstrap).toEqual(bootstrap);
    expect(read("config").endsWith("}")).toBe(true);
    expect((await runCli(["validate", "ipfs"], { root })).code).toBe(0);
  });

  test("values kubo would refuse are refused with the key and the reason, and nothing is written", async () => {
    await runCli(["configure", "ipfs"], { root });
    const before = read("config");
    for (const [set, reason] of [
      ["Addresses.API=127.0.0.1:5001", '"127.0.0.1:5001" is not a multiaddr: a multiaddr starts with /'],
      ['Addresses.Swarm=["/ip4/0.0.0.0/tcp/4001","/ip4/0.0.0.0/tcpp/4001"]', 'unknown protocol "tcpp"'],
      ['Bootstrap=["/ip4/104.131.131.82/tcp/4001"]', "does not end in /p2p/<peer ID>"],
      ["Datastore.StorageMax=lots", "expected a byte size such as 10GB"],
      ["Swarm.ConnMgr.GracePeriod=soon", "expected a Go duration"],
      ["Discovery.MDNS.Enabled=maybe", "expected a boolean"],
      ['Peering.Peers=[{"ID":"nobody","Addrs":[]}]', '"nobody" is not a peer ID'],
    ]) {
      const ran = await runCli(["update", "ipfs", "--set", set!], { root });
      expect(ran.code).toBe(1);
      expect(ran.stderr).toContain(`"${set!.split("=")[0]}"`);
      expect(ran.stderr).toContain(reason!);
      expect(read("config")).toBe(before);
    }
  });

  test("peer IDs written as CIDs (as IPNS prints them) are taken where kubo reads them with peer.Decode", async () => {
    await runCli(["configure", "ipfs"], { root });
    const own = JSON.parse(read("config")).Identity.PeerID as string;
    // go-libp2p core/peer/peer.go Decode: base58, or a libp2p-key CID in any multibase.
    const asCid = `k${BigInt(`0x${Buffer.from([0x01, 0x72, ...decodeBase58(own)]).toString("hex")}`).toString(36)}`;
    const rsaCid = "k2k4r8ncs1yoluq95unsd7x2vfhgve0ncjoggwqx9vyh3vl8warrcp15";
    for (const set of [
      `Identity.PeerID=${asCid}`,
      `Peering.Peers=[{"ID":"${asCid}","Addrs":[]},{"ID":"${rsaCid}","Addrs":[]}]`,
      `Bootstrap=["/ip4/1.2.3.4/tcp/4001/p2p/${rsaCid}"]`,
      `Routing.IgnoreProviders=["${rsaCid}"]`,
    ]) {
      const ran = await runCli(["update", "ipfs", "--set", set], { root });
      expect([set, ran.code, ran.stderr]).toEqual([set, 0, expect.any(String)]);
    }
    expect((await runCli(["validate", "ipfs"], { root })).code).toBe(0);
  });

  test("a config whose PeerID belongs to another key is invalid, and so is a change that breaks the pair", async () => {
    await runCli(["configure", "ipfs"], { root });
    const other = JSON.parse(fixture("v15", "config")).Identity.PeerID;
    const ran = await runCli(["update", "ipfs", "--set", `Identity.PeerID=${other}`], { root });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('Cannot set "Identity.PeerID" for ipfs: does not match Identity.PrivKey');
    const config = JSON.parse(read("config"));
    config.Identity.PeerID = other;
    writeFileSync(join(repo(), "config"), JSON.stringify(config, null, 2), { mode: 0o600 });
    const invalid = await runCli(["validate", "ipfs"], { root });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain("private key in config does not match id");
  });
});

describe("ipfs plugin: kubo's own repos", () => {
  test.each(["v15", "v16"] as const)(
    "the %s fixture repo validates, with a warning that kubo will migrate it",
    async (version) => {
      copyRepo(version);
      const ran = await runCli(["validate", "ipfs"], { root });
      expect(ran.code).toBe(0);
      expect(ran.stderr).toContain(
        `says repo version ${version.slice(1)}, older than 18 (current kubo): kubo migrates the repo`,
      );
    },
  );

  test.each(["v15", "v16"] as const)(
    "updating one key of the %s repo leaves every other byte as it was",
    async (version) => {
      copyRepo(version);
      const before = read("config");
      expect((await runCli(["update", "ipfs", "--set", "Datastore.GCPeriod=2h"], { root })).code).toBe(0);
      expect(changedLines(before, read("config"))).toEqual(['    "GCPeriod": "2h",']);
      // v16's config ends with a newline kubo itself would not write; v15's does not.
      expect(read("config").endsWith("\n")).toBe(version === "v16");
      expect(read("datastore_spec")).toBe(fixture(version, "datastore_spec"));
      expect(read("version")).toBe(fixture(version, "version"));
    },
  );

  test("the measure wrappers of v15's spec add nothing to its disk spec", () => {
    const spec = JSON.parse(fixture("v15", "config")).Datastore.Spec;
    expect(spec.mounts[0].type).toBe("measure");
    expect(datastoreDiskSpec(spec)).toEqual({ ok: true, text: fixture("v15", "datastore_spec") });
  });

  test("a spec number past 2^53 is read as kubo's float64 (map[string]any), not refused for its type", () => {
    // kitcfg reads it as a bigint with every digit; kubo's parsers see the double nearest to it.
    const spec = (extra: string) => jsonFormat.parse(`{"type": "pebbleds", "path": "pebbleds", ${extra}}`);
    expect(datastoreDiskSpec(spec('"cacheSize": 9007199254740993'))).toEqual({
      ok: true,
      text: '{"path":"pebbleds","type":"pebbleds"}',
    });
    const huge = datastoreDiskSpec(spec('"memTableSize": 9007199254740993'));
    expect(huge.ok).toBe(false);
    expect(huge.ok ? "" : huge.problem).toContain('pebbleds "memTableSize" must be from 0 (4 MiB)');
  });

  test("a spec that no longer matches datastore_spec is an error, and such a change is refused", async () => {
    copyRepo("v16");
    const pebble = JSON.stringify({ path: "pebbleds", prefix: "pebble.datastore", type: "pebbleds" });
    const ran = await runCli(["update", "ipfs", "--set", `Datastore.Spec=${pebble}`], { root });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain(
      'Cannot set "Datastore.Spec" for ipfs: describes {"path":"pebbleds","type":"pebbleds"} but',
    );
    expect(read("datastore_spec")).toBe(fixture("v16", "datastore_spec"));
    // Fields that are not part of the disk spec may change.
    const config = JSON.parse(read("config"));
    config.Datastore.Spec.mounts[0].sync = true;
    config.Datastore.Spec.mounts[1].compression = "snappy";
    expect(
      (await runCli(["update", "ipfs", "--set", `Datastore.Spec=${JSON.stringify(config.Datastore.Spec)}`], { root }))
        .code,
    ).toBe(0);
    writeFileSync(join(repo(), "datastore_spec"), '{"type":"mount"}');
    const invalid = await runCli(["validate", "ipfs"], { root });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain(
      `but ${join(repo(), "datastore_spec")} says {"type":"mount"}: kubo refuses to open`,
    );
  });

  test("the version file: newer is a warning, garbage an error, a missing one is written", async () => {
    copyRepo("v16");
    writeFileSync(join(repo(), "version"), "19\n");
    const newer = await runCli(["validate", "ipfs"], { root });
    expect(newer.code).toBe(0);
    expect(newer.stderr).toContain("says repo version 19, newer than 18");
    writeFileSync(join(repo(), "version"), "sixteen\n");
    const garbage = await runCli(["validate", "ipfs"], { root });
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toContain('holds "sixteen", not a repo version');
    writeFileSync(join(repo(), "version"), "16\n");
    expect((await runCli(["update", "ipfs", "--set", "Datastore.GCPeriod=2h"], { root })).code).toBe(0);
    expect(read("version")).toBe("16\n");
    rmSync(join(repo(), "version"));
    const missing = await runCli(["validate", "ipfs"], { root });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`${join(repo(), "version")} is missing`);
    expect((await runCli(["configure", "ipfs"], { root })).code).toBe(0);
    expect(read("version")).toBe("18\n");
  });

  test("unknown sections are warnings naming the section; a case-variant one names kubo's spelling", async () => {
    copyRepo("v16");
    const config = JSON.parse(read("config"));
    config.Frobnicate = {};
    config.gateway = {};
    writeFileSync(join(repo(), "config"), JSON.stringify(config, null, 2), { mode: 0o600 });
    const ran = await runCli(["validate", "ipfs"], { root });
    expect(ran.code).toBe(0);
    expect(ran.stderr).toContain('"Frobnicate": is not a setting ipfs reads: it is ignored');
    expect(ran.stderr).toContain('"gateway": is read by ipfs as "Gateway"');
  });
});
