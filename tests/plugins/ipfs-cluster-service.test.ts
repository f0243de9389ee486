import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { openKit } from "../../core/kit.ts";
import { checkIdentity, generateIdentity } from "../../sdk/libp2p.ts";
import { cleanEnv, FIXTURES, kitcfg, runCli, tempDir } from "../helpers.ts";
import { SERVICE_REFUSED, PEER } from "./_load-rules.ts";

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

const folder = () => join(root, ".ipfs-cluster");
const serviceFile = () => join(folder(), "service.json");
const identityFile = () => join(folder(), "identity.json");
const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"));

// ipfs-cluster @2182e887 test JSON (data, as the tests hold it), for the upstream-fixture table below.
const CCFG_TEST_JSON = `{"peername": "testpeer",
  "secret": "2588b80d5cb05374fa142aed6cbb047d1f4ef8ef15e37eba68c65b9d30df67ed", "leave_on_shutdown": true,
  "connection_manager": {"high_water": 501, "low_water": 500, "grace_period": "100m0s"},
  "listen_multiaddress": ["/ip4/127.0.0.1/tcp/10000", "/ip4/127.0.0.1/udp/10000/quic"],
  "state_sync_interval": "1m0s", "pin_recover_interval": "1m", "replication_factor_min": 5,
  "replication_factor_max": 5, "monitor_ping_interval": "2s", "pin_only_on_trusted_peers": true,
  "disable_repinning": true,
  "peer_addresses": ["/ip4/127.0.0.1/tcp/1234/p2p/QmXZrtE5jQwXNqCJMfHUTQkvhQ4ZAnqMnmzFMJfLewuabc"]}`;
const CRDT_CFG = `{"cluster_name": "test", "trusted_peers": ["QmUZ13osndQ5uL4tPWHXe3iBgBgq9gfewcBMSCAuMBsDJ6"],
  "batching": {"max_batch_size": 30, "max_batch_age": "5s", "max_queue_size": 150}, "repair_interval": "1m"}`;
const RAFT_CFG = `{"init_peerset": [], "wait_for_leader_timeout": "15s", "network_timeout": "1s", "commit_retries": 1,
  "commit_retry_delay": "200ms", "backups_rotate": 5, "heartbeat_timeout": "1s", "election_timeout": "1s",
  "commit_timeout": "50ms", "max_append_entries": 64, "trailing_logs": 10240, "snapshot_interval": "2m0s",
  "snapshot_threshold": 8192, "leader_lease_timeout": "500ms"}`;
const API_CFG = `{"http_listen_multiaddress": "/ip4/127.0.0.1/tcp/10002", "read_timeout": "0",
  "read_header_timeout": "5s", "write_timeout": "0", "idle_timeout": "2m0s",
  "headers": {"Access-Control-Allow-Headers": ["X-Requested-With", "Range"], "Access-Control-Allow-Methods": ["GET"],
  "Access-Control-Allow-Origin": ["*"]}}`;
const PROXY_CFG = `{"listen_multiaddress": "/ip4/127.0.0.1/tcp/9095", "node_multiaddress": "/ip4/127.0.0.1/tcp/5001",
  "log_file": "", "read_timeout": "10m0s", "read_header_timeout": "5s", "write_timeout": "10m0s",
  "idle_timeout": "1m0s", "max_header_bytes": 16384, "extract_headers_extra": [],
  "extract_headers_path": "/api/v0/version", "extract_headers_ttl": "5m"}`;
const IPFSHTTP_CFG = `{"node_multiaddress": "/ip4/127.0.0.1/tcp/5001", "connect_swarms_delay": "7s",
  "ipfs_request_timeout": "5m0s", "pin_timeout": "2m", "unpin_timeout": "3h", "repogc_timeout": "24h",
  "informer_trigger_interval": 10}`;
const STATELESS_CFG = `{"max_pin_queue_size": 4092, "concurrent_pins": 2, "priority_pin_max_age": "240h",
  "priority_pin_max_retries": 4}`;
const PEBBLE_LEVEL = `{"block_restart_interval": 16, "block_size": 4096, "block_size_threshold": 90,
  "compression": 0, "filter_type": 0, "index_block_size": 8000, "target_file_size": 2097152}`;
const PEBBLE_CFG = `{"folder": "test", "pebble_options": {"bytes_per_sync": 524288, "disable_wal": true,
  "flush_delay_delete_range": 0, "flush_delay_range_key": 0, "flush_split_bytes": 4194304,
  "format_major_version": 16, "l0_compaction_file_threshold": 500, "l0_compaction_threshold": 2,
  "l0_stop_writes_threshold": 12, "l_base_max_bytes": 67108864,
  "levels": [${PEBBLE_LEVEL}, ${PEBBLE_LEVEL.replace('"compression": 0', '"compression": 1')}],
  "max_open_files": 1000, "mem_table_size": 4194304, "mem_table_stop_writes_threshold": 2, "read_only": false,
  "wal_bytes_per_sync": 0, "max_concurrent_compactions": 2}}`;
const BADGER_CFG = `{"folder": "test", "gc_discard_ratio": 0.1, "gc_sleep": "2m",
  "badger_options": {"max_levels": 4, "value_log_loading_mode": 0}}`;
const LEVELDB_CFG = '{"folder": "test", "leveldb_options": {"no_sync": true, "compaction_total_size_multiplier": 1.5}}';

/** Copy an upstream fixture folder into the test root as ~/.ipfs-cluster, 0600 files in a 0700 folder. */
function installFixture(sub: string, files: string[]): void {
  mkdirSync(folder(), { recursive: true, mode: 0o700 });
  for (const file of files) {
    copyFileSync(join(FIXTURES, "ipfs-cluster-service", sub, file), join(folder(), file));
    chmodSync(join(folder(), file), 0o600);
  }
}

/** The plugin and a context for this root, to call its functions directly. */
async function pluginHere(name = "ipfs-cluster-service") {
  const kit = await openKit({ root, env: cleanEnv(root), userPlugins: false });
  const target = kit.target(name);
  return { plugin: target.plugin, ctx: target.ctx };
}

describe("ipfs-cluster-service: configure", () => {
  test("writes service.json and identity.json as `ipfs-cluster-service init` does", async () => {
    expect((await runCli(["configure", "ipfs-cluster-service"], { root })).code).toBe(0);
    const text = readFileSync(serviceFile(), "utf8");
    // Go's MarshalIndent: 2 spaces, no trailing newline; top-level sections in the daemon's order.
    expect(text.startsWith('{\n  "cluster": {\n    "peername": ')).toBe(true);
    expect(text.endsWith("\n}")).toBe(true);
    const config = JSON.parse(text);
    expect(Object.keys(config)).toEqual([
      "cluster",
      "consensus",
      "api",
      "ipfs_connector",
      "pin_tracker",
      "monitor",
      "allocator",
      "informer",
      "observations",
      "datastore",
    ]);
    expect(Object.keys(config.api)).toEqual(["ipfsproxy", "pinsvcapi", "restapi"]);
    expect(Object.keys(config.informer)).toEqual(["disk", "pinqueue", "tags"]);
    expect(Object.keys(config.consensus)).toEqual(["crdt"]);
    expect(Object.keys(config.datastore)).toEqual(["pebble"]);
    expect(config.cluster.peername).toBe(hostname());
    expect(config.cluster.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(config.api.restapi.http_listen_multiaddress).toBe("/ip4/127.0.0.1/tcp/9094");
    expect(config.api.restapi.basic_auth_credentials).toBeNull();
    const identityText = readFileSync(identityFile(), "utf8");
    expect(identityText).toMatch(/^\{\n {4}"id": "12D3KooW\w+",\n {4}"private_key": "CAESQ[A-Za-z0-9+/=]+"\n\}$/);
    const identity = JSON.parse(identityText);
    expect(checkIdentity(identity.id, identity.private_key)).toEqual({ ok: true, keyType: "Ed25519" });
    for (const file of [serviceFile(), identityFile()]) expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(folder()).mode & 0o777).toBe(0o700);
    expect((await runCli(["validate", "ipfs-cluster-service"], { root })).code).toBe(0);
  });

  test("two fresh configurations get different secrets and identities", async () => {
    await runCli(["configure", "ipfs-cluster-service"], { root });
    const first = { ...readJson(serviceFile()).cluster, ...readJson(identityFile()) };
    expect((await runCli(["configure", "ipfs-cluster-service", "--force"], { root })).code).toBe(0);
    const second = { ...readJson(serviceFile()).cluster, ...readJson(identityFile()) };
    expect(second.secret).not.toBe(first.secret);
    expect(second.id).not.toBe(first.id);
  });

  test("IPFS_CLUSTER_PATH moves the folder, and CLUSTER_SECRET / CLUSTER_PEERNAME are used as init uses them", () => {
    const secret = "ab".repeat(32);
    const env = cleanEnv(root, {
      IPFS_CLUSTER_PATH: join(root, "data/cluster"),
      CLUSTER_SECRET: secret,
      CLUSTER_PEERNAME: "peer-one",
    });
    expect(kitcfg(["configure", "ipfs-cluster-service"], { root, env }).code).toBe(0);
    const config = readJson(join(root, "data/cluster/service.json"));
    expect(config.cluster.secret).toBe(secret);
    expect(config.cluster.peername).toBe("peer-one");
    expect(existsSync(join(root, "data/cluster/identity.json"))).toBe(true);
  });
});

