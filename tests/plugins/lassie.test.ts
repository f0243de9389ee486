import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { format as envFormat } from "../../core/formats/env.ts";
import { parseGoUrl } from "../../sdk/go-url.ts";
import lassie from "../../plugins/lassie.ts";
import { providerProblem } from "../../plugins/lassie/providers.ts";
import { createPluginContext } from "../../sdk/context.ts";
import { cleanEnv, kitcfg, runCli, tempDir } from "../helpers.ts";

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

const dir = () => join(root, ".lassie");
const PEER = "12D3KooWBSTEYMLSu5FnQjshEVah9LFGEZoQt26eacCEVYfedWA4";

/** The variables a POSIX shell sees after sourcing the env file, as systemd-style tools do. */
function sourced(file: string): Record<string, string> {
  const out = Bun.spawnSync(["sh", "-c", `set -a; . "${file}"; env`], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
  }).stdout.toString();
  return Object.fromEntries(
    out
      .split("\n")
      .filter((l) => l.startsWith("LASSIE_"))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
}

/** The LASSIE_* variables config.json should give, from lassie's flag table (FORMATS.md §3). */
function expectedEnv(): Record<string, string> {
  const config = JSON.parse(readFileSync(join(dir(), "config.json"), "utf8"));
  const names: Record<string, string> = {
    address: "LASSIE_ADDRESS",
    port: "LASSIE_PORT",
    max_blocks: "LASSIE_MAX_BLOCKS_PER_REQUEST",
    protocols: "LASSIE_SUPPORTED_PROTOCOLS",
    providers: "LASSIE_ALLOW_PROVIDERS",
    exclude_providers: "LASSIE_EXCLUDE_PROVIDERS",
    global_timeout: "LASSIE_GLOBAL_TIMEOUT",
    retrieval_timeout: "LASSIE_GLOBAL_TIMEOUT",
    provider_timeout: "LASSIE_PROVIDER_TIMEOUT",
    bitswap_concurrency: "LASSIE_BITSWAP_CONCURRENCY",
    bitswap_concurrency_per_retrieval: "LASSIE_BITSWAP_CONCURRENCY_PER_RETRIEVAL",
    event_recorder_auth: "LASSIE_EVENT_RECORDER_AUTH",
    temp_directory: "LASSIE_TEMP_DIRECTORY",
  };
  const vars: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (names[key] && !(Array.isArray(value) && value.length === 0))
      vars[names[key]] = Array.isArray(value) ? value.join(",") : String(value);
  }
  return vars;
}

