import { connManagerIssue, getAt, goDurationMs, multiaddrProtocols, stringsOf, swarmListeners } from "kitcfg";
import type { Config, Listener, PluginContext, PluginIssue } from "kitcfg";
import { filecoinAddressProblem } from "./address.ts";
import { LOTUS_API_DEFAULT } from "./options.ts";

// What lotus refuses when it starts from a config it has read (FORMATS.md §2 "Lotus load-time
// rules"): the modules node/builder_chain.go wires up check their options as they are built.

/** Lotus's connection manager defaults (node/config/def.go; the fixture's Libp2p section). */
const CONN_MGR_DEFAULTS = { low: 150, high: 180 } as const;

/** The indexer's smallest retention other than 0: one day of epochs (chain/index/indexer.go, builtin.EpochsInDay). */
const EPOCHS_IN_DAY = 2880;

/**
 * The last protocols go-libp2p's default transports listen on (defaults.go DefaultTransports:
 * TCP, QUIC, WebSocket, WebTransport, WebRTC Direct; each transport's Protocols()). Lotus adds
 * no other and turns the relay off (node/builder.go lp2p.NoRelay), so /p2p-circuit has none.
 */
const LISTEN_PROTOCOLS = new Set(["tcp", "quic-v1", "ws", "wss", "webtransport", "webrtc-direct"]);

/**
 * Rules lotus checks when it starts (node/builder_chain.go, chain/index/indexer.go,
 * chain/gen/slashfilter/slashsvc/slashservice.go).
 */
export function startIssues(config: Config): PluginIssue[] {
  const issues: PluginIssue[] = [];
  const indexer = getAt(config, "ChainIndexer.EnableIndexer") === true;
  for (const key of ["Fevm.EnableEthRPC", "Events.EnableActorEventsAPI"]) {
    if (getAt(config, key) === true && !indexer) {
      issues.push({ key, message: "needs ChainIndexer.EnableIndexer = true, or lotus refuses to start" });
    }
  }
  const retention = getAt(config, "ChainIndexer.GCRetentionEpochs");
  if (retention !== undefined && Number(retention) !== 0 && Number(retention) < EPOCHS_IN_DAY) {
    issues.push({
      key: "ChainIndexer.GCRetentionEpochs",
      severity: indexer ? "error" : "warning",
      message: `must be 0 or at least ${EPOCHS_IN_DAY} (one day of epochs): the indexer refuses to start otherwise`,
    });
  }
  // slashsvc.SlashConsensus decodes the reporter's address (go-address NewFromString) when it starts.
  const reporter = getAt(config, "FaultReporter.ConsensusFaultReporterAddress");
  const addressProblem = typeof reporter === "string" ? filecoinAddressProblem(reporter) : undefined;
  if (addressProblem) {
    const on = getAt(config, "FaultReporter.EnableConsensusFaultReporter") === true;
    issues.push({
      key: "FaultReporter.ConsensusFaultReporterAddress",
      severity: on ? "error" : "warning",
      message:
        `${JSON.stringify(reporter)} is not a Filecoin address lotus can read` +
        `${on ? "" : " (unused while EnableConsensusFaultReporter is off)"}: ${addressProblem}`,
    });
  }
  // lp2p.ConnectionManager -> go-libp2p connmgr.WithGracePeriod refuses a negative grace period.
  const grace = getAt(config, "Libp2p.ConnMgrGrace");
  if (typeof grace === "string" && (goDurationMs(grace) ?? 0) < 0) {
    issues.push({
      key: "Libp2p.ConnMgrGrace",
      message: `${JSON.stringify(grace)} is negative, which libp2p's connection manager refuses: give 0s or more`,
    });
  }
  issues.push(...listenAddressIssues(getAt(config, "Libp2p.ListenAddresses")));
  // lp2p.ConnectionManager hands both counts to libp2p's NewConnManager, which checks neither
  // (a negative one, which the uint wraps, has a warning of its own).
  const low = Number(getAt(config, "Libp2p.ConnMgrLow") ?? CONN_MGR_DEFAULTS.low);
  const high = Number(getAt(config, "Libp2p.ConnMgrHigh") ?? CONN_MGR_DEFAULTS.high);
  const counts =
    low >= 0 &&
    high >= 0 &&
    connManagerIssue(low, high, {
      low: "Libp2p.ConnMgrLow",
      high: "Libp2p.ConnMgrHigh",
      fix: "give a ConnMgrLow above 0 and below ConnMgrHigh (lotus's defaults: 150 and 180)",
      grace: "grace period (Libp2p.ConnMgrGrace)",
      silence: "10 seconds",
    });
  if (counts) issues.push(counts);
  return issues;
}

/**
 * The sockets `lotus daemon` listens on (cli/lotus/daemon.go): its libp2p host on
 * Libp2p.ListenAddresses (node/modules/lp2p/addrs.go StartListening; left out, every default
 * is port 0), and the JSON-RPC API on API.ListenAddress (node/rpc.go ServeRPC: manet.Listen,
 * "could not listen" stops the daemon). Keys as lotus reads them (any case).
 */
export function lotusListens(config: Config, ctx: PluginContext): Listener[] {
  const api = getAt(config, "API.ListenAddress");
  const swarm = stringsOf(getAt(config, "Libp2p.ListenAddresses")).filter((address) =>
    LISTEN_PROTOCOLS.has(multiaddrProtocols(address)?.at(-1) ?? ""),
  );
  return [
    { key: "API.ListenAddress", address: typeof api === "string" ? api : LOTUS_API_DEFAULT },
    ...swarmListeners("Libp2p.ListenAddresses", swarm, { host: "libp2p", env: ctx.env }),
  ];
}

// --- internal ---

/**
 * lp2p.StartListening hands every address to the swarm's Listen, which skips (and logs) one
 * no transport listens on, and fails only when it listens on none of a non-empty list.
 * Addresses that do not parse are refused already (options.ts).
 */
function listenAddressIssues(value: unknown): PluginIssue[] {
  const key = "Libp2p.ListenAddresses";
  const addresses = stringsOf(value);
  const skipped = addresses.filter((address) => {
    const protocols = multiaddrProtocols(address);
    return protocols !== undefined && !LISTEN_PROTOCOLS.has(protocols.at(-1)!);
  });
  if (skipped.length === 0) return [];
  const transports = "end in /tcp/<port>, /quic-v1, /ws, /wss, /webtransport or /webrtc-direct";
  if (skipped.length === addresses.length) {
    return [{ key, message: `no address has a transport lotus listens with, so it refuses to start: ${transports}` }];
  }
  return skipped.map((address) => ({
    key,
    severity: "warning" as const,
    message: `${JSON.stringify(address)} has no transport lotus listens with, so lotus skips it: ${transports}`,
  }));
}
