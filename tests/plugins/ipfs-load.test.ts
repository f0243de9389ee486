import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { kitcfg, tempDir } from "../helpers.ts";

// kubo's load-time rules (tests/fixtures/FORMATS.md "kubo load-time rules"), through the
// compiled binary: each value kubo v0.43 refuses when it loads its config or starts the
// daemon is refused by `update --set` (exit 1, config byte-identical) and fails `validate`
// when written into the config by hand; a real option of every section kubo reads is taken.

let template: { dir: string; cleanup: () => void };
let root: string;
let cleanup: () => void;

beforeAll(() => {
  template = tempDir("kitcfg-kubo-template-");
  expect(kitcfg(["configure", "ipfs"], { root: template.dir }).code).toBe(0);
});
afterAll(() => template.cleanup());
beforeEach(() => {
  ({ dir: root, cleanup } = tempDir());
  cpSync(join(template.dir, ".ipfs"), join(root, ".ipfs"), { recursive: true });
});
afterEach(() => cleanup());

const configPath = () => join(root, ".ipfs", "config");
const readConfig = () => readFileSync(configPath(), "utf8");

/** Write `value` at the dotted `key` (segments as given, case included) into the config, as a person would. */
function handWrite(entries: [string, unknown][]): void {
  const config = JSON.parse(readConfig());
  for (const [key, value] of entries) {
    const path = key.split(".");
    let node = config;
    for (const segment of path.slice(0, -1)) node = node[segment] ??= {};
    node[path.at(-1)!] = value;
  }
  writeFileSync(configPath(), JSON.stringify(config, null, 2), { mode: 0o600 });
}

interface Refused {
  /** What kubo refuses, and where kubo refuses it. */
  name: string;
  upstream: string;
  /** Settings already in the config (hand-written) for a rule about a combination. */
  given?: [string, unknown][];
  /** The key and the text given to `--set`. */
  set: [string, string];
  /** The same value as JSON, written by hand (default: the `--set` text as a string). */
  value?: unknown;
  /** A fragment of kitcfg's message. */
  says: string;
}

