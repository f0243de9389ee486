import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { maxSocketPath } from "../../plugins/ipfs-cluster/shared.ts";
import { checkIdentity } from "../../sdk/libp2p.ts";
import { cleanEnv, kitcfg, runCli, tempDir } from "../helpers.ts";
import { FOLLOW_REFUSED } from "./_load-rules.ts";

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

const base = () => join(root, ".ipfs-cluster-follow");
const serviceFile = (name: string) => join(base(), name, "service.json");
const identityFile = (name: string) => join(base(), name, "identity.json");
const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"));

describe("ipfs-cluster-follow: configure --source", () => {
  test('writes exactly {"source": URL} and a new identity, as `ipfs-cluster-follow X init URL` does', async () => {
    const url = "https://cluster.example.org/follower/service.json";
    const ran = await runCli(["configure", "ipfs-cluster-follow", "--instance", "collab", "--source", url], { root });
    expect(ran.code).toBe(0);
    expect(readFileSync(serviceFile("collab"), "utf8")).toBe(`{\n  "source": "${url}"\n}`);
    const identityText = readFileSync(identityFile("collab"), "utf8");
    expect(identityText).toMatch(/^\{\n {4}"id": "12D3KooW\w+",\n {4}"private_key": "[A-Za-z0-9+/=]+"\n\}$/);
    const identity = JSON.parse(identityText);
    expect(checkIdentity(identity.id, identity.private_key).ok).toBe(true);
    for (const file of [serviceFile("collab"), identityFile("collab")]) expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(base(), "collab")).mode & 0o777).toBe(0o700);
    expect((await runCli(["validate", "ipfs-cluster-follow", "--instance", "collab"], { root })).code).toBe(0);
  });

  test("--source is --set source=URL: both write the same file", async () => {
    await runCli(["configure", "ipfs-cluster-follow", "--instance", "a", "--source", "https://h.example/s.json"], {
      root,
    });
    await runCli(["configure", "ipfs-cluster-follow", "--instance", "b", "--set", "source=https://h.example/s.json"], {
      root,
    });
    expect(readFileSync(serviceFile("a"), "utf8")).toBe(readFileSync(serviceFile("b"), "utf8"));
  });

  test("with a source, what else service.json holds is decoded as raw JSON only: its values are not refused", () => {
    // config/config.go LoadJSON: jsonConfig keeps `cluster` raw and each section as a map of raw
    // JSON, then loads everything from the source; only a section that is no object fails there.
    const url = "https://h.example/s.json";
    expect(kitcfg(["configure", "ipfs-cluster-follow", "--instance", "s", "--source", url], { root }).code).toBe(0);
    const sections = { cluster: { peername: 5, leave_on_shutdown: "x" }, consensus: { crdt: { batching: 1.5 } } };
    writeFileSync(serviceFile("s"), JSON.stringify({ source: url, ...sections }, null, 2));
    const ran = kitcfg(["validate", "ipfs-cluster-follow", "--instance", "s"], { root });
    expect(ran.code).toBe(0);
    expect(ran.stderr).toContain('"cluster": is ignored: with "source" set');
    writeFileSync(serviceFile("s"), JSON.stringify({ source: url, ...sections, monitor: [] }, null, 2));
    const refused = kitcfg(["validate", "ipfs-cluster-follow", "--instance", "s"], { root });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('"monitor": is not a JSON object: the daemon cannot decode service.json');
  });

  test(
    "a name without http(s):// is a DNSLink name, " + "fetched through the gateway (IPFS_GATEWAY or 127.0.0.1:8080)",
    () => {
      expect(
        kitcfg(["configure", "ipfs-cluster-follow", "--instance", "dnslink", "--source", "cluster.example.org"], {
          root,
        }).code,
      ).toBe(0);
      expect(readJson(serviceFile("dnslink")).source).toBe("http://127.0.0.1:8080/ipns/cluster.example.org");
      const env = cleanEnv(root, { IPFS_GATEWAY: "https://gw.example.net/" });
      expect(
        kitcfg(["configure", "ipfs-cluster-follow", "--instance", "viagw", "--source", "cluster.example.org"], {
          root,
          env,
        }).code,
      ).toBe(0);
      expect(readJson(serviceFile("viagw")).source).toBe("https://gw.example.net/ipns/cluster.example.org");
      expect(kitcfg(["validate", "ipfs-cluster-follow", "--instance", "viagw"], { root }).code).toBe(0);
    },
  );

  test(
    "a source the daemon cannot fetch, " + "as upstream writes with its scheme-less default gateway, is reported",
    async () => {
      await runCli(["configure", "ipfs-cluster-follow", "--instance", "old", "--source", "https://x.example/s.json"], {
        root,
      });
      writeFileSync(serviceFile("old"), '{\n  "source": "127.0.0.1:8080/ipns/cluster.example.org"\n}', { mode: 0o600 });
      const ran = await runCli(["validate", "ipfs-cluster-follow", "--instance", "old"], { root });
      expect(ran.code).toBe(1);
      // url.Parse reads "127.0.0.1:8080/..." as a path whose first segment holds a colon, and refuses it.
      expect(ran.stderr).toContain(
        'ipfs-cluster-follow/old: "source": is not a URL Go\'s url.Parse reads: its first path segment holds a colon',
      );
    },
  );

  test("configure on an existing instance refuses other values, and accepts the same ones", async () => {
    await runCli(["configure", "ipfs-cluster-follow", "--instance", "x", "--source", "https://one.example/s.json"], {
      root,
    });
    const before = readFileSync(serviceFile("x"));
    const again = await runCli(
      ["configure", "ipfs-cluster-follow", "--instance", "x", "--source", "https://one.example/s.json"],
      { root },
    );
    expect(again.code).toBe(0);
    const other = await runCli(
      ["configure", "ipfs-cluster-follow", "--instance", "x", "--source", "https://two.example/s.json"],
      { root },
    );
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(
      "ipfs-cluster-follow/x is already configured: configure's values shape new files only",
    );
    expect(readFileSync(serviceFile("x"))).toEqual(before);
    expect((await runCli(["configure", "all", "--set", "source=https://x.example"], { root })).code).toBe(2);
  });
  test("an /ipns/ or /ipfs/ path goes to the gateway as it is; a doubled /ipns/ (upstream's init) is refused", () => {
    const name = "k51qzi5uqu5dlvj2baxnqndepeb86cbk3ng7n3i46uzyxzyqj2xjonzllnv0v8";
    const configure = (instance: string, source: string) =>
      kitcfg(["configure", "ipfs-cluster-follow", "--instance", instance, "--source", source], { root });
    expect(configure("ipns", `/ipns/${name}`).code).toBe(0);
    expect(readJson(serviceFile("ipns")).source).toBe(`http://127.0.0.1:8080/ipns/${name}`);
    expect(configure("ipfs", "/ipfs/bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi").code).toBe(0);
    expect(readJson(serviceFile("ipfs")).source).toMatch(/^http:\/\/127\.0\.0\.1:8080\/ipfs\/bafy\w+$/);
    // What `ipfs-cluster-follow x init /ipns/<name>` writes (with a scheme): the gateway gets no name.
    const doubled = configure("doubled", `http://127.0.0.1:8080/ipns//ipns/${name}`);
    expect(doubled.code).toBe(1);
    expect(doubled.stderr).toContain('"source": puts /ipns//ipns/ in its path, which no gateway resolves');
    expect(existsSync(serviceFile("doubled"))).toBe(false);
  });

  test("a URL with its scheme in capitals is fetched as it is (Go's http.Get); as a gateway path it is refused", () => {
    const configure = (instance: string, source: string) =>
      kitcfg(["configure", "ipfs-cluster-follow", "--instance", instance, "--source", source], { root });
    expect(configure("caps", "HTTPS://cluster.example.org/service.json").code).toBe(0);
    expect(readJson(serviceFile("caps")).source).toBe("HTTPS://cluster.example.org/service.json");
    // What upstream's init writes for it (with a scheme for the gateway).
    const wrapped = configure("wrapped", "http://127.0.0.1:8080/ipns/HTTPS://cluster.example.org/service.json");
    expect(wrapped.code).toBe(1);
    expect(wrapped.stderr).toContain('"source": holds a URL as its /ipns/ name, which no gateway resolves');
  });
});