describe("lassie plugin", () => {
  test("env and args give nothing for a value of another JSON type (no [object Object]), and say it has errors", () => {
    expect(kitcfg(["configure", "lassie"], { root }).code).toBe(0);
    const file = join(root, ".lassie/config.json");
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, "utf8")), address: { a: 1 } }));
    for (const command of ["env", "args"]) {
      const ran = kitcfg([command, "lassie"], { root });
      expect({ code: ran.code, object: ran.stdout.includes("object") }).toEqual({ code: 0, object: false });
      expect(ran.stdout).not.toMatch(/ADDRESS|--address/);
      expect(ran.stderr).toContain("lassie's configuration has an error");
    }
  });

  test("configure writes config.json and a lassie.env that agrees, both 0600 (they may hold a token)", async () => {
    expect((await runCli(["configure", "lassie"], { root })).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir(), "config.json"), "utf8"))).toEqual({
      address: "127.0.0.1",
      port: 0,
      protocols: ["bitswap", "graphsync", "http"],
      global_timeout: "30m",
      provider_timeout: "20s",
      bitswap_concurrency: 32,
      bitswap_concurrency_per_retrieval: 12,
    });
    expect(sourced(join(dir(), "lassie.env"))).toEqual(expectedEnv());
    for (const name of ["config.json", "lassie.env"]) expect(statSync(join(dir(), name)).mode & 0o777).toBe(0o600);
    expect((await runCli(["validate", "lassie"], { root })).code).toBe(0);
  });

  test("the env file agrees with config.json after every command", async () => {
    const steps = [
      ["configure", "lassie"],
      [
        "update",
        "lassie",
        "--set",
        "port=41443",
        "--set",
        `providers=["/ip4/1.2.3.4/tcp/4001/p2p/${PEER}","https://ipfs.example","f01234"]`,
      ],
      [
        "update",
        "lassie",
        "--set",
        "event_recorder_auth=recorder-secret-1",
        "--set",
        "temp_directory=/var/tmp/lassie dir",
      ],
      [
        "update",
        "lassie",
        "--unset",
        "providers",
        "--set",
        `exclude_providers=["${PEER}"]`,
        "--set",
        'protocols=["http"]',
      ],
      ["configure", "lassie", "--force"],
    ];
    for (const args of steps) {
      expect({ args, code: (await runCli(args, { root })).code }).toEqual({ args, code: 0 });
      expect({ args, env: sourced(join(dir(), "lassie.env")) }).toEqual({ args, env: expectedEnv() });
      expect((await runCli(["validate", "lassie"], { root })).code).toBe(0);
    }
  });

  test("update of one key changes only that key's line in each file", async () => {
    await runCli(["configure", "lassie"], { root });
    const before = {
      json: readFileSync(join(dir(), "config.json"), "utf8"),
      env: readFileSync(join(dir(), "lassie.env"), "utf8"),
    };
    expect((await runCli(["update", "lassie", "--set", "provider_timeout=45s"], { root })).code).toBe(0);
    const changed = (old: string, now: string) => now.split("\n").filter((line, i) => line !== old.split("\n")[i]);
    expect(changed(before.json, readFileSync(join(dir(), "config.json"), "utf8"))).toEqual([
      '  "provider_timeout": "45s",',
    ]);
    expect(changed(before.env, readFileSync(join(dir(), "lassie.env"), "utf8"))).toEqual([
      "LASSIE_PROVIDER_TIMEOUT=45s",
    ]);
  });

  test(
    "kitcfg env lassie prints export lines a shell can eval, " + "without the event recorder token; show hides it too",
    async () => {
      kitcfg(["configure", "lassie"], { root });
      kitcfg(
        [
          "update",
          "lassie",
          "--set",
          'event_recorder_auth=it\'s a "secret" $HOME',
          "--set",
          "event_recorder_url=https://events.example/v1",
        ],
        { root },
      );
      const exports = kitcfg(["env", "lassie"], { root });
      expect(exports.code).toBe(0);
      expect(exports.stdout).not.toContain("secret");
      expect(exports.stdout).not.toContain("LASSIE_EVENT_RECORDER_AUTH");
      // The daemon still gets it, from the 0600 env file.
      expect(sourced(join(dir(), "lassie.env")).LASSIE_EVENT_RECORDER_AUTH).toBe('it\'s a "secret" $HOME');
      const shown = kitcfg(["show", "lassie", "--json"], { root });
      expect(shown.stdout).not.toContain("secret");
      expect(JSON.parse(shown.stdout).value.event_recorder_auth).toBe("<redacted>");
      const script = `eval "$(cat)"; printf '%s|%s' "$LASSIE_SUPPORTED_PROTOCOLS" "$LASSIE_EVENT_RECORDER_URL"`;
      const out = Bun.spawnSync(["sh", "-c", script], {
        stdin: Buffer.from(exports.stdout),
        env: cleanEnv(root),
      }).stdout.toString();
      expect(out).toBe("bitswap,graphsync,http|https://events.example/v1");
    },
  );

  test("kitcfg args lassie gives the same settings as flags, the flag-only ones included", async () => {
    await runCli(["configure", "lassie"], { root });
    await runCli(
      [
        "update",
        "lassie",
        "--set",
        "ipni_endpoint=https://cid.example",
        "--set",
        "access_token=tok-123",
        "--set",
        'protocols=["bitswap","http"]',
      ],
      { root },
    );
    const ran = await runCli(["args", "lassie", "--json"], { root });
    expect(JSON.parse(ran.stdout)).toEqual([
      "--address=127.0.0.1",
      "--port=0",
      "--protocols=bitswap,http",
      "--bitswap-concurrency=32",
      "--bitswap-concurrency-per-retrieval=12",
      "--global-timeout=30m",
      "--provider-timeout=20s",
      "--ipni-endpoint=https://cid.example",
      "--access-token=tok-123",
    ]);
    expect(readFileSync(join(dir(), "lassie.env"), "utf8")).not.toContain("cid.example");
  });

  test("the older tool's config.json is read as lassie's options and keeps its keys", async () => {
    mkdirSync(dir());
    const older =
      '{\n  "retrieval_timeout": "30m",\n  "bitswap_concurrent": 6,\n  "bitswap_requests_per_peer": 10,\n' +
      '  "http_concurrent": 6,\n  "http_requests_per_peer": 10,\n  "providers": [\n    "127.0.0.1:1234"\n  ]\n}';
    writeFileSync(join(dir(), "config.json"), older);
    const invalid = await runCli(["validate", "lassie"], { root });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain(
      '"providers": item 0 "127.0.0.1:1234" is "host:port", the older tool\'s form, which lassie cannot read',
    );
    expect(invalid.stderr).toContain('"http_concurrent": is the older tool\'s setting: lassie has no such option');
    expect((await runCli(["get", "lassie", "global_timeout"], { root })).stdout).toBe("30m\n");
    expect(
      (await runCli(["update", "lassie", "--unset", "providers", "--set", "global_timeout=1h"], { root })).code,
    ).toBe(0);
    const json = JSON.parse(readFileSync(join(dir(), "config.json"), "utf8"));
    expect(json.retrieval_timeout).toBe("1h");
    expect(json.global_timeout).toBeUndefined();
    expect(envFormat.parse(readFileSync(join(dir(), "lassie.env"), "utf8"))).toEqual({
      LASSIE_GLOBAL_TIMEOUT: "1h",
      LASSIE_BITSWAP_CONCURRENCY: "6",
    });
    expect((await runCli(["validate", "lassie"], { root })).code).toBe(0);
  });

  test(
    "bad providers, peer IDs, durations, " + "numbers and protocols are refused with the reason, files byte-identical",
    async () => {
      await runCli(["configure", "lassie"], { root });
      const before = [
        readFileSync(join(dir(), "config.json"), "utf8"),
        readFileSync(join(dir(), "lassie.env"), "utf8"),
      ];
      const cases: [string, string][] = [
        [
          'providers=["/ip4/1.2.3.4/tcp/4001"]',
          "has no /p2p/<peer ID>: lassie needs one unless the address speaks http(s)",
        ],
        ['providers=["https://gw.example/ipfs"]', "has a path (/ipfs), which lassie does not support"],
        ['exclude_providers=["QmNotAPeer"]', 'item 0 "QmNotAPeer" is not a peer ID'],
        ["provider_timeout=20", 'Cannot set "provider_timeout" for lassie: expected a Go duration'],
        ["port=70000", 'Cannot set "port" for lassie: expected an integer from 0 to 65535'],
        ["max_blocks=-1", 'Cannot set "max_blocks" for lassie: expected an integer from 0 to 9007199254740991'],
        [
          'protocols=["ftp"]',
          'Cannot set "protocols" for lassie: expected a JSON array of one or more of bitswap, graphsync, http',
        ],
      ];
      for (const [set, message] of cases) {
        const ran = await runCli(["update", "lassie", "--set", set], { root });
        expect({ set, code: ran.code }).toEqual({ set, code: 1 });
        expect(ran.stderr).toContain(message);
        expect([
          readFileSync(join(dir(), "config.json"), "utf8"),
          readFileSync(join(dir(), "lassie.env"), "utf8"),
        ]).toEqual(before);
      }
    },
  );
});