const REFUSED: Refused[] = [
  {
    name: "a list where kubo decodes a section",
    upstream: "Go encoding/json: cannot unmarshal array into Go struct field Config.Pubsub",
    set: ["Pubsub", "[]"],
    value: [],
    says: "expected a JSON object, got a JSON array",
  },
  {
    name: "a list where kubo decodes a map",
    upstream: "Go encoding/json: cannot unmarshal array into Go struct field Gateway.Gateway.HTTPHeaders",
    set: ["Gateway.HTTPHeaders", '[["X-A","b"]]'],
    value: [["X-A", "b"]],
    says: "expected a JSON object, got a JSON array",
  },
  {
    name: "an unknown routing type",
    upstream: "cmd/ipfs/kubo/daemon.go daemonFunc",
    set: ["Routing.Type", "bogus"],
    says: "expected one of",
  },
  {
    name: "supernode routing, removed",
    upstream: "cmd/ipfs/kubo/daemon.go daemonFunc",
    set: ["Routing.Type", "supernode"],
    says: '"supernode"',
  },
  {
    name: "an unknown connection manager",
    upstream: "core/node/groups.go LibP2P",
    set: ["Swarm.ConnMgr.Type", "basik"],
    says: '"basik"',
  },
  {
    name: "a string for an OptionalInteger, under a lower-case key",
    upstream: "config/types.go OptionalInteger.UnmarshalJSON",
    set: ["Swarm.ConnMgr.highwater", "abc"],
    says: "Swarm.ConnMgr.HighWater",
  },
  {
    name: "an integer beyond int64",
    upstream: "encoding/json (Go) literalStore",
    set: ["Swarm.ConnMgr.LowWater", "99999999999999999999"],
    value: 1e20, // 99999999999999999999 as JSON writes it: beyond int64
    says: "a Go int64",
  },
  {
    name: "a fraction for an integer",
    upstream: "encoding/json (Go) literalStore",
    set: ["Datastore.StorageGCWatermark", "90.5"],
    value: 90.5,
    says: "a Go int64",
  },
  {
    name: "a duration without a unit",
    upstream: "config/types.go OptionalDuration.UnmarshalJSON",
    set: ["Swarm.ConnMgr.GracePeriod", "30"],
    value: "30",
    says: "Go duration",
  },
  {
    name: "a zero silence period",
    upstream: "go-libp2p p2p/net/connmgr/options.go WithSilencePeriod",
    set: ["Swarm.ConnMgr.SilencePeriod", "0s"],
    says: "must be positive",
  },
  {
    name: "priority 0",
    upstream: "config/types.go Priority.UnmarshalJSON",
    set: ["Swarm.Transports.Security.TLS", "0"],
    value: 0,
    says: "positive priority",
  },
  {
    name: "priority true",
    upstream: "config/types.go Priority.UnmarshalJSON",
    set: ["Swarm.Transports.Security.Noise", "true"],
    value: true,
    says: "Swarm.Transports.Security.Noise",
  },
  {
    name: "yamux disabled",
    upstream: "core/node/libp2p/smux.go makeSmuxTransportOption",
    set: ["Swarm.Transports.Multiplexers.Yamux", "false"],
    value: false,
    says: "cannot be disabled",
  },
  {
    name: "the relay service without the relay transport",
    upstream: "core/node/groups.go LibP2P",
    given: [["Swarm.Transports.Network.Relay", false]],
    set: ["Swarm.RelayService.Enabled", "true"],
    value: true,
    says: "needs Swarm.Transports.Network.Relay",
  },
  {
    name: "an unknown AutoNAT mode",
    upstream: "config/autonat.go UnmarshalText",
    set: ["AutoNAT.ServiceMode", "on"],
    says: '"legacy-v1"',
  },
  {
    name: "CID version 2",
    upstream: "config/import.go ValidateImportConfig",
    set: ["Import.CidVersion", "2"],
    value: 2,
    says: "must be 0 or 1",
  },
  {
    name: "chunker size-0",
    upstream: "config/import.go isValidChunker",
    set: ["Import.UnixFSChunker", "size-0"],
    says: "not a chunker",
  },
  {
    name: "rabin chunker with min above avg",
    upstream: "config/import.go isValidChunker",
    set: ["Import.UnixFSChunker", "rabin-262144-65536-1048576"],
    says: "min <= avg <= max",
  },
  {
    name: "a hash verifcid does not allow",
    upstream: "config/import.go ValidateImportConfig, boxo verifcid/allowlist.go",
    set: ["Import.HashFunction", "md5"],
    says: "not allowed for use in IPFS",
  },
  {
    name: "an unknown hash",
    upstream: "config/import.go ValidateImportConfig (go-multihash Names)",
    set: ["Import.HashFunction", "sha2-257"],
    says: "not a multihash name",
  },
  {
    name: "a HAMT fanout that is no power of two",
    upstream: "config/import.go ValidateImportConfig",
    set: ["Import.UnixFSHAMTDirectoryMaxFanout", "100"],
    value: 100,
    says: "power of 2",
  },
  {
    name: "a byte size humanize cannot read",
    upstream: "config/types.go OptionalBytes.UnmarshalJSON",
    set: ["Import.UnixFSHAMTDirectorySizeThreshold", "lots"],
    says: "byte size",
  },
  {
    name: "an unknown DAG layout",
    upstream: "config/import.go ValidateImportConfig",
    set: ["Import.UnixFSDAGLayout", "wide"],
    says: '"trickle"',
  },
  {
    name: "all combined with pinned",
    upstream: "config/provide.go ParseProvideStrategy",
    set: ["Provide.Strategy", "all+pinned"],
    says: "cannot be combined",
  },
  {
    name: "roots with unique",
    upstream: "config/provide.go ParseProvideStrategy",
    set: ["Provide.Strategy", "roots+pinned+unique"],
    says: "cannot go with roots",
  },
  {
    name: "an unknown provide strategy",
    upstream: "config/provide.go ParseProvideStrategy",
    set: ["Provide.Strategy", "everything"],
    says: "is not a strategy",
  },
  {
    name: "the flat strategy, removed",
    upstream: "cmd/ipfs/kubo/daemon.go validateDaemonConfig",
    set: ["Provide.Strategy", "flat"],
    says: '"flat" is no longer supported',
  },
  {
    name: "a reprovide interval beyond 48h",
    upstream: "config/provide.go ValidateProvideConfig",
    set: ["Provide.DHT.Interval", "72h"],
    says: "at most 48h",
  },
  {
    name: "interval 0 without Provide.Enabled",
    upstream: "config/provide.go ValidateProvideConfig",
    set: ["Provide.DHT.Interval", "0s"],
    says: "set Provide.Enabled",
  },
  {
    name: "zero sweep workers",
    upstream: "cmd/ipfs/kubo/daemon.go validateDaemonConfig",
    set: ["Provide.DHT.MaxWorkers", "0"],
    value: 0,
    says: "must be positive",
  },
  {
    name: "a bloom rate below 1 in 1M",
    upstream: "config/provide.go ValidateProvideConfig",
    set: ["Provide.BloomFPRate", "1000"],
    value: 1000,
    says: "at least 1000000",
  },
  {
    name: "Reprovider.Strategy, deprecated",
    upstream: "cmd/ipfs/kubo/daemon.go validateDaemonConfig",
    set: ["Reprovider.Strategy", "pinned"],
    says: "deprecated and refused",
  },
  {
    name: "Provider.WorkerCount, deprecated",
    upstream: "cmd/ipfs/kubo/daemon.go validateDaemonConfig",
    set: ["Provider.WorkerCount", "8"],
    value: 8,
    says: "Provide.DHT.MaxWorkers",
  },
  {
    name: "an unknown pubsub router, pubsub on",
    upstream: "core/node/groups.go LibP2P",
    given: [["Pubsub.Enabled", true]],
    set: ["Pubsub.Router", "meshsub"],
    says: "is not one of gossipsub, floodsub: with pubsub on",
  },
  {
    name: "an unknown seen-messages strategy, IPNS over pubsub on",
    upstream: "core/node/groups.go LibP2P",
    given: [["Ipns.UsePubsub", true]],
    set: ["Pubsub.SeenMessagesStrategy", "newest"],
    says: "is not one of last-seen, first-seen: with pubsub on",
  },
  {
    name: "an explicit empty seen-messages strategy, pubsub on",
    upstream: "core/node/groups.go LibP2P (OptionalString.WithDefault keeps the empty text)",
    given: [["Pubsub.Enabled", true]],
    set: ["Pubsub.SeenMessagesStrategy", ""],
    says: '"" is not one of last-seen, first-seen',
  },
  {
    name: "an unknown forced reachability",
    upstream: "core/node/libp2p/libp2p.go ForceReachability",
    set: ["Internal.Libp2pForceReachability", "unknown"],
    says: '"private"',
  },
  {
    name: "a republish period under a minute",
    upstream: "core/node/groups.go Online",
    set: ["Ipns.RepublishPeriod", "30s"],
    says: "from 1m to 24h",
  },
  {
    name: "a record lifetime shorter than the republish period",
    upstream: "core/node/ipns.go IpnsRepublisher",
    set: ["Ipns.RecordLifetime", "1h"],
    says: "at least Ipns.RepublishPeriod",
  },
  {
    name: "a negative IPNS cache",
    upstream: "core/node/groups.go Online",
    set: ["Ipns.ResolveCacheSize", "-1"],
    value: -1,
    says: "must not be negative",
  },
  {
    name: "delegated routing while providing",
    upstream: "cmd/ipfs/kubo/daemon.go validateDaemonConfig",
    set: ["Routing.Type", "delegated"],
    says: "cannot provide content",
  },
  {
    name: "Experimental.StrategicProviding, removed",
    upstream: "cmd/ipfs/kubo/daemon.go validateDaemonConfig",
    set: ["Experimental.StrategicProviding", "true"],
    value: true,
    says: "was removed",
  },
  {
    name: "Experimental.ShardingEnabled, removed",
    upstream: "core/node/groups.go IPFS",
    set: ["Experimental.ShardingEnabled", "true"],
    value: true,
    says: "no longer used",
  },
  {
    name: "Swarm.ResourceMgr.Limits, removed",
    upstream: "config/types.go swarmLimits.UnmarshalJSON",
    set: ["Swarm.ResourceMgr.Limits", '{"System":{"Conns":10}}'],
    value: { System: { Conns: 10 } },
    says: "removed in kubo 0.19",
  },
  {
    name: "no way to fetch blocks",
    upstream: "core/node/bitswap.go Bitswap",
    given: [["HTTPRetrieval.Enabled", false]],
    set: ["Bitswap.Libp2pEnabled", "false"],
    value: false,
    says: "no way to fetch blocks",
  },
  {
    name: "an address filter that is no mask",
    upstream: "core/node/libp2p/addrs.go AddrFilters (multiaddr-filter NewMask)",
    set: ["Swarm.AddrFilters", '["/ip4/10.0.0.0/tcp/8"]'],
    value: ["/ip4/10.0.0.0/tcp/8"],
    says: "not an address mask",
  },
  {
    name: "a non-boolean for a Go bool",
    upstream: "encoding/json (Go) literalStore",
    set: ["Discovery.MDNS.Enabled", "maybe"],
    says: "boolean",
  },
  {
    name: "StorageMax humanize cannot read",
    upstream: "core/corerepo/gc.go NewGC (humanize.ParseBytes)",
    set: ["Datastore.StorageMax", "ten gigs"],
    says: "byte size",
  },
  {
    name: "a DNS resolver domain without its final dot",
    upstream: "boxo gateway/dns.go NewDNSResolver",
    set: ["DNS.Resolvers", '{"eth":"https://dns.eth.limo/dns-query"}'],
    value: { eth: "https://dns.eth.limo/dns-query" },
    says: "fully qualified",
  },
  {
    name: "custom routing without every method",
    upstream: "config/routing.go Methods.Check",
    given: [["Routing.Routers", { dht: { Type: "dht", Parameters: { Mode: "auto", PublicIPNetwork: true } } }]],
    set: ["Routing.Type", "custom"],
    says: 'has no "provide" method',
  },
  {
    name: "an RPC API address that is neither TCP nor a unix socket",
    upstream: "cmd/ipfs/kubo/daemon.go serveHTTPApi (go-multiaddr net/convert.go DialArgs, manet.Listen)",
    set: ["Addresses.API", "/ip4/127.0.0.1/udp/5001"],
    says: "TCP or a unix socket",
  },
  {
    name: "a gateway address that names no host and port",
    upstream: "cmd/ipfs/kubo/daemon.go serveHTTPGateway (go-multiaddr net/convert.go DialArgs, manet.Listen)",
    set: ["Addresses.Gateway", '["/ip4/127.0.0.1/tcp/8080","/dnsaddr/gateway.example.com"]'],
    value: ["/ip4/127.0.0.1/tcp/8080", "/dnsaddr/gateway.example.com"],
    says: "TCP or a unix socket",
  },
  {
    name: "a negative bloom filter size",
    upstream: "core/node/groups.go Storage (boxo blockstore/caching.go CachedBlockstore)",
    set: ["Datastore.BloomFilterSize", "-1"],
    value: -1,
    says: "all block caches",
  },
  {
    name: "a negative block key cache size",
    upstream: "core/node/groups.go Storage (boxo blockstore/caching.go CachedBlockstore)",
    set: ["Datastore.BlockKeyCacheSize", "-5"],
    value: -5,
    says: "all block caches",
  },
  {
    name: "no bitswap task workers",
    upstream: "core/node/bitswap.go BitswapOptions (boxo bitswap/server/server.go TaskWorkerCount)",
    set: ["Internal.Bitswap.TaskWorkerCount", "0"],
    value: 0,
    says: "kubo panics at start",
  },
  {
    name: "a negative bitswap byte budget per peer",
    upstream: "core/node/bitswap.go BitswapOptions (boxo bitswap/server/internal/decision/engine.go)",
    set: ["Internal.Bitswap.MaxOutstandingBytesPerPeer", "-1"],
    value: -1,
    says: "kubo panics at start",
  },
  {
    name: "an ignored provider that is no peer ID",
    upstream: "core/node/bitswap.go Bitswap (peer.Decode)",
    set: ["Routing.IgnoreProviders", '["not-a-peer"]'],
    value: ["not-a-peer"],
    says: "is not a peer ID",
  },
  {
    name: "hole punching turned on without the relay client",
    upstream: "core/node/libp2p/relay.go HolePunching",
    given: [["Swarm.RelayClient.Enabled", false]],
    set: ["Swarm.EnableHolePunching", "true"],
    value: true,
    says: "needs the relay client",
  },
  {
    name: "a static relay without its peer ID",
    upstream: "core/node/libp2p/relay.go MaybeAutoRelay (go-libp2p core/peer/addrinfo.go AddrInfoFromString)",
    set: ["Swarm.RelayClient.StaticRelays", '["/ip4/192.0.2.1/tcp/4001"]'],
    value: ["/ip4/192.0.2.1/tcp/4001"],
    says: "does not end in /p2p/<peer ID>",
  },
  {
    name: "an RPC authorization scope that is null",
    upstream: "core/corehttp/commands.go convertAuthorizationsMap",
    set: ["API.Authorizations", '{"me":null}'],
    value: { me: null },
    says: "give it an AuthSecret",
  },
  {
    name: "a republish period of -0",
    upstream: "core/node/groups.go Online",
    set: ["Ipns.RepublishPeriod", "-0"],
    says: "from 1m to 24h",
  },
  {
    name: "no private key",
    upstream: "core/node/libp2p/hostopt.go constructPeerHost",
    set: ["Identity.PrivKey", ""],
    says: "missing private key for node ID",
  },
  {
    name: "a delegated router URL with a path kubo does not route",
    upstream: "core/node/libp2p/routingopt.go constructDefaultHTTPRouters (boxo autoconf/delegated_routing.go)",
    set: ["Routing.DelegatedRouters", '["auto","https://router.example.com/custom/"]'],
    value: ["auto", "https://router.example.com/custom/"],
    says: "not a routing endpoint kubo can use",
  },
  {
    name: "a delegated router URL whose host in brackets is an IPv4 address",
    upstream:
      "boxo autoconf/delegated_routing.go parseAndValidateRoutingURL → Go net/url parseHost " +
      '(Go 1.24.8 and 1.25.2 on, CVE-2025-47912): "invalid IP-literal"',
    set: ["Routing.DelegatedRouters", '["https://[192.0.2.1]/"]'],
    value: ["https://[192.0.2.1]/"],
    says: "invalid IP-literal",
  },
  {
    name: "a delegated router URL without a scheme",
    upstream: "core/node/libp2p/routingopt.go constructDefaultHTTPRouters (boxo routing/http/client normalizeBaseURL)",
    set: ["Routing.DelegatedRouters", '["//router.example.com"]'],
    value: ["//router.example.com"],
    says: "it has no scheme",
  },
  {
    name: "the plugin of a datastore the spec uses, disabled",
    upstream: "plugin/loader/loader.go Load; repo/fsrepo/datastores.go AnyDatastoreConfig",
    set: ["Plugins.Plugins", '{"ds-flatfs":{"Disabled":true}}'],
    value: { "ds-flatfs": { Disabled: true } },
    says: '"unknown datastore type"',
  },
  {
    name: "a resource-manager allowlist entry without an IP address",
    upstream: "core/node/libp2p/rcmgr.go ResourceManager (go-libp2p p2p/host/resource-manager/allowlist.go toIPNet)",
    set: ["Swarm.ResourceMgr.Allowlist", '["/dns4/example.com/tcp/4001"]'],
    value: ["/dns4/example.com/tcp/4001"],
    says: "it names no /ip4 or /ip6 address",
  },
  {
    name: "a resource-manager allowlist mask longer than an IPv4 address",
    upstream: "core/node/libp2p/rcmgr.go ResourceManager (go-libp2p allowlist.go toIPNet, Go net.ParseCIDR)",
    set: ["Swarm.ResourceMgr.Allowlist", '["/ip4/10.0.0.0/ipcidr/33"]'],
    value: ["/ip4/10.0.0.0/ipcidr/33"],
    says: "/ipcidr/33 is longer than an IPv4 address",
  },
  {
    name: "a resource-manager allowlist mask of 129-255 bits, a multiaddr to go-multiaddr",
    upstream: "core/node/libp2p/rcmgr.go ResourceManager (go-libp2p allowlist.go toIPNet, Go net.ParseCIDR)",
    set: ["Swarm.ResourceMgr.Allowlist", '["/ip6/fc00::/ipcidr/200"]'],
    value: ["/ip6/fc00::/ipcidr/200"],
    says: "/ipcidr/200 is longer than an IPv6 address",
  },
  {
    name: "a byte size of 2^64 bytes",
    upstream: "config/types.go OptionalBytes.WithDefault (go-humanize ParseBytes: too large)",
    set: ["Gateway.MaxRangeRequestFileSize", "18446744073709551616"],
    value: 2 ** 64,
    says: "a number of bytes from 0 to 2^64-1",
  },
  {
    name: "delegated routing with no router at all",
    upstream: "core/node/libp2p/routingopt.go ConstructDelegatedOnlyRouting",
    given: [
      ["Provide.Enabled", false],
      ["Routing.DelegatedRouters", []],
      ["Ipns.DelegatedPublishers", []],
    ],
    set: ["Routing.Type", "delegated"],
    says: '"delegated" needs a router',
  },
  {
    name: "delegated routing through auto while the AutoConf client cannot start",
    upstream:
      "core/node/libp2p/routingopt.go ConstructDelegatedOnlyRouting (config/autoconf_client.go newAutoConfClient, " +
      "boxo autoconf/client.go WithRefreshInterval)",
    given: [
      ["Provide.Enabled", false],
      ["AutoConf.RefreshInterval", "0s"],
    ],
    set: ["Routing.Type", "delegated"],
    says: "AutoConf is off or cannot start",
  },
  {
    name: "a backup bootstrap interval of 0",
    upstream:
      "core/core.go Bootstrap (boxo bootstrap/bootstrap.go startSavePeersAsTemporaryBootstrapProc, time.NewTicker)",
    set: ["Internal.BackupBootstrapInterval", "0s"],
    says: "kubo panics when it starts bootstrapping",
  },
  {
    name: "a renamed sharding threshold that is no byte size",
    upstream: "core/node/groups.go IPFS (config/types.go OptionalBytes.WithDefault, go-humanize ParseBytes)",
    set: ["Internal.UnixFSShardingSizeThreshold", "1 megabyte"],
    says: "is not a byte size such as 256KiB",
  },
  {
    name: "a gateway address the RPC API already listens on",
    upstream: "cmd/ipfs/kubo/daemon.go serveHTTPApi, serveHTTPGateway (manet.Listen)",
    set: ["Addresses.Gateway", "/ip4/127.0.0.1/tcp/5001"],
    says: 'listens on /ip4/127.0.0.1/tcp/5001, as "Addresses.API" does: the second listen fails',
  },
  {
    name: "a gateway on every IPv4 address at the RPC API's port",
    upstream: "cmd/ipfs/kubo/daemon.go serveHTTPGateway (manet.Listen: tcp4 on 0.0.0.0 holds 127.0.0.1 too)",
    set: ["Addresses.Gateway", "/ip4/0.0.0.0/tcp/5001"],
    says: 'and "Addresses.API" on /ip4/127.0.0.1/tcp/5001: one socket',
  },
  {
    name: "a gateway on the API's unix socket, written with a trailing slash",
    upstream: "cmd/ipfs/kubo/daemon.go serveHTTPGateway (go-multiaddr codec.go stringToBytes trims the slash)",
    given: [["Addresses.API", "/unix/tmp/kubo-api.sock"]],
    set: ["Addresses.Gateway", "/unix/tmp/kubo-api.sock/"],
    says: 'listens on /unix/tmp/kubo-api.sock/, as "Addresses.API" does',
  },
];

