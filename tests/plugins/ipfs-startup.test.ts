import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "kitcfg";
import { datastoreDiskSpec } from "../../plugins/ipfs/datastore.ts";
import { loadTimeIssues } from "../../plugins/ipfs/rules.ts";
import { runCli, tempDir } from "../helpers.ts";

// Values kubo v0.43 refuses while it builds the node, in process (tests/fixtures/FORMATS.md
// "kubo load-time rules"): the sweeping provider's workers, the DHT's optimistic provide pool,
// a custom HTTP router's endpoint, and the badgerds and pebbleds datastore parameters. Each
// refused value is paired with the one kubo takes at the boundary.

/** The messages of the issues kubo has with `config` at `key`. */
function issuesAt(config: Config, key: string): string[] {
  return loadTimeIssues(config)
    .filter((issue) => issue.key === key)
    .map((issue) => issue.message);
}

describe("ipfs plugin: the sweeping provider's workers (kad-dht provider/options.go)", () => {
  const key = "Provide.DHT.MaxWorkers";
  const workers = (dht: Record<string, number>, more: Config = {}): Config => ({ ...more, Provide: { DHT: dht } });

  test("MaxWorkers below the dedicated workers (defaults 2 + 1) is refused; equal to them is taken", () => {
    expect(issuesAt(workers({ MaxWorkers: 2 }), key)).toEqual([
      expect.stringContaining(
        "is 2, fewer than DedicatedPeriodicWorkers + DedicatedBurstWorkers (2 + 1): the sweeping",
      ),
    ]);
    expect(issuesAt(workers({ MaxWorkers: 3 }), key)).toEqual([]);
    expect(issuesAt(workers({ MaxWorkers: 8, DedicatedPeriodicWorkers: 5, DedicatedBurstWorkers: 4 }), key)).toEqual([
      expect.stringContaining("(5 + 4)"),
    ]);
    expect(issuesAt(workers({ DedicatedPeriodicWorkers: 10, DedicatedBurstWorkers: 6 }), key)).toEqual([]);
    expect(issuesAt(workers({ DedicatedPeriodicWorkers: 10, DedicatedBurstWorkers: 7 }), key)).toHaveLength(1);
  });

  test("only where kubo builds the sweeping provider: not with providing, sweep or a DHT off", () => {
    const few = { MaxWorkers: 1 };
    for (const type of [undefined, null, "auto", "autoclient", "dht", "dhtclient", "dhtserver"])
      expect(issuesAt(workers(few, { Routing: { Type: type } }), key)).toHaveLength(1);
    // "" and "default" get the legacy provider (provider.go hasDHTRouting); custom a no-op one.
    for (const type of ["", "default", "none", "custom", "delegated"])
      expect(issuesAt(workers(few, { Routing: { Type: type } }), key)).toEqual([]);
    expect(issuesAt({ Provide: { Enabled: false, DHT: few } }, key)).toEqual([]);
    expect(issuesAt(workers({ ...few, SweepEnabled: false } as never), key)).toEqual([]);
  });
});

describe("ipfs plugin: the DHT's optimistic provide pool (kad-dht dht.go New)", () => {
  const key = "Experimental.OptimisticProvideJobsPoolSize";

  test("a negative pool size panics kubo while optimistic provide is on (by default, with sweep); 0 is taken", () => {
    expect(issuesAt({ Experimental: { OptimisticProvideJobsPoolSize: -1 } }, key)).toEqual([
      expect.stringContaining("must not be negative"),
    ]);
    expect(issuesAt({ Experimental: { OptimisticProvideJobsPoolSize: 0 } }, key)).toEqual([]);
    const off = { Experimental: { OptimisticProvideJobsPoolSize: -1 }, Provide: { DHT: { SweepEnabled: false } } };
    expect(issuesAt(off, key)).toEqual([]);
    expect(issuesAt({ ...off, Experimental: { ...off.Experimental, OptimisticProvide: true } }, key)).toHaveLength(1);
  });

  test("only routing types built with constructDHTRouting use it", () => {
    for (const type of ["", "auto", "default", "autoclient", "dht", "dhtclient", "dhtserver"])
      expect(issuesAt({ Experimental: { OptimisticProvideJobsPoolSize: -5 }, Routing: { Type: type } }, key)).toEqual([
        expect.stringContaining("kubo panics at start"),
      ]);
    for (const type of ["none", "custom", "delegated"])
      expect(issuesAt({ Experimental: { OptimisticProvideJobsPoolSize: -5 }, Routing: { Type: type } }, key)).toEqual(
        [],
      );
  });
});