describe("ipfs-cluster-service: update and show", () => {
  test("update of one key changes only that key's line", async () => {
    await runCli(["configure", "ipfs-cluster-service"], { root });
    const before = readFileSync(serviceFile(), "utf8").split("\n");
    const identityBefore = readFileSync(identityFile());
    expect(
      (await runCli(["update", "ipfs-cluster-service", "--set", "cluster.connection_manager.high_water=800"], { root }))
        .code,
    ).toBe(0);
    const after = readFileSync(serviceFile(), "utf8").split("\n");
    expect(after.length).toBe(before.length);
    expect(after.filter((line, i) => line !== before[i])).toEqual(['      "high_water": 800,']);
    expect(readFileSync(identityFile())).toEqual(identityBefore);
  });

  test("show, get, a dry-run diff and --json never print the secret, the private key or a password", async () => {
    await runCli(["configure", "ipfs-cluster-service"], { root });
    const secret = readJson(serviceFile()).cluster.secret;
    const key = readJson(identityFile()).private_key;
    const password = "s3cret-Pass-word";
    expect(
      (
        await runCli(
          ["update", "ipfs-cluster-service", "--set", `api.restapi.basic_auth_credentials={"admin":"${password}"}`],
          { root },
        )
      ).code,
    ).toBe(0);
    expect(readJson(serviceFile()).api.restapi.basic_auth_credentials).toEqual({ admin: password });
    const outputs = [
      await runCli(["show", "ipfs-cluster-service"], { root }),
      await runCli(["show", "ipfs-cluster-service", "--json"], { root }),
      await runCli(["get", "ipfs-cluster-service", "cluster.secret"], { root }),
      await runCli(["get", "ipfs-cluster-service", "identity"], { root }),
      await runCli(["validate", "--json"], { root }),
      await runCli(
        [
          "update",
          "ipfs-cluster-service",
          "--set",
          "api.restapi.basic_auth_credentials.admin=an0ther-Pass",
          "--dry-run",
        ],
        { root },
      ),
      await runCli(
        ["update", "ipfs-cluster-service", "--set", `cluster.secret=${"cd".repeat(32)}`, "--dry-run", "--json"],
        { root },
      ),
    ];
    for (const ran of outputs) {
      const text = ran.stdout + ran.stderr;
      for (const hidden of [secret, key, password, "an0ther-Pass", "cd".repeat(32)]) expect(text).not.toContain(hidden);
    }
    expect(outputs[0]!.stdout).toContain('"admin": "<redacted>"');
    expect(outputs[2]!.code).toBe(1);
    expect(outputs[2]!.stderr).toContain('"cluster.secret" of ipfs-cluster-service is a secret');
  });

  test("an identity whose peer ID belongs to another key is refused, and nothing is written", async () => {
    await runCli(["configure", "ipfs-cluster-service"], { root });
    const before = readFileSync(identityFile());
    const other = generateIdentity().id;
    const ran = await runCli(["update", "ipfs-cluster-service", "--set", `identity.id=${other}`], { root });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain(
      'Cannot set "identity.id" for ipfs-cluster-service: does not belong to identity.private_key',
    );
    expect(readFileSync(identityFile())).toEqual(before);
  });

  test("values the daemon would refuse are refused with the key and the reason", async () => {
    await runCli(["configure", "ipfs-cluster-service"], { root });
    const before = readFileSync(serviceFile());
    for (const [set, expected] of [
      ["cluster.secret=abc", "must be 64 hexadecimal characters (32 bytes): it has 3"],
      ["cluster.state_sync_interval=5 minutes", 'is not a Go duration such as "30s"'],
      ["cluster.listen_multiaddress=/ip4/0.0.0.0/tcpp/9096", "is not a valid multiaddr"],
      ["cluster.connection_manager.low_water=500", "is 500, greater than high_water (400)"],
      ["cluster.replication_factor_max=3", "both must be -1 (pin everywhere) or both at least 1"],
      ["api.restapi.max_header_bytes=1024", "must be at least 4096, got 1024"],
      ["api.restapi.basic_auth_credentials={}", "use null for no authentication"],
      ["consensus.raft={}", "holds both crdt and raft"],
    ] as const) {
      const ran = await runCli(["update", "ipfs-cluster-service", "--set", set], { root });
      expect(ran.code).toBe(1);
      expect(ran.stderr).toContain(expected);
      expect(readFileSync(serviceFile())).toEqual(before);
    }
  });
});

describe("ipfs-cluster-service: validate rules", () => {
  test("each loading rule of the daemon is reported on its key", async () => {
    const { plugin, ctx } = await pluginHere();
    const base = await plugin.defaults(ctx);
    const issuesOf = async (edit: (c: any) => void) => {
      const config = structuredClone(base);
      edit(config);
      return (await plugin.validate!(config, ctx)).map((i) => `${i.severity ?? "error"} ${i.key}: ${i.message}`);
    };
    expect(await issuesOf(() => {})).toEqual([]);
    expect(await issuesOf((c) => (c.cluster.secret = ""))).toEqual([
      expect.stringMatching(/^warning cluster\.secret: is empty/),
    ]);
    expect(await issuesOf((c) => (c.cluster.secret = "zz".repeat(32)))).toEqual([
      expect.stringMatching(/^error cluster\.secret: must be hexadecimal/),
    ]);
    expect(
      await issuesOf((c) => ((c.cluster.replication_factor_min = 3), (c.cluster.replication_factor_max = 2))),
    ).toEqual([
      expect.stringMatching(/^error cluster\.replication_factor_min: is 3, larger than replication_factor_max \(2\)/),
    ]);
    // 0 is read as "unset" (-1), as cluster's SetIfNotDefault does.
    expect(
      await issuesOf((c) => ((c.cluster.replication_factor_min = 0), (c.cluster.replication_factor_max = 0))),
    ).toEqual([
      expect.stringMatching(/^warning cluster\.replication_factor_min: is 0/),
      expect.stringMatching(/^warning cluster\.replication_factor_max: is 0/),
    ]);
    expect(await issuesOf((c) => delete c.consensus.crdt)).toEqual([
      expect.stringMatching(/^error consensus: has neither crdt nor raft/),
    ]);
    expect(await issuesOf((c) => (c.datastore.badger = {}))).toEqual([
      expect.stringMatching(/^error datastore: holds badger, pebble: crdt consensus needs exactly one/),
    ]);
    expect(await issuesOf((c) => (c.cluster.listen_multiaddress = []))).toEqual([
      expect.stringMatching(/^error cluster\.listen_multiaddress: is empty/),
    ]);
    expect(await issuesOf((c) => delete c.cluster)).toEqual([expect.stringMatching(/^error cluster: is missing/)]);
    expect(await issuesOf((c) => (c.cluster.pubsub.d_factor = 0))).toEqual([
      expect.stringMatching(/^error cluster\.pubsub\.d_factor: must be at least 1/),
    ]);
    expect(await issuesOf((c) => (c.informer.disk.metric_type = "used"))).toEqual([
      expect.stringMatching(/^error informer\.disk\.metric_type: must be "freespace" or "reposize"/),
    ]);
    expect(await issuesOf((c) => (c.cluster.peernme = "typo"))).toEqual([
      expect.stringMatching(/^warning cluster\.peernme: is not a cluster key/),
    ]);
    expect(await issuesOf((c) => (c.api.restapi.id = c.identity.id))).toEqual([
      expect.stringMatching(
        new RegExp(
          "^error api\\.restapi\\.libp2p_listen_multiaddress: " +
            "id, private_key and libp2p_listen_multiaddress must be set together",
        ),
      ),
    ]);
  });

  test("a source URL replaces the rest of the file, and must be http(s)", async () => {
    await runCli(["configure", "ipfs-cluster-service"], { root });
    const identity = readFileSync(identityFile());
    expect(
      (
        await runCli(["update", "ipfs-cluster-service", "--set", "source=https://cluster.example.org/service.json"], {
          root,
        })
      ).code,
    ).toBe(0);
    expect(readFileSync(serviceFile(), "utf8")).toBe('{\n  "source": "https://cluster.example.org/service.json"\n}');
    expect(readFileSync(identityFile())).toEqual(identity);
    expect((await runCli(["validate", "ipfs-cluster-service"], { root })).code).toBe(0);
    const ran = await runCli(["update", "ipfs-cluster-service", "--set", "source=/ipns/cluster.example.org"], { root });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('"source" for ipfs-cluster-service: is not an http:// or https:// URL');
  });
});

