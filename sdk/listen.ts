import type { Listener } from "../core/plugin.ts";
import { dialNetwork, multiaddrProtocols } from "./multiaddr.ts";

/** What `swarmListeners` needs beyond the addresses. */
export interface SwarmListenOptions {
  /** One name for the host's sockets: the core never compares them with each other. */
  host: string;
  /** The daemon's environment: LIBP2P_TCP_REUSEPORT=false (f, 0) turns SO_REUSEPORT off. */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * The host's websocket transport listens through the TCP transport's socket (go-libp2p's
   * ShareTCPListener, kubo's default): then /tcp/<port>/ws takes SO_REUSEPORT as /tcp does.
   * Without it, /tcp/<port>/ws binds a socket of its own (websocket/listener.go newListener:
   * manet.Listen, no SO_REUSEPORT), which /tcp/<port> clashes with: no part of the host's set.
   */
  sharedTcp?: boolean;
}

/**
 * The sockets of a libp2p host's listen addresses, for a plugin's `listens`. None stops the
 * daemon when it cannot listen: go-libp2p's swarm starts while any address listens
 * (p2p/net/swarm/swarm_listen.go Listen: "failed to listen on any addresses" only when none
 * does). A TCP address is bound with SO_REUSEPORT (p2p/transport/tcp/tcp.go unsharedMAListen,
 * p2p/net/reuseport) unless LIBP2P_TCP_REUSEPORT says false (p2p/transport/tcpreuse/reuseport.go),
 * so two hosts share it; QUIC, WebTransport and WebRTC share one UDP socket per host and port
 * (p2p/transport/quicreuse), opened with Go's net.ListenUDP, without it. Give only the addresses
 * the daemon has a transport for; the others are not listened on.
 */
export function swarmListeners(key: string, addresses: readonly string[], options: SwarmListenOptions): Listener[] {
  const off = ["false", "f", "0"].includes((options.env.LIBP2P_TCP_REUSEPORT ?? "").toLowerCase());
  return addresses.map((address) => {
    const last = multiaddrProtocols(address)?.at(-1);
    const websocket = last === "ws" || last === "wss";
    const tcp = dialNetwork(address) === "tcp" && (last === "tcp" || (options.sharedTcp === true && websocket));
    const own = websocket && options.sharedTcp !== true;
    return {
      key,
      address,
      optional: true,
      ...(own ? {} : { host: options.host }),
      ...(tcp && !off ? { reusePort: true } : {}),
    };
  });
}
