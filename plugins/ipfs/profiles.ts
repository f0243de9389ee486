import { getAt, KitcfgError, stringsOf } from "kitcfg";
import type { Config, Profile } from "kitcfg";
import {
  addressesConfig,
  AUTO,
  badgerMeasureSpec,
  badgerSpec,
  DEFAULT_AUTOCONF_URL,
  flatfsMeasureSpec,
  flatfsSpec,
  pebbleMeasureSpec,
  pebbleSpec,
} from "./defaults.ts";

// kubo's profiles (kubo config/profile.go `Profiles`), applied to the JSON itself so that
// keys kitcfg does not model survive. A Go field set back to its default disappears when
// it is `omitempty` (most Flags and Optional* pointers) and becomes null otherwise, as Go
// would write it. Datastore profiles are InitOnly: a repo's datastore cannot be switched
// in place, so they apply only when the configuration is first written.

/**
 * Private, local and reserved ranges the `server` profile keeps out of announcements and dials
 * (defaultServerFilters).
 */
const SERVER_FILTERS = [
  "/ip4/10.0.0.0/ipcidr/8",
  "/ip4/100.64.0.0/ipcidr/10",
  "/ip4/127.0.0.0/ipcidr/8",
  "/ip4/169.254.0.0/ipcidr/16",
  "/ip4/172.16.0.0/ipcidr/12",
  "/ip4/192.0.0.0/ipcidr/24",
  "/ip4/192.0.2.0/ipcidr/24",
  "/ip4/192.168.0.0/ipcidr/16",
  "/ip4/198.18.0.0/ipcidr/15",
  "/ip4/198.51.100.0/ipcidr/24",
  "/ip4/203.0.113.0/ipcidr/24",
  "/ip4/240.0.0.0/ipcidr/4",
  "/ip6/::/ipcidr/3",
  "/ip6/::1/ipcidr/128",
  "/ip6/100::/ipcidr/64",
  "/ip6/2001:2::/ipcidr/48",
  "/ip6/2001:db8::/ipcidr/32",
  "/ip6/fc00::/ipcidr/7",
  "/ip6/fe80::/ipcidr/10",
];

/** Import settings of the two UnixFS profiles (IPIP-499): [CIDv0 2015, CIDv1 2025]. */
const UNIXFS = {
  "2015": { cid: 0, rawLeaves: false, chunker: "size-262144", fileLinks: 174, estimation: "links" },
  "2025": { cid: 1, rawLeaves: true, chunker: "size-1048576", fileLinks: 1024, estimation: "block" },
} as const;