// daemonAction (cmd/lassie/daemon.go) builds a connection manager of its own as soon as either count is
// not 0, handing go-libp2p v0.46.0 connmgr.NewConnManager(low, high) as given; the manager checks
// nothing and never trims while either mark is 0 (connmgr.go getConnsToClose). Neither set: libp2p's
// default manager, 160/192 (defaults.go DefaultConnectionManager). FORMATS.md §16.
describe("lassie's libp2p connection counts", () => {
  const issuesOf = async (config: Record<string, number>) =>
    (await lassie.validate!(config, createPluginContext({ root: "/srv" })))
      .filter((issue) => issue.key.startsWith("libp2p_"))
      .map((issue) => `${issue.severity ?? "error"} ${issue.key}: ${issue.message}`);

  test.each([
    ["neither (libp2p's default 160/192)", {}],
    ["both 0 (the same)", { libp2p_lowwater: 0, libp2p_highwater: 0 }],
    ["both, low below high", { libp2p_lowwater: 50, libp2p_highwater: 200 }],
  ])("%s: nothing to say", async (_what, config) => {
    expect(await issuesOf(config)).toEqual([]);
  });

  test.each([
    ["only the high water", { libp2p_highwater: 300 }, "libp2p_highwater", "libp2p_lowwater"],
    [
      "only the high water, below libp2p's default low 160",
      { libp2p_highwater: 100 },
      "libp2p_highwater",
      "libp2p_lowwater",
    ],
    [
      "the high water, the low one 0",
      { libp2p_lowwater: 0, libp2p_highwater: 300 },
      "libp2p_highwater",
      "libp2p_lowwater",
    ],
    ["only the high water, negative", { libp2p_highwater: -5 }, "libp2p_highwater", "libp2p_lowwater"],
    ["only the low water", { libp2p_lowwater: 100 }, "libp2p_lowwater", "libp2p_highwater"],
    [
      "only the low water, above libp2p's default high 192",
      { libp2p_lowwater: 500 },
      "libp2p_lowwater",
      "libp2p_highwater",
    ],
  ])("%s: lassie starts with no limit on connections, a warning", async (_what, config, key, missing) => {
    const issues = await issuesOf(config);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toStartWith(`warning ${key}: is set without ${missing}: `);
    expect(issues[0]).toContain("never trims");
  });

  // go-libp2p connmgr.go: every 10s, once `high` are open, trim the connections past their first minute down to `low`.
  test.each([
    [
      "a negative low water: every connection past its first minute closed once the high water is reached",
      { libp2p_lowwater: -1, libp2p_highwater: 100 },
      "warning libp2p_lowwater: is negative (-1): libp2p's connection manager then closes every connection " +
        "past its first minute whenever 100 are open, down to none",
    ],
    [
      "both negative: the same every 10 seconds",
      { libp2p_lowwater: -1, libp2p_highwater: -1 },
      "warning libp2p_lowwater: is negative (-1): libp2p's connection manager then closes every connection " +
        "past its first minute every 10 seconds, down to none",
    ],
    [
      "a negative high water: trimmed to the low water every 10 seconds",
      { libp2p_lowwater: 50, libp2p_highwater: -1 },
      "warning libp2p_highwater: is negative (-1): libp2p's connection manager then trims every 10 seconds, " +
        "whatever the count, back to libp2p_lowwater (50): the high water does nothing",
    ],
    [
      "a low above the high water: trimmed only above the low water",
      { libp2p_lowwater: 300, libp2p_highwater: 100 },
      "warning libp2p_lowwater: (300) is above libp2p_highwater (100): libp2p's connection manager trims only " +
        "above the low water, back to it, so the high water does nothing",
    ],
  ])("both set, %s: a warning saying so", async (_what, config, expected) => {
    const issues = await issuesOf(config);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toStartWith(expected);
  });
});

