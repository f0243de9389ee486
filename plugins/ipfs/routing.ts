import { isPlainObject, parseGoUrl, sectionAt, stringsOf } from "kitcfg";
import { durationMs } from "./go.ts";
import type { Config, PluginIssue } from "kitcfg";
import { AUTO } from "./defaults.ts";
import { ROUTER_TYPES } from "./schema.ts";

// kubo's routing and DNS settings as kubo v0.43 checks them when it builds its routers and
// resolvers (FORMATS.md "kubo load-time rules"). `config` has its keys folded to the
// fields' spelling; the Routers and Methods maps keep theirs.

type Node = Record<string, unknown>;

const METHOD_NAMES = ["provide", "find-peers", "find-providers", "get-ipns", "put-ipns"];

/** config/routing.go RouterParser.UnmarshalJSON, Methods.Check; routing/delegated.go Parse, parse. */
export function routerIssues(config: Config): PluginIssue[] {
  const routing = sectionAt(config, ["Routing"]);
  const routers = sectionAt(routing, ["Routers"]);
  // With "custom", Parse builds the routers the methods name and those they compose, and no other.
  const reached = new Set<string>();
  const methods = routing.Type === "custom" ? methodIssues(sectionAt(routing, ["Methods"]), routers, reached) : [];
  const issues: PluginIssue[] = [];
  for (const [name, router] of Object.entries(routers)) {
    const { Type: type, Parameters: params } = (router ?? {}) as Node;
    // Every router decodes whatever Routing.Type is: Parameters into the struct of its Type, or into
    // a plain `any` for another Type (any JSON value); missing, it fails ("unexpected end of JSON
    // input"), and null makes kubo panic.
    const known = ROUTER_TYPES.includes(type as string);
    if (known ? !isPlainObject(params) : params === undefined || params === null)
      issues.push({
        key: `Routing.Routers.${name}.Parameters`,
        message: `must be ${known ? "a JSON object" : "given (not null)"}: kubo cannot decode a router without it`,
      });
    // A router of another Type fails only when Parse builds it (routerChainIssues says so then).
    if (!known && !reached.has(name))
      issues.push({
        key: `Routing.Routers.${name}.Type`,
        severity: "warning",
        message:
          `${JSON.stringify(type ?? null)} is not a router type kubo knows (http, dht, parallel, sequential): ` +
          'kubo ignores it unless Routing.Type is "custom" and Routing.Methods uses it, and then refuses to start',
      });
  }
  return dedupe([...issues, ...methods]);
}

