import { afterEach, beforeEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { kitcfg, tempDir } from "../helpers.ts";

// Each test runs the binary several times; a loaded machine takes seconds for that.
setDefaultTimeout(60_000);

// What `lassie daemon` refuses when it reads its flags and LASSIE_* variables (tests/fixtures/
// FORMATS.md, "Load-time rules: lassie"): refused by `update --set` (exit 1, config.json and
// lassie.env byte-identical) and failing `validate` when written into config.json by hand.

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

const PEER = "12D3KooWBSTEYMLSu5FnQjshEVah9LFGEZoQt26eacCEVYfedWA4";

/** [what, key, value (JSON), upstream rule] */
const REFUSED: [string, string, unknown, string][] = [
  ["a port beyond 65535", "port", 70000, "pkg/server/http/server.go net.Listen: invalid port"],
  ["a negative port", "port", -1, "cmd/lassie/daemon.go UintFlag port: ParseUint of LASSIE_PORT"],
  ["a negative block limit", "max_blocks", -1, "cmd/lassie/daemon.go Uint64Flag maxblocks: ParseUint"],
  [
    "a negative SP retrieval limit",
    "concurrent_sp_retrievals",
    -1,
    "cmd/lassie/daemon.go UintFlag concurrent-sp-retrievals: ParseUint",
  ],
  ["a fractional count", "bitswap_concurrency", 1.5, "cmd/lassie/flags.go IntFlag: ParseInt of the text"],
  [
    "an address with a port",
    "address",
    "127.0.0.1:8080",
    'pkg/server/http/server.go Sprintf("%s:%d"): too many colons',
  ],
  ["a bare IPv6 address", "address", "::1", 'pkg/server/http/server.go Sprintf("%s:%d"): too many colons'],
  ["an address with a blank", "address", "local host", "pkg/server/http/server.go net.Listen: no such host"],
  [
    "a protocol lassie does not know",
    "protocols",
    ["bitswap", "bittorrent"],
    "cmd/lassie/flags.go FlagProtocols → types.ParseProtocolsString",
  ],
  [
    "no protocol at all, which lassie reads as its defaults",
    "protocols",
    [],
    "cmd/lassie/flags.go FlagProtocols: an empty value does nothing",
  ],
  [
    "a provider as host:port",
    "providers",
    ["127.0.0.1:1234"],
    "cmd/lassie/flags.go FlagAllowProviders → types.ParseProviderStrings",
  ],
  [
    "a provider multiaddr with no peer ID and no http",
    "providers",
    ["/ip4/1.2.3.4/tcp/1234"],
    "types.ParseProviderStrings: needs /p2p/ or http",
  ],
  [
    "a provider URL with a path",
    "providers",
    ["https://provider.lab/ipfs"],
    "types.ParseProviderStrings: the URL path must be empty",
  ],
  [
    "a provider URL whose path is a dot, which WHATWG resolves away but Go keeps",
    "providers",
    ["https://provider.lab/."],
    "types.ParseProviderStrings: url.Parse keeps /., datamodel.ParsePath counts it",
  ],
  [
    "a provider URL with a placeholder for its host",
    "providers",
    ["https://${PROVIDER_HOST}"],
    'types.ParseProviderStrings → url.Parse: invalid character "{" in host name',
  ],
  [
    "a provider URL ending in a backslash",
    "providers",
    ["https://provider.lab\\"],
    'types.ParseProviderStrings → url.Parse: invalid character "\\" in host name',
  ],
  [
    "a provider URL with an IPv4 address in brackets",
    "providers",
    ["http://[192.0.2.1]:8080"],
    'types.ParseProviderStrings → url.Parse (Go 1.25.2 on, parseHost): "invalid IP-literal"',
  ],
  [
    "a provider URL with an empty IPv6 zone",
    "providers",
    ["http://[fe80::1%25]:8080"],
    "types.ParseProviderStrings → url.Parse → netip.ParseAddr: zone must be a non-empty string",
  ],
  [
    "a provider URL with a zone written with a bare %",
    "providers",
    ["http://[fe80::1%eth0]:8080"],
    'types.ParseProviderStrings → url.Parse: invalid URL escape "%et"',
  ],
  [
    "a provider URL with a bracket after the start of its host",
    "providers",
    ["http://provider[::1]:8080"],
    'types.ParseProviderStrings → url.Parse (Go 1.25.2 on, parseHost): "invalid IP-literal"',
  ],
  [
    "a provider URL with a port past 65535",
    "providers",
    ["http://provider.lab:65536"],
    "types.ParseProviderStrings → maurl.FromURL: /tcp port, strconv.ParseUint(port, 10, 16)",
  ],
  [
    "a provider multiaddr whose DNS name is http, with no peer ID",
    "providers",
    ["/dns4/http/tcp/80"],
    "types.ParseProviderStrings → peer.SplitAddr: missing peer id (no http protocol)",
  ],
  [
    "an IPNI endpoint with a fragment, with no provider set",
    "ipni_endpoint",
    "https://cid.contact#x",
    'cmd/lassie/main.go → url.ParseRequestURI: invalid character "#" in host name',
  ],
  [
    "an IPNI endpoint with a bad escape, with no provider set",
    "ipni_endpoint",
    "https://cid.contact/%zz",
    'cmd/lassie/main.go → url.ParseRequestURI: invalid URL escape "%zz"',
  ],
  [
    "an IPNI endpoint that is not a URL, with no provider set (lassie's own test)",
    "ipni_endpoint",
    "not-a-url",
    'cmd/lassie/daemon_test.go:164 "with bad ipni endpoint" → url.ParseRequestURI: invalid URI for request',
  ],
  [
    "an IPNI endpoint lassie cannot ask over HTTP, with no provider set",
    "ipni_endpoint",
    "ftp://cid.contact",
    "cmd/lassie/main.go:100-106 → indexerlookup: every lookup is an HTTP request",
  ],
  [
    "an excluded provider that is not a peer ID",
    "exclude_providers",
    ["not-a-peer"],
    "cmd/lassie/flags.go FlagExcludeProviders → peer.Decode",
  ],
  [
    "a timeout without a unit",
    "global_timeout",
    "30",
    "cmd/lassie/flags.go DurationFlag → time.ParseDuration: missing unit",
  ],
  ["a timeout in days", "provider_timeout", "1d", 'time.ParseDuration: unknown unit "d"'],
  [
    "a negative provider timeout, a deadline already past for every connection",
    "provider_timeout",
    "-5s",
    "pkg/lassie/lassie.go NewLassieConfig keeps it; pkg/retriever/parallelpeerretriever.go runRetrievalCandidate",
  ],
  [
    "a count beyond what the env file can spell",
    "max_blocks",
    1e21,
    'cmd/lassie/daemon.go Uint64Flag maxblocks: ParseUint of "1e+21"',
  ],
  [
    "an event recorder URL without http(s)",
    "event_recorder_url",
    "recorder.lab/events",
    "cmd/lassie/flags.go FlagEventRecorderUrl: posted to with net/http",
  ],
  [
    "a temp directory on two lines",
    "temp_directory",
    "/tmp/lassie\n/other",
    "lassie.env holds one line per variable (urfave/cli reads it as given)",
  ],
];

describe("lassie's load-time rules", () => {
  for (const [what, key, value, rule] of REFUSED) {
    test(`refused: ${what} (${rule})`, () => {
      expect(kitcfg(["configure", "lassie"], { root }).code).toBe(0);
      const config = join(root, ".lassie/config.json");
      const env = join(root, ".lassie/lassie.env");
      const before = [readFileSync(config), readFileSync(env)];
      const text = typeof value === "string" ? value : JSON.stringify(value);
      const ran = kitcfg(["update", "lassie", "--set", `${key}=${text}`], { root });
      expect(ran.code).toBe(1);
      expect(ran.stderr).toContain(`"${key}" for lassie`);
      expect([readFileSync(config), readFileSync(env)]).toEqual(before);
      const json = JSON.parse(readFileSync(config, "utf8"));
      json[key] = value;
      writeFileSync(config, JSON.stringify(json, null, 2));
      const validated = kitcfg(["validate", "lassie"], { root });
      expect(validated.code).toBe(1);
      expect(validated.stderr).toContain(`"${key}`);
    });
  }

  test("accepted: every option lassie daemon reads, in the forms lassie reads", () => {
    expect(kitcfg(["configure", "lassie"], { root }).code).toBe(0);
    const sets = [
      "address=[::1]",
      "port=8080",
      "max_blocks=1000",
      "libp2p_lowwater=50",
      "libp2p_highwater=200",
      "concurrent_sp_retrievals=4",
      'protocols=["http","bitswap"]',
      // peer.SplitAddr reads the peer ID of the last part only; Go's url.Parse path "//" has no segment.
      `providers=["/ip4/1.2.3.4/tcp/1234/p2p/${PEER}+bitswap","https://provider.lab","f01234",` +
        `"/ip4/1.2.3.4/tcp/1/p2p/${PEER}/p2p-circuit/p2p/${PEER}","https://provider.lab/%2F"]`,
      `exclude_providers=["${PEER}"]`,
      "temp_directory=/var/tmp/lassie",
      "bitswap_concurrency=16",
      "bitswap_concurrency_per_retrieval=4",
      "global_timeout=1h30m",
      "provider_timeout=1.5s",
      "event_recorder_url=https://recorder.lab/events",
      "event_recorder_instance_id=node-1",
      "ipni_endpoint=https://cid.contact",
      "access_token=kitcfgToken",
    ];
    const ran = kitcfg(["update", "lassie", ...sets.flatMap((set) => ["--set", set])], { root });
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    expect(kitcfg(["validate", "lassie"], { root }).code).toBe(0);
    const env = readFileSync(join(root, ".lassie/lassie.env"), "utf8");
    // systemd's EnvironmentFile= takes the quotes away.
    for (const line of [
      'LASSIE_ADDRESS="[::1]"',
      "LASSIE_PORT=8080",
      "LASSIE_SUPPORTED_PROTOCOLS=http,bitswap",
      "LASSIE_GLOBAL_TIMEOUT=1h30m",
    ]) {
      expect(env).toContain(line);
    }
    expect(kitcfg(["args", "lassie"], { root }).stdout).toContain("--access-token=kitcfgToken");
  });

  test(
    "accepted: negative IntFlag counts (warned: lassie ignores or passes them on), " +
      "an empty address (every interface) and an empty temp directory (the system's), as urfave/cli reads them",
    () => {
      expect(kitcfg(["configure", "lassie"], { root }).code).toBe(0);
      const sets = [
        "libp2p_lowwater=-1",
        "libp2p_highwater=-1",
        "bitswap_concurrency=-1",
        "bitswap_concurrency_per_retrieval=-2",
        "address=",
        "temp_directory=",
      ];
      const ran = kitcfg(["update", "lassie", ...sets.flatMap((set) => ["--set", set])], { root });
      expect(ran.code).toBe(0);
      for (const key of ["bitswap_concurrency", "bitswap_concurrency_per_retrieval"])
        expect(ran.stderr).toContain(`"${key}": is negative`);
      // Both marks negative: libp2p's manager closes every connection past its first minute, every 10s.
      expect(ran.stderr).toContain('"libp2p_lowwater": is negative (-1): libp2p\'s connection manager then closes');
      expect(ran.stderr).toContain("every 10 seconds, down to none");
      expect(ran.stderr).not.toContain('"address"');
      expect(ran.stderr).not.toContain('"temp_directory"');
      expect(kitcfg(["validate", "lassie"], { root }).code).toBe(0);
      const env = readFileSync(join(root, ".lassie/lassie.env"), "utf8");
      for (const line of [
        "LASSIE_LIBP2P_CONNECTIONS_LOWWATER=-1",
        "LASSIE_BITSWAP_CONCURRENCY=-1",
        "LASSIE_ADDRESS=\n",
      ])
        expect(env).toContain(line);
    },
  );

  test("accepted with a warning: one libp2p connection count without the other (lassie then never trims)", () => {
    expect(kitcfg(["configure", "lassie"], { root }).code).toBe(0);
    const ran = kitcfg(["update", "lassie", "--set", "libp2p_highwater=100"], { root });
    expect(ran.code).toBe(0);
    expect(ran.stderr).toContain('"libp2p_highwater": is set without libp2p_lowwater: ');
    const validated = kitcfg(["validate", "lassie"], { root });
    expect(validated.code).toBe(0);
    expect(validated.stderr).toContain('"libp2p_highwater": is set without libp2p_lowwater: ');
    expect(readFileSync(join(root, ".lassie/lassie.env"), "utf8")).toContain(
      "LASSIE_LIBP2P_CONNECTIONS_HIGHWATER=100\n",
    );
    // The pair is what lassie wants: nothing more to say.
    const paired = kitcfg(["update", "lassie", "--set", "libp2p_lowwater=50"], { root });
    expect(paired.stderr).toBe("");
    const swapped = kitcfg(["update", "lassie", "--unset", "libp2p_highwater"], { root });
    expect(swapped.code).toBe(0);
    expect(swapped.stderr).toContain('"libp2p_lowwater": is set without libp2p_highwater: ');
  });

  test("accepted with a warning: a provider timeout of 0 (lassie's 20s) and a negative global timeout (none)", () => {
    expect(kitcfg(["configure", "lassie"], { root }).code).toBe(0);
    const ran = kitcfg(["update", "lassie", "--set", "provider_timeout=0", "--set", "global_timeout=-1h"], { root });
    expect(ran.code).toBe(0);
    expect(ran.stderr).toContain('"provider_timeout": is 0, which lassie reads as its default 20s');
    expect(ran.stderr).toContain('"global_timeout": is negative: lassie ignores it');
    const validated = kitcfg(["validate", "lassie"], { root });
    expect(validated.code).toBe(0);
    expect(validated.stderr).toContain('"provider_timeout"');
    const env = readFileSync(join(root, ".lassie/lassie.env"), "utf8");
    expect(env).toContain("LASSIE_PROVIDER_TIMEOUT=0\n");
    expect(env).toContain("LASSIE_GLOBAL_TIMEOUT=-1h\n");
  });

  test("accepted with a warning: an IPNI endpoint lassie cannot read, ignored while providers are given", () => {
    // cmd/lassie/main.go:93-97 reads --ipni-endpoint only without providers; with them it logs
    // "Ignoring ipni-endpoint flag since direct provider is specified" and starts.
    expect(kitcfg(["configure", "lassie"], { root }).code).toBe(0);
    const sets = ['providers=["http://127.0.0.1:5000"]', "ipni_endpoint=not-a-url"];
    const ran = kitcfg(["update", "lassie", ...sets.flatMap((set) => ["--set", set])], { root });
    expect(ran.code).toBe(0);
    expect(ran.stderr).toContain('"ipni_endpoint": is not a URL lassie can read (');
    expect(ran.stderr).toContain("lassie ignores it while providers are given");
    const validated = kitcfg(["validate", "lassie"], { root });
    expect(validated.code).toBe(0);
    expect(kitcfg(["args", "lassie"], { root }).stdout).toContain("--ipni-endpoint=not-a-url");
    // Without the providers lassie stops on it.
    const alone = kitcfg(["update", "lassie", "--unset", "providers"], { root });
    expect(alone.code).toBe(1);
    expect(alone.stderr).toContain('"ipni_endpoint": is not a URL lassie can read: it is neither');
  });

  test(
    "accepted: provider URLs Go's url.Parse reads and maurl.FromURL turns into /dns or /ip " +
      "(an IPv6 zone written %25, an IPv4-mapped address, a dotted name that is no IPv4 address)",
    () => {
      expect(kitcfg(["configure", "lassie"], { root }).code).toBe(0);
      const providers = ["http://[fe80::1%25eth0]:8080", "http://[::ffff:192.0.2.1]:8080", "http://192.0.2.256:8080"];
      const ran = kitcfg(["update", "lassie", "--set", `providers=${JSON.stringify(providers)}`], { root });
      expect(ran.stderr).toBe("");
      expect(ran.code).toBe(0);
      expect(kitcfg(["validate", "lassie"], { root }).code).toBe(0);
    },
  );
});