describe("providerProblem", () => {
  test("accepts every form lassie's --providers accepts", () => {
    for (const text of [
      `/ip4/1.2.3.4/tcp/1234/p2p/${PEER}`,
      `/dns4/sp.example/tcp/24001/p2p/${PEER}+bitswap`,
      "/ip4/1.2.3.4/tcp/80/http",
      "/dns/gw.example/tcp/443/https",
      "http://ipfs.io",
      "https://gw.example/",
      "f01234",
    ]) {
      expect({ text, problem: providerProblem(text) }).toEqual({ text, problem: undefined });
    }
  });

  test("refuses what lassie refuses", () => {
    const bad: [string, string][] = [
      ["127.0.0.1:1234", "the older tool's form"],
      [`/p2p/${PEER}`, "no address to reach it at"],
      [`/ip4/1.2.3.4/p2p/${PEER}/tcp/1`, "the peer ID must come last"],
      ["/ip4/1.2.3/tcp/1/http", "not an IPv4 address"],
      ["f0x12", "not a multiaddr"],
      ["ftp://x", "not a multiaddr"],
    ];
    for (const [text, reason] of bad) expect(providerProblem(text)).toContain(reason);
  });
});

describe("parseGoUrl", () => {
  test("agrees with Go's url.Parse and url.ParseRequestURI on what they refuse and on the path", () => {
    // [text, url.Parse accepts, its Path, url.ParseRequestURI accepts]: Go's own answers (net/url).
    const cases: [string, boolean, string, boolean][] = [
      ["https://cid.contact", true, "", true],
      ["https://cid.contact/%zz", false, "", false],
      ["https://cid.contact#x", true, "", false],
      ["https://cid.contact/#%zz", false, "", false],
      ["https://ex%41mple.com", false, "", false],
      ["https://h%c3%a9.example", true, "", true],
      ["https://${HOST}", false, "", false],
      ["http://h\\", false, "", false],
      ["http://h/%2e", true, "/.", true],
      ["http://h/%2F/", true, "///", true],
      ["http://us{er@h", false, "", false],
      ["http://u:p%40@h:8080/", true, "/", true],
      ["http://h:8x", false, "", false],
      ["http://[fe80::1%25en0]:80", true, "", true],
      ["http://h/?%zz", true, "/", true],
      // Without a scheme, a colon in the first path segment is refused ("cannot contain colon").
      ["127.0.0.1:9200", false, "", false],
      ["[::1]:9200", false, "", false],
      ["a/b:c", true, "a/b:c", false],
      ["./a:b", true, "./a:b", false],
      ["?a:b", true, "", false],
      ["localhost:9200", true, "", true],
    ];
    for (const [text, parses, path, request] of cases) {
      const read = parseGoUrl(text);
      expect({ text, parses: read.problem === undefined, path: read.path ?? "" }).toEqual({ text, parses, path });
      expect({ text, request: parseGoUrl(text, true).problem === undefined }).toEqual({ text, request });
    }
  });
});

