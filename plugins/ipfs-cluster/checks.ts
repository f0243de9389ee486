import { getAt, tcpEndpoint, trimMultiaddr } from "kitcfg";
import { isObject } from "./shared.ts";
import type { Config, CrossCheck, PluginIssue } from "kitcfg";

// Checks across daemons: cluster talks to kubo's HTTP RPC API (ipfshttp connector and the
// IPFS proxy, FORMATS.md §4 and §1 `Addresses.API`), and ipfs-cluster-ctl talks to the
// cluster's REST API (FORMATS.md §6). Only local addresses are compared: the kubo and
// cluster configured on this machine say nothing about another host.

/** The kubo plugin's name, and where kubo keeps its API address (a string or a list). */
const KUBO = "ipfs";
const KUBO_API = "Addresses.API";
/** The ipfshttp connector's default node_multiaddress (ipfsconn/ipfshttp/config.go). */
const FOLLOWER_WAIT_ADDRESS = "/ip4/127.0.0.1/tcp/5001";

/**
 * Cluster's addresses of kubo's API must be one kubo listens on: the connector's, and the
 * proxy's where it runs (the follower never starts the proxy: cmd/ipfs-cluster-follow/commands.go runCmd).
 */
export function kuboApiCheck(daemon: string, options: { follower?: boolean } = {}): CrossCheck {
  const keys = ["ipfs_connector.ipfshttp.node_multiaddress"];
  if (!options.follower) keys.push("api.ipfsproxy.node_multiaddress");
  return {
    needs: [KUBO],
    run: function checkKuboApi(configs) {
      const cluster = configs[daemon] ?? {};
      const kubo = configs[KUBO] ?? {};
      const listens = asList(isObject(kubo.Addresses) ? kubo.Addresses.API : undefined);
      const issues: PluginIssue[] = [];
      for (const key of keys) {
        const address = getAt(cluster, key);
        if (typeof address !== "string" || address === "" || !isLocal(address)) continue;
        if (listens.some((listen) => reaches(address, listen))) continue;
        const shown = listens.length === 0 ? "is empty (kubo's API is off)" : `listens on ${listens.join(", ")}`;
        issues.push({
          key,
          message: `is ${address}, but ${KUBO} "${KUBO_API}" ${shown}: cluster cannot reach kubo; make them agree`,
        });
      }
      return issues;
    },
  };
}

/**
 * `ipfs-cluster-follow NAME run` waits for kubo before it reads its configuration (which may
 * be served by that kubo), at the ipfshttp connector's default address or
 * CLUSTER_IPFSHTTP_NODEMULTIADDRESS, never at the file's node_multiaddress, and exits after two
 * minutes without an answer (cmd/ipfs-cluster-follow/commands.go runCmd, cmdutils/cmdutils.go
 * WaitForIPFS). So kubo must answer there, whatever the follower's file says.
 */
export function followerWaitCheck(daemon: string): CrossCheck {
  return {
    needs: [KUBO],
    run: function checkFollowerWait(configs, ctx) {
      const kubo = configs[KUBO] ?? {};
      const listens = asList(isObject(kubo.Addresses) ? kubo.Addresses.API : undefined);
      const moved = ctx.env.CLUSTER_IPFSHTTP_NODEMULTIADDRESS;
      const address = moved || FOLLOWER_WAIT_ADDRESS;
      if (!isLocal(address) || listens.some((listen) => reaches(address, listen))) return [];
      const shown = listens.length === 0 ? "is empty (kubo's API is off)" : `listens on ${listens.join(", ")}`;
      const where = moved ? "CLUSTER_IPFSHTTP_NODEMULTIADDRESS" : "its default address";
      return [
        {
          key: "",
          message:
            `\`${daemon} run\` first waits for kubo's API at ${address} (${where}; it does not read ` +
            `node_multiaddress for this), but ${KUBO} "${KUBO_API}" ${shown}: the follower exits after 2 minutes; ` +
            "set CLUSTER_IPFSHTTP_NODEMULTIADDRESS to kubo's API address where it runs (and here, to validate it)",
        },
      ];
    },
  };
}

/** What a ctl configuration says about the REST API it calls. */
export interface CtlTarget {
  hosts: string[];
  https: boolean;
  username?: string;
  password?: string;
  secret?: string;
}

