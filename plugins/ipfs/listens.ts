import type { Config, Listener, PluginContext } from "kitcfg";
import { sectionAt, stringsOf, swarmListeners, trimMultiaddr } from "kitcfg";

/**
 * The sockets `ipfs daemon` listens on (cmd/ipfs/kubo/daemon.go daemonFunc): the libp2p swarm
 * on Addresses.Swarm while the node is built (core/node/libp2p/addrs.go StartListening: it
 * starts if any address listens; TCP and websocket share one SO_REUSEPORT socket unless
 * LIBP2P_TCP_MUX=false, core/node/libp2p/transport.go), then the RPC API (serveHTTPApi) and the
 * gateway (serveHTTPGateway), each address with manet.Listen, without SO_REUSEPORT: one that
 * cannot bind stops kubo. Each of the two skips an address it has already listened on (its
 * listenerAddrs, which also holds what systemd socket activation hands over), never one the
 * other holds, so Addresses.Gateway on an Addresses.API socket fails.
 */
export function kuboListens(config: Config, ctx: PluginContext): Listener[] {
  const addresses = sectionAt(config, "Addresses");
  const swarm = swarmListeners("Addresses.Swarm", strings(addresses.Swarm), {
    host: "swarm",
    env: ctx.env,
    sharedTcp: ctx.env.LIBP2P_TCP_MUX !== "false",
  });
  return [
    ...swarm,
    ...serverListeners("Addresses.API", addresses.API),
    ...serverListeners("Addresses.Gateway", addresses.Gateway),
  ];
}

// --- internal ---

/** One server's addresses, each once (listenerAddrs compares the multiaddr's bytes: a trailing slash is the same). */
function serverListeners(key: string, value: unknown): Listener[] {
  const seen = new Set<string>();
  return strings(value).flatMap((address) => {
    const bytes = trimMultiaddr(address);
    if (seen.has(bytes)) return [];
    seen.add(bytes);
    return [{ key, address }];
  });
}

/** kubo's config.Strings: one string (none when empty) or a list. */
function strings(value: unknown): string[] {
  return typeof value === "string" ? (value === "" ? [] : [value]) : stringsOf(value);
}
