import { decodesAsPeerId } from "./libp2p.ts";

// Multiaddr text form (multiformats/multiaddr, go-multiaddr protocols.go): `/proto/value`
// segments; each protocol either takes no value, a value of a fixed kind, or (unix, and
// the path protocols) the rest of the address.

type ValueKind = "none" | "ip4" | "ip6" | "port" | "dns" | "peer" | "path" | "text" | "ipcidr";

/** The protocols kitcfg recognises, with the kind of value each takes. */
const PROTOCOLS: Record<string, ValueKind> = {
  ip4: "ip4",
  ip6: "ip6",
  ip6zone: "text",
  ipcidr: "ipcidr",
  dns: "dns",
  dns4: "dns",
  dns6: "dns",
  dnsaddr: "dns",
  tcp: "port",
  udp: "port",
  dccp: "port",
  sctp: "port",
  p2p: "peer",
  ipfs: "peer",
  unix: "path",
  "p2p-circuit": "none",
  "p2p-webrtc-direct": "none",
  quic: "none",
  "quic-v1": "none",
  webtransport: "none",
  webrtc: "none",
  "webrtc-direct": "none",
  http: "none",
  https: "none",
  "http-path": "text",
  tls: "none",
  sni: "dns",
  noise: "none",
  ws: "none",
  wss: "none",
  certhash: "text",
  utp: "none",
  udt: "none",
  onion: "text",
  onion3: "text",
  garlic32: "text",
  garlic64: "text",
  memory: "text",
};

/** Why `text` is not a valid multiaddr, or undefined when it is. */
export function multiaddrProblem(text: string): string | undefined {
  if (typeof text !== "string") return "a multiaddr starts with /";
  // One native regex match for the usual shapes: a big config holds a hundred thousand addresses.
  common ??= commonMultiaddr();
  return common.test(text) ? undefined : multiaddrProblemByParts(text);
}

/**
 * `multiaddrProblem` read part by part, without the regex of the usual shapes (exported for
 * the tests that hold the regex to accepting only what this accepts).
 */
export function multiaddrProblemByParts(written: string): string | undefined {
  if (!written.startsWith("/")) return "a multiaddr starts with /";
  const text = trimMultiaddr(written);
  if (text.length <= 1 || text.charCodeAt(1) === SLASH) return "the multiaddr is empty";
  // Part by part without splitting or slicing: a big config holds a hundred thousand addresses.
  for (let at = 1; ; ) {
    const end = partEnd(text, at);
    const protocol = protocolAt(text, at, end);
    if (protocol === undefined) return `unknown protocol "${text.slice(at, end)}"`;
    const [name, kind] = protocol;
    const more = end < text.length;
    if (kind === "none") {
      if (!more) return undefined;
      at = end + 1;
      continue;
    }
    if (kind === "path") return more ? undefined : `"${name}" needs a path`;
    if (!more) return `"${name}" needs a value`;
    const valueEnd = partEnd(text, end + 1);
    if (valueEnd === end + 1) return `"${name}" needs a value`;
    if (!isPlainValue(kind, text, end + 1, valueEnd)) {
      const value = text.slice(end + 1, valueEnd);
      const problem = valueProblem(kind, value);
      if (problem) return `${name} ${JSON.stringify(value)}: ${problem}`;
    }
    if (valueEnd >= text.length) return undefined;
    at = valueEnd + 1;
  }
}

/**
 * The protocol names of a valid multiaddr, in order (`/ip4/1.2.3.4/udp/1/quic-v1` gives ip4,
 * udp, quic-v1); undefined when it is not one. go-libp2p's swarm picks the transport that
 * listens on or dials an address by its last protocol (swarm_transport.go TransportForListening).
 */