describe("ipfs plugin: a custom HTTP router's Endpoint (boxo routing/http/client normalizeBaseURL)", () => {
  const key = "Routing.Routers.web.Parameters.Endpoint";
  const withEndpoint = (endpoint: string): Config => ({
    Routing: {
      Type: "custom",
      Routers: { web: { Type: "http", Parameters: { Endpoint: endpoint } } },
      Methods: Object.fromEntries(
        ["provide", "find-peers", "find-providers", "get-ipns", "put-ipns"].map((m) => [m, { RouterName: "web" }]),
      ),
    },
  });

  test.each([
    "https://cid.contact",
    "https://cid.contact/",
    "https://cid.contact/routing/v1",
    "https://cid.contact/routing/v1//",
    "https://cid.contact//routing/v1",
    "http://127.0.0.1:8080/?x=/y",
    "localhost:8080",
    // No scheme check there: only url.Parse and the path.
    "//cid.contact",
  ])("%s is taken", (endpoint) => {
    expect(issuesAt(withEndpoint(endpoint), key)).toEqual([]);
  });

  test.each([
    "https://cid.contact/routing/v1/providers",
    "https://cid.contact/api",
    "https://cid.contact/routing/v1/routing/v1",
    "https://cid.contact/routing/v1?x=1",
    "cid.contact",
    "cid.contact/routing/v1",
    // Go's url.Parse refuses these: drclient.New fails.
    "https://cid.contact/%zz",
    "https://cid contact",
  ])("%s is refused", (endpoint) => {
    expect(issuesAt(withEndpoint(endpoint), key)).toEqual([
      expect.stringMatching(/is not the base URL of a routing server \(.+\): give scheme and host with no path, or/),
    ]);
  });

  test("a router no method uses is never built, and not judged", () => {
    const config = withEndpoint("https://cid.contact");
    (config.Routing as { Routers: Config }).Routers.spare = { Type: "http", Parameters: { Endpoint: "x.org/api" } };
    expect(loadTimeIssues(config)).toEqual([]);
  });
});

describe("ipfs plugin: delegated router URLs (core/node/libp2p/routingopt.go constructDefaultHTTPRouters)", () => {
  const key = "Routing.DelegatedRouters";
  const withRouter = (url: string): Config => ({ Routing: { DelegatedRouters: [url] } });

  test.each([
    "https://cid.contact",
    "HTTPS://cid.contact/routing/v1/providers/",
    "https://ipns.example.com/routing/v1/ipns",
    "localhost:8080",
  ])("%s is taken", (url) => {
    expect(issuesAt(withRouter(url), key)).toEqual([]);
  });

  // No scheme: the base URL "://host" fails url.Parse in boxo's normalizeBaseURL. A URL Go refuses:
  // boxo skips it and kubo builds a router with no Endpoint.
  test.each([
    ["", "it has no scheme"],
    ["//cid.contact", "it has no scheme"],
    ["/routing/v1/providers", "it has no scheme"],
    ["https://cid.contact/%zz", "Go's url.Parse refuses it"],
    ["https://cid contact", "Go's url.Parse refuses it"],
  ])("%j is refused (%s)", (url, why) => {
    expect(issuesAt(withRouter(url), key)).toEqual([expect.stringContaining(`kubo can use (${why}`)]);
  });

  test("Ipns.DelegatedPublishers is judged the same way", () => {
    const issues = loadTimeIssues({ Ipns: { DelegatedPublishers: ["//ipns.example.com/routing/v1/ipns"] } });
    expect(issues.map((issue) => issue.key)).toEqual(["Ipns.DelegatedPublishers"]);
  });
});