describe("ipfs-cluster-service: upstream fixtures", () => {
  test("the v0.14 service.json and identity.json validate, with the keys v1.1.6 ignores named", async () => {
    installFixture("", ["service.json", "identity.json"]);
    const ran = await runCli(["validate", "ipfs-cluster-service"], { root });
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain("ipfs-cluster-service: valid");
    const output = ran.stdout + ran.stderr;
    expect(output).toContain(
      '"allocator.metricsalloc": is not an allocator component that ipfs-cluster v1.1.6 reads: it is ignored',
    );
    expect(output).toContain('"monitor.pubsubmon.failure_threshold": is not a key that ipfs-cluster v1.1.6 reads');
    expect(output).toContain('"allocator": has no "balanced" section: the daemon allocates by ["freespace"]');
  });

  // Component JSON that ipfs-cluster @2182e887's own tests load without error (each `<component>/config_test.go`
  // cfgJSON; config_test.go's testing*Cfg, which run the test clusters; cluster_config_test.go ccfgTestJSON),
  // each put in place of its section of a fresh service.json. kitcfg validated every one (upstream audit).
  const UPSTREAM_LOADED: [section: string, json: string, source: string][] = [
    ["cluster", CCFG_TEST_JSON, "cluster_config_test.go l. 12"],
    ["consensus.crdt", CRDT_CFG, "consensus/crdt/config_test.go l. 9"],
    [
      "consensus.crdt",
      '{"cluster_name": "crdt-test", "trusted_peers": ["*"], "rebroadcast_interval": "250ms"}',
      "config_test.go l. 77",
    ],
    ["consensus.raft", RAFT_CFG, "consensus/raft/config_test.go l. 11"],
    ["consensus.raft", RAFT_CFG.replace('"500ms"', '"abc"'), "consensus/raft/config_test.go l. 46 (default kept)"],
    ["api.restapi", API_CFG, "config_test.go l. 167"],
    ["api.ipfsproxy", PROXY_CFG, "api/ipfsproxy/config_test.go l. 10"],
    ["api.ipfsproxy", "{}", "api/ipfsproxy/config_test.go l. 27"],
    ["ipfs_connector.ipfshttp", IPFSHTTP_CFG, "ipfsconn/ipfshttp/config_test.go l. 10"],
    ["pin_tracker.stateless", STATELESS_CFG, "pintracker/stateless/config_test.go l. 10"],
    ["monitor.pubsubmon", '{"check_interval": "800ms", "failure_threshold": 6}', "config_test.go l. 210"],
    ["informer.disk", '{"metric_ttl": "1s", "metric_type": "reposize"}', "informer/disk/config_test.go l. 43"],
    ["informer.tags", '{"metric_ttl": "1s", "tags": {"a": "b"}}', "informer/tags/config_test.go l. 10"],
    ["informer.pinqueue", '{"metric_ttl": "1s"}', "informer/pinqueue/config_test.go l. 10"],
    ["allocator.balanced", '{"allocate_by": ["tag", "disk"]}', "allocator/balanced/config_test.go l. 8"],
    ["datastore.pebble", PEBBLE_CFG, "datastore/pebble/config_test.go l. 7"],
    ["datastore.badger", BADGER_CFG, "datastore/badger/config_test.go l. 12"],
    ["datastore.badger3", BADGER_CFG.replace('"value_log_loading_mode": 0', '"compression": 2'), "badger3 l. 12"],
    ["datastore.leveldb", LEVELDB_CFG, "datastore/leveldb/config_test.go l. 7"],
  ];
  test("the component JSON ipfs-cluster's own config tests load validates in its section", async () => {
    expect((await runCli(["configure", "ipfs-cluster-service"], { root })).code).toBe(0);
    const fresh = readJson(serviceFile());
    for (const [section, json, source] of UPSTREAM_LOADED) {
      const [top = "", name] = section.split(".");
      const config = structuredClone(fresh);
      if (top === "consensus" || top === "datastore") config[top] = {};
      if (name === undefined) config[top] = JSON.parse(json);
      else config[top][name] = JSON.parse(json);
      writeFileSync(serviceFile(), JSON.stringify(config, null, 2));
      const ran = await runCli(["validate", "ipfs-cluster-service"], { root });
      expect({ source, code: ran.code, stderr: ran.stderr.split("\n").filter((l) => l.includes("✖")) }).toEqual({
        source,
        code: 0,
        stderr: [],
      });
    }
  });

  test("a one-key update of the fixture keeps its tab-indented line and trailing newline byte for byte", async () => {
    installFixture("", ["service.json", "identity.json"]);
    const before = readFileSync(serviceFile(), "utf8");
    expect(before).toContain('\n\t"tags": {}\n');
    expect((await runCli(["update", "ipfs-cluster-service", "--set", "cluster.peername=boron"], { root })).code).toBe(
      0,
    );
    expect(readFileSync(serviceFile(), "utf8")).toBe(before.replace('"peername": "carbon"', '"peername": "boron"'));
  });

  test("the older basic_auth layout validates: raft, an RSA identity, and the ignored legacy keys named", async () => {
    installFixture("basic_auth", ["service.json", "identity.json"]);
    const ran = await runCli(["validate", "ipfs-cluster-service"], { root });
    expect(ran.code).toBe(0);
    const output = ran.stdout + ran.stderr;
    expect(output).toContain('"cluster.replication_factor": is the older single key, which ipfs-cluster v1 ignores');
    expect(output).toContain('"monitor.monbasic": is not a monitor component');
    expect(output).toContain('"informer.numpin": is not an informer component');
    const identity = readJson(identityFile());
    expect(checkIdentity(identity.id, identity.private_key)).toEqual({ ok: true, keyType: "RSA" });
    const shown = await runCli(["show", "ipfs-cluster-service", "api.restapi.basic_auth_credentials"], { root });
    expect(JSON.parse(shown.stdout)).toEqual({ testuser: "<redacted>" });
  });

  test(
    "ssl-basic_auth without identity.json or its TLS files is invalid for exactly those reasons; " +
      "repair writes an identity",
    async () => {
      installFixture("ssl-basic_auth", ["service.json"]);
      const ran = await runCli(["validate", "ipfs-cluster-service", "--json"], { root });
      expect(ran.code).toBe(1);
      const errors = JSON.parse(ran.stdout).daemons[0].issues.filter(
        (i: { severity: string }) => i.severity === "error",
      );
      expect(errors.map((i: { key: string }) => i.key)).toEqual([
        "identity",
        "api.restapi.ssl_cert_file",
        "api.restapi.ssl_key_file",
      ]);
      expect(errors[1].message).toContain(`names ${join(folder(), "server.crt")}, which does not exist`);
      installFixture("ssl-basic_auth", ["server.crt", "server.key"]);
      const repaired = kitcfg(["repair", "ipfs-cluster-service"], { root });
      expect(repaired.code).toBe(0);
      expect(repaired.stdout + repaired.stderr).toContain("with a new identity");
      const identity = readJson(identityFile());
      expect(checkIdentity(identity.id, identity.private_key).ok).toBe(true);
      expect(statSync(identityFile()).mode & 0o777).toBe(0o600);
      expect((await runCli(["validate", "ipfs-cluster-service"], { root })).code).toBe(0);
    },
  );
});

describe("ipfs-cluster-service: TLS files", () => {
  // api/common/config.go tlsOptions -> newTLSConfig: tls.LoadX509KeyPair must load the pair at start.
  const tlsErrors = async () => {
    const ran = await runCli(["validate", "ipfs-cluster-service", "--json"], { root });
    return JSON.parse(ran.stdout)
      .daemons[0].issues.filter((i: { severity: string }) => i.severity === "error")
      .map((i: { key: string; message: string }) => `${i.key}: ${i.message}`);
  };
  const useTls = async () => {
    expect((await runCli(["configure", "ipfs-cluster-service"], { root })).code).toBe(0);
    const set = ["api.restapi.ssl_cert_file=server.crt", "api.restapi.ssl_key_file=server.key"];
    installFixture("ssl-basic_auth", ["server.crt", "server.key"]);
    expect((await runCli(["update", "ipfs-cluster-service", ...set.flatMap((s) => ["--set", s])], { root })).code).toBe(
      0,
    );
  };

  test("the upstream certificate and its key validate", async () => {
    await useTls();
    expect(await tlsErrors()).toEqual([]);
  });

  test("non-PEM files, or a key from another pair, are refused as the daemon refuses them", async () => {
    await useTls();
    writeFileSync(join(folder(), "server.crt"), "cert");
    expect(await tlsErrors()).toEqual([expect.stringContaining("api.restapi.ssl_cert_file: holds no PEM certificate")]);
    installFixture("ssl-basic_auth", ["server.crt"]);
    writeFileSync(join(folder(), "server.key"), readFileSync(join(folder(), "server.crt")));
    expect(await tlsErrors()).toEqual([expect.stringContaining("api.restapi.ssl_key_file: holds no PEM private key")]);
    const { privateKey } = (await import("node:crypto")).generateKeyPairSync("ec", { namedCurve: "P-256" });
    writeFileSync(join(folder(), "server.key"), privateKey.export({ format: "pem", type: "pkcs8" }));
    expect(await tlsErrors()).toEqual([
      expect.stringContaining("api.restapi.ssl_key_file: is not the private key of the certificate"),
    ]);
  });
});