export function multiaddrProtocols(written: string): string[] | undefined {
  if (multiaddrProblem(written) !== undefined) return undefined;
  const text = trimMultiaddr(written);
  const names: string[] = [];
  for (let at = 1; at < text.length; ) {
    const end = partEnd(text, at);
    const [name, kind] = protocolAt(text, at, end)!;
    names.push(name);
    if (kind === "path") break;
    at = kind === "none" ? end + 1 : partEnd(text, end + 1) + 1;
  }
  return names;
}

/**
 * The address go-multiaddr reads from `text`: without the slashes it ends with (codec.go
 * stringToBytes: TrimRight), for comparing addresses or reading their text.
 */
export function trimMultiaddr(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === SLASH) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** True when `text` is a valid multiaddr. */
export function isMultiaddr(text: unknown): boolean {
  return typeof text === "string" && multiaddrProblem(text) === undefined;
}

/** The host and TCP port of an address like `/ip4/127.0.0.1/tcp/5001`, for comparing daemons. */
export function tcpEndpoint(text: string): { host: string; port: number } | undefined {
  const match = /^\/(ip4|ip6|dns|dns4|dns6)\/([^/]+)\/tcp\/(\d+)/.exec(text);
  return match ? { host: match[2]!, port: Number(match[3]) } : undefined;
}

/**
 * The network go-multiaddr's manet.DialArgs finds at the head of an address, which a daemon
 * then hands to Go's net.Listen or net.Dial: `tcp` or `udp` (an IP or DNS host with a port),
 * `ip` (a host alone), `unix`; undefined where DialArgs fails (/dnsaddr or /p2p first, an
 * /ip6zone not followed by /ip6). Only the head is read; what follows is not.
 */
export function dialNetwork(text: string): "tcp" | "udp" | "ip" | "unix" | undefined {
  return dialArgs(text)?.network;
}

/**
 * manet.DialArgs of an address: its network (as `dialNetwork`) and the address Go is handed:
 * `host:port` (an IPv6 host in brackets, with its /ip6zone zone after "%"; a DNS name as
 * written), the host alone without /tcp or /udp, or a unix socket's path.
 */
export function dialArgs(text: string): { network: "tcp" | "udp" | "ip" | "unix"; address: string } | undefined {
  const parts = text.split("/").slice(1);
  const at = parts[0] === "ip6zone" ? 2 : 0;
  const protocol = parts[at];
  if (at === 2 && protocol !== "ip6") return undefined;
  if (protocol === "unix") return { network: "unix", address: trimMultiaddr(text).slice("/unix".length) };
  if (!["ip4", "ip6", "dns", "dns4", "dns6"].includes(protocol ?? "")) return undefined;
  const host = at === 2 ? `${parts[at + 1]}%${parts[1]}` : parts[at + 1]!;
  const transport = parts[at + 2];
  if (transport !== "tcp" && transport !== "udp") return { network: "ip", address: host };
  return {
    network: transport,
    address: protocol === "ip6" ? `[${host}]:${parts[at + 3]}` : `${host}:${parts[at + 3]}`,
  };
}

/**
 * Whether whyrusleeping/multiaddr-filter's NewMask reads `text` (kubo's Swarm.AddrFilters,
 * lotus's Libp2p.NoAnnounceAddresses): exactly /ip4 or /ip6, an address, /ipcidr, a prefix
 * length. NewMask hands the address and length to Go's net.ParseCIDR, so either family passes
 * under either name (/ip4/::/ipcidr/0), and the length may reach the address's own bits.
 */
export function isAddressMask(text: string): boolean {
  const mask = /^\/(ip4|ip6)\/([^/]+)\/ipcidr\/(\d+)$/.exec(text);
  const family = mask ? ipFamily(mask[2]!) : 0;
  return mask !== null && family !== 0 && Number(mask[3]) <= (family === 4 ? 32 : 128);
}

/** Whether Go's net.Listen takes the address: TCP or a unix socket (daemons' HTTP listeners). */
export function isListenable(text: string): boolean {
  const network = dialNetwork(text);
  return network === "tcp" || network === "unix";
}

