// Reads one base64 config.toml text a line on stdin and prints, per line, what lotus makes of it
// when it loads it: the EnableSplitstore line check (node/config/load.go ValidateSplitstoreSet),
// BurntSushi/toml's Decode into a struct of the full node's shape with its defaults
// (node/config/types.go, def.go), and the simple checks lotus applies once loaded. Prints
// {"ok":false,"err":...} or {"ok":true,"v":{"Section.Key":value,...}} (integers and durations
// as decimal strings, FIL in attoFIL). For bench/lotus-toml-differential.ts; written for kitcfg,
// it holds no lotus code: the types are re-declared with the same field names and Go kinds.
package main

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Duration: lotus's config.Duration, a time.Duration read by time.ParseDuration.
type Duration time.Duration

func (d *Duration) UnmarshalText(text []byte) error {
	v, err := time.ParseDuration(string(text))
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// FIL: lotus's types.FIL, a struct holding a *big.Int, with a value receiver that sets the pointee.
type FIL struct{ *big.Int }

func (f FIL) UnmarshalText(text []byte) error {
	if f.Int == nil {
		return fmt.Errorf("nil FIL")
	}
	p, err := parseFIL(string(text))
	if err != nil {
		return err
	}
	f.Int.Set(p)
	return nil
}

// parseFIL: a decimal with an optional FIL/attoFIL/aFIL suffix (any case, spaces trimmed), at
// most 50 characters of number, a whole number of attoFIL (chain/types/fil.go ParseFIL, restated).
func parseFIL(s string) (*big.Int, error) {
	suffix := strings.TrimLeft(s, "-.1234567890")
	s = s[:len(s)-len(suffix)]
	atto := false
	if suffix != "" {
		switch strings.ToLower(strings.TrimSpace(suffix)) {
		case "", "fil":
		case "attofil", "afil":
			atto = true
		default:
			return nil, fmt.Errorf("unrecognized suffix: %q", suffix)
		}
	}
	if len(s) > 50 {
		return nil, fmt.Errorf("string length too large: %d", len(s))
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return nil, fmt.Errorf("failed to parse %q as a decimal number", s)
	}
	if !atto {
		r = r.Mul(r, big.NewRat(1000000000000000000, 1))
	}
	if !r.IsInt() {
		return nil, fmt.Errorf("invalid FIL value: %q", s)
	}
	return r.Num(), nil
}

type Common struct {
	API struct {
		ListenAddress, RemoteListenAddress string
		Timeout                            Duration
	}
	Backup  struct{ DisableMetadataLog bool }
	Logging struct{ SubsystemLevels map[string]string }
}

type Splitstore struct {
	ColdStoreType, HotStoreType, MarkSetType                                  string
	HotStoreMessageRetention, HotStoreFullGCFrequency, HotStoreMaxSpaceTarget uint64
	HotStoreMaxSpaceThreshold, HotstoreMaxSpaceSafetyBuffer                   uint64
}

type FullNode struct {
	Common
	Libp2p struct {
		ListenAddresses, AnnounceAddresses, NoAnnounceAddresses, BootstrapPeers, ProtectedPeers []string
		DisableNatPortMap                                                                       bool
		ConnMgrLow, ConnMgrHigh                                                                 uint
		ConnMgrGrace                                                                            Duration
	}
	Pubsub struct {
		Bootstrapper                                                                        bool
		DirectPeers, IPColocationWhitelist                                                  []string
		RemoteTracer, JsonTracer, ElasticSearchTracer, ElasticSearchIndex, TracerSourceAuth string
	}
	Wallet struct {
		RemoteBackend              string
		EnableLedger, DisableLocal bool
	}
	Fees       struct{ DefaultMaxFee FIL }
	Chainstore struct {
		EnableSplitstore bool
		Splitstore       Splitstore
	}
	Fevm struct {
		EnableEthRPC             bool
		EthTraceFilterMaxResults uint64
		EthBlkCacheSize          int
	}
	Events struct {
		EnableActorEventsAPI         bool
		FilterTTL                    Duration
		MaxFilters, MaxFilterResults int
		MaxFilterHeightRange         uint64
	}
	ChainIndexer struct {
		EnableIndexer                   bool
		GCRetentionEpochs               int64
		ReconcileEmptyIndex             bool
		MaxReconcileTipsets             uint64
		AllowIndexReconciliationFailure bool
	}
	FaultReporter struct {
		EnableConsensusFaultReporter                                 bool
		ConsensusFaultReporterDataDir, ConsensusFaultReporterAddress string
	}
	PaymentChannels struct{ EnablePaymentChannelManager bool }
}

// defaults: node/config/def.go DefaultFullNode, restated (its values, not its code).
func defaults() *FullNode {
	c := &FullNode{}
	c.API.ListenAddress = "/ip4/127.0.0.1/tcp/1234/http"
	c.API.Timeout = Duration(30 * time.Second)
	c.Backup.DisableMetadataLog = true
	c.Logging.SubsystemLevels = map[string]string{}
	c.Libp2p.ListenAddresses = []string{"/ip4/0.0.0.0/tcp/0", "/ip6/::/tcp/0"}
	c.Libp2p.AnnounceAddresses = []string{}
	c.Libp2p.NoAnnounceAddresses = []string{}
	c.Libp2p.ConnMgrLow, c.Libp2p.ConnMgrHigh = 150, 180
	c.Libp2p.ConnMgrGrace = Duration(20 * time.Second)
	c.Fees.DefaultMaxFee = FIL{big.NewInt(70000000000000000)}
	c.Chainstore.EnableSplitstore = true
	c.Chainstore.Splitstore = Splitstore{ColdStoreType: "discard", HotStoreType: "badger", MarkSetType: "badger",
		HotStoreFullGCFrequency: 20, HotStoreMaxSpaceTarget: 650000000000, HotStoreMaxSpaceThreshold: 150000000000,
		HotstoreMaxSpaceSafetyBuffer: 50000000000}
	c.Fevm.EthTraceFilterMaxResults, c.Fevm.EthBlkCacheSize = 500, 500
	c.Events.FilterTTL = Duration(time.Hour)
	c.Events.MaxFilters, c.Events.MaxFilterResults, c.Events.MaxFilterHeightRange = 100, 10000, 2880
	c.ChainIndexer.MaxReconcileTipsets = 8640
	return c
}

var splitstoreLine = regexp.MustCompile(`(?m)^\s*EnableSplitstore\s*=`)

// loadedChecks: the checks of a loaded config the differential's texts can reach (FORMATS.md §2).
func loadedChecks(c *FullNode) error {
	if c.Libp2p.ConnMgrGrace < 0 {
		return fmt.Errorf("grace period must be non-negative")
	}
	if c.Chainstore.EnableSplitstore {
		s := c.Chainstore.Splitstore
		if s.MarkSetType != "map" && s.MarkSetType != "badger" {
			return fmt.Errorf("unknown mark set type %q", s.MarkSetType)
		}
		if s.ColdStoreType != "discard" && s.ColdStoreType != "messages" && s.ColdStoreType != "universal" {
			return fmt.Errorf("unknown cold store type %q", s.ColdStoreType)
		}
		if s.HotStoreType != "badger" {
			return fmt.Errorf("unknown hot store type %q", s.HotStoreType)
		}
	}
	if (c.Fevm.EnableEthRPC || c.Events.EnableActorEventsAPI) && !c.ChainIndexer.EnableIndexer {
		return fmt.Errorf("chain indexer must be enabled")
	}
	if c.ChainIndexer.EnableIndexer && c.ChainIndexer.GCRetentionEpochs != 0 && c.ChainIndexer.GCRetentionEpochs < 2880 {
		return fmt.Errorf("gc retention epochs")
	}
	return nil
}

func flatten(v reflect.Value, prefix string, out map[string]any) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f, fv := t.Field(i), v.Field(i)
		name := prefix + f.Name
		if f.Anonymous {
			name = prefix
		}
		switch x := fv.Interface().(type) {
		case Duration:
			out[name] = fmt.Sprint(int64(x))
		case FIL:
			out[name] = x.Int.String()
		case string, bool, []string, map[string]string:
			out[name] = x
		default:
			switch fv.Kind() {
			case reflect.Struct:
				if f.Anonymous {
					flatten(fv, prefix, out)
				} else {
					flatten(fv, name+".", out)
				}
			case reflect.Int, reflect.Int64:
				out[name] = fmt.Sprint(fv.Int())
			case reflect.Uint, reflect.Uint64:
				out[name] = fmt.Sprint(fv.Uint())
			}
		}
	}
}

func load(data []byte) (*FullNode, error) {
	cfg := defaults()
	if !splitstoreLine.Match(data) {
		return nil, fmt.Errorf("Config does not contain explicit set of EnableSplitstore field")
	}
	if _, err := toml.NewDecoder(strings.NewReader(string(data))).Decode(cfg); err != nil {
		return nil, err
	}
	return cfg, loadedChecks(cfg)
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<26)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	for in.Scan() {
		data, err := base64.StdEncoding.DecodeString(in.Text())
		if err != nil {
			panic(err)
		}
		res := map[string]any{"ok": false}
		cfg, err := load(data)
		// unifyStruct decodes a table's keys in Go's map order, which differs run to run: two
		// spellings of one key are both decoded and either is kept. A text lotus refuses in some
		// order is refused.
		for i := 0; i < 16 && err == nil; i++ {
			_, err = load(data)
		}
		if err != nil {
			res["err"] = err.Error()
		} else {
			v := map[string]any{}
			flatten(reflect.ValueOf(cfg).Elem(), "", v)
			res["ok"], res["v"] = true, v
		}
		if err := enc.Encode(res); err != nil {
			panic(err)
		}
	}
}
