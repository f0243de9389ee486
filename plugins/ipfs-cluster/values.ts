import { goDurationMs } from "kitcfg";
import { checkIdentity } from "kitcfg";
import { dialNetwork, isListenable, multiaddrProblem, multiaddrProtocols } from "kitcfg";
import type { PluginIssue } from "kitcfg";

// How ipfs-cluster v1.1.6 reads single values: Go durations (time.ParseDuration, each
// component with its own handling of "" and of text that does not parse), multiaddrs
// (go-multiaddr), header limits, and libp2p identities (config/identity.go `Validate`).

/** Report one issue on a key path. */
export type Add = (key: string, message: string, severity?: PluginIssue["severity"]) => void;

/** How a component reads a duration: what "" means, whether bad text fails, the smallest value. */
export interface DurationRule {
  /** "" (or a missing key) keeps the default, or reads as 0. */
  empty: "default" | "zero";
  /** Text that does not parse fails the load, or the component ignores the error. */
  bad: "error" | "default" | "zero";
  /** Smallest valid value in ms: 1 for "> 0", 0 for ">= 0", undefined for no check. */
  min?: number;
}

export const STRICT: DurationRule = { empty: "default", bad: "error", min: 1 };
export const NON_NEGATIVE: DurationRule = { empty: "default", bad: "error", min: 0 };
/** time.ParseDuration with its error dropped: bad or empty text reads as 0 (pubsubmon, disk, pinqueue). */
export const LENIENT_POSITIVE: DurationRule = { empty: "zero", bad: "zero", min: 1 };
/** ParseDurations with no range check: text that does not parse fails the load. */
export const PARSED: DurationRule = { empty: "default", bad: "error" };
/** crdt and raft drop parse errors and keep their defaults. */
export const IGNORED: DurationRule = { empty: "default", bad: "default" };

export const HTTP_API_DURATIONS = [
  "read_timeout",
  "read_header_timeout",
  "write_timeout",
  "idle_timeout",
  "cors_max_age",
];

/** An issue when `id` is not the peer ID of `key`, on whichever of the two is wrong. */
export function identityMatch(prefix: string, id: string, key: string, add: Add): void {
  // Read as Go's base64.StdEncoding reads it (config/identity.go applyIdentityJSON, api/common/config.go).
  const check = checkIdentity(id, key);
  if (check.ok) return;
  if (check.reason.startsWith("the peer ID"))
    add(`${prefix}.id`, `does not belong to ${prefix}.private_key: ${check.reason}`);
  else add(`${prefix}.private_key`, `cannot be used: ${check.reason}`);
}

/** An issue when a duration does not read as `rule` requires. */
export function duration(key: string, value: unknown, rule: DurationRule, add: Add): void {
  if (value !== undefined && typeof value !== "string") return; // the schema reports the type
  const text = value ?? "";
  let ms: number | undefined;
  if (text === "") {
    if (rule.empty === "default") return;
    ms = 0;
  } else {
    ms = goDurationMs(text);
    if (ms === undefined) {
      if (rule.bad === "error")
        return add(key, `is not a Go duration such as "30s", "2m0s" or "1h0m0s", got ${JSON.stringify(text)}`);
      if (rule.bad === "default")
        return add(
          key,
          `is not a Go duration (got ${JSON.stringify(text)}): the daemon ignores it and uses its default`,
          "warning",
        );
      ms = 0;
    }
  }
  if (rule.min === undefined) return;
  if (ms < rule.min)
    add(
      key,
      rule.min > 0
        ? `must be a duration greater than 0, got ${JSON.stringify(text)}`
        : `cannot be negative, got ${JSON.stringify(text)}`,
    );
}

/** Issues for a multiaddr or a list of them (Go `config.Strings`). */
export function multiaddrs(key: string, value: unknown, add: Add, required = false): void {
  // Another JSON type is refused where it is decoded (the schema, or Go's reading of the text): it is not empty.
  if (value !== undefined && value !== null && typeof value !== "string" && !Array.isArray(value)) return;
  const list = stringList(value);
  if (required && list.length === 0) return add(key, "is empty: the daemon needs at least one multiaddr here");
  for (const item of list) {
    if (typeof item !== "string") continue;
    const problem = multiaddrProblem(item);
    if (problem) add(key, `${JSON.stringify(item)} is not a valid multiaddr: ${problem}`);
  }
}

/**
 * Addresses a component serves HTTP on when the daemon starts (api/common/api.go setupHTTP,
 * api/ipfsproxy/ipfsproxy.go New): go-multiaddr's manet.DialArgs, then Go's net.Listen, which
 * listens on TCP or a unix socket only. A UDP address, or one without a port, stops the start.
 */