describe("ipfs-cluster-service: repair", () => {
  const OLD_SECRET = "ef".repeat(32);

  test("the older tool's top-level secret and id move to cluster.secret and identity.json", async () => {
    const { plugin, ctx } = await pluginHere();
    const identity = generateIdentity();
    const old = {
      id: identity.id,
      secret: OLD_SECRET,
      private_key: identity.privateKey,
      cluster: { peername: "old", listen_multiaddress: "/ip4/0.0.0.0/tcp/9096" },
      consensus: { crdt: {} },
    };
    const result = plugin.repair!({ service: JSON.stringify(old, null, 2), identity: undefined }, ctx);
    const service = JSON.parse(result.texts.service!);
    expect(Object.keys(service)).toEqual(["cluster", "consensus"]);
    expect(Object.keys(service.cluster)).toEqual(["peername", "secret", "listen_multiaddress"]);
    expect(service.cluster.secret).toBe(OLD_SECRET);
    expect(result.texts.identity).toBe(JSON.stringify({ id: identity.id, private_key: identity.privateKey }, null, 4));
    expect(result.fixes).toEqual([
      "moved the top-level secret to cluster.secret, where the daemon reads it",
      "removed the top-level id and private_key from service.json: the identity belongs in identity.json",
      `wrote ${ctx.paths.identity} with the identity service.json held (the top level), peer ID ${identity.id}`,
    ]);
  });

  test("the pre-0.11 cluster.id/private_key move into identity.json, as the daemon itself does", async () => {
    const { plugin, ctx } = await pluginHere();
    const fixture = readJson(join(FIXTURES, "ipfs-cluster-service/service.json"));
    const identity = readJson(join(FIXTURES, "ipfs-cluster-service/identity.json"));
    fixture.cluster.id = identity.id;
    fixture.cluster.private_key = identity.private_key;
    const result = plugin.repair!({ service: JSON.stringify(fixture, null, 2), identity: undefined }, ctx);
    expect(JSON.parse(result.texts.identity!)).toEqual(identity);
    expect(JSON.parse(result.texts.service!).cluster.id).toBeUndefined();
    expect(
      plugin.repair!(
        {
          service: readFileSync(join(FIXTURES, "ipfs-cluster-service/service.json"), "utf8"),
          identity: JSON.stringify(identity),
        },
        ctx,
      ),
    ).toEqual({ texts: {}, fixes: [] });
  });

  test(
    "kitcfg repair fixes the older tool's file on disk, " + "keeps the old one in history, and the result validates",
    async () => {
      await runCli(["configure", "ipfs-cluster-service"], { root });
      const config = readJson(serviceFile());
      const identity = readJson(identityFile());
      const { secret, ...cluster } = config.cluster;
      const older = { ...config, cluster, id: identity.id, secret, private_key: identity.private_key };
      writeFileSync(serviceFile(), JSON.stringify(older, null, 2), { mode: 0o600 });
      unlinkSync(identityFile());
      const invalid = await runCli(["validate", "ipfs-cluster-service"], { root });
      expect(invalid.code).toBe(1);
      expect(invalid.stderr).toContain('"secret": sits at the top level, where ipfs-cluster ignores it');
      // Where the older tool put them, the secret and the private key are secrets all the same.
      const key = identity.private_key.slice(0, 40);
      for (const args of [
        ["show", "ipfs-cluster-service"],
        ["show", "ipfs-cluster-service", "--json"],
        ["get", "ipfs-cluster-service", "secret"],
        ["get", "ipfs-cluster-service", "private_key"],
        ["repair", "ipfs-cluster-service", "--dry-run"],
        ["repair", "ipfs-cluster-service", "--dry-run", "--json"],
        ["diff", "ipfs-cluster-service"],
      ]) {
        const shown = kitcfg(args, { root });
        expect(`${args.join(" ")}: ${shown.stdout}${shown.stderr}`).not.toContain(secret);
        expect(`${args.join(" ")}: ${shown.stdout}${shown.stderr}`).not.toContain(key);
      }
      const ran = kitcfg(["repair", "ipfs-cluster-service", "--json"], { root });
      expect(ran.code).toBe(0);
      const result = JSON.parse(ran.stdout).results[0];
      expect(result.fixes[0]).toBe("moved the top-level secret to cluster.secret, where the daemon reads it");
      expect(result.history.length).toBeGreaterThan(0);
      expect(ran.stdout).not.toContain(secret);
      expect(readJson(serviceFile()).cluster.secret).toBe(secret);
      expect((await runCli(["validate", "ipfs-cluster-service"], { root })).code).toBe(0);
    },
  );
});

describe("ipfs-cluster-service: across daemons", () => {
  test("cluster's IPFS addresses must reach kubo's Addresses.API; a disagreement names both key paths", async () => {
    expect((await runCli(["configure", "ipfs"], { root })).code).toBe(0);
    await runCli(["configure", "ipfs-cluster-service"], { root });
    expect((await runCli(["validate"], { root })).code).toBe(0);
    await runCli(["update", "ipfs", "--set", "Addresses.API=/ip4/127.0.0.1/tcp/5002"], { root });
    const ran = await runCli(["validate"], { root });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain(
      '✖ ipfs-cluster-service: "ipfs_connector.ipfshttp.node_multiaddress": is /ip4/127.0.0.1/tcp/5001, ' +
        'but ipfs "Addresses.API" listens on /ip4/127.0.0.1/tcp/5002',
    );
    expect(ran.stderr).toContain('ipfs-cluster-service: "api.ipfsproxy.node_multiaddress": is /ip4/127.0.0.1/tcp/5001');
    // A list of API addresses, one of them on all interfaces, is reachable.
    await runCli(["update", "ipfs", "--set", 'Addresses.API=["/ip4/127.0.0.1/tcp/5002","/ip4/0.0.0.0/tcp/5001"]'], {
      root,
    });
    expect((await runCli(["validate"], { root })).code).toBe(0);
    // One unix socket, written with and without the slash go-multiaddr drops, is reached.
    await runCli(["update", "ipfs", "--set", "Addresses.API=/unix/run/kubo-api.sock/"], { root });
    const sets = ["ipfs_connector.ipfshttp.node_multiaddress", "api.ipfsproxy.node_multiaddress"].flatMap((key) => [
      "--set",
      `${key}=/unix/run/kubo-api.sock`,
    ]);
    await runCli(["update", "ipfs-cluster-service", ...sets], { root });
    const unix = await runCli(["validate"], { root });
    expect(unix.stderr).not.toContain("listens on");
    expect(unix.code).toBe(0);
  });

  test("an update while the daemon holds cluster.lock says it must restart", async () => {
    await runCli(["configure", "ipfs-cluster-service"], { root });
    const lock = join(folder(), "cluster.lock");
    // The daemon takes a POSIX (fcntl) lock, as Python's lockf does.
    const holder = Bun.spawn(
      [
        "python3",
        "-c",
        "import fcntl,sys\nf=open(sys.argv[1],'w')\nfcntl.lockf(f,fcntl.LOCK_EX)\n" +
          "print('locked',flush=True)\nsys.stdin.read()",
        lock,
      ],
      { stdin: "pipe", stdout: "pipe" },
    );
    try {
      const reader = holder.stdout.getReader();
      expect(new TextDecoder().decode((await reader.read()).value)).toContain("locked");
      const ran = await runCli(["update", "ipfs-cluster-service", "--set", "cluster.peername=busy"], { root });
      expect(ran.code).toBe(0);
      expect(ran.stderr).toContain(`ipfs-cluster-service is running (it holds ${lock}): restart it`);
    } finally {
      holder.stdin.end();
      await holder.exited;
    }
    const after = await runCli(["update", "ipfs-cluster-service", "--set", "cluster.peername=idle"], { root });
    expect(after.stderr).not.toContain("is running");
  });
});

