import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanEnv, kitcfg, tempDir } from "../helpers.ts";

// Two daemons on one host that listen on one socket: validate (all daemons), plan and apply
// compare every configured daemon's and instance's sockets (tests/fixtures/FORMATS.md §0b).

let root: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir: root, cleanup } = tempDir("kitcfg-listens-"));
  expect(kitcfg(["configure", "all", "-q"], { root }).code).toBe(0);
});
afterEach(() => cleanup());

const kuboConfig = () => join(root, ".ipfs/config");
const lotusConfig = () => join(root, ".lotus/config.toml");
const run = (...args: string[]) => kitcfg(args, { root });
const output = (ran: { stdout: string; stderr: string }) => ran.stdout + ran.stderr;

describe("the daemons' default sockets", () => {
  test("configure all then validate is valid; the service and a follower share cluster's libp2p port 9096", () => {
    const checked = run("validate", "--json");
    expect(checked.code).toBe(0);
    const cross = JSON.parse(checked.stdout).cross as {
      daemon: string;
      key: string;
      severity: string;
      message: string;
    }[];
    // Both take cluster's default /ip4/0.0.0.0/tcp/9096 (cluster_config.go DefaultListenAddrs):
    // both bind it with SO_REUSEPORT and start, and either may get a peer's connection.
    expect(cross).toEqual([
      {
        daemon: "ipfs-cluster-service",
        key: "cluster.listen_multiaddress",
        severity: "warning",
        message: expect.stringContaining(
          "listens on /ip4/0.0.0.0/tcp/9096, as " +
            'ipfs-cluster-follow/ipfs-kit-cluster "cluster.listen_multiaddress" does: both bind it with SO_REUSEPORT',
        ),
      },
    ]);
  });
});