describe("kubo: values kubo refuses at load", () => {
  test.each(REFUSED)("$name ($upstream) is refused by --set and fails validate", (rule) => {
    if (rule.given) handWrite(rule.given);
    const before = readConfig();
    const [key, text] = rule.set;
    const set = kitcfg(["update", "ipfs", "--set", `${key}=${text}`], { root });
    expect(set.code).toBe(1);
    expect(set.stderr).toContain(rule.says);
    expect(readConfig()).toBe(before);

    handWrite([[key, "value" in rule ? rule.value : text]]);
    const checked = kitcfg(["validate", "ipfs"], { root });
    expect(checked.code).toBe(1);
    expect(checked.stderr).toContain(rule.says);
  });

  test(
    "an integer written 90.0 or 1.28e2 fails validate " +
      "(encoding/json literalStore, strconv.ParseInt); --set writes it as 90",
    () => {
      expect(kitcfg(["update", "ipfs", "--set", "Datastore.StorageGCWatermark=80.0"], { root }).code).toBe(0);
      expect(readConfig()).toContain('"StorageGCWatermark": 80,');
      writeFileSync(
        configPath(),
        readConfig()
          .replace('"StorageGCWatermark": 80', '"StorageGCWatermark": 90.0')
          .replace('"ResolveCacheSize": 128', '"resolvecachesize": 1.28e2'),
      );
      const ran = kitcfg(["validate", "ipfs"], { root });
      expect(ran.code).toBe(1);
      expect(ran.stderr).toContain(
        '"Datastore.StorageGCWatermark": is written 90.0: ' +
          "kubo reads an integer here only without a fraction or exponent (write 90)",
      );
      expect(ran.stderr).toContain('"Ipns.resolvecachesize": is written 1.28e2');
    },
  );

  test(
    "a number past float64 in Datastore.Spec or a plugin's Config fails validate, as kubo decodes them into any " +
      "(config/datastore.go Spec map[string]any, config/plugins.go Config any; encoding/json literalStore)",
    () => {
      const spec = JSON.parse(readConfig()).Datastore.Spec;
      handWrite([["Plugins.Plugins.ds.Config", { level: 1e300 }]]);
      expect(kitcfg(["validate", "ipfs"], { root }).code).toBe(0);
      writeFileSync(configPath(), readConfig().replace('"level": 1e+300', '"level": 1e400'));
      const ran = kitcfg(["validate", "ipfs"], { root });
      expect(ran.code).toBe(1);
      expect(ran.stderr).toContain('"Plugins.Plugins.ds.Config.level": is a number past float64\'s range');
      // An integer of 310 digits too, which kitcfg reads exactly (a bigint) where Go's float64 overflows.
      writeFileSync(configPath(), readConfig().replace('"level": 1e400', `"level": 1${"0".repeat(309)}`));
      expect(kitcfg(["validate", "ipfs"], { root }).stderr).toContain('"Plugins.Plugins.ds.Config.level": is a number');
      handWrite([
        ["Plugins.Plugins.ds.Config", {}],
        ["Datastore.Spec", { ...spec, extra: -1 }],
      ]);
      writeFileSync(configPath(), readConfig().replace('"extra": -1', '"extra": -1e999'));
      expect(kitcfg(["validate", "ipfs"], { root }).stderr).toContain(
        '"Datastore.Spec.extra": is a number past float64',
      );
    },
  );

  test(
    "a byte size written -0 fails validate, as kubo keeps it as the text -0 that ParseBytes refuses " +
      "(config/types.go OptionalBytes); 1.5 is taken, rounded to 2",
    () => {
      handWrite([
        ["Swarm.ResourceMgr.MaxMemory", 12345],
        ["Import.UnixFSHAMTDirectorySizeThreshold", 1.5],
      ]);
      expect(kitcfg(["validate", "ipfs"], { root }).code).toBe(0);
      writeFileSync(configPath(), readConfig().replace('"MaxMemory": 12345', '"MaxMemory": -0'));
      const ran = kitcfg(["validate", "ipfs"], { root });
      expect(ran.code).toBe(1);
      expect(ran.stderr).toContain('"Swarm.ResourceMgr.MaxMemory": expected a byte size');
      expect(ran.stderr).toContain("kubo panics at start on -0");
    },
  );

  test(
    "a duration written 0.0, 0e0 or with an escape fails validate, as kubo parses its raw JSON text " +
      "(config/types.go OptionalDuration.UnmarshalJSON, time.ParseDuration); 0 and -0 are taken",
    () => {
      handWrite([["Swarm.ConnMgr.GracePeriod", 0]]);
      const zero = readConfig();
      for (const taken of ["0", "-0"]) {
        writeFileSync(configPath(), zero.replace('"GracePeriod": 0', `"GracePeriod": ${taken}`));
        expect(kitcfg(["validate", "ipfs"], { root }).code).toBe(0);
      }
      for (const refused of ["0.0", "0e0", String.raw`"3\u0030s"`]) {
        writeFileSync(configPath(), zero.replace('"GracePeriod": 0', `"GracePeriod": ${refused}`));
        const ran = kitcfg(["validate", "ipfs"], { root });
        expect(ran.code).toBe(1);
        expect(ran.stderr).toContain(`"Swarm.ConnMgr.GracePeriod": is written ${refused}:`);
      }
    },
  );

  test("there are at least 20 of them", () => expect(REFUSED.length).toBeGreaterThanOrEqual(20));
});

