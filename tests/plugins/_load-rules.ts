// The load-time rules of lotus and the ipfs-cluster daemons as tables of refused values: each
// row is a change (`--set` words), a fragment of kitcfg's message, and the upstream code that
// refuses the value (tests/fixtures/FORMATS.md "lotus load-time rules", "ipfs-cluster
// load-time rules"). Used by the plugin tests (in process) and tests/e2e (the binary).

/** Any real peer ID, for values that need one. */
export const PEER = "12D3KooWBF8cpp65hp2u9LK5mh19x67ftAam84z9LsfaquTDSBpt";

/** A row: the `--set` arguments, a fragment of the refusal, the upstream file and function. */
export type RefusedRow = [sets: string[], message: string, upstream: string];

// Each value lotus refuses when it loads or starts from config.toml, with the upstream code
// that refuses it (filecoin-project/lotus @b835fab7, BurntSushi/toml v1.6.0).
export const LOTUS_REFUSED: RefusedRow[] = [
  [
    ["Chainstore.Splitstore=[]"],
    'Cannot set "Chainstore.Splitstore" for lotus: expected a table, got an array',
    "BurntSushi/toml decode.go unifyStruct (an array where a table belongs)",
  ],
  [
    ["Chainstore.Splitstore.HotStoreMaxSpaceTarget=18446744073709551615"],
    '"Chainstore.Splitstore.HotStoreMaxSpaceTarget" for lotus: expected an unsigned integer up to 9223372036854775807',
    "BurntSushi/toml parse.go valueInteger (int64 range)",
  ],
  [
    ["ChainIndexer.GCRetentionEpochs=-9223372036854775809"],
    "expected an integer from -9223372036854775808 to 9223372036854775807",
    "BurntSushi/toml parse.go valueInteger",
  ],
  [["Events.MaxFilters=1.5"], "expected an integer", "BurntSushi/toml decode.go unifyInt (float into int)"],
  [["Backup.DisableMetadataLog=maybe"], "expected", "BurntSushi/toml decode.go unifyBool"],
  [
    ["Fees.DefaultMaxFee=0.07 FLT"],
    'Cannot set "Fees.DefaultMaxFee" for lotus: "0.07 FLT" is not a FIL amount: unknown unit',
    "chain/types/fil.go ParseFIL (suffix)",
  ],
  [
    ["Fees.DefaultMaxFee=0.0000000000000000001"],
    "not a whole number of attoFIL",
    "chain/types/fil.go ParseFIL (IsInt)",
  ],
  [
    ["API.Timeout=30 seconds"],
    'Cannot set "API.Timeout" for lotus: "30 seconds" is not a Go duration',
    "node/config/def.go Duration.UnmarshalText",
  ],
  [["Events.FilterTTL=24"], '"24" is not a Go duration', "node/config/def.go Duration.UnmarshalText (missing unit)"],
  [
    ["API.Timeout=3000000h"],
    '"3000000h" is not a Go duration',
    "node/config/def.go Duration.UnmarshalText (time.ParseDuration: past int64 nanoseconds)",
  ],
  [
    ["API.ListenAddress=/ip4/127.0.0.1/tcp/99999/http"],
    '"/ip4/127.0.0.1/tcp/99999/http" is not a multiaddr: tcp "99999": not a port number',
    "node/rpc.go ServeRPC (go-multiaddr)",
  ],
  [
    ["API.ListenAddress=/ip4/127.0.0.1/udp/1234"],
    "has no TCP port or unix path to listen on",
    "node/rpc.go ServeRPC (manet.Listen)",
  ],
  [
    ["Libp2p.ConnMgrGrace=-1s"],
    '"Libp2p.ConnMgrGrace" for lotus: "-1s" is negative',
    "node/modules/lp2p/libp2p.go ConnectionManager (go-libp2p connmgr WithGracePeriod)",
  ],
  [
    ['Libp2p.ListenAddresses=["/ip4/0.0.0.0/tcp/0","/ip9/x"]'],
    'item 1 "/ip9/x" is not a multiaddr: unknown protocol "ip9"',
    "node/modules/lp2p/addrs.go StartListening",
  ],
  [
    ['Libp2p.ListenAddresses=["/ip4/0.0.0.0/udp/4001","/ip4/0.0.0.0/tcp/4001/http"]'],
    '"Libp2p.ListenAddresses" for lotus: no address has a transport lotus listens with',
    "node/modules/lp2p/addrs.go StartListening (go-libp2p swarm Listen: failed to listen on any addresses)",
  ],
  [
    ['Libp2p.NoAnnounceAddresses=["/ip4/10.0.0.0/ipcidr/8","/ip4/10.0.0.0/cidr/8"]'],
    'item 1 "/ip4/10.0.0.0/cidr/8" is not a multiaddr: unknown protocol "cidr"',
    "node/modules/lp2p/addrs.go MakeAddrsFactory (NewMask, then ma.NewMultiaddr)",
  ],
  [
    ['Libp2p.BootstrapPeers=["/ip4/1.2.3.4/tcp/1347"]'],
    'item 0 "/ip4/1.2.3.4/tcp/1347" must end with /p2p/<peer ID>',
    "lib/addrutil/parse.go ParseAddresses",
  ],
  [
    ['Libp2p.ProtectedPeers=["QmNotAPeer"]'],
    'item 0 "QmNotAPeer" is not a peer ID',
    "node/modules/lp2p/libp2p.go ConnectionManager (peer.Decode)",
  ],
  [
    ['Pubsub.DirectPeers=["/ip4/1.2.3.4/tcp/1"]'],
    'item 0 "/ip4/1.2.3.4/tcp/1" must end with /p2p/<peer ID>',
    "node/modules/lp2p/pubsub.go GossipSub (AddrInfoFromP2pAddr)",
  ],
  [
    ['Pubsub.IPColocationWhitelist=["10.0.0.0"]'],
    'item 0 "10.0.0.0" is not an IP network',
    "node/modules/lp2p/pubsub.go GossipSub (net.ParseCIDR)",
  ],
  [
    ['Pubsub.IPColocationWhitelist=["10.0.0.0/33"]'],
    "the prefix length must be 0-32",
    "node/modules/lp2p/pubsub.go GossipSub (net.ParseCIDR)",
  ],
  [
    ["Pubsub.RemoteTracer=/ip4/1.2.3.4/tcp/4001"],
    '"Pubsub.RemoteTracer" for lotus: "/ip4/1.2.3.4/tcp/4001" must end with /p2p/<peer ID>',
    "node/modules/lp2p/pubsub.go GossipSub (RemoteTracer: AddrInfoFromP2pAddr)",
  ],
  [
    ["Wallet.RemoteBackend=TOKEN:ftp://wallet.example:1234"],
    '"Wallet.RemoteBackend" for lotus: is neither a multiaddr nor an http, https, ws or wss URL',
    "chain/wallet/remotewallet/remote.go SetupRemoteWallet (go-jsonrpc NewMergeClient: unknown url scheme)",
  ],
  [
    [`Wallet.RemoteBackend=TOKEN:/p2p/${PEER}`],
    '"Wallet.RemoteBackend" for lotus: has a multiaddr with no host and port lotus can dial',
    "cli/util/apiinfo.go APIInfo.DialArgs (manet.DialArgs)",
  ],
  [
    ["Wallet.RemoteBackend=TOKEN:http://wallet host:1234"],
    '"Wallet.RemoteBackend" for lotus: has a URL Go\'s url.Parse refuses',
    "cli/util/apiinfo.go APIInfo.DialArgs (url.Parse: a space in the host)",
  ],
  [
    ["Wallet.RemoteBackend=TOKEN:http://wallet.example:1234/%zz"],
    '"Wallet.RemoteBackend" for lotus: has a URL Go\'s url.Parse refuses',
    "cli/util/apiinfo.go APIInfo.DialArgs (url.Parse: invalid URL escape)",
  ],
  [
    ["Wallet.RemoteBackend=TOKEN:/ip6zone/eth0/ip6/fe80::1/tcp/1234/http"],
    "has a multiaddr whose host Go's url.Parse refuses in the ws:// URL lotus dials",
    "cli/util/apiinfo.go APIInfo.DialArgs (url.JoinPath of ws://[fe80::1%eth0]:1234: zone not %25)",
  ],
  [
    ["Pubsub.ElasticSearchTracer=es.example.com"],
    '"Pubsub.ElasticSearchTracer" for lotus: has no scheme (http:// or https://)',
    "node/modules/tracer/elasticsearch_transport.go NewElasticSearchTransport (NewClient: missing protocol scheme)",
  ],
  [
    ["Pubsub.ElasticSearchTracer=127.0.0.1:9200"],
    '"Pubsub.ElasticSearchTracer" for lotus: is a URL Go\'s url.Parse refuses',
    "node/modules/tracer/elasticsearch_transport.go NewElasticSearchTransport (url.Parse: colon in first segment)",
  ],
  [
    ["Pubsub.ElasticSearchTracer=http://user:s3cret@es.example.com:92OO"],
    '"Pubsub.ElasticSearchTracer" for lotus: is a URL Go\'s url.Parse refuses',
    "node/modules/tracer/elasticsearch_transport.go NewElasticSearchTransport (url.Parse: invalid port)",
  ],
  [
    [
      "FaultReporter.EnableConsensusFaultReporter=true",
      "FaultReporter.ConsensusFaultReporterAddress=t2gfvuyh7v2sx3patm5k23wdzmhyhtmqctasbr24y",
    ],
    'for lotus: "t2gfvuyh7v2sx3patm5k23wdzmhyhtmqctasbr24y" is not a Filecoin address lotus can read: its checksum',
    "chain/gen/slashfilter/slashsvc/slashservice.go SlashConsensus (go-address NewFromString: checksum)",
  ],
  [
    ["Chainstore.Splitstore.ColdStoreType=cold"],
    'expected one of "discard", "messages", "universal"',
    "node/builder_chain.go (no cold blockstore provider)",
  ],
  [
    ["Chainstore.Splitstore.MarkSetType=bloom"],
    'expected one of "map", "badger"',
    "blockstore/splitstore/markset.go OpenMarkSetEnv",
  ],
  [
    ["Fevm.EnableEthRPC=true"],
    '"Fevm.EnableEthRPC" for lotus: needs ChainIndexer.EnableIndexer = true',
    "node/builder_chain.go",
  ],
];

