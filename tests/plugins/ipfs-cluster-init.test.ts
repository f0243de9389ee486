import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cleanEnv, FIXTURES, kitcfg, runCli, tempDir } from "../helpers.ts";

// `ipfs-cluster-service init --consensus X --datastore Y` (v1.1.6) parity. The fixtures under
// tests/fixtures/ipfs-cluster-service/init are built from the Go code's defaults (SOURCES.md).

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

const SECRET = "ab".repeat(32);
const PEER_ID = "12D3KooWFMMrT3ChFWoTz9L7QFmiLnnMXC7D51KwrCjJdiuYPJqQ";
const serviceFile = () => join(root, ".ipfs-cluster", "service.json");
const fixture = (name: string) => readFileSync(join(FIXTURES, "ipfs-cluster-service", "init", name), "utf8");
/** The environment init would see, with the secret and peer name fixed so the bytes compare. */
const initEnv = (extra: Record<string, string> = {}) =>
  cleanEnv(root, { CLUSTER_SECRET: SECRET, CLUSTER_PEERNAME: "fixture-peer", ...extra });

describe("ipfs-cluster-service: init's consensus and datastore choices as profiles", () => {
  const cases: [string, string][] = [
    ["crdt", "crdt-pebble"],
    ["pebble", "crdt-pebble"],
    ["badger3", "crdt-badger3"],
    ["crdt,leveldb", "crdt-leveldb"],
    ["badger", "crdt-badger"],
    ["raft", "raft"],
    // init registers no datastore with raft, whatever --datastore names, in either order.
    ["raft,badger3", "raft"],
    ["badger3, raft", "raft"],
  ];
  for (const [profile, file] of cases)
    test(`configure --profile ${profile} writes what init writes (${file})`, () => {
      const ran = kitcfg(["configure", "ipfs-cluster-service", "--profile", profile], { root, env: initEnv() });
      expect(ran.stderr).toBe("");
      expect(ran.code).toBe(0);
      expect(readFileSync(serviceFile(), "utf8")).toBe(fixture(`${file}.service.json`));
      expect(kitcfg(["validate", "ipfs-cluster-service"], { root, env: initEnv() }).code).toBe(0);
    });

  test("the badger profile's section is the one a real init wrote", () => {
    const real = JSON.parse(readFileSync(join(FIXTURES, "ipfs-cluster-service", "service.json"), "utf8"));
    expect(JSON.parse(fixture("crdt-badger.service.json")).datastore).toEqual(real.datastore);
  });

  test("profiles lists them, each only for a new configuration", async () => {
    const ran = await runCli(["profiles", "ipfs-cluster-service", "--json"], { root });
    const listed = JSON.parse(ran.stdout).profiles as { name: string; initOnly: boolean }[];
    expect(listed.map((p) => p.name)).toEqual(["crdt", "raft", "pebble", "badger3", "leveldb", "badger"]);
    expect(listed.every((p) => p.initOnly)).toBe(true);
  });

  test("update --profile raft on a configured peer is refused and leaves the file as it was", async () => {
    expect((await runCli(["configure", "ipfs-cluster-service"], { root })).code).toBe(0);
    const before = readFileSync(serviceFile(), "utf8");
    const ran = await runCli(["update", "ipfs-cluster-service", "--profile", "raft"], { root });
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain("it applies only when the configuration is first written");
    expect(readFileSync(serviceFile(), "utf8")).toBe(before);
  });

  test("a list naming an unknown profile is refused with that name", async () => {
    const ran = await runCli(["configure", "ipfs-cluster-service", "--profile", "raft,badger4"], { root });
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain('Unknown profile "badger4" for ipfs-cluster-service: use one of crdt, raft');
  });
});

