import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { applyDesired, parseDesired, parseDesiredText, planDesired, update } from "../../index.ts";
import type { Kit } from "../../index.ts";
import { openKit } from "../../core/kit.ts";
import { listTree, openTestKit } from "../_safety.ts";
import { cleanEnv, tempDir, thrownBy } from "../helpers.ts";

const SECRET = "5ca1ab1e".repeat(8);

let root: string;
let cleanup: () => void;
let kit: Kit;
beforeEach(async () => {
  ({ dir: root, cleanup } = tempDir("kitcfg-desired-"));
  kit = await openTestKit(root, { CLUSTER_SECRET_FOR_TEST: SECRET });
});
afterEach(() => cleanup());

const kuboConfig = () => join(root, ".ipfs/config");
const serviceJson = () => join(root, ".ipfs-cluster/service.json");
const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"));

/** Every file under the root (history included) with its bytes. */
function bytesUnder(dir: string): Record<string, string> {
  return Object.fromEntries(
    listTree(dir)
      .filter((p) => statSync(join(dir, p)).isFile())
      .map((p) => [p, readFileSync(join(dir, p)).toString("base64")]),
  );
}

describe("parseDesired", () => {
  test(
    "a TOML document becomes requests in file order: " +
      "text typed later, native values kept, tables reach their keys",
    async () => {
      writeFileSync(join(root, "secret.txt"), `${SECRET}\n`);
      const state = await parseDesiredText(
        kit,
        `[kubo]
profile = "server"
unset = ["Gateway.RootRedirect"]
[kubo.set]
"Swarm.ConnMgr.HighWater" = "200"
"Swarm.ConnMgr.LowWater" = 50
Swarm.DisableNatPortMap = true
"Addresses.Swarm" = ["/ip4/0.0.0.0/tcp/4001"]
"Gateway.HTTPHeaders" = {}
"Experimental.Literal" = "@@at"
[ipfs_cluster_service.set]
"cluster.secret" = "@secret.txt"
"cluster.peername" = "env:PEER"
[ipfs-cluster-follow.instances.collab]
source = "https://example.org/service.json"
[ipfs-cluster-follow.instances.collab.set]
"cluster.peername" = "follower"
`,
        { baseDir: root },
      );
      expect(state.daemons).toEqual([
        {
          daemon: "ipfs",
          profile: "server",
          requests: [
            { op: "unset", key: "Gateway.RootRedirect" },
            { op: "set", key: "Swarm.ConnMgr.HighWater", text: "200" },
            { op: "set", key: "Swarm.ConnMgr.LowWater", value: 50 },
            { op: "set", key: "Swarm.DisableNatPortMap", value: true },
            { op: "set", key: "Addresses.Swarm", value: ["/ip4/0.0.0.0/tcp/4001"] },
            { op: "set", key: "Gateway.HTTPHeaders", value: {} },
            { op: "set", key: "Experimental.Literal", text: "@at" },
          ],
        },
        {
          daemon: "ipfs-cluster-service",
          requests: [
            { op: "set", key: "cluster.secret", file: join(root, "secret.txt") },
            { op: "set", key: "cluster.peername", env: "PEER" },
          ],
        },
        {
          daemon: "ipfs-cluster-follow",
          instance: "collab",
          requests: [
            { op: "set", key: "source", text: "https://example.org/service.json" },
            { op: "set", key: "cluster.peername", text: "follower" },
          ],
        },
      ]);
    },
  );

  test("JSON is accepted, and fields directly under a daemon with instances are for its default instance", async () => {
    const state = await parseDesiredText(
      kit,
      JSON.stringify({ "ipfs-cluster-follow": { set: { "cluster.peername": "x" } }, s3: {} }),
    );
    expect(state.daemons).toEqual([
      {
        daemon: "ipfs-cluster-follow",
        instance: "ipfs-kit-cluster",
        requests: [{ op: "set", key: "cluster.peername", text: "x" }],
      },
      { daemon: "s3", requests: [] },
    ]);
  });

  test("an unknown daemon, an unknown field, a daemon named twice, a mistyped field: usage errors naming them", () => {
    const fails = (document: unknown) => {
      try {
        parseDesired(kit, document);
      } catch (error) {
        return error as { code: string; message: string };
      }
      throw new Error("expected an error");
    };
    expect(fails({ ipfz: {} })).toMatchObject({
      code: "UNKNOWN_DAEMON",
      message: expect.stringContaining('"ipfz": did you mean "ipfs"?'),
    });
    expect(fails({ ipfs: { sett: {} } })).toMatchObject({
      code: "USAGE",
      message: 'Unknown field "sett" in "ipfs": did you mean "set"?',
    });
    expect(fails({ ipfs: { source: "x" } })).toMatchObject({
      code: "USAGE",
      message: 'Unknown field "source" in "ipfs": ipfs has no instances (expected profile, unset, set)',
    });
    expect(fails({ ipfs: {}, kubo: {} })).toMatchObject({
      code: "USAGE",
      message: expect.stringContaining('ipfs is named twice ("ipfs" and "kubo")'),
    });
    expect(fails({ ipfs: { unset: "Addresses.API" } })).toMatchObject({
      code: "USAGE",
      message: expect.stringContaining('"ipfs.unset" must be a list'),
    });
    // As the Ansible module `config` writes `instance: NAME` and `source: URL`.
    expect(fails({ kubo: { instances: { x: {} } } })).toMatchObject({
      code: "USAGE",
      message: 'Unknown field "instances" in "kubo": ipfs has no instances (expected profile, unset, set)',
    });
    expect(fails([])).toMatchObject({ code: "USAGE" });
  });

  test(
    "references are refused where the caller must not read the server's files (MCP); " + "@@ still gives a literal @",
    () => {
      expect(() => parseDesired(kit, { s3: { set: { secret_key: "@/etc/shadow" } } }, { references: false })).toThrow(
        'Cannot read "secret_key" by reference here',
      );
      expect(() => parseDesired(kit, { s3: { set: { secret_key: "env:HOME" } } }, { references: false })).toThrow(
        "by reference",
      );
      expect(
        parseDesired(kit, { s3: { set: { secret_key: "@@x" } } }, { references: false }).daemons[0]!.requests,
      ).toEqual([{ op: "set", key: "secret_key", text: "@x" }]);
      // "@=" gives whatever follows as written, "env:" included, with references or without.
      for (const references of [true, false]) {
        expect(
          parseDesired(kit, { s3: { set: { secret_key: "@=env:x", access_key: "@=@y" } } }, { references }).daemons[0]!
            .requests,
        ).toEqual([
          { op: "set", key: "secret_key", text: "env:x" },
          { op: "set", key: "access_key", text: "@y" },
        ]);
      }
    },
  );

  test("a document that does not parse: PARSE_FAILED with line and column", async () => {
    await expect(parseDesiredText(kit, "[ipfs\n", { name: "d.toml" })).rejects.toMatchObject({
      code: "PARSE_FAILED",
      line: 1,
      message: expect.stringContaining("Cannot parse d.toml as TOML at line 1"),
    });
  });

  test("a JSON document that names a key twice in one object is refused, as TOML refuses it", async () => {
    // JSON.parse keeps the later one: the first ipfs block, or the first value, would be dropped without a word.
    const cases: [string, string, number, number][] = [
      ['{"ipfs": {"set": {"Swarm.ConnMgr.HighWater": 1}},\n "ipfs": {"unset": ["x"]}}', "ipfs", 2, 2],
      ['{"s3": {"set": {"host_base": "a.example",\n    "host_base": "b.example"}}}', "host_base", 2, 5],
    ];
    for (const [text, key, line, column] of cases) {
      await expect(parseDesiredText(kit, text, { name: "d.json" })).rejects.toMatchObject({
        code: "PARSE_FAILED",
        line,
        column,
        message: `Cannot parse d.json as JSON at line ${line}, column ${column}: "${key}" is given twice in one object`,
      });
    }
    // The same key in two objects is no duplicate.
    const state = await parseDesiredText(kit, '{"s3": {"set": {"x": 1}}, "lassie": {"set": {"x": 1}}}');
    expect(state.daemons.map((d) => d.daemon)).toEqual(["s3", "lassie"]);
  });
});