/** boxo gateway/dns.go NewDNSResolver: domains are "." or end with a dot; resolvers are DoH URLs. */
export function dnsIssues(config: Config): PluginIssue[] {
  const resolvers = sectionAt(config, ["DNS", "Resolvers"]);
  return Object.entries(resolvers).flatMap(([domain, url]) => {
    if (domain !== "." && !domain.endsWith("."))
      return [
        {
          key: "DNS.Resolvers",
          message: `${JSON.stringify(domain)} is not a fully qualified domain: end it with a dot ("${domain}.")`,
        },
      ];
    if (typeof url !== "string" || url === "" || url === "auto" || /^https?:\/\//.test(url)) return [];
    return [
      {
        key: "DNS.Resolvers",
        message:
          `${JSON.stringify(url)} for ${JSON.stringify(domain)} is not a DNS-over-HTTPS URL (https://...): ` +
          "kubo refuses to start",
      },
    ];
  });
}

/**
 * The HTTP routers kubo builds from Routing.DelegatedRouters and Ipns.DelegatedPublishers
 * for Routing.Type auto (the default, unless a swarm.key makes it dht), autoclient, default
 * and delegated (core/node/libp2p/routingopt.go constructDefaultHTTPRouters). boxo
 * autoconf/delegated_routing.go takes a URL Go's url.Parse reads, with no path or one of the
 * /routing/v1 paths; for any other, kubo's determineCapabilities returns an empty base URL
 * instead of skipping it, and the router built from that has no Endpoint: kubo refuses to
 * start. A URL with no scheme gives the base URL "://host", which boxo's routing client
 * cannot parse back (routing/http/client/client.go normalizeBaseURL: "missing protocol scheme").
 * Delegated routing with no endpoint at all is refused too (ConstructDelegatedOnlyRouting).
 */
export function delegatedRoutingIssues(config: Config, privateNetwork: boolean): PluginIssue[] {
  const type = sectionAt(config, ["Routing"]).Type ?? "auto";
  const auto = type === "" || type === "auto";
  if (!(auto || ["autoclient", "default", "delegated"].includes(type as string)) || (auto && privateNetwork)) return [];
  const sources: [string, unknown[]][] = [
    ["Routing.DelegatedRouters", stringsOf(sectionAt(config, ["Routing"]).DelegatedRouters)],
    ["Ipns.DelegatedPublishers", stringsOf(sectionAt(config, ["Ipns"]).DelegatedPublishers)],
  ];
  const issues: PluginIssue[] = [];
  for (const [key, urls] of sources) {
    for (const url of urls) {
      const problem = url === AUTO ? undefined : routingURLProblem(url as string);
      if (problem === undefined) continue;
      issues.push({
        key,
        message:
          `${JSON.stringify(url)} is not a routing endpoint kubo can use (${problem}): give an http(s) URL ` +
          "with no path or one of /routing/v1/providers, /routing/v1/peers, /routing/v1/ipns; kubo refuses to start",
      });
    }
  }
  const autoconf = sectionAt(config, ["AutoConf"]).Enabled !== false && !autoconfClientProblem(config);
  const endpoints = sources.flatMap(([, urls]) => urls).filter((url) => url !== AUTO || autoconf);
  if (type === "delegated" && endpoints.length === 0) {
    issues.push({
      key: "Routing.Type",
      message:
        '"delegated" needs a router: Routing.DelegatedRouters and Ipns.DelegatedPublishers give none' +
        `${autoconf ? "" : ' ("auto" gives none while AutoConf is off or cannot start)'}: kubo refuses to start`,
    });
  }
  return issues;
}

/**
 * Why kubo cannot build its AutoConf client, with the key to blame, or undefined when it can
 * (config/autoconf_client.go newAutoConfClient; boxo v0.42.0 autoconf/client.go WithRefreshInterval:
 * "refresh interval must be positive", WithURL: "URL cannot be empty"). The daemon only logs it, and
 * each "auto" placeholder then resolves to nothing (config/autoconf.go getAutoConf, expandAutoConfSlice).
 */
export function autoconfClientProblem(config: Config): { key: string; problem: string } | undefined {
  const autoconf = sectionAt(config, ["AutoConf"]);
  if (autoconf.URL === "") return { key: "AutoConf.URL", problem: "is empty, which kubo's AutoConf client refuses" };
  const ms = durationMs(autoconf.RefreshInterval);
  if (ms === undefined || ms > 0) return undefined;
  return { key: "AutoConf.RefreshInterval", problem: "is not positive, which kubo's AutoConf client refuses" };
}

// --- internal ---

/** The routing paths boxo autoconf parseAndValidateRoutingURL takes, with one trailing slash trimmed. */
const ROUTING_PATHS = ["", "/", "/routing/v1/providers", "/routing/v1/peers", "/routing/v1/ipns"];

/**
 * Why kubo cannot build an HTTP router from `text` (a Routing.DelegatedRouters or
 * Ipns.DelegatedPublishers entry), or undefined when it can: Go's url.Parse must read it
 * (boxo autoconf parseAndValidateRoutingURL), with a scheme (the base URL "scheme://host"
 * goes through url.Parse again in normalizeBaseURL) and a path boxo takes.
 */
function routingURLProblem(text: string): string | undefined {
  const read = parseGoUrl(text);
  if (read.problem !== undefined) return `Go's url.Parse refuses it: ${read.problem}`;
  if (read.scheme === "") return "it has no scheme";
  const path = read.path.endsWith("/") ? read.path.slice(0, -1) : read.path;
  return ROUTING_PATHS.includes(path) ? undefined : `its path ${JSON.stringify(path)} is not a routing path`;
}

/**
 * Why boxo routing/http/client/client.go normalizeBaseURL refuses `text`, or undefined: trailing
 * "/" and then one "/routing/v1" trimmed, Go's url.Parse must read it and leave no path but "/".
 * A URL with no scheme is all path ("cid.contact"). A missing host is not refused there.
 */
function baseRoutingURLProblem(text: string): string | undefined {
  const trimmed = text.replace(/(?<!\/)\/+$/, "");
  const read = parseGoUrl(trimmed.endsWith("/routing/v1") ? trimmed.slice(0, -"/routing/v1".length) : trimmed);
  if (read.problem !== undefined) return `Go's url.Parse refuses it: ${read.problem}`;
  return read.path === "" || read.path === "/" ? undefined : `it has the path ${JSON.stringify(read.path)}`;
}

/** Routing.Methods for Routing.Type "custom" (Methods.Check), and the routers each builds, added to `reached`. */
function methodIssues(methods: Node, routers: Node, reached: Set<string>): PluginIssue[] {
  const issues: PluginIssue[] = [];
  for (const method of METHOD_NAMES) {
    if (!(method in methods))
      issues.push({
        key: "Routing.Methods",
        message: `has no "${method}" method, which Routing.Type "custom" needs: kubo refuses to start`,
      });
  }
  for (const [method, value] of Object.entries(methods)) {
    if (!METHOD_NAMES.includes(method))
      issues.push({
        key: `Routing.Methods.${method}`,
        message: `is not a routing method kubo supports (${METHOD_NAMES.join(", ")})`,
      });
    else {
      // A null method is one with RouterName "", the zero value Go's encoding/json gives it.
      const name = String(((value ?? {}) as Node).RouterName ?? "");
      issues.push(...routerChainIssues({ routers, name, from: `Routing.Methods.${method}`, seen: [], reached }));
    }
  }
  return issues;
}

/** A router a method uses, and the routers it composes, as routing/delegated.go parse builds them. */
function routerChainIssues(walk: {
  routers: Node;
  name: string;
  from: string;
  seen: string[];
  reached: Set<string>;
}): PluginIssue[] {
  const { routers, name, from, seen, reached } = walk;
  if (seen.includes(name))
    return [{ key: from, message: `routers ${[...seen, name].join(" -> ")} form a loop: kubo refuses to start` }];
  const router = routers[name];
  if (!isPlainObject(router))
    return [
      {
        key: from,
        message: `names router ${JSON.stringify(name)}, which Routing.Routers does not have: kubo refuses to start`,
      },
    ];
  reached.add(name);
  if (!ROUTER_TYPES.includes(router.Type as string))
    return [
      {
        key: `Routing.Routers.${name}.Type`,
        message:
          `${JSON.stringify(router.Type ?? null)} is not a router type kubo knows: use http, dht, parallel or ` +
          'sequential ("unknown router type")',
      },
    ];
  const params = isPlainObject(router.Parameters) ? router.Parameters : {};
  const key = `Routing.Routers.${name}.Parameters`;
  if (router.Type === "http" && !params.Endpoint)
    return [{ key: `${key}.Endpoint`, message: "is needed by an http router: kubo refuses to start" }];
  const endpointProblem =
    router.Type === "http" && typeof params.Endpoint === "string" ? baseRoutingURLProblem(params.Endpoint) : undefined;
  if (endpointProblem !== undefined) {
    return [
      {
        key: `${key}.Endpoint`,
        message:
          `${JSON.stringify(params.Endpoint)} is not the base URL of a routing server (${endpointProblem}): ` +
          "give scheme and host with no path, or ending in /routing/v1 (e.g. https://cid.contact); " +
          'kubo refuses to start ("only /routing/v1 URLs are supported")',
      },
    ];
  }
  if (
    router.Type === "dht" &&
    params.AcceleratedDHTClient !== true &&
    !["auto", "client", "server"].includes(params.Mode as string)
  ) {
    return [
      {
        key: `${key}.Mode`,
        message: `${JSON.stringify(params.Mode ?? "")} is not a DHT mode: use auto, client or server`,
      },
    ];
  }
  if (router.Type !== "parallel" && router.Type !== "sequential") return [];
  const children = Array.isArray(params.Routers) ? (params.Routers as Node[]) : [];
  return children.flatMap((child) =>
    routerChainIssues({ routers, name: String(child?.RouterName ?? ""), from: key, seen: [...seen, name], reached }),
  );
}

function dedupe(issues: PluginIssue[]): PluginIssue[] {
  const seen = new Set<string>();
  return issues.filter(
    (issue) => !seen.has(`${issue.key}\0${issue.message}`) && seen.add(`${issue.key}\0${issue.message}`),
  );
}
