import { v } from "kitcfg";
import { isByteSize, isGoDuration } from "./_go.ts";

// kubo's config as its Go types read it (kubo config/*.go, config/types.go; FORMATS.md §1).
// Go's encoding/json ignores unknown fields and leaves a field alone on `null`, so every
// section is a loose object and every field may be absent or null. Types are spelled out
// where they drive `--set` coercion and catch what kubo would refuse at start:
// - Flag: true, false, or null for the default;
// - OptionalInteger / OptionalString: a number / string, or null;
// - OptionalDuration: a Go duration string; "", "default" and null mean the default;
// - OptionalBytes: a byte size string ("256KiB") or a number;
// - Strings (Addresses.API, .Gateway): one string or a list of them.
// Multiaddrs, peer IDs and the datastore spec are checked by the plugin's validate, which
// says what is wrong with them.

const int = v.pipe(v.number(), v.integer("expected an integer"));
const nullable = <T extends v.GenericSchema>(schema: T) => v.optional(v.nullable(schema));

const bool = nullable(v.boolean());
const flag = bool;
const str = nullable(v.string());
const optInt = nullable(int);
const list = nullable(v.array(v.string()));
const duration = v.pipe(
  v.string(),
  v.check((text) => ["", "default", "null"].includes(text) || isGoDuration(text), "expected a Go duration such as 30s, 5m or 1h30m"),
);
const optDuration = nullable(duration);
const byteSize = v.pipe(v.string(), v.check((text: string) => isByteSize(text), "expected a byte size such as 10GB or 512MiB"));
const optBytes = nullable(v.union([byteSize, int]));
const addresses = nullable(v.union([v.string(), v.array(v.string())]));
const headers = nullable(v.record(v.string(), v.array(v.string())));
/** Priority (Swarm.Transports.Security, .Multiplexers): a positive integer, false to disable, null. */
const priority = nullable(v.union([v.pipe(int, v.minValue(1, "expected a positive priority")), v.literal(false)]));

/** A section of loosely typed fields: kubo has more than kitcfg spells out. */
function section<E extends v.ObjectEntries>(entries: E) {
  return nullable(v.looseObject(entries));
}