describe("ipfs-cluster-follow: instances", () => {
  test("list and status show every cluster folder, and IPFS_CLUSTER_PATH is the base", async () => {
    await runCli(["configure", "ipfs-cluster-follow", "--instance", "alpha", "--source", "https://a.example/s.json"], {
      root,
    });
    await runCli(["configure", "ipfs-cluster-follow", "--instance", "beta", "--source", "https://b.example/s.json"], {
      root,
    });
    mkdirSync(join(base(), "not-a-cluster"));
    const listed = JSON.parse((await runCli(["list", "--json"], { root })).stdout);
    expect(listed.daemons.find((d: { name: string }) => d.name === "ipfs-cluster-follow").instances).toEqual([
      "alpha",
      "beta",
    ]);
    const status = JSON.parse((await runCli(["status", "--json"], { root })).stdout);
    const rows = status.daemons.filter((d: { daemon: string }) => d.daemon === "ipfs-cluster-follow");
    expect(rows.map((r: { instance: string; valid: boolean }) => [r.instance, r.valid])).toEqual([
      ["alpha", true],
      ["beta", true],
    ]);
    expect((await runCli(["status"], { root })).stdout).toContain("ipfs-cluster-follow/beta");

    const env = cleanEnv(root, { IPFS_CLUSTER_PATH: join(root, "followers") });
    expect(
      kitcfg(["configure", "ipfs-cluster-follow", "--instance", "gamma", "--source", "https://g.example/s.json"], {
        root,
        env,
      }).code,
    ).toBe(0);
    expect(existsSync(join(root, "followers/gamma/service.json"))).toBe(true);
    expect(
      JSON.parse(kitcfg(["list", "--json"], { root, env }).stdout).daemons.find(
        (d: { name: string }) => d.name === "ipfs-cluster-follow",
      ).instances,
    ).toEqual(["gamma"]);
  });

  test("without --instance the older tool's cluster name is used, with a full local configuration", async () => {
    expect((await runCli(["configure", "ipfs-cluster-follow"], { root })).code).toBe(0);
    const config = readJson(serviceFile("ipfs-kit-cluster"));
    expect(config.cluster.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(config.api)).toEqual(["ipfsproxy", "pinsvcapi"]);
    expect((await runCli(["validate", "ipfs-cluster-follow"], { root })).code).toBe(0);
  });
});