describe("lassie and lotus together", () => {
  test(
    "a provider at lotus's API address is reported with both key paths: " + "a warning beside others, an error alone",
    async () => {
      await runCli(["configure", "lotus"], { root });
      await runCli(["configure", "lassie"], { root });
      await runCli(["update", "lassie", "--set", 'providers=["http://127.0.0.1:1234","https://ipfs.example"]'], {
        root,
      });
      const warned = await runCli(["validate"], { root });
      expect(warned.code).toBe(0);
      expect(warned.stderr).toContain(
        '⚠ lassie: "providers": lists "http://127.0.0.1:1234", ' +
          'which is lotus "API.ListenAddress" (/ip4/127.0.0.1/tcp/1234/http)',
      );
      await runCli(["update", "lassie", "--set", 'providers=["/ip4/127.0.0.1/tcp/1234/http"]'], { root });
      const refused = await runCli(["validate", "--json"], { root });
      expect(refused.code).toBe(1);
      const cross = JSON.parse(refused.stdout).cross;
      expect(cross).toEqual([expect.objectContaining({ key: "providers", severity: "error", daemon: "lassie" })]);
      expect(cross[0].message).toContain("every retrieval fails");
      // Lotus moved to another port: the provider no longer points at it.
      await runCli(["update", "lotus", "--set", "API.ListenAddress=/ip4/127.0.0.1/tcp/2345/http"], { root });
      expect(JSON.parse((await runCli(["validate", "--json"], { root })).stdout).cross).toEqual([]);
    },
  );
});
