import type { Config, PluginIssue } from "kitcfg";
import { isPlainObject } from "kitcfg";

// A repo older than version 18 is migrated before kubo v0.43 reads its settings (`ipfs daemon
// --migrate`, `ipfs repo migrate`; cmd/ipfs/kubo/daemon.go RunHybridMigrations): each migration
// from the repo's version on rewrites the config, so kubo's rules judge the config they leave. kubo
// refuses no older version outright: below 16 it fetches and runs ipfs/fs-repo-migrations' binaries
// one version at a time (migrations.go findMigrations), from 16 on it runs its own. The ones that
// change settings kitcfg checks (FORMATS.md §1a): fs-repo-9-to-10, -12-to-13, -13-to-14, -14-to-15
// and -15-to-16 (ipfs/fs-repo-migrations), -16-to-17 and -17-to-18 (kubo repo/fsrepo/migrations);
// 10-to-11 and 11-to-12 move pins and blocks only. A setting older kubo needed or wrote (Reprovider.Interval
// "0" turned providing off, Experimental.AcceleratedDHTClient, "/quic" listeners) starts, or stops,
// kubo only as they leave it.

/** Where fs-repo-17-to-18 puts each deprecated setting; it drops Provider.Strategy, which kubo never read. */
export const PROVIDE_MOVES: Readonly<Record<string, string>> = {
  "Provider.Enabled": "Provide.Enabled",
  "Provider.WorkerCount": "Provide.DHT.MaxWorkers",
  "Reprovider.Strategy": "Provide.Strategy",
  "Reprovider.Interval": "Provide.DHT.Interval",
};

/** The config as the migrations leave it, what they moved and where one would stop. */
export interface RepoMigration {
  config: Config;
  /** New key -> the key it came from, and the repo version of the migration that moved it. */
  moved: Map<string, { from: string; version: number }>;
  /** Key the file holds -> the repo version of the migration that removed it (an old default). */
  removed: Map<string, number>;
  /**
   * For each address list (`Addresses.Swarm`, ...), every address a migration wrote there -> the
   * address of the list as the file holds it that it was made from (a /quic-v1 from a /quic, a
   * /udp/PORT/quic from a /tcp/PORT): what the user finds in the file.
   */
  sources: Map<string, Map<string, string>>;
  failures: PluginIssue[];
}

/**
 * Apply the migrations from repo `version` to 18 (or `to`) to `config` (its keys already folded to
 * kubo's spelling), as each one's `convert` does. The config given is left as it is; at version 18
 * or later (or unknown) it is returned with nothing moved.
 */
export function migrateRepo(config: Config, version: number | undefined, to = 18): RepoMigration {
  const migration: RepoMigration = { config, moved: new Map(), removed: new Map(), sources: new Map(), failures: [] };
  if (version === undefined || version >= to) return migration;
  migration.config = structuredClone(config);
  // A migration that stops leaves kubo unstarted (its failure says so); the later ones are applied as if it
  // had gone on, so that fixing it does not bring up issues kitcfg could have told at once.
  const steps: [number, (m: RepoMigration) => void][] = [
    [9, addQuicAddresses],
    [12, addQuicV1Addresses],
    [12, dropOldDefaults],
    [13, moveAcceleratedDHTClient],
    [14, upgradeQuicAddresses],
    [14, dropOldGatewayHeaders],
    [15, addWebRTCDirect],
    [16, useAutoConf],
    [17, moveProvide],
  ];
  for (const [from, step] of steps) if (version <= from && from < to) step(migration);
  return migration;
}

/**
 * Issues found on the migrated config, told about the settings as the file holds them: one at a
 * key a migration filled is at the key it came from, and a message naming a key fs-repo-17-to-18
 * fills names the key that fills it (it replaces Provide whole, so setting Provide.Enabled in the
 * file does nothing; Provider.Enabled sets it).
 */
export function issuesBeforeMigration(issues: PluginIssue[], migration: RepoMigration): PluginIssue[] {
  if (migration.moved.size === 0) return issues;
  const rebuilt = [...migration.moved.values()].some(({ from }) => from in PROVIDE_MOVES);
  const rename = (text: string) => (rebuilt ? text.replace(PROVIDE_NAME, (name) => SOURCE_OF.get(name) ?? name) : text);
  return issues.map((issue) => {
    const move = migration.moved.get(issue.key);
    if (move === undefined) return { ...issue, message: rename(issue.message) };
    return {
      ...issue,
      key: move.from,
      message:
        `is moved to ${issue.key} by kubo's migration to repo version ${move.version}, ` +
        `and there: ${rename(issue.message)}`,
    };
  });
}

