import { dirname, join } from "node:path";
import type { Config, Listener, PluginContext } from "kitcfg";
import { multiaddrProtocols, stringsOf, swarmListeners } from "kitcfg";
import { withDaemonEnv } from "./daemon-env.ts";
import { isObject } from "./shared.ts";
import { HOST_TRANSPORTS } from "./values.ts";

// What ipfs-cluster v1.1.6 listens on when it starts. A component with an empty or missing
// address list keeps its default (each applyJSONConfig: `if len(addresses) > 0`).

/** The HTTP APIs' default listen addresses (api/rest/config.go, api/pinsvcapi/config.go, api/ipfsproxy/config.go). */
const DEFAULT_LISTEN: Record<string, string> = {
  restapi: "/ip4/127.0.0.1/tcp/9094",
  pinsvcapi: "/ip4/127.0.0.1/tcp/9097",
  ipfsproxy: "/ip4/127.0.0.1/tcp/9095",
};

/**
 * `ipfs-cluster-service daemon` (cmd/ipfs-cluster-service/daemon.go createCluster): each API
 * whose section the file holds, every address with manet.DialArgs and Go's net.Listen, without
 * SO_REUSEPORT (api/common/api.go setupHTTP, api/ipfsproxy/ipfsproxy.go New: a failure stops the
 * start), an API's own libp2p host on libp2p_listen_multiaddress (setupLibp2p), the Prometheus
 * endpoint when stats are on (observations/setup.go: http.ListenAndServe on DialArgs's
 * host:port, so Go's "tcp" network, and logger.Fatalf when it cannot), and the cluster's libp2p host.
 */
export function serviceListens(written: Config, ctx: PluginContext): Listener[] {
  const view = withDaemonEnv(written, ctx.env);
  const config = view?.config ?? written;
  const api = isObject(config.api) ? config.api : {};
  const listeners: Listener[] = [];
  for (const name of ["restapi", "pinsvcapi"]) {
    const section = api[name];
    if (!isObject(section)) continue;
    listeners.push(...apiListeners(`api.${name}.http_listen_multiaddress`, section.http_listen_multiaddress, name));
    const libp2p = `api.${name}.libp2p_listen_multiaddress`;
    listeners.push(
      ...swarmListeners(libp2p, strings(section.libp2p_listen_multiaddress), { host: libp2p, env: ctx.env }),
    );
  }
  if (isObject(api.ipfsproxy))
    listeners.push(
      ...apiListeners("api.ipfsproxy.listen_multiaddress", api.ipfsproxy.listen_multiaddress, "ipfsproxy"),
    );
  const metrics = isObject(config.observations) ? config.observations.metrics : undefined;
  if (isObject(metrics) && metrics.enable_stats === true && typeof metrics.prometheus_endpoint === "string")
    listeners.push({
      key: "observations.metrics.prometheus_endpoint",
      address: metrics.prometheus_endpoint,
      dualStack: true,
    });
  return fromVariables([...listeners, ...hostListeners(config, ctx)], view?.sources);
}

/**
 * `ipfs-cluster-follow NAME run` (cmd/ipfs-cluster-follow/commands.go runCmd): the cluster's
 * libp2p host, and only the REST API, which it moves to <folder>/api-socket (socketAddress)
 * unless CLUSTER_RESTAPI_HTTPLISTENMULTIADDRESS says otherwise (ApplyEnvVars); it starts
 * neither the proxy nor the pinning-service API, nor the metrics endpoint.
 */
export function followerListens(config: Config, ctx: PluginContext): Listener[] {
  const moved = ctx.env.CLUSTER_RESTAPI_HTTPLISTENMULTIADDRESS;
  const rest = moved
    ? moved
        .split(",")
        .map((address) => ({ key: "", name: "REST API (CLUSTER_RESTAPI_HTTPLISTENMULTIADDRESS)", address }))
    : [{ key: "", name: "REST API socket", address: `/unix${join(dirname(ctx.paths.service!), "api-socket")}` }];
  const view = withDaemonEnv(config, ctx.env);
  return [...rest, ...fromVariables(hostListeners(view?.config ?? config, ctx), view?.sources)];
}

// --- internal ---

/**
 * Each listener whose address a CLUSTER_* variable gave, naming it: the daemons apply this
 * environment's variables over the file at start (daemon-env.ts `withDaemonEnv`).
 */
function fromVariables(listeners: Listener[], sources: ReadonlyMap<string, string> | undefined): Listener[] {
  return listeners.map((l) => (sources?.has(l.key) ? { ...l, variable: sources.get(l.key) } : l));
}

/**
 * cluster.listen_multiaddress (clusterhost.go NewClusterHost): cluster's host has TCP and
 * websocket transports only (values.ts HOST_TRANSPORTS), so its QUIC default listens on nothing.
 */
function hostListeners(config: Config, ctx: PluginContext): Listener[] {
  const cluster = isObject(config.cluster) ? config.cluster : {};
  const addresses = strings(cluster.listen_multiaddress).filter((address) =>
    HOST_TRANSPORTS.has(multiaddrProtocols(address)?.at(-1) ?? ""),
  );
  return swarmListeners("cluster.listen_multiaddress", addresses, { host: "cluster", env: ctx.env });
}

function apiListeners(key: string, value: unknown, api: string): Listener[] {
  const addresses = strings(value);
  return (addresses.length > 0 ? addresses : [DEFAULT_LISTEN[api]!]).map((address) => ({ key, address }));
}

/** Go `config.Strings`: one string (none when empty) or a list. */
function strings(value: unknown): string[] {
  return typeof value === "string" ? (value === "" ? [] : [value]) : stringsOf(value);
}
