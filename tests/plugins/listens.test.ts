import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import follow from "../../plugins/ipfs-cluster-follow.ts";
import service from "../../plugins/ipfs-cluster-service.ts";
import kubo from "../../plugins/ipfs.ts";
import lassie from "../../plugins/lassie.ts";
import lotus from "../../plugins/lotus.ts";
import { createPluginContext } from "../../sdk/context.ts";
import type { Config } from "../../core/plugin.ts";
import { tempDir } from "../helpers.ts";

// What each daemon listens on, by its plugin's `listens` (tests/fixtures/FORMATS.md §0b).

const ctx = (env: Record<string, string> = {}) =>
  createPluginContext({ root: "/srv", env, instance: "collab", paths: { service: "/srv/f/collab/service.json" } });
const addresses = (listeners: { key: string; address: string }[]) => listeners.map((l) => `${l.key} ${l.address}`);

describe("listens", () => {
  test("kubo: the swarm (SO_REUSEPORT on TCP, optional), then each API and gateway address once", () => {
    const config = {
      Addresses: {
        Swarm: ["/ip4/0.0.0.0/tcp/4001", "/ip4/0.0.0.0/udp/4001/quic-v1"],
        API: ["/ip4/127.0.0.1/tcp/5001", "/ip4/127.0.0.1/tcp/5001/"],
        Gateway: "",
      },
    };
    const listeners = kubo.listens!(config, ctx());
    expect(listeners).toEqual([
      { key: "Addresses.Swarm", address: "/ip4/0.0.0.0/tcp/4001", optional: true, host: "swarm", reusePort: true },
      { key: "Addresses.Swarm", address: "/ip4/0.0.0.0/udp/4001/quic-v1", optional: true, host: "swarm" },
      { key: "Addresses.API", address: "/ip4/127.0.0.1/tcp/5001" },
    ]);
    expect(kubo.listens!(config, ctx({ LIBP2P_TCP_REUSEPORT: "false" }))[0]?.reusePort).toBeUndefined();
    // /ws shares the TCP socket (ShareTCPListener) unless LIBP2P_TCP_MUX=false: then it binds its own.
    const ws = { Addresses: { Swarm: ["/ip4/0.0.0.0/tcp/4001/ws"] } };
    expect(kubo.listens!(ws, ctx())[0]).toMatchObject({ host: "swarm", reusePort: true });
    expect(kubo.listens!(ws, ctx({ LIBP2P_TCP_MUX: "false" }))[0]).toEqual({
      key: "Addresses.Swarm",
      address: "/ip4/0.0.0.0/tcp/4001/ws",
      optional: true,
    });
  });

  test("kubo, repo below 18: the sockets its migrations leave, each new one with the address in the file", () => {
    const { dir, cleanup } = tempDir("kitcfg-kubo-listens-");
    try {
      writeFileSync(join(dir, "version"), "12\n");
      const repo = createPluginContext({
        root: dir,
        env: {},
        paths: { config: join(dir, "config"), version: join(dir, "version") },
      });
      const swarm = ["/ip4/0.0.0.0/tcp/4001", "/ip4/0.0.0.0/udp/4001/quic"];
      const listeners = kubo.listens!({ Addresses: { Swarm: swarm } }, repo);
      const why = expect.stringContaining("version 12");
      // fs-repo-12-to-13 adds /quic-v1 and its WebTransport beside /quic, 14-to-15 drops /quic, 15-to-16 adds WebRTC.
      expect(listeners.map((l) => [l.address, l.written])).toEqual([
        ["/ip4/0.0.0.0/tcp/4001", undefined],
        ["/ip4/0.0.0.0/udp/4001/webrtc-direct", { address: "/ip4/0.0.0.0/udp/4001/quic", why }],
        ["/ip4/0.0.0.0/udp/4001/quic-v1", { address: "/ip4/0.0.0.0/udp/4001/quic", why }],
        ["/ip4/0.0.0.0/udp/4001/quic-v1/webtransport", { address: "/ip4/0.0.0.0/udp/4001/quic", why }],
      ]);
      // An address the file holds itself is its own, even where a migration made it too.
      const both = kubo.listens!({ Addresses: { Swarm: [...swarm, "/ip4/0.0.0.0/udp/4001/quic-v1"] } }, repo);
      expect(both.find((l) => l.address === "/ip4/0.0.0.0/udp/4001/quic-v1")?.written).toBeUndefined();
      // The version the repo says decides: at 18 nothing is made (and /quic listens on nothing).
      writeFileSync(join(dir, "version"), "18\n");
      expect(kubo.listens!({ Addresses: { Swarm: swarm } }, repo).map((l) => l.written)).toEqual([undefined]);
    } finally {
      cleanup();
    }
  });

  test("ipfs-cluster-service: each API in the file (an empty list: its default), TCP host addresses", async () => {
    const config = (await service.defaults(ctx())) as Config;
    expect(addresses(service.listens!(config, ctx()))).toEqual([
      "api.restapi.http_listen_multiaddress /ip4/127.0.0.1/tcp/9094",
      "api.pinsvcapi.http_listen_multiaddress /ip4/127.0.0.1/tcp/9097",
      "api.ipfsproxy.listen_multiaddress /ip4/127.0.0.1/tcp/9095",
      // cluster's host has no QUIC transport: its /udp/9096/quic default listens on nothing.
      "cluster.listen_multiaddress /ip4/0.0.0.0/tcp/9096",
    ]);
    const api = config.api as Record<string, Record<string, unknown>>;
    api.restapi!.http_listen_multiaddress = [];
    expect(addresses(service.listens!(config, ctx()))[0]).toBe(
      "api.restapi.http_listen_multiaddress /ip4/127.0.0.1/tcp/9094",
    );
  });

  test("ipfs-cluster-follow: its REST API socket (or the environment's address) and its host, no proxy", async () => {
    const config = (await follow.defaults(ctx())) as Config;
    expect(addresses(follow.listens!(config, ctx()))).toEqual([
      " /unix/srv/f/collab/api-socket",
      "cluster.listen_multiaddress /ip4/0.0.0.0/tcp/9096",
    ]);
    const moved = follow.listens!(config, ctx({ CLUSTER_RESTAPI_HTTPLISTENMULTIADDRESS: "/ip4/127.0.0.1/tcp/9200" }));
    expect(moved[0]?.address).toBe("/ip4/127.0.0.1/tcp/9200");
    // A follower whose configuration comes from its source at start: not known here.
    expect(addresses(follow.listens!({ source: "https://example.org/c.json" }, ctx()))).toEqual([
      " /unix/srv/f/collab/api-socket",
    ]);
  });

  test("lotus: the API (its default when unset) and libp2p addresses lotus has a transport for", () => {
    const listeners = lotus.listens!(
      { Libp2p: { ListenAddresses: ["/ip4/0.0.0.0/tcp/1347", "/ip4/0.0.0.0/udp/1/utp"] } },
      ctx(),
    );
    expect(addresses(listeners)).toEqual([
      "API.ListenAddress /ip4/127.0.0.1/tcp/1234/http",
      "Libp2p.ListenAddresses /ip4/0.0.0.0/tcp/1347",
    ]);
  });

  test('lassie: address and port as Go\'s "tcp" network gets them (no address is the wildcard)', () => {
    const of = (config: Config) => lassie.listens!(config, ctx());
    expect(of({ port: 8080 })).toEqual([{ key: "port", address: "/ip4/127.0.0.1/tcp/8080", dualStack: true }]);
    expect(of({ address: "", port: 8080 })[0]?.address).toBe("/ip4/0.0.0.0/tcp/8080");
    expect(of({ address: "[::1]", port: 8080 })[0]?.address).toBe("/ip6/::1/tcp/8080");
    expect(of({ address: "localhost", port: 8080 })[0]?.address).toBe("/dns/localhost/tcp/8080");
  });
});
