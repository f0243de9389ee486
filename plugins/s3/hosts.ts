import type { PluginIssue } from "kitcfg";

// Facts: tests/fixtures/FORMATS.md §16 (s3cmd). How s3cmd turns host_base, host_bucket and
// proxy_host into a connection, at every request: S3/S3.py `get_hostname` (lower case, the
// scheme's default port dropped), S3/Utils.py `getHostnameFromBucket` / `getBucketFromHostname`
// (host_bucket % {"bucket": …}), S3/ConnMan.py `http_connection` (urlparse("https://" + host),
// then http.client.HTTPConnection(hostname, port)). Python's parts: urllib/parse.py `urlsplit`,
// `_check_bracketed_host`, `port`; http/client.py `_get_hostport`, `_validate_host`; ipaddress.py
// `IPv6Address` (for [] and a proxy's address; node:net would cost every command at start-up).

/**
 * host_base, host_bucket and proxy_host as s3cmd connects with them at every request
 * (below). A "$NAME" value is read from the environment: the plugin warns about it elsewhere.
 */
export function hostIssues(config: Record<string, string | number | boolean>): PluginIssue[] {
  const proxy = typeof config.proxy_host === "string" ? config.proxy_host : "";
  const options = { https: config.use_https !== false, proxied: proxy !== "" };
  const fix = "write host[:port], as in s3.amazonaws.com or minio.lab:9000";
  const issues: PluginIssue[] = [];
  const base = hostText(config.host_base);
  const baseProblem = base === undefined ? undefined : endpointProblem(base, options);
  if (baseProblem !== undefined)
    issues.push({ key: "host_base", message: `${baseProblem}: s3cmd fails every request; ${fix}` });
  // get_hostname fills in the lower-cased template; a template without "%(bucket)s" is never dialled.
  const template = hostText(config.host_bucket);
  if (template?.includes("%(bucket)s")) {
    const filled = template.toLowerCase().replace(/%%|%\(bucket\)s/g, (token) => (token === "%%" ? "%" : "bucket"));
    const problem = hostBucketTemplateProblem(template) ?? endpointProblem(filled, options);
    if (problem !== undefined)
      issues.push({
        key: "host_bucket",
        message: `${problem}: s3cmd fails every request to a bucket; ${fix}, with %(bucket)s for the bucket name`,
      });
  }
  const proxyProblem = proxy === "" || proxy.startsWith("$") ? undefined : proxyHostProblem(proxy);
  if (proxyProblem !== undefined)
    issues.push({
      key: "proxy_host",
      message:
        `${proxyProblem}: s3cmd cannot reach the proxy; ` +
        "give its host name or IP address only (IPv6 without []), and its port in proxy_port",
    });
  return issues;
}

// --- internal ---

/** What s3cmd needs to know to read a host: its scheme (use_https) and whether a proxy is dialled instead. */
interface HostOptions {
  https: boolean;
  proxied: boolean;
}

/**
 * Why s3cmd cannot connect to `host`, a host_base or a host_bucket with its bucket filled in
 * (the text after s3cmd's own http(s):// strip); undefined when it can.
 */