// Each value ipfs-cluster-service v1.1.6 refuses when it loads service.json (its LoadJSON,
// applyJSONConfig and Validate per component), with the upstream file that refuses it.
export const SERVICE_REFUSED: RefusedRow[] = [
  [
    ["api.restapi.headers=[]"],
    'Cannot set "api.restapi.headers" for ipfs-cluster-service: expected a JSON object, got a JSON array',
    "Go encoding/json decode.go (cannot unmarshal array into a map); api/rest/config.go jsonConfig",
  ],
  [["cluster.secret=abc"], '"cluster.secret" for ipfs-cluster-service', "cluster_config.go DecodeClusterSecret (hex)"],
  [
    [`cluster.secret=${"ab".repeat(31)}`],
    "must be 64 hexadecimal characters (32 bytes): it has 62",
    "cluster_config.go DecodeClusterSecret (32 bytes)",
  ],
  [
    ["cluster.listen_multiaddress=[]"],
    '"cluster.listen_multiaddress" for ipfs-cluster-service: is empty',
    "cluster_config.go Validate",
  ],
  [
    ['cluster.peer_addresses=["/ip4/1.2.3.4/tcp/x"]'],
    '"cluster.peer_addresses" for ipfs-cluster-service',
    "cluster_config.go applyConfigJSON (peer_addresses)",
  ],
  [
    ['cluster.listen_multiaddress=["/ip4/0.0.0.0/udp/9096/quic","/ip4/0.0.0.0/udp/9096/quic-v1"]'],
    '"cluster.listen_multiaddress" for ipfs-cluster-service: has no address ending in /tcp/<port>, /ws or /wss',
    "clusterhost.go baseOpts (TCP, websocket only); go-libp2p swarm_listen.go Listen (failed to listen on any)",
  ],
  [["cluster.connection_manager.low_water=500"], "is 500, greater than high_water (400)", "cluster_config.go Validate"],
  [["cluster.connection_manager.high_water=9223372036854775808"], "int64", "encoding/json (int field range)"],
  [
    ["cluster.pubsub.d_factor=0"],
    '"cluster.pubsub.d_factor" for ipfs-cluster-service: must be at least 1',
    "cluster_config.go Validate",
  ],
  [
    ["cluster.pubsub.history_gossip=7"],
    '"cluster.pubsub.history_gossip" for ipfs-cluster-service: (7) cannot be greater than history_length (6)',
    "clusterhost.go newPubSub; go-libp2p-pubsub v0.16.0 gossipsub.go GossipSubParams.validate",
  ],
  [
    ["cluster.pubsub.history_gossip=3", "cluster.pubsub.history_length=2"],
    "(3) cannot be greater than history_length (2)",
    "go-libp2p-pubsub gossipsub.go GossipSubParams.validate",
  ],
  [
    ["cluster.state_sync_interval=0s"],
    '"cluster.state_sync_interval" for ipfs-cluster-service: must be a duration greater than 0',
    "cluster_config.go Validate",
  ],
  [["cluster.pin_recover_interval=12 minutes"], 'is not a Go duration such as "30s"', "config/util.go ParseDurations"],
  [
    ["cluster.pin_recover_interval=3000000h"],
    'is not a Go duration such as "30s"',
    "config/util.go ParseDurations (time.ParseDuration: past int64 nanoseconds)",
  ],
  [
    ["cluster.replication_factor_min=3", "cluster.replication_factor_max=2"],
    "is 3, larger than replication_factor_max (2)",
    "cluster_config.go isReplicationFactorValid",
  ],
  [
    ["cluster.replication_factor_max=3"],
    "both must be -1 (pin everywhere) or both at least 1",
    "cluster_config.go isReplicationFactorValid",
  ],
  [
    ["cluster.pin_only_on_trusted_peers=true", "cluster.pin_only_on_untrusted_peers=true"],
    "cannot be true together",
    "cluster_config.go Validate",
  ],
  [
    ["consensus.crdt.rebroadcast_interval=0s"],
    '"consensus.crdt.rebroadcast_interval" for ipfs-cluster-service: must be a duration greater than 0',
    "consensus/crdt/config.go Validate",
  ],
  [
    ["consensus.crdt.batching.max_queue_size=-1"],
    '"consensus.crdt.batching.max_queue_size" for ipfs-cluster-service: must be greater than 0',
    "consensus/crdt/config.go Validate",
  ],
  [
    ["consensus.crdt.repair_interval=-1h"],
    '"consensus.crdt.repair_interval" for ipfs-cluster-service: cannot be negative',
    "consensus/crdt/config.go Validate",
  ],
  [
    ['consensus.crdt.trusted_peers=["notapeer"]'],
    'item 0 ("notapeer") is not a peer ID',
    "consensus/crdt/config.go applyJSONConfig (peer.Decode)",
  ],
  [["consensus.raft={}"], "holds both crdt and raft", "cmdutils/configs.go GetConsensus"],
  [["api.restapi.max_header_bytes=1024"], "must be at least 4096, got 1024", "api/common/config.go Validate"],
  [["api.restapi.basic_auth_credentials={}"], "use null for no authentication", "api/common/config.go Validate"],
  [
    ["api.restapi.cors_max_age=-1s"],
    '"api.restapi.cors_max_age" for ipfs-cluster-service: cannot be negative',
    "api/common/config.go Validate",
  ],
  [
    ["api.restapi.http_listen_multiaddress=/ip4/1.2.3.4/tcp/notaport"],
    "is not a valid multiaddr",
    "api/common/config.go loadHTTPOptions",
  ],
  [
    ["api.restapi.http_listen_multiaddress=/ip4/127.0.0.1/udp/9094"],
    '"/ip4/127.0.0.1/udp/9094" has no TCP port or unix path to listen on',
    "api/common/api.go setupHTTP (manet.DialArgs, net.Listen)",
  ],
  [
    ["api.pinsvcapi.http_listen_multiaddress=/ip4/127.0.0.1"],
    '"api.pinsvcapi.http_listen_multiaddress" for ipfs-cluster-service: "/ip4/127.0.0.1" has no TCP port',
    "api/common/api.go setupHTTP (net.Listen)",
  ],
  [
    ['api.ipfsproxy.listen_multiaddress=["/ip4/127.0.0.1/tcp/9095","/dns4/localhost/udp/9095"]'],
    '"/dns4/localhost/udp/9095" has no TCP port or unix path to listen on',
    "api/ipfsproxy/ipfsproxy.go New (net.Listen)",
  ],
  [
    [`api.ipfsproxy.node_multiaddress=/p2p/${PEER}`],
    '"api.ipfsproxy.node_multiaddress" for ipfs-cluster-service: "/p2p/',
    "api/ipfsproxy/ipfsproxy.go New (manet.DialArgs)",
  ],
  [
    ["ipfs_connector.ipfshttp.node_multiaddress=/dnsaddr/ipfs.example.com"],
    "is not an address the daemon can dial",
    "ipfsconn/ipfshttp/ipfshttp.go NewConnector (manet.DialArgs)",
  ],
  [
    ["api.restapi.ssl_cert_file=server.crt"],
    "is empty while the other TLS file is set",
    "api/common/config.go tlsOptions",
  ],
  [
    ["api.pinsvcapi.read_timeout=-5s"],
    '"api.pinsvcapi.read_timeout" for ipfs-cluster-service: cannot be negative',
    "api/common/config.go Validate",
  ],
  [
    ["api.ipfsproxy.extract_headers_ttl=-1m"],
    '"api.ipfsproxy.extract_headers_ttl" for ipfs-cluster-service: cannot be negative',
    "api/ipfsproxy/config.go Validate",
  ],
  [
    ["api.ipfsproxy.node_multiaddress=/ip4/x"],
    '"api.ipfsproxy.node_multiaddress" for ipfs-cluster-service',
    "api/ipfsproxy/config.go applyJSONConfig",
  ],
  [
    ["ipfs_connector.ipfshttp.node_multiaddress="],
    '"ipfs_connector.ipfshttp.node_multiaddress" for ipfs-cluster-service: is empty',
    "ipfsconn/ipfshttp/config.go applyJSONConfig",
  ],
  [
    ["ipfs_connector.ipfshttp.pin_timeout=-1s"],
    '"ipfs_connector.ipfshttp.pin_timeout" for ipfs-cluster-service: cannot be negative',
    "ipfsconn/ipfshttp/config.go Validate",
  ],
  [
    ["ipfs_connector.ipfshttp.informer_trigger_interval=-1"],
    "cannot be negative",
    "ipfsconn/ipfshttp/config.go Validate",
  ],
  [
    ["pin_tracker.stateless.concurrent_pins=-1"],
    '"pin_tracker.stateless.concurrent_pins" for ipfs-cluster-service: must be greater than 0',
    "pintracker/stateless/config.go Validate",
  ],
  [
    ["pin_tracker.stateless.priority_pin_max_age=0s"],
    "must be a duration greater than 0",
    "pintracker/stateless/config.go Validate",
  ],
  [
    ["monitor.pubsubmon.check_interval=soon"],
    '"monitor.pubsubmon.check_interval" for ipfs-cluster-service: must be a duration greater than 0',
    "monitor/pubsubmon/config.go applyJSONConfig + Validate",
  ],
  [
    ["informer={}"],
    '"informer" for ipfs-cluster-service: has no disk, tags or pinqueue section',
    "cmd/ipfs-cluster-service/daemon.go createCluster (IsLoadedFromJSON); cluster.go NewCluster (no informers)",
  ],
  [
    ['informer={"numpin":{"metric_ttl":"10s"}}'],
    "has no disk, tags or pinqueue section",
    "cmdutils/configs.go ConfigHelper.init (numpin not registered); cluster.go NewCluster",
  ],
  [["informer.disk.metric_type=used"], 'must be "freespace" or "reposize"', "informer/disk/config.go applyJSONConfig"],
  [
    ["informer.tags.metric_ttl=0s"],
    '"informer.tags.metric_ttl" for ipfs-cluster-service: must be a duration greater than 0',
    "informer/tags/config.go Validate",
  ],
  [
    ["informer.pinqueue.weight_bucket_size=-1"],
    '"informer.pinqueue.weight_bucket_size" for ipfs-cluster-service: cannot be negative',
    "informer/pinqueue/config.go Validate",
  ],
  [
    ["observations.metrics.prometheus_endpoint="],
    '"observations.metrics.prometheus_endpoint" for ipfs-cluster-service: is empty',
    "observations/config.go loadMetricsOptions",
  ],
  [
    ["observations.tracing.jaeger_agent_endpoint=udp/6831"],
    '"observations.tracing.jaeger_agent_endpoint" for ipfs-cluster-service',
    "observations/config.go loadTracingOptions",
  ],
  [
    ["observations.metrics.enable_stats=true", "observations.metrics.prometheus_endpoint=/ip4/127.0.0.1"],
    '"observations.metrics.prometheus_endpoint" for ipfs-cluster-service: "/ip4/127.0.0.1" has no TCP or UDP port',
    "observations/setup.go setupMetrics (manet.DialArgs, http.ListenAndServe: missing port)",
  ],
  [
    ["observations.tracing.enable_tracing=true", "observations.tracing.jaeger_agent_endpoint=/unix/tmp/jaeger.sock"],
    '"/unix/tmp/jaeger.sock" has no TCP or UDP port',
    "observations/setup.go setupTracing (jaeger.NewExporter: UDP agent address)",
  ],
  [
    ["observations.tracing.enable_tracing=true", "observations.tracing.sampling_prob=-0.5"],
    '"observations.tracing.sampling_prob" for ipfs-cluster-service: cannot be negative',
    "observations/config.go TracingConfig.Validate",
  ],
  [
    ["datastore.pebble.pebble_options.l0_stop_writes_threshold=2"],
    "must be at least l0_compaction_threshold (4)",
    "datastore/pebble/config.go Validate -> pebble Options.Validate",
  ],
  [
    ["datastore.pebble.pebble_options.mem_table_stop_writes_threshold=1"],
    "must be at least 2, got 1",
    "pebble Options.Validate",
  ],
  [
    ["datastore.pebble.pebble_options.mem_table_size=4294967295"],
    "must be less than 4294967295 (4 GiB - 1), got 4294967295",
    "pebble v2.1.5 options.go Options.Validate (maxMemTableSize = MaxUint32OrInt)",
  ],
  [
    ["datastore.pebble.pebble_options.format_major_version=12"],
    '"datastore.pebble.pebble_options.format_major_version" for ipfs-cluster-service: must be 13 to 24',
    "pebble v2.1.5 options.go Options.Validate (FormatMinSupported)",
  ],
  [
    ["datastore.pebble.pebble_options.format_major_version=25"],
    "must be 13 to 24 (0 keeps the newest, 24), got 25",
    "pebble v2.1.5 options.go Options.Validate (internalFormatNewest)",
  ],
  [
    ["api.restapi.http_log_file=logs/restapi.log"],
    '"api.restapi.http_log_file" for ipfs-cluster-service: names ',
    "api/common/config.go LogWriter (os.OpenFile O_CREATE, relative to the config folder)",
  ],
  [
    ["api.pinsvcapi.http_log_file=/no-such-folder/pinsvc.log"],
    "/no-such-folder does not exist: the daemon creates the log file, not its folder",
    "api/common/config.go LogWriter; api/common/api.go NewAPIWithHost",
  ],
  [
    ["api.ipfsproxy.log_file=missing/proxy.log"],
    '"api.ipfsproxy.log_file" for ipfs-cluster-service: names ',
    "api/ipfsproxy/ipfsproxy.go New (os.OpenFile O_CREATE)",
  ],
  [["datastore.pebble.pebble_options.max_open_files=many"], "expected", "encoding/json (pebbleOptions int field)"],
  [
    ['datastore={"badger":{"badger_options":{"value_log_loading_mode":1}}}'],
    '"datastore.badger.badger_options.value_log_loading_mode": is 1: badger refuses to open',
    "cmdutils/state.go GetStore -> badger v1.6.2 db.go Open (ErrInvalidLoadingMode)",
  ],
  [
    ['datastore={"badger3":{"badger_options":{"compression":"zstd"}}}'],
    '"badger3.badger_options.compression": expected an integer from 0 to 4294967295, got "zstd"',
    "encoding/json (datastore/badger3/config.go badgerOptions: options.CompressionType, a uint32)",
  ],
];