describe("ipfs-cluster-service: load-time rules, one per upstream check", () => {
  test("every value the daemon refuses at load is refused by update --set; the files stay byte-identical", async () => {
    await runCli(["configure", "ipfs-cluster-service"], { root });
    const [service, identity] = [readFileSync(serviceFile()), readFileSync(identityFile())];
    for (const [sets, message, upstream] of SERVICE_REFUSED) {
      const ran = await runCli(["update", "ipfs-cluster-service", ...sets.flatMap((set) => ["--set", set])], { root });
      expect({ sets, upstream, code: ran.code }).toEqual({ sets, upstream, code: 1 });
      expect({ upstream, stderr: ran.stderr }).toEqual({ upstream, stderr: expect.stringContaining(message) });
      expect(readFileSync(serviceFile())).toEqual(service);
      expect(readFileSync(identityFile())).toEqual(identity);
    }
  });

  test("hand-written raft, badger and case-variant values the daemon refuses fail validate", async () => {
    installFixture("basic_auth", ["service.json", "identity.json"]);
    const raftBase = readJson(serviceFile());
    const HAND: [edit: (c: any) => void, message: string, upstream: string][] = [
      [
        (c) => (c.consensus.raft.heartbeat_timeout = "1ms"),
        '"consensus.raft.heartbeat_timeout": is too low',
        "hashicorp/raft config.go ValidateConfig",
      ],
      [
        (c) => (c.consensus.raft.leader_lease_timeout = "2s"),
        "cannot be larger than heartbeat_timeout",
        "hashicorp/raft config.go ValidateConfig",
      ],
      [
        (c) => (c.consensus.raft.election_timeout = "500ms"),
        "must be at least heartbeat_timeout",
        "hashicorp/raft config.go ValidateConfig",
      ],
      [
        (c) => (c.consensus.raft.max_append_entries = 2000),
        "must be 1 to 1024",
        "hashicorp/raft config.go ValidateConfig",
      ],
      [
        (c) => (c.consensus.raft.wait_for_leader_timeout = "-1s"),
        '"consensus.raft.wait_for_leader_timeout": must be a duration greater than 0',
        "consensus/raft/config.go Validate",
      ],
      [
        (c) => (c.consensus.raft.commit_retries = -1),
        '"consensus.raft.commit_retries": cannot be negative',
        "consensus/raft/config.go Validate",
      ],
      [
        (c) => (c.consensus.raft.backups_rotate = -1),
        '"consensus.raft.backups_rotate": must be greater than 0',
        "consensus/raft/config.go Validate",
      ],
      [(c) => (c.consensus.raft.trailing_logs = -1), '"consensus.raft.trailing_logs"', "encoding/json (uint64 field)"],
      [
        (c) => ((c.cluster.State_Sync_Interval = "0s"), delete c.cluster.state_sync_interval),
        '"cluster.state_sync_interval": must be a duration greater than 0',
        "encoding/json case-insensitive keys; cluster_config.go Validate",
      ],
      [
        (c) => (c.datastore = { badger: { gc_discard_ratio: 5 } }),
        '"datastore.badger.gc_discard_ratio": must be more than 0 and less than 1, got 5',
        "cmdutils/configs.go ConfigHelper.init (every datastore when loading); datastore/badger/config.go Validate",
      ],
      [
        (c) => (c.datastore = { pebble: { pebble_options: { format_major_version: 30 } } }),
        '"datastore.pebble.pebble_options.format_major_version": must be 13 to 24',
        "config/config.go Manager.LoadJSON (raft too); pebble options.go Options.Validate",
      ],
      [
        (c) => ((c.Cluster = c.cluster), delete c.cluster, (c.Cluster.secret = "xyz")),
        '"cluster.secret"',
        "config/config.go jsonConfig (case-insensitive section); DecodeClusterSecret",
      ],
    ];
    for (const [edit, message, upstream] of HAND) {
      const config = structuredClone(raftBase);
      edit(config);
      writeFileSync(serviceFile(), JSON.stringify(config, null, 2));
      const ran = await runCli(["validate", "ipfs-cluster-service"], { root });
      expect({ upstream, code: ran.code }).toEqual({ upstream, code: 1 });
      expect({ upstream, stderr: ran.stderr }).toEqual({ upstream, stderr: expect.stringContaining(message) });
    }
    // A whole number written as 10.0 or 4e2 where Go decodes an int (encoding/json refuses it).
    await runCli(["configure", "ipfs-cluster-service", "--force"], { root });
    const text = readFileSync(serviceFile(), "utf8");
    writeFileSync(
      serviceFile(),
      text
        .replace('"concurrent_pins": 10', '"concurrent_pins": 10.0')
        .replace('"sampling_prob": 0.3', '"sampling_prob": 3e-1'),
    );
    const floats = await runCli(["validate", "ipfs-cluster-service"], { root });
    expect(floats.code).toBe(1);
    expect(floats.stderr).toContain(
      '"pin_tracker.stateless.concurrent_pins": is the JSON number 10.0: ipfs-cluster decodes an integer here',
    );
    expect(floats.stderr).not.toContain("sampling_prob");
    // crdt with badger: its discard ratio and GC durations (datastore/badger/config.go Validate, ParseDurations).
    await runCli(["configure", "ipfs-cluster-service", "--force"], { root });
    const crdt = readJson(serviceFile());
    for (const [store, message] of [
      [
        { badger: { gc_discard_ratio: 1.5 } },
        '"datastore.badger.gc_discard_ratio": must be more than 0 and less than 1',
      ],
      [{ badger3: { gc_interval: "15 minutes" } }, '"datastore.badger3.gc_interval": is not a Go duration'],
    ] as const) {
      writeFileSync(serviceFile(), JSON.stringify({ ...crdt, datastore: store }, null, 2));
      const ran = await runCli(["validate", "ipfs-cluster-service"], { root });
      expect(ran.code).toBe(1);
      expect(ran.stderr).toContain(message);
    }
  });

  test("a real option of every component section is accepted", async () => {
    await runCli(["configure", "ipfs-cluster-service"], { root });
    const sets = [
      "cluster.peername=node-a",
      "cluster.replication_factor_min=2",
      "cluster.replication_factor_max=3",
      "consensus.crdt.batching.max_batch_size=100",
      "consensus.crdt.batching.max_batch_age=1m0s",
      "consensus.crdt.repair_interval=0s",
      "consensus.crdt.rebroadcast_interval=1m0s",
      `consensus.crdt.trusted_peers=["${PEER}"]`,
      'api.restapi.basic_auth_credentials={"admin":"s3cret-pass"}',
      "api.pinsvcapi.cors_max_age=1h0m0s",
      'api.ipfsproxy.extract_headers_extra=["X-Custom"]',
      "ipfs_connector.ipfshttp.unpin_disable=true",
      "pin_tracker.stateless.max_pin_queue_size=1000000",
      "monitor.pubsubmon.check_interval=30s",
      'allocator.balanced.allocate_by=["tag:region","freespace"]',
      "informer.disk.metric_type=reposize",
      'informer.tags.tags={"region":"eu"}',
      "informer.pinqueue.weight_bucket_size=0",
      "observations.metrics.enable_stats=true",
      "observations.tracing.sampling_prob=0.5",
      "datastore.pebble.pebble_options.max_open_files=2000",
      "datastore.pebble.folder=pebble-data",
    ];
    const ran = await runCli(["update", "ipfs-cluster-service", ...sets.flatMap((set) => ["--set", set])], { root });
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    const valid = await runCli(["validate", "ipfs-cluster-service"], { root });
    expect(valid.stderr).toBe("");
    expect(valid.code).toBe(0);
    // The other datastore backends, and a key in another case, are read too (Block_Size folds to
    // the tag block_size; BlockSize would not, and is named as a key the daemon ignores).
    const config = readJson(serviceFile());
    config.cluster.Peername = config.cluster.peername;
    delete config.cluster.peername;
    for (const datastore of [
      { badger3: { gc_discard_ratio: 0.5, gc_interval: "15m0s", gc_sleep: "10s", badger_options: {} } },
      { badger: { folder: "badger", gc_discard_ratio: 0.2, badger_options: { sync_writes: false } } },
      { leveldb: { folder: "leveldb", leveldb_options: { Block_Size: 4096 } } },
    ]) {
      writeFileSync(serviceFile(), JSON.stringify({ ...config, datastore }, null, 2));
      const other = await runCli(["validate", "ipfs-cluster-service"], { root });
      expect({ datastore, code: other.code }).toEqual({ datastore, code: 0 });
      expect(other.stderr).toContain('"cluster.Peername": is read by ipfs-cluster as cluster.peername');
      expect(other.stderr).not.toContain("is not a");
    }
  });
});