describe("ipfs plugin: flatfs shard functions (go-ds-flatfs shard.go ParseShardFunc)", () => {
  const problem = (shardFunc: string) => {
    const result = datastoreDiskSpec({ type: "flatfs", path: "blocks", sync: true, shardFunc });
    return result.ok ? undefined : result.problem;
  };

  test("a length from 0 to int64's largest is taken, written as Go prints it", () => {
    for (const length of ["0", "+2", "007", "9223372036854775807"])
      expect(problem(`/repo/flatfs/shard/v1/prefix/${length}`)).toBeUndefined();
    const spec = datastoreDiskSpec({
      type: "flatfs",
      path: "b",
      sync: true,
      shardFunc: "/repo/flatfs/shard/v1/suffix/+03",
    });
    expect(spec).toEqual({ ok: true, text: expect.stringContaining('"shardFunc":"/repo/flatfs/shard/v1/suffix/3"') });
  });

  // strings.Repeat("_", n) panics on a negative n; next-to-last/-1 slices every key out of range.
  test.each(["prefix/-1", "suffix/-3", "next-to-last/-2", "next-to-last/-1", "prefix/9223372036854775808"])(
    "%s is refused (kubo panics, or strconv.Atoi is out of range)",
    (shard) => {
      expect(problem(`/repo/flatfs/shard/v1/${shard}`)).toContain('"shardFunc" must end in a length from 0 to');
    },
  );
});

describe("ipfs plugin: badgerds and pebbleds parameters (kubo plugin/plugins/*/ DatastoreConfigParser)", () => {
  const problem = (spec: Record<string, unknown>) => {
    const result = datastoreDiskSpec(spec);
    return result.ok ? undefined : result.problem;
  };
  const badger = (more: Record<string, unknown>) => ({ type: "badgerds", path: "badgerds", ...more });
  const pebble = (more: Record<string, unknown>) => ({ type: "pebbleds", path: "pebbleds", ...more });

  test("badgerds: syncWrites and truncate are booleans, null included", () => {
    expect(problem(badger({ syncWrites: true, truncate: false }))).toBeUndefined();
    expect(problem(badger({ syncWrites: "true" }))).toBe('badgerds "syncWrites" must be true or false, got "true"');
    expect(problem(badger({ truncate: null }))).toBe('badgerds "truncate" must be true or false, got null');
  });

  test("badgerds: vlogFileSize is a string ParseBytes reads, from 1MiB to 2GiB (badger v1 Open)", () => {
    for (const size of ["1MiB", "1048576", "2GiB", "2,147,483,648 b", "1.5 gib"])
      expect(problem(badger({ vlogFileSize: size }))).toBeUndefined();
    expect(problem(badger({ vlogFileSize: 1073741824 }))).toBe(
      'badgerds "vlogFileSize" must be a string such as "1GiB", got 1073741824',
    );
    expect(problem(badger({ vlogFileSize: "1 GiBs" }))).toContain('"1 GiBs" is not a byte size');
    expect(problem(badger({ vlogFileSize: "-1GiB" }))).toContain("is not a byte size");
    expect(problem(badger({ vlogFileSize: "1048575" }))).toContain("must be from 1MiB to 2GiB");
    expect(problem(badger({ vlogFileSize: "2147483649" }))).toContain("must be from 1MiB to 2GiB");
  });

  test("pebbleds: each number it reads is a JSON number, any float; disableWAL a boolean", () => {
    const numbers = { cacheSize: 1.5, formatMajorVersion: 24, l0CompactionThreshold: -2, walMinSyncIntervalSeconds: 0 };
    expect(problem(pebble({ ...numbers, disableWAL: true }))).toBeUndefined();
    expect(problem(pebble({ memTableSize: "64MiB" }))).toBe('pebbleds "memTableSize" must be a number, got "64MiB"');
    expect(problem(pebble({ walMinSyncIntervalSeconds: null }))).toContain("must be a number, got null");
    expect(problem(pebble({ disableWAL: 0 }))).toBe('pebbleds "disableWAL" must be true or false, got 0');
    // Inside a mount, where kubo parses every child's parameters too.
    const mounted = { type: "mount", mounts: [{ mountpoint: "/", ...pebble({ bytesPerSync: "1" }) }] };
    expect(problem(mounted)).toBe('mounts.0: pebbleds "bytesPerSync" must be a number, got "1"');
  });

  test("pebbleds: what pebble's Open refuses once its defaults fill in (options.go Validate)", () => {
    for (const format of [0, 13, 24, 24.9]) expect(problem(pebble({ formatMajorVersion: format }))).toBeUndefined();
    for (const format of [12, 25, -1])
      expect(problem(pebble({ formatMajorVersion: format }))).toContain("must be 0 (the newest) or 13 to 24");
    // L0: stop writes (default 12) at or above compaction (default 4), each default in place of 0 or less.
    expect(problem(pebble({ l0CompactionThreshold: 12 }))).toBeUndefined();
    expect(problem(pebble({ l0CompactionThreshold: 13 }))).toBe(
      'pebbleds "l0StopWritesThreshold" (0 or less: 12) must be at least l0CompactionThreshold (13), got none: ' +
        "pebble does not open",
    );
    expect(problem(pebble({ l0CompactionThreshold: 20, l0StopWritesThreshold: 20 }))).toBeUndefined();
    expect(problem(pebble({ l0StopWritesThreshold: 3 }))).toContain("at least l0CompactionThreshold (4");
    expect(problem(pebble({ l0StopWritesThreshold: -3 }))).toBeUndefined();
    for (const size of [0, 64 * 2 ** 20, 2 ** 32 - 2]) expect(problem(pebble({ memTableSize: size }))).toBeUndefined();
    for (const size of [2 ** 32 - 1, -1]) expect(problem(pebble({ memTableSize: size }))).toContain("memTableSize");
    expect(problem(pebble({ memTableStopWritesThreshold: 1 }))).toContain("must be at least 2");
    for (const n of [0, -4, 2]) expect(problem(pebble({ memTableStopWritesThreshold: n }))).toBeUndefined();
  });
});

