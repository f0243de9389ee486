import type { Config, PluginIssue } from "kitcfg";
import { decodesAsPeerId, multiaddrProblem, sectionAt, stringsOf } from "kitcfg";

// Values the constructors of kubo v0.43's node refuse while `ipfs daemon` builds it, each
// with the file that refuses it (FORMATS.md "kubo load-time rules"): the blockstore and
// bitswap (boxo), the libp2p relay client, the RPC API, the DHT and its sweeping provider.
// Each is an error: kubo returns it, or panics, before the daemon is up. `config` has its
// keys folded to the fields' spelling.

/** Every issue of the node's services. */
export function startupIssues(config: Config): PluginIssue[] {
  return [
    ...blockstoreIssues(config),
    ...bitswapIssues(config),
    ...relayClientIssues(config),
    ...sweepingProviderIssues(config),
    ...dhtIssues(config),
  ];
}

// --- internal ---

/** kubo config/provide.go: the sweeping provider's worker defaults. */
const DEFAULT_WORKERS = { MaxWorkers: 16, DedicatedPeriodicWorkers: 2, DedicatedBurstWorkers: 1 };

/**
 * Routing types whose router kubo builds with constructDHTRouting, a dual DHT (cmd/ipfs/kubo/daemon.go
 * daemonFunc; "" and "default" become auto). custom builds its own DHTs, none and delegated none.
 */
const DUAL_DHT_ROUTING = [undefined, null, "", "auto", "default", "autoclient", "dht", "dhtclient", "dhtserver"];

/**
 * core/node/groups.go Storage hands Datastore.BloomFilterSize and BlockKeyCacheSize to boxo
 * blockstore/caching.go CachedBlockstore, which refuses a negative size ("all options for
 * cache need to be greater than zero").
 */
function blockstoreIssues(config: Config): PluginIssue[] {
  const datastore = sectionAt(config, ["Datastore"]);
  return ["BloomFilterSize", "BlockKeyCacheSize"]
    .filter((key) => typeof datastore[key] === "number" && (datastore[key] as number) < 0)
    .map((key) => ({
      key: `Datastore.${key}`,
      message: "must not be negative (boxo wants all block caches at 0 or more): kubo refuses to start",
    }));
}

/**
 * core/node/bitswap.go: BitswapOptions passes the Internal.Bitswap worker counts to boxo,
 * whose option functions panic on a count below 1 (server.go TaskWorkerCount,
 * decision/engine.go) or a negative byte budget; Bitswap decodes each
 * Routing.IgnoreProviders entry with peer.Decode and stops on the first it cannot read.
 */
function bitswapIssues(config: Config): PluginIssue[] {
  const issues: PluginIssue[] = [];
  const internal = sectionAt(config, ["Internal", "Bitswap"]);
  for (const key of ["TaskWorkerCount", "EngineBlockstoreWorkerCount", "EngineTaskWorkerCount"]) {
    if (typeof internal[key] === "number" && (internal[key] as number) <= 0)
      issues.push({ key: `Internal.Bitswap.${key}`, message: "must be positive: kubo panics at start" });
  }
  const budget = internal.MaxOutstandingBytesPerPeer;
  if (typeof budget === "number" && budget < 0) {
    issues.push({
      key: "Internal.Bitswap.MaxOutstandingBytesPerPeer",
      message: "must not be negative (0 means no limit): kubo panics at start",
    });
  }
  for (const entry of stringsOf(sectionAt(config, ["Routing"]).IgnoreProviders)) {
    if (decodesAsPeerId(entry)) continue;
    issues.push({
      key: "Routing.IgnoreProviders",
      message: `${JSON.stringify(entry)} is not a peer ID: kubo refuses to start`,
    });
  }
  return issues;
}

/**
 * The relay client runs when Swarm.RelayClient.Enabled says so, by default when the relay
 * transport (Swarm.Transports.Network.Relay) is on (core/node/groups.go LibP2P). Without it,
 * an explicit Swarm.EnableHolePunching=true is an error (core/node/libp2p/relay.go
 * HolePunching); with it, each Swarm.RelayClient.StaticRelays entry is read by
 * peer.AddrInfoFromString, which wants a multiaddr ending in the relay's /p2p/ ID
 * (relay.go MaybeAutoRelay).
 */
