import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { withClusterEnv } from "../../plugins/ipfs-cluster/env.ts";
import { cleanEnv, kitcfg, tempDir } from "../helpers.ts";

// `ipfs-cluster-service daemon` and `ipfs-cluster-follow <name> run` validate service.json, then
// apply the CLUSTER_* variables of their environment over it and validate again (FORMATS.md
// §4 "ipfs-cluster load-time rules"). `validate` judges the file with kitcfg's own variables.

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

const SECRET = "ab".repeat(32);
const serviceFile = () => join(root, ".ipfs-cluster", "service.json");
const validate = (daemon: string, extra: Record<string, string> = {}, args: string[] = []) => {
  const ran = kitcfg(["validate", daemon, ...args], { root, env: cleanEnv(root, extra) });
  return { code: ran.code, output: ran.stdout + ran.stderr };
};
/** Rewrite one value of service.json as a hand edit would. */
function editService(edit: (config: Record<string, Record<string, unknown>>) => void): void {
  const config = JSON.parse(readFileSync(serviceFile(), "utf8"));
  edit(config);
  writeFileSync(serviceFile(), JSON.stringify(config, null, 2));
}

describe("ipfs-cluster-service: validate applies this environment's CLUSTER_* variables as the daemon does", () => {
  beforeEach(() => {
    expect(kitcfg(["configure", "ipfs-cluster-service"], { root }).code).toBe(0);
  });

  test("a value its Go type does not take fails, naming the variable and the environment", () => {
    expect(validate("ipfs-cluster-service").code).toBe(0);
    const ran = validate("ipfs-cluster-service", { CLUSTER_STATELESS_CONCURRENTPINS: "ten" });
    expect(ran.code).toBe(1);
    expect(ran.output).toContain(
      '"pin_tracker.stateless.concurrent_pins": CLUSTER_STATELESS_CONCURRENTPINS in this environment: ' +
        'expected a number, got "ten"; the daemon stops at start if it runs with this environment too',
    );
  });

  test("a value the component refuses is judged where it lands, naming the variable", () => {
    const ran = validate("ipfs-cluster-service", { CLUSTER_STATELESS_CONCURRENTPINS: "-1" });
    expect(ran.code).toBe(1);
    expect(ran.output).toContain('"pin_tracker.stateless.concurrent_pins": must be greater than 0');
    expect(ran.output).toContain(
      "(with CLUSTER_STATELESS_CONCURRENTPINS from this environment, as the daemon reads it",
    );
  });

  test("a zero the component reads as unset keeps the file's value, as the daemon keeps it", () => {
    editService((config) => {
      config.cluster!.replication_factor_min = 2;
      config.cluster!.replication_factor_max = 3;
    });
    // cluster_config.go applyConfigJSON: SetIfNotDefault keeps 2 for a 0.
    const kept = validate("ipfs-cluster-service", { CLUSTER_REPLICATIONFACTORMIN: "0" });
    expect(kept.output).not.toContain("replication_factor");
    expect(kept.code).toBe(0);
    const refused = validate("ipfs-cluster-service", { CLUSTER_REPLICATIONFACTORMIN: "-2" });
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('"cluster.replication_factor_min": is -2');
  });

  // cluster_config.go applyConfigJSON -> DecodeClusterSecret(""): the empty secret, an unprotected network.
  test("an empty CLUSTER_SECRET is the empty secret the daemon runs with: a warning naming it", () => {
    const ran = validate("ipfs-cluster-service", { CLUSTER_SECRET: "" });
    expect(ran.code).toBe(0);
    expect(ran.output).toContain(
      '"cluster.secret": is empty: the cluster runs on an unprotected network that any peer can join ' +
        "(with CLUSTER_SECRET from this environment",
    );
    // configure keeps its random secret all the same (kitcfg's choice, FORMATS.md §4).
    expect(JSON.parse(readFileSync(serviceFile(), "utf8")).cluster.secret).toMatch(/^[0-9a-f]{64}$/);
  });

  test("a rule across keys names the variable that broke it", () => {
    const ran = validate("ipfs-cluster-service", { CLUSTER_CONNECTIONMANAGER_HIGHWATER: "1", CLUSTER_PEERNAME: "p" });
    expect(ran.code).toBe(1);
    expect(ran.output).toContain(
      '"cluster.connection_manager.low_water": is 100, greater than high_water (1) ' +
        "(with CLUSTER_CONNECTIONMANAGER_HIGHWATER from this environment,",
    );
  });

  test("a secret variable is named, its value never printed, in text or JSON", () => {
    const env = { CLUSTER_SECRET: "zz-not-hex-zz", CLUSTER_RESTAPI_BASICAUTHCREDENTIALS: "bob-hunter2" };
    for (const args of [[], ["--json"]]) {
      const ran = validate("ipfs-cluster-service", env, args);
      expect(ran.code).toBe(1);
      expect(ran.output).toContain("CLUSTER_SECRET");
      expect(ran.output).toContain("CLUSTER_RESTAPI_BASICAUTHCREDENTIALS");
      expect(ran.output).not.toContain("zz-not-hex");
      expect(ran.output).not.toContain("hunter2");
    }
  });

  test("a warning about a file value a variable replaces is not given; an error in the file still is", () => {
    editService((config) => {
      (config.cluster as Record<string, unknown>).secret = "";
      (config.pin_tracker as Record<string, Record<string, unknown>>).stateless!.concurrent_pins = -2;
    });
    const plain = validate("ipfs-cluster-service");
    expect(plain.output).toContain('"cluster.secret": is empty');
    const ran = validate("ipfs-cluster-service", { CLUSTER_SECRET: SECRET, CLUSTER_STATELESS_CONCURRENTPINS: "4" });
    expect(ran.output).not.toContain('"cluster.secret"');
    // The daemon validates the file before it applies the variables: -2 still stops it.
    expect(ran.output).toContain(
      '"pin_tracker.stateless.concurrent_pins": must be greater than 0 (0 keeps the default) ' +
        "(CLUSTER_STATELESS_CONCURRENTPINS in this environment replaces it " +
        "only after the daemon has validated the file)",
    );
    expect(ran.code).toBe(1);
  });
});