describe("the connection manager's counts (groups.go hands them to libp2p's NewConnManager unchecked)", () => {
  test.each([
    ["a negative high water", [["Swarm.ConnMgr.HighWater", -5]], "HighWater", "is negative (-5)"],
    ["a low water above the default high one", [["Swarm.ConnMgr.LowWater", 100]], "LowWater", "(100) is above"],
    ["a high water below the default low one", [["Swarm.ConnMgr.HighWater", 10]], "LowWater", "(32) is above"],
    [
      "a high water of 0",
      [["Swarm.ConnMgr.HighWater", 0]],
      "HighWater",
      "is 0: libp2p's connection manager never trims",
    ],
  ] as [string, [string, unknown][], string, string][])("%s: kubo starts, a warning", (_what, given, key, says) => {
    handWrite(given);
    const ran = kitcfg(["validate", "ipfs"], { root });
    expect(ran.code).toBe(0);
    expect(ran.stderr).toContain(`"Swarm.ConnMgr.${key}": ${says}`);
  });

  test("sound counts, unset ones, or no manager at all: nothing to say", () => {
    const original = readConfig();
    for (const given of [
      [
        ["Swarm.ConnMgr.LowWater", 10],
        ["Swarm.ConnMgr.HighWater", 20],
      ],
      [["Swarm.ConnMgr.LowWater", null]],
      [
        ["Swarm.ConnMgr.Type", "none"],
        ["Swarm.ConnMgr.HighWater", -1],
      ],
    ] as [string, unknown][][]) {
      writeFileSync(configPath(), original);
      handWrite(given);
      const ran = kitcfg(["validate", "ipfs"], { root });
      expect([ran.code, ran.stderr]).toEqual([0, ""]);
    }
  });
});

const PEER = "12D3KooWPqeqYVxdxFESvk6PWUUddNiMD5gDuEkksoVvvEFMfp1R";

