import { afterEach, beforeEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { kitcfg, tempDir } from "../helpers.ts";

setDefaultTimeout(60_000);

// Disagreements bench/hf-differential.ts found between `kitcfg validate huggingface` and the real
// huggingface_hub importing its constants with the variables kitcfg derives (tests/fixtures/FORMATS.md §16,
// "huggingface_hub").

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

const home = () => join(root, ".cache/huggingface");

/** Writes these settings into config.json by hand, rewrites the env file, and validates. */
function writeConfig(settings: Record<string, unknown>) {
  expect(kitcfg(["configure", "huggingface"], { root }).code).toBe(0);
  const path = join(home(), "config.json");
  writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, "utf8")), ...settings }, null, 2));
  kitcfg(["configure", "huggingface"], { root });
  return kitcfg(["validate", "huggingface"], { root });
}

describe("huggingface_hub as the differential read it", () => {
  // [endpoint, what the client does with it]
  const REFUSED: [string, string][] = [
    ["https://u\u2100@hub.lab", "urlsplit: NFKC makes ℀ a/c, a / in the netloc: ValueError at import"],
    ["https://a\uff20b@hub.lab", "urlsplit: NFKC makes ＠ an @: ValueError at import"],
    ["https://u[x]@hub.lab", "urlsplit: [x] in the netloc is no IP address: ValueError at import"],
    ["https://hub.lab?x=1", "f'{ENDPOINT}/api/models' puts the API path in the query"],
    ["https://hub.lab#top", "f'{ENDPOINT}/api/models' puts the API path in the fragment"],
    ["https://hub.lab/?", "f'{ENDPOINT}/api/models' puts the API path in the query"],
    ["https://hub.lab\\@other.example", "urlsplit keeps the backslash: the host is other.example"],
  ];
  for (const [endpoint, rule] of REFUSED) {
    test(`refused: endpoint ${JSON.stringify(endpoint)} (${rule})`, () => {
      const validated = writeConfig({ endpoint });
      expect(validated.code).toBe(1);
      expect(validated.stderr).toContain('"endpoint"');
      const set = kitcfg(["update", "huggingface", "--set", `endpoint=${endpoint}`], { root });
      expect(set.code).toBe(1);
    });
  }

  test("accepted: an endpoint with user info, a port, a path, and a bracketed IPv6 host", () => {
    for (const endpoint of ["https://u:p@hub.lab:8443/mirror", "http://[::1]:8080", "https://u\u00a0@hub.lab"])
      expect(writeConfig({ endpoint }).code).toBe(0);
  });

  // constants.py expanduser()s, then expandvars()es: a `~` that $HF_HOME brings is never expanded.
  test("the env file gives $HF_HOME/hub as the folder it means when HF_HOME starts with ~", () => {
    const validated = writeConfig({ hub_cache: "$HF_HOME/hub", assets_cache: "${HF_HOME}/assets" });
    expect(validated.code).toBe(0);
    const env = readFileSync(join(home(), "huggingface.env"), "utf8");
    expect(env).toContain('HF_HUB_CACHE="~/.cache/huggingface/hub"');
    expect(env).toContain('HF_ASSETS_CACHE="~/.cache/huggingface/assets"');
    writeConfig({ cache_dir: "$HOME/.cache/huggingface", hub_cache: "$HF_HOME/hub" });
    expect(readFileSync(join(home(), "huggingface.env"), "utf8")).toContain(
      'HF_HUB_CACHE="\\$HOME/.cache/huggingface/hub"',
    );
  });

  test("warned: a folder from ~user or an unset variable, which the client may leave relative", () => {
    const validated = writeConfig({ hub_cache: "~nobody-here/hf", assets_cache: "$KITCFG_UNSET_VAR/assets" });
    expect(validated.code).toBe(0);
    expect(validated.stderr).toContain('"hub_cache": starts with ~nobody-here');
    expect(validated.stderr).toContain('"assets_cache": starts with $KITCFG_UNSET_VAR, which is not set here');
  });

  // An empty proxy is no proxy: nothing is exported for it, and requests ignores it too.
  test("warned, not refused: an empty proxy", () => {
    const validated = writeConfig({ proxies: { http: "", https: "http://proxy.lab:3128" } });
    expect(validated.code).toBe(0);
    expect(validated.stderr).toContain('"proxies.http": is empty');
    expect(readFileSync(join(home(), "huggingface.env"), "utf8")).not.toContain("HTTP_PROXY=\n");
  });
});

test("a folder holding $HF_HOME after its start, HF_HOME starting with ~: a warning (the client keeps that ~)", () => {
  const validated = writeConfig({ cache_dir: "~/.cache/huggingface", assets_cache: "~/$HF_HOME" });
  expect(validated.code).toBe(0);
  expect(validated.stderr).toContain('"assets_cache": holds $HF_HOME after its start, and that starts with ~');
});
