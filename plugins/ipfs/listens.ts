import type { Config, Listener, PluginContext } from "kitcfg";
import { sectionAt, stringsOf, swarmListeners, trimMultiaddr } from "kitcfg";
import { migrateRepo } from "./migrate.ts";
import type { RepoMigration } from "./migrate.ts";
import { repoFactsOf } from "./repo.ts";
import { swarmListenProblem } from "./startup.ts";

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
  const repo = repoFactsOf(ctx);
  // An older repo is listened on as kubo's migrations leave it (./migrate.ts), and only where kubo has
  // a transport that is on (./startup.ts): a /quic address of a v18 repo listens on nothing, a v13 one
  // on /quic-v1, and a go-ipfs 0.5 repo's /tcp/PORT on /udp/PORT too.
  const migration = migrateRepo(config, repo.version);
  const migrated = migration.config;
  const addresses = sectionAt(migrated, "Addresses");
  const listened = strings(addresses.Swarm).filter(
    (address) => swarmListenProblem(migrated, address, repo.privateNetwork === true) === "",
  );
  const swarm = swarmListeners("Addresses.Swarm", listened, {
    host: "swarm",
    env: ctx.env,
    sharedTcp: ctx.env.LIBP2P_TCP_MUX !== "false",
  });
  return [
    ...withWrittenAddresses(swarm, migration, strings(sectionAt(config, "Addresses").Swarm), repo.version),
    ...serverListeners("Addresses.API", addresses.API),
    ...serverListeners("Addresses.Gateway", addresses.Gateway),
  ];
}

// --- internal ---

/**
 * Each swarm listener a migration made (one the file does not hold itself) with the address the file
 * holds that it comes from: a clash is then told about the address the user can find, while sockets
 * are compared as kubo listens once it has migrated the repo (fs-repo-migrations rewrite `config`
 * only when kubo runs them, cmd/ipfs/kubo/daemon.go; FORMATS.md §0b).
 */
function withWrittenAddresses(
  listeners: Listener[],
  migration: RepoMigration,
  inFile: readonly string[],
  version: number | undefined,
): Listener[] {
  const sources = migration.sources.get("Addresses.Swarm");
  if (sources === undefined) return listeners;
  // A set: a config may list thousands of addresses, each looked up here.
  const written = new Set(inFile);
  return listeners.map((listener) => {
    const source = written.has(listener.address) ? undefined : sources.get(listener.address);
    if (source === undefined) return listener;
    const why = `kubo listens on what its migrations from repo version ${version} leave in Addresses.Swarm`;
    return { ...listener, written: { address: source, why } };
  });
}

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