/** One or more real options per section kubo reads, each as `--set` pairs. */
const ACCEPTED: Record<string, [string, string][]> = {
  Addresses: [
    ["Addresses.API", "/ip4/127.0.0.1/tcp/5002"],
    ["Addresses.Gateway", '["/ip4/127.0.0.1/tcp/8081","/ip6/::1/tcp/8081","/unix/run/ipfs-gateway.sock"]'],
  ],
  API: [["API.HTTPHeaders", '{"Access-Control-Allow-Origin":["*"]}']],
  AutoConf: [["AutoConf.RefreshInterval", "12h"]],
  AutoNAT: [
    ["AutoNAT.ServiceMode", "disabled"],
    ["AutoNAT.Throttle", '{"GlobalLimit":30,"PeerLimit":3,"Interval":"1m"}'],
  ],
  AutoTLS: [
    ["AutoTLS.Enabled", "false"],
    ["AutoTLS.RegistrationDelay", "0"],
  ],
  Bitswap: [["Bitswap.ServerEnabled", "false"]],
  Bootstrap: [
    ["Bootstrap", '["/dnsaddr/bootstrap.libp2p.io/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN"]'],
    // go-multiaddr reads an address without the slashes it ends with (codec.go stringToBytes).
    ["Bootstrap", '["/ip4/104.131.131.82/tcp/4001/p2p/QmaCpDMGvV2BGHeYERUEnRQAwe3N8SzbUtfsmvsqQLuvuJ/"]'],
  ],
  DNS: [
    ["DNS.Resolvers", '{".":"auto","eth.":"https://dns.eth.limo/dns-query"}'],
    ["DNS.MaxCacheTTL", "5m"],
  ],
  Datastore: [
    ["Datastore.StorageMax", "1,000 GiB"],
    ["Datastore.GCPeriod", "90m"],
    ["Datastore.BloomFilterSize", "1048576"],
  ],
  Discovery: [["Discovery.MDNS.Enabled", "false"]],
  Experimental: [
    ["Experimental.FilestoreEnabled", "true"],
    ["Experimental.OptimisticProvideJobsPoolSize", "60"],
  ],
  Gateway: [
    ["Gateway.PublicGateways", '{"example.com":{"Paths":["/ipfs","/ipns"],"UseSubdomains":true}}'],
    ["Gateway.MaxRangeRequestFileSize", "5GiB"],
    ["Gateway.RetrievalTimeout", "default"],
  ],
  HTTPRetrieval: [
    ["HTTPRetrieval.MaxBlockSize", "4MiB"],
    ["HTTPRetrieval.NumWorkers", "32"],
  ],
  Identity: [["Identity.PeerID", "KEEP"]],
  Import: [
    ["Import.CidVersion", "1"],
    ["Import.HashFunction", "BLAKE3"],
    ["Import.UnixFSChunker", "rabin-262144-524288-1048576"],
    ["Import.UnixFSDAGLayout", "trickle"],
  ],
  Internal: [
    ["Internal.Bitswap", '{"TaskWorkerCount":8,"ProviderSearchDelay":"1s"}'],
    ["Internal.Libp2pForceReachability", "private"],
    ["Internal.ShutdownTimeout", "0"],
  ],
  Ipns: [
    ["Ipns.RepublishPeriod", "1h"],
    ["Ipns.RecordLifetime", "96h"],
    ["Ipns.UsePubsub", "true"],
    ["Ipns.DelegatedPublishers", '["auto","https://ipns.example.com/routing/v1/ipns/"]'],
  ],
  Migration: [
    ["Migration.Keep", "cache"],
    ["Migration.DownloadSources", '["HTTPS","https://dweb.link"]'],
  ],
  Mounts: [
    ["Mounts.IPFS", "/mnt/ipfs"],
    ["Mounts.FuseAllowOther", "true"],
  ],
  Peering: [["Peering.Peers", `[{"ID":"${PEER}","Addrs":["/ip4/192.0.2.1/tcp/4001"]}]`]],
  Pinning: [
    [
      "Pinning.RemoteServices",
      '{"svc":{"API":{"Endpoint":"https://pin.example.com","Key":"k"},"Policies":{"MFS":{"Enable":false}}}}',
    ],
  ],
  Plugins: [["Plugins.Plugins", '{"telemetry":{"Disabled":true},"ds-badgerds":{"Disabled":true}}']],
  Provide: [
    ["Provide.Strategy", "pinned+mfs+entities"],
    ["Provide.DHT.Interval", "12h"],
    ["Provide.DHT.SweepEnabled", "false"],
  ],
  Pubsub: [
    ["Pubsub.Enabled", "true"],
    ["Pubsub.Router", "floodsub"],
    ["Pubsub.SeenMessagesStrategy", "first-seen"],
  ],
  Routing: [
    ["Routing.Type", "dhtclient"],
    ["Routing.AcceleratedDHTClient", "true"],
    ["Routing.IgnoreProviders", `["${PEER}"]`],
  ],
  Swarm: [
    ["Swarm.AddrFilters", '["/ip4/10.0.0.0/ipcidr/8","/ip6/fc00::/ipcidr/7"]'],
    ["Swarm.ConnMgr.Type", "basic"],
    ["Swarm.ConnMgr.HighWater", "200"],
    ["Swarm.Transports.Security.TLS", "false"],
    ["Swarm.Transports.Multiplexers.Yamux", "100"],
    ["Swarm.ResourceMgr.MaxMemory", "2GiB"],
    ["Swarm.ResourceMgr.Allowlist", `["/ip4/10.0.0.0/ipcidr/8","/ip6/fc00::/ipcidr/7/p2p/${PEER}","/ip4/192.0.2.1"]`],
    ["Swarm.RelayService.ReservationTTL", "1h"],
    ["Swarm.RelayClient.StaticRelays", `["/ip4/192.0.2.1/tcp/4001/p2p/${PEER}"]`],
  ],
  Version: [
    ["Version.AgentSuffix", "lab-node"],
    ["Version.SwarmCheckPercentThreshold", "50"],
  ],
};

