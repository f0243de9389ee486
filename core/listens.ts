import { dialArgs, ipFamily, trimMultiaddr } from "../sdk/multiaddr.ts";
import { KitcfgError } from "./errors.ts";
import type { Issue } from "./errors.ts";
import type { Config, Listener } from "./plugin.ts";
import { callPlugin } from "./target.ts";
import type { Target } from "./target.ts";

// Two daemons that listen on one socket cannot both start: the second one's bind fails
// ("address already in use"). Which addresses are one socket is Linux's bind rule
// (net/ipv4/inet_connection_sock.c inet_rcv_saddr_equal), checked with Go 1.19's net.Listen
// on Linux 6.18 for every pair of tcp4/tcp6/tcp sockets on 127.0.0.1, 127.0.0.2, 0.0.0.0,
// ::1 and :: (and the UDP ones), with and without SO_REUSEPORT:
// - the same TCP (or UDP) port, not 0, and the same IP, or a wildcard of that IP's family:
//   0.0.0.0 holds the port on every IPv4 address, :: on every IPv6 one;
// - an IPv4 socket and an IPv6 one meet only where the IPv6 one is a wildcard with IPV6_V6ONLY
//   off, which Go sets for the network "tcp" or "udp" on a wildcard host (ipsock_posix.go
//   favoriteAddrFamily), never for manet's "tcp6";
// - two sockets that both set SO_REUSEPORT both bind;
// - one unix socket path.

/** The sockets of one daemon (or instance) that listens, as `listens` gave them. */
export interface ListenerSet {
  /** `daemon` or `daemon/instance`. */
  label: string;
  listeners: readonly Listener[];
}

/** A clash between two daemons: the issue is about `owner`'s key, and names `other`'s. */
export interface ListenClash {
  owner: string;
  other: string;
  issue: Issue;
}

/**
 * Every pair of a daemon's own sockets that clash (not two of one `host`): an issue on the
 * key of the later one, naming the earlier one's key.
 */
export function ownListenIssues(set: ListenerSet): Issue[] {
  const sockets = socketsOf(set);
  const earlier = new SocketIndex(sockets);
  const issues: Issue[] = [];
  for (let j = 0; j < sockets.length; j++) {
    const b = sockets[j]!;
    for (const i of earlier.mayOverlap(b)) {
      const a = sockets[i]!;
      if (a.listener.host !== undefined && a.listener.host === b.listener.host) continue;
      const issue = clashIssue([a], b, { same: set.label });
      if (issue) issues.push(issue);
    }
    earlier.add(j);
  }
  return issues;
}

/**
 * Every pair of sockets of two different sets that clash, each reported once, on the set
 * whose label sorts later (so a clash gets the same owner whichever configurations are planned).
 */
export function listenClashes(sets: readonly ListenerSet[]): ListenClash[] {
  const ordered = [...sets].sort((x, y) => (x.label < y.label ? -1 : x.label > y.label ? 1 : 0));
  const sockets = ordered.map(socketsOf);
  const indexes = sockets.map((list) => SocketIndex.of(list));
  const clashes: ListenClash[] = [];
  for (let y = 1; y < ordered.length; y++) {
    for (let x = 0; x < y; x++) {
      for (const b of sockets[y]!) {
        // One issue for each key of the other set: a daemon's /quic-v1, /quic-v1/webtransport and
        // /webrtc-direct on one port share one UDP socket, and clash with another daemon's once.
        const groups = new Map<string, Socket[]>();
        for (const i of indexes[x]!.mayOverlap(b)) {
          const a = sockets[x]![i]!;
          if (!overlaps(a, b)) continue;
          const key = `${a.listener.key}\u0000${a.listener.name ?? ""}`;
          groups.set(key, [...(groups.get(key) ?? []), a]);
        }
        for (const group of groups.values()) {
          const issue = clashIssue(group, b, { other: ordered[x]!.label, owner: ordered[y]!.label });
          if (issue) clashes.push({ owner: ordered[y]!.label, other: ordered[x]!.label, issue });
        }
      }
    }
  }
  return clashes;
}

