import { describe, expect, test } from "bun:test";
import { listenClashes, ownListenIssues } from "../../core/listens.ts";
import type { Listener } from "../../core/plugin.ts";
import { seededRandom } from "../_safety.ts";

// Which pairs clash was seen with Go's net.Listen on Linux 6.18 (core/listens.ts): every pair
// of tcp4/tcp6/tcp sockets on 127.0.0.1, 127.0.0.2, 0.0.0.0, ::1 and ::, with and without SO_REUSEPORT.

const at = (address: string, more: Partial<Listener> = {}): Listener => ({ key: "listen", address, ...more });

/** The clashes between two daemons, one listener each. */
function between(a: Listener, b: Listener) {
  return listenClashes([
    { label: "alpha", listeners: [a] },
    { label: "beta", listeners: [b] },
  ]);
}

describe("listenClashes: which sockets are one", () => {
  test.each([
    ["the same IPv4 address and port", "/ip4/127.0.0.1/tcp/5001", "/ip4/127.0.0.1/tcp/5001/http"],
    ["0.0.0.0 and an IPv4 address", "/ip4/0.0.0.0/tcp/5001", "/ip4/127.0.0.1/tcp/5001"],
    [":: and an IPv6 address", "/ip6/::1/tcp/5001", "/ip6/::/tcp/5001"],
    ["two spellings of one IPv6 address", "/ip6/::1/tcp/5001", "/ip6/0:0:0:0:0:0:0:1/tcp/5001"],
    ["one UDP port", "/ip4/0.0.0.0/udp/4001/quic-v1", "/ip4/127.0.0.1/udp/4001"],
    ["one unix path, one with a trailing slash", "/unix/run/api.sock", "/unix/run/api.sock/"],
  ])("%s clash", (_name, a, b) => {
    expect(between(at(a), at(b)).map((c) => c.issue.severity)).toEqual(["error"]);
  });

  test.each([
    ["two IPv4 addresses", "/ip4/127.0.0.1/tcp/5001", "/ip4/127.0.0.2/tcp/5001"],
    ["two ports", "/ip4/127.0.0.1/tcp/5001", "/ip4/127.0.0.1/tcp/5002"],
    ["TCP and UDP on one port", "/ip4/0.0.0.0/tcp/4001", "/ip4/0.0.0.0/udp/4001/quic-v1"],
    ["port 0 twice (a free port each)", "/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/tcp/0"],
    // manet.Listen hands Go "tcp6" for /ip6: IPV6_V6ONLY on, so :: holds no IPv4 address.
    ["manet's :: and 0.0.0.0", "/ip6/::/tcp/5001", "/ip4/0.0.0.0/tcp/5001"],
    ["two unix paths", "/unix/run/a.sock", "/unix/run/b.sock"],
    // A name depends on the resolver; a zone names an interface: neither is judged.
    ["a /dns4 name and its usual address", "/dns4/localhost/tcp/5001", "/ip4/127.0.0.1/tcp/5001"],
    ["an /ip6zone address", "/ip6zone/eth0/ip6/fe80::1/tcp/5001", "/ip6/::/tcp/5001"],
  ])("%s do not clash", (_name, a, b) => {
    expect(between(at(a), at(b))).toEqual([]);
  });

  test('Go\'s dual-stack wildcard (network "tcp" on 0.0.0.0 or ::) takes IPv4 and IPv6 addresses alike', () => {
    const dual = at("/ip4/0.0.0.0/tcp/5001", { dualStack: true });
    expect(between(dual, at("/ip6/::1/tcp/5001"))).toHaveLength(1);
    expect(between(at("/ip6/::/tcp/5001", { dualStack: true }), at("/ip4/127.0.0.1/tcp/5001"))).toHaveLength(1);
    const [clash] = between(dual, at("/ip6/::/tcp/5001"));
    expect(clash?.issue.message).toContain("every IPv4 and IPv6 address");
    // "tcp" on a specific IPv6 address is no wildcard: IPv4 is not taken.
    expect(between(at("/ip6/::1/tcp/5001", { dualStack: true }), at("/ip4/0.0.0.0/tcp/5001"))).toEqual([]);
  });
});

