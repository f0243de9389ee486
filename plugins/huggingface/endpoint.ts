import type { PluginIssue } from "kitcfg";

/**
 * What huggingface_hub makes of HF_ENDPOINT beyond urlCheck (tests/fixtures/FORMATS.md §16,
 * "huggingface_hub"): constants.py strips its final `/`s, splits it with Python's urlsplit at
 * import (`HF_URL_HOSTS`), and builds every call as f"{ENDPOINT}/api/...".
 */
export function endpointIssues(endpoint: string): PluginIssue[] {
  const issues: PluginIssue[] = [];
  const problem = (message: string) => issues.push({ key: "endpoint", message });
  if (endpoint.endsWith("/"))
    issues.push({ key: "endpoint", severity: "warning", message: "ends with /, which the client strips" });
  const netloc = netlocOf(endpoint);
  if (netloc.includes("[") !== netloc.includes("]"))
    problem(
      "has a [ or ] without its pair in its host part: huggingface_hub splits HF_ENDPOINT with Python's " +
        'urlsplit when it is imported, which raises "Invalid IPv6 URL", so no program can import it',
    );
  else if (netloc.includes("[") && !bracketedHostOk(netloc.split("[")[1]!.split("]")[0]!))
    problem(
      "has [...] around what is no IP address in its host part (user info included): Python's urlsplit " +
        "raises ValueError when huggingface_hub is imported, so no program can import it",
    );
  // Python's urlsplit keeps a backslash in the network location, so its last `@` starts the host
  // (`https://hub.lab\@evil` is evil), where a URL parser like kitcfg's reads `\` as `/` (hub.lab).
  if (netloc.includes("\\"))
    problem(
      "has a backslash in its host part: Python's urlsplit, which huggingface_hub uses, takes the host " +
        "otherwise than the URL reads (https://hub.lab\\@other.example calls other.example, with the token); " +
        "remove it",
    );
  if (nfkcProblem(netloc))
    problem(
      "has a character in its host part that Unicode NFKC turns into / ? # @ or : (＠, ℀...): Python's " +
        "urlsplit raises ValueError when huggingface_hub is imported, so no program can import it",
    );
  if (/[?#]/.test(endpoint))
    problem(
      'has a ? or #: the client calls f"{HF_ENDPOINT}/api/...", so every call\'s path would land in the ' +
        "query or fragment and reach the server's root",
    );
  return issues;
}

// --- internal ---

/** The network location as Python's urlsplit takes it (`_splitnetloc`): after `//`, up to `/`, `?` or `#`. */
function netlocOf(url: string): string {
  const rest = url.slice(url.indexOf("://") + 3);
  return rest.slice(0, rest.search(/[/?#]|$/));
}

/**
 * CPython urllib/parse.py `_check_bracketed_host` (3.11.4+): an IPv6 address (with a zone, as
 * `ipaddress` takes it) or an IPvFuture `v<hex>.<text>`; an IPv4 address in brackets is refused too.
 */
function bracketedHostOk(host: string): boolean {
  if (host.startsWith("v")) return /^v[0-9a-fA-F]+\..+$/.test(host);
  const address = host.split("%")[0]!;
  return address.includes(":") && URL.canParse(`http://[${address}]/`);
}

/** CPython urllib/parse.py `_checknetloc`: a non-ASCII netloc whose NFKC form gains `/ ? # @ :`. */
function nfkcProblem(netloc: string): boolean {
  if (/^[\x00-\x7f]*$/.test(netloc)) return false;
  const kept = netloc.replace(/[@:#?]/g, "");
  const normal = kept.normalize("NFKC");
  return normal !== kept && /[/?#@:]/.test(normal);
}