describe("ipfs-cluster-service: start-time limits, at their boundaries", () => {
  test("pebble, pubsub, listen and informer values on the accepted side of each limit validate", async () => {
    await runCli(["configure", "ipfs-cluster-service"], { root });
    for (const sets of [
      // pebble Options.Validate: FormatMinSupported 13 to FormatNewest 24; 0 keeps the default.
      ["datastore.pebble.pebble_options.format_major_version=13"],
      ["datastore.pebble.pebble_options.format_major_version=24"],
      ["datastore.pebble.pebble_options.format_major_version=0"],
      // MemTableSize < maxMemTableSize (4294967295).
      ["datastore.pebble.pebble_options.mem_table_size=4294967294"],
      // GossipSubParams.validate: HistoryGossip <= HistoryLength.
      ["cluster.pubsub.history_gossip=6"],
      ["cluster.pubsub.history_gossip=1", "cluster.pubsub.history_length=1"],
      // One websocket address is enough; a QUIC one beside TCP is skipped quietly, as cluster's default has it.
      ['cluster.listen_multiaddress=["/ip4/0.0.0.0/tcp/9096/ws"]'],
      ['cluster.listen_multiaddress=["/ip4/0.0.0.0/udp/9096/quic-v1","/ip6/::/tcp/9096"]'],
      // One informer of the three is enough.
      ['informer={"pinqueue":{"metric_ttl":"30s","weight_bucket_size":100000}}'],
      ['informer={"tags":{"metric_ttl":"30s","tags":{"group":"default"}}}'],
    ]) {
      const ran = await runCli(["update", "ipfs-cluster-service", ...sets.flatMap((set) => ["--set", set])], { root });
      expect({ sets, stderr: ran.stderr, code: ran.code }).toEqual({ sets, stderr: "", code: 0 });
    }
    // With raft, a valid datastore section loads as it does with crdt.
    const config = readJson(serviceFile());
    config.consensus = { raft: {} };
    config.datastore = { badger: { gc_discard_ratio: 0.5 } };
    writeFileSync(serviceFile(), JSON.stringify(config, null, 2));
    const raft = await runCli(["validate", "ipfs-cluster-service"], { root });
    expect(raft.stderr).not.toContain("datastore");
    expect(raft.code).toBe(0);
  });

  test("a websocket address on the TCP port of the host is a warning: cluster's host does not share it", async () => {
    await runCli(["configure", "ipfs-cluster-service"], { root });
    const shared = '["/ip4/0.0.0.0/tcp/9096","/ip4/0.0.0.0/tcp/9096/ws"]';
    const ran = await runCli(["update", "ipfs-cluster-service", "--set", `cluster.listen_multiaddress=${shared}`], {
      root,
    });
    expect(ran.code).toBe(0);
    expect(ran.stderr).toContain(
      '"cluster.listen_multiaddress": listens on /ip4/0.0.0.0/tcp/9096/ws, as "cluster.listen_multiaddress" does ' +
        '(/ip4/0.0.0.0/tcp/9096): the one that listens second cannot listen there ("address already in use")',
    );
    const apart = '["/ip4/0.0.0.0/tcp/9096","/ip6/::/tcp/9096","/ip4/0.0.0.0/tcp/9098/ws"]';
    const other = await runCli(["update", "ipfs-cluster-service", "--set", `cluster.listen_multiaddress=${apart}`], {
      root,
    });
    expect({ stderr: other.stderr, code: other.code }).toEqual({ stderr: "", code: 0 });
  });

  test("a peer address without /p2p/<peer ID> last is a warning: the daemon skips it without a word", async () => {
    await runCli(["configure", "ipfs-cluster-service"], { root });
    const addresses = [
      `/ip4/10.0.0.1/tcp/9096/p2p/${PEER}`,
      `/dns4/peer3.example.com/tcp/9096/ipfs/${PEER}`,
      "/dnsaddr/cluster.example.org",
      "/ip4/10.0.0.2/tcp/9096",
      `/ip4/10.0.0.3/tcp/9096/p2p/${PEER}/p2p-circuit`,
    ];
    const set = `cluster.peer_addresses=${JSON.stringify(addresses)}`;
    const ran = await runCli(["update", "ipfs-cluster-service", "--set", set], { root });
    expect(ran.code).toBe(0);
    const warned = ran.stderr.split("\n").filter((line) => line.includes("does not end in /p2p/<peer ID>"));
    expect(warned).toHaveLength(2);
    expect(warned[0]).toContain('"cluster.peer_addresses": "/ip4/10.0.0.2/tcp/9096" does not end in /p2p/<peer ID>');
    expect(warned[1]).toContain(`"/ip4/10.0.0.3/tcp/9096/p2p/${PEER}/p2p-circuit"`);
  });

  test("a raft init_peerset item that is no peer ID is a warning: api.StringsToPeers drops it", async () => {
    await runCli(["configure", "ipfs-cluster-service"], { root });
    const raft = { init_peerset: [PEER, `/ip4/10.0.0.1/tcp/9096/p2p/${PEER}`] };
    const sets = ["--unset", "consensus.crdt", "--set", `consensus.raft=${JSON.stringify(raft)}`];
    const ran = await runCli(["update", "ipfs-cluster-service", ...sets], { root });
    expect(ran.code).toBe(0);
    expect(ran.stderr).toContain(
      `⚠ ipfs-cluster-service: "consensus.raft.init_peerset": item 1 ("/ip4/10.0.0.1/tcp/9096/p2p/${PEER}") ` +
        "is not a peer ID: the daemon drops it",
    );
    expect(ran.stderr).not.toContain("item 0");
  });

  test("keys the daemon decodes but never uses are warnings, and commit_retries left out of raft is 0", async () => {
    await runCli(["configure", "ipfs-cluster-service"], { root });
    const sets = [
      ["--unset", "consensus.crdt", "--set", 'consensus.raft={"datastore_namespace":"/myraft"}'],
      ["--set", "datastore.pebble.pebble_options.flush_delay_range_key=9223372036854775807"],
    ].flat();
    const ran = await runCli(["update", "ipfs-cluster-service", ...sets], { root });
    expect(ran.code).toBe(0);
    expect(ran.stderr).toContain(
      '"consensus.raft.datastore_namespace": is "/myraft", which has no effect: raft never reads it',
    );
    expect(ran.stderr).toContain(
      '"datastore.pebble.pebble_options.flush_delay_range_key": is 9223372036854775807, which has no effect',
    );
    // raft's applyJSONConfig copies commit_retries as it is (no SetIfNotDefault): absent reads 0.
    const got = await runCli(["get", "ipfs-cluster-service", "consensus.raft.commit_retries"], { root });
    expect(got.stderr).toContain("uses its default, 0, when the key is absent");
  });

  test("an API log file needs an existing folder: relative paths are taken from service.json's folder", async () => {
    await runCli(["configure", "ipfs-cluster-service"], { root });
    const set = (value: string) =>
      runCli(["update", "ipfs-cluster-service", "--set", `api.restapi.http_log_file=${value}`], { root });
    // api/common/config.go LogWriter: os.OpenFile(O_CREATE) creates the file, never its folder.
    const missing = await set("logs/restapi.log");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`${join(folder(), "logs")} does not exist`);
    mkdirSync(join(folder(), "logs"));
    // An absolute path is read under --root, as the TLS files are.
    mkdirSync(join(root, "var-log"));
    for (const ok of ["logs/restapi.log", "restapi.log", "/var-log/restapi.log"]) {
      const ran = await set(ok);
      expect({ ok, stderr: ran.stderr, code: ran.code }).toEqual({ ok, stderr: "", code: 0 });
    }
    const isFolder = await set("logs");
    expect(isFolder.code).toBe(1);
    expect(isFolder.stderr).toContain("which is a folder");
    writeFileSync(join(folder(), "plain"), "");
    const underFile = await set("plain/restapi.log");
    expect(underFile.code).toBe(1);
    expect(underFile.stderr).toContain(`${join(folder(), "plain")} is not a folder`);
  });
});

describe("ipfs-cluster-service: JSON null, as Go's encoding/json reads it", () => {
  test("null sections, components and fields read as missing ones and validate", async () => {
    await runCli(["configure", "ipfs-cluster-service"], { root });
    const config = readJson(serviceFile());
    // config/config.go LoadJSON: a null section or component loads its default; each component
    // decodes into a fresh struct, where null leaves a field at its zero value (as if missing).
    config.monitor = null;
    config.informer.tags = null;
    Object.assign(config.cluster, { peername: null, dial_peer_timeout: null, connection_manager: null });
    Object.assign(config.cluster, { peer_addresses: null, announce_multiaddress: null, replication_factor_min: null });
    Object.assign(config.consensus.crdt, { trusted_peers: null, batching: null, cluster_name: null });
    Object.assign(config.api.restapi, { headers: null, cors_allowed_origins: null, read_timeout: null });
    config.api.restapi.cors_allowed_methods = ["GET", null];
    config.ipfs_connector.ipfshttp.pin_timeout = null;
    config.pin_tracker.stateless.concurrent_pins = null;
    config.observations.tracing.service_name = null;
    config.datastore.pebble.pebble_options = null;
    writeFileSync(serviceFile(), JSON.stringify(config, null, 2));
    const ran = await runCli(["validate", "ipfs-cluster-service"], { root });
    expect(ran.stderr).not.toContain("error");
    expect(ran.code).toBe(0);
  });

  test("a null the daemon cannot do without is refused as a missing value", async () => {
    await runCli(["configure", "ipfs-cluster-service"], { root });
    const config = readJson(serviceFile());
    for (const [edit, message] of [
      [(c: typeof config) => (c.cluster = null), '"cluster": is missing'],
      [(c: typeof config) => (c.cluster.listen_multiaddress = null), '"cluster.listen_multiaddress": is empty'],
      // A null list item holds "", which is no multiaddr (cluster_config.go applyConfigJSON).
      [
        (c: typeof config) => (c.cluster.peer_addresses = [null]),
        '"cluster.peer_addresses": "" is not a valid multiaddr',
      ],
      [
        // config.Strings reads a list as []string: the null item holds "" there too.
        (c: typeof config) => (c.cluster.listen_multiaddress = ["/ip4/0.0.0.0/tcp/9096", null]),
        '"cluster.listen_multiaddress": "" is not a valid multiaddr',
      ],
    ] as const) {
      const copy = structuredClone(config);
      edit(copy);
      writeFileSync(serviceFile(), JSON.stringify(copy, null, 2));
      const ran = await runCli(["validate", "ipfs-cluster-service"], { root });
      expect({ message, code: ran.code }).toEqual({ message, code: 1 });
      expect(ran.stderr).toContain(message);
    }
  });
});