/**
 * The listen clashes between the daemons of `entries`, each configuration's sockets taken
 * from its plugin's `listens`. A plugin whose `listens` fails is left out: that daemon's own
 * validation reports the failure.
 */
export function listenClashesOf(entries: readonly { target: Target; config: Config }[]): ListenClash[] {
  const sets: ListenerSet[] = [];
  for (const { target, config } of entries) {
    const listens = target.plugin.listens;
    if (!listens) continue;
    try {
      sets.push({
        label: target.label,
        listeners: callPlugin(target.loaded, "listens", () => listens(config, target.ctx)),
      });
    } catch (error) {
      if (!(error instanceof KitcfgError)) throw error;
    }
  }
  return listenClashes(sets);
}

// --- internal ---

interface Socket {
  listener: Listener;
  kind: "tcp" | "udp" | "unix";
  /** The IP in one spelling (IPv6 as eight hex groups), or the unix path. */
  at: string;
  port: number;
  family: 4 | 6;
  wildcard: boolean;
  /** An IPv6 wildcard with IPV6_V6ONLY off: it holds the port on IPv4 addresses too. */
  dual: boolean;
}

const IPV6_ANY = "0:0:0:0:0:0:0:0";

/** The sockets of a set that can be judged: an IP (no DNS name, no zone) with a port other than 0, or a unix path. */
function socketsOf(set: ListenerSet): Socket[] {
  return set.listeners.flatMap((listener) => {
    const socket = socketOf(listener);
    return socket ? [socket] : [];
  });
}

function socketOf(listener: Listener): Socket | undefined {
  const args = dialArgs(listener.address);
  if (args?.network === "unix")
    return { listener, kind: "unix", at: args.address, port: 0, family: 4, wildcard: false, dual: false };
  if (args?.network !== "tcp" && args?.network !== "udp") return undefined;
  const head = listener.address.split("/", 2)[1];
  const colon = args.address.lastIndexOf(":");
  const port = Number(args.address.slice(colon + 1));
  const host = args.address.slice(0, colon).replace(/^\[(.*)\]$/, "$1");
  const family = ipFamily(host);
  // /dns* hosts depend on the resolver; a zone, or an address of the other family under /ip4
  // or /ip6, is left alone too.
  if (!(port > 0) || family === 0 || head !== `ip${family}`) return undefined;
  const at = family === 4 ? host : canonicalIPv6(host);
  const wildcard = at === "0.0.0.0" || at === IPV6_ANY;
  const dual = wildcard && listener.dualStack === true;
  return { listener, kind: args.network, at: dual ? IPV6_ANY : at, port, family: dual ? 6 : family, wildcard, dual };
}

/**
 * A set's sockets by what they may clash on, so that each is compared with those only, not with
 * every other one (a config listing thousands of addresses took seconds): by kind and port (a
 * unix socket by its path), then by address, the wildcards of each port apart. Indexes come back
 * in the order the sockets were added.
 */
class SocketIndex {
  private readonly ports = new Map<string, { all: number[]; byAt: Map<string, number[]>; wildcards: number[] }>();

  constructor(private readonly sockets: readonly Socket[]) {}

  /** An index of every socket of `sockets`. */
  static of(sockets: readonly Socket[]): SocketIndex {
    const index = new SocketIndex(sockets);
    for (let i = 0; i < sockets.length; i++) index.add(i);
    return index;
  }

  add(i: number): void {
    const socket = this.sockets[i]!;
    const key = portKey(socket);
    let port = this.ports.get(key);
    if (!port) this.ports.set(key, (port = { all: [], byAt: new Map(), wildcards: [] }));
    port.all.push(i);
    if (socket.wildcard) port.wildcards.push(i);
    else {
      const same = port.byAt.get(socket.at);
      if (same) same.push(i);
      else port.byAt.set(socket.at, [i]);
    }
  }