// A follower loads a local service.json with the same component loaders as the service
// (cmdutils.NewLoadedConfigHelper in cmd/ipfs-cluster-follow/commands.go runCmd), the REST
// API section included: it replaces that API only after the load succeeded.
export const FOLLOW_REFUSED: RefusedRow[] = [
  [["cluster.secret=xyz"], '"cluster.secret" for ipfs-cluster-follow', "cluster_config.go DecodeClusterSecret"],
  [["cluster.dial_peer_timeout=-3s"], "must be a duration greater than 0", "cluster_config.go Validate"],
  [
    ["cluster.replication_factor_min=5", "cluster.replication_factor_max=2"],
    "is 5, larger than replication_factor_max (2)",
    "cluster_config.go isReplicationFactorValid",
  ],
  [
    ["consensus.crdt.rebroadcast_interval=0s"],
    "must be a duration greater than 0",
    "consensus/crdt/config.go Validate",
  ],
  [
    ["consensus.crdt.batching.max_queue_size=-5"],
    "must be greater than 0 (0 keeps the default 50000)",
    "consensus/crdt/config.go Validate",
  ],
  [
    ['consensus.crdt.trusted_peers=["bad"]'],
    'item 0 ("bad") is not a peer ID',
    "consensus/crdt/config.go applyJSONConfig",
  ],
  [
    ['api.restapi={"max_header_bytes":10}'],
    "must be at least 4096, got 10",
    "config/config.go Manager.LoadJSON; api/common/config.go Validate",
  ],
  [["api.pinsvcapi.idle_timeout=-1s"], "cannot be negative", "api/common/config.go Validate"],
  [
    ["ipfs_connector.ipfshttp.node_multiaddress=/dnsaddr/ipfs.example.com"],
    "is not an address the daemon can dial",
    "ipfsconn/ipfshttp/ipfshttp.go NewConnector (manet.DialArgs), cmd/ipfs-cluster-follow/commands.go runCmd",
  ],
  [
    ["ipfs_connector.ipfshttp.node_multiaddress=localhost:5001"],
    "is not a valid multiaddr",
    "ipfsconn/ipfshttp/config.go applyJSONConfig",
  ],
  [
    ["pin_tracker.stateless.priority_pin_max_retries=-1"],
    "must be greater than 0",
    "pintracker/stateless/config.go Validate",
  ],
  [["informer.disk.metric_ttl=0s"], "must be a duration greater than 0", "informer/disk/config.go Validate"],
  [
    ["informer={}"],
    "has no disk, tags or pinqueue section: the daemon builds informers only from those in the file",
    "cmd/ipfs-cluster-follow/commands.go runCmd (IsLoadedFromJSON); cluster.go NewCluster (no informers)",
  ],
  [
    ['cluster.listen_multiaddress=["/ip4/0.0.0.0/udp/9096/quic-v1"]'],
    "has no address ending in /tcp/<port>, /ws or /wss",
    "clusterhost.go baseOpts; go-libp2p swarm_listen.go Listen",
  ],
  [
    ["cluster.pubsub.history_gossip=9"],
    "(9) cannot be greater than history_length (6)",
    "go-libp2p-pubsub gossipsub.go GossipSubParams.validate",
  ],
  [
    ["monitor.pubsubmon.check_interval=0s"],
    "must be a duration greater than 0",
    "monitor/pubsubmon/config.go Validate",
  ],
  [
    ["datastore.pebble.pebble_options.l0_stop_writes_threshold=1"],
    "must be at least l0_compaction_threshold",
    "pebble Options.Validate",
  ],
  [
    ['datastore={"badger":{"badger_options":{"table_loading_mode":3}}}'],
    'badger panics when it opens a table ("Invalid loading mode")',
    "cmdutils/state.go GetStore (crdt) -> badger v1.6.2 table/table.go OpenTable",
  ],
];