describe("ipfs plugin: validate reports these rules", () => {
  let root: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir: root, cleanup } = tempDir()));
  afterEach(() => cleanup());

  test("validate fails on too few sweep workers and on a badgerds truncate that is not a boolean", async () => {
    expect((await runCli(["configure", "ipfs"], { root })).code).toBe(0);
    const path = join(root, ".ipfs", "config");
    const config = JSON.parse(readFileSync(path, "utf8"));
    config.Provide = { DHT: { MaxWorkers: 2 } };
    config.Datastore.Spec = { type: "badgerds", path: "badgerds", truncate: "yes" };
    writeFileSync(path, JSON.stringify(config, null, 2), { mode: 0o600 });
    const ran = await runCli(["validate", "ipfs"], { root });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain("Provide.DHT.MaxWorkers");
    expect(ran.stderr).toContain("total dedicated workers exceed max workers");
    expect(ran.stderr).toContain('badgerds "truncate" must be true or false, got "yes"');
  });

  test("update refuses to leave no address to listen on; AutoTLS's wildcard listener is taken", async () => {
    expect((await runCli(["configure", "ipfs"], { root })).code).toBe(0);
    const only = ["--set", 'Addresses.Swarm=["/ip4/0.0.0.0/tcp/4001"]'];
    const refused = await runCli(["update", "ipfs", ...only, "--set", "Swarm.Transports.Network.TCP=false"], { root });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('"Addresses.Swarm"');
    expect(refused.stderr).toContain("failed to listen on any addresses");
    const wss = '["/ip4/0.0.0.0/tcp/4001", "/ip4/0.0.0.0/tcp/4001/tls/sni/*.libp2p.direct/ws"]';
    const taken = await runCli(["update", "ipfs", "--set", `Addresses.Swarm=${wss}`], { root });
    expect([taken.code, taken.stderr]).toEqual([0, expect.not.stringContaining("Addresses.Swarm")]);
  });
});