  /** The sockets added that `overlaps` may find clashing with `b`, in the order they were added. */
  mayOverlap(b: Socket): readonly number[] {
    const port = this.ports.get(portKey(b));
    if (!port) return [];
    // A wildcard may hold any address of the port; an address clashes with itself and with wildcards.
    if (b.wildcard || b.kind === "unix") return port.all;
    const same = port.byAt.get(b.at) ?? [];
    return port.wildcards.length === 0 ? same : [...same, ...port.wildcards].sort((x, y) => x - y);
  }
}

function portKey(socket: Socket): string {
  return socket.kind === "unix" ? `unix ${socket.at}` : `${socket.kind} ${socket.port}`;
}

/** Whether Linux refuses to bind `b` while `a` is bound (the rule is the same both ways). */
function overlaps(a: Socket, b: Socket): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "unix") return a.at === b.at;
  if (a.port !== b.port) return false;
  if (a.family !== b.family) return a.dual || b.dual;
  return a.at === b.at || a.wildcard || b.wildcard;
}

/**
 * The issue about `b`'s key when it clashes with the sockets of `clashing` (one key's): an
 * error when a daemon can fail to start (a socket it cannot do without), else a warning
 * saying what happens instead. Several of one key on `b`'s very socket are named together.
 * Each address is named as its file holds it (`written`), then what it is listened on as.
 */
function clashIssue(
  clashing: readonly Socket[],
  b: Socket,
  who: { same: string } | { owner: string; other: string },
): Issue | undefined {
  const overlapping = clashing.filter((socket) => overlaps(socket, b));
  if (overlapping.length === 0) return undefined;
  const spelled = (s: Socket) => trimMultiaddr(s.listener.address);
  // The one named: b's own address where the other key has it, then the one a daemon needs.
  const a =
    overlapping.find((s) => spelled(s) === spelled(b)) ??
    overlapping.find((s) => !s.listener.optional) ??
    overlapping[0]!;
  const alike = overlapping.filter((s) => sameSocket(s, b));
  const same = "same" in who;
  const named = (s: Socket, label: string) => {
    if (s.listener.key !== "") return same ? `"${s.listener.key}"` : `${label} "${s.listener.key}"`;
    return `${same ? "its" : `${label}'s`} ${s.listener.name ?? "socket"}`;
  };
  const [owner, other] = same ? [who.same, who.same] : [who.owner, who.other];
  const otherSide = named(a, other);
  const alikeShown = [...new Set(alike.map(shownAddress))];
  const where = !sameSocket(a, b)
    ? `, and ${otherSide} on ${shownAddress(a)}: one socket, as ${whyOne(a, b)}`
    : alike.length > 1
      ? `, as ${otherSide} does (${alikeShown.join(", ")})`
      : spelled(a) === spelled(b) && shownAddress(a) === a.listener.address && shownAddress(b) === b.listener.address
        ? `, as ${otherSide} does`
        : `, as ${otherSide} does (${shownAddress(a)})`;
  const subject = b.listener.key === "" ? `the ${b.listener.name ?? "socket"} ` : "";
  // The worst of what the clashes lead to: one socket the other daemon cannot do without is enough.
  const labels = same ? { same: owner } : { owner, other };
  const { severity, outcome } =
    overlapping.map((s) => consequence(s, b, labels)).find((c) => c.severity === "error") ?? consequence(a, b, labels);
  const rewritten = writtenNotes([
    { label: same ? "its" : `${owner}'s`, sockets: [b] },
    { label: same ? "its" : `${other}'s`, sockets: overlapping.filter((s) => sameSocket(s, a)) },
  ]);
  const variables = [
    ...new Set([b, ...overlapping].flatMap((s) => (s.listener.variable ? [s.listener.variable] : []))),
  ];
  return {
    key: b.listener.key,
    message: `${subject}listens on ${shownAddress(b)}${where}: ${outcome}${rewritten}`,
    severity,
    ...(same ? {} : { daemon: owner }),
    ...(variables.length > 0 ? { variables } : {}),
  };
}

/** A socket's address as the daemon's file holds it. */
function shownAddress(s: Socket): string {
  const address = s.listener.written?.address ?? s.listener.address;
  return s.listener.variable ? `${address} (from ${s.listener.variable})` : address;
}