describe("ipfs-cluster-service: validate applies CLUSTER_ID and CLUSTER_PRIVATEKEY over identity.json", () => {
  const OTHER_ID = "12D3KooWFMMrT3ChFWoTz9L7QFmiLnnMXC7D51KwrCjJdiuYPJqQ";
  const identity = () => JSON.parse(readFileSync(join(root, ".ipfs-cluster", "identity.json"), "utf8"));
  beforeEach(() => {
    expect(kitcfg(["configure", "ipfs-cluster-service"], { root }).code).toBe(0);
  });

  test("the file's own ID, or both halves of it, pass", () => {
    const { id, private_key: key } = identity();
    expect(validate("ipfs-cluster-service", { CLUSTER_ID: id }).code).toBe(0);
    expect(validate("ipfs-cluster-service", { CLUSTER_ID: id, CLUSTER_PRIVATEKEY: key }).code).toBe(0);
  });

  test("an ID that is not identity.json's key's fails, naming the variable", () => {
    const ran = validate("ipfs-cluster-service", { CLUSTER_ID: OTHER_ID });
    expect(ran.code).toBe(1);
    expect(ran.output).toContain(
      `"identity": CLUSTER_ID in this environment: "${OTHER_ID}" is not the peer ID of identity.json's private key`,
    );
  });

  test("a key that does not decode fails, and is never printed", () => {
    const ran = validate("ipfs-cluster-service", { CLUSTER_PRIVATEKEY: "c2VjcmV0LWtleQ" });
    expect(ran.code).toBe(1);
    expect(ran.output).toContain('"identity": CLUSTER_PRIVATEKEY in this environment: the private key does not decode');
    expect(ran.output).not.toContain("c2VjcmV0LWtleQ");
  });
});