function relayClientIssues(config: Config): PluginIssue[] {
  const swarm = sectionAt(config, ["Swarm"]);
  const client = sectionAt(swarm, ["RelayClient"]);
  const transport = sectionAt(swarm, ["Transports", "Network"]).Relay !== false;
  const enabled = typeof client.Enabled === "boolean" ? client.Enabled : transport;
  if (!enabled) {
    if (swarm.EnableHolePunching !== true) return [];
    return [
      {
        key: "Swarm.EnableHolePunching",
        message:
          "needs the relay client, which is off (Swarm.RelayClient.Enabled or Swarm.Transports.Network.Relay " +
          "is false): kubo refuses to start",
      },
    ];
  }
  return stringsOf(client.StaticRelays).flatMap((entry): PluginIssue[] => {
    const problem = multiaddrProblem(entry);
    const shown = JSON.stringify(entry);
    if (problem) return [{ key: "Swarm.RelayClient.StaticRelays", message: `${shown} is not a multiaddr: ${problem}` }];
    if (/\/(p2p|ipfs)\/[^/]+$/.test(entry)) return [];
    return [
      {
        key: "Swarm.RelayClient.StaticRelays",
        message: `${shown} does not end in /p2p/<peer ID> of the relay: kubo refuses to start`,
      },
    ];
  });
}

/**
 * core/node/provider.go OnlineProviders builds the sweeping provider when Provide.Enabled and
 * Provide.DHT.SweepEnabled are on (both by default) and hasDHTRouting: Routing.Type unset, auto,
 * autoclient, dht, dhtclient or dhtserver (an explicit "" or "default" gets the legacy provider; a
 * custom router's DHTs are no dual DHT, so SweepingProviderOpt falls back to a no-op). Its
 * options (go-libp2p-kad-dht v0.42.1 provider/options.go, provider/dual/options.go) refuse more
 * dedicated workers than MaxWorkers ("total dedicated workers exceed max workers").
 */
function sweepingProviderIssues(config: Config): PluginIssue[] {
  const provide = sectionAt(config, ["Provide"]);
  const dht = sectionAt(provide, ["DHT"]);
  const type = sectionAt(config, ["Routing"]).Type;
  if (provide.Enabled === false || dht.SweepEnabled === false) return [];
  if (![undefined, null, "auto", "autoclient", "dht", "dhtclient", "dhtserver"].includes(type as string)) return [];
  const [max, periodic, burst] = (["MaxWorkers", "DedicatedPeriodicWorkers", "DedicatedBurstWorkers"] as const).map(
    (key) => (typeof dht[key] === "number" ? (dht[key] as number) : DEFAULT_WORKERS[key]),
  ) as [number, number, number];
  // A count config/provide.go already refuses (MaxWorkers <= 0, a negative one) is reported there.
  if (max <= 0 || periodic < 0 || burst < 0 || periodic + burst <= max) return [];
  return [
    {
      key: "Provide.DHT.MaxWorkers",
      message:
        `is ${max}, fewer than DedicatedPeriodicWorkers + DedicatedBurstWorkers (${periodic} + ${burst}): ` +
        'the sweeping provider refuses it ("total dedicated workers exceed max workers"); kubo refuses to start',
    },
  ];
}

/**
 * core/node/libp2p/host.go turns optimistic provide on with Experimental.OptimisticProvide or
 * Provide.DHT.SweepEnabled (default true); routingopt.go constructDHTRouting then hands a non-zero
 * Experimental.OptimisticProvideJobsPoolSize to go-libp2p-kad-dht, whose dht.go makes a channel of
 * that size: a negative one panics.
 */
function dhtIssues(config: Config): PluginIssue[] {
  const pool = sectionAt(config, ["Experimental"]).OptimisticProvideJobsPoolSize;
  if (typeof pool !== "number" || pool >= 0) return [];
  if (!DUAL_DHT_ROUTING.includes(sectionAt(config, ["Routing"]).Type as string)) return [];
  const optimistic =
    sectionAt(config, ["Experimental"]).OptimisticProvide === true ||
    sectionAt(config, ["Provide", "DHT"]).SweepEnabled !== false;
  if (!optimistic) return [];
  return [
    {
      key: "Experimental.OptimisticProvideJobsPoolSize",
      message: "must not be negative (0 means the default, 60) while optimistic provide is on: kubo panics at start",
    },
  ];
}
