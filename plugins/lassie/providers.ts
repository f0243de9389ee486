import { decodesAsPeerId } from "kitcfg";
import { multiaddrProblem, tcpEndpoint } from "kitcfg";

// What `lassie daemon --providers` accepts, after lassie's own parser (filecoin-project/lassie
// pkg/types/request.go `ParseProviderStrings`, pkg/heyfil/heyfil.go; FORMATS.md §3):
// - an http(s) URL without a path (a made-up peer ID is used for it);
// - `f0<digits>`, a Filecoin storage provider's actor id, looked up on heyfil at start;
// - a multiaddr, optionally followed by `+bitswap`, `+graphsync` or `+http` protocol hints.
//   `/p2p/<peer ID>` may end it; without one the address must speak http(s).

/** Why lassie would refuse `text` as a provider; undefined when it accepts it. */
export function providerProblem(text: string): string | undefined {
  if (/^https?:\/\//.test(text)) return urlProblem(text);
  if (/^f0\d+$/.test(text)) return undefined;
  if (/^[^/:\s]+:\d+$/.test(text)) {
    return (
      'is "host:port", the older tool\'s form, which lassie cannot read: ' +
      "give a multiaddr with /p2p/<peer ID>, an http(s) URL or an f0 actor id"
    );
  }
  const address = text.replace(/(\+(bitswap|graphsync|http))+$/, "");
  const problem = multiaddrProblem(address);
  if (problem) return `is not a multiaddr, an http(s) URL or an f0 actor id: ${problem}`;
  const p2p = /\/(p2p|ipfs)\/[^/]+/.exec(address);
  if (p2p && p2p.index + p2p[0].length !== address.length)
    return "has /p2p/<peer ID> before its end: the peer ID must come last";
  if (p2p?.index === 0) return "has a peer ID but no address to reach it at (lassie needs the transport)";
  if (!p2p && !/\/https?(\/|$)/.test(address))
    return "has no /p2p/<peer ID>: lassie needs one unless the address speaks http(s)";
  return undefined;
}

/** Why lassie would refuse `text` in `--exclude-providers` (it decodes each as a peer ID). */
export function excludedProblem(text: string): string | undefined {
  // peer.Decode also takes a libp2p-key CID (base32 "bafz…").
  return decodesAsPeerId(text) ? undefined : "is not a peer ID";
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

function urlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "is not a valid URL";
  }
  // lassie rejects any path (datamodel.ParsePath(u.Path).Len() != 0): "/" alone is fine.
  if (url.pathname.split("/").some((segment) => segment !== ""))
    return `has a path (${url.pathname}), which lassie does not support: give the server's root`;
  return undefined;
}