describe("ipfs-cluster-service: numbers and option structs as Go's encoding/json decodes them", () => {
  /** service.json with `values` written as given (JSON.stringify cannot write these numbers). */
  async function writeWith(values: Record<string, string>): Promise<void> {
    await runCli(["configure", "ipfs-cluster-service", "--force"], { root });
    const config = readJson(serviceFile());
    config.cluster.resource_manager = { enabled: true, memory_limit_bytes: "@mem", file_descriptors_limit: 0 };
    config.pin_tracker.stateless.max_pin_queue_size = "@queue";
    config.datastore.pebble.pebble_options.cache_size_bytes = "@cache";
    const text = JSON.stringify(config, null, 2)
      .replace('"@mem"', values.mem ?? "0")
      .replace('"@queue"', values.queue ?? "10")
      .replace('"@cache"', values.cache ?? "0");
    writeFileSync(serviceFile(), text);
  }

  test("the limits themselves load, as strconv.ParseInt / ParseUint read them", async () => {
    await writeWith({ mem: "18446744073709551615", queue: "9223372036854775807" });
    const ran = await runCli(["validate", "ipfs-cluster-service"], { root });
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
  });

  test("one more than a limit is refused on its key", async () => {
    await writeWith({ mem: "18446744073709551616", queue: "9223372036854775808", cache: "-9223372036854775809" });
    const ran = await runCli(["validate", "ipfs-cluster-service"], { root });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain(
      '"pin_tracker.stateless.max_pin_queue_size": is 9223372036854775808, outside Go\'s int64 range',
    );
    expect(ran.stderr).toContain('"cluster.resource_manager.memory_limit_bytes": is 18446744073709551616, outside');
    expect(ran.stderr).toContain("write at least -9223372036854775808");
  });

  test("a float64 field refuses a number too large for a double (strconv.ParseFloat: out of range)", async () => {
    await writeWith({});
    const text = readFileSync(serviceFile(), "utf8");
    writeFileSync(serviceFile(), text.replace('"sampling_prob": 0.3', '"sampling_prob": 1e400'));
    const ran = await runCli(["validate", "ipfs-cluster-service"], { root });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('"observations.tracing.sampling_prob": expected a number within Go\'s float64 range');
  });

  test("pebble_options.levels items decode as levelOptions: ints, read from their written text", async () => {
    await writeWith({});
    const level = '{ "block_size": 4096, "target_file_size": 9223372036854775807, "filter_policy": 10 }';
    const text = readFileSync(serviceFile(), "utf8").replace(
      '"pebble_options": {',
      `"pebble_options": {
        "levels": [${level}, null],`,
    );
    writeFileSync(serviceFile(), text);
    const ok = await runCli(["validate", "ipfs-cluster-service"], { root });
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    // datastore/pebble/config.go levelOptions: block_size is an int, so text or a fraction fails json.Unmarshal.
    for (const [written, message] of [
      ['"4KiB"', `"datastore.pebble.pebble_options.levels.0.block_size": expected an integer within Go's int64 range`],
      ["4096.0", '"datastore.pebble.pebble_options.levels.0.block_size": is the JSON number 4096.0'],
    ] as const) {
      writeFileSync(serviceFile(), text.replace('"block_size": 4096', `"block_size": ${written}`));
      const ran = await runCli(["validate", "ipfs-cluster-service"], { root });
      expect({ written, code: ran.code }).toEqual({ written, code: 1 });
      expect(ran.stderr).toContain(message);
    }
  });

  test("badger, badger3 and leveldb options decode into each backend's own options struct", async () => {
    await writeWith({});
    const config = readJson(serviceFile());
    const cases: [object, string | undefined][] = [
      [{ badger: { badger_options: { sync_writes: true, max_table_size: 67108864, truncate: true } } }, undefined],
      [{ badger3: { badger_options: { block_cache_size: 0, value_log_max_entries: 1000000 } } }, undefined],
      [
        { leveldb: { leveldb_options: { block_size: 4096, compaction_table_size_multiplier_per_level: [1, 2] } } },
        undefined,
      ],
      // datastore/badger/config.go badgerOptions: sync_writes is a bool.
      [{ badger: { badger_options: { sync_writes: "yes" } } }, '"datastore.badger.badger_options.sync_writes"'],
      // datastore/badger3/config.go badgerOptions: value_log_max_entries is a uint32.
      [
        { badger3: { badger_options: { value_log_max_entries: 5000000000 } } },
        '"datastore.badger3.badger_options.value_log_max_entries"',
      ],
      // datastore/leveldb/config.go levelDBOptions: block_size is an int.
      [{ leveldb: { leveldb_options: { block_size: "4KiB" } } }, '"datastore.leveldb.leveldb_options.block_size"'],
    ];
    for (const [datastore, refused] of cases) {
      writeFileSync(serviceFile(), JSON.stringify({ ...config, datastore }, null, 2));
      const ran = await runCli(["validate", "ipfs-cluster-service"], { root });
      expect({ datastore, code: ran.code }).toEqual({ datastore, code: refused ? 1 : 0 });
      if (refused) expect(ran.stderr).toContain(refused);
    }
    // A uint32 too is read from its text: a fraction fails (encoding/json literalStore).
    const datastore = { badger3: { badger_options: { value_log_max_entries: 1000000 } } };
    const text = JSON.stringify({ ...config, datastore }, null, 2);
    writeFileSync(
      serviceFile(),
      text.replace('"value_log_max_entries": 1000000', '"value_log_max_entries": 1000000.0'),
    );
    const ran = await runCli(["validate", "ipfs-cluster-service"], { root });
    expect(ran.stderr).toContain(
      '"datastore.badger3.badger_options.value_log_max_entries": is the JSON number 1000000.0',
    );
  });

  test("badger's loading modes, badger3's compression and checksum mode: set, typed, read as badger does", async () => {
    await writeWith({});
    const config = readJson(serviceFile());
    // datastore/badger/config.go badgerOptions (*options.FileLoadingMode, an int) and
    // datastore/badger3/config.go badgerOptions (options.CompressionType uint32,
    // options.ChecksumVerificationMode int): Go integers with no JSON unmarshaler of their own.
    const ROWS: [
      store: "badger" | "badger3",
      key: string,
      taken: string[],
      wrongType: unknown[],
      refused: [value: number, message: string][],
      warned: number[],
    ][] = [
      [
        "badger",
        "table_loading_mode",
        ["0", "1", "2"],
        ["MemoryMap", true, 2.5],
        [[3, 'badger panics when it opens a table ("Invalid loading mode")']],
        [],
      ],
      [
        "badger",
        "value_log_loading_mode",
        ["0", "2"],
        ["FileIO", false],
        // badger v1.6.2 db.go Open: ErrInvalidLoadingMode.
        [
          [1, 'badger refuses to open ("Invalid ValueLogLoadingMode")'],
          [-1, "use 0 (FileIO) or 2 (MemoryMap)"],
        ],
        [],
      ],
      [
        "badger3",
        "compression",
        ["0", "1", "2"],
        ["snappy", -1, 4294967296],
        [[3, 'badger3 stops the daemon when it writes its first table ("Unsupported compression type")']],
        [],
      ],
      ["badger3", "checksum_verification_mode", ["0", "3"], ["OnBlockRead", [1]], [], [4, -1]],
    ];
    for (const [store, key, taken, wrongType, refused, warned] of ROWS) {
      const at = `datastore.${store}.badger_options.${key}`;
      const write = (value: unknown, consensus: object = config.consensus) =>
        writeFileSync(
          serviceFile(),
          JSON.stringify(
            { ...config, consensus, datastore: { [store]: { badger_options: { [key]: value } } } },
            null,
            2,
          ),
        );
      for (const value of taken) {
        write(null);
        const set = await runCli(["update", "ipfs-cluster-service", "--set", `${at}=${value}`], { root });
        expect({ at, value, stderr: set.stderr, code: set.code }).toEqual({ at, value, stderr: "", code: 0 });
        expect(readJson(serviceFile()).datastore[store].badger_options[key]).toBe(Number(value));
        const ran = await runCli(["validate", "ipfs-cluster-service"], { root });
        expect({ at, value, stderr: ran.stderr, code: ran.code }).toEqual({ at, value, stderr: "", code: 0 });
      }
      for (const value of wrongType) {
        write(value);
        const ran = await runCli(["validate", "ipfs-cluster-service"], { root });
        expect({ at, value, code: ran.code }).toEqual({ at, value, code: 1 });
        expect(ran.stderr).toContain(`"${at}": expected an integer`);
        write(null);
        const set = await runCli(["update", "ipfs-cluster-service", "--set", `${at}=${JSON.stringify(value)}`], {
          root,
        });
        expect({ at, value, code: set.code }).toEqual({ at, value, code: 1 });
      }
      for (const [value, message] of refused) {
        write(value);
        const ran = await runCli(["validate", "ipfs-cluster-service"], { root });
        expect({ at, value, code: ran.code }).toEqual({ at, value, code: 1 });
        expect(ran.stderr).toContain(`"${at}": is ${value}: `);
        expect(ran.stderr).toContain(message);
        // Raft keeps its state in memory and never opens the store (cmdutils/state.go GetStore).
        write(value, { raft: {} });
        const raft = await runCli(["validate", "ipfs-cluster-service"], { root });
        expect({ at, value, code: raft.code }).toEqual({ at, value, code: 0 });
        expect(raft.stderr).toContain(`"${at}": is ${value}: `);
      }
      for (const value of warned) {
        write(value);
        const ran = await runCli(["validate", "ipfs-cluster-service"], { root });
        expect({ at, value, code: ran.code }).toEqual({ at, value, code: 0 });
        expect(ran.stderr).toContain(`"${at}": is ${value}: badger3 reads it as 0 (no verification)`);
      }
    }
  });

  test("a key inside an option struct that no field reads is named, as a component's own is", async () => {
    await writeWith({});
    const config = readJson(serviceFile());
    config.cluster.connection_manager.hi_water = 100;
    config.datastore.pebble.pebble_options.bogus = 1;
    config.datastore.pebble.pebble_options.levels = [{ block_size: 4096, blocksize: 4096 }];
    config.consensus.crdt.batching.max_batch = 5;
    writeFileSync(serviceFile(), JSON.stringify(config, null, 2));
    const ran = await runCli(["validate", "ipfs-cluster-service"], { root });
    expect(ran.code).toBe(0);
    for (const key of [
      "cluster.connection_manager.hi_water",
      "datastore.pebble.pebble_options.bogus",
      "datastore.pebble.pebble_options.levels.0.blocksize",
      "consensus.crdt.batching.max_batch",
    ])
      expect(ran.stderr).toContain(`"${key}": is not a key that ipfs-cluster v1.1.6 reads: it is ignored`);
    expect(ran.stderr).not.toContain("levels.0.block_size");
  });

  test("-0 loads into an int field but not into a uint64 one (strconv.ParseUint refuses a sign)", async () => {
    await writeWith({ mem: "-0", queue: "-0" });
    const ran = await runCli(["validate", "ipfs-cluster-service"], { root });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('"cluster.resource_manager.memory_limit_bytes": is -0: ipfs-cluster reads this');
    expect(ran.stderr).not.toContain("max_pin_queue_size");
  });

  test("update --set writes a limit with every digit, and refuses one past it; the file stays", async () => {
    await writeWith({});
    const set = (value: string) =>
      runCli(["update", "ipfs-cluster-service", "--set", `pin_tracker.stateless.max_pin_queue_size=${value}`], {
        root,
      });
    const taken = await set("9223372036854775807");
    expect(taken.stderr).toBe("");
    expect(taken.code).toBe(0);
    const before = readFileSync(serviceFile(), "utf8");
    expect(before).toContain('"max_pin_queue_size": 9223372036854775807\n');
    const ran = await set("9223372036854775808");
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain("expected an integer within Go's int64 range");
    expect(readFileSync(serviceFile(), "utf8")).toBe(before);
    // A uint64 field takes its own limit, 2^64-1,.
    const uint = await runCli(
      ["update", "ipfs-cluster-service", "--set", "cluster.resource_manager.memory_limit_bytes=18446744073709551615"],
      { root },
    );
    expect(uint.code).toBe(0);
    expect(readFileSync(serviceFile(), "utf8")).toContain('"memory_limit_bytes": 18446744073709551615');
  });
});