/**
 * Why go-libp2p's resource manager refuses `text` as an allowlist entry (rcmgr allowlist.go
 * `toIPNet`, called by `Allowlist.Add`), or undefined when it takes it; `text` must already be a
 * multiaddr, though go-multiaddr's /ipcidr takes any byte (0-255) where `multiaddrProblem` stops
 * at 128. It reads the parts in order until it has an IP, an /ipcidr and a /p2p (each the last
 * seen until then), anywhere in the address: without /ip4 or /ip6 it fails ("missing ip address"),
 * and an /ipcidr longer than the address fails Go's net.ParseCIDR (/ip4 takes 0-32).
 */
export function allowlistProblem(text: string): string | undefined {
  const parts = text.split("/").slice(1);
  let ip: string | undefined;
  let mask: string | undefined;
  let peer: string | undefined;
  for (let i = 0; i < parts.length && (ip === undefined || mask === undefined || peer === undefined); ) {
    const name = parts[i]!;
    const kind = PROTOCOLS[name];
    // A path protocol takes the rest of the address; a name kitcfg does not know ends the reading.
    if (kind === undefined || kind === "path") break;
    if (kind === "none") {
      i++;
      continue;
    }
    if (name === "ip4" || name === "ip6") ip = name;
    else if (name === "ipcidr") mask = parts[i + 1];
    else if (name === "p2p" || name === "ipfs") peer = parts[i + 1];
    i += 2;
  }
  if (ip === undefined) return "it names no /ip4 or /ip6 address";
  if (mask !== undefined && Number(mask) > (ip === "ip4" ? 32 : 128))
    return `/ipcidr/${mask} is longer than an ${ip === "ip4" ? "IPv4" : "IPv6"} address`;
  return undefined;
}

// --- internal ---

const SLASH = 47;

/**
 * The usual addresses, each of them one that the part-by-part reading below accepts (the
 * tests hold the two to that): an IPv4 address (no leading zeros), a plain IPv6 address or
 * a DNS name, a TCP or UDP port, then transports that take no value. Anything else is read
 * part by part, which says what is wrong.
 */
function commonMultiaddr(): RegExp {
  const octet = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
  const h = "[0-9a-fA-F]{1,4}";
  // 8 groups, or fewer around one "::" (head + tail <= 7).
  const ip6 = [
    `(?:${h}:){7}${h}`,
    `(?:${h}:){1,7}:`,
    `(?:${h}:){1,6}:${h}`,
    ...[5, 4, 3, 2].map((head) => `(?:${h}:){1,${head}}(?::${h}){1,${7 - head}}`),
    `${h}:(?::${h}){1,6}`,
    `:(?:(?::${h}){1,7}|:)`,
  ].join("|");
  const dns = "[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?\\.?";
  const port = "(?:\\d{1,4}|[0-5]\\d{4}|6[0-4]\\d{3}|65[0-4]\\d\\d|655[0-2]\\d|6553[0-5])";
  const bare = Object.keys(PROTOCOLS).filter((name) => PROTOCOLS[name] === "none");
  return new RegExp(
    `^/(?:ip4/${octet}(?:\\.${octet}){3}|ip6/(?:${ip6})|(?:dns|dns4|dns6|dnsaddr)/${dns})` +
      `/(?:tcp|udp)/${port}(?:/(?:${bare.join("|")}))*$`,
  );
}

/** `commonMultiaddr()`, made on first use. */
let common: RegExp | undefined;

/**
 * The protocols by the length and first letter of their name, each with its name and kind:
 * a part of an address is found among one or two names compared in place, where looking it
 * up by name would first cut it out of the address as a string of its own. Made on first use.
 */
let byShape: Map<number, [string, ValueKind][]> | undefined;

function shapeOf(length: number, first: number): number {
  return length * 65536 + first;
}

