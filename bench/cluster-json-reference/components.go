package main

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// loadCluster is cluster_config.go LoadJSON (setDefaults, applyConfigJSON) and Validate.
func loadCluster(raw []byte) error {
	j := &clusterJSON{}
	if err := json.Unmarshal(raw, j); err != nil {
		return err
	}
	secret, err := hex.DecodeString(j.Secret)
	if err != nil {
		return err
	}
	if len(secret) != 0 && len(secret) != 32 {
		return fmt.Errorf("secret is %d bytes", len(secret))
	}
	for _, list := range [][]string{j.ListenMultiaddress, j.AnnounceMultiaddress, j.NoAnnounceMultiaddress, j.PeerAddresses} {
		if err := multiaddrs(list); err != nil {
			return err
		}
	}
	high, low, grace := 400, 100, 2*time.Minute
	if c := j.ConnectionManager; c != nil {
		// ConnMgrConfig{HighWater, LowWater}: the grace period is zero unless given.
		high, low, grace = c.HighWater, c.LowWater, 0
		if err := duration(c.GracePeriod, &grace); err != nil {
			return err
		}
	}
	rfMin, rfMax := -1, -1
	if j.ReplicationFactorMin != 0 {
		rfMin = j.ReplicationFactorMin
	}
	if j.ReplicationFactorMax != 0 {
		rfMax = j.ReplicationFactorMax
	}
	intervals := []time.Duration{3 * time.Second, 5 * time.Minute, 12 * time.Minute, 15 * time.Second, 5 * time.Second, 10 * time.Second}
	for i, text := range []string{j.DialPeerTimeout, j.StateSyncInterval, j.PinRecoverInterval, j.MonitorPingInterval, j.PeerWatchInterval, j.MDNSInterval} {
		if err := duration(text, &intervals[i]); err != nil {
			return err
		}
	}
	switch {
	case j.ListenMultiaddress == nil:
		return errors.New("cluster.listen_multiaddress is undefined")
	case len(j.ListenMultiaddress) == 0:
		return errors.New("cluster.listen_multiaddress is empty")
	case low <= 0 || high <= 0 || low > high || grace == 0:
		return errors.New("cluster.connection_manager is invalid")
	case j.PinOnlyOnTrustedPeers && j.PinOnlyOnUntrustedPeers:
		return errors.New("pin_only_on_trusted_peers and pin_only_on_untrusted_peers")
	}
	for _, d := range intervals[:5] {
		if d <= 0 {
			return errors.New("cluster interval is invalid")
		}
	}
	if p := j.PubSub; p != nil {
		ttl, beat := 30*time.Minute, 10*time.Second
		if err := duration(p.SeenMessagesTTL, &ttl); err != nil {
			return err
		}
		if err := duration(p.HeartbeatInterval, &beat); err != nil {
			return err
		}
		if ttl <= 0 || beat <= 0 || p.DFactor < 1 || p.HistoryGossip <= 0 || p.HistoryLength <= 0 {
			return errors.New("cluster.pubsub is invalid")
		}
	}
	switch {
	case rfMin > rfMax, rfMin < -1, rfMax < -1, (rfMin == -1) != (rfMax == -1):
		return errors.New("cluster.replication_factor is invalid")
	}
	return nil
}

// loadCrdt is consensus/crdt/config.go LoadJSON (its ParseDurations error is dropped) and Validate.
func loadCrdt(raw []byte) error {
	j := &crdtJSON{}
	if err := json.Unmarshal(raw, j); err != nil {
		return fmt.Errorf("error unmarshaling crdt config")
	}
	for _, p := range j.TrustedPeers {
		if p == "*" {
			break
		}
		return fmt.Errorf("error parsing trusted peers: %q", p)
	}
	queue, rebroadcast, repair := 50000, time.Minute, time.Hour
	if j.Batching.MaxQueueSize != 0 {
		queue = j.Batching.MaxQueueSize
	}
	var age time.Duration
	_ = duration(j.RebroadcastInterval, &rebroadcast)
	_ = duration(j.Batching.MaxBatchAge, &age)
	_ = duration(j.RepairInterval, &repair)
	if rebroadcast <= 0 || queue <= 0 || repair < 0 {
		return errors.New("crdt is invalid")
	}
	return nil
}

// loadAPI is api/common/config.go LoadJSON (applyJSONConfig, loadHTTPOptions) and Validate.
func loadAPI(raw []byte) error {
	j := &apiJSON{}
	if err := json.Unmarshal(raw, j); err != nil {
		return err
	}
	if err := multiaddrs(j.HTTPListenMultiaddress); err != nil {
		return err
	}
	var read, header, write, idle, age time.Duration
	for i, text := range []string{j.ReadTimeout, j.ReadHeaderTimeout, j.WriteTimeout, j.IdleTimeout, j.CORSMaxAge} {
		if err := duration(text, []*time.Duration{&read, &header, &write, &idle, &age}[i]); err != nil {
			return err
		}
	}
	header_ := j.MaxHeaderBytes
	if header_ == 0 {
		header_ = 4096
	}
	switch {
	case read < 0 || header < 0 || write < 0 || idle < 0 || age < 0:
		return errors.New("restapi timeout is invalid")
	case header_ < 4096:
		return errors.New("restapi.max_header_bytes")
	case j.BasicAuthCredentials != nil && len(j.BasicAuthCredentials) == 0:
		return errors.New("restapi.basic_auth_creds should be null or have at least one entry")
	}
	return nil
}