describe("ipfs-cluster-follow: validate applies this environment's CLUSTER_* variables as `run` does", () => {
  const follow = (instance: string, extra: Record<string, string> = {}) =>
    validate("ipfs-cluster-follow", extra, ["--instance", instance]);

  test("over a full local service.json", () => {
    expect(kitcfg(["configure", "ipfs-cluster-follow", "--instance", "local"], { root }).code).toBe(0);
    expect(follow("local").code).toBe(0);
    const ran = follow("local", { CLUSTER_STATELESS_CONCURRENTPINS: "ten" });
    expect(ran.code).toBe(1);
    expect(ran.output).toContain(
      '"pin_tracker.stateless.concurrent_pins": CLUSTER_STATELESS_CONCURRENTPINS in this environment',
    );
  });

  test("over the REST API `run` starts on its socket, with no api.restapi in the file or a source", () => {
    for (const [instance, args] of [
      ["local", []],
      ["remote", ["--source", "https://cluster.example.org/service.json"]],
    ] as const) {
      const configured = kitcfg(["configure", "ipfs-cluster-follow", "--instance", instance, ...args], { root });
      expect(configured.code).toBe(0);
      expect(follow(instance, { CLUSTER_RESTAPI_READTIMEOUT: "5s" }).code).toBe(0);
      const ran = follow(instance, { CLUSTER_RESTAPI_READTIMEOUT: "soon" });
      expect(ran.code).toBe(1);
      expect(ran.output).toContain(
        '"api.restapi.read_timeout": CLUSTER_RESTAPI_READTIMEOUT in this environment: ' +
          'expected a Go duration ("30s", "1m30s"), got "soon"; ' +
          "the daemon stops at start if it runs with this environment too",
      );
    }
  });
});