describe("ipfs plugin: listen addresses without a transport (go-libp2p swarm_listen.go Listen)", () => {
  const key = "Addresses.Swarm";
  const listen = (swarm: unknown[], network: Record<string, boolean> = {}): Config => ({
    Addresses: { Swarm: swarm },
    Swarm: { Transports: { Network: network } },
  });
  const severities = (config: Config, privateNetwork = false) =>
    loadTimeIssues(config, { privateNetwork })
      .filter((issue) => issue.key === key)
      .map((issue) => issue.severity ?? "error");

  test("every address on a transport turned off fails the node; one it can listen on is enough", () => {
    const tcpOnly = ["/ip4/0.0.0.0/tcp/4001", "/ip6/::/tcp/4001"];
    expect(issuesAt(listen(tcpOnly, { TCP: false }), key)).toEqual([
      expect.stringContaining('"/ip4/0.0.0.0/tcp/4001" (Swarm.Transports.Network.TCP is false)'),
    ]);
    expect(severities(listen(tcpOnly, { TCP: false }))).toEqual(["error"]);
    expect(issuesAt(listen(tcpOnly), key)).toEqual([]);
    expect(issuesAt(listen(tcpOnly, { TCP: true, QUIC: false }), key)).toEqual([]);
    const mixed = [...tcpOnly, "/ip4/0.0.0.0/udp/4001/quic-v1"];
    expect(severities(listen(mixed, { TCP: false }))).toEqual(["warning"]);
    expect(severities(listen(mixed, { TCP: false, QUIC: false }))).toEqual(["error"]);
    expect(issuesAt(listen([]), key)).toEqual([]);
  });

  test("the transport is the last protocol's: websocket for /ws and /tls/sni/.../ws, a relay for /p2p-circuit", () => {
    expect(severities(listen(["/ip4/0.0.0.0/tcp/4002/ws"], { TCP: false }))).toEqual([]);
    expect(severities(listen(["/ip4/0.0.0.0/tcp/4002/ws"], { Websocket: false }))).toEqual(["error"]);
    expect(severities(listen(["/ip4/0.0.0.0/tcp/4002/tls/sni/*.libp2p.direct/ws"], { Websocket: false }))).toEqual([
      "error",
    ]);
    expect(severities(listen(["/ip4/0.0.0.0/udp/4001/quic-v1/webtransport"], { QUIC: false }))).toEqual([]);
    expect(severities(listen(["/ip4/0.0.0.0/udp/4001/quic-v1/webtransport"], { WebTransport: false }))).toEqual([
      "error",
    ]);
    expect(severities(listen(["/ip4/0.0.0.0/udp/4001/webrtc-direct"], { WebRTCDirect: false }))).toEqual(["error"]);
    expect(severities(listen(["/p2p-circuit"]))).toEqual([]);
    expect(severities(listen(["/p2p-circuit"], { Relay: false }))).toEqual(["error"]);
    // The draft QUIC version is gone from go-libp2p: no transport listens on it.
    expect(issuesAt(listen(["/ip4/0.0.0.0/udp/4001/quic"]), key)).toEqual([
      expect.stringContaining("no libp2p transport listens on /quic"),
    ]);
  });

  test("in a private network QUIC, WebTransport and WebRTC Direct are off unless turned on", () => {
    const udp = ["/ip4/0.0.0.0/udp/4001/quic-v1", "/ip4/0.0.0.0/udp/4001/webrtc-direct"];
    expect(severities(listen(udp), true)).toEqual(["error"]);
    expect(loadTimeIssues(listen(udp), { privateNetwork: true }).find((i) => i.key === key)?.message).toContain(
      "Swarm.Transports.Network.QUIC is off in a private network",
    );
    expect(severities(listen(udp))).toEqual([]);
    expect(severities(listen([...udp, "/ip4/0.0.0.0/tcp/4001"]), true)).toEqual(["warning"]);
  });
});
