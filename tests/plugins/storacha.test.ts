import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanEnv, kitcfg, runCli, tempDir } from "../helpers.ts";

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

const file = () => join(root, ".storacha/config.json");

/** What the older tool wrote (FORMATS.md §10): json.dump with indent=2, no trailing newline. */
const OLDER =
  '{\n  "endpoints": [\n    "https://up.storacha.network/bridge",\n    "https://api.web3.storage",\n    ' +
  '"https://up.web3.storage/bridge"\n  ],\n  "timeout": 30,\n  "retries": 3,\n  "mock_mode": false,\n  ' +
  '"api_key": "your-api-key-here"\n}';

describe("storacha plugin", () => {
  test("configure writes the older tool's settings without its placeholder key, 0600, and it validates", async () => {
    expect((await runCli(["configure", "storacha"], { root })).code).toBe(0);
    expect(readFileSync(file(), "utf8")).toBe(OLDER.replace(',\n  "api_key": "your-api-key-here"', ""));
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    expect((await runCli(["validate", "storacha"], { root })).code).toBe(0);
  });

  test(
    "the older tool's file validates, its placeholder key is a warning, " + "and update of one key changes one line",
    async () => {
      mkdirSync(join(root, ".storacha"), { mode: 0o700 });
      writeFileSync(file(), OLDER, { mode: 0o600 });
      const ran = await runCli(["validate", "storacha"], { root });
      expect(ran.code).toBe(0);
      expect(ran.stderr).toContain('"api_key": is the older tool\'s placeholder, not a key');
      expect((await runCli(["update", "storacha", "--set", "timeout=60"], { root })).code).toBe(0);
      const now = readFileSync(file(), "utf8");
      expect(now.split("\n").filter((line, i) => line !== OLDER.split("\n")[i])).toEqual(['  "timeout": 60,']);
      expect(now.length).toBe(OLDER.length);
    },
  );

  test("show, get and --json hide the API key", async () => {
    await runCli(["configure", "storacha"], { root });
    const key = "sk-storacha-known-value-42";
    expect((await runCli(["update", "storacha", "--set", `api_key=${key}`], { root })).code).toBe(0);
    expect(readFileSync(file(), "utf8")).toContain(key);
    for (const args of [
      ["show", "storacha"],
      ["show", "storacha", "--json"],
      ["get", "storacha", "api_key"],
      ["update", "storacha", "--set", "retries=5", "--dry-run"],
    ]) {
      const out = await runCli(args, { root });
      expect({ args, leaked: (out.stdout + out.stderr).includes(key) }).toEqual({ args, leaked: false });
    }
  });

  test("URLs and numbers are checked, and a refused value leaves the file byte-identical", async () => {
    await runCli(["configure", "storacha"], { root });
    const before = readFileSync(file(), "utf8");
    const cases: [string, string][] = [
      ['endpoints=["not a url"]', 'Cannot set "endpoints" for storacha: expected a JSON array of one or more http(s)'],
      ["endpoints=[]", "expected a JSON array of one or more http(s) URLs"],
      ["service_url=ftp://up.example.org", 'Cannot set "service_url" for storacha: expected an http(s) URL'],
      ["timeout=0", 'Cannot set "timeout" for storacha: expected an integer from 1 to 86400, got "0"'],
      ["retries=2.5", 'Cannot set "retries" for storacha: expected an integer from 0 to 100'],
      ["mock_mode=perhaps", 'Cannot set "mock_mode" for storacha: expected a boolean'],
      ["service_did=up.storacha.network", "expected a DID such as did:web:up.storacha.network"],
    ];
    for (const [set, message] of cases) {
      const ran = await runCli(["update", "storacha", "--set", set], { root });
      expect({ set, code: ran.code }).toEqual({ set, code: 1 });
      expect(ran.stderr).toContain(message);
      expect(readFileSync(file(), "utf8")).toBe(before);
    }
    // A local test server may speak plain http.
    const local = await runCli(["update", "storacha", "--set", 'endpoints=["http://127.0.0.1:8787/bridge"]'], { root });
    expect(local.code).toBe(0);
    expect(local.stderr).not.toContain("plain http");
  });

  test("plain http to another machine is taken, as the CLI dials it, with a warning on each such URL", async () => {
    await runCli(["configure", "storacha"], { root });
    const sets = [
      'endpoints=["https://up.storacha.network", "http://up.example.org/bridge"]',
      "service_url=http://up.example.org",
      "service_did=did:web:up.example.org",
      "receipts_url=http://[::1]:8787/receipt/",
    ];
    const ran = await runCli(["update", "storacha", ...sets.flatMap((set) => ["--set", set])], { root });
    expect(ran.code).toBe(0);
    const validated = await runCli(["validate", "storacha"], { root });
    expect(validated.code).toBe(0);
    for (const key of ["endpoints.1", "service_url"])
      expect(validated.stderr).toContain(`"${key}": is plain http to another machine: the storacha CLI then sends`);
    // https, and http to this machine's loopback, are not warned.
    expect(validated.stderr).not.toContain('"endpoints.0": is plain');
    expect(validated.stderr).not.toContain('"receipts_url": is plain');
  });

  test("kitcfg env storacha gives the CLI's service variables only as the pair the CLI uses", () => {
    kitcfg(["configure", "storacha"], { root });
    expect(kitcfg(["env", "storacha"], { root }).stdout).toBe("# storacha: no variable holds any of its settings\n");
    kitcfg(["update", "storacha", "--set", "service_url=https://up.example.org"], { root });
    const lone = kitcfg(["validate", "storacha"], { root });
    expect(lone.stderr).toContain('"service_url": is set without service_did');
    expect(kitcfg(["env", "storacha"], { root }).stdout).toBe("# storacha: no variable holds any of its settings\n");
    kitcfg(["update", "storacha", "--set", "service_did=did:web:up.example.org", "--set", "store_name=kitcfg-agent"], {
      root,
    });
    const exports = kitcfg(["env", "storacha"], { root }).stdout;
    const script =
      `eval "$(cat)"; ` + `printf '%s|%s|%s' "$STORACHA_SERVICE_URL" "$STORACHA_SERVICE_DID" "$STORACHA_STORE_NAME"`;
    const out = Bun.spawnSync(["sh", "-c", script], {
      stdin: Buffer.from(exports),
      env: cleanEnv(root),
    }).stdout.toString();
    expect(out).toBe("https://up.example.org|did:web:up.example.org|kitcfg-agent");
  });
});