/**
 * What the named addresses a daemon rewrites before it listens are listened on as, and why:
 * ` (beta's /ip4/0.0.0.0/udp/4001/quic is listened on as /ip4/0.0.0.0/udp/4001/quic-v1: …)`, or "".
 */
function writtenNotes(sides: readonly { label: string; sockets: readonly Socket[] }[]): string {
  const notes: string[] = [];
  for (const { label, sockets } of sides) {
    const groups = new Map<string, { from: string; why: string; listened: string[] }>();
    for (const { listener } of sockets) {
      if (!listener.written) continue;
      const { address: from, why } = listener.written;
      const group = groups.get(`${from}\u0000${why}`) ?? { from, why, listened: [] };
      groups.set(`${from}\u0000${why}`, group);
      if (!group.listened.includes(listener.address)) group.listened.push(listener.address);
    }
    for (const { from, why, listened } of groups.values())
      notes.push(`${label} ${from} is listened on as ${listened.join(", ")}: ${why}`);
  }
  return notes.length === 0 ? "" : ` (${notes.join("; ")})`;
}

/** What two listens on one socket lead to, with the daemons' labels when they are two. */
function consequence(
  a: Socket,
  b: Socket,
  labels: { same: string } | { owner: string; other: string },
): { severity: Issue["severity"]; outcome: string } {
  const inUse = '("address already in use")';
  if (a.kind === "tcp" && a.listener.reusePort && b.listener.reusePort) {
    return {
      severity: "warning",
      outcome:
        `both bind it with SO_REUSEPORT and start, and the kernel hands each new connection to either of them ` +
        "(a peer that dials one may reach the other)",
    };
  }
  const [aNeeded, bNeeded] = [!a.listener.optional, !b.listener.optional];
  if (!aNeeded && !bNeeded) {
    return {
      severity: "warning",
      outcome: `the one that listens second cannot listen there ${inUse} and starts without it`,
    };
  }
  if ("same" in labels)
    return { severity: "error", outcome: `the second listen fails ${inUse} and ${labels.same} stops` };
  if (aNeeded && bNeeded)
    return { severity: "error", outcome: `the one started second cannot listen there ${inUse} and stops` };
  const [needed, other] = aNeeded ? [labels.other, labels.owner] : [labels.owner, labels.other];
  return {
    severity: "error",
    outcome: `${needed} stops if it starts second ${inUse}; started first, it leaves ${other} without this address`,
  };
}

function sameSocket(a: Socket, b: Socket): boolean {
  return a.at === b.at && a.port === b.port && a.family === b.family && a.dual === b.dual;
}

/** Why two sockets that are not the same one clash: a wildcard covers the other. */
function whyOne(a: Socket, b: Socket): string {
  const dual = a.dual ? a : b.dual ? b : undefined;
  if (dual) {
    return (
      `${shownAddress(dual)} is port ${dual.port} on every IPv4 and IPv6 address ` +
      `(Go's "${dual.kind}" network on a wildcard: one IPv6 socket that takes IPv4 too)`
    );
  }
  const wide = a.wildcard ? a : b;
  return `${shownAddress(wide)} is port ${wide.port} on every IPv${wide.family} address`;
}

/** An IPv6 address (as `ipFamily` takes it) as eight lowercase hex groups without leading zeros. */
function canonicalIPv6(text: string): string {
  let address = text.toLowerCase();
  const last = address.lastIndexOf(":");
  const tail = address.slice(last + 1);
  if (tail.includes(".")) {
    const [a, b, c, d] = tail.split(".").map(Number) as [number, number, number, number];
    address = `${address.slice(0, last + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = address.split("::") as [string, string | undefined];
  const front = head === "" ? [] : head.split(":");
  const back = rest === undefined || rest === "" ? [] : rest.split(":");
  const groups = rest === undefined ? front : [...front, ...Array(8 - front.length - back.length).fill("0"), ...back];
  return groups.map((group) => Number.parseInt(group, 16).toString(16)).join(":");
}