function endpointProblem(host: string, options: HostOptions): string | undefined {
  // urlsplit drops tabs; get_hostname drops ":443" (https) or ":80" (http) at the end.
  let text = host.replaceAll("\t", "");
  const defaultPort = options.https ? ":443" : ":80";
  if (text.endsWith(defaultPort)) text = text.slice(0, -defaultPort.length);
  const netloc = text.split(/[/?#]/, 1)[0]!;
  if (netloc.includes("[") !== netloc.includes("]")) return 'has a "[" or "]" without its pair ("Invalid IPv6 URL")';
  if (netloc.includes("[")) {
    const bracketed = netloc.slice(netloc.indexOf("[") + 1).split("]", 1)[0]!;
    const valid = bracketed.startsWith("v") ? /^v[a-fA-F0-9]+\..+$/.test(bracketed) : isIPv6(bracketed);
    if (!valid) return `has [${bracketed}], which is not an IPv6 address`;
  }
  const { name, port } = splitHostPort(netloc.slice(netloc.lastIndexOf("@") + 1));
  if (port !== "" && !(/^[0-9]+$/.test(port) && Number(port) <= 65535))
    return `has the port ${JSON.stringify(port)}, not a number from 0 to 65535`;
  if (name === "") return "has no host name";
  if (/[\x00-\x20\x7f]/.test(name)) return "has a blank or a control character in its host name";
  // Without a port, http.client reads the IPv6 address again as host:port ("::1" is ":" and 1).
  if (name.includes(":") && port === "" && !options.proxied)
    return `is an IPv6 address without a port (other than ${defaultPort.slice(1)}, which s3cmd drops)`;
  return undefined;
}

/**
 * Why s3cmd cannot fill in host_bucket: it formats the lower-cased template with the bucket
 * name only (`% {"bucket": …}`), so any "%" but "%%" and "%(bucket)s" raises (KeyError for
 * "%(location)s", which s3cmd --configure's prompt names all the same); undefined when it can.
 */
function hostBucketTemplateProblem(template: string): string | undefined {
  const lower = template.toLowerCase();
  for (let i = lower.indexOf("%"); i !== -1; i = lower.indexOf("%", i)) {
    const known = ["%%", "%(bucket)s"].find((token) => lower.startsWith(token, i));
    if (known === undefined) {
      const token = /^%(\([^)]*\))?[^(]?/.exec(lower.slice(i))![0];
      return `has ${JSON.stringify(token)}, which s3cmd cannot fill in (it fills in %(bucket)s only)`;
    }
    i += known.length;
  }
  return undefined;
}

/**
 * Why s3cmd cannot dial proxy_host: http.client.HTTPConnection(proxy_host, proxy_port) takes it as
 * it is, a host name or IP address for the resolver (given a port, http.client keeps even the []
 * of an IPv6 address), so a scheme, a port, a path or brackets make a name none resolves;
 * undefined when it can.
 */
function proxyHostProblem(host: string): string | undefined {
  if (/[\x00-\x20\x7f]/.test(host)) return "has a blank or a control character";
  if (/[/[\]]/.test(host) || (host.includes(":") && !isIPv6(host)))
    return "is not a bare host name or IP address (a scheme, a port, a path or [] cannot be resolved)";
  return undefined;
}

/** urllib.parse's `_hostinfo`: a [bracketed] host, else up to the first ":"; the port after that ":". */
function splitHostPort(hostinfo: string): { name: string; port: string } {
  if (hostinfo.includes("[")) {
    const inner = hostinfo.slice(hostinfo.indexOf("[") + 1);
    const close = inner.indexOf("]");
    const rest = close === -1 ? "" : inner.slice(close + 1);
    return {
      name: close === -1 ? inner : inner.slice(0, close),
      port: rest.includes(":") ? rest.slice(rest.indexOf(":") + 1) : "",
    };
  }
  const colon = hostinfo.indexOf(":");
  return colon === -1
    ? { name: hostinfo, port: "" }
    : { name: hostinfo.slice(0, colon), port: hostinfo.slice(colon + 1) };
}

/** A host option as s3cmd dials it (update_option drops one leading http:// or https://); undefined when unknown. */
function hostText(value: string | number | boolean | undefined): string | undefined {
  if (typeof value !== "string" || value.startsWith("$") || /[\r\n]/.test(value)) return undefined;
  return value.replace(/^https?:\/\//, "");
}

/** Python's ipaddress.IPv6Address: 8 hextets, or fewer with one "::"; an IPv4 tail; a non-empty %zone. */
function isIPv6(text: string): boolean {
  const [address, ...zone] = text.split("%");
  if (zone.length > 1 || zone[0] === "") return false;
  let parts = address!.split(":");
  if (parts.length < 3) return false;
  if (parts.at(-1)!.includes(".")) {
    if (!isIPv4(parts.at(-1)!)) return false;
    parts = [...parts.slice(0, -1), "0", "0"];
  }
  if (parts.length > 9) return false;
  const skips = parts.slice(1, -1).flatMap((part, i) => (part === "" ? [i + 1] : []));
  if (skips.length > 1) return false;
  if (skips.length === 0) {
    if (parts.length !== 8) return false;
  } else {
    // A ":" at either end is allowed only as half of the "::".
    const hi = skips[0]! - (parts[0] === "" ? 1 : 0);
    const lo = parts.length - skips[0]! - 1 - (parts.at(-1) === "" ? 1 : 0);
    if ((parts[0] === "" && hi !== 0) || (parts.at(-1) === "" && lo !== 0) || hi + lo > 7) return false;
    parts = [...parts.slice(parts[0] === "" ? 1 : 0, skips[0]), ...parts.slice(skips[0]! + 1)];
    if (parts.at(-1) === "") parts.pop();
  }
  return parts.every((part) => /^[0-9a-fA-F]{1,4}$/.test(part));
}

/** Python's ipaddress.IPv4Address: four decimal octets up to 255, without leading zeros. */
function isIPv4(text: string): boolean {
  const octets = text.split(".");
  return octets.length === 4 && octets.every((octet) => /^(0|[1-9][0-9]{0,2})$/.test(octet) && Number(octet) <= 255);
}