describe("ipfs-cluster-service: validate applies the variables to what service.json leaves out, as the daemon", () => {
  // config/config.go LoadJSON gives a component the file leaves out its Default(), and
  // ApplyEnvVars reaches every registered component and every field of its JSON struct.
  const OMITTED = "which the daemon loads though the file leaves it out";
  beforeEach(() => {
    expect(kitcfg(["configure", "ipfs-cluster-service"], { root }).code).toBe(0);
  });

  test("a component the file leaves out is judged at its defaults, never started", () => {
    editService((config) => delete (config.api as Record<string, unknown>).restapi);
    const ran = validate("ipfs-cluster-service", { CLUSTER_RESTAPI_HTTPLISTENMULTIADDRESS: "garbage" });
    expect(ran.code).toBe(1);
    expect(ran.output).toContain('"api.restapi.http_listen_multiaddress": "garbage" is not a valid multiaddr');
    expect(ran.output).toContain(
      `with CLUSTER_RESTAPI_HTTPLISTENMULTIADDRESS from this environment over the defaults of api.restapi, ${OMITTED}`,
    );
    // Parsed, and never listened on: the service starts only the APIs in the file.
    expect(
      validate("ipfs-cluster-service", { CLUSTER_RESTAPI_HTTPLISTENMULTIADDRESS: "/ip4/1.2.3.4/udp/5" }).code,
    ).toBe(0);
  });

  test("raft's variables reach the raft component a crdt peer registers and leaves at its defaults", () => {
    const ran = validate("ipfs-cluster-service", { CLUSTER_RAFT_COMMITRETRIES: "-1" });
    expect(ran.code).toBe(1);
    expect(ran.output).toContain('"consensus.raft.commit_retries": cannot be negative, got -1');
    expect(validate("ipfs-cluster-service", { CLUSTER_RAFT_COMMITRETRIES: "3" }).code).toBe(0);
    // A duration raft does not parse keeps its value: the daemon starts.
    expect(validate("ipfs-cluster-service", { CLUSTER_RAFT_WAITFORLEADERTIMEOUT: "bad" }).code).toBe(0);
  });

  test("an unused datastore's variables are judged too; numpin, never registered, takes none", () => {
    const ran = validate("ipfs-cluster-service", { CLUSTER_BADGER_GCDISCARDRATIO: "2" });
    expect(ran.code).toBe(1);
    expect(ran.output).toContain('"datastore.badger.gc_discard_ratio": must be more than 0 and less than 1, got 2');
    expect(validate("ipfs-cluster-service", { CLUSTER_BADGER_GCDISCARDRATIO: "0.5" }).code).toBe(0);
    expect(validate("ipfs-cluster-service", { CLUSTER_NUMPIN_METRICTTL: "soon" }).code).toBe(0);
  });

  test("a key the file leaves out takes its variable as one it holds", () => {
    editService(
      (config) => delete (config.pin_tracker as Record<string, Record<string, unknown>>).stateless!.concurrent_pins,
    );
    const refused = validate("ipfs-cluster-service", { CLUSTER_STATELESS_CONCURRENTPINS: "ten" });
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(
      '"pin_tracker.stateless.concurrent_pins": CLUSTER_STATELESS_CONCURRENTPINS in this environment: ' +
        'expected a number, got "ten"',
    );
    const negative = validate("ipfs-cluster-service", { CLUSTER_STATELESS_CONCURRENTPINS: "-3" });
    expect(negative.code).toBe(1);
    expect(negative.output).toContain('"pin_tracker.stateless.concurrent_pins": must be greater than 0');
    expect(validate("ipfs-cluster-service", { CLUSTER_STATELESS_CONCURRENTPINS: "3" }).code).toBe(0);
  });

  test("a struct the file leaves out is the loaded one, with its variable over it", () => {
    editService((config) => delete config.cluster!.connection_manager);
    const ran = validate("ipfs-cluster-service", { CLUSTER_CONNECTIONMANAGER_HIGHWATER: "1" });
    expect(ran.code).toBe(1);
    expect(ran.output).toContain('"cluster.connection_manager.low_water": is 100, greater than high_water (1)');
    expect(validate("ipfs-cluster-service", { CLUSTER_CONNECTIONMANAGER_HIGHWATER: "500" }).code).toBe(0);
  });

  test("a pebble option kitcfg does not write is read at its type's zero", () => {
    const ran = validate("ipfs-cluster-service", { CLUSTER_PEBBLE_PEBBLEOPTIONS_FORMATMAJORVERSION: "99" });
    expect(ran.code).toBe(1);
    expect(ran.output).toContain('"datastore.pebble.pebble_options.format_major_version": must be 13 to 24');
    expect(validate("ipfs-cluster-service", { CLUSTER_PEBBLE_PEBBLEOPTIONS_FORMATMAJORVERSION: "20" }).code).toBe(0);
  });

  test("with a source, a variable whose type the daemon refuses fails whatever the source gives", () => {
    const configured = kitcfg(
      ["update", "ipfs-cluster-service", "--set", "source=https://cluster.example.org/s.json"],
      {
        root,
      },
    );
    expect(configured.code).toBe(0);
    const ran = validate("ipfs-cluster-service", { CLUSTER_STATELESS_CONCURRENTPINS: "ten" });
    expect(ran.code).toBe(1);
    expect(ran.output).toContain(
      '"pin_tracker.stateless.concurrent_pins": CLUSTER_STATELESS_CONCURRENTPINS in this environment',
    );
    expect(validate("ipfs-cluster-service", { CLUSTER_STATELESS_CONCURRENTPINS: "5" }).code).toBe(0);
  });
});

