import type { Config } from "kitcfg";
import type { Identity } from "kitcfg";

// What `ipfs init` writes at kubo v0.43 (repo version 18; the 0.44 dev snapshot is the same):
// tests/fixtures/FORMATS.md §1, from
// kubo config/init.go (InitWithIdentity, addressesConfig, DefaultDatastoreConfig) and the
// struct files config/*.go as Go's encoding/json writes them: fields in declaration order,
// `omitempty` fields left out, nil maps and slices as null, unset Flag and Optional* values
// as null. Datastore specs are Go maps, so their keys come out sorted.

/** The repo version current kubo expects in `$IPFS_PATH/version` (kubo version.go RepoVersion). */
export const REPO_VERSION = 18;

/** The AutoConf placeholder, resolved at run time from AutoConf.URL (config/autoconf.go). */
export const AUTO = "auto";

/** AutoConf's implicit URL (boxo autoconf/client.go MainnetAutoConfURL). */
export const DEFAULT_AUTOCONF_URL = "https://conf.ipfs-mainnet.org/autoconf.json";

/** The top-level sections in kubo's order (config/config.go `Config`). */
export const TOP_LEVEL_KEYS = [
  "Identity",
  "Datastore",
  "Addresses",
  "Mounts",
  "Discovery",
  "Routing",
  "Ipns",
  "Bootstrap",
  "Gateway",
  "API",
  "Swarm",
  "AutoNAT",
  "AutoTLS",
  "Pubsub",
  "Peering",
  "DNS",
  "Migration",
  "AutoConf",
  "Provide",
  "Provider",
  "Reprovider",
  "HTTPRetrieval",
  "Experimental",
  "Plugins",
  "Pinning",
  "Import",
  "Version",
  "Internal",
  "Bitswap",
] as const;

/** pebble's FormatNewest in pebble v2.1.x, which kubo v0.43 links (cockroachdb/pebble format_major_version.go). */
const PEBBLE_FORMAT_NEWEST = 24;

/** flatfs' default shard function (go-ds-flatfs shard.go IPFS_DEF_SHARD). */
const NEXT_TO_LAST_2 = "/repo/flatfs/shard/v1/next-to-last/2";

/** The configuration `ipfs init` writes for an identity, keys in kubo's order. */
export function initConfig(identity: Identity): Config {
  return {
    Identity: { PeerID: identity.id, PrivKey: identity.privateKey },
    Datastore: {
      StorageMax: "10GB",
      StorageGCWatermark: 90,
      GCPeriod: "1h",
      Spec: flatfsSpec(),
      HashOnRead: false,
      BloomFilterSize: 0,
      BlockKeyCacheSize: null,
    },
    Addresses: addressesConfig(),
    Mounts: { IPFS: "/ipfs", IPNS: "/ipns", MFS: "/mfs", FuseAllowOther: null, StoreMtime: null, StoreMode: null },
    Discovery: { MDNS: { Enabled: true } },
    Routing: { DelegatedRouters: [AUTO] },
    Ipns: { RepublishPeriod: "", RecordLifetime: "", ResolveCacheSize: 128, DelegatedPublishers: [AUTO] },
    Bootstrap: [AUTO],
    Gateway: {
      HTTPHeaders: {},
      RootRedirect: "",
      NoFetch: false,
      NoDNSLink: false,
      DeserializedResponses: null,
      AllowCodecConversion: null,
      DisableHTMLErrors: null,
      PublicGateways: null,
      ExposeRoutingAPI: null,
    },
    API: { HTTPHeaders: {} },
    Swarm: {
      AddrFilters: null,
      DisableBandwidthMetrics: false,
      DisableNatPortMap: false,
      RelayClient: {},
      RelayService: {},
      Transports: { Network: {}, Security: {}, Multiplexers: {} },
      ConnMgr: {},
      ResourceMgr: {},
    },
    AutoNAT: {},
    AutoTLS: {},
    Pubsub: { Router: "", DisableSigning: false },
    Peering: { Peers: null },
    DNS: { Resolvers: { ".": AUTO } },
    Migration: {},
    AutoConf: {},
    Provide: { DHT: {} },
    Provider: {},
    Reprovider: {},
    HTTPRetrieval: {},
    Experimental: {
      FilestoreEnabled: false,
      UrlstoreEnabled: false,
      Libp2pStreamMounting: false,
      P2pHttpProxy: false,
      OptimisticProvide: false,
      OptimisticProvideJobsPoolSize: 0,
    },
    Plugins: { Plugins: null },
    Pinning: { RemoteServices: {} },
    Import: {
      CidVersion: null,
      UnixFSRawLeaves: null,
      UnixFSChunker: null,
      HashFunction: null,
      UnixFSFileMaxLinks: null,
      UnixFSDirectoryMaxLinks: null,
      UnixFSHAMTDirectoryMaxFanout: null,
      UnixFSHAMTDirectorySizeThreshold: null,
      UnixFSHAMTDirectorySizeEstimation: null,
      UnixFSDAGLayout: null,
      BatchMaxNodes: null,
      BatchMaxSize: null,
      FastProvideRoot: null,
      FastProvideDAG: null,
      FastProvideWait: null,
    },
    Version: {},
    Internal: {},
    Bitswap: {},
  };
}

