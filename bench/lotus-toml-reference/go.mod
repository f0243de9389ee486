module kitcfg.local/lotus-toml-reference

go 1.19

require github.com/BurntSushi/toml v1.6.0

replace github.com/BurntSushi/toml => /tmp/toml