describe("ipfs-cluster-service: validate reads a list variable's items as envconfig reads the element type", () => {
  test("pebble's levels: any item is a zero levelOptions (a struct envconfig cannot fill), which pebble takes", () => {
    const zero = {
      block_restart_interval: 0,
      block_size: 0,
      block_size_threshold: 0,
      compression: 0,
      filter_type: 0,
      filter_policy: 0,
      index_block_size: 0,
      target_file_size: 0,
    };
    const read = (text: string) =>
      withClusterEnv({ pebble_options: { levels: [] } }, "CLUSTER_PEBBLE", {
        CLUSTER_PEBBLE_PEBBLEOPTIONS_LEVELS: text,
      }).pebble_options;
    expect(read("a,{}")).toEqual({ levels: [zero, zero] });
    expect(read(" ")).toEqual({ levels: [] });
    expect(kitcfg(["configure", "ipfs-cluster-service"], { root }).code).toBe(0);
    const ran = validate("ipfs-cluster-service", { CLUSTER_PEBBLE_PEBBLEOPTIONS_LEVELS: "a,b" });
    expect([ran.code, ran.output.includes("CLUSTER_PEBBLE")]).toEqual([0, false]);
  });

  test("leveldb's *_per_level: an item that is no float stops the start, naming the variable", () => {
    expect(kitcfg(["configure", "ipfs-cluster-service", "--profile", "leveldb"], { root }).code).toBe(0);
    const name = "CLUSTER_LEVELDB_LEVELDBOPTIONS_COMPACTIONTOTALSIZEMULTIPLIERPERLEVEL";
    expect(validate("ipfs-cluster-service", { [name]: "10,12.5" }).code).toBe(0);
    const ran = validate("ipfs-cluster-service", { [name]: "10,ten" });
    expect(ran.code).toBe(1);
    expect(ran.output).toContain(
      `"datastore.leveldb.leveldb_options.compaction_total_size_multiplier_per_level": ${name} in this environment: ` +
        'expected comma-separated numbers (item 1, "ten", is not one)',
    );
  });
});

describe("ipfs-cluster-follow: with a source, validate reports a value refused whatever the source gives", () => {
  // Each component's ApplyEnvVars ends in its Validate: a value refused on its own stops `run`.
  const WHATEVER = "from this environment, whatever the source gives, if it runs with this environment too)";
  const follow = (extra: Record<string, string>) => validate("ipfs-cluster-follow", extra, ["--instance", "remote"]);
  beforeEach(() => {
    const args = ["--instance", "remote", "--source", "https://cluster.example.org/service.json"];
    expect(kitcfg(["configure", "ipfs-cluster-follow", ...args], { root }).code).toBe(0);
  });

  test("a bound of one key: refused, and a value it takes (0 keeps the source's) passes", () => {
    const ran = follow({ CLUSTER_STATELESS_CONCURRENTPINS: "-1" });
    expect(ran.code).toBe(1);
    expect(ran.output).toContain(
      `"pin_tracker.stateless.concurrent_pins": must be greater than 0 (0 keeps the default) ` +
        `(with CLUSTER_STATELESS_CONCURRENTPINS ${WHATEVER}`,
    );
    expect(follow({ CLUSTER_STATELESS_CONCURRENTPINS: "0" }).code).toBe(0);
    expect(follow({ CLUSTER_STATELESS_CONCURRENTPINS: "4" }).code).toBe(0);
  });

  test("every registered component's own checks: a multiaddr, a ratio, a count, the secret", () => {
    const ran = follow({
      CLUSTER_RESTAPI_HTTPLISTENMULTIADDRESS: "garbage",
      CLUSTER_BADGER_GCDISCARDRATIO: "2",
      CLUSTER_RAFT_COMMITRETRIES: "-1",
      CLUSTER_SECRET: "zz-not-hex-zz",
      CLUSTER_REPLICATIONFACTORMIN: "-3",
    });
    expect(ran.code).toBe(1);
    for (const fragment of [
      '"api.restapi.http_listen_multiaddress": "garbage" is not a valid multiaddr',
      '"datastore.badger.gc_discard_ratio": must be more than 0 and less than 1, got 2',
      '"consensus.raft.commit_retries": cannot be negative, got -1',
      '"cluster.secret": must be hexadecimal',
      '"cluster.replication_factor_min": is -3: use -1',
    ])
      expect(ran.output).toContain(fragment);
    expect(ran.output).not.toContain("zz-not-hex");
  });

  test("a rule across keys is judged only when variables give every key it compares", () => {
    // low_water against the source's high_water, min against the source's max: not known here.
    expect(follow({ CLUSTER_CONNECTIONMANAGER_LOWWATER: "500" }).code).toBe(0);
    expect(follow({ CLUSTER_REPLICATIONFACTORMIN: "3" }).code).toBe(0);
    const ran = follow({ CLUSTER_CONNECTIONMANAGER_LOWWATER: "500", CLUSTER_CONNECTIONMANAGER_HIGHWATER: "400" });
    expect(ran.code).toBe(1);
    expect(ran.output).toContain('"cluster.connection_manager.low_water": is 500, greater than high_water (400)');
    const both = follow({ CLUSTER_REPLICATIONFACTORMIN: "3", CLUSTER_REPLICATIONFACTORMAX: "2" });
    expect(both.code).toBe(1);
    expect(both.output).toContain('"cluster.replication_factor_min": is 3, larger than replication_factor_max (2)');
  });
});