describe("ipfs-cluster-follow: across daemons", () => {
  test("run waits for kubo at the connector's default address, not the file's: kubo elsewhere is an error", () => {
    // cmdutils.WaitForIPFS: a default ipfshttp config and CLUSTER_IPFSHTTP_NODEMULTIADDRESS, read
    // before the configuration (which a source may serve through that kubo); two minutes, then exit 1.
    expect(kitcfg(["configure", "ipfs"], { root }).code).toBe(0);
    const source = ["--instance", "collab", "--source", "https://cluster.example.org/service.json"];
    expect(kitcfg(["configure", "ipfs-cluster-follow", ...source], { root }).code).toBe(0);
    expect(kitcfg(["validate"], { root }).code).toBe(0);
    expect(kitcfg(["update", "ipfs", "--set", "Addresses.API=/ip4/127.0.0.1/tcp/5002"], { root }).code).toBe(0);
    const ran = kitcfg(["validate"], { root });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain(
      "✖ ipfs-cluster-follow/collab: `ipfs-cluster-follow run` first waits for kubo's API at /ip4/127.0.0.1/tcp/5001",
    );
    expect(ran.stderr).toContain('but ipfs "Addresses.API" listens on /ip4/127.0.0.1/tcp/5002');
    // A local configuration pointing at 5002 does not move the wait.
    const local = ["ipfs_connector.ipfshttp", "api.ipfsproxy"].flatMap((at) => [
      "--set",
      `${at}.node_multiaddress=/ip4/127.0.0.1/tcp/5002`,
    ]);
    expect(kitcfg(["configure", "ipfs-cluster-follow", "--instance", "local", ...local], { root }).code).toBe(0);
    expect(kitcfg(["validate"], { root }).stderr).toContain("ipfs-cluster-follow/local: `ipfs-cluster-follow run`");
    // The variable moves it (and the connector with it).
    const env = cleanEnv(root, { CLUSTER_IPFSHTTP_NODEMULTIADDRESS: "/ip4/127.0.0.1/tcp/5002" });
    const moved = kitcfg(["validate"], { root, env });
    expect(moved.stderr).not.toContain("first waits");
    expect(moved.code).toBe(0);
  });
  test("kubo's API is compared with the connector's address only: the follower never starts the proxy", () => {
    expect(kitcfg(["configure", "ipfs", "--set", "Addresses.API=/ip4/127.0.0.1/tcp/5002"], { root }).code).toBe(0);
    const at = "ipfs_connector.ipfshttp.node_multiaddress";
    const args = ["--instance", "local", "--set", `${at}=/ip4/127.0.0.1/tcp/5002`];
    expect(kitcfg(["configure", "ipfs-cluster-follow", ...args], { root }).code).toBe(0);
    const env = cleanEnv(root, { CLUSTER_IPFSHTTP_NODEMULTIADDRESS: "/ip4/127.0.0.1/tcp/5002" });
    const ran = kitcfg(["validate"], { root, env });
    expect(ran.stderr).not.toContain("api.ipfsproxy.node_multiaddress");
    expect(ran.code).toBe(0);
    expect(
      kitcfg(["update", "ipfs-cluster-follow", "--instance", "local", "--set", `${at}=/ip4/127.0.0.1/tcp/5003`], {
        root,
        env,
      }).stderr,
    ).toContain(`"${at}": is /ip4/127.0.0.1/tcp/5003, but ipfs "Addresses.API" listens on`);
  });
});

