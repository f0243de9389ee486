import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "kitcfg";
import { migrateRepo } from "../../plugins/ipfs/migrate.ts";
import { loadTimeIssues } from "../../plugins/ipfs/rules.ts";

// kubo's repo migrations as plugins/ipfs/migrate.ts applies them (tests/fixtures/FORMATS.md §1a),
// checked step by step against the test repos of ipfs/fs-repo-migrations @0907f658: each
// migration's `repotest-init` (or `repo-v15`) config and the `repotest-golden` (`repo-v16`) one it
// must give (tests/fixtures/ipfs/migrations, copied unchanged).

const FIXTURES = join(import.meta.dir, "..", "fixtures", "ipfs", "migrations");
const read = (name: string): Config => JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), "utf8"));

describe("kubo repo migrations", () => {
  test.each([[12], [13], [14], [15]])("fs-repo-%i-to-next gives the config its golden repo holds", (from) => {
    const name = `${from}-to-${from + 1}`;
    const migration = migrateRepo(read(`${name}.init`), from, from + 1);
    expect(migration.failures).toEqual([]);
    expect(migration.config).toEqual(read(`${name}.golden`));
  });

  test("fs-repo-9-to-10 adds a QUIC address for each TCP one, and the mars peer's QUIC address", () => {
    // The Addresses and Bootstrap go-ipfs 0.5 (repo 9) wrote at init (config/init.go @v0.5.0).
    const config = {
      Addresses: { Swarm: ["/ip4/0.0.0.0/tcp/4001", "/ip6/::/tcp/4001"], Announce: [], NoAnnounce: [] },
      Bootstrap: [
        "/dnsaddr/bootstrap.libp2p.io/ipfs/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN",
        "/ip4/104.131.131.82/tcp/4001/ipfs/QmaCpDMGvV2BGHeYERUEnRQAwe3N8SzbUtfsmvsqQLuvuJ",
      ],
    };
    expect(migrateRepo(config, 9, 10).config).toEqual({
      Addresses: {
        Swarm: ["/ip4/0.0.0.0/tcp/4001", "/ip6/::/tcp/4001", "/ip4/0.0.0.0/udp/4001/quic", "/ip6/::/udp/4001/quic"],
        Announce: [],
        NoAnnounce: [],
      },
      Bootstrap: [
        "/dnsaddr/bootstrap.libp2p.io/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN",
        "/ip4/104.131.131.82/tcp/4001/p2p/QmaCpDMGvV2BGHeYERUEnRQAwe3N8SzbUtfsmvsqQLuvuJ",
        "/ip4/104.131.131.82/udp/4001/quic/p2p/QmaCpDMGvV2BGHeYERUEnRQAwe3N8SzbUtfsmvsqQLuvuJ",
      ],
    });
    // An address already ending in /quic: the user has set QUIC up, nothing is added.
    const set = { Addresses: { Swarm: ["/ip4/0.0.0.0/tcp/4001"], Announce: ["/ip4/1.2.3.4/udp/4001/quic"] } };
    expect(migrateRepo(set, 9, 10).config.Addresses).toEqual({ ...set.Addresses, NoAnnounce: [] });
  });

  test("a go-ipfs 0.6 repo's TCP listener comes out as kubo 0.43 listens: QUIC, WebTransport, WebRTC", () => {
    const config = { Addresses: { Swarm: ["/ip4/0.0.0.0/tcp/4001"] } };
    expect(migrateRepo(config, 9).config.Addresses).toEqual({
      Swarm: [
        "/ip4/0.0.0.0/tcp/4001",
        "/ip4/0.0.0.0/udp/4001/webrtc-direct",
        "/ip4/0.0.0.0/udp/4001/quic-v1",
        "/ip4/0.0.0.0/udp/4001/quic-v1/webtransport",
      ],
      Announce: [],
      NoAnnounce: [],
    });
  });

  test("a v12 repo with QUIC and WebRTC off still listens: 12-to-13 gave it WebTransport", () => {
    const config = {
      Addresses: { Swarm: ["/ip4/0.0.0.0/udp/4001/quic"] },
      Swarm: { Transports: { Network: { TCP: false, QUIC: false, WebRTCDirect: false } } },
    };
    const errors = (version: number) => loadTimeIssues(config, { version }).filter((i) => i.severity !== "warning");
    expect(errors(12)).toEqual([]);
    expect(errors(13).map((issue) => issue.message)).toEqual([
      expect.stringContaining("has no address kubo can listen on"),
    ]);
  });

  test.each([
    ["Experimental", 13, 14, "{}"],
    ["Routing", 13, 14, "{}"],
    ["Bootstrap", 14, 15, "[]"],
  ])("a null %s stops the migration of a repo at version %i", (key, version, to, empty) => {
    const migration = migrateRepo({ [key]: null }, version);
    expect(migration.failures).toEqual([
      {
        key,
        message:
          `is null: kubo's migration to repo version ${to} stops on it ("invalid type for .${key}") ` +
          `and kubo does not start; write ${empty} or remove it`,
      },
    ]);
    expect(migrateRepo({ [key]: null }, to).failures).toEqual([]);
  });

  test("go-ipfs's old Reprovider defaults are removed by 12-to-13, so 17-to-18 moves nothing", () => {
    const config = { Reprovider: { Interval: "12h", Strategy: "all" } };
    const warnings = loadTimeIssues(config, { version: 12 }).map((issue) => `${issue.key}: ${issue.message}`);
    expect(warnings).toEqual([
      "Reprovider.Interval: is deprecated: kubo's migration to repo version 13 removes it (an old default)",
      "Reprovider.Strategy: is deprecated: kubo's migration to repo version 13 removes it (an old default)",
    ]);
    expect(migrateRepo(config, 12).config.Provide).toBeUndefined();
    expect(migrateRepo(config, 13).config.Provide).toEqual({ Strategy: "all", DHT: { Interval: "12h" } });
  });
});