describe("kubo: real options of every section are taken", () => {
  test.each(Object.entries(ACCEPTED))("%s", (_section, pairs) => {
    const peerId = JSON.parse(readConfig()).Identity.PeerID;
    const args = pairs.flatMap(([key, text]) => ["--set", `${key}=${text === "KEEP" ? peerId : text}`]);
    const ran = kitcfg(["update", "ipfs", ...args], { root });
    expect(ran.stderr).not.toContain("✖");
    expect(ran.code).toBe(0);
    expect(kitcfg(["validate", "ipfs"], { root }).code).toBe(0);
  });

  test(
    "an unknown pubsub router or strategy is only a warning while pubsub is off, as kubo never reads them " +
      "(test/sharness/t0002-docker-image.sh runs the daemon with Pubsub.Router Qux; core/node/groups.go LibP2P)",
    () => {
      const set = kitcfg(["update", "ipfs", "--set", "Pubsub.Router=Qux", "--set", "Pubsub.SeenMessagesStrategy=x"], {
        root,
      });
      expect(set.code).toBe(0);
      const checked = kitcfg(["validate", "ipfs"], { root });
      expect(checked.code).toBe(0);
      expect(checked.stderr).toContain('"Qux" is not one of gossipsub, floodsub: kubo ignores it while pubsub is off');
      const before = readConfig();
      expect(kitcfg(["update", "ipfs", "--set", "Pubsub.Enabled=true"], { root }).code).toBe(1);
      expect(readConfig()).toBe(before);
    },
  );

  test(
    "a null header, DNS resolver or path is taken where Go decodes it as an empty value kubo ignores " +
      '("" or no list); a null address is refused as "" is',
    () => {
      handWrite([
        ["API.HTTPHeaders", { "X-A": null, "X-B": [null] }],
        ["DNS.Resolvers", { "eth.": null }],
        ["Gateway.PublicGateways", { "gw.example.com": { Paths: [null], UseSubdomains: false } }],
        ["API.Authorizations", { a: { AuthSecret: "bearer:token", AllowedPaths: [null] } }],
        ["Migration.DownloadSources", [null]],
      ]);
      expect(kitcfg(["validate", "ipfs"], { root }).code).toBe(0);
      handWrite([["Addresses.Swarm", [null]]]);
      expect(kitcfg(["validate", "ipfs"], { root }).code).toBe(1);
    },
  );

  test("custom routing with every method and known routers is taken", () => {
    const routers = {
      dht: { Type: "dht", Parameters: { Mode: "auto", PublicIPNetwork: true } },
      ipni: { Type: "http", Parameters: { Endpoint: "https://cid.contact" } },
      all: {
        Type: "parallel",
        Parameters: {
          Routers: [
            { RouterName: "dht", Timeout: "5m", IgnoreErrors: false },
            { RouterName: "ipni", Timeout: "15s", IgnoreErrors: true, ExecuteAfter: "1s" },
          ],
        },
      },
    };
    const methods = Object.fromEntries(
      ["provide", "find-peers", "find-providers", "get-ipns", "put-ipns"].map((m) => [m, { RouterName: "all" }]),
    );
    const ran = kitcfg(
      [
        "update",
        "ipfs",
        "--set",
        `Routing.Routers=${JSON.stringify(routers)}`,
        "--set",
        `Routing.Methods=${JSON.stringify(methods)}`,
        "--set",
        "Routing.Type=custom",
      ],
      { root },
    );
    expect(ran.code).toBe(0);
    expect(kitcfg(["validate", "ipfs"], { root }).code).toBe(0);
    const looped = {
      ...routers,
      all: { Type: "sequential", Parameters: { Routers: [{ RouterName: "all", Timeout: "1s" }] } },
    };
    const refused = kitcfg(["update", "ipfs", "--set", `Routing.Routers=${JSON.stringify(looped)}`], { root });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("form a loop");
  });

  test(
    "a router of an unknown type is only a warning until Routing.Type is custom " +
      "(config/routing.go RouterParser.UnmarshalJSON decodes it; routing/delegated.go parse refuses it)",
    () => {
      const routers = { odd: { Type: "bogus", Parameters: {} } };
      expect(kitcfg(["update", "ipfs", "--set", `Routing.Routers=${JSON.stringify(routers)}`], { root }).code).toBe(0);
      const warned = kitcfg(["validate", "ipfs"], { root });
      expect(warned.code).toBe(0);
      expect(warned.stderr).toContain('"Routing.Routers.odd.Type": "bogus" is not a router type kubo knows');
      expect(warned.stderr).toContain('kubo ignores it unless Routing.Type is "custom" and Routing.Methods uses it');
      const methods = Object.fromEntries(
        ["provide", "find-peers", "find-providers", "get-ipns", "put-ipns"].map((m) => [m, { RouterName: "odd" }]),
      );
      handWrite([["Routing.Methods", methods]]);
      const before = readConfig();
      const custom = kitcfg(["update", "ipfs", "--set", "Routing.Type=custom"], { root });
      expect(custom.code).toBe(1);
      expect(custom.stderr).toContain("use http, dht, parallel or sequential");
      expect(readConfig()).toBe(before);
    },
  );

  test(
    "the Parameters of a router of an unknown type may be any JSON value but null, and the router is " +
      "refused only where a custom method uses it (config/routing.go RouterParser.UnmarshalJSON decodes " +
      "them into an any; routing/delegated.go Parse builds only the routers the methods name)",
    () => {
      const web = { Type: "http", Parameters: { Endpoint: "https://cid.contact" } };
      const methods = (name: string) =>
        Object.fromEntries(
          ["provide", "find-peers", "find-providers", "get-ipns", "put-ipns"].map((m) => [m, { RouterName: name }]),
        );
      for (const parameters of ["x", ["a"], 3]) {
        handWrite([["Routing.Routers", { web, odd: { Type: "bogus", Parameters: parameters } }]]);
        const other = kitcfg(["validate", "ipfs"], { root });
        expect(other.stderr).not.toContain("✖");
        expect(other.code).toBe(0);
        handWrite([
          ["Routing.Type", "custom"],
          ["Routing.Methods", methods("web")],
        ]);
        const unused = kitcfg(["validate", "ipfs"], { root });
        expect(unused.stderr).not.toContain("✖");
        expect(unused.code).toBe(0);
        handWrite([["Routing.Methods", methods("odd")]]);
        const used = kitcfg(["validate", "ipfs"], { root });
        expect(used.code).toBe(1);
        expect(used.stderr).toContain('"Routing.Routers.odd.Type": "bogus" is not a router type kubo knows: use http');
        expect(used.stderr).not.toContain("Routing.Routers.odd.Parameters");
        handWrite([["Routing.Type", null]]);
      }
      // A missing or null Parameters fails the decode (or panics) whatever the Type; an http one needs an object.
      for (const router of [
        { Type: "bogus" },
        { Type: "bogus", Parameters: null },
        { Type: "http", Parameters: "x" },
      ]) {
        handWrite([["Routing.Routers", { odd: router }]]);
        const ran = kitcfg(["validate", "ipfs"], { root });
        expect(ran.code).toBe(1);
        expect(ran.stderr).toContain('"Routing.Routers.odd.Parameters"');
      }
    },
  );

  test(
    'a null Routing.Methods entry is taken until Routing.Type is custom, where it names the router "" ' +
      '(Go decodes it as a Method with RouterName ""; routing/delegated.go parse: not found)',
    () => {
      handWrite([["Routing.Methods", { provide: null }]]);
      expect(kitcfg(["validate", "ipfs"], { root }).code).toBe(0);
      const web = { Type: "http", Parameters: { Endpoint: "https://cid.contact" } };
      const methods = Object.fromEntries(
        ["provide", "find-peers", "find-providers", "get-ipns", "put-ipns"].map((m) => [m, { RouterName: "web" }]),
      );
      handWrite([
        ["Routing.Type", "custom"],
        ["Routing.Routers", { web }],
        ["Routing.Methods", { ...methods, provide: null }],
      ]);
      const custom = kitcfg(["validate", "ipfs"], { root });
      expect(custom.code).toBe(1);
      expect(custom.stderr).toContain(
        '"Routing.Methods.provide": names router "", which Routing.Routers does not have',
      );
      expect(custom.stderr).not.toContain("expected a JSON object");
    },
  );

  test(
    "a peering peer with no ID, or null, is a warning: it decodes as the empty peer ID, which kubo keeps " +
      "and never reaches; an ID that is null or empty fails the decode " +
      "(go-libp2p core/peer/addrinfo_serde.go, peer_serde.go; boxo peering AddPeer)",
    () => {
      for (const peers of [[{}], [null], [{ Addrs: ["/ip4/192.0.2.1/tcp/4001"] }]]) {
        handWrite([["Peering.Peers", peers]]);
        const ran = kitcfg(["validate", "ipfs"], { root });
        expect(ran.code).toBe(0);
        expect(ran.stderr).toContain('"Peering.Peers": peer 1 has no ID: kubo starts but never connects to it');
      }
      for (const peers of [[{ ID: null }], [{ ID: "" }], [{ id: null }]]) {
        handWrite([["Peering.Peers", peers]]);
        const ran = kitcfg(["validate", "ipfs"], { root });
        expect(ran.code).toBe(1);
        expect(ran.stderr).toContain("is not a peer ID");
      }
    },
  );

  test(
    "an RPC secret with a type kubo does not know is a warning " +
      "that never shows the secret (config/api.go ConvertAuthSecret)",
    () => {
      const scopes = '{"me":{"AuthSecret":"token:Secret123","AllowedPaths":["/api/v0/id"]}}';
      expect(kitcfg(["update", "ipfs", "--set", `API.Authorizations=${scopes}`], { root }).code).toBe(0);
      const ran = kitcfg(["validate", "ipfs"], { root });
      expect(ran.code).toBe(0);
      expect(ran.stderr).toContain('"API.Authorizations.me.AuthSecret": has a type prefix kubo does not know');
      expect(ran.stderr + ran.stdout).not.toContain("Secret123");
      expect(
        kitcfg(["update", "ipfs", "--set", "API.Authorizations.me.AuthSecret=bearer:Secret123"], { root }).code,
      ).toBe(0);
      expect(kitcfg(["validate", "ipfs"], { root }).stderr).not.toContain("type prefix");
    },
  );

  test(
    "an AutoConf client kubo cannot build is a warning while auto is used " +
      "(config/autoconf_client.go newAutoConfClient; boxo autoconf/client.go WithRefreshInterval, WithURL)",
    () => {
      for (const [key, value] of [
        ["AutoConf.RefreshInterval", "0s"],
        ["AutoConf.URL", ""],
      ] as const) {
        handWrite([[key, value]]);
        const ran = kitcfg(["validate", "ipfs"], { root });
        expect(ran.code).toBe(0);
        expect(ran.stderr).toContain(`"${key}": is `);
        expect(ran.stderr).toContain('"auto" in Bootstrap, DNS.Resolvers');
        handWrite([[key, null]]);
      }
      expect(kitcfg(["validate", "ipfs"], { root }).stderr).not.toContain("AutoConf");
    },
  );

  test("a v15 repo's deprecated Provider setting is only a warning: kubo's migration to 18 drops it", () => {
    writeFileSync(join(root, ".ipfs", "version"), "15\n");
    handWrite([["Provider.Strategy", ""]]);
    const ran = kitcfg(["validate", "ipfs"], { root });
    expect(ran.code).toBe(0);
    // fs-repo-17-to-18 convert: "Skip Provider.Strategy as it was unused"; it is removed with Provider.
    expect(ran.stderr).toContain(
      '"Provider.Strategy": is deprecated: kubo\'s migration to repo version 18 removes it (kubo never read it)',
    );
  });
});