describe("ipfs-cluster-service: configure applies the CLUSTER_* variables init applies", () => {
  test("each component's variables, read as envconfig reads them and written as the component writes them", () => {
    const env = initEnv({
      CLUSTER_CRDT_TRUSTEDPEERS: `${PEER_ID},${PEER_ID}`,
      CLUSTER_RESTAPI_HTTPLISTENMULTIADDRESS: "/ip4/0.0.0.0/tcp/9094",
      CLUSTER_LISTENMULTIADDRESS: "/ip4/0.0.0.0/tcp/9096",
      CLUSTER_CONNECTIONMANAGER_HIGHWATER: "0x200",
      CLUSTER_STATELESS_CONCURRENTPINS: "4",
      CLUSTER_BADGER3_GCINTERVAL: "90m",
      CLUSTER_TAGS_TAGS: "group:edge,rack:r2",
      CLUSTER_METRICS_ENABLESTATS: "t",
    });
    expect(kitcfg(["configure", "ipfs-cluster-service", "--profile", "badger3"], { root, env }).code).toBe(0);
    const config = JSON.parse(readFileSync(serviceFile(), "utf8"));
    expect(config.consensus.crdt.trusted_peers).toEqual([PEER_ID, PEER_ID]);
    expect(config.api.restapi.http_listen_multiaddress).toBe("/ip4/0.0.0.0/tcp/9094");
    // config.Strings: one address is written as a string.
    expect(config.cluster.listen_multiaddress).toBe("/ip4/0.0.0.0/tcp/9096");
    expect(config.cluster.connection_manager.high_water).toBe(512);
    expect(config.pin_tracker.stateless.concurrent_pins).toBe(4);
    expect(config.datastore.badger3.gc_interval).toBe("1h30m0s");
    expect(config.informer.tags.tags).toEqual({ group: "edge", rack: "r2" });
    expect(config.observations.metrics.enable_stats).toBe(true);
    expect(config.cluster.peername).toBe("fixture-peer");
  });

  // envconfig.go processField: strconv.ParseInt(text, 0, bits); its underscoreOK takes `_` between digits in any base.
  test.each([
    ["1_000", 1000],
    ["+0b11_1110_1000", 1000],
    ["0_1750", 1000],
    ["0o1750", 1000],
    ["0X3E8", 1000],
    ["01750", 1000],
  ])("an integer variable is read as strconv.ParseInt with base 0 reads it: %s is %d", (text, value) => {
    const env = initEnv({ CLUSTER_CONNECTIONMANAGER_HIGHWATER: text });
    expect(kitcfg(["configure", "ipfs-cluster-service"], { root, env }).code).toBe(0);
    expect(JSON.parse(readFileSync(serviceFile(), "utf8")).cluster.connection_manager.high_water).toBe(value);
  });

  test.each(["1__000", "_1", "1_", "0x", "0b", "08", "0x_", "1e3", " 1", ""])(
    "an integer variable strconv.ParseInt refuses is refused at configure, naming it: %p",
    (text) => {
      const env = initEnv({ CLUSTER_CONNECTIONMANAGER_HIGHWATER: text });
      const ran = kitcfg(["configure", "ipfs-cluster-service"], { root, env });
      expect(ran.code).toBe(1);
      expect(ran.stderr).toContain("CLUSTER_CONNECTIONMANAGER_HIGHWATER");
      expect(existsSync(serviceFile())).toBe(false);
    },
  );

  // envconfig reads a uint field with strconv.ParseUint (base 0): no sign, not even "+", and not past the
  // type's largest value (raft's trailing_logs a uint64, badger's value_log_max_entries a uint32).
  test.each([
    ["CLUSTER_RAFT_TRAILINGLOGS", "-5"],
    ["CLUSTER_RAFT_TRAILINGLOGS", "+5"],
    ["CLUSTER_RAFT_SNAPSHOTTHRESHOLD", "18446744073709551616"],
    ["CLUSTER_BADGER_BADGEROPTIONS_VALUELOGMAXENTRIES", "4294967296"],
  ])("an unsigned field's variable strconv.ParseUint refuses stops validate, naming it: %s=%s", (name, text) => {
    expect(kitcfg(["configure", "ipfs-cluster-service"], { root, env: initEnv({}) }).code).toBe(0);
    const ran = kitcfg(["validate", "ipfs-cluster-service"], { root, env: initEnv({ [name]: text }) });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain(`${name} in this environment: expected a whole number from 0 to`);
  });

  test.each([
    ["CLUSTER_REPLICATIONFACTORMIN", "abc", "cluster.replication_factor_min"],
    ["CLUSTER_RAFT_TRAILINGLOGS", "-5", "consensus.raft.trailing_logs"],
    ["CLUSTER_CRDT_BATCHING_MAXBATCHSIZE", "x", "consensus.crdt.batching.max_batch_size"],
  ])("a refused variable names the key it sets: %s=%s is %s's", (name, text, key) => {
    expect(kitcfg(["configure", "ipfs-cluster-service"], { root, env: initEnv({}) }).code).toBe(0);
    const ran = kitcfg(["validate", "ipfs-cluster-service"], { root, env: initEnv({ [name]: text }) });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain(`✖ ipfs-cluster-service: "${key}": ${name} in this environment: expected`);
  });

  test.each([
    ["CLUSTER_RAFT_TRAILINGLOGS", "0x10"],
    ["CLUSTER_RAFT_SNAPSHOTTHRESHOLD", "18446744073709551615"],
    ["CLUSTER_BADGER_BADGEROPTIONS_VALUELOGMAXENTRIES", "4294967295"],
  ])("an unsigned field's variable ParseUint takes is taken: %s=%s", (name, text) => {
    expect(kitcfg(["configure", "ipfs-cluster-service"], { root, env: initEnv({}) }).code).toBe(0);
    expect(kitcfg(["validate", "ipfs-cluster-service"], { root, env: initEnv({ [name]: text }) }).code).toBe(0);
  });

  // datastore/pebble/config.go l. 95-96: time.Duration fields, numbers of nanoseconds in the JSON; envconfig
  // reads a time.Duration with time.ParseDuration, so the variable is duration text.
  test("pebble's flush delays take Go duration text from their variables, not a number", () => {
    const name = "CLUSTER_PEBBLE_PEBBLEOPTIONS_FLUSHDELAYDELETERANGE";
    const refused = kitcfg(["configure", "ipfs-cluster-service", "--profile", "pebble"], {
      root,
      env: initEnv({ [name]: "10" }),
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${name} in this environment: expected a Go duration`);
    expect(existsSync(serviceFile())).toBe(false);
    const env = initEnv({ [name]: "1.5s" });
    expect(kitcfg(["configure", "ipfs-cluster-service", "--profile", "pebble"], { root, env }).code).toBe(0);
    expect(kitcfg(["validate", "ipfs-cluster-service"], { root, env }).code).toBe(0);
    const atStart = kitcfg(["validate", "ipfs-cluster-service"], { root, env: initEnv({ [name]: "1500" }) });
    expect(atStart.code).toBe(1);
    expect(atStart.stderr).toContain(name);
  });

  test("CLUSTER_RESTAPI_HEADERS is read as the map of lists the field is, one value per header", () => {
    const env = initEnv({ CLUSTER_RESTAPI_HEADERS: "X-Frame-Options:DENY,X-Empty:,X-Frame-Options:SAMEORIGIN" });
    const ran = kitcfg(["configure", "ipfs-cluster-service"], { root, env });
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    // envconfig splits the pairs on commas, then each value as a list: a later pair wins.
    const headers = JSON.parse(readFileSync(serviceFile(), "utf8")).api.restapi.headers;
    expect(headers).toEqual({ "X-Frame-Options": ["SAMEORIGIN"], "X-Empty": [] });
  });

  test("raft's variables reach the raft section a profile writes", () => {
    const env = initEnv({ CLUSTER_RAFT_NETWORKTIMEOUT: "1m", CLUSTER_RAFT_COMMITRETRYDELAY: "0.5s" });
    expect(kitcfg(["configure", "ipfs-cluster-service", "--profile", "raft"], { root, env }).code).toBe(0);
    const raft = JSON.parse(readFileSync(serviceFile(), "utf8")).consensus.raft;
    expect([raft.network_timeout, raft.commit_retry_delay]).toEqual(["1m0s", "500ms"]);
  });

  test("keys the file leaves out at their defaults are written when a variable moves them off it", () => {
    const env = initEnv({
      CLUSTER_CRDT_BATCHING_MAXQUEUESIZE: "100",
      CLUSTER_CRDT_REBROADCASTINTERVAL: "90s",
      CLUSTER_CRDT_PEERSETMETRIC: "ping", // the default: still left out
      CLUSTER_BADGER3_FOLDER: "/srv/badger3",
      CLUSTER_STATELESS_MAXPINQUEUESIZE: "5000",
      CLUSTER_FOLLOWERMODE: "false", // the zero value: left out
    });
    expect(kitcfg(["configure", "ipfs-cluster-service", "--profile", "badger3"], { root, env }).code).toBe(0);
    const config = JSON.parse(readFileSync(serviceFile(), "utf8"));
    // In the order of each component's JSON struct, as init writes them.
    expect(config.consensus.crdt).toEqual({
      ...JSON.parse(fixture("crdt-badger3.service.json")).consensus.crdt,
      batching: { max_batch_size: 0, max_batch_age: "0s", max_queue_size: 100 },
      rebroadcast_interval: "1m30s",
    });
    expect(Object.keys(config.consensus.crdt).slice(-2)).toEqual(["repair_interval", "rebroadcast_interval"]);
    expect(Object.entries(config.datastore.badger3)[0]).toEqual(["folder", "/srv/badger3"]);
    expect(Object.entries(config.pin_tracker.stateless)[0]).toEqual(["max_pin_queue_size", 5000]);
    expect("follower_mode" in config.cluster).toBe(false);
  });

  test("raft's data_folder is written first when CLUSTER_RAFT_DATAFOLDER sets it", () => {
    const env = initEnv({ CLUSTER_RAFT_DATAFOLDER: "/srv/raft" });
    expect(kitcfg(["configure", "ipfs-cluster-service", "--profile", "raft"], { root, env }).code).toBe(0);
    const raft = JSON.parse(readFileSync(serviceFile(), "utf8")).consensus.raft;
    expect(Object.entries(raft)[0]).toEqual(["data_folder", "/srv/raft"]);
  });

  test("raft keeps its default for a duration that does not parse or reads 0, as its loader does", () => {
    const env = initEnv({ CLUSTER_RAFT_NETWORKTIMEOUT: "ten seconds", CLUSTER_RAFT_COMMITTIMEOUT: "0s" });
    const ran = kitcfg(["configure", "ipfs-cluster-service", "--profile", "raft"], { root, env });
    expect(ran.code).toBe(0);
    expect(readFileSync(serviceFile(), "utf8")).toBe(fixture("raft.service.json"));
  });

  test("configure warns, naming the variable, of a raft duration init ignores, as validate does", () => {
    const warning =
      '"consensus.raft.network_timeout": CLUSTER_RAFT_NETWORKTIMEOUT in this environment: expected a non-zero Go ' +
      'duration, got "ten seconds"; the daemon ignores it (raft logs a warning) and keeps "10s"';
    const env = initEnv({ CLUSTER_RAFT_NETWORKTIMEOUT: "ten seconds", CLUSTER_RAFT_ELECTIONTIMEOUT: "2s" });
    const ran = kitcfg(["configure", "ipfs-cluster-service", "--profile", "raft"], { root, env });
    expect(ran.code).toBe(0);
    expect(ran.stderr).toContain(warning);
    // A duration raft reads is written, without a word.
    expect(ran.stderr).not.toContain("CLUSTER_RAFT_ELECTIONTIMEOUT");
    expect(JSON.parse(readFileSync(serviceFile(), "utf8")).consensus.raft.election_timeout).toBe("2s");
    const validated = kitcfg(["validate", "ipfs-cluster-service"], { root, env });
    expect(validated.code).toBe(0);
    expect(validated.stdout + validated.stderr).toContain(warning);
  });

  test("crdt stops at a duration that does not parse and keeps it and the later ones at their defaults", () => {
    const env = initEnv({ CLUSTER_CRDT_BATCHING_MAXBATCHAGE: "soon", CLUSTER_CRDT_REPAIRINTERVAL: "2h" });
    expect(kitcfg(["configure", "ipfs-cluster-service"], { root, env }).code).toBe(0);
    expect(readFileSync(serviceFile(), "utf8")).toBe(fixture("crdt-pebble.service.json"));
  });

  test("an empty CLUSTER_PUBSUBMON_CHECKINTERVAL is refused: pubsubmon reads it as 0", () => {
    const ran = kitcfg(["configure", "ipfs-cluster-service"], {
      root,
      env: initEnv({ CLUSTER_PUBSUBMON_CHECKINTERVAL: "" }),
    });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain("Cannot apply CLUSTER_PUBSUBMON_CHECKINTERVAL: expected a Go duration greater than 0");
  });

  test("what a variable gives is reported as its value, not as one it replaces; a warning about it stays", () => {
    const refused = kitcfg(["configure", "ipfs-cluster-service"], {
      root,
      env: initEnv({ CLUSTER_STATELESS_CONCURRENTPINS: "-1" }),
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      '"pin_tracker.stateless.concurrent_pins": must be greater than 0 (0 keeps the default) ' +
        "(CLUSTER_STATELESS_CONCURRENTPINS in this environment gives the same value)",
    );
    expect(refused.stderr).not.toContain("replaces it");
    // cluster.go NewCluster skips a peer address without /p2p/ in silence: a warning, at configure and after.
    const env = initEnv({ CLUSTER_PEERADDRESSES: "/ip4/10.0.0.2/tcp/9096" });
    for (const command of ["configure", "validate"]) {
      const ran = kitcfg([command, "ipfs-cluster-service"], { root, env });
      expect(ran.code).toBe(0);
      expect(ran.stderr).toContain('"cluster.peer_addresses": ');
      expect(ran.stderr).toContain("(CLUSTER_PEERADDRESSES in this environment gives the same value)");
    }
  });

  test("a value its Go type does not take is refused naming the variable, and nothing is written", () => {
    const ran = kitcfg(["configure", "ipfs-cluster-service"], {
      root,
      env: initEnv({ CLUSTER_STATELESS_CONCURRENTPINS: "ten" }),
    });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('Cannot apply CLUSTER_STATELESS_CONCURRENTPINS: expected a number, got "ten"');
    expect(kitcfg(["status", "ipfs-cluster-service"], { root }).stdout).not.toContain("valid");
  });

  test("a refused credentials variable is named, its value never printed", () => {
    const ran = kitcfg(["configure", "ipfs-cluster-service"], {
      root,
      env: initEnv({ CLUSTER_RESTAPI_BASICAUTHCREDENTIALS: "bob-hunter2" }),
    });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain("CLUSTER_RESTAPI_BASICAUTHCREDENTIALS");
    expect(ran.stdout + ran.stderr).not.toContain("hunter2");
  });
});

describe('ipfs-cluster-service: configure keeps the default where init reads 0 or "" as unset', () => {
  // config.SetIfNotDefault, `len(...) > 0` tests and the datastores' mergo.WithOverride keep what the
  // component holds for a zero value; max_header_bytes 0 gives 4096 (FORMATS.md §4 "Environment variables").
  const ZERO: [profile: string, file: string, env: Record<string, string>][] = [
    [
      "crdt",
      "crdt-pebble",
      {
        CLUSTER_REPLICATIONFACTORMIN: "0",
        CLUSTER_REPLICATIONFACTORMAX: "0",
        CLUSTER_PEERSTOREFILE: "",
        CLUSTER_CRDT_CLUSTERNAME: "",
        CLUSTER_CRDT_PEERSETMETRIC: "",
        CLUSTER_CRDT_DATASTORENAMESPACE: "",
        CLUSTER_CRDT_BATCHING_MAXQUEUESIZE: "0",
        CLUSTER_RESTAPI_HTTPLISTENMULTIADDRESS: "",
        CLUSTER_RESTAPI_MAXHEADERBYTES: "0",
        CLUSTER_PINSVCAPI_LIBP2PLISTENMULTIADDRESS: " ",
        CLUSTER_IPFSPROXY_LISTENMULTIADDRESS: "",
        CLUSTER_IPFSPROXY_NODEMULTIADDRESS: "",
        CLUSTER_IPFSPROXY_NODEHTTPS: "false",
        CLUSTER_IPFSPROXY_LOGFILE: "",
        CLUSTER_IPFSPROXY_EXTRACTHEADERSEXTRA: "",
        CLUSTER_IPFSPROXY_EXTRACTHEADERSPATH: "",
        CLUSTER_STATELESS_MAXPINQUEUESIZE: "0",
        CLUSTER_STATELESS_CONCURRENTPINS: "0",
        CLUSTER_STATELESS_PRIORITYPINMAXRETRIES: "0x0",
        CLUSTER_BALANCED_ALLOCATEBY: "",
        CLUSTER_PEBBLE_FOLDER: "",
        CLUSTER_PEBBLE_PEBBLEOPTIONS_MAXOPENFILES: "0",
        CLUSTER_PEBBLE_PEBBLEOPTIONS_CACHESIZEBYTES: "-1",
        CLUSTER_PEBBLE_PEBBLEOPTIONS_READONLY: "0",
      },
    ],
    [
      "raft",
      "raft",
      {
        CLUSTER_RAFT_DATAFOLDER: "",
        CLUSTER_RAFT_BACKUPSROTATE: "0",
        CLUSTER_RAFT_MAXAPPENDENTRIES: "0",
        CLUSTER_RAFT_TRAILINGLOGS: "0",
        CLUSTER_RAFT_SNAPSHOTTHRESHOLD: "0",
      },
    ],
    [
      "badger3",
      "crdt-badger3",
      {
        CLUSTER_BADGER3_FOLDER: "",
        CLUSTER_BADGER3_GCDISCARDRATIO: "0",
        CLUSTER_BADGER3_BADGEROPTIONS_VALUETHRESHOLD: "0",
        CLUSTER_BADGER3_BADGEROPTIONS_NUMVERSIONSTOKEEP: "0",
      },
    ],
    ["badger", "crdt-badger", { CLUSTER_BADGER_BADGEROPTIONS_MAXTABLESIZE: "0", CLUSTER_BADGER_GCDISCARDRATIO: "0.0" }],
    [
      "leveldb",
      "crdt-leveldb",
      { CLUSTER_LEVELDB_FOLDER: "", CLUSTER_LEVELDB_LEVELDBOPTIONS_COMPACTIONTABLESIZEMULTIPLIERPERLEVEL: "" },
    ],
  ];
  for (const [profile, file, env] of ZERO)
    test(`each zero variable of --profile ${profile} writes what init writes (${file})`, () => {
      const ran = kitcfg(["configure", "ipfs-cluster-service", "--profile", profile], { root, env: initEnv(env) });
      expect([ran.code, ran.stderr]).toEqual([0, ""]);
      expect(readFileSync(serviceFile(), "utf8")).toBe(fixture(`${file}.service.json`));
    });

  test("badger's loading modes are set after the merge: 0 is written as 0", () => {
    const env = initEnv({ CLUSTER_BADGER_BADGEROPTIONS_TABLELOADINGMODE: "0" });
    expect(kitcfg(["configure", "ipfs-cluster-service", "--profile", "badger"], { root, env }).code).toBe(0);
    expect(JSON.parse(readFileSync(serviceFile(), "utf8")).datastore.badger.badger_options.table_loading_mode).toBe(0);
  });

  test("a string the component reads as it is stays empty, and is refused where the daemon refuses it", () => {
    const env = initEnv({ CLUSTER_TRACING_SERVICENAME: "" });
    expect(kitcfg(["configure", "ipfs-cluster-service"], { root, env }).code).toBe(0);
    expect(JSON.parse(readFileSync(serviceFile(), "utf8")).observations.tracing.service_name).toBe("");
    // ipfshttp parses node_multiaddress whatever it holds: "" is no multiaddr.
    const refused = kitcfg(["configure", "ipfs-cluster-service", "--force"], {
      root,
      env: initEnv({ CLUSTER_IPFSHTTP_NODEMULTIADDRESS: "" }),
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('"ipfs_connector.ipfshttp.node_multiaddress"');
  });

  test("a negative replication factor is still refused, naming the variable", () => {
    const ran = kitcfg(["configure", "ipfs-cluster-service"], {
      root,
      env: initEnv({ CLUSTER_REPLICATIONFACTORMIN: "-2" }),
    });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('"cluster.replication_factor_min": is -2');
    expect(ran.stderr).toContain("CLUSTER_REPLICATIONFACTORMIN");
  });
});

describe("ipfs-cluster-service: configure reads a list variable's items as envconfig reads the element type", () => {
  const PER_LEVEL = "CLUSTER_LEVELDB_LEVELDBOPTIONS_COMPACTIONTABLESIZEMULTIPLIERPERLEVEL";
  const perLevel = () =>
    JSON.parse(readFileSync(serviceFile(), "utf8")).datastore.leveldb.leveldb_options
      .compaction_table_size_multiplier_per_level;

  test("leveldb's *_per_level items are Go floats (strconv.ParseFloat)", () => {
    const env = initEnv({ [PER_LEVEL]: "1.5,0x1p1,1_0,2e1" });
    expect(kitcfg(["configure", "ipfs-cluster-service", "--profile", "leveldb"], { root, env }).code).toBe(0);
    expect(perLevel()).toEqual([1.5, 2, 10, 20]);
  });

  for (const [text, item] of [
    ["1.5, 2", 'item 1, " 2",'],
    ["1.5,x", 'item 1, "x",'],
    ["1e400", 'item 0, "1e400",'],
    ["1,,2", 'item 1, "",'],
  ] as [string, string][])
    test(`an item ParseFloat refuses (${JSON.stringify(text)}) is refused naming the variable, nothing written`, () => {
      const ran = kitcfg(["configure", "ipfs-cluster-service", "--profile", "leveldb"], {
        root,
        env: initEnv({ [PER_LEVEL]: text }),
      });
      expect(ran.code).toBe(1);
      expect(ran.stderr).toContain(`Cannot apply ${PER_LEVEL}: expected comma-separated numbers (${item} is not one)`);
      expect(existsSync(serviceFile())).toBe(false);
    });
});

describe("ipfs-cluster-service: configure applies CLUSTER_ID and CLUSTER_PRIVATEKEY as init does", () => {
  const identity = JSON.parse(readFileSync(join(FIXTURES, "ipfs-cluster-service", "identity.json"), "utf8"));
  const OTHER_ID = "12D3KooWGU72UzYkzVAiTyNLugX72zoDPTGkRegoKcTfB8oWxSuu";
  const identityFile = () => JSON.parse(readFileSync(join(root, ".ipfs-cluster", "identity.json"), "utf8"));
  const configure = (extra: Record<string, string>) =>
    kitcfg(["configure", "ipfs-cluster-service"], { root, env: initEnv(extra) });

  test("both variables of one identity make identity.json, which validates", () => {
    const ran = configure({ CLUSTER_ID: identity.id, CLUSTER_PRIVATEKEY: identity.private_key });
    expect(ran.code).toBe(0);
    expect(identityFile()).toEqual(identity);
    expect(kitcfg(["validate", "ipfs-cluster-service"], { root, env: initEnv() }).code).toBe(0);
  });

  test("an Ed25519 key with the older redundant public key is written back as go-libp2p marshals it", () => {
    const key = Buffer.from(identity.private_key, "base64");
    const long = Buffer.concat([Buffer.from([0x08, 0x01, 0x12, 0x60]), key.subarray(4, 68), key.subarray(36, 68)]);
    expect(configure({ CLUSTER_ID: identity.id, CLUSTER_PRIVATEKEY: long.toString("base64") }).code).toBe(0);
    expect(identityFile()).toEqual(identity);
  });

  const refusals: [string, Record<string, string>, string][] = [
    ["an ID alone", { CLUSTER_ID: OTHER_ID }, "Cannot apply CLUSTER_ID: init takes it only with CLUSTER_PRIVATEKEY"],
    [
      "a key alone",
      {},
      `Cannot apply CLUSTER_PRIVATEKEY: init takes it only with CLUSTER_ID, the key's peer ID (${PEER_ID})`,
    ],
    ["an ID of another key", { CLUSTER_ID: OTHER_ID }, `"${OTHER_ID}" is not the peer ID of CLUSTER_PRIVATEKEY`],
    ["an ID that does not decode", { CLUSTER_ID: "peer-1" }, "Cannot apply CLUSTER_ID: expected a peer ID"],
    [
      "a key that does not decode",
      { CLUSTER_PRIVATEKEY: "c2VjcmV0LWtleQ" },
      "Cannot apply CLUSTER_PRIVATEKEY: the private key does not decode",
    ],
  ];
  for (const [what, extra, message] of refusals)
    test(`${what} is refused as init refuses it, the key never printed, nothing written`, () => {
      const withKey: Record<string, string> =
        what === "an ID alone" ? {} : { CLUSTER_PRIVATEKEY: identity.private_key };
      const ran = configure({ ...withKey, ...extra });
      expect(ran.code).toBe(1);
      expect(ran.stderr).toContain(message);
      expect(ran.stdout + ran.stderr).not.toContain(identity.private_key);
      expect(ran.stdout + ran.stderr).not.toContain("c2VjcmV0LWtleQ");
      expect(existsSync(join(root, ".ipfs-cluster"))).toBe(false);
    });
});

describe("ipfs-cluster-service: configure applies the HTTP APIs' TLS and libp2p variables as init does", () => {
  const identity = JSON.parse(readFileSync(join(FIXTURES, "ipfs-cluster-service", "identity.json"), "utf8"));
  const folder = () => join(root, ".ipfs-cluster");
  const libp2p = (key: string) => ({
    CLUSTER_RESTAPI_LIBP2PLISTENMULTIADDRESS: "/ip4/0.0.0.0/tcp/9196",
    CLUSTER_RESTAPI_ID: identity.id,
    CLUSTER_RESTAPI_PRIVATEKEY: key,
  });
  /** The TLS pair in service.json's folder, where the daemon reads a relative path from. */
  const installTls = () => {
    mkdirSync(folder(), { recursive: true });
    for (const name of ["server.crt", "server.key"])
      copyFileSync(join(FIXTURES, "ipfs-cluster-service", "ssl-basic_auth", name), join(folder(), name));
  };

  test("they are written where init writes them, the key as go-libp2p marshals it and never shown", () => {
    installTls();
    // The older Ed25519 form, with the redundant public key: written back in 64 bytes.
    const key = Buffer.from(identity.private_key, "base64");
    const long = Buffer.concat([Buffer.from([0x08, 0x01, 0x12, 0x60]), key.subarray(4, 68), key.subarray(36, 68)]);
    const env = initEnv({
      CLUSTER_RESTAPI_SSLCERTFILE: "server.crt",
      CLUSTER_RESTAPI_SSLKEYFILE: "server.key",
      ...libp2p(long.toString("base64")),
    });
    const dry = kitcfg(["configure", "ipfs-cluster-service", "--dry-run"], { root, env });
    expect(dry.stdout).toContain('"ssl_cert_file": "server.crt"');
    const ran = kitcfg(["configure", "ipfs-cluster-service"], { root, env });
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    const restapi = JSON.parse(readFileSync(serviceFile(), "utf8")).api.restapi;
    expect(Object.keys(restapi).slice(0, 4)).toEqual([
      "http_listen_multiaddress",
      "ssl_cert_file",
      "ssl_key_file",
      "read_timeout",
    ]);
    expect(Object.keys(restapi).slice(8, 12)).toEqual([
      "libp2p_listen_multiaddress",
      "id",
      "private_key",
      "basic_auth_credentials",
    ]);
    expect(restapi).toMatchObject({
      ssl_cert_file: "server.crt",
      ssl_key_file: "server.key",
      libp2p_listen_multiaddress: "/ip4/0.0.0.0/tcp/9196",
      id: identity.id,
      private_key: identity.private_key,
    });
    expect(kitcfg(["validate", "ipfs-cluster-service"], { root, env: initEnv() }).code).toBe(0);
    const shown = [
      dry,
      ran,
      kitcfg(["show", "ipfs-cluster-service", "--json"], { root }),
      kitcfg(["history", "ipfs-cluster-service"], { root }),
    ];
    for (const each of shown) expect(each.stdout + each.stderr).not.toContain(identity.private_key);
  });

  test("a TLS file the daemon would not find beside service.json is refused naming the variable", () => {
    const ran = kitcfg(["configure", "ipfs-cluster-service"], {
      root,
      env: initEnv({ CLUSTER_PINSVCAPI_SSLCERTFILE: "server.crt", CLUSTER_PINSVCAPI_SSLKEYFILE: "server.key" }),
    });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('"api.pinsvcapi.ssl_cert_file": names');
    expect(ran.stderr).toContain("(CLUSTER_PINSVCAPI_SSLCERTFILE in this environment gives the same value)");
    expect(existsSync(serviceFile())).toBe(false);
  });

  test("an endpoint init refuses is refused, the key never printed", () => {
    const withoutKey = kitcfg(["configure", "ipfs-cluster-service"], {
      root,
      env: initEnv({
        CLUSTER_RESTAPI_ID: identity.id,
        CLUSTER_RESTAPI_LIBP2PLISTENMULTIADDRESS: "/ip4/0.0.0.0/tcp/9196",
      }),
    });
    expect(withoutKey.code).toBe(1);
    expect(withoutKey.stderr).toContain("id, private_key and libp2p_listen_multiaddress must be set together");
    const badKey = kitcfg(["configure", "ipfs-cluster-service"], { root, env: initEnv(libp2p("c2VjcmV0LWtleQ")) });
    expect(badKey.code).toBe(1);
    expect(badKey.stderr).toContain('"api.restapi.private_key": cannot be used: the private key does not decode');
    expect(badKey.stdout + badKey.stderr).not.toContain("c2VjcmV0LWtleQ");
    expect(existsSync(serviceFile())).toBe(false);
  });
});