// Each flag value ipfs-cluster-ctl v1.1.6 refuses before it sends a request (cmd/ipfs-cluster-ctl
// main.go app.Before, api/rest/client), with the upstream code that refuses it.
export const CTL_REFUSED: RefusedRow[] = [
  [
    ["host=127.0.0.1:9094"],
    '"127.0.0.1:9094" is not a valid multiaddr: a multiaddr starts with /',
    "main.go app.Before (ma.NewMultiaddr)",
  ],
  [["host=/ip4/127.0.0.1/tcpp/9094"], 'unknown protocol "tcpp"', "main.go app.Before (ma.NewMultiaddr)"],
  [["host=/ip4/127.0.0.1/tcp/99999"], "not a port number", "main.go app.Before (ma.NewMultiaddr)"],
  [["host=/ip4/256.0.0.1/tcp/9094"], "not an IPv4 address", "main.go app.Before (ma.NewMultiaddr)"],
  [
    ['host=["/ip4/127.0.0.1/tcp/9094","/dns4/"]'],
    '"dns4" needs a value',
    "main.go app.Before (each comma-separated host)",
  ],
  [["host="], '"host" for ipfs-cluster-ctl: is empty', "main.go app.Before (ma.NewMultiaddr of an empty host)"],
  [[`host=/p2p/${PEER}`], "has a peer ID but no address to reach it", "api/rest/client/transports.go enableLibp2p"],
  [
    ["host=/tcp/9094"],
    "does not start with an IP address or DNS name ctl can reach",
    "api/rest/client/client.go setupHostname (manet.DialArgs: not a 'thin waist' address)",
  ],
  [
    [`host=/ip4/10.0.0.1/tcp/9096/p2p/${PEER}/http`],
    "has /p2p/ before its end",
    "api/rest/client/transports.go enableLibp2p (peer.AddrInfoFromP2pAddr reads the last part)",
  ],
  [["encoding=yaml"], 'expected one of "text", "json", got "yaml"', "main.go app.Before (unsupported encoding)"],
  [["timeout=-1"], "expected an integer from 0 to 9223372036", "main.go app.Before (time.Duration * time.Second)"],
  [["timeout=9223372037"], "expected an integer from 0 to 9223372036", "main.go app.Before (int64 nanoseconds)"],
  [["timeout=1.5"], "expected an integer", "urfave/cli IntFlag (strconv.ParseInt)"],
  [["secret=xyz"], '"secret" for ipfs-cluster-ctl: is not hexadecimal', "main.go app.Before (hex.DecodeString)"],
  [["secret=abc"], "is not hexadecimal", "main.go app.Before (hex.DecodeString: odd length)"],
  [
    [`host=/ip4/10.0.0.1/tcp/9096/p2p/${PEER}`, `secret=${"ab".repeat(16)}`],
    "must be the cluster secret: 64 hexadecimal characters (32 bytes), it has 32",
    "api/rest/client/transports.go enableLibp2p (ProtectorKey length)",
  ],
  [["basic_auth.username=ad:min"], 'contains ":"', 'main.go parseCredentials (split at the first ":")'],
  [["https=maybe"], "expected", "urfave/cli BoolFlag"],
];