// repo/fsrepo/migrations/migrations.go RunHybridMigrations: ReadMigrationConfig (Keep, DownloadSources) runs
// only for the external migrations of a repo older than version 16; a current repo's daemon never reads them.
describe("kubo: Migration settings are read only to migrate a repo older than version 16", () => {
  const sets = ["--set", "Migration.Keep=pin", "--set", 'Migration.DownloadSources=["ftp://mirror.example"]'];
  test("a current repo takes an unknown Keep and a non-http source, with a warning each", () => {
    expect(kitcfg(["configure", "ipfs"], { root }).code).toBe(0);
    const ran = kitcfg(["update", "ipfs", ...sets], { root });
    expect(ran.code).toBe(0);
    expect(ran.stderr).toContain(
      '"Migration.Keep": "pin" is not "cache", "keep" or "discard": kubo reads it only to migrate a repo older than',
    );
    expect(ran.stderr).toContain('"Migration.DownloadSources": "ftp://mirror.example" is not a gateway address');
  });

  test("a version 15 repo, which kubo migrates with them, refuses both", () => {
    expect(kitcfg(["configure", "ipfs"], { root }).code).toBe(0);
    writeFileSync(join(root, ".ipfs", "version"), "15\n");
    const ran = kitcfg(["update", "ipfs", ...sets, "--force"], { root });
    expect(ran.code).toBe(1);
    const validated = kitcfg(["validate", "ipfs"], { root });
    expect(validated.code).toBe(1);
    expect(validated.stderr).toContain('"pin" is not "cache", "keep" or "discard", or kubo cannot migrate this repo');
    expect(validated.stderr).toContain(
      "the scheme must be http or https, or kubo cannot migrate this repo (version 15)",
    );
  });
});

// A repo older than version 18 is started after kubo's migrations rewrite its config (fs-repo-13-to-14
// ... fs-repo-17-to-18 convert; FORMATS.md §1a), so kubo's rules (config/provide.go ValidateProvideConfig,
// cmd/ipfs/kubo/daemon.go validateDaemonConfig, ...) judge what they leave. The repo is kubo's own v16
// fixture (tests/fixtures/ipfs/v16-repo, from kubo's test/cli/migrations/testdata), with what older kubo
// profiles and real configs (each test names its source) wrote into it.
describe("kubo: an older repo is checked as its migrations to version 18 leave it", () => {
  beforeEach(() => {
    cleanup();
    ({ dir: root, cleanup } = tempDir());
    cpSync(join(import.meta.dir, "..", "fixtures", "ipfs", "v16-repo"), join(root, ".ipfs"), { recursive: true });
    chmodSync(configPath(), 0o600); // as kubo writes it
  });

  test("kubo <= 0.36's lowpower Reprovider.Interval 0 is refused once moved, and Provider.Enabled fixes it", () => {
    // config/profile.go "lowpower" @v0.25.0: c.Reprovider.Interval = NewOptionalDuration(0), written "0s".
    handWrite([["Reprovider.Interval", "0s"]]);
    const ran = kitcfg(["validate", "ipfs"], { root });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain(
      '"Reprovider.Interval": is moved to Provide.DHT.Interval by kubo\'s migration to repo version 18, and there: ' +
        "is 0, which no longer turns providing off on its own: set Provider.Enabled to false",
    );
    const before = readConfig();
    expect(kitcfg(["update", "ipfs", "--set", "Provider.Enabled=false"], { root }).code).toBe(0);
    expect(readConfig()).toBe(before.replace('"Provider": {}', '"Provider": {\n    "Enabled": false\n  }'));
    expect(kitcfg(["validate", "ipfs"], { root }).code).toBe(0);
  });

  test("kubo 0.37's delegated routing, with Provider.Enabled false as it demanded, is valid", () => {
    // cmd/ipfs/kubo/daemon.go @v0.37.0: Routing.Type=delegated needs Provider.Enabled=false and
    // Reprovider.Interval='0'; the migration makes them Provide.Enabled false and Provide.DHT.Interval "0s".
    writeFileSync(join(root, ".ipfs", "version"), "17\n");
    handWrite([
      ["Routing.Type", "delegated"],
      ["Routing.DelegatedRouters", ["https://cid.contact"]],
      ["Provider.Enabled", false],
      ["Reprovider.Interval", "0s"],
    ]);
    const ran = kitcfg(["validate", "ipfs"], { root });
    expect(ran.stderr).not.toContain("✖");
    expect(ran.code).toBe(0);
    writeFileSync(join(root, ".ipfs", "version"), "18\n");
    expect(kitcfg(["validate", "ipfs"], { root }).stderr).toContain(
      '"Routing.Type": "delegated" routing cannot provide content',
    );
  });

  test("kubo 0.18-0.20's Experimental.AcceleratedDHTClient is moved by the migration to 14, not refused", () => {
    // The Experimental section of a kubo 0.20 config published with a FreeBSD install guide
    // (unixwinbsd.site, "How to Install IPFS Peer to Peer Networking on FreeBSD", 2025); repo version 13.
    // fs-repo-migrations fs-repo-13-to-14 convert moves the key to Routing.AcceleratedDHTClient.
    writeFileSync(join(root, ".ipfs", "version"), "13\n");
    const experimental = {
      AcceleratedDHTClient: true,
      FilestoreEnabled: false,
      GraphsyncEnabled: false,
      Libp2pStreamMounting: false,
      P2pHttpProxy: false,
      StrategicProviding: false,
      UrlstoreEnabled: false,
    };
    handWrite([["Experimental", experimental]]);
    const ran = kitcfg(["validate", "ipfs"], { root });
    expect(ran.stderr).not.toContain("AcceleratedDHTClient");
    expect(ran.code).toBe(0);
    writeFileSync(join(root, ".ipfs", "version"), "14\n"); // no migration moves it any more: kubo refuses it
    expect(kitcfg(["validate", "ipfs"], { root }).stderr).toContain(
      '"Experimental.AcceleratedDHTClient": moved to Routing.AcceleratedDHTClient in kubo 0.21',
    );
    writeFileSync(join(root, ".ipfs", "version"), "13\n");
    handWrite([["Experimental.AcceleratedDHTClient", null]]); // the migration stops on anything but a boolean
    const stopped = kitcfg(["validate", "ipfs"], { root });
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain(
      '"Experimental.AcceleratedDHTClient": is not true or false: kubo\'s migration to repo version 14',
    );
  });

  test("go-ipfs 0.7's /quic listeners are upgraded to /quic-v1 by the migration to 15, so TCP may be off", () => {
    // The Addresses.Swarm and Swarm.Transports of a go-ipfs v0.7.0 config from kbasectl's README
    // (an IPFS node on Kubernetes). fs-repo-migrations fs-repo-14-to-15 convert rewrites /quic as /quic-v1.
    writeFileSync(join(root, ".ipfs", "version"), "14\n");
    handWrite([
      [
        "Addresses.Swarm",
        ["/ip4/0.0.0.0/tcp/4001", "/ip6/::/tcp/4001", "/ip4/0.0.0.0/udp/4001/quic", "/ip6/::/udp/4001/quic"],
      ],
      ["Swarm.Transports", { Multiplexers: {}, Network: { TCP: false, Websocket: false }, Security: {} }],
    ]);
    const ran = kitcfg(["validate", "ipfs"], { root });
    expect(ran.code).toBe(0);
    expect(ran.stderr).not.toContain('/quic"');
    writeFileSync(join(root, ".ipfs", "version"), "15\n");
    const refused = kitcfg(["validate", "ipfs"], { root });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('"Addresses.Swarm": has no address kubo can listen on');
  });

  test("a private network's null Bootstrap (`ipfs bootstrap rm --all`) stops the migration to 15", () => {
    // core/commands/bootstrap.go @v0.22.0 bootstrapRemoveAll: cfg.Bootstrap = nil, written "null";
    // fs-repo-migrations fs-repo-14-to-15 convert stops on it ("invalid type for .Bootstrap").
    writeFileSync(join(root, ".ipfs", "version"), "14\n");
    handWrite([["Bootstrap", null]]);
    const ran = kitcfg(["validate", "ipfs"], { root });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain(
      '"Bootstrap": is null: kubo\'s migration to repo version 15 stops on it ("invalid type for .Bootstrap") ' +
        "and kubo does not start; write [] or remove it",
    );
    writeFileSync(join(root, ".ipfs", "version"), "15\n");
    expect(kitcfg(["validate", "ipfs"], { root }).stderr).not.toContain('"Bootstrap"');
  });

  test("go-ipfs 0.17's /quic listener with QUIC off is kept listening by the migration to 13 (WebTransport)", () => {
    // fs-repo-migrations fs-repo-12-to-13 convertQuicAddrs adds /quic-v1 and /quic-v1/webtransport
    // beside /quic; WebTransport is on unless turned off (core/node/libp2p/transport.go).
    writeFileSync(join(root, ".ipfs", "version"), "12\n");
    handWrite([
      ["Addresses.Swarm", ["/ip4/0.0.0.0/udp/4001/quic"]],
      ["Swarm.Transports", { Network: { TCP: false, QUIC: false, WebRTCDirect: false } }],
    ]);
    expect(kitcfg(["validate", "ipfs"], { root }).code).toBe(0);
    writeFileSync(join(root, ".ipfs", "version"), "13\n");
    expect(kitcfg(["validate", "ipfs"], { root }).stderr).toContain(
      '"Addresses.Swarm": has no address kubo can listen on',
    );
  });

  test('a v16 repo\'s delegated routing without routers gets "auto" from the migration to 17', () => {
    // fs-repo-16-to-17 migrateDelegatedRouters: an empty or absent Routing.DelegatedRouters becomes ["auto"].
    handWrite([
      ["Routing.Type", "delegated"],
      ["Provider.Enabled", false],
      ["Reprovider.Interval", "0s"],
    ]);
    expect(kitcfg(["validate", "ipfs"], { root }).code).toBe(0);
    writeFileSync(join(root, ".ipfs", "version"), "17\n");
    expect(kitcfg(["validate", "ipfs"], { root }).stderr).toContain('"Routing.Type": "delegated" needs a router');
  });

  test("kubo 0.37's Provider.WorkerCount 0 (unlimited then) is refused as Provide.DHT.MaxWorkers", () => {
    handWrite([["Provider.WorkerCount", 0]]);
    const ran = kitcfg(["validate", "ipfs"], { root });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain(
      '"Provider.WorkerCount": is moved to Provide.DHT.MaxWorkers by kubo\'s migration to repo version 18, ' +
        "and there: must be positive",
    );
  });
});