/** Every profile kubo has, by its name. */
export const PROFILES: Record<string, Profile> = {
  server: change(
    "Keep private and local addresses out of announcements and dials; no mDNS, no NAT port mapping",
    (c) => {
      put(c, "Addresses.NoAnnounce", appendUnique(stringsOf(getAt(c, "Addresses.NoAnnounce")), SERVER_FILTERS));
      put(c, "Swarm.AddrFilters", appendUnique(stringsOf(getAt(c, "Swarm.AddrFilters")), SERVER_FILTERS));
      put(c, "Discovery.MDNS.Enabled", false);
      put(c, "Swarm.DisableNatPortMap", true);
    },
  ),
  "local-discovery": change(
    "Undo `server`: local discovery (mDNS) and NAT port mapping back on, address filters removed",
    (c) => {
      // kubo rebuilds these lists from a Go map (order lost); the remaining entries keep theirs here.
      put(c, "Addresses.NoAnnounce", without(stringsOf(getAt(c, "Addresses.NoAnnounce")), SERVER_FILTERS));
      put(c, "Swarm.AddrFilters", without(stringsOf(getAt(c, "Swarm.AddrFilters")), SERVER_FILTERS));
      put(c, "Discovery.MDNS.Enabled", true);
      put(c, "Swarm.DisableNatPortMap", false);
    },
  ),
  test: change(
    "Loopback-only random ports, no bootstrap, discovery, AutoTLS or AutoConf: for test environments",
    (c) => {
      put(c, "Addresses.API", "/ip4/127.0.0.1/tcp/0");
      put(c, "Addresses.Gateway", "/ip4/127.0.0.1/tcp/0");
      put(c, "Addresses.Swarm", ["/ip4/127.0.0.1/tcp/0"]);
      put(c, "Swarm.DisableNatPortMap", true);
      put(c, "Routing.LoopbackAddressesOnLanDHT", true);
      put(c, "Bootstrap", []);
      put(c, "Discovery.MDNS.Enabled", false);
      put(c, "AutoTLS.Enabled", false);
      put(c, "AutoConf.Enabled", false);
      // With AutoConf off, the fields it would fill are emptied rather than left as "auto".
      put(c, "DNS.Resolvers", {});
      put(c, "Routing.DelegatedRouters", []);
      put(c, "Ipns.DelegatedPublishers", []);
    },
  ),
  "default-networking": change(
    "Undo `test`: default addresses, AutoConf bootstrap, discovery and NAT port mapping",
    (c) => {
      put(c, "Addresses", addressesConfig());
      put(c, "Bootstrap", [AUTO]);
      put(c, "AutoConf.Enabled", undefined);
      put(c, "AutoConf.URL", undefined);
      put(c, "Swarm.DisableNatPortMap", false);
      put(c, "Discovery.MDNS.Enabled", true);
      put(c, "AutoTLS.Enabled", undefined);
    },
  ),
  "default-datastore": datastore("The default datastore (flatfs for blocks, leveldb for the rest)", flatfsSpec),
  flatfs: datastore("flatfs for blocks, leveldb for the rest: the most battle-tested datastore", flatfsSpec),
  "flatfs-measure": datastore("flatfs + leveldb with datastore metrics", flatfsMeasureSpec),
  pebbleds: datastore("The pebble datastore: fast, for large data sets; its format version pinned", pebbleSpec),
  "pebbleds-measure": datastore("pebble with datastore metrics", pebbleMeasureSpec),
  badgerds: datastore("DEPRECATED by kubo: the legacy badger v1 datastore", badgerSpec),
  "badgerds-measure": datastore("DEPRECATED by kubo: badger v1 with datastore metrics", badgerMeasureSpec),
  lowpower: change("Less overhead: DHT client only, no AutoNAT or relay service, 20-40 connections", (c) => {
    put(c, "Routing.Type", "autoclient");
    put(c, "AutoNAT.ServiceMode", "disabled");
    put(c, "Swarm.RelayService.Enabled", false);
    put(c, "Swarm.ConnMgr.Type", "basic");
    put(c, "Swarm.ConnMgr.LowWater", 20);
    put(c, "Swarm.ConnMgr.HighWater", 40);
    put(c, "Swarm.ConnMgr.GracePeriod", "1m0s");
  }),
  "announce-off": change("Stop announcing content to the DHT (for setups that rely on Peering.Peers)", (c) => {
    put(c, "Provide.Enabled", false);
    put(c, "Provide.DHT.Interval", "0s");
  }),
  "announce-on": change("Undo `announce-off`: announce content again, every 22h", (c) => {
    put(c, "Provide.Enabled", true);
    put(c, "Provide.DHT.Interval", "22h0m0s");
  }),
  randomports: {
    ...change("Listen for swarm connections on a random free TCP port", (c) => {
      const port = freePort();
      put(c, "Addresses.Swarm", [`/ip4/0.0.0.0/tcp/${port}`, `/ip6/::/tcp/${port}`]);
    }),
    random: true,
  },
  "unixfs-v0-2015": unixfs(
    "Legacy UnixFS import settings (CIDv0, 256 KiB chunks): only where legacy CIDs are needed",
    "2015",
  ),
  "legacy-cid-v0": unixfs("Another name for unixfs-v0-2015", "2015"),
  "unixfs-v1-2025": unixfs(
    "UnixFS import settings for the same CIDs across implementations (CIDv1, raw leaves, 1 MiB chunks)",
    "2025",
  ),
  "autoconf-on": change(
    'Bootstrap peers, DNS resolvers, delegated routers and publishers from AutoConf ("auto")',
    (c) => {
      put(c, "Bootstrap", [AUTO]);
      put(c, "DNS.Resolvers", { ".": AUTO });
      put(c, "Routing.DelegatedRouters", [AUTO]);
      put(c, "Ipns.DelegatedPublishers", [AUTO]);
      put(c, "AutoConf.Enabled", true);
      if (getAt(c, "AutoConf.URL") == null) put(c, "AutoConf.URL", DEFAULT_AUTOCONF_URL);
    },
  ),
  "autoconf-off": change("AutoConf off, and the fields it fills emptied, for manual configuration", (c) => {
    put(c, "Bootstrap", null);
    put(c, "DNS.Resolvers", null);
    put(c, "Routing.DelegatedRouters", null);
    put(c, "Ipns.DelegatedPublishers", null);
    put(c, "AutoConf.Enabled", false);
  }),
};