export const schema = v.looseObject({
  Identity: section({ PeerID: str, PrivKey: str }),
  Datastore: section({
    // "" means 10GB (kubo core/corerepo/gc.go NewGC).
    StorageMax: nullable(v.pipe(v.string(), v.check((text: string) => text === "" || isByteSize(text), "expected a byte size such as 10GB or 512MiB"))),
    StorageGCWatermark: optInt,
    GCPeriod: nullable(duration),
    Spec: nullable(v.record(v.string(), v.unknown())),
    HashOnRead: bool,
    BloomFilterSize: optInt,
    BlockKeyCacheSize: optInt,
    WriteThrough: flag,
  }),
  Addresses: section({ Swarm: list, Announce: list, AppendAnnounce: list, NoAnnounce: list, API: addresses, Gateway: addresses }),
  Mounts: section({ IPFS: str, IPNS: str, MFS: str, FuseAllowOther: flag, StoreMtime: flag, StoreMode: flag }),
  Discovery: section({ MDNS: section({ Enabled: bool }) }),
  Routing: section({
    Type: str,
    AcceleratedDHTClient: flag,
    LoopbackAddressesOnLanDHT: flag,
    IgnoreProviders: list,
    DelegatedRouters: list,
    Routers: nullable(v.record(v.string(), v.unknown())),
    Methods: nullable(v.record(v.string(), v.unknown())),
  }),
  Ipns: section({
    RepublishPeriod: nullable(duration),
    RecordLifetime: nullable(duration),
    ResolveCacheSize: optInt,
    MaxCacheTTL: optDuration,
    UsePubsub: flag,
    DelegatedPublishers: list,
  }),
  Bootstrap: list,
  Gateway: section({
    HTTPHeaders: headers,
    RootRedirect: str,
    NoFetch: bool,
    NoDNSLink: bool,
    DeserializedResponses: flag,
    AllowCodecConversion: flag,
    DisableHTMLErrors: flag,
    PublicGateways: nullable(v.record(v.string(), v.nullable(v.looseObject({ Paths: list, UseSubdomains: bool, NoDNSLink: bool, InlineDNSLink: flag, DeserializedResponses: flag })))),
    ExposeRoutingAPI: flag,
    RetrievalTimeout: optDuration,
    MaxRequestDuration: optDuration,
    MaxConcurrentRequests: optInt,
    MaxRangeRequestFileSize: optBytes,
    DiagnosticServiceURL: str,
  }),
  API: section({
    HTTPHeaders: headers,
    Authorizations: nullable(v.record(v.string(), v.nullable(v.looseObject({ AuthSecret: str, AllowedPaths: list })))),
  }),
  Swarm: section({
    AddrFilters: list,
    DisableBandwidthMetrics: bool,
    DisableNatPortMap: bool,
    RelayClient: section({ Enabled: flag, StaticRelays: list }),
    RelayService: section({
      Enabled: flag,
      ConnectionDurationLimit: optDuration,
      ConnectionDataLimit: optInt,
      ReservationTTL: optDuration,
      MaxReservations: optInt,
      MaxCircuits: optInt,
      BufferSize: optInt,
      MaxReservationsPerIP: optInt,
      MaxReservationsPerASN: optInt,
    }),
    EnableHolePunching: flag,
    Transports: section({
      Network: section({ QUIC: flag, TCP: flag, Websocket: flag, Relay: flag, WebTransport: flag, WebRTCDirect: flag }),
      Security: section({ TLS: priority, Noise: priority }),
      Multiplexers: section({ Yamux: priority }),
    }),
    ConnMgr: section({ Type: str, LowWater: optInt, HighWater: optInt, GracePeriod: optDuration, SilencePeriod: optDuration }),
    ResourceMgr: section({ Enabled: flag, MaxMemory: optBytes, MaxFileDescriptors: optInt, Allowlist: list }),
  }),
  AutoNAT: section({
    ServiceMode: nullable(v.picklist(["", "enabled", "disabled", "legacy-v1"])),
    Throttle: section({ GlobalLimit: optInt, PeerLimit: optInt, Interval: optDuration }),
  }),
  AutoTLS: section({
    Enabled: flag,
    AutoWSS: flag,
    SkipDNSLookup: flag,
    DomainSuffix: str,
    RegistrationEndpoint: str,
    RegistrationToken: str,
    RegistrationDelay: optDuration,
    CAEndpoint: str,
    ShortAddrs: flag,
  }),
  Pubsub: section({ Router: str, DisableSigning: bool, Enabled: flag, SeenMessagesTTL: optDuration, SeenMessagesStrategy: str }),
  Peering: section({ Peers: nullable(v.array(v.looseObject({ ID: v.string(), Addrs: list }))) }),
  DNS: section({ Resolvers: nullable(v.record(v.string(), v.string())), MaxCacheTTL: optDuration }),
  Migration: section({ DownloadSources: list, Keep: str }),
  AutoConf: section({ URL: str, Enabled: flag, RefreshInterval: optDuration, TLSInsecureSkipVerify: flag }),
  Provide: section({
    Enabled: flag,
    Strategy: str,
    BloomFPRate: optInt,
    DHT: section({
      Interval: optDuration,
      MaxWorkers: optInt,
      SweepEnabled: flag,
      DedicatedPeriodicWorkers: optInt,
      DedicatedBurstWorkers: optInt,
      MaxProvideConnsPerWorker: optInt,
      KeystoreBatchSize: optInt,
      OfflineDelay: optDuration,
      SendProviderRecordTimeout: optDuration,
      ResumeEnabled: flag,
    }),
  }),
  Provider: section({ Enabled: flag, Strategy: str, WorkerCount: optInt }),
  Reprovider: section({ Interval: optDuration, Strategy: str }),
  HTTPRetrieval: section({ Enabled: flag, Allowlist: list, Denylist: list, NumWorkers: optInt, MaxBlockSize: str, TLSInsecureSkipVerify: flag }),
  Experimental: section({
    FilestoreEnabled: bool,
    UrlstoreEnabled: bool,
    ShardingEnabled: bool,
    Libp2pStreamMounting: bool,
    P2pHttpProxy: bool,
    StrategicProviding: bool,
    OptimisticProvide: bool,
    OptimisticProvideJobsPoolSize: optInt,
    GatewayOverLibp2p: bool,
  }),
  Plugins: section({ Plugins: nullable(v.record(v.string(), v.nullable(v.looseObject({ Disabled: bool, Config: v.optional(v.unknown()) })))) }),
  Pinning: section({
    RemoteServices: nullable(
      v.record(v.string(), v.looseObject({ API: section({ Endpoint: str, Key: str }), Policies: section({ MFS: section({ Enable: bool, PinName: str, RepinInterval: str }) }) })),
    ),
  }),
  Import: section({
    CidVersion: optInt,
    UnixFSRawLeaves: flag,
    UnixFSChunker: str,
    HashFunction: str,
    UnixFSFileMaxLinks: optInt,
    UnixFSDirectoryMaxLinks: optInt,
    UnixFSHAMTDirectoryMaxFanout: optInt,
    UnixFSHAMTDirectorySizeThreshold: optBytes,
    UnixFSHAMTDirectorySizeEstimation: nullable(v.picklist(["links", "block", "disabled"])),
    UnixFSDAGLayout: nullable(v.picklist(["balanced", "trickle"])),
    BatchMaxNodes: optInt,
    BatchMaxSize: optInt,
    FastProvideRoot: flag,
    FastProvideDAG: flag,
    FastProvideWait: flag,
  }),
  Version: section({ AgentSuffix: str, SwarmCheckEnabled: flag, SwarmCheckPercentThreshold: optInt }),
  Internal: section({
    Bitswap: section({}),
    UnixFSShardingSizeThreshold: str,
    Libp2pForceReachability: str,
    BackupBootstrapInterval: optDuration,
    MFSNoFlushLimit: optInt,
    ShutdownTimeout: optDuration,
    CGNATCheck: flag,
    DeadListenerCheck: flag,
    NonPublicAddrPublishing: flag,
  }),
  Bitswap: section({ Libp2pEnabled: flag, ServerEnabled: flag }),
});

/** Key paths whose values never leave kitcfg in clear (kubo itself hides PrivKey and pinning keys). */
export const SECRETS = ["Identity.PrivKey", "API.Authorizations.*.AuthSecret", "Pinning.RemoteServices.*.API.Key", "AutoTLS.RegistrationToken"];