describe("parseDesired: dates and tables keyed by names with dots", () => {
  test("an env: reference that is no variable name is refused without showing what follows", () => {
    const refused = thrownBy(() => parseDesired(kit, { s3: { set: { secret_key: "env:Pw-with-dash!9" } } }));
    expect(refused.code).toBe("USAGE");
    expect(refused.message).toContain('"env:" needs the name of an environment variable');
    expect(refused.message).not.toContain("Pw-with-dash");
  });

  test("a TOML date is its text on every host, whatever the time zone", async () => {
    const state = await parseDesiredText(kit, "[huggingface.set]\nuser_agent = 1979-05-27\n", { format: "toml" });
    expect(state.daemons[0]!.requests).toEqual([{ op: "set", key: "user_agent", text: "1979-05-27" }]);
  });

  test("a name with dots in a nested table is one segment; its values read as anywhere, references too", async () => {
    writeFileSync(join(root, "key.txt"), "pin-key\n");
    const toml = (value: string) => `[ipfs.set.Pinning.RemoteServices."web3.storage".API]\nKey = "${value}"\n`;
    const requestOf = async (value: string) =>
      (await parseDesiredText(kit, toml(value), { format: "toml", baseDir: root })).daemons[0]!.requests[0]!;
    const path = ["Pinning", "RemoteServices", "web3.storage", "API", "Key"];
    const key = path.join(".");
    expect(await requestOf("@@at")).toEqual({ op: "set", key, text: "@at", path });
    expect(await requestOf("@=env:x")).toEqual({ op: "set", key, text: "env:x", path });
    expect(await requestOf("env:PINKEY")).toEqual({ op: "set", key, env: "PINKEY", path });
    expect(await requestOf("@key.txt")).toEqual({ op: "set", key, file: join(root, "key.txt"), path });
    // A dotted key of `set` itself is a path, as ever.
    const [dotted] = (await parseDesiredText(kit, '[ipfs.set]\n"Swarm.ConnMgr.HighWater" = 5\n', { format: "toml" }))
      .daemons[0]!.requests;
    expect(dotted).toEqual({ op: "set", key: "Swarm.ConnMgr.HighWater", value: 5 });
  });
});