describe("kubo: a private network (swarm.key in the repo)", () => {
  const SWARM_KEY = `/key/swarm/psk/1.0.0/\n/base16/\n${"ab".repeat(32)}\n`;

  test.each([
    ["AutoTLS.Enabled", "daemon.go daemonFunc"],
    ["Swarm.Transports.Network.QUIC", "core/node/libp2p/transport.go Transports"],
    ["Swarm.Transports.Network.WebTransport", "core/node/libp2p/transport.go Transports"],
  ])("%s=true is refused with a swarm.key (%s), and taken without one", (key) => {
    expect(kitcfg(["update", "ipfs", "--set", `${key}=true`, "--dry-run"], { root }).code).toBe(0);
    writeFileSync(join(root, ".ipfs", "swarm.key"), SWARM_KEY);
    handWrite([
      ["AutoConf.Enabled", false],
      ["Bootstrap", []],
      ["Routing.DelegatedRouters", []],
      ["Ipns.DelegatedPublishers", []],
      ["DNS.Resolvers", {}],
    ]);
    const before = readConfig();
    const set = kitcfg(["update", "ipfs", "--set", `${key}=true`], { root });
    expect(set.code).toBe(1);
    expect(set.stderr).toContain("does not work in a private network");
    expect(readConfig()).toBe(before);
    handWrite([[key, true]]);
    expect(kitcfg(["validate", "ipfs"], { root }).code).toBe(1);
  });
});

test(
  "a swarm.key with AutoConf on its mainnet URL fails validate " +
    "(config/autoconf_client.go ValidateAutoConfWithRepo)",
  () => {
    writeFileSync(join(root, ".ipfs", "swarm.key"), `/key/swarm/psk/1.0.0/\n/base16/\n${"ab".repeat(32)}\n`);
    const ran = kitcfg(["validate", "ipfs"], { root });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('"AutoConf.URL": is the public mainnet one');
    expect(kitcfg(["update", "ipfs", "--set", "AutoConf.URL=https://conf.example.org/swarm.json"], { root }).code).toBe(
      0,
    );
    expect(kitcfg(["validate", "ipfs"], { root }).code).toBe(0);
  },
);

describe("kubo: keys match whatever their case, as Go's encoding/json reads them", () => {
  test("--set with any case writes kubo's spelling in the existing section", () => {
    const ran = kitcfg(["update", "ipfs", "--set", "swarm.connmgr.highwater=50"], { root });
    expect(ran.code).toBe(0);
    const config = JSON.parse(readConfig());
    expect(config.Swarm.ConnMgr).toEqual({ HighWater: 50 });
    expect(Object.keys(config)).not.toContain("swarm");
  });

  test("--set updates a hand-written case variant where it is, instead of adding a second key", () => {
    handWrite([["Swarm.ConnMgr.highwater", 20]]);
    const before = readConfig();
    expect(kitcfg(["update", "ipfs", "--set", "Swarm.ConnMgr.HighWater=50"], { root }).code).toBe(0);
    const after = readConfig();
    expect(JSON.parse(after).Swarm.ConnMgr).toEqual({ highwater: 50 });
    expect(after).toBe(before.replace('"highwater": 20', '"highwater": 50'));
    expect(kitcfg(["update", "ipfs", "--unset", "SWARM.CONNMGR.HIGHWATER"], { root }).code).toBe(0);
    expect(JSON.parse(readConfig()).Swarm.ConnMgr).toEqual({});
  });

  test("an unknown key is refused with the nearest one, and nothing is written", () => {
    const before = readConfig();
    const ran = kitcfg(["update", "ipfs", "--set", "Swarm.ConnMgr.HighWatr=5"], { root });
    expect(ran.code).not.toBe(0);
    expect(ran.stderr).toContain('did you mean "Swarm.ConnMgr.HighWater"?');
    expect(readConfig()).toBe(before);
  });

  test("validate checks a hand-written case variant as the key it stands for, and warns about ignored keys", () => {
    handWrite([["Swarm.ConnMgr.HighWatr", 5]]);
    const ignored = kitcfg(["validate", "ipfs"], { root });
    expect(ignored.code).toBe(0);
    expect(ignored.stderr).toContain(
      '"Swarm.ConnMgr.HighWatr": is not a setting ipfs reads: it is ignored (did you mean "HighWater"?)',
    );
    handWrite([["Swarm.ConnMgr.highwater", "abc"]]);
    const bad = kitcfg(["validate", "ipfs"], { root });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('"Swarm.ConnMgr.HighWater": expected a whole number (a Go int64)');
    expect(bad.stderr).toContain('"Swarm.ConnMgr.highwater": is read by ipfs as "Swarm.ConnMgr.HighWater"');
  });

  test("a lower-case private key is still a secret: show hides it", () => {
    const key = JSON.parse(readConfig()).Identity.PrivKey as string;
    handWrite([["identity", { privkey: key }]]);
    const shown = kitcfg(["show", "ipfs"], { root });
    expect(shown.code).toBe(0);
    expect(shown.stdout).not.toContain(key);
  });
});