// --- internal ---

const SOURCE_OF = new Map(Object.entries(PROVIDE_MOVES).map(([from, to]) => [to, from]));
const PROVIDE_NAME = /\bProvide(?:\.DHT)?\.(?:Enabled|MaxWorkers|Strategy|Interval)\b/g;
const ADDRESS_LISTS = ["Swarm", "Announce", "AppendAnnounce", "NoAnnounce"];
const TCP_END = /\/tcp\/([0-9]+)$/;
const MARS = "/ip4/104.131.131.82/udp/4001/quic/p2p/QmaCpDMGvV2BGHeYERUEnRQAwe3N8SzbUtfsmvsqQLuvuJ";

/** fs-repo-16-to-17's list (migration.go DefaultBootstrapAddresses): these become "auto". */
const DEFAULT_BOOTSTRAP = new Set([
  "/dnsaddr/bootstrap.libp2p.io/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN",
  "/dnsaddr/bootstrap.libp2p.io/p2p/QmQCU2EcMqAqQPR2i9bChDtGNJchTbq5TbXJJ16u19uLTa",
  "/dnsaddr/bootstrap.libp2p.io/p2p/QmbLHAnMoJPWSCR5Zhtx6BHJX9KiKNN6tpvbUcqanj75Nb",
  "/dnsaddr/bootstrap.libp2p.io/p2p/QmcZf59bWwK5XFi76CZX8cbJ4BhTzzA3gU1ZjYZcYW3dwt",
  "/dnsaddr/va1.bootstrap.libp2p.io/p2p/12D3KooWKnDdG3iXw9eTFijk3EWSunZcFi54Zka4wmtqtt6rPxc8",
  "/ip4/104.131.131.82/tcp/4001/p2p/QmaCpDMGvV2BGHeYERUEnRQAwe3N8SzbUtfsmvsqQLuvuJ",
  "/ip4/104.131.131.82/udp/4001/quic-v1/p2p/QmaCpDMGvV2BGHeYERUEnRQAwe3N8SzbUtfsmvsqQLuvuJ",
]);
const DEFAULT_RESOLVERS = new Set([
  "https://dns.eth.limo/dns-query",
  "https://dns.eth.link/dns-query",
  "https://resolver.cloudflare-eth.com/dns-query",
]);

/** The object at `key` of `parent`, made one (replacing any other value) when it is not. */
function sectionOf(parent: Config, key: string): Config {
  if (!isPlainObject(parent[key])) parent[key] = {};
  return parent[key] as Config;
}

/**
 * fs-repo-9-to-10 (go-ipfs 0.6, migration/config_conv.go): Bootstrap's /ipfs/ peers become /p2p/ ones
 * and the mars peer's QUIC address joins its TCP one; unless Addresses.Swarm, Announce or NoAnnounce
 * holds an address ending in /quic, each list gets a /udp/PORT/quic address after it for each of its
 * addresses ending in /tcp/PORT, and all three are written as lists. A list holding anything but
 * strings makes it panic, as kubo refuses such a list anyway.
 */
function addQuicAddresses(m: RepoMigration): void {
  const config = m.config;
  if (Array.isArray(config.Bootstrap)) {
    const peers = strings(config.Bootstrap).map((peer) =>
      peer.replaceAll("/ipfs/Qm", "/p2p/Qm").replaceAll("/ipfs/1", "/p2p/1"),
    );
    if (peers.includes(MARS.replace("/udp/4001/quic/", "/tcp/4001/")) && !peers.includes(MARS)) peers.push(MARS);
    config.Bootstrap = peers;
  }
  if (!isPlainObject(config.Addresses)) return;
  const addresses = config.Addresses;
  const lists = ["Swarm", "Announce", "NoAnnounce"].map((name) => [name, strings(addresses[name])] as const);
  const hasQuic = lists.some(([, list]) => list.some((address) => address.endsWith("/quic")));
  for (const [name, list] of lists) {
    if (hasQuic) {
      addresses[name] = list;
      continue;
    }
    const quic = list.filter((address) => TCP_END.test(address));
    addresses[name] = [
      ...list,
      ...quic.map((address) => noteSource(m, `Addresses.${name}`, address, address.replace(TCP_END, "/udp/$1/quic"))),
    ];
  }
}

/**
 * fs-repo-12-to-13 (kubo 0.18, migration/config.go convertQuicAddrs): in Addresses.Swarm, Announce,
 * AppendAnnounce, NoAnnounce and Swarm.AddrFilters (each a list), /quic/webtransport becomes
 * /quic-v1/webtransport, then a /quic-v1 address joins each /quic one and a /quic-v1/webtransport
 * one each /quic-v1 one (the part after a /p2p-circuit only); equal strings are kept once.
 */