/** The protocol named by `text` from `at` to `end`, or undefined for an unknown name. */
function protocolAt(text: string, at: number, end: number): [string, ValueKind] | undefined {
  if (!byShape) {
    byShape = new Map();
    for (const [name, kind] of Object.entries(PROTOCOLS)) {
      const shape = shapeOf(name.length, name.charCodeAt(0));
      byShape.set(shape, [...(byShape.get(shape) ?? []), [name, kind]]);
    }
  }
  const candidates = byShape.get(shapeOf(end - at, text.charCodeAt(at)));
  if (candidates) for (const candidate of candidates) if (text.startsWith(candidate[0], at)) return candidate;
  return undefined;
}

/**
 * The common values, checked where they stand in the address: an IPv4 address, a port, a
 * plain IPv6 address. False means "not one of those, or not valid": `valueProblem` says which.
 */
function isPlainValue(kind: ValueKind, text: string, from: number, to: number): boolean {
  if (kind === "ip4") return isIPv4In(text, from, to);
  if (kind === "port") return isPortIn(text, from, to);
  if (kind === "ip6") return isPlainIPv6In(text, from, to);
  return false;
}

/** Decimal digits only, 0-65535 (leading zeros allowed, as `Number` reads them). */
function isPortIn(text: string, from: number, to: number): boolean {
  let port = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
    port = port * 10 + (c - 48);
    if (port > 65535) return false;
  }
  return to > from;
}

/** Where the part starting at `at` ends: the next slash, or the end of the text. */
function partEnd(text: string, at: number): number {
  const slash = text.indexOf("/", at);
  return slash === -1 ? text.length : slash;
}

function valueProblem(kind: ValueKind, value: string): string | undefined {
  switch (kind) {
    // go-multiaddr transcoders.go: ip4 is net.ParseIP(s).To4(), which an IPv4-mapped IPv6
    // address passes; ip6 is net.ParseIP(s).To16(), which a plain IPv4 address passes.
    case "ip4":
      return isIPv4(value) || isIPv4Mapped(value) ? undefined : "not an IPv4 address";
    case "ip6":
      return isIPv6(value) || isIPv4(value) ? undefined : "not an IPv6 address";
    case "port": {
      const port = Number(value);
      return /^\d+$/.test(value) && port <= 65535 ? undefined : "not a port number (0-65535)";
    }
    // go-multiaddr transcoders.go dnsVal: any name that is not empty (a slash ends the part):
    // AutoTLS listens on /tls/sni/*.libp2p.direct/ws.
    case "dns":
      return value === "" ? "empty name" : undefined;
    case "peer":
      // go-multiaddr p2pStB reads the value as peer.Decode does.
      return decodesAsPeerId(value) ? undefined : "not a peer ID";
    case "ipcidr":
      return /^\d{1,3}$/.test(value) && Number(value) <= 128 ? undefined : "not a prefix length";
    default:
      return undefined;
  }
}

/**
 * 4 or 6 for an IP address as Go's net.ParseIP reads it (no zone: `fe80::1%eth0` is none,
 * unlike node:net's `isIP`), 0 otherwise; without the milliseconds node:net's first use
 * costs at start-up (measured with --cpu-prof on the compiled binary).
 */
export function ipFamily(text: string): 0 | 4 | 6 {
  if (isIPv4(text)) return 4;
  return isIPv6(text) ? 6 : 0;
}

// --- internal (IP addresses) ---

function isIPv4(text: string): boolean {
  return isIPv4In(text, 0, text.length);
}

/** `isIPv4` of `text` from `from` to `to`. */
function isIPv4In(text: string, from: number, to: number): boolean {
  // Four decimal octets 0-255 without leading zeros, read character by character.
  let octets = 0;
  let value = 0;
  let digits = 0;
  for (let i = from; i <= to; i++) {
    const c = i < to ? text.charCodeAt(i) : 46; // "." ends the last octet
    if (c === 46) {
      if (digits === 0 || value > 255 || ++octets > 4) return false;
      [value, digits] = [0, 0];
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && value === 0) return false; // a leading zero
      value = value * 10 + (c - 48);
      if (++digits > 3) return false;
    } else return false;
  }
  return octets === 4;
}

