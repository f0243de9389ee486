import { parseGoUrl } from "kitcfg";
import { isObject } from "./shared.ts";
import { COMPONENTS } from "./schema.ts";
import type { Add } from "./values.ts";
import type { Config } from "kitcfg";

// service.json's `source`: the URL ipfs-cluster v1.1.6 loads its whole configuration from
// instead (config/config.go LoadJSON, LoadJSONFromHTTPSource).

/**
 * With `source` set, the daemon loads its whole configuration from that URL (config/config.go
 * LoadJSON returns with LoadJSONFromHTTPSource): service.json's other keys are decoded into its
 * jsonConfig only, `cluster` as raw JSON and each other section as a map of raw JSON, and never
 * read (the plugins' `unread`). identity.json is read all the same.
 */
export function unreadWithSource(config: Config): string[] {
  if (typeof config.source !== "string" || config.source === "") return [];
  return Object.keys(config).filter((key) => key !== "source" && key !== "identity");
}

export function sourceIssues(config: Config, add: Add): void {
  const problem = sourceProblem(config.source as string);
  if (problem)
    add("source", `${problem}: the daemon fetches its configuration from it with an HTTP GET and would fail to start`);
  // jsonConfig's sections are map[string]*json.RawMessage: anything but an object (or null) fails the decode.
  for (const section of Object.keys(COMPONENTS)) {
    const value = config[section];
    if (value !== undefined && value !== null && !isObject(value))
      add(section, "is not a JSON object: the daemon cannot decode service.json, even with a source set");
  }
  const ignored = Object.keys(config).filter((key) => key !== "source" && key !== "identity");
  if (ignored.length > 0)
    add(
      ignored[0]!,
      'is ignored: with "source" set the daemon loads its whole configuration from that URL ' +
        `(also ignored: ${ignored.slice(1).join(", ") || "nothing else"})`,
      "warning",
    );
}

// --- internal ---

/**
 * Why LoadJSONFromHTTPSource (Go's http.Get) cannot fetch `url`, or undefined: Go's url.Parse
 * must read it (SDK `parseGoUrl`: it lowers the scheme, refuses control characters, a port
 * that is not digits, and a host byte it does not take), as an http or https URL with a host,
 * and the dial refuses a port past 65535.
 */
function sourceProblem(url: string): string | undefined {
  const read = parseGoUrl(url);
  if (read.problem !== undefined) return `is not a URL Go's url.Parse reads: ${read.problem}`;
  if ((read.scheme !== "http" && read.scheme !== "https") || read.host === "")
    return "is not an http:// or https:// URL with a host";
  if (Number(read.port) > 65535) return `has the port ${read.port}, past 65535`;
  // `ipfs-cluster-follow init /ipns/<name>` writes <gateway>/ipns//ipns/<name>: a gateway reads
  // an empty (or, once Go's ServeMux cleans the path, "ipns") name there and answers with an error.
  const doubled = /^\/ipns\/+(ipns|ipfs)\//.exec(read.path);
  if (doubled) return `puts ${doubled[0]} in its path, which no gateway resolves: keep only /${doubled[1]}/<name>`;
  // `init HTTPS://host/...`: upstream's prefix test is case-sensitive, so the URL became a gateway path.
  if (/^\/ipns\/https?:\//i.test(read.path))
    return "holds a URL as its /ipns/ name, which no gateway resolves: give the URL itself";
  return undefined;
}
