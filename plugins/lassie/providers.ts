import { decodesAsPeerId, parseGoUrl } from "kitcfg";
import type { PluginIssue } from "kitcfg";
import { multiaddrProblem, multiaddrProtocols, tcpEndpoint } from "kitcfg";

// What `lassie daemon --providers` accepts, after lassie's own parser (filecoin-project/lassie
// pkg/types/request.go `ParseProviderStrings`, pkg/heyfil/heyfil.go; FORMATS.md §3):
// - an http(s) URL without a path (a made-up peer ID is used for it);
// - `f0<digits>`, a Filecoin storage provider's actor id, looked up on heyfil at start;
// - a multiaddr, optionally followed by `+bitswap`, `+graphsync` or `+http` protocol hints.
//   `/p2p/<peer ID>` may end it; without one the address must speak http(s).

/** Why lassie would refuse `text` as a provider; undefined when it accepts it. */
export function providerProblem(text: string): string | undefined {
  if (text.startsWith("http://") || text.startsWith("https://")) return urlProblem(text);
  if (/^f0\d+$/.test(text)) return undefined;
  if (/^[^/:\s]+:\d+$/.test(text)) {
    return (
      'is "host:port", the older tool\'s form, which lassie cannot read: ' +
      "give a multiaddr with /p2p/<peer ID>, an http(s) URL or an f0 actor id"
    );
  }
  // Split at every "+": hints follow the address, and a "+" before the first hint is dropped.
  const [address, ...parts] = text.split("+");
  let hinted = false;
  let joined = address!;
  for (const part of parts) {
    if (HINTS.includes(part)) hinted = true;
    else if (hinted) return `has an unknown protocol hint "+${part}": use +bitswap, +graphsync or +http`;
    else joined += part;
  }
  const problem = multiaddrProblem(joined);
  if (problem) return `is not a multiaddr, an http(s) URL or an f0 actor id: ${problem}`;
  // peer.SplitAddr takes the peer ID from the last part only; without one, an http(s) protocol
  // anywhere in the address stands in for it.
  const protocols = multiaddrProtocols(joined)!;
  const peers = protocols.filter((name) => name === "p2p" || name === "ipfs").length;
  const peerLast = protocols.at(-1) === "p2p" || protocols.at(-1) === "ipfs";
  if (peerLast && protocols.length === 1)
    return "has a peer ID but no address to reach it at (lassie needs the transport)";
  if (peerLast || protocols.includes("http") || protocols.includes("https")) return undefined;
  return peers > 0
    ? "has /p2p/<peer ID> before its end: the peer ID must come last"
    : "has no /p2p/<peer ID>: lassie needs one unless the address speaks http(s)";
}

/** Why lassie would refuse `text` in `--exclude-providers` (it decodes each as a peer ID). */
export function excludedProblem(text: string): string | undefined {
  // peer.Decode also takes a libp2p-key CID (base32 "bafz…").
  return decodesAsPeerId(text) ? undefined : "is not a peer ID";
}

/**
 * main.go buildLassieConfigFromCLIContext (l. 93-113) reads the endpoint with Go's
 * url.ParseRequestURI, and stops on an error, only when no provider is given; with providers it
 * logs "Ignoring ipni-endpoint flag since direct provider is specified" and starts (its own test,
 * cmd/lassie/daemon_test.go "with bad ipni endpoint", gives "not-a-url" with no provider).
 * The indexer client then asks it over HTTP, so another scheme or no host fails every lookup.
 */
export function ipniIssues(endpoint: string | undefined, withProviders: boolean): PluginIssue[] {
  if (endpoint === undefined) return [];
  const read = parseGoUrl(endpoint, true);
  const problem =
    read.problem ??
    (read.scheme !== "http" && read.scheme !== "https"
      ? "expected an http(s) URL: lassie asks the indexer over HTTP"
      : read.host === ""
        ? "it has no host"
        : undefined);
  if (problem === undefined) return [];
  if (!withProviders) return [{ key: "ipni_endpoint", message: `is not a URL lassie can read: ${problem}` }];
  return [
    {
      key: "ipni_endpoint",
      severity: "warning",
      message:
        `is not a URL lassie can read (${problem}): lassie ignores it while providers are given, ` +
        "and would refuse to start without them",
    },
  ];
}

/** Host and port a provider points at, for comparing with another daemon's listen address. */
export function providerEndpoint(text: string): { host: string; port: number } | undefined {
  if (/^https?:\/\//.test(text)) {
    try {
      const url = new URL(text);
      return {
        host: url.hostname.replace(/^\[|\]$/g, ""),
        port: Number(url.port || (url.protocol === "https:" ? 443 : 80)),
      };
    } catch {
      return undefined;
    }
  }
  const hostPort = /^([^/:\s]+):(\d+)$/.exec(text);
  if (hostPort) return { host: hostPort[1]!, port: Number(hostPort[2]) };
  return tcpEndpoint(text);
}

/** True when a client at `target` reaches a server listening on `listen` (a wildcard listens on every address). */
export function reaches(target: { host: string; port: number }, listen: { host: string; port: number }): boolean {
  if (target.port !== listen.port) return false;
  const norm = (host: string) => (host === "localhost" || host === "::1" ? "127.0.0.1" : host);
  return listen.host === "0.0.0.0" || listen.host === "::" || norm(target.host) === norm(listen.host);
}

// --- internal ---

/** The protocol hints ParseProviderStrings reads after a "+". */
const HINTS = ["bitswap", "graphsync", "http"];

/**
 * ParseProviderStrings reads an http(s) provider with Go's url.Parse, which refuses what the
 * WHATWG parser mends (a bad escape, a `\` or `{` in the host), and then wants no path:
 * datamodel.ParsePath(u.Path).Len() == 0, where ParsePath drops empty segments ("/" and "//"
 * pass) but keeps "." and "..", which WHATWG would resolve away.
 */
function urlProblem(text: string): string | undefined {
  const read = parseGoUrl(text);
  if (read.problem !== undefined) return `is not a URL lassie can read: ${read.problem}`;
  if (/[^/]/.test(read.path)) return `has a path (${read.path}), which lassie does not support: give the server's root`;
  // go-libipni v0.6.14 maurl.FromURL builds /ip4 or /ip6 from a host net.ParseIP reads, else /dns
  // (go-multiaddr v0.16.1 dnsVal: any name but an empty one, so an IPv6 zone too), and /tcp from
  // the port (strconv.ParseUint(port, 10, 16)).
  if (read.host === "") return "has no host: give the server's name or address";
  return Number(read.port) > 65535 ? `has the port ${read.port}, past 65535` : undefined;
}