/** Default listen addresses: swarm on 4001 (TCP, WebRTC, QUIC, WebTransport), API 5001, gateway 8080. */
export function addressesConfig(): Config {
  return {
    Swarm: [
      "/ip4/0.0.0.0/tcp/4001",
      "/ip6/::/tcp/4001",
      "/ip4/0.0.0.0/udp/4001/webrtc-direct",
      "/ip4/0.0.0.0/udp/4001/quic-v1",
      "/ip4/0.0.0.0/udp/4001/quic-v1/webtransport",
      "/ip6/::/udp/4001/webrtc-direct",
      "/ip6/::/udp/4001/quic-v1",
      "/ip6/::/udp/4001/quic-v1/webtransport",
    ],
    Announce: [],
    AppendAnnounce: [],
    NoAnnounce: [],
    API: "/ip4/127.0.0.1/tcp/5001",
    Gateway: "/ip4/127.0.0.1/tcp/8080",
  };
}

/** The default datastore: flatfs for blocks, leveldb for the rest. */
export function flatfsSpec(): Config {
  return {
    mounts: [
      {
        mountpoint: "/blocks",
        path: "blocks",
        prefix: "flatfs.datastore",
        shardFunc: NEXT_TO_LAST_2,
        sync: false,
        type: "flatfs",
      },
      { compression: "none", mountpoint: "/", path: "datastore", prefix: "leveldb.datastore", type: "levelds" },
    ],
    type: "mount",
  };
}

/** flatfs + leveldb, each wrapped to export metrics. */
export function flatfsMeasureSpec(): Config {
  return {
    mounts: [
      {
        child: { path: "blocks", shardFunc: NEXT_TO_LAST_2, sync: false, type: "flatfs" },
        mountpoint: "/blocks",
        prefix: "flatfs.datastore",
        type: "measure",
      },
      {
        child: { compression: "none", path: "datastore", type: "levelds" },
        mountpoint: "/",
        prefix: "leveldb.datastore",
        type: "measure",
      },
    ],
    type: "mount",
  };
}

/** Pebble, its format pinned so a kubo upgrade does not silently upgrade the database. */
export function pebbleSpec(): Config {
  return { formatMajorVersion: PEBBLE_FORMAT_NEWEST, path: "pebbleds", prefix: "pebble.datastore", type: "pebbleds" };
}

export function pebbleMeasureSpec(): Config {
  return {
    child: { formatMajorVersion: PEBBLE_FORMAT_NEWEST, path: "pebbleds", type: "pebbleds" },
    prefix: "pebble.datastore",
    type: "measure",
  };
}

/** Badger v1, deprecated by kubo. */
export function badgerSpec(): Config {
  return { path: "badgerds", prefix: "badger.datastore", syncWrites: false, truncate: true, type: "badgerds" };
}

export function badgerMeasureSpec(): Config {
  return {
    child: { path: "badgerds", syncWrites: false, truncate: true, type: "badgerds" },
    prefix: "badger.datastore",
    type: "measure",
  };
}
