import { goDecoder, isByteSize, v } from "kitcfg";
import {
  durationString,
  goDuration,
  int64,
  optionalBytes,
  optionalDuration,
  orNull,
  priority,
  removed,
  strings,
} from "./go.ts";

// kubo's config as its Go structs read it, field by field (kubo config/*.go at v0.43,
// repo version 18; FORMATS.md "kubo load-time rules"). Every section is a closed object:
// `--set` refuses a key kubo has no field for (with the nearest one), and `validate` warns
// that kubo ignores it. The plugin declares `caseInsensitiveKeys`, as Go's encoding/json
// matches a key to a field whatever its case. Maps (records here) keep their keys exact.
// Values kubo checks only after decoding (enumerations, ranges, combinations) are in
// ipfs/rules.ts, which says what kubo says.

const bool = orNull(v.boolean());
/**
 * Flag (types.go): true, false, or null for the default. It decodes itself: a null member
 * resets it to the default even after a value (Flag.UnmarshalJSON), where a plain bool keeps it.
 */
const flag = goDecoder(orNull(v.boolean()));
const str = orNull(v.string());
const int = orNull(int64);
/**
 * OptionalString and OptionalInteger (types.go) decode themselves: any JSON string, or an int64,
 * and null resets them to their default even after a value, where a plain string or int keeps it.
 */
const optionalString = goDecoder(orNull(v.string()));
const optionalInteger = goDecoder(orNull(int64));
/** An OptionalString whose values kubo checks when it starts: the decoder itself takes any string. */
const optionalOneOf = (options: string[]) => goDecoder(oneOf(options), optionalString);
const list = orNull(v.array(v.string()));
/** OptionalDuration decodes itself (types.go UnmarshalJSON): a duration it cannot parse fails the decode. */
const duration = goDecoder(orNull(optionalDuration));
const plainDuration = orNull(durationString);
const bytes = orNull(optionalBytes);
/**
 * A list or map value where kubo takes the zero value Go's encoding/json gives a null item or map
 * value ("", or no list): the places below where "" means nothing to kubo. Elsewhere a null item is
 * refused as a string would be that kubo refuses as "" (an address, a peer ID).
 */
const nullableList = orNull(v.array(v.nullable(v.string())));
const headers = orNull(v.record(v.string(), v.nullable(v.array(v.nullable(v.string())))));

/** A Go struct: its fields, closed to other keys. */
function struct<E extends v.ObjectEntries>(entries: E) {
  return orNull(v.object(entries));
}

/** An enumeration kubo switches on after decoding: one of `options`, or null for its default. */
function oneOf(options: string[]) {
  return orNull(v.picklist(options));
}

/** Parameters of a Routing.Routers entry, for each router Type (config/routing.go). */
const routerParameters = struct({
  // http: HTTPRouterParams
  Endpoint: str,
  MaxProvideBatchSize: int,
  MaxProvideConcurrency: int,
  // dht: DHTRouterParams
  Mode: str,
  AcceleratedDHTClient: bool,
  PublicIPNetwork: bool,
  // parallel, sequential: ComposableRouterParams
  Routers: orNull(
    v.array(
      v.object({
        RouterName: str,
        Timeout: goDecoder(v.optional(goDuration)),
        IgnoreErrors: bool,
        ExecuteAfter: duration,
      }),
    ),
  ),
  Timeout: duration,
});

/** The router types kubo decodes `Parameters` for (config/routing.go RouterParser.UnmarshalJSON). */
export const ROUTER_TYPES = ["http", "dht", "parallel", "sequential"];

const knownRouter = v.object({ Type: str, Parameters: routerParameters });
/** A router of another Type: kubo decodes its Parameters into a plain `any`, so any JSON value. */
const otherRouter = v.object({ Type: str, Parameters: v.optional(v.unknown()) });

