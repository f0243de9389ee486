// Reads "kind<TAB>json-string" lines on stdin and prints, per line, how Go's own strconv and
// time packages read the text as that kind, as kelseyhightower/envconfig hands them a variable:
// {"ok":false} where they fail, else {"ok":true,"v":"<value>"} (integers and durations in
// decimal; floats as the hex bits of the float64 the parse returns). For bench/go-differential.ts.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"time"
)

type result struct {
	Ok bool   `json:"ok"`
	V  string `json:"v,omitempty"`
}

func read(kind, text string) result {
	switch kind {
	case "bool":
		v, err := strconv.ParseBool(text)
		if err != nil {
			return result{}
		}
		return result{true, strconv.FormatBool(v)}
	case "duration":
		v, err := time.ParseDuration(text)
		if err != nil {
			return result{}
		}
		return result{true, strconv.FormatInt(int64(v), 10)}
	case "float32", "float64":
		bits := 64
		if kind == "float32" {
			bits = 32
		}
		v, err := strconv.ParseFloat(text, bits)
		if err != nil {
			return result{}
		}
		return result{true, fmt.Sprintf("%016x", math.Float64bits(v))}
	}
	if strings.HasPrefix(kind, "uint") {
		bits, _ := strconv.Atoi(strings.TrimPrefix(kind, "uint"))
		v, err := strconv.ParseUint(text, 0, bits)
		if err != nil {
			return result{}
		}
		return result{true, strconv.FormatUint(v, 10)}
	}
	bits, _ := strconv.Atoi(strings.TrimPrefix(kind, "int"))
	v, err := strconv.ParseInt(text, 0, bits)
	if err != nil {
		return result{}
	}
	return result{true, strconv.FormatInt(v, 10)}
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		kind, quoted, _ := strings.Cut(in.Text(), "\t")
		var text string
		if err := json.Unmarshal([]byte(quoted), &text); err != nil {
			panic(err)
		}
		line, _ := json.Marshal(read(kind, text))
		out.Write(append(line, '\n'))
	}
}