export function listenAddrs(key: string, value: unknown, add: Add): void {
  for (const item of stringList(value)) {
    if (multiaddrProblem(item) || isListenable(item)) continue; // multiaddrs() reports a bad one
    add(key, `${JSON.stringify(item)} has no TCP port or unix path to listen on: the daemon fails to start`);
  }
}

/** The last protocols cluster's libp2p host listens with: TCP and websocket (clusterhost.go baseOpts). */
export const HOST_TRANSPORTS = new Set(["tcp", "ws", "wss"]);

/**
 * cluster.listen_multiaddress when the host starts (clusterhost.go NewClusterHost): go-libp2p's
 * swarm picks a transport by an address's last protocol, or the relay's for a /p2p-circuit one
 * (swarm_transport.go TransportForListening), and skips an address no transport takes. Cluster
 * registers TCP and websocket only (baseOpts: "quic does not support private networks"), so
 * QUIC and UDP entries are skipped (its own default lists one) and a list of only those fails
 * "failed to listen on any addresses" (swarm_listen.go Listen).
 */
export function hostListenAddrs(key: string, value: unknown, add: Add): void {
  const parsed = stringList(value)
    .map(multiaddrProtocols)
    .filter((protocols): protocols is string[] => protocols !== undefined);
  if (parsed.length === 0) return; // multiaddrs() reports an empty list or one that does not parse
  if (parsed.some((protocols) => HOST_TRANSPORTS.has(protocols.at(-1)!) || protocols.includes("p2p-circuit"))) return;
  add(
    key,
    "has no address ending in /tcp/<port>, /ws or /wss: cluster listens with TCP and websocket only " +
      "(not QUIC or UDP), so it listens on nothing and fails to start",
  );
}

/**
 * An address the daemon dials (ipfs_connector and proxy node_multiaddress): manet.DialArgs at
 * start wants an IP address, a DNS name (dns, dns4, dns6) or a unix path first, else fails.
 */
export function dialAddr(key: string, value: unknown, add: Add): void {
  if (typeof value !== "string" || value === "" || multiaddrProblem(value) || dialNetwork(value)) return;
  add(
    key,
    `${JSON.stringify(value)} is not an address the daemon can dial: ` +
      "it must start with /ip4, /ip6, /dns, /dns4, /dns6 or /unix (e.g. /ip4/127.0.0.1/tcp/5001)",
  );
}

/**
 * A metrics or tracing endpoint while it is on (observations/setup.go): manet.DialArgs, then
 * only its host and port are used (Prometheus serves HTTP on it, the Jaeger agent is sent UDP),
 * so an address without a TCP or UDP port stops the daemon.
 */
export function portAddr(key: string, value: unknown, add: Add): void {
  if (
    typeof value !== "string" ||
    value === "" ||
    multiaddrProblem(value) ||
    ["tcp", "udp"].includes(dialNetwork(value) ?? "")
  )
    return;
  add(key, `${JSON.stringify(value)} has no TCP or UDP port, e.g. /ip4/127.0.0.1/tcp/8888: the daemon fails to start`);
}

/**
 * cluster.peer_addresses when the peer starts (cluster.go NewCluster -> pstoremgr.go
 * ImportPeer): an address is resolved first when it starts with /dnsaddr/, else read with
 * peer.AddrInfoFromP2pAddr, which wants /p2p/<peer ID> last; the error is dropped, so such an
 * address is skipped without a word and the peer is never dialled.
 */
export function peerAddrs(key: string, value: unknown, add: Add): void {
  for (const item of stringList(value)) {
    const protocols = multiaddrProtocols(item);
    if (!protocols || protocols[0] === "dnsaddr" || ["p2p", "ipfs"].includes(protocols.at(-1)!)) continue;
    add(
      key,
      `${JSON.stringify(item)} does not end in /p2p/<peer ID>: the daemon skips it and never dials it; ` +
        'add the peer\'s ID (the "id" of its identity.json)',
      "warning",
    );
  }
}

/** `max_header_bytes`: 0 (or missing) means 4096, anything else must be at least that. */
export function headerBytes(key: string, value: unknown, add: Add): void {
  if (typeof value === "number" && value !== 0 && value < 4096) add(key, `must be at least 4096, got ${value}`);
}

// --- internal ---

/** Go `config.Strings`: one string (none when empty) or a list; non-strings are the schema's to report. */
function stringList(value: unknown): string[] {
  const list = typeof value === "string" ? (value === "" ? [] : [value]) : Array.isArray(value) ? value : [];
  return list.filter((item): item is string => typeof item === "string");
}