describe("listenClashes: what a clash does", () => {
  const swarm = (address: string, reusePort = true): Listener => ({
    key: "swarm",
    address,
    optional: true,
    host: "p2p",
    ...(reusePort ? { reusePort } : {}),
  });

  test("two SO_REUSEPORT TCP sockets both bind: a warning that says why", () => {
    const [clash] = between(swarm("/ip4/0.0.0.0/tcp/4001"), swarm("/ip4/0.0.0.0/tcp/4001"));
    expect(clash?.issue.severity).toBe("warning");
    expect(clash?.issue.message).toContain("SO_REUSEPORT");
  });

  test("two sockets a daemon starts without (a libp2p UDP port) are a warning", () => {
    const [clash] = between(
      swarm("/ip4/0.0.0.0/udp/4001/quic-v1", false),
      swarm("/ip4/0.0.0.0/udp/4001/quic-v1", false),
    );
    expect(clash?.issue.severity).toBe("warning");
    expect(clash?.issue.message).toContain("starts without it");
  });

  test("an SO_REUSEPORT socket and a plain one clash; the daemon that needs its socket is named", () => {
    const [clash] = between(swarm("/ip4/0.0.0.0/tcp/5001"), at("/ip4/127.0.0.1/tcp/5001"));
    expect(clash?.issue.severity).toBe("error");
    expect(clash?.issue.message).toContain("beta stops if it starts second");
  });

  test("the issue is on the daemon whose label sorts later, and names the other's key", () => {
    const clashes = listenClashes([
      { label: "zeta", listeners: [{ key: "api.listen", address: "/ip4/127.0.0.1/tcp/5001" }] },
      { label: "alpha", listeners: [{ key: "API", address: "/ip4/127.0.0.1/tcp/5001" }] },
    ]);
    expect(clashes).toEqual([
      {
        owner: "zeta",
        other: "alpha",
        issue: {
          key: "api.listen",
          daemon: "zeta",
          severity: "error",
          message:
            'listens on /ip4/127.0.0.1/tcp/5001, as alpha "API" does: ' +
            'the one started second cannot listen there ("address already in use") and stops',
        },
      },
    ]);
  });

  test("a socket no key sets is named by what it is", () => {
    const socket = { key: "", name: "REST API socket", address: "/unix/srv/api-socket" };
    const [clash] = listenClashes([
      { label: "follow/a", listeners: [socket] },
      { label: "follow/b", listeners: [socket] },
    ]);
    expect(clash?.issue.message).toStartWith(
      "the REST API socket listens on /unix/srv/api-socket, as follow/a's REST API socket does",
    );
  });
});