function addQuicV1Addresses(m: RepoMigration): void {
  const lists: [Config, string, string][] = [];
  if (isPlainObject(m.config.Addresses))
    for (const name of ["Announce", "AppendAnnounce", "NoAnnounce", "Swarm"])
      lists.push([m.config.Addresses, name, `Addresses.${name}`]);
  if (isPlainObject(m.config.Swarm)) lists.push([m.config.Swarm, "AddrFilters", "Swarm.AddrFilters"]);
  const passes = [
    replaceProtocol(false, "/quic/webtransport", "/quic-v1/webtransport", []),
    replaceProtocol(true, "/quic", "/quic-v1", ["/p2p-circuit"]),
    replaceProtocol(true, "/quic-v1", "/quic-v1/webtransport", ["/p2p-circuit", "/webtransport"]),
  ];
  for (const [parent, name, key] of lists) {
    for (const pass of passes) {
      const list = parent[name];
      if (Array.isArray(list)) parent[name] = pass(list, (from, to) => noteSource(m, key, from, to));
    }
  }
}

/**
 * multiaddrPatternReplace of fs-repo-12-to-13: each string with every `from` component after the
 * last of `stopAt` turned into `to`; with `add`, beside the original (which is kept, as anything
 * else is), else instead of it (anything else is dropped). `made` is told of each string it writes.
 */
function replaceProtocol(add: boolean, from: string, to: string, stopAt: string[]) {
  const isAt = (text: string, at: number, part: string) =>
    text.startsWith(part, at) && (text.length === at + part.length || text[at + part.length] === "/");
  return function replace(list: unknown[], made: (from: string, to: string) => string): unknown[] {
    const out: unknown[] = [];
    const seen = new Set<unknown>();
    const keep = (item: unknown) => !seen.has(item) && (seen.add(item), out.push(item));
    for (const item of list) {
      if (add) keep(item);
      if (typeof item !== "string") continue;
      let replaced = "";
      let last = item.length;
      for (let i = item.length - 1; i >= 0; i--) {
        if (isAt(item, i, from)) {
          replaced = to + item.slice(i + from.length, last) + replaced;
          last = i;
        }
        if (stopAt.some((part) => isAt(item, i, part))) break;
      }
      replaced = item.slice(0, last) + replaced;
      if (!add || replaced !== item) keep(made(item, replaced));
    }
    return out;
  };
}

/**
 * fs-repo-12-to-13 (convertRouting, convertReprovider, convertConnMgr): the defaults go-ipfs 0.17
 * and older wrote, so that kubo's own apply: Routing.Type "dht" or "" (with no Routers or Methods),
 * Reprovider.Interval "12h" with Strategy "all", Swarm.ConnMgr "basic" 600/900/"20s".
 */
function dropOldDefaults(m: RepoMigration): void {
  const config = m.config;
  const routing = config.Routing;
  if (isPlainObject(routing) && isEmptyMap(routing.Routers) && isEmptyMap(routing.Methods))
    if (routing.Type === "dht" || routing.Type === "") delete routing.Type;
  const reprovider = config.Reprovider;
  if (isPlainObject(reprovider) && reprovider.Interval === "12h" && reprovider.Strategy === "all") {
    for (const key of ["Interval", "Strategy"]) {
      delete reprovider[key];
      m.removed.set(`Reprovider.${key}`, 13);
    }
  }
  const manager = isPlainObject(config.Swarm) ? config.Swarm.ConnMgr : undefined;
  if (!isPlainObject(manager) || typeof manager.LowWater !== "number" || typeof manager.HighWater !== "number") return;
  // Go compares int(LowWater) and int(HighWater), each a float64 from the JSON.
  const [low, high] = [Math.trunc(manager.LowWater), Math.trunc(manager.HighWater)];
  if (manager.Type === "basic" && low === 600 && high === 900 && manager.GracePeriod === "20s")
    for (const key of ["Type", "GracePeriod", "LowWater", "HighWater"]) delete manager[key];
}

/**
 * fs-repo-13-to-14 (kubo 0.21): Experimental.AcceleratedDHTClient, which must be a boolean
 * ("invalid type": the migration stops), goes to Routing.AcceleratedDHTClient unless that key is
 * there already; Routing gets the key (false) either way. It stops, too, on an Experimental or a
 * Routing that is null (or no object, which kubo refuses anyway).
 */