/**
 * A Routing.Routers entry, typed by its Type (read without the entry: the known types' fields).
 * A missing or null Parameters is refused in ipfs/routing.ts whatever the Type.
 */
const router = v.lazy((input: unknown) => {
  const type = typeof input === "object" && input !== null ? (input as { Type?: unknown }).Type : undefined;
  return input === undefined || ROUTER_TYPES.includes(type as string) ? knownRouter : otherRouter;
});

export const schema = v.object({
  Identity: struct({ PeerID: str, PrivKey: str }),
  Datastore: struct({
    // "" means 10GB (core/corerepo/gc.go NewGC); otherwise humanize.ParseBytes.
    StorageMax: orNull(
      v.pipe(
        v.string(),
        v.check((text: string) => text === "" || isByteSize(text), "expected a byte size such as 10GB or 512MiB"),
      ),
    ),
    StorageGCWatermark: int,
    GCPeriod: plainDuration,
    Type: str,
    Path: str,
    NoSync: bool,
    Params: v.optional(v.unknown()),
    Spec: orNull(v.record(v.string(), v.unknown())),
    HashOnRead: bool,
    BloomFilterSize: int,
    BlockKeyCacheSize: optionalInteger,
    WriteThrough: flag,
  }),
  Addresses: struct({
    Swarm: list,
    Announce: list,
    AppendAnnounce: list,
    NoAnnounce: list,
    API: orNull(strings),
    Gateway: orNull(strings),
  }),
  Mounts: struct({ IPFS: str, IPNS: str, MFS: str, FuseAllowOther: flag, StoreMtime: flag, StoreMode: flag }),
  Discovery: struct({ MDNS: struct({ Enabled: bool }) }),
  Routing: struct({
    // cmd/ipfs/kubo/daemon.go: the routing options the daemon switches on.
    Type: optionalOneOf([
      "",
      "default",
      "auto",
      "autoclient",
      "dht",
      "dhtclient",
      "dhtserver",
      "none",
      "custom",
      "delegated",
    ]),
    AcceleratedDHTClient: flag,
    LoopbackAddressesOnLanDHT: flag,
    IgnoreProviders: list,
    DelegatedRouters: list,
    Routers: orNull(v.record(v.string(), router)),
    // A null method decodes as one with RouterName "" (config/routing.go Methods): ipfs/routing.ts.
    Methods: orNull(v.record(v.string(), v.nullable(v.object({ RouterName: str })))),
  }),
  Ipns: struct({
    RepublishPeriod: plainDuration,
    RecordLifetime: plainDuration,
    ResolveCacheSize: int,
    MaxCacheTTL: duration,
    UsePubsub: flag,
    DelegatedPublishers: list,
  }),
  Bootstrap: list,
  Gateway: struct({
    HTTPHeaders: headers,
    RootRedirect: str,
    NoFetch: bool,
    NoDNSLink: bool,
    DeserializedResponses: flag,
    AllowCodecConversion: flag,
    DisableHTMLErrors: flag,
    PublicGateways: orNull(
      v.record(
        v.string(),
        v.nullable(
          v.object({
            Paths: nullableList,
            UseSubdomains: bool,
            NoDNSLink: bool,
            InlineDNSLink: flag,
            DeserializedResponses: flag,
          }),
        ),
      ),
    ),
    ExposeRoutingAPI: flag,
    RetrievalTimeout: duration,
    MaxRequestDuration: duration,
    MaxConcurrentRequests: optionalInteger,
    MaxRangeRequestFileSize: bytes,
    DiagnosticServiceURL: optionalString,
  }),
  API: struct({
    HTTPHeaders: headers,
    Authorizations: orNull(v.record(v.string(), v.nullable(v.object({ AuthSecret: str, AllowedPaths: nullableList })))),
  }),
  Swarm: struct({
    AddrFilters: list,
    DisableBandwidthMetrics: bool,
    DisableNatPortMap: bool,
    RelayClient: struct({ Enabled: flag, StaticRelays: list }),
    RelayService: struct({
      Enabled: flag,
      ConnectionDurationLimit: duration,
      ConnectionDataLimit: optionalInteger,
      ReservationTTL: duration,
      MaxReservations: optionalInteger,
      MaxCircuits: optionalInteger,
      BufferSize: optionalInteger,
      MaxReservationsPerIP: optionalInteger,
      MaxReservationsPerASN: optionalInteger,
    }),
    EnableHolePunching: flag,
    Transports: struct({
      Network: struct({ QUIC: flag, TCP: flag, Websocket: flag, Relay: flag, WebTransport: flag, WebRTCDirect: flag }),
      Security: struct({ TLS: orNull(priority), Noise: orNull(priority) }),
      Multiplexers: struct({ Yamux: orNull(priority) }),
    }),
    // core/node/groups.go LibP2P: "", "basic" or "none".
    ConnMgr: struct({
      Type: optionalOneOf(["", "basic", "none"]),
      LowWater: optionalInteger,
      HighWater: optionalInteger,
      GracePeriod: duration,
      SilencePeriod: duration,
    }),
    ResourceMgr: struct({
      Enabled: flag,
      Limits: removed,
      MaxMemory: bytes,
      MaxFileDescriptors: optionalInteger,
      Allowlist: list,
    }),
  }),
  AutoNAT: struct({
    // config/autonat.go UnmarshalText.
    ServiceMode: oneOf(["", "enabled", "disabled", "legacy-v1"]),
    Throttle: struct({ GlobalLimit: int, PeerLimit: int, Interval: duration }),
  }),
  AutoTLS: struct({
    Enabled: flag,
    AutoWSS: flag,
    SkipDNSLookup: flag,
    DomainSuffix: optionalString,
    RegistrationEndpoint: optionalString,
    RegistrationToken: optionalString,
    RegistrationDelay: duration,
    CAEndpoint: optionalString,
    ShortAddrs: flag,
  }),
  Pubsub: struct({
    // Any string decodes; kubo reads Router and SeenMessagesStrategy only with pubsub on (ipfs/rules.ts).
    Router: str,
    DisableSigning: bool,
    Enabled: flag,
    SeenMessagesTTL: duration,
    SeenMessagesStrategy: optionalString,
  }),
  // A null peer decodes as an empty AddrInfo (go-libp2p core/peer/addrinfo_serde.go): ipfs/validate.ts warns of it.
  Peering: struct({ Peers: orNull(v.array(v.nullable(v.object({ ID: str, Addrs: list })))) }),
  DNS: struct({ Resolvers: orNull(v.record(v.string(), v.nullable(v.string()))), MaxCacheTTL: duration }),
  // repo/fsrepo/migrations/migrations.go readMigrationConfig (the message names 'pin', the code takes "keep").
  // Read only to migrate a repo older than version 16 (rules.ts migrationIssues): any text loads.
  Migration: struct({ DownloadSources: nullableList, Keep: str }),
  AutoConf: struct({ URL: optionalString, Enabled: flag, RefreshInterval: duration, TLSInsecureSkipVerify: flag }),
  Provide: struct({
    Enabled: flag,
    Strategy: optionalString,
    BloomFPRate: optionalInteger,
    DHT: struct({
      Interval: duration,
      MaxWorkers: optionalInteger,
      SweepEnabled: flag,
      DedicatedPeriodicWorkers: optionalInteger,
      DedicatedBurstWorkers: optionalInteger,
      MaxProvideConnsPerWorker: optionalInteger,
      KeystoreBatchSize: optionalInteger,
      OfflineDelay: duration,
      SendProviderRecordTimeout: duration,
      ResumeEnabled: flag,
    }),
  }),
  // Deprecated: decoded, then refused when set (daemon.go validateDaemonConfig).
  Provider: struct({ Enabled: flag, Strategy: optionalString, WorkerCount: optionalInteger }),
  Reprovider: struct({ Interval: duration, Strategy: optionalString }),
  HTTPRetrieval: struct({
    Enabled: flag,
    Allowlist: list,
    Denylist: list,
    NumWorkers: optionalInteger,
    MaxBlockSize: optionalString,
    TLSInsecureSkipVerify: flag,
  }),
  Experimental: struct({
    FilestoreEnabled: bool,
    UrlstoreEnabled: bool,
    ShardingEnabled: bool,
    Libp2pStreamMounting: bool,
    P2pHttpProxy: bool,
    StrategicProviding: bool,
    OptimisticProvide: bool,
    OptimisticProvideJobsPoolSize: int,
    GatewayOverLibp2p: bool,
    GraphsyncEnabled: removed,
    AcceleratedDHTClient: removed,
  }),
  Plugins: struct({
    Plugins: orNull(v.record(v.string(), v.nullable(v.object({ Disabled: bool, Config: v.optional(v.unknown()) })))),
  }),
  Pinning: struct({
    RemoteServices: orNull(
      v.record(
        v.string(),
        v.nullable(
          v.object({
            API: struct({ Endpoint: str, Key: str }),
            Policies: struct({ MFS: struct({ Enable: bool, PinName: str, RepinInterval: str }) }),
          }),
        ),
      ),
    ),
  }),
  Import: struct({
    CidVersion: optionalInteger,
    UnixFSRawLeaves: flag,
    UnixFSChunker: optionalString,
    HashFunction: optionalString,
    UnixFSFileMaxLinks: optionalInteger,
    UnixFSDirectoryMaxLinks: optionalInteger,
    UnixFSHAMTDirectoryMaxFanout: optionalInteger,
    UnixFSHAMTDirectorySizeThreshold: bytes,
    UnixFSHAMTDirectorySizeEstimation: optionalOneOf(["links", "block", "disabled"]),
    UnixFSDAGLayout: optionalOneOf(["balanced", "trickle"]),
    BatchMaxNodes: optionalInteger,
    BatchMaxSize: optionalInteger,
    FastProvideRoot: flag,
    FastProvideDAG: flag,
    FastProvideWait: flag,
  }),
  Version: struct({
    AgentSuffix: optionalString,
    SwarmCheckEnabled: flag,
    SwarmCheckPercentThreshold: optionalInteger,
  }),
  Internal: struct({
    Bitswap: struct({
      TaskWorkerCount: optionalInteger,
      EngineBlockstoreWorkerCount: optionalInteger,
      EngineTaskWorkerCount: optionalInteger,
      MaxOutstandingBytesPerPeer: optionalInteger,
      ProviderSearchDelay: duration,
      ProviderSearchMaxResults: optionalInteger,
      WantHaveReplaceSize: optionalInteger,
      BroadcastControl: struct({
        Enable: flag,
        MaxPeers: optionalInteger,
        LocalPeers: flag,
        PeeredPeers: flag,
        MaxRandomPeers: optionalInteger,
        SendToPendingPeers: flag,
      }),
    }),
    UnixFSShardingSizeThreshold: optionalString,
    // core/node/libp2p/libp2p.go ForceReachability.
    Libp2pForceReachability: optionalOneOf(["public", "private"]),
    BackupBootstrapInterval: duration,
    MFSNoFlushLimit: optionalInteger,
    ShutdownTimeout: duration,
    CGNATCheck: flag,
    DeadListenerCheck: flag,
    NonPublicAddrPublishing: flag,
  }),
  Bitswap: struct({ Libp2pEnabled: flag, ServerEnabled: flag }),
});

/** Key paths whose values never leave kitcfg in clear (kubo itself hides PrivKey and pinning keys). */
export const SECRETS = [
  "Identity.PrivKey",
  "API.Authorizations.*.AuthSecret",
  "Pinning.RemoteServices.*.API.Key",
  "AutoTLS.RegistrationToken",
];