describe("ipfs-cluster-service: validate warns of a duration variable raft or crdt ignores", () => {
  const WARNING =
    '"consensus.raft.network_timeout": CLUSTER_RAFT_NETWORKTIMEOUT in this environment: expected a non-zero ' +
    'Go duration, got "soon"; the daemon ignores it (raft logs a warning) and keeps "10s" ' +
    "if it runs with this environment too";

  test("over the file's raft section, and over the defaults of the one a crdt peer leaves out", () => {
    expect(kitcfg(["configure", "ipfs-cluster-service", "--profile", "raft"], { root }).code).toBe(0);
    const ran = validate("ipfs-cluster-service", { CLUSTER_RAFT_NETWORKTIMEOUT: "soon" });
    expect(ran.code).toBe(0);
    expect(ran.output).toContain(WARNING);
    const read = validate("ipfs-cluster-service", { CLUSTER_RAFT_NETWORKTIMEOUT: "1m" });
    expect([read.code, read.output.includes("CLUSTER_RAFT_NETWORKTIMEOUT")]).toEqual([0, false]);
    expect(kitcfg(["configure", "ipfs-cluster-service", "--force"], { root }).code).toBe(0);
    const crdt = validate("ipfs-cluster-service", { CLUSTER_RAFT_WAITFORLEADERTIMEOUT: "0s" });
    expect(crdt.code).toBe(0);
    expect(crdt.output).toContain(
      'CLUSTER_RAFT_WAITFORLEADERTIMEOUT in this environment: expected a non-zero Go duration, got "0s"',
    );
  });

  test("crdt's first duration that does not parse, and the ones it then does not read", () => {
    expect(kitcfg(["configure", "ipfs-cluster-service"], { root }).code).toBe(0);
    const ran = validate("ipfs-cluster-service", {
      CLUSTER_CRDT_BATCHING_MAXBATCHAGE: "soon",
      CLUSTER_CRDT_REPAIRINTERVAL: "2h",
    });
    expect(ran.code).toBe(0);
    expect(ran.output).toContain(
      '"consensus.crdt.batching.max_batch_age": CLUSTER_CRDT_BATCHING_MAXBATCHAGE in this environment: ' +
        'expected a Go duration, got "soon"; the daemon ignores it and the crdt durations after it',
    );
    expect(ran.output).toContain(
      '"consensus.crdt.repair_interval": CLUSTER_CRDT_REPAIRINTERVAL in this environment: is not read: ' +
        "the daemon stops at CLUSTER_CRDT_BATCHING_MAXBATCHAGE",
    );
  });
});