function moveAcceleratedDHTClient(m: RepoMigration): void {
  for (const section of ["Experimental", "Routing"]) if (m.config[section] === null) return stopOnNull(m, section, 14);
  const experimental = m.config.Experimental;
  let value = false;
  if (isPlainObject(experimental) && Object.hasOwn(experimental, "AcceleratedDHTClient")) {
    if (typeof experimental.AcceleratedDHTClient !== "boolean") {
      m.failures.push({
        key: "Experimental.AcceleratedDHTClient",
        message:
          "is not true or false: kubo's migration to repo version 14, which moves it to " +
          'Routing.AcceleratedDHTClient, stops on it ("invalid type") and kubo does not start',
      });
      return;
    }
    value = experimental.AcceleratedDHTClient;
    delete experimental.AcceleratedDHTClient;
    if (Object.keys(experimental).length === 0) delete m.config.Experimental;
    if (!(isPlainObject(m.config.Routing) && Object.hasOwn(m.config.Routing, "AcceleratedDHTClient")))
      m.moved.set("Routing.AcceleratedDHTClient", { from: "Experimental.AcceleratedDHTClient", version: 14 });
  }
  const routing = sectionOf(m.config, "Routing");
  if (!Object.hasOwn(routing, "AcceleratedDHTClient")) routing.AcceleratedDHTClient = value;
}

/**
 * fs-repo-14-to-15 (kubo 0.23): QUIC draft-29 addresses become /quic-v1 ones, duplicates dropped. It
 * stops on a Bootstrap that is null, as `ipfs bootstrap rm --all` writes it (core/commands/bootstrap.go
 * bootstrapRemoveAll), or no list.
 */
function upgradeQuicAddresses(m: RepoMigration): void {
  if (m.config.Bootstrap === null) return stopOnNull(m, "Bootstrap", 15, "[]");
  if (Array.isArray(m.config.Bootstrap))
    m.config.Bootstrap = m.config.Bootstrap.map((peer) => (peer === MARS ? MARS.replace("/quic/", "/quic-v1/") : peer));
  rewriteAddresses(m, (address) =>
    /\/quic(\/|$)/.test(address)
      ? [address.replace(/\/quic$/, "/quic-v1").replaceAll("/quic/", "/quic-v1/")]
      : [address],
  );
}

/** fs-repo-14-to-15: the CORS headers go-ipfs wrote into Gateway.HTTPHeaders, where they are as it wrote them. */
function dropOldGatewayHeaders(m: RepoMigration): void {
  const headers = isPlainObject(m.config.Gateway) ? m.config.Gateway.HTTPHeaders : undefined;
  if (!isPlainObject(headers)) return;
  const old: Record<string, string[]> = {
    "Access-Control-Allow-Origin": ["*"],
    "Access-Control-Allow-Methods": ["GET"],
    "Access-Control-Allow-Headers": ["X-Requested-With", "Range", "User-Agent"],
  };
  for (const [name, values] of Object.entries(old)) {
    const given = headers[name];
    if (Array.isArray(given) && given.length === values.length && given.every((value, i) => value === values[i]))
      delete headers[name];
  }
}

/** fs-repo-15-to-16 (kubo 0.30): a /webrtc-direct address beside each one ending in /quic-v1. */
function addWebRTCDirect(m: RepoMigration): void {
  rewriteAddresses(m, (address) =>
    /\/quic-v1$/.test(address) ? [address.replace(/\/quic-v1$/, "/webrtc-direct"), address] : [address],
  );
}

/** A migration that stops on a null section or list ("invalid type for .KEY got <nil>"): kubo does not start. */
function stopOnNull(m: RepoMigration, key: string, version: number, empty = "{}"): void {
  m.failures.push({
    key,
    message:
      `is null: kubo's migration to repo version ${version} stops on it ("invalid type for .${key}") ` +
      `and kubo does not start; write ${empty} or remove it`,
  });
}

/** Each string of the Addresses lists through `rewrite`, the first of equal ones kept. */
function rewriteAddresses(m: RepoMigration, rewrite: (address: string) => string[]): void {
  const addresses = m.config.Addresses;
  if (!isPlainObject(addresses)) return;
  for (const name of ADDRESS_LISTS) {
    const list = addresses[name];
    if (!Array.isArray(list)) continue;
    const seen = new Set<string>();
    addresses[name] = list.flatMap((item) => {
      if (typeof item !== "string") return [item];
      return rewrite(item)
        .filter((address) => !seen.has(address) && seen.add(address))
        .map((address) => noteSource(m, `Addresses.${name}`, item, address));
    });
  }
}