describe("ipfs-cluster-follow: update and show", () => {
  test("update of one key of a local configuration changes only that line, in that instance only", async () => {
    await runCli(["configure", "ipfs-cluster-follow", "--instance", "local"], { root });
    await runCli(["configure", "ipfs-cluster-follow", "--instance", "other"], { root });
    const before = readFileSync(serviceFile("local"), "utf8").split("\n");
    const other = readFileSync(serviceFile("other"));
    expect(
      (
        await runCli(
          ["update", "ipfs-cluster-follow", "--instance", "local", "--set", "consensus.crdt.cluster_name=collab"],
          { root },
        )
      ).code,
    ).toBe(0);
    const after = readFileSync(serviceFile("local"), "utf8").split("\n");
    expect(after.filter((line, i) => line !== before[i])).toEqual(['      "cluster_name": "collab",']);
    expect(readFileSync(serviceFile("other"))).toEqual(other);
  });

  test("setting a source on a local configuration keeps only the source, as the daemon would read it", async () => {
    await runCli(["configure", "ipfs-cluster-follow", "--instance", "c"], { root });
    expect(
      (
        await runCli(["update", "ipfs-cluster-follow", "--instance", "c", "--set", "source=https://c.example/s.json"], {
          root,
        })
      ).code,
    ).toBe(0);
    expect(readJson(serviceFile("c"))).toEqual({ source: "https://c.example/s.json" });
    expect((await runCli(["validate", "ipfs-cluster-follow", "--instance", "c"], { root })).code).toBe(0);
  });

  test("show hides the identity's private key and the cluster secret", async () => {
    await runCli(["configure", "ipfs-cluster-follow", "--instance", "s"], { root });
    const key = readJson(identityFile("s")).private_key;
    const secret = readJson(serviceFile("s")).cluster.secret;
    for (const args of [
      ["show", "ipfs-cluster-follow", "--instance", "s"],
      ["show", "ipfs-cluster-follow", "--instance", "s", "--json"],
      ["validate", "--json"],
    ]) {
      const ran = await runCli(args, { root });
      expect(ran.stdout).not.toContain(key);
      expect(ran.stdout).not.toContain(secret);
    }
    // get of a secret is refused (exit 1) rather than printing a placeholder a script would take for the value.
    const got = await runCli(["get", "ipfs-cluster-follow", "identity.private_key", "--instance", "s"], { root });
    expect(got.code).toBe(1);
    expect(got.stdout).toBe("");
    expect(got.stderr).not.toContain(key);
  });

  test("a follower's REST API section is reported as unused: the follower serves a unix socket", async () => {
    await runCli(["configure", "ipfs-cluster-follow", "--instance", "r"], { root });
    const ran = await runCli(
      [
        "update",
        "ipfs-cluster-follow",
        "--instance",
        "r",
        "--set",
        'api.restapi={"http_listen_multiaddress":"/ip4/127.0.0.1/tcp/9094"}',
      ],
      { root },
    );
    expect(ran.code).toBe(0);
    expect(ran.stderr).toContain(
      '"api.restapi": is ignored by ipfs-cluster-follow: it serves its REST API on the api-socket',
    );
  });

  test("a change while the follower serves its api-socket says it must restart", async () => {
    await runCli(["configure", "ipfs-cluster-follow", "--instance", "live", "--source", "https://l.example/s.json"], {
      root,
    });
    const socket = join(base(), "live", "api-socket");
    const server = Bun.listen({ unix: socket, socket: { data() {} } });
    try {
      const ran = await runCli(
        ["update", "ipfs-cluster-follow", "--instance", "live", "--set", "source=https://l2.example/s.json"],
        { root },
      );
      expect(ran.code).toBe(0);
      expect(ran.stderr).toContain(`ipfs-cluster-follow live appears to be running (${socket} exists): restart it`);
    } finally {
      server.stop(true);
    }
  });
});