/** ctl must reach the service's REST API, with credentials and scheme it accepts. */
export function ctlServiceCheck(ctlName: string, service: string, read: (config: Config) => CtlTarget): CrossCheck {
  return {
    needs: [service],
    run: function checkCtlAgainstService(configs) {
      const ctl = read(configs[ctlName] ?? {});
      const cluster = configs[service] ?? {};
      const issues: PluginIssue[] = [];
      const add = (key: string, message: string, severity: PluginIssue["severity"] = "error") =>
        void issues.push({ key, message, severity });
      const rest = getAt(cluster, "api.restapi");
      if (!isObject(rest)) {
        add("host", `has nothing to reach: ${service} has no "api.restapi" section, so its REST API is off`);
        return issues;
      }
      const listens = asList(rest.http_listen_multiaddress ?? "/ip4/127.0.0.1/tcp/9094");
      // ctl tries its hosts in turn, failing over to the next one it cannot connect to (lbclient.go
      // Failover): once one reaches this peer, the others are fallbacks (another peer on this host).
      const reached = ctl.hosts.some((host) => listens.some((listen) => reaches(host, listen)));
      for (const host of reached ? [] : ctl.hosts) {
        if (/\/(p2p|ipfs|dnsaddr)\//.test(host) || !isLocal(host)) continue;
        add(
          "host",
          `is ${host}, but ${service} "api.restapi.http_listen_multiaddress" ` +
            `is ${listens.join(", ")}: ctl cannot reach the REST API`,
        );
      }
      const tls = typeof rest.ssl_cert_file === "string" && rest.ssl_cert_file !== "";
      if (tls && !ctl.https)
        add(
          "https",
          `is false, but ${service} "api.restapi.ssl_cert_file" is set: ` +
            `the REST API speaks HTTPS only; set ${ctlName} "https" to true`,
        );
      if (!tls && ctl.https)
        add(
          "https",
          `is true, but ${service} "api.restapi.ssl_cert_file" is not set: ` +
            `the REST API speaks plain HTTP; set ${ctlName} "https" to false`,
        );
      credentialIssues(ctl, rest.basic_auth_credentials, service, add);
      const secret = getAt(cluster, "cluster.secret");
      if (ctl.secret && typeof secret === "string" && ctl.secret.toLowerCase() !== secret.toLowerCase()) {
        add(
          "secret",
          `differs from ${service} "cluster.secret": ` +
            `${ctlName} cannot join the cluster's libp2p network to reach a /p2p/ host`,
        );
      }
      return issues;
    },
  };
}

// --- internal ---

function credentialIssues(
  ctl: CtlTarget,
  creds: unknown,
  service: string,
  add: (key: string, message: string, severity?: PluginIssue["severity"]) => void,
): void {
  const users = isObject(creds) ? creds : undefined;
  const where = `${service} "api.restapi.basic_auth_credentials"`;
  if (users && Object.keys(users).length > 0 && !ctl.username) {
    add("basic_auth", `is not set, but ${where} requires a user: every ctl request would be refused (401)`);
  } else if (ctl.username && !users) {
    add("basic_auth", `is set, but ${where} is null: the REST API asks for no credentials`, "warning");
  } else if (ctl.username && users) {
    if (!Object.hasOwn(users, ctl.username))
      add(
        "basic_auth.username",
        `is "${ctl.username}", who is not among the users of ${where}: ctl requests would be refused (401)`,
      );
    else if ((users[ctl.username] ?? "") !== (ctl.password ?? ""))
      add(
        "basic_auth.password",
        `does not match the password of "${ctl.username}" in ${where}: ctl requests would be refused (401)`,
      );
  }
}

/** True when a client dialling `address` reaches a server listening on `listen`. */
function reaches(address: string, listen: string): boolean {
  if (address.startsWith("/unix/") || listen.startsWith("/unix/"))
    return trimMultiaddr(address) === trimMultiaddr(listen);
  const [a, l] = [tcpEndpoint(address), tcpEndpoint(listen)];
  if (!a || !l || a.port !== l.port) return false;
  const anyHost = ["0.0.0.0", "::"].includes(l.host);
  return anyHost || canonical(a.host) === canonical(l.host);
}

/** Addresses on this machine: the only ones a local config can be compared with. */
function isLocal(address: string): boolean {
  if (address.startsWith("/unix/")) return true;
  const endpoint = tcpEndpoint(address);
  return (
    endpoint !== undefined && (canonical(endpoint.host) === "loopback" || ["0.0.0.0", "::"].includes(endpoint.host))
  );
}

function canonical(host: string): string {
  return ["127.0.0.1", "::1", "localhost"].includes(host) ? "loopback" : host;
}

function asList(value: unknown): string[] {
  if (typeof value === "string") return value === "" ? [] : [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}
