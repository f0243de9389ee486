import { ipFamily } from "./multiaddr.ts";

// How Go's net/url reads a URL (src/net/url/url.go `Parse`, `ParseRequestURI`), for the URLs a
// Go daemon parses when it starts (servers to fetch from, a configuration's address). Go is
// stricter than the WHATWG parser JavaScript has in a few places, and those are what this file
// is for: every `%` must start two hex digits; a host takes only letters, digits and
// -._~!$&'()*+,;=:[]<>" (a `%XX` there only for a byte of 0x80 or more, or `%25`); userinfo
// takes a narrower set. WHATWG instead keeps a bad escape, reads `\` as `/`, drops a trailing
// blank and takes `{`, `}` or a backtick in a host name.

/**
 * What Go's parser makes of a URL: its scheme (lower case, as Go keeps it), host and port
 * as written ("" when absent) and its unescaped path, or the reason it refuses the text.
 */
export type GoUrl =
  | { scheme: string; host: string; port: string; path: string; problem?: undefined }
  | { path?: undefined; problem: string };

/**
 * `text`, an absolute URL, read as Go's url.Parse reads it, or as url.ParseRequestURI with
 * `request` (no fragment: a `#` is part of whatever it is in). Only the parts Go judges are read.
 */
export function parseGoUrl(text: string, request = false): GoUrl {
  let rest = text;
  if (!request) {
    const hash = text.indexOf("#");
    if (hash >= 0) {
      const problem = unescapeProblem(text.slice(hash + 1), "fragment");
      if (problem) return { problem };
      rest = text.slice(0, hash);
    }
  }
  if (/[\x00-\x1f\x7f]/.test(rest)) return { problem: "it holds a control character" };
  if (rest === "" && request) return { problem: "it is empty" };
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(rest)?.[0];
  if (rest.startsWith(":")) return { problem: "it has no scheme before the colon" };
  if (scheme) rest = rest.slice(scheme.length);
  rest = rest.endsWith("?") && rest.indexOf("?") === rest.length - 1 ? rest.slice(0, -1) : rest.split("?")[0]!;
  const read = { scheme: scheme?.slice(0, -1).toLowerCase() ?? "", host: "", port: "" };
  if (!rest.startsWith("/")) {
    if (scheme) return { ...read, path: "" };
    if (request) return { problem: "it is neither an absolute URL nor an absolute path" };
    // Without a scheme, a colon before the first "/" would read as one: Go refuses it.
    if (rest.split("/", 1)[0]!.includes(":")) return { problem: "its first path segment holds a colon (no scheme)" };
  }
  if ((scheme || (!request && !rest.startsWith("///"))) && rest.startsWith("//")) {
    const slash = rest.indexOf("/", 2);
    const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    rest = slash < 0 ? "" : rest.slice(slash);
    const problem = authorityProblem(authority);
    if (problem) return { problem };
    const hostPort = authority.slice(authority.lastIndexOf("@") + 1);
    // A port follows the last ":", after the "]" of an IPv6 host.
    const colon = hostPort.lastIndexOf(":");
    const split = colon > hostPort.lastIndexOf("]") ? colon : hostPort.length;
    [read.host, read.port] = [hostPort.slice(0, split), hostPort.slice(split + 1)];
  }
  const path = goUnescape(rest, "path");
  return typeof path === "string" ? { ...read, path } : path;
}

// --- internal ---

type Mode = "host" | "zone" | "path" | "user" | "fragment";