describe("ipfs-cluster-follow: load-time rules, one per upstream check", () => {
  test(
    "every value the follower refuses at load is refused by update --set; " + "the files stay byte-identical",
    async () => {
      await runCli(["configure", "ipfs-cluster-follow", "--instance", "t"], { root });
      const [service, identity] = [readFileSync(serviceFile("t")), readFileSync(identityFile("t"))];
      for (const [sets, message, upstream] of FOLLOW_REFUSED) {
        const ran = await runCli(
          ["update", "ipfs-cluster-follow", "--instance", "t", ...sets.flatMap((set) => ["--set", set])],
          { root },
        );
        expect({ sets, upstream, code: ran.code }).toEqual({ sets, upstream, code: 1 });
        expect({ upstream, stderr: ran.stderr }).toEqual({ upstream, stderr: expect.stringContaining(message) });
        expect(readFileSync(serviceFile("t"))).toEqual(service);
        expect(readFileSync(identityFile("t"))).toEqual(identity);
      }
    },
  );

  test("a hand-written source the follower cannot fetch, or a restapi it cannot load, fails validate", async () => {
    await runCli(["configure", "ipfs-cluster-follow", "--instance", "h"], { root });
    const local = readJson(serviceFile("h"));
    const cases: [config: object, message: string, upstream: string][] = [
      [
        { source: "ftp://example.com/service.json" },
        '"source": is not an http:// or https:// URL',
        "config/config.go LoadJSONFromHTTPSource (http.Get)",
      ],
      [
        // NewLoadedConfigHelper registers every datastore whatever the consensus (cmdutils/configs.go init).
        { ...local, consensus: { raft: {} }, datastore: { badger: { gc_discard_ratio: 5 } } },
        '"datastore.badger.gc_discard_ratio": must be more than 0 and less than 1',
        "cmd/ipfs-cluster-follow/commands.go runCmd; datastore/badger/config.go Validate",
      ],
      [
        { ...local, api: { ...local.api, restapi: { http_listen_multiaddress: "/ip4/127.0.0.1/tcp/nope" } } },
        '"api.restapi.http_listen_multiaddress"',
        "api/common/config.go loadHTTPOptions",
      ],
    ];
    for (const [config, message, upstream] of cases) {
      writeFileSync(serviceFile("h"), JSON.stringify(config, null, 2));
      const ran = await runCli(["validate", "ipfs-cluster-follow", "--instance", "h"], { root });
      expect({ upstream, code: ran.code }).toEqual({ upstream, code: 1 });
      expect(ran.stderr).toContain(message);
    }
    // A section name in another case is read (Go's JSON decoder), not "missing".
    const { consensus, ...rest } = local;
    writeFileSync(serviceFile("h"), JSON.stringify({ ...rest, Consensus: consensus }, null, 2));
    const ran = await runCli(["validate", "ipfs-cluster-follow", "--instance", "h"], { root });
    expect(ran.code).toBe(0);
    expect(ran.stderr).toContain('"Consensus": is read by ipfs-cluster as consensus');
  });

  test("the api-socket limit is the system's: 107 bytes on Linux and Windows, 103 on macOS and the BSDs", () => {
    // Go's syscall SockaddrUnix.sockaddr: sun_path is 108 bytes (Linux, Windows) or 104 (darwin, *BSD).
    expect(["linux", "win32"].map((platform) => maxSocketPath(platform))).toEqual([107, 107]);
    expect(["darwin", "freebsd", "openbsd"].map((platform) => maxSocketPath(platform))).toEqual([103, 103, 103]);
    expect(maxSocketPath()).toBe(process.platform === "darwin" ? 103 : 107);
  });

  test("a folder whose api-socket path is past 107 bytes fails validate: the follower cannot bind it", async () => {
    // main.go socketAddress: <base>/<clusterName>/api-socket, which Go's net.Listen("unix") refuses
    // past 107 bytes (syscall SockaddrUnix.sockaddr: EINVAL), so runCmd stops at rest.NewAPI.
    const long = "f".repeat(80);
    const refused = await runCli(["configure", "ipfs-cluster-follow", "--instance", long], { root });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`/.ipfs-cluster-follow/${long}/api-socket is 113 bytes long, past the 107`);
    expect(existsSync(serviceFile(long))).toBe(false);
    // An absolute IPFS_CLUSTER_PATH counts in full; CLUSTER_RESTAPI_HTTPLISTENMULTIADDRESS moves the API.
    const folder = `/srv/${"d".repeat(90)}`;
    const env = cleanEnv(root, { IPFS_CLUSTER_PATH: folder });
    expect(kitcfg(["configure", "ipfs-cluster-follow", "--instance", "c1"], { root, env }).stderr).toContain(
      `${folder}/c1/api-socket is 109 bytes long`,
    );
    const moved = cleanEnv(root, {
      IPFS_CLUSTER_PATH: folder,
      CLUSTER_RESTAPI_HTTPLISTENMULTIADDRESS: "/ip4/127.0.0.1/tcp/9094",
    });
    expect(kitcfg(["configure", "ipfs-cluster-follow", "--instance", "c1"], { root, env: moved }).code).toBe(0);
    expect(kitcfg(["validate", "ipfs-cluster-follow", "--instance", "c1"], { root, env }).code).toBe(1);
    expect(kitcfg(["validate", "ipfs-cluster-follow", "--instance", "c1"], { root, env: moved }).code).toBe(0);
  });

  test("a real option of every section a follower reads is accepted", async () => {
    await runCli(["configure", "ipfs-cluster-follow", "--instance", "ok"], { root });
    const sets = [
      "cluster.peername=follower-1",
      "cluster.state_sync_interval=10m0s",
      "consensus.crdt.cluster_name=collab",
      "consensus.crdt.batching.max_batch_size=50",
      "api.pinsvcapi.http_listen_multiaddress=/ip4/127.0.0.1/tcp/9197",
      "api.ipfsproxy.listen_multiaddress=/ip4/127.0.0.1/tcp/9195",
      // The follower starts neither the pinning service API nor the proxy, so it opens no log file.
      "api.pinsvcapi.http_log_file=no-such-folder/pinsvc.log",
      "api.ipfsproxy.log_file=no-such-folder/proxy.log",
      "ipfs_connector.ipfshttp.ipfs_request_timeout=10m0s",
      "pin_tracker.stateless.concurrent_pins=20",
      "monitor.pubsubmon.check_interval=1m0s",
      'allocator.balanced.allocate_by=["freespace"]',
      "informer.disk.metric_ttl=1m0s",
      "informer.pinqueue.metric_ttl=1m0s",
      'informer.tags.tags={"group":"followers"}',
      "observations.metrics.reporting_interval=1m0s",
      "observations.tracing.service_name=follower",
      "datastore.pebble.pebble_options.cache_size_bytes=536870912",
    ];
    const ran = await runCli(
      ["update", "ipfs-cluster-follow", "--instance", "ok", ...sets.flatMap((set) => ["--set", set])],
      { root },
    );
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    expect((await runCli(["validate", "ipfs-cluster-follow", "--instance", "ok"], { root })).code).toBe(0);
  });
});
