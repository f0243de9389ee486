import { isPlainObject, sectionAt } from "kitcfg";
import type { Config, PluginIssue } from "kitcfg";

// kubo's routing and DNS settings as kubo v0.43 checks them when it builds its routers and
// resolvers (FORMATS.md "kubo load-time rules"). `config` has its keys folded to the
// fields' spelling; the Routers and Methods maps keep theirs.

type Node = Record<string, unknown>;

const METHOD_NAMES = ["provide", "find-peers", "find-providers", "get-ipns", "put-ipns"];

/** config/routing.go RouterParser.UnmarshalJSON, Methods.Check; routing/delegated.go parse. */
export function routerIssues(config: Config): PluginIssue[] {
  const routing = sectionAt(config, ["Routing"]);
  const routers = sectionAt(routing, ["Routers"]);
  const issues: PluginIssue[] = [];
  for (const [name, router] of Object.entries(routers)) {
    const { Type: type, Parameters: params } = (router ?? {}) as Node;
    if (!isPlainObject(params))
      issues.push({
        key: `Routing.Routers.${name}.Parameters`,
        message: "must be a JSON object: kubo cannot decode a router without it",
      });
    if (!["http", "dht", "parallel", "sequential"].includes(type as string)) {
      const shown = JSON.stringify(type ?? null);
      issues.push({
        key: `Routing.Routers.${name}.Type`,
        message: `${shown} is not a router type kubo knows: use http, dht, parallel or sequential`,
      });
    }
  }
  if (routing.Type !== "custom") return issues;
  const methods = sectionAt(routing, ["Methods"]);
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
    else
      issues.push(
        ...routerChainIssues(
          routers,
          String(((value ?? {}) as Node).RouterName ?? ""),
          `Routing.Methods.${method}`,
          [],
        ),
      );
  }
  return dedupe(issues);
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

// --- internal ---

/** A router a method uses, and the routers it composes, as routing/delegated.go parse builds them. */
function routerChainIssues(routers: Node, name: string, from: string, seen: string[]): PluginIssue[] {
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
  const params = isPlainObject(router.Parameters) ? router.Parameters : {};
  const key = `Routing.Routers.${name}.Parameters`;
  if (router.Type === "http" && !params.Endpoint)
    return [{ key: `${key}.Endpoint`, message: "is needed by an http router: kubo refuses to start" }];
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
  return children.flatMap((child) => routerChainIssues(routers, String(child?.RouterName ?? ""), key, [...seen, name]));
}

function dedupe(issues: PluginIssue[]): PluginIssue[] {
  const seen = new Set<string>();
  return issues.filter(
    (issue) => !seen.has(`${issue.key}\0${issue.message}`) && seen.add(`${issue.key}\0${issue.message}`),
  );
}