describe("validate of every daemon", () => {
  test("kubo's gateway on cluster's REST API port: update (one daemon) takes it and warns, validate refuses it", () => {
    const updated = run("update", "ipfs", "--set", "Addresses.Gateway=/ip4/127.0.0.1/tcp/9094");
    expect(updated.code).toBe(0);
    // What the change brings between daemons is told as it is made (apply would refuse it).
    expect(updated.stderr).toContain(
      '⚠ ipfs-cluster-service: "api.restapi.http_listen_multiaddress": listens on /ip4/127.0.0.1/tcp/9094, ' +
        'as ipfs "Addresses.Gateway" does',
    );
    // A change that brings nothing between daemons says nothing of the ones already there.
    const quiet = run("update", "ipfs", "--set", "Swarm.ConnMgr.HighWater=300");
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe("");
    expect(run("validate", "ipfs").code).toBe(0);
    const checked = run("validate");
    expect(checked.code).toBe(1);
    expect(output(checked)).toContain(
      'ipfs-cluster-service: "api.restapi.http_listen_multiaddress": listens on /ip4/127.0.0.1/tcp/9094, ' +
        'as ipfs "Addresses.Gateway" does: ' +
        'the one started second cannot listen there ("address already in use") and stops',
    );
  });

  test("lotus's API on 0.0.0.0 at kubo's API port is one socket; on :: it is not (manet listens IPv6 only)", () => {
    expect(run("update", "lotus", "--set", "API.ListenAddress=/ip4/0.0.0.0/tcp/5001/http").code).toBe(0);
    const clash = run("validate");
    expect(clash.code).toBe(1);
    expect(output(clash)).toContain(
      'lotus: "API.ListenAddress": listens on /ip4/0.0.0.0/tcp/5001/http, ' +
        'and ipfs "Addresses.API" on /ip4/127.0.0.1/tcp/5001: one socket',
    );
    expect(run("update", "lotus", "--set", "API.ListenAddress=/ip6/::/tcp/5001/http").code).toBe(0);
    expect(run("validate").code).toBe(0);
  });

  test("lassie on 0.0.0.0 takes the port on IPv6 too (Go's \"tcp\" network): it clashes with kubo's API on ::1", () => {
    expect(run("update", "ipfs", "--set", "Addresses.API=/ip6/::1/tcp/5001").code).toBe(0);
    expect(run("update", "lassie", "--set", "address=0.0.0.0", "--set", "port=5001").code).toBe(0);
    const checked = run("validate");
    expect(checked.code).toBe(1);
    expect(output(checked)).toContain(
      'lassie: "port": listens on /ip4/0.0.0.0/tcp/5001, and ipfs "Addresses.API" on /ip6/::1/tcp/5001',
    );
    expect(output(checked)).toContain("every IPv4 and IPv6 address");
  });

  test("two follower instances: a REST API socket each, but one REST address from the environment clashes", () => {
    expect(run("configure", "ipfs-cluster-follow", "--instance", "second", "-q").code).toBe(0);
    const apart = run("validate", "--json");
    expect(apart.code).toBe(0);
    const sockets = (JSON.parse(apart.stdout).cross as { message: string }[]).filter((i) =>
      i.message.includes("socket"),
    );
    expect(sockets).toEqual([]);
    const env = cleanEnv(root, { CLUSTER_RESTAPI_HTTPLISTENMULTIADDRESS: "/ip4/127.0.0.1/tcp/9200" });
    const moved = kitcfg(["validate"], { root, env });
    expect(moved.code).toBe(1);
    expect(output(moved)).toContain(
      "ipfs-cluster-follow/second: the REST API (CLUSTER_RESTAPI_HTTPLISTENMULTIADDRESS) " +
        "listens on /ip4/127.0.0.1/tcp/9200, " +
        "as ipfs-cluster-follow/ipfs-kit-cluster's REST API (CLUSTER_RESTAPI_HTTPLISTENMULTIADDRESS) does",
    );
  });

  // lotus (node/config/load.go FromReader: envconfig.Process) and cluster (Manager.ApplyEnvVars) apply their
  // environment's variables over the file at start: they listen where the variables say.
  test("an address a LOTUS_* or CLUSTER_* variable gives clashes as the file's would, naming the variable", () => {
    const onApi = kitcfg(["validate", "--json"], {
      root,
      env: cleanEnv(root, { CLUSTER_LISTENMULTIADDRESS: "/ip4/0.0.0.0/tcp/5001" }),
    });
    expect(onApi.code).toBe(1);
    const clash = (JSON.parse(onApi.stdout).cross as { daemon: string; message: string; variables?: string[] }[]).find(
      (i) => i.daemon === "ipfs-cluster-service" && i.message.includes('ipfs "Addresses.API"'),
    );
    expect(clash?.message).toStartWith("listens on /ip4/0.0.0.0/tcp/5001 (from CLUSTER_LISTENMULTIADDRESS), and ipfs");
    expect(clash?.variables).toEqual(["CLUSTER_LISTENMULTIADDRESS"]);
    const swarm = kitcfg(["validate"], {
      root,
      env: cleanEnv(root, { LOTUS_LIBP2P_LISTENADDRESSES: "/ip4/0.0.0.0/tcp/4001" }),
    });
    expect(swarm.code).toBe(0);
    expect(output(swarm)).toContain(
      'lotus: "Libp2p.ListenAddresses": listens on /ip4/0.0.0.0/tcp/4001 (from LOTUS_LIBP2P_LISTENADDRESSES), ' +
        'as ipfs "Addresses.Swarm" does',
    );
    expect(output(run("validate"))).not.toContain("tcp/4001 (from");
  });

  test("a libp2p swarm port on another daemon's plain socket is an error; two swarms on one TCP port a warning", () => {
    expect(run("update", "lotus", "--set", 'Libp2p.ListenAddresses=["/ip4/0.0.0.0/tcp/4001"]').code).toBe(0);
    const swarms = run("validate", "--json");
    expect(swarms.code).toBe(0);
    expect(swarms.stdout).toContain(
      'listens on /ip4/0.0.0.0/tcp/4001, as ipfs \\"Addresses.Swarm\\" does: both bind it with SO_REUSEPORT',
    );
    expect(run("update", "lotus", "--set", 'Libp2p.ListenAddresses=["/ip4/127.0.0.1/tcp/5001"]').code).toBe(0);
    const plain = run("validate");
    expect(plain.code).toBe(1);
    expect(output(plain)).toContain("ipfs stops if it starts second");
  });
});