describe("applyDesired", () => {
  test("a table keyed by names with dots (kubo's Gateway.PublicGateways) sets one name, keeps others", async () => {
    const gateways = { "dweb.link": { Paths: ["/ipfs"], UseSubdomains: true } };
    for (const set of [{ Gateway: { PublicGateways: gateways } }, { "Gateway.PublicGateways": gateways }]) {
      const applied = await applyDesired(kit, { ipfs: { set } });
      expect(applied.ok).toBe(true);
      expect(readJson(kuboConfig()).Gateway.PublicGateways).toEqual(gateways);
    }
    // A second gateway and a DNS resolver: what the file held under those maps stays.
    const more = { "gw.example.org": { Paths: ["/ipfs", "/ipns"], UseSubdomains: false }, localhost: null };
    const resolvers = { "eth.": "https://dns.eth.limo/dns-query" };
    const applied = await applyDesired(kit, {
      ipfs: { set: { Gateway: { PublicGateways: more }, "DNS.Resolvers": resolvers } },
    });
    expect(applied.ok).toBe(true);
    const config = readJson(kuboConfig());
    expect(config.Gateway.PublicGateways).toEqual({ ...gateways, ...more });
    expect(config.DNS.Resolvers).toEqual({ ".": "auto", ...resolvers });
    expect((await planDesired(kit, { ipfs: { set: { Gateway: { PublicGateways: more } } } })).changed).toBe(false);
    // Where no map is keyed by names, a name's dots are the path's: a table Swarm holding "ConnMgr.HighWater".
    const nested = await applyDesired(kit, { ipfs: { set: { Swarm: { "ConnMgr.HighWater": 321 } } } });
    expect(nested.ok).toBe(true);
    expect(readJson(kuboConfig()).Swarm.ConnMgr.HighWater).toBe(321);
  });

  test("creates what is not configured, with the values applied; a second apply changes nothing", async () => {
    const document = {
      ipfs: { profile: "server", set: { "Swarm.ConnMgr.HighWater": "200" } },
      "ipfs-cluster-service": { set: { "cluster.secret": "env:CLUSTER_SECRET_FOR_TEST" } },
    };
    const first = await applyDesired(kit, document);
    expect(first).toMatchObject({ ok: true, dry_run: false, changed: true });
    expect(first.daemons.map((d) => [d.daemon, d.action, d.changed])).toEqual([
      ["ipfs", "create", true],
      ["ipfs-cluster-service", "create", true],
    ]);
    expect(readJson(kuboConfig()).Swarm.ConnMgr.HighWater).toBe(200);
    // The server profile's filters are there: the profile came first, then the value.
    expect(readJson(kuboConfig()).Addresses.NoAnnounce.length).toBeGreaterThan(0);
    expect(readJson(serviceJson()).cluster.secret).toBe(SECRET);
    const before = bytesUnder(root);
    const again = await applyDesired(kit, document);
    expect(again.changed).toBe(false);
    expect(again.daemons.map((d) => d.action)).toEqual(["unchanged", "unchanged"]);
    expect(
      again.daemons.every(
        (d) => d.diff === "" && d.files.every((f) => f.action === "unchanged" && f.before === f.after),
      ),
    ).toBe(true);
    expect(bytesUnder(root)).toEqual(before);
  });

  test("two applies at once on a daemon not configured: the later one updates what the first created", async () => {
    const documents = [100, 200].map((n) => ({ ipfs: { set: { "Swarm.ConnMgr.HighWater": n } } }));
    // Both plan a create before either writes; the second writes after the first, under the lock.
    const [first, second] = await Promise.all(documents.map((document) => applyDesired(kit, document)));
    expect(first).toMatchObject({ ok: true, changed: true });
    expect(second).toMatchObject({ ok: true, changed: true });
    expect(second!.daemons.map((d) => [d.action, d.keys])).toEqual([["update", ["Swarm.ConnMgr.HighWater"]]]);
    const config = readJson(kuboConfig());
    expect(config.Swarm.ConnMgr.HighWater).toBe(200);
    // The identity the first apply generated is kept, not replaced by the second's.
    expect(config.Identity.PeerID).toBe(first!.facts.ipfs!.peer_id);
  });

  test(
    "facts: peer ids, addresses and a fingerprint of the secret, " +
      "never a secret; the same in the plan as after the apply",
    async () => {
      const document = { ipfs: {}, "ipfs-cluster-service": { set: { "cluster.secret": SECRET } } };
      const planned = await planDesired(kit, document);
      expect(planned.facts["ipfs-cluster-service"]).toMatchObject({
        secret_fingerprint: `sha256:${createHash("sha256").update(SECRET).digest("hex")}`,
      });
      expect(existsSync(kuboConfig())).toBe(false);
      const applied = await applyDesired(kit, document);
      const kubo = readJson(kuboConfig());
      const identity = readJson(join(root, ".ipfs-cluster/identity.json"));
      expect(applied.facts).toEqual({
        ipfs: {
          peer_id: kubo.Identity.PeerID,
          swarm_addresses: kubo.Addresses.Swarm,
          api_address: "/ip4/127.0.0.1/tcp/5001",
        },
        "ipfs-cluster-service": {
          peer_id: identity.id,
          listen_addresses: ["/ip4/0.0.0.0/tcp/9096", "/ip4/0.0.0.0/udp/9096/quic"],
          secret_fingerprint: `sha256:${createHash("sha256").update(SECRET).digest("hex")}`,
        },
      });
      const text = JSON.stringify(applied);
      for (const secret of [SECRET, kubo.Identity.PrivKey, identity.private_key]) expect(text).not.toContain(secret);
    },
  );

  test("one refused daemon: nothing is written on any daemon, and each refusal says why", async () => {
    await applyDesired(kit, { s3: {} });
    const before = bytesUnder(root);
    const result = await applyDesired(kit, {
      ipfs: {},
      s3: { set: { host_base: "h.example" } },
      huggingface: { set: { offline: "maybe" } },
    });
    expect(result.ok).toBe(false);
    expect(result.changed).toBe(false);
    expect(result.error).toMatchObject({
      code: "INVALID_VALUE",
      message: 'Cannot set "offline" for huggingface: expected a boolean (true or false), got "maybe"',
    });
    expect(result.daemons.map((d) => [d.daemon, d.changed, d.error?.code])).toEqual([
      ["ipfs", false, undefined],
      ["s3", false, undefined],
      ["huggingface", false, "INVALID_VALUE"],
    ]);
    expect(bytesUnder(root)).toEqual(before);
    // A daemon not configured is one to create, even when refused for a reference it cannot read.
    const unread = await applyDesired(kit, { ipfs: { set: { "Swarm.ConnMgr.HighWater": "env:KITCFG_TEST_UNSET" } } });
    expect(unread.daemons.map((d) => [d.daemon, d.action, d.error?.code])).toEqual([["ipfs", "create", "USAGE"]]);
  });

  test(
    "a disagreement with another daemon that the plan would bring refuses it; " + "one that was there already does not",
    async () => {
      await applyDesired(kit, { ipfs: {}, "ipfs-cluster-service": {} });
      const before = bytesUnder(root);
      const refused = await applyDesired(kit, { ipfs: { set: { "Addresses.API": "/ip4/127.0.0.1/tcp/5002" } } });
      expect(refused.ok).toBe(false);
      expect(refused.daemons[0]!.issues[0]!.message).toContain(
        'Cannot apply ipfs: ipfs-cluster-service "ipfs_connector.ipfshttp.node_multiaddress" ' +
          'is /ip4/127.0.0.1/tcp/5001, but ipfs "Addresses.API" listens on /ip4/127.0.0.1/tcp/5002',
      );
      expect(bytesUnder(root)).toEqual(before);
      // Both sides in one document: they agree again, so it is applied.
      const both = await applyDesired(kit, {
        ipfs: { set: { "Addresses.API": "/ip4/127.0.0.1/tcp/5002" } },
        "ipfs-cluster-service": {
          set: {
            "ipfs_connector.ipfshttp.node_multiaddress": "/ip4/127.0.0.1/tcp/5002",
            "api.ipfsproxy.node_multiaddress": "/ip4/127.0.0.1/tcp/5002",
          },
        },
      });
      expect(both.ok).toBe(true);
      expect(readJson(kuboConfig()).Addresses.API).toBe("/ip4/127.0.0.1/tcp/5002");
      // A disagreement made outside the document stays the operator's: it refuses nothing.
      await update(kit, {
        daemon: "ipfs",
        requests: [{ op: "set", key: "Addresses.API", text: "/ip4/127.0.0.1/tcp/5003" }],
      });
      const unrelated = await applyDesired(kit, { ipfs: { set: { "Swarm.ConnMgr.HighWater": 300 } } });
      expect(unrelated.ok).toBe(true);
      expect(unrelated.daemons[0]!.issues).toEqual([]);
      expect(readJson(kuboConfig()).Swarm.ConnMgr.HighWater).toBe(300);
    },
  );

  test("a refusal between daemons names the daemon and key it is about, which may not be the one applied", async () => {
    await applyDesired(kit, { "ipfs-cluster-service": {}, "ipfs-cluster-ctl": {} });
    const refused = await applyDesired(kit, {
      "ipfs-cluster-service": { set: { "api.restapi.basic_auth_credentials": { admin: "pw" } } },
    });
    expect(refused.ok).toBe(false);
    expect(refused.daemons[0]!.issues.map((issue) => issue.message)).toEqual([
      'Cannot apply ipfs-cluster-service: ipfs-cluster-ctl "basic_auth" is not set, ' +
        'but ipfs-cluster-service "api.restapi.basic_auth_credentials" requires a user: ' +
        "every ctl request would be refused (401)",
    ]);
    expect(refused.daemons[0]!.issues[0]).toMatchObject({ key: "basic_auth", daemon: "ipfs-cluster-ctl" });
  });

  test(
    "an init-only profile on an existing configuration is noted, " + "not refused, so the document stays idempotent",
    async () => {
      const document = { ipfs: { profile: "pebbleds" } };
      expect((await applyDesired(kit, document)).daemons[0]!.action).toBe("create");
      expect(readJson(kuboConfig()).Datastore.Spec.type).toBe("pebbleds");
      const again = await applyDesired(kit, document);
      expect(again.daemons[0]).toMatchObject({ action: "unchanged", changed: false });
      expect(again.daemons[0]!.notes[0]).toContain('profile "pebbleds" applies only when ipfs is first written');
    },
  );

  test("instances: a follower created from a source, the others left alone", async () => {
    const result = await applyDesired(kit, {
      "ipfs-cluster-follow": { instances: { collab: { source: "https://example.org/collab.json" } } },
    });
    expect(result.daemons[0]).toMatchObject({ daemon: "ipfs-cluster-follow", instance: "collab", action: "create" });
    expect(readJson(join(root, ".ipfs-cluster-follow/collab/service.json"))).toEqual({
      source: "https://example.org/collab.json",
    });
    expect(Object.keys(result.facts)).toEqual(["ipfs-cluster-follow/collab"]);
    expect(existsSync(join(root, ".ipfs-cluster-follow/ipfs-kit-cluster"))).toBe(false);
  });
});

