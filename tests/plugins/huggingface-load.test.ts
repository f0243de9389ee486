import { afterEach, beforeEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { kitcfg, tempDir } from "../helpers.ts";

// Each test runs the binary several times; a loaded machine takes seconds for that.
setDefaultTimeout(60_000);

// What huggingface_hub refuses or reads otherwise when it loads its settings (tests/fixtures/
// FORMATS.md, "Load-time rules: huggingface_hub"): each value is refused by `update --set`
// (exit 1, config.json and the env file byte-identical) and fails `validate` when written
// into config.json by hand.

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

const home = () => join(root, ".cache/huggingface");

/** [what, key, --set text, value written by hand into config.json, upstream rule] */
const REFUSED: [string, string, string, unknown, string][] = [
  [
    "an endpoint with an unpaired bracket in its host part",
    "endpoint",
    "https://u[@hub.lab",
    "https://u[@hub.lab",
    'constants.py urlsplit(ENDPOINT) raises "Invalid IPv6 URL" at import',
  ],
  [
    "a timeout int() refuses",
    "etag_timeout",
    "abc",
    "abc",
    "constants.py _as_int: int(HF_HUB_ETAG_TIMEOUT) raises at import",
  ],
  ["a fractional timeout", "etag_timeout", "1.5", 1.5, "constants.py _as_int: int('1.5') raises at import"],
  [
    "a negative download timeout",
    "download_timeout",
    "-5",
    -5,
    "constants.py HF_HUB_DOWNLOAD_TIMEOUT; httpx refuses a negative timeout",
  ],
  [
    "a timeout JavaScript writes as 1e+21",
    "etag_timeout",
    "1e21",
    1e21,
    "constants.py _as_int: int('1e+21') raises at import",
  ],
  [
    "a timeout past Python's socket clock",
    "download_timeout",
    "9223372037",
    9223372037,
    "httpcore _backends/sync.py connect_tcp: socket.create_connection → settimeout overflows",
  ],
  [
    "a download timeout int() refuses",
    "download_timeout",
    "10s",
    "10s",
    "constants.py _as_int(HF_HUB_DOWNLOAD_TIMEOUT)",
  ],
  [
    "offline as a word _is_true reads as false",
    "offline",
    "maybe",
    "maybe",
    "constants.py _is_true: only 1/ON/YES/TRUE are true",
  ],
  ["telemetry switch as a number", "disable_telemetry", "2", 2, "constants.py _is_true(HF_HUB_DISABLE_TELEMETRY)"],
  [
    "an endpoint without a scheme",
    "endpoint",
    "huggingface.co",
    "huggingface.co",
    "constants.py ENDPOINT: URLs are f'{ENDPOINT}/api/…'; httpx needs http(s)://",
  ],
  [
    "an endpoint with another scheme",
    "endpoint",
    "ftp://hub.lab",
    "ftp://hub.lab",
    "constants.py ENDPOINT used as an http(s) base",
  ],
  [
    "an endpoint with a line break",
    "endpoint",
    "https://hub.lab\nx",
    "https://hub.lab\nx",
    "constants.py ENDPOINT; the env file holds one line",
  ],
  [
    "a token with a blank inside",
    "token",
    "hf_abc def",
    "hf_abc def",
    "utils/_auth.py _clean_token keeps inner blanks: the Authorization header breaks",
  ],
  [
    "a proxy scheme httpx refuses",
    "proxies.https",
    "ftp://proxy.lab:3128",
    "ftp://proxy.lab:3128",
    "httpx/_config.py Proxy: Unknown scheme for proxy URL",
  ],
  [
    "a proxy with a trailing blank",
    "proxies.https",
    "http://proxy.lab:3128 ",
    "http://proxy.lab:3128 ",
    "httpx 0.23.3 _urlparse: a proxy with no host, every call fails",
  ],
];
// An empty folder is no refusal: the client takes the working folder (huggingface.test.ts, a warning).

describe("huggingface_hub's load-time rules", () => {
  for (const [what, key, text, value, rule] of REFUSED) {
    test(`refused: ${what} (${rule})`, () => {
      expect(kitcfg(["configure", "huggingface"], { root }).code).toBe(0);
      const config = join(home(), "config.json");
      const env = join(home(), "huggingface.env");
      const before = [readFileSync(config), readFileSync(env)];
      const ran = kitcfg(["update", "huggingface", "--set", `${key}=${text}`], { root });
      expect(ran.code).toBe(1);
      expect(ran.stderr).toContain(`"${key}" for huggingface`);
      expect([readFileSync(config), readFileSync(env)]).toEqual(before);
      if (key === "token") return; // the token lives in its own file, not in config.json
      const json = JSON.parse(readFileSync(config, "utf8"));
      const [first, second] = key.split(".");
      if (second) json[first!] = { ...json[first!], [second]: value };
      else json[first!] = value;
      writeFileSync(config, JSON.stringify(json, null, 2));
      const validated = kitcfg(["validate", "huggingface"], { root });
      expect(validated.code).toBe(1);
      expect(validated.stderr).toContain(`"${key}"`);
    });
  }

  test("accepted: every setting the client reads, exported as it reads them", () => {
    expect(kitcfg(["configure", "huggingface"], { root }).code).toBe(0);
    const sets = [
      "offline=true",
      "endpoint=https://hub.lab:8443",
      "etag_timeout=30",
      "download_timeout=9223372036",
      "hub_cache=/srv/hf/hub",
      "assets_cache=/srv/hf/assets",
      "disable_telemetry=yes",
      "disable_progress_bars=on",
      "disable_symlinks_warning=1",
      "disable_implicit_token=true",
      "disable_xet=false",
      "proxies.https=proxy.lab:3128",
      "proxies.http=socks5h://proxy.lab:1080",
      "token=hf_kitcfgTestToken0123",
    ];
    const ran = kitcfg(["update", "huggingface", ...sets.flatMap((set) => ["--set", set])], { root });
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    expect(kitcfg(["validate", "huggingface"], { root }).code).toBe(0);
    const env = readFileSync(join(home(), "huggingface.env"), "utf8");
    for (const line of [
      "HF_HUB_OFFLINE=1",
      "HF_ENDPOINT=https://hub.lab:8443",
      "HF_HUB_ETAG_TIMEOUT=30",
      "HF_HUB_DOWNLOAD_TIMEOUT=9223372036",
      "HF_HUB_DISABLE_XET=0",
      "HTTPS_PROXY=proxy.lab:3128",
    ]) {
      expect(env).toContain(line);
    }
    expect(readFileSync(join(home(), "token"), "utf8").trim()).toBe("hf_kitcfgTestToken0123");
  });

  // constants.py: `_as_int(...) or DEFAULT_ETAG_TIMEOUT`: 0 is the default 10, and the client starts with it.
  test("warned: a zero timeout, which the client reads as its default 10 seconds", () => {
    expect(kitcfg(["configure", "huggingface"], { root }).code).toBe(0);
    const ran = kitcfg(["update", "huggingface", "--set", "etag_timeout=0", "--set", "download_timeout=0"], { root });
    expect(ran.code).toBe(0);
    for (const key of ["etag_timeout", "download_timeout"])
      expect(ran.stderr).toContain(`"${key}": is 0, which huggingface_hub reads as its default 10 seconds`);
    expect(readFileSync(join(home(), "huggingface.env"), "utf8")).toContain("HF_HUB_ETAG_TIMEOUT=0");
  });

  // utils/_auth.py _get_token_from_file + _clean_token: CR and LF removed, then Python's strip().
  test("the token file as the client reads it: empty is no token (warned), a byte-order mark is kept", () => {
    expect(kitcfg(["configure", "huggingface"], { root }).code).toBe(0);
    const token = join(home(), "token");
    writeFileSync(token, " \r\n", { mode: 0o600 });
    const empty = kitcfg(["validate", "huggingface"], { root });
    expect(empty.code).toBe(0);
    expect(empty.stderr).toContain(`"token": ${token} is empty: huggingface_hub reads no token from it`);
    writeFileSync(token, "\ufeffhf_kitcfgTestToken0123\n", { mode: 0o600 });
    const marked = kitcfg(["validate", "huggingface"], { root });
    expect(marked.code).toBe(1);
    expect(marked.stderr).toContain(`"token": ${token} starts with a byte-order mark`);
    expect(marked.stderr).not.toContain("hf_kitcfgTestToken0123");
    writeFileSync(token, "hf_kitcfgTestToken0123\r\n", { mode: 0o600 });
    expect(kitcfg(["validate", "huggingface"], { root }).code).toBe(0);
    // A line break inside is removed, and Python's strip() takes \x1c-\x1f and \x85 as JavaScript's trim does not.
    writeFileSync(token, "hf_kitcfg\nTestToken0123\x1c\n", { mode: 0o600 });
    expect(kitcfg(["validate", "huggingface"], { root }).code).toBe(0);
    expect(kitcfg(["get", "huggingface", "token", "--reveal"], { root }).stdout).toBe("hf_kitcfgTestToken0123\n");
  });

  test("warned: a proxy for a scheme the client is not given", () => {
    expect(kitcfg(["configure", "huggingface"], { root }).code).toBe(0);
    const ran = kitcfg(["update", "huggingface", "--set", "proxies.ftp=http://proxy.lab:3128"], { root });
    expect(ran.code).toBe(0);
    expect(ran.stderr).toContain('"proxies.ftp": is not given to the Hub client');
  });
});