/**
 * `to`, written into the list at `key` in place of or beside `from`: it comes from what `from`
 * came from (the first source told wins, as the first of equal strings is the one kept).
 */
function noteSource(m: RepoMigration, key: string, from: string, to: string): string {
  if (to === from) return to;
  const sources = m.sources.get(key) ?? new Map<string, string>();
  m.sources.set(key, sources);
  if (!sources.has(to)) sources.set(to, sources.get(from) ?? from);
  return to;
}

/**
 * fs-repo-16-to-17 (kubo 0.38, repo/fsrepo/migrations/fs-repo-16-to-17/migration/migration.go): an
 * AutoConf section; "auto" for the default bootstrap peers (and for an empty list), for default
 * DNS resolvers (and ".") and for an empty or cid.contact DelegatedRouters; DelegatedPublishers
 * "auto" when empty.
 */
function useAutoConf(m: RepoMigration): void {
  const config = m.config;
  if (!Object.hasOwn(config, "AutoConf")) config.AutoConf = {};
  const peers = strings(config.Bootstrap);
  const custom = peers.filter((peer) => !DEFAULT_BOOTSTRAP.has(peer));
  config.Bootstrap = peers.length === 0 ? ["auto"] : custom.length < peers.length ? ["auto", ...custom] : peers;
  const dns = sectionOf(config, "DNS");
  const resolvers: Record<string, string> = {};
  const given = isPlainObject(dns.Resolvers) ? dns.Resolvers : {};
  for (const [domain, url] of Object.entries(given))
    if (typeof url === "string") resolvers[domain] = DEFAULT_RESOLVERS.has(url) ? "auto" : url;
  if (!Object.hasOwn(resolvers, ".")) resolvers["."] = "auto";
  dns.Resolvers = resolvers;
  const routing = sectionOf(config, "Routing");
  if (isEmptyList(routing.DelegatedRouters)) routing.DelegatedRouters = ["auto"];
  else {
    // cid.contact becomes one "auto" (an "auto" already there is kept as any other URL).
    const routers: string[] = [];
    let replaced = false;
    for (const url of strings(routing.DelegatedRouters)) {
      if (url !== "https://cid.contact") routers.push(url);
      else if (!replaced) (replaced = true), routers.push("auto");
    }
    routing.DelegatedRouters = routers.length === 0 ? ["auto"] : routers;
  }
  const ipns = sectionOf(config, "Ipns");
  if (isEmptyList(ipns.DelegatedPublishers)) ipns.DelegatedPublishers = ["auto"];
}

/**
 * fs-repo-17-to-18 (kubo 0.38): a setting present, even null, is moved; Reprovider.Strategy
 * "flat" becomes "all", and one that is no string "all"; a Provide section it builds replaces the
 * one there; Provider and Reprovider are removed.
 */
function moveProvide(m: RepoMigration): void {
  const config = m.config;
  const provider = isPlainObject(config.Provider) ? config.Provider : {};
  const reprovider = isPlainObject(config.Reprovider) ? config.Reprovider : {};
  const provide: Config = {};
  const dht: Config = {};
  const move = (from: string, value: unknown, to: Config, field: string) => {
    to[field] = value;
    m.moved.set(PROVIDE_MOVES[from] as string, { from, version: 18 });
  };
  if (Object.hasOwn(provider, "Enabled")) move("Provider.Enabled", provider.Enabled, provide, "Enabled");
  if (Object.hasOwn(provider, "WorkerCount")) move("Provider.WorkerCount", provider.WorkerCount, dht, "MaxWorkers");
  if (Object.hasOwn(reprovider, "Strategy")) {
    const strategy = reprovider.Strategy;
    move(
      "Reprovider.Strategy",
      typeof strategy === "string" && strategy !== "flat" ? strategy : "all",
      provide,
      "Strategy",
    );
  }
  if (Object.hasOwn(reprovider, "Interval")) move("Reprovider.Interval", reprovider.Interval, dht, "Interval");
  if (Object.keys(dht).length > 0) provide.DHT = dht;
  if (Object.keys(provide).length > 0) config.Provide = provide;
  delete config.Provider;
  delete config.Reprovider;
}

/** common.ConvertInterfaceSlice(SafeCastSlice(v)): the strings of a list, none of anything else. */
function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** Go's len of a `.(map[string]any)`: 0 for anything that is no object. */
function isEmptyMap(value: unknown): boolean {
  return !isPlainObject(value) || Object.keys(value).length === 0;
}

/** common.IsEmptySlice: absent, null or an empty list (another value is not empty). */
function isEmptyList(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0);
}