describe("ipfs-cluster-service: lists, keys, durations and URLs as the daemon's Go code reads them", () => {
  /** validate after writing service.json (an object, or raw text) and the identity as given. */
  async function validateWith(service: unknown, identity?: unknown) {
    writeFileSync(serviceFile(), typeof service === "string" ? service : JSON.stringify(service, null, 2));
    if (identity !== undefined) writeFileSync(identityFile(), JSON.stringify(identity, null, 4));
    return runCli(["validate", "ipfs-cluster-service"], { root });
  }

  test("a JSON list where Go decodes an object fails validate (encoding/json: cannot unmarshal array)", async () => {
    await runCli(["configure", "ipfs-cluster-service"], { root });
    const config = readJson(serviceFile());
    // config/config.go jsonConfig (a section is a map), each component's jsonConfig, the structs and
    // maps inside them (cluster_config.go connMgrConfigJSON, api/common/config.go Headers, informer/tags Tags).
    for (const [edit, key] of [
      [(c: typeof config) => (c.api = []), "api"],
      [(c: typeof config) => (c.api.restapi = []), "api.restapi"],
      [(c: typeof config) => (c.cluster.connection_manager = []), "cluster.connection_manager"],
      [(c: typeof config) => (c.api.restapi.headers = []), "api.restapi.headers"],
      [(c: typeof config) => (c.api.restapi.basic_auth_credentials = []), "api.restapi.basic_auth_credentials"],
      [(c: typeof config) => (c.informer.tags.tags = []), "informer.tags.tags"],
      [
        (c: typeof config) => (c.datastore.pebble.pebble_options.levels = [[]]),
        "datastore.pebble.pebble_options.levels.0",
      ],
    ] as const) {
      const copy = structuredClone(config);
      edit(copy);
      const ran = await validateWith(copy);
      expect({ key, code: ran.code }).toEqual({ key, code: 1 });
      expect(ran.stderr).toContain(`"${key}": expected a JSON object, got a JSON array`);
    }
    // With a source, each section is still decoded from the file (as a map of raw components).
    const sourced = { source: "https://cluster.example.org/service.json", api: [] };
    expect((await validateWith(sourced)).stderr).toContain(
      '"api": is not a JSON object: the daemon cannot decode service.json, even with a source set',
    );
  });

  test("pebble levels' filter_type and filter_policy are Go ints (pebble FilterType, bloom.FilterPolicy)", async () => {
    await runCli(["configure", "ipfs-cluster-service"], { root });
    const config = readJson(serviceFile());
    const withLevel = (level: object) => {
      const copy = structuredClone(config);
      copy.datastore.pebble.pebble_options.levels = [level];
      return copy;
    };
    expect((await validateWith(withLevel({ block_size: 4096, filter_type: 0, filter_policy: 10 }))).code).toBe(0);
    const ran = await validateWith(withLevel({ filter_type: "table", filter_policy: "10" }));
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('"datastore.pebble.pebble_options.levels.0.filter_type"');
    expect(ran.stderr).toContain('"datastore.pebble.pebble_options.levels.0.filter_policy"');
  });

  test("a private key is read as Go's base64.StdEncoding: padding required, line breaks skipped", async () => {
    await runCli(["configure", "ipfs-cluster-service"], { root });
    const [config, identity] = [readJson(serviceFile()), readJson(identityFile())];
    const key: string = identity.private_key;
    // config/identity.go applyIdentityJSON: base64.StdEncoding.DecodeString.
    const unpadded = await validateWith(config, { ...identity, private_key: key.replace(/=+$/, "") });
    expect(unpadded.code).toBe(1);
    expect(unpadded.stderr).toContain(
      '"identity.private_key": cannot be used: the private key does not decode: not standard base64 as Go reads it',
    );
    expect(unpadded.stderr).not.toContain(key.slice(8, 40));
    const wrapped = `${key.slice(0, 40)}\r\n${key.slice(40)}\n`;
    const ran = await validateWith(config, { ...identity, private_key: wrapped });
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
  });

  test("crdt stops reading durations at the first that does not parse: later ones keep their defaults", async () => {
    await runCli(["configure", "ipfs-cluster-service"], { root });
    const config = readJson(serviceFile());
    // consensus/crdt/config.go applyJSONConfig drops the error of config.ParseDurations, which returns at
    // the first bad text: rebroadcast_interval, then batching.max_batch_age, then repair_interval.
    const crdt = (fields: object) => ({ ...config, consensus: { crdt: { ...config.consensus.crdt, ...fields } } });
    const ignored = await validateWith(crdt({ rebroadcast_interval: "1 minute", repair_interval: "-1h" }));
    expect(ignored.stderr).toContain('"consensus.crdt.repair_interval": is not read: the daemon stops at');
    expect(ignored.code).toBe(0);
    const read = await validateWith(crdt({ rebroadcast_interval: "1m0s", repair_interval: "-1h" }));
    expect(read.code).toBe(1);
    expect(read.stderr).toContain('"consensus.crdt.repair_interval": cannot be negative');
  });

  test("a source URL is fetched as Go's http.Get does: any case of scheme, a host url.Parse takes", async () => {
    await runCli(["configure", "ipfs-cluster-service"], { root });
    // config/config.go LoadJSONFromHTTPSource: http.Get; net/url Parse lowers the scheme.
    for (const source of ["HTTPS://cluster.example.org/service.json", "https://[::1]:8443/service.json"]) {
      const ran = await validateWith({ source });
      expect({ source, stderr: ran.stderr, code: ran.code }).toEqual({ source, stderr: "", code: 0 });
    }
    for (const [source, message] of <[string, string][]>[
      ["https://cluster example.org/service.json", 'its host holds " ", which Go refuses in a host'],
      ["https://cluster.example.org:99999/service.json", "has the port 99999, past 65535"],
      ["https://cluster.example.org:8x/service.json", "its port is not a number"],
      ["https://[::1/service.json", 'its host has no "]"'],
      ["https://cluster.example.org/service.json\n", "it holds a control character"],
      ["/ipns/cluster.example.org", "is not an http:// or https:// URL"],
      ["ftp://cluster.example.org/service.json", "is not an http:// or https:// URL"],
    ]) {
      const ran = await validateWith({ source });
      expect({ source, code: ran.code }).toEqual({ source, code: 1 });
      expect(ran.stderr).toContain('"source": ');
      expect(ran.stderr).toContain(message);
    }
  });
});