/** Go's parseAuthority and parseHost: userinfo before the last "@", then host[:port]. */
function authorityProblem(authority: string): string | undefined {
  const at = authority.lastIndexOf("@");
  const host = authority.slice(at + 1);
  if (at >= 0) {
    const user = authority.slice(0, at);
    if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(user)) return "its user information holds a character Go refuses";
    const problem = unescapeProblem(user, "user");
    if (problem) return problem;
  }
  // Go 1.24.8 and 1.25.2 on (CVE-2025-47912; every daemon here is built with a later Go): a "[" only
  // at the start, and in brackets an IPv6 address as netip.ParseAddr reads it, zone included.
  const open = host.lastIndexOf("[");
  if (open > 0) return 'its host has a "[" after its start (Go: "invalid IP-literal")';
  if (open === 0) {
    const close = host.lastIndexOf("]");
    if (close < 0) return 'its host has no "]"';
    if (!/^(:\d*)?$/.test(host.slice(close + 1))) return "its port is not a number";
    const inside = host.slice(1, close);
    const zone = inside.indexOf("%25");
    const address = goUnescape(zone < 0 ? inside : inside.slice(0, zone), "host");
    if (typeof address !== "string") return address.problem;
    const zoneName = zone < 0 ? "" : goUnescape(inside.slice(zone), "zone");
    if (typeof zoneName !== "string") return zoneName.problem;
    return ipLiteralProblem(address + zoneName);
  }
  if (host.includes(":") && !/^\d*$/.test(host.slice(host.lastIndexOf(":") + 1))) {
    return "its port is not a number";
  }
  return unescapeProblem(host, "host");
}

/**
 * Why Go refuses `text`, a host in brackets with its escapes decoded: netip.ParseAddr must read it
 * as an IPv6 address, with a zone that is not empty after a "%", and an IPv4 address is refused
 * ("invalid IP-literal"), an IPv4-mapped one not.
 */
function ipLiteralProblem(text: string): string | undefined {
  const percent = text.indexOf("%");
  const family = ipFamily(percent < 0 ? text : text.slice(0, percent));
  if (family === 4 && percent < 0) return 'its host in brackets is an IPv4 address (Go: "invalid IP-literal")';
  if (family !== 6) return "its host in brackets is not an IPv6 address";
  return percent === text.length - 1 ? "its IPv6 zone after % is empty" : undefined;
}

function unescapeProblem(text: string, mode: Mode): string | undefined {
  const read = goUnescape(text, mode);
  return typeof read === "string" ? undefined : read.problem;
}

/** Go's unescape: the text with each %XX decoded (as UTF-8), or why Go refuses it. */
function goUnescape(text: string, mode: Mode): string | { problem: string } {
  const bytes = new TextEncoder().encode(text);
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === PERCENT) {
      const high = hexValue(bytes[i + 1]);
      const low = hexValue(bytes[i + 2]);
      const written = new TextDecoder().decode(bytes.slice(i, i + 3));
      if (high === undefined || low === undefined)
        return { problem: `${JSON.stringify(written)} is not an escape (% and two hex digits)` };
      const value = (high << 4) | low;
      // A host escapes only bytes of 0x80 or more (RFC 3986), or "%25" before an IPv6 zone.
      if (mode === "host" && high < 8 && written !== "%25")
        return { problem: `its host escapes ${JSON.stringify(written)}, which Go allows for non-ASCII bytes only` };
      if (mode === "zone" && written !== "%25" && value !== SPACE && !isHostByte(value))
        return { problem: `its IPv6 zone escapes ${JSON.stringify(written)}, which Go refuses` };
      out.push(value);
      i += 2;
      continue;
    }
    if ((mode === "host" || mode === "zone") && byte < 0x80 && !isHostByte(byte))
      return { problem: `its host holds ${JSON.stringify(String.fromCharCode(byte))}, which Go refuses in a host` };
    out.push(byte);
  }
  return new TextDecoder().decode(new Uint8Array(out));
}

const PERCENT = 0x25;
const SPACE = 0x20;

/** An ASCII byte Go's shouldEscape lets stand in a host (url.go, encodeHost). */
function isHostByte(byte: number): boolean {
  return /[A-Za-z0-9\-_.~!$&'()*+,;=:[\]<>"]/.test(String.fromCharCode(byte));
}

function hexValue(byte: number | undefined): number | undefined {
  if (byte === undefined) return undefined;
  const value = Number.parseInt(String.fromCharCode(byte), 16);
  return Number.isNaN(value) ? undefined : value;
}
