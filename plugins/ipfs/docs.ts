import type { KeyDoc } from "kitcfg";

/**
 * `kitcfg keys ipfs`: one line per key, in kitcfg's words, after kubo's docs/config.md
 * (ipfs/kubo @867cdc5d), with docs/experimental-features.md and the config/*.go field
 * comments for keys config.md leaves out; `default` is kubo's built-in value where
 * `ipfs init` leaves the key out (config.md's "Default:" lines; core/node/bitswap.go for
 * Internal.Bitswap, core/core.go for Internal.BackupBootstrapInterval).
 */
export function kuboKeyDocs(): Record<string, KeyDoc> {
  return {
    "Identity.PeerID": { doc: "The node's peer id, derived from Identity.PrivKey; never change one without the other" },
    "Identity.PrivKey": { doc: "The node's private key (base64 protobuf); whoever has it can act as this node" },
    "Datastore.StorageMax": { doc: "Size of the repo above which garbage collection runs (with --enable-gc)" },
    "Datastore.StorageGCWatermark": { doc: "Percent of StorageMax at which garbage collection starts" },
    "Datastore.GCPeriod": { doc: "How often garbage collection runs (with --enable-gc), a Go duration" },
    "Datastore.Type": { doc: "Deprecated: datastore type from before Datastore.Spec; describe the datastore in Spec" },
    "Datastore.Path": { doc: "Deprecated: datastore path from before Datastore.Spec; describe the datastore in Spec" },
    "Datastore.NoSync": { doc: "Deprecated: no-fsync switch from before Datastore.Spec; set sync in Spec instead" },
    "Datastore.Params": { doc: "Deprecated: datastore parameters from before Datastore.Spec; use Spec instead" },
    "Datastore.Spec": { doc: "The datastore's layout; fixed when the repo is created (see `kitcfg profiles ipfs`)" },
    "Datastore.HashOnRead": { doc: "Check each block's hash when it is read from disk (slow)" },
    "Datastore.BloomFilterSize": { doc: "Bytes of a bloom filter in front of the blockstore; 0 turns it off" },
    "Datastore.BlockKeyCacheSize": {
      doc: "Entries of the cache of which blocks exist and their sizes (not content); 0 turns it off",
      default: 65536,
    },
    "Datastore.WriteThrough": {
      doc: "Write incoming blocks without first checking whether they are stored; false checks",
      default: true,
    },
    "Addresses.Swarm": { doc: "Multiaddrs the node listens on for other peers" },
    "Addresses.Announce": { doc: "If set, the only addresses announced to other peers" },
    "Addresses.AppendAnnounce": { doc: "Addresses announced in addition to the ones found" },
    "Addresses.NoAnnounce": { doc: "Addresses (or netmasks) never announced" },
    "Addresses.API": { doc: "Multiaddr(s) of the RPC API (admin access: keep it on loopback)" },
    "Addresses.Gateway": { doc: "Multiaddr(s) the HTTP gateway listens on" },
    "Mounts.IPFS": { doc: "Where `ipfs mount` mounts /ipfs (FUSE)" },
    "Mounts.IPNS": { doc: "Where `ipfs mount` mounts /ipns (FUSE)" },
    "Mounts.MFS": { doc: "Where `ipfs mount` mounts the MFS root that `ipfs files` works on (FUSE)" },
    "Mounts.FuseAllowOther": {
      doc: "Let users other than the one mounting use the FUSE mounts (allow_other)",
      default: false,
    },
    "Mounts.StoreMtime": {
      doc: "Writable mounts record modification times in UnixFS (which changes CIDs)",
      default: false,
    },
    "Mounts.StoreMode": {
      doc: "Writable mounts keep chmod permission bits in UnixFS (which changes CIDs)",
      default: false,
    },
    "Discovery.MDNS.Enabled": { doc: "Find peers on the local network with mDNS", default: true },
    "Routing.Type": {
      doc: "Content routing: auto, autoclient, dht, dhtclient, dhtserver, delegated, none or custom",
      default: "auto",
    },
    "Routing.AcceleratedDHTClient": {
      doc: "Crawl the whole DHT for faster providing and lookups (more resources)",
      default: false,
    },
    "Routing.LoopbackAddressesOnLanDHT": {
      doc: "Keep loopback addresses in the LAN DHT (several test nodes on one machine)",
      default: false,
    },
    "Routing.IgnoreProviders": { doc: "Peer IDs whose provider records are ignored", default: [] },
    "Routing.DelegatedRouters": {
      doc: 'HTTP routers (Routing V1 API) queried besides the DHT; "auto": AutoConf\'s list',
    },
    "Routing.Routers.*.Type": {
      doc: "With Routing.Type custom, this router's kind: http, dht, parallel or sequential",
    },
    "Routing.Routers.*.Parameters.Endpoint": { doc: "http router: URL of the delegated routing server (required)" },
    "Routing.Routers.*.Parameters.MaxProvideBatchSize": {
      doc: "http router: most CIDs sent in one provide batch (default 100)",
    },
    "Routing.Routers.*.Parameters.MaxProvideConcurrency": {
      doc: "http router: provide requests in parallel (default GOMAXPROCS)",
    },
    "Routing.Routers.*.Parameters.Mode": { doc: "dht router: DHT mode, server, client or auto" },
    "Routing.Routers.*.Parameters.AcceleratedDHTClient": {
      doc: "dht router: use the accelerated DHT client (full routing table)",
    },
    "Routing.Routers.*.Parameters.PublicIPNetwork": {
      doc: "dht router: true for the public (WAN) DHT, false for a LAN one",
    },
    "Routing.Routers.*.Parameters.Routers": {
      doc: "parallel or sequential router: the routers it runs, by name, with their timeouts",
    },
    "Routing.Routers.*.Parameters.Timeout": {
      doc: "parallel or sequential router: time limit of the whole run, a Go duration",
    },
    "Routing.Methods.*.RouterName": {
      doc: "With Routing.Type custom, the router (of Routing.Routers) this method uses",
    },
    "Ipns.RepublishPeriod": { doc: "How often IPNS records are republished", default: "4h" },
    "Ipns.RecordLifetime": { doc: "How long a published IPNS record stays valid", default: "48h" },
    "Ipns.ResolveCacheSize": { doc: "Entries of the LRU cache of resolved IPNS names" },
    "Ipns.MaxCacheTTL": { doc: "Upper bound on how long resolved IPNS names (and DNSLinks) stay cached" },
    "Ipns.UsePubsub": { doc: "Publish and resolve IPNS records over pubsub as well", default: false },
    "Ipns.DelegatedPublishers": { doc: 'HTTP endpoints IPNS records are also published to ("auto": from AutoConf)' },
    Bootstrap: { doc: 'Peers dialled on start to join the network ("auto": from AutoConf)' },
    "Gateway.HTTPHeaders.*": { doc: "Values of this header added to every gateway response" },
    "Gateway.RootRedirect": { doc: "Where a request for / on the gateway is redirected" },
    "Gateway.NoFetch": { doc: "Serve only data already local; never fetch from the network", default: false },
    "Gateway.NoDNSLink": { doc: "Do not resolve DNSLink for the Host header", default: false },
    "Gateway.DeserializedResponses": {
      doc: "Serve files and folders, not only verifiable blocks and CARs",
      default: true,
    },
    "Gateway.AllowCodecConversion": {
      doc: "Convert blocks to the codec a request asks for (dag-pb to dag-json...)",
      default: false,
    },
    "Gateway.DisableHTMLErrors": { doc: "Answer gateway errors in plain text instead of HTML pages", default: false },
    "Gateway.PublicGateways.*.Paths": { doc: "Path prefixes (/ipfs, /ipns) this hostname serves" },
    "Gateway.PublicGateways.*.UseSubdomains": { doc: "Redirect to subdomain gateways ({cid}.ipfs.host)" },
    "Gateway.PublicGateways.*.NoDNSLink": { doc: "On this hostname, do not resolve DNSLink from the Host header" },
    "Gateway.PublicGateways.*.InlineDNSLink": {
      doc: "On this hostname, fit a DNSLink name in one DNS label in subdomain redirects",
    },
    "Gateway.PublicGateways.*.DeserializedResponses": {
      doc: "On this hostname, serve files and folders; false: verifiable blocks and CARs only",
    },
    "Gateway.ExposeRoutingAPI": { doc: "Serve the node's routing as /routing/v1 on the gateway port", default: true },
    "Gateway.RetrievalTimeout": {
      doc: "Longest wait for new data while answering a gateway request (504 before the first byte)",
      default: "30s",
    },
    "Gateway.MaxRequestDuration": { doc: "Hard limit on the whole duration of one gateway request", default: "1h" },
    "Gateway.MaxConcurrentRequests": {
      doc: "Gateway requests served at once; more get 429 Too Many Requests",
      default: 4096,
    },
    "Gateway.MaxRangeRequestFileSize": {
      doc: "Largest file a range request is served from (larger: 501); 0 for no limit",
      default: 0,
    },
    "Gateway.DiagnosticServiceURL": {
      doc: "Retrievability checker linked from the gateway's 504 error pages",
      default: "https://check.ipfs.network",
    },
    "API.HTTPHeaders.*": { doc: "Headers added to every RPC API response (CORS)" },
    "API.Authorizations.*.AuthSecret": { doc: "Credential required on the RPC API (basic:user:pass or bearer:token)" },
    "API.Authorizations.*.AllowedPaths": { doc: "RPC API paths this credential may call" },
    "Swarm.AddrFilters": { doc: "Netmasks of addresses never dialled (see the server profile)" },
    "Swarm.DisableBandwidthMetrics": { doc: "Do not count bandwidth use (saves some memory and CPU)" },
    "Swarm.DisableNatPortMap": { doc: "Do not open a port on the router with UPnP or NAT-PMP", default: false },
    "Swarm.RelayClient.Enabled": { doc: "Reserve slots on relays when not publicly reachable" },
    "Swarm.RelayClient.StaticRelays": {
      doc: "Relays to reserve slots on, instead of finding public relays",
      default: [],
    },
    "Swarm.RelayService.Enabled": {
      doc: "Act as a limited relay for other peers when publicly reachable",
      default: true,
    },
    "Swarm.RelayService.ConnectionDurationLimit": {
      doc: "A relayed connection is reset after this long",
      default: "2m",
    },
    "Swarm.RelayService.ConnectionDataLimit": {
      doc: "Bytes relayed each way before a relayed connection is reset",
      default: 131072,
    },
    "Swarm.RelayService.ReservationTTL": {
      doc: "How long a relay reservation lasts before it must be renewed",
      default: "1h",
    },
    "Swarm.RelayService.MaxReservations": { doc: "Most relay reservations held at once", default: 128 },
    "Swarm.RelayService.MaxCircuits": { doc: "Most relayed connections open for one peer", default: 16 },
    "Swarm.RelayService.BufferSize": { doc: "Bytes of buffer of each relayed connection", default: 2048 },
    "Swarm.RelayService.MaxReservationsPerIP": { doc: "Most relay reservations from one IP address", default: 8 },
    "Swarm.RelayService.MaxReservationsPerASN": {
      doc: "Most relay reservations from one autonomous system (ASN)",
      default: 32,
    },
    "Swarm.EnableHolePunching": { doc: "Try direct connections through NATs (DCUtR)", default: true },
    "Swarm.Transports.Network.QUIC": {
      doc: "QUIC transport on or off (a flag: true, false or absent for the default)",
    },
    "Swarm.Transports.Network.TCP": { doc: "TCP transport on or off" },
    "Swarm.Transports.Network.Websocket": { doc: "WebSocket transport on or off" },
    "Swarm.Transports.Network.Relay": { doc: "Reach peers through relays (/p2p-circuit addresses) on or off" },
    "Swarm.Transports.Network.WebTransport": { doc: "WebTransport on or off" },
    "Swarm.Transports.Network.WebRTCDirect": { doc: "WebRTC-direct transport on or off" },
    "Swarm.Transports.Security.TLS": {
      doc: "Priority of TLS 1.3 for securing connections (lower goes first); false disables it",
      default: 100,
    },
    "Swarm.Transports.Security.Noise": {
      doc: "Priority of Noise for securing connections (lower goes first); false disables it",
      default: 200,
    },
    "Swarm.Transports.Multiplexers.Yamux": {
      doc: "Priority of the Yamux stream multiplexer; false disables it",
      default: 100,
    },
    "Swarm.ConnMgr.Type": { doc: "Connection manager: basic or none", default: "basic" },
    "Swarm.ConnMgr.LowWater": { doc: "Connections kept when the manager trims", default: 32 },
    "Swarm.ConnMgr.HighWater": { doc: "Connections above which the manager trims", default: 96 },
    "Swarm.ConnMgr.GracePeriod": { doc: "How long a new connection is safe from trimming", default: "20s" },
    "Swarm.ConnMgr.SilencePeriod": { doc: "Time between two trimming runs of the connection manager", default: "10s" },
    "Swarm.ResourceMgr.Enabled": { doc: "libp2p resource manager limits on or off", default: true },
    "Swarm.ResourceMgr.Limits": {
      doc: "Removed in kubo 0.19, must be empty: limits go in libp2p-resource-limit-overrides.json",
    },
    "Swarm.ResourceMgr.MaxMemory": { doc: 'Memory libp2p may use, e.g. "2GB" (default: half of the system\'s)' },
    "Swarm.ResourceMgr.MaxFileDescriptors": { doc: "File descriptors libp2p may use" },
    "Swarm.ResourceMgr.Allowlist": {
      doc: "Multiaddrs exempt from the system-wide libp2p resource limits",
      default: [],
    },
    "AutoNAT.ServiceMode": {
      doc: "Help other peers learn their reachability: enabled or disabled",
      default: "enabled",
    },
    "AutoNAT.Throttle.GlobalLimit": { doc: "AutoNAT requests served per Interval, all peers together", default: 30 },
    "AutoNAT.Throttle.PeerLimit": { doc: "AutoNAT requests served per Interval to one peer", default: 3 },
    "AutoNAT.Throttle.Interval": { doc: "Period the two AutoNAT limits count over", default: "1m" },
    "AutoTLS.Enabled": { doc: "Get a TLS certificate for /tls/ws addresses from the libp2p.direct service" },
    "AutoTLS.AutoWSS": { doc: "Add a secure WebSocket listener on each TCP port when Addresses.Swarm has no /ws" },
    "AutoTLS.SkipDNSLookup": { doc: "Resolve libp2p.direct names locally instead of asking DNS", default: true },
    "AutoTLS.DomainSuffix": {
      doc: "Parent domain of AutoTLS names; change only with a self-hosted p2p-forge",
      default: "libp2p.direct",
    },
    "AutoTLS.RegistrationEndpoint": {
      doc: "p2p-forge registration API; change only with a self-hosted one",
      default: "https://registration.libp2p.direct",
    },
    "AutoTLS.RegistrationToken": { doc: "Token for a private AutoTLS registration endpoint" },
    "AutoTLS.RegistrationDelay": {
      doc: "Wait before registering for a certificate (default 1h; none when Enabled is set to true)",
    },
    "AutoTLS.CAEndpoint": { doc: "ACME server that issues AutoTLS certificates (default: Let's Encrypt)" },
    "AutoTLS.ShortAddrs": {
      doc: "Announce AutoTLS addresses in the shorter /dnsX/...libp2p.direct form",
      default: true,
    },
    "Pubsub.Router": { doc: "Pubsub router: gossipsub or floodsub", default: "gossipsub" },
    "Pubsub.DisableSigning": { doc: "Neither sign pubsub messages nor check their signatures (unsafe)" },
    "Pubsub.Enabled": { doc: "Run the pubsub subsystem", default: false },
    "Pubsub.SeenMessagesTTL": { doc: "How long pubsub remembers message IDs to drop repeats" },
    "Pubsub.SeenMessagesStrategy": {
      doc: "When a seen message's timer starts: last-seen or first-seen",
      default: "last-seen",
    },
    "Peering.Peers": { doc: "Peers (ID and addresses) always kept connected" },
    "DNS.Resolvers.*": { doc: 'DNS-over-HTTPS resolver URL per domain suffix ("." for every domain)' },
    "DNS.MaxCacheTTL": { doc: "Upper bound on how long DNS-over-HTTPS answers stay cached" },
    "Migration.DownloadSources": {
      doc: "Deprecated: where legacy repo migrations are fetched from (HTTPS only)",
      default: ["HTTPS"],
    },
    "Migration.Keep": {
      doc: "Deprecated: what becomes of downloaded migrations: cache, keep or discard",
      default: "cache",
    },
    "AutoConf.URL": { doc: "Where AutoConf's JSON is fetched" },
    "AutoConf.Enabled": {
      doc: 'Fetch bootstrap peers, resolvers and routers from AutoConf.URL for "auto" values',
      default: true,
    },
    "AutoConf.RefreshInterval": { doc: "How often AutoConf's data is fetched again", default: "24h" },
    "AutoConf.TLSInsecureSkipVerify": {
      doc: "Testing only: fetch AutoConf without checking its TLS certificate",
      default: false,
    },
    "Provide.Enabled": { doc: "Announce local content to the network", default: true },
    "Provide.Strategy": { doc: "What is announced: all, pinned, roots, mfs or a combination", default: "all" },
    "Provide.BloomFPRate": {
      doc: "Bloom filter accuracy (one error in N) of the +unique and +entities strategies",
      default: 4750000,
    },
    "Provide.DHT.Interval": { doc: "How often content is announced again to the DHT", default: "22h" },
    "Provide.DHT.MaxWorkers": { doc: "Most DHT provide operations running at once", default: 16 },
    "Provide.DHT.SweepEnabled": { doc: "Announce in sweeps by keyspace region (for large repos)" },
    "Provide.DHT.DedicatedPeriodicWorkers": { doc: "Sweep provider: workers kept for periodic reprovides", default: 2 },
    "Provide.DHT.DedicatedBurstWorkers": { doc: "Sweep provider: workers kept for providing new content", default: 1 },
    "Provide.DHT.MaxProvideConnsPerWorker": {
      doc: "Connections one provide worker may use to send records",
      default: 20,
    },
    "Provide.DHT.KeystoreBatchSize": {
      doc: "Keys read and written per batch when the provide keystore is rebuilt",
      default: 16384,
    },
    "Provide.DHT.OfflineDelay": {
      doc: "Sweep provider: time disconnected before it drops its queue as offline",
      default: "2h",
    },
    "Provide.DHT.SendProviderRecordTimeout": {
      doc: "Time limit on sending one provider record to one peer",
      default: "10s",
    },
    "Provide.DHT.ResumeEnabled": {
      doc: "Sweep provider: resume its reprovide schedule after a restart",
      default: true,
    },
    "Provider.Enabled": { doc: "Removed: use Provide.Enabled (kubo will not start while this is set)" },
    "Provider.Strategy": { doc: "Removed: use Provide.Strategy (kubo will not start while this is set)" },
    "Provider.WorkerCount": { doc: "Removed: use Provide.DHT.MaxWorkers (kubo will not start while this is set)" },
    "Reprovider.Interval": { doc: "Deprecated: use Provide.DHT.Interval" },
    "Reprovider.Strategy": { doc: "Deprecated: use Provide.Strategy" },
    "HTTPRetrieval.Enabled": { doc: "Fetch blocks over HTTP from providers that offer it", default: true },
    "HTTPRetrieval.Allowlist": { doc: "If not empty, the only hosts blocks are fetched from over HTTP", default: [] },
    "HTTPRetrieval.Denylist": { doc: "Hosts never used for HTTP retrieval; wins over Allowlist", default: [] },
    "HTTPRetrieval.NumWorkers": { doc: "Workers fetching blocks over HTTP in parallel", default: 16 },
    "HTTPRetrieval.MaxBlockSize": { doc: "Largest block accepted over HTTP", default: "2MiB" },
    "HTTPRetrieval.TLSInsecureSkipVerify": {
      doc: "Testing only: accept HTTPS providers whose certificate does not verify",
      default: false,
    },
    "Experimental.FilestoreEnabled": {
      doc: "Allow `ipfs add --nocopy` (blocks refer to files on disk)",
      default: false,
    },
    "Experimental.UrlstoreEnabled": { doc: "Allow `ipfs urlstore add`: blocks read from a URL instead of stored" },
    "Experimental.ShardingEnabled": {
      doc: "Removed: kubo stops at start while true; see Import.UnixFSHAMTDirectorySizeThreshold",
    },
    "Experimental.Libp2pStreamMounting": { doc: "Allow `ipfs p2p` port forwarding over libp2p", default: false },
    "Experimental.P2pHttpProxy": {
      doc: "Proxy /p2p/<peer>/http/ on the gateway to that peer's `ipfs p2p` HTTP service",
    },
    "Experimental.StrategicProviding": { doc: "Removed: kubo will not start while it is true; use Provide.Strategy" },
    "Experimental.OptimisticProvide": {
      doc: "Legacy provider only: end DHT provides early once peers are likely close enough",
    },
    "Experimental.OptimisticProvideJobsPoolSize": {
      doc: "Parallel jobs of optimistic provide; 0 keeps the DHT's default",
    },
    "Experimental.GatewayOverLibp2p": { doc: "Serve a trustless subset of the gateway over libp2p (/http/1.1)" },
    "Experimental.GraphsyncEnabled": { doc: "Removed in kubo 0.25: kubo refuses a config where it is true" },
    "Experimental.AcceleratedDHTClient": {
      doc: "Moved to Routing.AcceleratedDHTClient in kubo 0.21: kubo refuses it here",
    },
    "Plugins.Plugins.*.Disabled": { doc: "Do not load this kubo plugin" },
    "Plugins.Plugins.*.Config": { doc: "Settings handed to this plugin, in its own format" },
    "Pinning.RemoteServices.*.API.Endpoint": { doc: "URL of this remote pinning service (Pinning Service API)" },
    "Pinning.RemoteServices.*.API.Key": { doc: "Access token of this remote pinning service" },
    "Pinning.RemoteServices.*.Policies.MFS.Enable": { doc: "Keep the MFS root pinned on this service as MFS changes" },
    "Pinning.RemoteServices.*.Policies.MFS.PinName": {
      doc: "Name of that remote MFS pin (default policy/<peer id>/mfs)",
    },
    "Pinning.RemoteServices.*.Policies.MFS.RepinInterval": {
      doc: "Least time between two MFS pin requests (default 5m, at least 1m)",
    },
    "Import.CidVersion": { doc: "CID version for `ipfs add` (0 or 1)" },
    "Import.UnixFSRawLeaves": { doc: "Store file data as raw leaves in `ipfs add`" },
    "Import.UnixFSChunker": { doc: "Chunker for `ipfs add`, e.g. size-262144" },
    "Import.HashFunction": { doc: "Hash function for `ipfs add`, e.g. sha2-256" },
    "Import.UnixFSFileMaxLinks": { doc: "Most links in one node of a file's DAG when importing", default: 174 },
    "Import.UnixFSDirectoryMaxLinks": {
      doc: "Most links in a basic (unsharded) directory node; 0 for no limit",
      default: 0,
    },
    "Import.UnixFSHAMTDirectoryMaxFanout": { doc: "Children of one node of a sharded (HAMT) directory", default: 256 },
    "Import.UnixFSHAMTDirectorySizeThreshold": {
      doc: "Directory size above which it is sharded into a HAMT",
      default: "256KiB",
    },
    "Import.UnixFSHAMTDirectorySizeEstimation": {
      doc: "How that directory size is measured: links, block or disabled",
      default: "links",
    },
    "Import.UnixFSDAGLayout": { doc: "DAG layout of imported files: balanced or trickle", default: "balanced" },
    "Import.BatchMaxNodes": { doc: "Most blocks in one write batch while importing", default: 128 },
    "Import.BatchMaxSize": { doc: "Most bytes in one write batch while importing", default: 20971520 },
    "Import.FastProvideRoot": {
      doc: "Announce a newly added root CID at once, besides the provide queue",
      default: true,
    },
    "Import.FastProvideDAG": { doc: "Announce the whole new DAG at once, as Provide.Strategy allows", default: false },
    "Import.FastProvideWait": {
      doc: "Make add and pin wait until that immediate announcement is done",
      default: false,
    },
    "Version.AgentSuffix": { doc: "Text appended to the agent version peers see" },
    "Version.SwarmCheckEnabled": { doc: "Log a warning when enough peers run a newer kubo", default: true },
    "Version.SwarmCheckPercentThreshold": {
      doc: "Percent of kubo peers on a newer version that triggers that warning",
      default: 5,
    },
    "Internal.Bitswap.TaskWorkerCount": { doc: "Bitswap goroutines sending outgoing messages", default: 8 },
    "Internal.Bitswap.EngineBlockstoreWorkerCount": {
      doc: "Bitswap goroutines reading the blockstore for requests",
      default: 128,
    },
    "Internal.Bitswap.EngineTaskWorkerCount": { doc: "Bitswap goroutines preparing responses", default: 8 },
    "Internal.Bitswap.MaxOutstandingBytesPerPeer": {
      doc: "Bytes queued for one peer at most; lower is fairer between peers",
      default: 1048576,
    },
    "Internal.Bitswap.ProviderSearchDelay": {
      doc: "Wait before looking for providers beyond connected Bitswap peers",
      default: "1s",
    },
    "Internal.Bitswap.ProviderSearchMaxResults": {
      doc: "Providers the Bitswap client seeks before it stops; 0 for no limit",
      default: 10,
    },
    "Internal.Bitswap.WantHaveReplaceSize": {
      doc: "Blocks up to this many bytes are sent whole in answer to a want-have",
      default: 1024,
    },
    "Internal.Bitswap.BroadcastControl.Enable": {
      doc: "Send want broadcasts only to peers likely to have the blocks",
      default: true,
    },
    "Internal.Bitswap.BroadcastControl.MaxPeers": {
      doc: "Most peers a want broadcast goes to; -1 for no limit, 0 for none",
    },
    "Internal.Bitswap.BroadcastControl.LocalPeers": {
      doc: "Limit broadcasts to LAN peers too (false: always send to them)",
      default: false,
    },
    "Internal.Bitswap.BroadcastControl.PeeredPeers": {
      doc: "Limit broadcasts to Peering.Peers too (false: always send to them)",
      default: false,
    },
    "Internal.Bitswap.BroadcastControl.MaxRandomPeers": {
      doc: "Random peers that get each broadcast even when not targeted",
      default: 0,
    },
    "Internal.Bitswap.BroadcastControl.SendToPendingPeers": {
      doc: "Also broadcast to peers that have a message pending anyway",
      default: false,
    },
    "Internal.UnixFSShardingSizeThreshold": {
      doc: "Renamed Import.UnixFSHAMTDirectorySizeThreshold: set that instead",
    },
    "Internal.Libp2pForceReachability": { doc: "Skip AutoNAT and take the node as public or private" },
    "Internal.BackupBootstrapInterval": {
      doc: "How often connected peers are saved as backup bootstrap peers",
      default: "1h",
    },
    "Internal.MFSNoFlushLimit": {
      doc: "MFS operations allowed with --flush=false before a flush is required",
      default: 256,
    },
    "Internal.ShutdownTimeout": {
      doc: "Longest graceful shutdown before kubo exits with status 1; 0 waits forever",
      default: "12h",
    },
    "Internal.CGNATCheck": {
      doc: "Log a notice once when the node seems behind carrier-grade or double NAT",
      default: true,
    },
    "Internal.DeadListenerCheck": {
      doc: "Flag Addresses.Swarm listeners that AddrFilters or NoAnnounce make useless",
      default: true,
    },
    "Internal.NonPublicAddrPublishing": {
      doc: "Announce private, loopback and other non-public addresses (unset: libp2p decides)",
    },
    "Bitswap.Libp2pEnabled": { doc: "Bitswap over libp2p on or off (off: HTTP retrieval only)", default: true },

    "Bitswap.ServerEnabled": { doc: "Serve blocks to other peers over Bitswap", default: true },
  };
}