// --- internal ---

type Draft = Record<string, unknown>;

/** A profile that edits a copy of the configuration. */
function change(summary: string, edit: (config: Draft) => void, initOnly = false): Profile {
  return {
    summary,
    initOnly,
    apply: function applyKuboProfile(config: Config): Config {
      const copy = structuredClone(config) as Draft;
      edit(copy);
      return copy;
    },
  };
}

function datastore(summary: string, spec: () => Config): Profile {
  return change(summary, (c) => put(c, "Datastore.Spec", spec()), true);
}

function unixfs(summary: string, era: keyof typeof UNIXFS): Profile {
  const s = UNIXFS[era];
  return change(summary, (c) => {
    put(c, "Import.CidVersion", s.cid);
    put(c, "Import.UnixFSRawLeaves", s.rawLeaves);
    put(c, "Import.UnixFSChunker", s.chunker);
    put(c, "Import.HashFunction", "sha2-256");
    put(c, "Import.UnixFSFileMaxLinks", s.fileLinks);
    put(c, "Import.UnixFSDirectoryMaxLinks", 0);
    put(c, "Import.UnixFSHAMTDirectoryMaxFanout", 256);
    put(c, "Import.UnixFSHAMTDirectorySizeThreshold", "256KiB");
    put(c, "Import.UnixFSHAMTDirectorySizeEstimation", s.estimation);
    put(c, "Import.UnixFSDAGLayout", "balanced");
  });
}

/** Set `path`, creating missing sections; undefined removes the key (a Go default left out). */
function put(root: Draft, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = root;
  for (const key of keys.slice(0, -1)) {
    if (!isObject(node[key])) {
      if (value === undefined) return;
      node[key] = {};
    }
    node = node[key] as Draft;
  }
  const last = keys.at(-1)!;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

function isObject(value: unknown): value is Draft {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** kubo `appendSingle`: both lists, each entry once, first occurrence kept. */
function appendUnique(list: string[], extra: string[]): string[] {
  return [...new Set([...list, ...extra])];
}

function without(list: string[], remove: string[]): string[] {
  return [...new Set(list.filter((item) => !remove.includes(item)))];
}

/** A TCP port the system considers free now, as kubo's getAvailablePort asks for one. */
function freePort(): number {
  const errors: string[] = [];
  for (const hostname of ["::", "0.0.0.0"]) {
    try {
      const listener = Bun.listen({ hostname, port: 0, socket: { data() {} } });
      const { port } = listener;
      listener.stop(true);
      return port;
    } catch (error) {
      errors.push((error as Error).message);
    }
  }
  throw new KitcfgError("IO_FAILED", `Cannot find a free TCP port for the randomports profile: ${errors.join("; ")}`);
}