describe("listenClashes: an address the daemon rewrites before it listens", () => {
  // A daemon that upgrades an older file as it starts listens on what the upgrade leaves; the
  // user's file still holds the older address, which is the one a message must name.
  const why = "the upgrade of this version 2 file rewrites it";
  const rewritten = at("/ip4/0.0.0.0/udp/4001/quic-v1", {
    key: "swarm",
    optional: true,
    written: { address: "/ip4/0.0.0.0/udp/4001/quic", why },
  });
  const plain = (address: string) => at(address, { optional: true });
  const outcome = 'the one that listens second cannot listen there ("address already in use") and starts without it';

  test("the other daemon's: compared as it listens, named as its file holds it", () => {
    const [clash] = between(rewritten, plain("/ip4/0.0.0.0/udp/4001/quic-v1"));
    expect(clash?.issue.message).toBe(
      `listens on /ip4/0.0.0.0/udp/4001/quic-v1, as alpha "swarm" does (/ip4/0.0.0.0/udp/4001/quic): ${outcome} ` +
        `(alpha's /ip4/0.0.0.0/udp/4001/quic is listened on as /ip4/0.0.0.0/udp/4001/quic-v1: ${why})`,
    );
    // A wildcard that covers another address: the one the file holds is named there too.
    const [wide] = between(rewritten, plain("/ip4/127.0.0.1/udp/4001/quic-v1"));
    expect(wide?.issue.message).toBe(
      'listens on /ip4/127.0.0.1/udp/4001/quic-v1, and alpha "swarm" on /ip4/0.0.0.0/udp/4001/quic: one socket, ' +
        `as /ip4/0.0.0.0/udp/4001/quic is port 4001 on every IPv4 address: ${outcome} ` +
        `(alpha's /ip4/0.0.0.0/udp/4001/quic is listened on as /ip4/0.0.0.0/udp/4001/quic-v1: ${why})`,
    );
    expect(between(rewritten, plain("/ip4/0.0.0.0/udp/4002/quic-v1"))).toEqual([]);
  });

  test("the owner's own: named as its file holds it", () => {
    const [clash] = between(plain("/ip4/0.0.0.0/udp/4001/quic-v1"), rewritten);
    expect(clash?.issue.message).toBe(
      `listens on /ip4/0.0.0.0/udp/4001/quic, as alpha "listen" does (/ip4/0.0.0.0/udp/4001/quic-v1): ${outcome} ` +
        `(beta's /ip4/0.0.0.0/udp/4001/quic is listened on as /ip4/0.0.0.0/udp/4001/quic-v1: ${why})`,
    );
  });

  test("several addresses made of one the file holds are named once, each listened one told", () => {
    const made = ["/ip4/0.0.0.0/udp/4001/webrtc-direct", "/ip4/0.0.0.0/udp/4001/quic-v1"].map((address) => ({
      ...rewritten,
      address,
    }));
    const [clash] = listenClashes([
      { label: "alpha", listeners: made },
      { label: "beta", listeners: [plain("/ip4/0.0.0.0/udp/4001/quic-v1")] },
    ]);
    expect(clash?.issue.message).toBe(
      `listens on /ip4/0.0.0.0/udp/4001/quic-v1, as alpha "swarm" does (/ip4/0.0.0.0/udp/4001/quic): ${outcome} ` +
        "(alpha's /ip4/0.0.0.0/udp/4001/quic is listened on as " +
        `/ip4/0.0.0.0/udp/4001/webrtc-direct, /ip4/0.0.0.0/udp/4001/quic-v1: ${why})`,
    );
    // On a socket a wildcard covers too.
    const [wide] = listenClashes([
      { label: "alpha", listeners: made },
      { label: "beta", listeners: [plain("/ip4/127.0.0.1/udp/4001/quic-v1")] },
    ]);
    expect(wide?.issue.message).toEndWith(
      "(alpha's /ip4/0.0.0.0/udp/4001/quic is listened on as " +
        `/ip4/0.0.0.0/udp/4001/webrtc-direct, /ip4/0.0.0.0/udp/4001/quic-v1: ${why})`,
    );
  });

  test("two of one daemon's own sockets: each named as the file holds it", () => {
    const issues = ownListenIssues({
      label: "acme",
      listeners: [{ ...rewritten, host: "p2p" }, at("/ip4/127.0.0.1/udp/4001", { key: "metrics" })],
    });
    expect(issues.map((issue) => issue.message)).toEqual([
      'listens on /ip4/127.0.0.1/udp/4001, and "swarm" on /ip4/0.0.0.0/udp/4001/quic: one socket, ' +
        "as /ip4/0.0.0.0/udp/4001/quic is port 4001 on every IPv4 address: " +
        'the second listen fails ("address already in use") and acme stops ' +
        `(its /ip4/0.0.0.0/udp/4001/quic is listened on as /ip4/0.0.0.0/udp/4001/quic-v1: ${why})`,
    ]);
  });
});

describe("ownListenIssues", () => {
  test("two of a daemon's own sockets that clash refuse it, on the later key", () => {
    const issues = ownListenIssues({
      label: "acme",
      listeners: [
        { key: "api", address: "/ip4/127.0.0.1/tcp/5001" },
        { key: "gateway", address: "/ip4/0.0.0.0/tcp/5001" },
      ],
    });
    expect(issues).toEqual([
      {
        key: "gateway",
        severity: "error",
        message:
          'listens on /ip4/0.0.0.0/tcp/5001, and "api" on /ip4/127.0.0.1/tcp/5001: one socket, as ' +
          "/ip4/0.0.0.0/tcp/5001 is port 5001 on every IPv4 address: " +
          'the second listen fails ("address already in use") and acme stops',
      },
    ]);
  });

  test("the sockets of one host (QUIC and WebTransport on one UDP port) are not compared", () => {
    const host = { optional: true, host: "swarm" };
    const listeners = [
      { key: "swarm", address: "/ip4/0.0.0.0/udp/4001/quic-v1", ...host },
      { key: "swarm", address: "/ip4/0.0.0.0/udp/4001/quic-v1/webtransport", ...host },
    ];
    expect(ownListenIssues({ label: "acme", listeners })).toEqual([]);
    // Another host of the same daemon is.
    const other = { key: "api.libp2p", address: "/ip4/0.0.0.0/udp/4001/quic-v1", optional: true, host: "api" };
    expect(ownListenIssues({ label: "acme", listeners: [...listeners, other] })).toHaveLength(2);
  });
});