// kubo listens on what its repo's migrations leave of Addresses.Swarm (plugins/ipfs/migrate.ts), and only
// where it has a transport: fs-repo-9-to-10 adds /udp/PORT/quic beside /tcp/PORT, 14-to-15 makes /quic
// /quic-v1 (15-to-16 adds /webrtc-direct), and kubo 0.43 has no transport for /quic (FORMATS.md §1a).
describe("an older kubo repo's swarm beside lotus's", () => {
  const kuboSwarm = (version: number, swarm: string[]) => {
    const config = JSON.parse(readFileSync(kuboConfig(), "utf8"));
    config.Addresses.Swarm = swarm;
    writeFileSync(kuboConfig(), JSON.stringify(config, null, 2));
    writeFileSync(join(root, ".ipfs/version"), `${version}\n`);
  };
  beforeEach(() => {
    expect(run("update", "lotus", "--set", 'Libp2p.ListenAddresses=["/ip4/0.0.0.0/udp/4001/quic-v1"]').code).toBe(0);
  });

  test("a v13 repo's /quic listener is the /quic-v1 socket it becomes; a v18 repo's listens on nothing", () => {
    kuboSwarm(13, ["/ip4/0.0.0.0/tcp/4001", "/ip4/0.0.0.0/udp/4001/quic"]);
    const migrated = output(run("validate"));
    // One warning, naming kubo's address as its file holds it, then each address it becomes on that socket.
    expect(migrated).toContain(
      'lotus: "Libp2p.ListenAddresses": listens on /ip4/0.0.0.0/udp/4001/quic-v1, as ipfs "Addresses.Swarm" does ' +
        "(/ip4/0.0.0.0/udp/4001/quic):",
    );
    expect(migrated).toContain(
      "(ipfs's /ip4/0.0.0.0/udp/4001/quic is listened on as " +
        "/ip4/0.0.0.0/udp/4001/webrtc-direct, /ip4/0.0.0.0/udp/4001/quic-v1: ",
    );
    expect(migrated.match(/"Libp2p.ListenAddresses": listens on/g)).toHaveLength(1);
    kuboSwarm(18, ["/ip4/0.0.0.0/tcp/4001", "/ip4/0.0.0.0/udp/4001/quic"]);
    expect(output(run("validate"))).not.toContain('"Libp2p.ListenAddresses": listens on');
  });

  test("a go-ipfs 0.5 repo's TCP listener listens on the same UDP port once migrated", () => {
    kuboSwarm(9, ["/ip4/0.0.0.0/tcp/4001"]);
    // The file holds no UDP address: the TCP one that kubo's migrations add it for is named.
    expect(output(run("validate"))).toContain(
      'lotus: "Libp2p.ListenAddresses": listens on /ip4/0.0.0.0/udp/4001/quic-v1, as ipfs "Addresses.Swarm" does ' +
        "(/ip4/0.0.0.0/tcp/4001): the one that listens second cannot listen there",
    );
    kuboSwarm(10, ["/ip4/0.0.0.0/tcp/4001"]);
    expect(output(run("validate"))).not.toContain('"Libp2p.ListenAddresses": listens on');
  });

  test("fs-repo-migrations' v12 test repo: the clash names the /quic address its file holds", () => {
    // The listen addresses of fs-repo-12-to-13's repotest-init config (tests/fixtures/ipfs/migrations).
    const fixture = join(import.meta.dir, "..", "fixtures", "ipfs", "migrations", "12-to-13.init.json");
    const swarm = JSON.parse(readFileSync(fixture, "utf8")).Addresses.Swarm as string[];
    expect(swarm).toContain("/ip4/0.0.0.0/udp/4001/quic");
    kuboSwarm(12, swarm);
    const checked = run("validate", "--json");
    const cross = JSON.parse(checked.stdout).cross as { daemon: string; key: string; message: string }[];
    const udp = cross.filter((issue) => issue.message.includes("/udp/4001"));
    expect(udp).toHaveLength(1);
    expect(udp[0]?.message).toStartWith(
      'listens on /ip4/0.0.0.0/udp/4001/quic-v1, as ipfs "Addresses.Swarm" does (/ip4/0.0.0.0/udp/4001/quic): ',
    );
    // The address as the user's file holds it is there to find; what kubo makes of it is told after.
    expect(udp[0]?.message).toContain("(ipfs's /ip4/0.0.0.0/udp/4001/quic is listened on as ");
    expect(udp[0]?.message).toContain("version 12");
    const file = JSON.parse(readFileSync(kuboConfig(), "utf8")).Addresses.Swarm as string[];
    expect(file).toContain("/ip4/0.0.0.0/udp/4001/quic");
    expect(file).not.toContain("/ip4/0.0.0.0/udp/4001/quic-v1");
  });
});

describe("plan and apply of a desired state", () => {
  test("a clash the plan would bring refuses it and writes nothing; one that was there already does not", () => {
    const file = join(root, "host.toml");
    writeFileSync(file, '[lotus.set]\n"API.ListenAddress" = "/ip4/127.0.0.1/tcp/5001/http"\n');
    const before = readFileSync(lotusConfig(), "utf8");
    for (const command of ["plan", "apply"]) {
      const refused = run(command, file);
      expect(refused.code).toBe(1);
      expect(output(refused)).toContain(
        'Cannot apply lotus: lotus "API.ListenAddress" listens on /ip4/127.0.0.1/tcp/5001/http, ' +
          'as ipfs "Addresses.API" does',
      );
    }
    expect(readFileSync(lotusConfig(), "utf8")).toBe(before);

    // The same clash made by hand: another daemon's apply is not refused for it.
    expect(run("update", "lotus", "--set", "API.ListenAddress=/ip4/127.0.0.1/tcp/5001/http").code).toBe(0);
    writeFileSync(file, '[ipfs.set]\n"Swarm.ConnMgr.HighWater" = 99\n');
    expect(run("apply", file).code).toBe(0);
    expect(JSON.parse(readFileSync(kuboConfig(), "utf8")).Swarm.ConnMgr.HighWater).toBe(99);
  });

  test("the daemon a clash is reported on may be the one not in the plan: the planned one is refused", () => {
    const file = join(root, "host.toml");
    writeFileSync(file, '[ipfs.set]\n"Addresses.Gateway" = "/ip4/127.0.0.1/tcp/1234"\n');
    const refused = run("plan", file);
    expect(refused.code).toBe(1);
    expect(output(refused)).toContain(
      'Cannot apply ipfs: lotus "API.ListenAddress" listens on /ip4/127.0.0.1/tcp/1234/http',
    );
  });
});
