module kitcfg.local/go-json-reference

go 1.19
