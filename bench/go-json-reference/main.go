// Reads one base64-encoded JSON document per line on stdin and prints, per line, how Go's own
// encoding/json.Unmarshal reads it into a fresh Conf, a small slice of kubo's config in plain Go
// types (nested structs, a list of structs, maps of strings and of structs, an int64, a bool
// and strings): {"ok":false,"err":"..."} where it refuses the document, else {"ok":true,"v":...}
// with every field Go ends up with (json.Marshal of the struct: maps in key order, a nil list or
// map as null). For bench/go-json-differential.ts.
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
)

type Conf struct {
	Addresses Addresses
	Swarm     Swarm
	Peering   Peering
	Resolvers map[string]string
	Services  map[string]Service
	Bootstrap []string
	Offline   bool
	Name      string
	Keep      int64
}

type Addresses struct {
	API     string
	Gateway string
	Swarm   []string
}

type Swarm struct {
	ConnMgr           ConnMgr
	DisableNatPortMap bool
}

type ConnMgr struct {
	HighWater int64
	Type      string
}

type Peering struct {
	Peers []Peer
}

type Peer struct {
	ID    string
	Addrs []string
}

type Service struct {
	Endpoint string
	Policies Policies
}

type Policies struct {
	Enable bool
	Kind   string
}

type result struct {
	Ok  bool   `json:"ok"`
	Err string `json:"err,omitempty"`
	V   *Conf  `json:"v,omitempty"`
}

func read(doc []byte) result {
	var conf Conf
	if err := json.Unmarshal(doc, &conf); err != nil {
		return result{Err: err.Error()}
	}
	return result{Ok: true, V: &conf}
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<22), 1<<22)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		doc, err := base64.StdEncoding.DecodeString(in.Text())
		if err != nil {
			panic(err)
		}
		var line bytes.Buffer
		enc := json.NewEncoder(&line)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(read(doc)); err != nil {
			panic(err)
		}
		out.Write(line.Bytes())
	}
}