describe("listenClashes: several addresses of one key on one socket", () => {
  test("make one issue naming each of them, as severe as the worst", () => {
    const swarm = (address: string, optional = true) => at(address, { key: "Addresses.Swarm", optional });
    const udp = ["/ip4/0.0.0.0/udp/4001/quic-v1", "/ip4/0.0.0.0/udp/4001/quic-v1/webtransport"];
    const clash = (alpha: Listener[]) =>
      listenClashes([
        { label: "alpha", listeners: alpha },
        { label: "beta", listeners: [at("/ip4/0.0.0.0/udp/4001/quic-v1", { optional: true })] },
      ]);
    const warned = clash(udp.map((address) => swarm(address)));
    expect(warned.map((c) => [c.issue.severity, c.issue.message])).toEqual([
      [
        "warning",
        `listens on /ip4/0.0.0.0/udp/4001/quic-v1, as alpha "Addresses.Swarm" does (${udp.join(", ")}): ` +
          'the one that listens second cannot listen there ("address already in use") and starts without it',
      ],
    ]);
    // One of them the daemon cannot do without: the issue is an error.
    expect(clash([swarm(udp[0]!), swarm(udp[1]!, false)]).map((c) => c.issue.severity)).toEqual(["error"]);
  });
});

describe("sockets compared only with those they may clash with", () => {
  const addresses = [
    "/ip4/127.0.0.1/tcp/4001",
    "/ip4/127.0.0.2/tcp/4001",
    "/ip4/0.0.0.0/tcp/4001",
    "/ip6/::1/tcp/4001",
    "/ip6/::/tcp/4001",
    "/ip4/0.0.0.0/udp/4001/quic-v1",
    "/ip6/::/udp/4001/quic-v1",
    "/ip4/127.0.0.1/tcp/5001",
    "/ip4/0.0.0.0/tcp/5001",
    "/unix/run/a.sock",
    "/dns4/localhost/tcp/4001",
  ];

  test("a daemon's own clashes are those of each pair alone, in order, on random sets", () => {
    const next = seededRandom(45);
    const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
    for (let round = 0; round < 500; round++) {
      const listeners = Array.from({ length: 1 + Math.floor(next() * 8) }, (_, i) =>
        at(pick(addresses), {
          key: `k${i % 3}`,
          ...(next() < 0.3 ? { dualStack: true } : {}),
          ...(next() < 0.3 ? { host: pick(["h1", "h2"]) } : {}),
          ...(next() < 0.3 ? { optional: true } : {}),
        }),
      );
      const pairs = listeners.flatMap((b, j) =>
        listeners.slice(0, j).flatMap((a) => ownListenIssues({ label: "alpha", listeners: [a, b] })),
      );
      expect(ownListenIssues({ label: "alpha", listeners })).toEqual(pairs);
    }
  });

  test("20,000 listen addresses of one daemon, and of two, are judged in time that grows with them", () => {
    // Every pair was compared: 5,000 addresses took 0.7 s, 100,000 over a minute.
    const many = (port: (i: number) => number, ips = 20_000) =>
      Array.from({ length: 20_000 }, (_, i) =>
        at(`/ip4/10.0.${((i % ips) >> 8) & 255}.${(i % ips) & 255}/tcp/${port(i)}`),
      );
    expect(ownListenIssues({ label: "alpha", listeners: many((i) => 1000 + i) })).toEqual([]);
    // One port, each address twice: 10,000 clashes, each found without a look at the other 19,998.
    expect(ownListenIssues({ label: "alpha", listeners: many(() => 4001, 10_000) })).toHaveLength(10_000);
    const clashes = listenClashes([
      { label: "alpha", listeners: many((i) => 1000 + i) },
      { label: "beta", listeners: [...many((i) => 30_000 + i), at("/ip4/0.0.0.0/tcp/1000")] },
    ]);
    expect(clashes).toHaveLength(1);
  }, 10_000);
});
