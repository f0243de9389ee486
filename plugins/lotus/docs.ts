import type { KeyDoc } from "kitcfg";
import { LOTUS_DEFAULT_CONFIG } from "./template.ts";

/**
 * `kitcfg keys lotus`: for each key of Lotus's commented default file, the first sentence of
 * the comment above it, the environment variable that overrides it, and the default its
 * commented line shows. Read from the template lotus itself writes (lotus/template.ts).
 * Where that sentence is missing or too long for a line, kitcfg's own line (`SHORT`); the
 * variable is named when the line has room for it. The file's one example subsystem stands
 * for any name under `Logging.SubsystemLevels`.
 */
export function lotusKeyDocs(): Record<string, KeyDoc> {
  const docs: Record<string, KeyDoc> = {};
  let section: string[] = [];
  let prose: string[] = [];
  let envVar: string | undefined;
  for (const raw of LOTUS_DEFAULT_CONFIG.split("\n")) {
    const line = raw.trim();
    const table = /^\[([^\]]+)\]$/.exec(line);
    const setting = /^#?([A-Za-z0-9_-]+)\s*=\s*(.*)$/.exec(line);
    if (table) section = table[1]!.split(".");
    else if (setting) {
      const map = section.join(".") === "Logging.SubsystemLevels";
      const key = [...section, map ? "*" : setting[1]!].join(".");
      const sentence = SHORT[key] ?? firstSentence(prose).replace(/\.$/, "");
      const withEnv = envVar ? `${sentence} (env ${envVar})` : sentence;
      const doc = withEnv.length < DOC_CHARS ? withEnv : sentence;
      docs[key] = { ...(doc ? { doc } : {}), ...(map ? {} : { default: tomlValue(setting[2]!) }) };
    } else if (line.startsWith("#")) {
      const text = line.replace(/^#\s?/, "");
      const env = /^env var: (\S+)/.exec(text);
      if (env) envVar = env[1];
      else if (!/^type: /.test(text)) prose.push(text);
      continue;
    }
    prose = [];
    envVar = undefined;
  }
  // The options lotus reads that its default file leaves out (BootstrapPeers, DirectPeers...).
  for (const [key, doc] of Object.entries(SHORT)) docs[key] ??= { doc };
  return docs;
}

// --- internal ---

/** A line of `kitcfg keys` is shorter than this. */
const DOC_CHARS = 120;

/** kitcfg's lines for keys whose comment in the default file is missing or too long for one. */
const SHORT: Record<string, string> = {
  "API.RemoteListenAddress": "host:port at which other machines reach this API, where it differs from ListenAddress",
  "API.Timeout": "How long an API request may take, a Go duration",
  "Libp2p.NoAnnounceAddresses": "Addresses, or /ipcidr/ masks, never announced to other peers",
  "Pubsub.RemoteTracer": "Multiaddr with a /p2p/ ID of a peer that receives gossipsub traces; empty for none",
  "Wallet.RemoteBackend":
    "A remote wallet to sign with, [TOKEN:]ADDRESS (a multiaddr or a ws/http URL); empty for none",
  "Wallet.EnableLedger": "Sign with a Ledger hardware wallet attached to this machine",
  "Wallet.DisableLocal": "Do not sign with the keys in this node's own keystore",
  "Fees.DefaultMaxFee": "Most a message pays in fees when its sender sets no limit, in FIL",
  "Chainstore.EnableSplitstore": "Split the blockstore into a hot and a cold store (written as a line of its own)",
  "Logging.SubsystemLevels.*":
    "Log level of one subsystem, by its name: debug, info, warn, error, dpanic, panic or fatal",
  "Libp2p.BootstrapPeers":
    "Multiaddrs with a /p2p/ ID (or /dnsaddr/ names) dialled at start, instead of the network's list",
  "Libp2p.ProtectedPeers": "Peer IDs the connection manager never closes",
  "Libp2p.DisableNatPortMap": "Do not ask the router (UPnP, NAT-PMP) to forward an outside port to lotus",
  "Libp2p.ConnMgrLow": "Connections the connection manager trims down to",
  "Libp2p.ConnMgrHigh": "Connections past which the connection manager starts trimming",
  "Libp2p.ConnMgrGrace": "How long a new connection is safe from trimming (a Go duration, not negative)",
  "Pubsub.DirectPeers": "Multiaddrs with a /p2p/ ID of peers gossipsub keeps connected and sends every message",
  "Pubsub.IPColocationWhitelist": "CIDRs whose peers gossipsub does not score down for sharing an IP address",
  "Pubsub.TracerSourceAuth": "Token sent with the traces to Elasticsearch, for weighted peer scores",
  "Chainstore.Splitstore.HotStoreMessageRetention":
    "Finalities of messages the hotstore keeps past the compaction boundary",
  "Chainstore.Splitstore.HotStoreFullGCFrequency":
    "A full (moving) GC of the hotstore every this many compactions; 0 never, 1 each time",
  "Chainstore.Splitstore.HotStoreMaxSpaceTarget": "Bytes the hotstore tries to stay under; 0 sets no target",
  "Chainstore.Splitstore.HotStoreMaxSpaceThreshold":
    "With a space target: moving GC starts when the hotstore comes within this many bytes of it",
  "Chainstore.Splitstore.HotstoreMaxSpaceSafetyBuffer":
    "With a space target: bytes left free so that moving GC cannot fill the disk",
  "Fevm.EthTraceFilterMaxResults": "Most results one trace_filter request returns",
  "Events.EnableActorEventsAPI":
    "Serve the events of smart contracts and built-in actors (needs ChainIndexer.EnableIndexer)",
  "Events.MaxFilterResults": "Most events one filter query returns (actor events API, eth_getLogs and its kin)",
  "Events.MaxFilterHeightRange": "Most epochs one event filter may span, so that no query reads the whole chain",
  "ChainIndexer.GCRetentionEpochs": "Epochs of indexed data kept: 0 keeps all, else at least 2880 (a day)",
  "ChainIndexer.ReconcileEmptyIndex": "At start, fill an empty index from the chain state",
  "ChainIndexer.MaxReconcileTipsets": "Most tipsets reconciled with the chain at start",
  "ChainIndexer.AllowIndexReconciliationFailure": "Start even when the index cannot be reconciled with the chain",
  "FaultReporter.EnableConsensusFaultReporter": "Watch blocks for consensus faults and report them on chain",
  "FaultReporter.ConsensusFaultReporterDataDir":
    "Folder the fault reporter keeps its state in; empty keeps it in memory",
  "FaultReporter.ConsensusFaultReporterAddress":
    "Wallet address that sends the fault reports; empty for the default wallet",
  "PaymentChannels.EnablePaymentChannelManager": "Start the payment channel manager",
};

function firstSentence(lines: string[]): string {
  const text = lines.join(" ").replace(/\s+/g, " ").trim();
  const end = text.search(/[.:](\s|$)/);
  return end === -1 ? text : text.slice(0, end + 1).replace(/:$/, "");
}

/** A value as its commented line writes it: TOML's strings, numbers, booleans and arrays read as JSON. */
function tomlValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
