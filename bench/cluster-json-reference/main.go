// Reads one base64-encoded service.json per line on stdin and prints, per line, whether
// ipfs-cluster v1.1.6 would load it: {"ok":true} or {"ok":false,"err":"..."}. The top level is
// config/config.go's own jsonConfig (cluster a *json.RawMessage, each section a map of them);
// the cluster section, consensus.crdt and api.restapi are decoded with their own jsonConfig
// structs (cluster_config.go, consensus/crdt/config.go, api/common/config.go) and checked as
// their applyJSONConfig and Validate do, in stdlib-only Go: a multiaddr or peer ID is judged
// by a stand-in (starts with "/", is "*"), enough for the texts bench/cluster-json-differential.ts
// writes. Every other component is decoded into a struct{} (its JSON type only). Then the
// daemon's pick of consensus and datastore (cmdutils/configs.go GetConsensus, GetDatastore).
package main

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

type jsonSection map[string]*json.RawMessage

type jsonConfig struct {
	Source       string           `json:"source,omitempty"`
	Cluster      *json.RawMessage `json:"cluster,omitempty"`
	Consensus    jsonSection      `json:"consensus,omitempty"`
	API          jsonSection      `json:"api,omitempty"`
	IPFSConn     jsonSection      `json:"ipfs_connector,omitempty"`
	State        jsonSection      `json:"state,omitempty"`
	PinTracker   jsonSection      `json:"pin_tracker,omitempty"`
	Monitor      jsonSection      `json:"monitor,omitempty"`
	Allocator    jsonSection      `json:"allocator,omitempty"`
	Informer     jsonSection      `json:"informer,omitempty"`
	Observations jsonSection      `json:"observations,omitempty"`
	Datastore    jsonSection      `json:"datastore,omitempty"`
}

// Strings is config.Strings (config/util.go): one string or a list of them.
type Strings []string

func (o *Strings) UnmarshalJSON(data []byte) error {
	if data[0] == '[' {
		return json.Unmarshal(data, (*[]string)(o))
	}
	var value string
	if err := json.Unmarshal(data, &value); err != nil {
		return err
	}
	if len(value) == 0 {
		*o = []string{}
	} else {
		*o = []string{value}
	}
	return nil
}

type clusterJSON struct {
	ID                     string  `json:"id,omitempty"`
	Peername               string  `json:"peername"`
	PrivateKey             string  `json:"private_key,omitempty"`
	Secret                 string  `json:"secret"`
	LeaveOnShutdown        bool    `json:"leave_on_shutdown"`
	ListenMultiaddress     Strings `json:"listen_multiaddress"`
	AnnounceMultiaddress   Strings `json:"announce_multiaddress"`
	NoAnnounceMultiaddress Strings `json:"no_announce_multiaddress"`
	EnableRelayHop         bool    `json:"enable_relay_hop"`
	ConnectionManager      *struct {
		HighWater   int    `json:"high_water"`
		LowWater    int    `json:"low_water"`
		GracePeriod string `json:"grace_period"`
	} `json:"connection_manager"`
	ResourceManager *struct {
		Enabled              bool   `json:"enabled"`
		MemoryLimitBytes     uint64 `json:"memory_limit_bytes"`
		FileDescriptorsLimit uint64 `json:"file_descriptors_limit"`
	} `json:"resource_manager"`
	PubSub *struct {
		SeenMessagesTTL   string `json:"seen_messages_ttl"`
		HeartbeatInterval string `json:"heartbeat_interval"`
		DFactor           int    `json:"d_factor"`
		HistoryGossip     int    `json:"history_gossip"`
		HistoryLength     int    `json:"history_length"`
		FloodPublish      bool   `json:"flood_publish"`
	} `json:"pubsub"`
	DialPeerTimeout         string   `json:"dial_peer_timeout"`
	StateSyncInterval       string   `json:"state_sync_interval"`
	PinRecoverInterval      string   `json:"pin_recover_interval"`
	ReplicationFactorMin    int      `json:"replication_factor_min"`
	ReplicationFactorMax    int      `json:"replication_factor_max"`
	MonitorPingInterval     string   `json:"monitor_ping_interval"`
	PeerWatchInterval       string   `json:"peer_watch_interval"`
	MDNSInterval            string   `json:"mdns_interval"`
	PinOnlyOnTrustedPeers   bool     `json:"pin_only_on_trusted_peers"`
	PinOnlyOnUntrustedPeers bool     `json:"pin_only_on_untrusted_peers"`
	DisableRepinning        bool     `json:"disable_repinning"`
	FollowerMode            bool     `json:"follower_mode,omitempty"`
	PeerstoreFile           string   `json:"peerstore_file,omitempty"`
	PeerAddresses           []string `json:"peer_addresses"`
}