test("a plugin whose facts hold a secret gets it redacted by the core", async () => {
  mkdirSync(join(root, "plugins"));
  writeFileSync(
    join(root, "plugins/leaky.ts"),
    `import { definePlugin, v } from "kitcfg";
export default definePlugin({
  name: "leaky",
  summary: "facts that leak",
  files: { main: { path: "~/.leaky.json", format: "json" } },
  schema: v.object({ token: v.string(), port: v.number() }),
  secrets: ["token"],
  defaults: () => ({ token: "leaky-token-value-123", port: 1 }),
  facts: (config) => ({ port: config.port, token: config.token, nested: [{ again: "x" + config.token }] }),
});
`,
  );
  const withPlugin = await openKit({
    root,
    env: cleanEnv(root, { KITCFG_PLUGIN_PATH: join(root, "plugins") }),
    cwd: root,
  });
  const result = await applyDesired(withPlugin, { leaky: {} });
  expect(result.facts).toEqual({ leaky: { port: 1, token: "<redacted>", nested: [{ again: "x<redacted>" }] } });
  expect(JSON.stringify(result)).not.toContain("leaky-token-value-123");
});

describe("secretKeys", () => {
  test("a plan names the set keys that are, hold or lie in a secret, as given, never a value", async () => {
    const planned = await planDesired(kit, {
      s3: { set: { secret_key: "kitcfgPlanSecret47", host_base: "s3.example" } },
      ipfs: { set: { identity: { privkey: "x" }, "Gateway.NoFetch": true } },
      "ipfs-cluster-service": { set: { "cluster.\u017fecret": "ab".repeat(32), "cluster.peername": "p" } },
    });
    const byDaemon = Object.fromEntries(planned.daemons.map((d) => [d.daemon, d.secretKeys]));
    expect(byDaemon).toEqual({
      s3: ["secret_key"],
      ipfs: ["identity.privkey"],
      "ipfs-cluster-service": ["cluster.\u017fecret"],
    });
    expect(JSON.stringify(planned)).not.toContain("kitcfgPlanSecret47");
  });
});
