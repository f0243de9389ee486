module kitcfg.local/go-reference

go 1.19