type crdtJSON struct {
	ClusterName  string   `json:"cluster_name"`
	TrustedPeers []string `json:"trusted_peers"`
	Batching     struct {
		MaxBatchSize int    `json:"max_batch_size"`
		MaxBatchAge  string `json:"max_batch_age"`
		MaxQueueSize int    `json:"max_queue_size,omitempty"`
	} `json:"batching"`
	RepairInterval      string `json:"repair_interval"`
	RebroadcastInterval string `json:"rebroadcast_interval,omitempty"`
	PeersetMetric       string `json:"peerset_metric,omitempty"`
	DatastoreNamespace  string `json:"datastore_namespace,omitempty"`
}

type apiJSON struct {
	HTTPListenMultiaddress   Strings             `json:"http_listen_multiaddress"`
	SSLCertFile              string              `json:"ssl_cert_file,omitempty"`
	SSLKeyFile               string              `json:"ssl_key_file,omitempty"`
	ReadTimeout              string              `json:"read_timeout"`
	ReadHeaderTimeout        string              `json:"read_header_timeout"`
	WriteTimeout             string              `json:"write_timeout"`
	IdleTimeout              string              `json:"idle_timeout"`
	MaxHeaderBytes           int                 `json:"max_header_bytes"`
	Libp2pListenMultiaddress Strings             `json:"libp2p_listen_multiaddress,omitempty"`
	ID                       string              `json:"id,omitempty"`
	PrivateKey               string              `json:"private_key,omitempty"`
	BasicAuthCredentials     map[string]string   `json:"basic_auth_credentials"`
	HTTPLogFile              string              `json:"http_log_file"`
	Headers                  map[string][]string `json:"headers"`
	CORSAllowedOrigins       []string            `json:"cors_allowed_origins"`
	CORSAllowedMethods       []string            `json:"cors_allowed_methods"`
	CORSAllowedHeaders       []string            `json:"cors_allowed_headers"`
	CORSExposedHeaders       []string            `json:"cors_exposed_headers"`
	CORSAllowCredentials     bool                `json:"cors_allow_credentials"`
	CORSMaxAge               string              `json:"cors_max_age"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<26)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		text, _ := base64.StdEncoding.DecodeString(in.Text())
		if err := load(text); err != nil {
			out.Encode(map[string]any{"ok": false, "err": err.Error()})
		} else {
			out.Encode(map[string]any{"ok": true})
		}
	}
}

// load is config/config.go Manager.LoadJSON, then Manager.Validate and the pick of components.
func load(text []byte) error {
	jcfg := &jsonConfig{}
	if err := json.Unmarshal(text, jcfg); err != nil {
		return err
	}
	if jcfg.Source != "" {
		return errors.New("source: not modelled")
	}
	if jcfg.Cluster == nil {
		return errors.New("cluster.listen_multiaddress is undefined")
	}
	if err := loadCluster(*jcfg.Cluster); err != nil {
		return err
	}
	sections := map[string]jsonSection{
		"consensus": jcfg.Consensus, "api": jcfg.API, "ipfs_connector": jcfg.IPFSConn,
		"pin_tracker": jcfg.PinTracker, "monitor": jcfg.Monitor, "allocator": jcfg.Allocator,
		"informer": jcfg.Informer, "observations": jcfg.Observations, "datastore": jcfg.Datastore,
	}
	registered := map[string][]string{
		"consensus": {"crdt", "raft"}, "api": {"ipfsproxy", "pinsvcapi", "restapi"},
		"ipfs_connector": {"ipfshttp"}, "pin_tracker": {"stateless"}, "monitor": {"pubsubmon"},
		"allocator": {"balanced"}, "informer": {"disk", "pinqueue", "tags"},
		"observations": {"metrics", "tracing"}, "datastore": {"badger", "badger3", "leveldb", "pebble"},
	}
	loaded := map[string]bool{}
	for section, names := range registered {
		for _, name := range names {
			raw, ok := sections[section][name]
			if !ok || raw == nil {
				continue // Default()
			}
			loaded[section+"."+name] = true
			if err := loadComponent(section+"."+name, *raw); err != nil {
				return err
			}
		}
	}
	if loaded["consensus.crdt"] == loaded["consensus.raft"] {
		return errors.New("consensus: none or both loaded")
	}
	if loaded["consensus.crdt"] {
		stores := 0
		for _, name := range registered["datastore"] {
			if loaded["datastore."+name] {
				stores++
			}
		}
		if stores != 1 {
			return errors.New("datastore: none or several loaded")
		}
	}
	return nil
}

func loadComponent(key string, raw []byte) error {
	switch key {
	case "consensus.crdt":
		return loadCrdt(raw)
	case "api.restapi":
		return loadAPI(raw)
	}
	var any struct{}
	return json.Unmarshal(raw, &any)
}

func duration(text string, dst *time.Duration) error {
	if text == "" {
		return nil
	}
	d, err := time.ParseDuration(text)
	if err != nil {
		return err
	}
	*dst = d
	return nil
}

func multiaddrs(list []string) error {
	for _, addr := range list {
		if !strings.HasPrefix(addr, "/") {
			return fmt.Errorf("bad multiaddr %q", addr)
		}
	}
	return nil
}