function isIPv6(text: string): boolean {
  return isPlainIPv6(text) || isIPv6Slow(text);
}

/**
 * True for the common spelling, hex groups of 1-4 digits, 8 of them or fewer around one
 * `::`, found by reading the characters once; anything else (a zone, an IPv4 tail, odd
 * colons) gets false here and `isIPv6Slow`'s answer.
 */
function isPlainIPv6(text: string): boolean {
  return isPlainIPv6In(text, 0, text.length);
}

/** `isPlainIPv6` of `text` from `from` to `to`. */
function isPlainIPv6In(text: string, from: number, to: number): boolean {
  let double = text.indexOf("::", from);
  if (double + 2 > to) double = -1;
  if (double === -1) return hexGroups(text, from, to) === 8;
  const head = double === from ? 0 : hexGroups(text, from, double);
  const tail = double + 2 === to ? 0 : hexGroups(text, double + 2, to);
  return head >= 0 && tail >= 0 && head + tail < 8;
}

/** How many hex groups of 1-4 digits, between single colons, `text` holds from `from` to `to`; -1 for anything else. */
function hexGroups(text: string, from: number, to: number): number {
  let groups = 0;
  let digits = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 58) {
      if (digits === 0) return -1;
      groups++;
      digits = 0;
      continue;
    }
    const hex = (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
    if (!hex || ++digits > 4) return -1;
  }
  return digits === 0 ? -1 : groups + 1;
}

/**
 * An IPv6 address in the IPv4-mapped range (`::ffff:1.2.3.4`, `0:0:0:0:0:ffff:102:304`),
 * whose 16 bytes Go's `IP.To4` turns into IPv4.
 */
function isIPv4Mapped(text: string): boolean {
  if (!isIPv6(text)) return false;
  const tail = text.slice(text.lastIndexOf(":") + 1);
  // The IPv4 part as two hex groups, so that every spelling is 8 groups once "::" is filled.
  const groups = (tail.includes(".") ? `${text.slice(0, -tail.length)}0:0` : text).toLowerCase().split("::");
  const head = groups[0] ? groups[0].split(":") : [];
  const rest = groups.length > 1 && groups[1] ? groups[1].split(":") : [];
  const all = [...head, ...Array(8 - head.length - rest.length).fill("0"), ...rest].map((g) => Number.parseInt(g, 16));
  return all.slice(0, 5).every((g) => g === 0) && all[5] === 0xffff;
}

function isIPv6Slow(text: string): boolean {
  // Go's net.ParseIP takes no zone (a multiaddr writes one as /ip6zone/NAME).
  if (text.includes("%")) return false;
  // A colon at either end belongs to a "::" (`::fffe:` is no address).
  if (/^:(?!:)|(?<!:):$/.test(text)) return false;
  let groups = text.split(":");
  const last = groups[groups.length - 1]!;
  let budget = 8;
  if (last.includes(".")) {
    if (!isIPv4(last)) return false;
    groups = groups.slice(0, -1);
    budget = 6;
  }
  const double = text.indexOf("::");
  if (double !== text.lastIndexOf("::")) return false;
  if (double >= 0) {
    const hexPart = last.includes(".") ? text.slice(0, text.length - last.length) : text;
    const [head, tail] = hexPart.split("::") as [string, string];
    const count = (part: string) => (part === "" ? 0 : part.split(":").length);
    const known = [...(head ? head.split(":") : []), ...(tail ? tail.split(":").filter((g) => g !== "") : [])];
    return count(head) + count(tail.replace(/:$/, "")) < budget && known.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g));
  }
  return groups.length === budget && groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g));
}
