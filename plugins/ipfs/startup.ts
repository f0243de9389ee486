import type { Config, PluginIssue } from "kitcfg";
import { durationMs } from "./go.ts";
import { decodesAsPeerId, multiaddrProblem, multiaddrProtocols, sectionAt, stringsOf } from "kitcfg";

// Values the constructors of kubo v0.43's node refuse while `ipfs daemon` builds it, each
// with the file that refuses it (FORMATS.md "kubo load-time rules"): the blockstore and
// bitswap (boxo), the libp2p relay client, the RPC API, the DHT and its sweeping provider,
// the bootstrapper.
// Each is an error: kubo returns it, or panics, before the daemon is up. `config` has its
// keys folded to the fields' spelling.

/** Every issue of the node's services; `privateNetwork` when the repo holds a swarm.key. */
export function startupIssues(config: Config, privateNetwork = false): PluginIssue[] {
  return [
    ...listenIssues(config, privateNetwork),
    ...blockstoreIssues(config),
    ...bitswapIssues(config),
    ...relayClientIssues(config),
    ...sweepingProviderIssues(config),
    ...dhtIssues(config),
    ...bootstrapIssues(config),
  ];
}

/**
 * Why kubo's swarm does not listen on `address` (see listenIssues), "" when it does; undefined
 * for no multiaddr. `privateNetwork` when the repo holds a swarm.key.
 */
export function swarmListenProblem(config: Config, address: unknown, privateNetwork: boolean): string | undefined {
  const network = sectionAt(config, ["Swarm", "Transports", "Network"]);
  const isOn = (flag: string, fallback: boolean) => (typeof network[flag] === "boolean" ? network[flag] : fallback);
  const protocols = typeof address === "string" ? multiaddrProtocols(address) : undefined;
  if (!protocols) return undefined;
  if (protocols.includes("p2p-circuit")) return isOn("Relay", true) ? "" : "Swarm.Transports.Network.Relay is false";
  const last = protocols.at(-1)!;
  const transport = LISTENING_TRANSPORTS[last];
  if (!transport) return `no libp2p transport listens on /${last}`;
  if (isOn(transport.flag, transport.private || !privateNetwork)) return "";
  const state = network[transport.flag] === false ? "false" : "off in a private network";
  return `Swarm.Transports.Network.${transport.flag} is ${state}`;
}

// --- internal ---

/**
 * The transport go-libp2p listens with on an address whose last protocol is the key, and the
 * Swarm.Transports.Network flag that turns it on (core/node/libp2p/transport.go Transports:
 * QUIC, WebTransport and WebRTC Direct default to off in a private network, the rest to on).
 * Each transport's Protocols(): tcp.go, websocket.go (ws and wss), quicreuse (quic-v1),
 * webtransport, webrtc (webrtc-direct).
 */
const LISTENING_TRANSPORTS: Record<string, { flag: string; private: boolean }> = {
  tcp: { flag: "TCP", private: true },
  ws: { flag: "Websocket", private: true },
  wss: { flag: "Websocket", private: true },
  "quic-v1": { flag: "QUIC", private: false },
  webtransport: { flag: "WebTransport", private: false },
  "webrtc-direct": { flag: "WebRTCDirect", private: false },
};

/**
 * core/node/groups.go LibP2P hands Addresses.Swarm to go-libp2p (libp2p/addrs.go ListenOn).
 * Its swarm listens on each address with the transport of the address's last protocol, or
 * the relay's for a /p2p-circuit one (p2p/net/swarm/swarm_transport.go TransportForListening),
 * logs each address it cannot listen on, and fails the node when it can listen on none
 * (swarm_listen.go Listen: "failed to listen on any addresses"). An address that is not a
 * multiaddr is refused by the address checks already.
 */
function listenIssues(config: Config, privateNetwork: boolean): PluginIssue[] {
  const addresses = sectionAt(config, ["Addresses"]).Swarm;
  if (!Array.isArray(addresses) || addresses.length === 0) return [];
  const found = addresses.map((address) => swarmListenProblem(config, address, privateNetwork));
  const dead = addresses.flatMap((address, i) => (found[i] ? [`${JSON.stringify(address)} (${found[i]})`] : []));
  if (dead.length === 0) return [];
  if (found.every((why) => why !== "")) {
    if (found.includes(undefined)) return [];
    return [
      {
        key: "Addresses.Swarm",
        message:
          `has no address kubo can listen on: ${dead.join(", ")}; libp2p fails with "failed to listen on any ` +
          `addresses" and kubo does not start: add a /tcp or /udp/PORT/quic-v1 address, or turn the transport on`,
      },
    ];
  }
  return [
    {
      key: "Addresses.Swarm",
      severity: "warning",
      message: `holds addresses kubo cannot listen on, logged and left out: ${dead.join(", ")}`,
    },
  ];
}

/** kubo config/provide.go: the sweeping provider's worker defaults. */
const DEFAULT_WORKERS = { MaxWorkers: 16, DedicatedPeriodicWorkers: 2, DedicatedBurstWorkers: 1 };

/**
 * Routing types whose router kubo builds with constructDHTRouting, a dual DHT (cmd/ipfs/kubo/daemon.go
 * daemonFunc; "" and "default" become auto). custom builds its own DHTs, none and delegated none.
 */
const DUAL_DHT_ROUTING = [undefined, null, "", "auto", "default", "autoclient", "dht", "dhtclient", "dhtserver"];
/** Those of them that get the sweeping provider (provider.go hasDHTRouting): an explicit "" or "default" does not. */
const SWEEPING_ROUTING = DUAL_DHT_ROUTING.filter((type) => type !== "" && type !== "default");

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
    if (endsInPeer(entry)) return [];
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
  if (!SWEEPING_ROUTING.includes(type as string)) return [];
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
  const experimental = sectionAt(config, ["Experimental"]);
  const pool = experimental.OptimisticProvideJobsPoolSize;
  if (typeof pool !== "number" || pool >= 0) return [];
  if (!DUAL_DHT_ROUTING.includes(sectionAt(config, ["Routing"]).Type as string)) return [];
  const optimistic =
    experimental.OptimisticProvide === true || sectionAt(config, ["Provide", "DHT"]).SweepEnabled !== false;
  if (!optimistic) return [];
  return [
    {
      key: "Experimental.OptimisticProvideJobsPoolSize",
      message: "must not be negative (0 means the default, 60) while optimistic provide is on: kubo panics at start",
    },
  ];
}

/**
 * core/core.go Bootstrap hands a set Internal.BackupBootstrapInterval to boxo v0.42.0
 * bootstrap/bootstrap.go, which, once its first bootstrap round is done, saves the connected
 * peers on a time.NewTicker of that interval: Go panics on an interval of 0 or less ("non-positive
 * interval for NewTicker"), and the online daemon dies as it comes up.
 */
function bootstrapIssues(config: Config): PluginIssue[] {
  const interval = sectionAt(config, ["Internal"]).BackupBootstrapInterval;
  const ms = durationMs(interval);
  if (ms === undefined || ms > 0) return [];
  return [
    {
      key: "Internal.BackupBootstrapInterval",
      message: "must be positive (default 1h): kubo panics when it starts bootstrapping (non-positive ticker)",
    },
  ];
}

/** A valid multiaddr whose last part names a peer (/p2p/<id>), as kubo's peer address parsing wants. */
export function endsInPeer(address: string): boolean {
  const last = multiaddrProtocols(address)?.at(-1);
  return last === "p2p" || last === "ipfs";
}
