import { afterEach, beforeEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { kitcfg, tempDir } from "../helpers.ts";

// Each test runs the binary several times; a loaded machine takes seconds for that.
setDefaultTimeout(60_000);

// What the Storacha CLI refuses when it reads its STORACHA_* variables (packages/cli/lib.js
// getStore, getClient; tests/fixtures/FORMATS.md, "Load-time rules: storacha"), and what the
// older tool's settings need: refused by `update --set` (exit 1, file byte-identical) and
// failing `validate` when written into config.json by hand.

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

const DID_KEY = "did:key:z6MkqdncRZ1wj8zxCTDUQ8CRT8NQWd63T7mZRvZUX8B7XDFi";
/** varint 0x1200 + 0x04 + 64 bytes: a P-256 key the CLI's parser refuses (found by bench/storacha-differential.ts). */
const P256_UNCOMPRESSED =
  "did:key:z4oJ8ZvKMYSK2HxmaMUrnWbQSyfdj7CP63Qf5Pb5NeU8FcaCv77D2z8sBGUDynJw1WFLnTKMsARiehQry3T8fx8tUbiAS";
/** A compressed P-256 key (varint 0x1200 + 33 bytes), which the CLI loads. */
const P256_COMPRESSED = "did:key:zDnaeWVgVK7UGb52J8X5nkwSt7atQn8TYZa4XuXoLoNPKmwtS";

/** [what, key, value (JSON), upstream rule] */
const REFUSED: [string, string, unknown, string][] = [
  [
    "a service DID without did:",
    "service_did",
    "web:up.storacha.network",
    "@ipld/dag-ucan src/did.js parse: must start with 'did:'",
  ],
  [
    "a did:key that is not base58btc",
    "service_did",
    "did:key:abc",
    "@ipld/dag-ucan src/did.js parse: base58btc decoder needs z",
  ],
  [
    "a did:key of an unknown key type",
    "service_did",
    "did:key:z6Mkabc",
    "@ipld/dag-ucan src/did.js decode: unknown multicode",
  ],
  ["a service DID with a blank", "service_did", "did:web:up storacha", "W3C DID syntax; the CLI would send it as is"],
  [
    "a service URL that is not a URL",
    "service_url",
    "not a url",
    "packages/cli/lib.js getClient: new URL(STORACHA_SERVICE_URL) throws",
  ],
  [
    "a service URL without a scheme",
    "service_url",
    "up.storacha.network",
    "packages/cli/lib.js getClient: new URL throws Invalid URL",
  ],
  [
    "a service URL with a blank in its host",
    "service_url",
    "https://up.storacha .network/",
    "new URL throws Invalid URL on a space in the host",
  ],
  [
    "a receipts URL that is not a URL",
    "receipts_url",
    "receipts",
    "packages/cli/lib.js getClient: new URL(STORACHA_RECEIPTS_URL) throws",
  ],
  [
    "a store name whose file name is over 255 bytes",
    "store_name",
    "é".repeat(126),
    "conf: <name>.json is one file name; Linux refuses one over 255 bytes (ENAMETOOLONG) in getStore()",
  ],
  [
    "a did:key of the DID core code, which the CLI reads as did:<its bytes>, another DID",
    "service_did",
    "did:key:zzksD19Y4c8Z4VeKyACq",
    "@ipld/dag-ucan src/did.js decode: DID_CORE gives new DID(bytes), whose did() is did: + the bytes as UTF-8",
  ],
  [
    "an uncompressed P-256 did:key",
    "service_did",
    P256_UNCOMPRESSED,
    "@ipld/dag-ucan src/did.js decode: Only p256-pub compressed is supported",
  ],
  [
    "no endpoint at all",
    "endpoints",
    [],
    "the older tool (ipfs_kit_py) tries endpoints in order: none leaves nothing to try",
  ],
  [
    "an endpoint that is not https",
    "endpoints",
    ["ftp://up.storacha.network"],
    "the older tool posts to each endpoint over http(s)",
  ],
];

describe("the Storacha CLI's load-time rules", () => {
  for (const [what, key, value, rule] of REFUSED) {
    test(`refused: ${what} (${rule})`, () => {
      expect(kitcfg(["configure", "storacha"], { root }).code).toBe(0);
      const config = join(root, ".storacha/config.json");
      const before = readFileSync(config);
      const text = typeof value === "string" ? value : JSON.stringify(value);
      const ran = kitcfg(["update", "storacha", "--set", `${key}=${text}`], { root });
      expect(ran.code).toBe(1);
      expect(ran.stderr).toContain(`"${key}" for storacha`);
      expect(readFileSync(config)).toEqual(before);
      const json = JSON.parse(readFileSync(config, "utf8"));
      json[key] = value;
      writeFileSync(config, JSON.stringify(json, null, 2));
      const validated = kitcfg(["validate", "storacha"], { root });
      expect(validated.code).toBe(1);
      expect(validated.stderr).toContain(`"${key}`);
    });
  }

  test(
    "warned: a receipts URL without a final / (the client resolves each receipt against it), " +
      "and a service without receipts_url (receipts still come from the public service)",
    () => {
      expect(kitcfg(["configure", "storacha"], { root }).code).toBe(0);
      const ran = kitcfg(["update", "storacha", "--set", "receipts_url=https://up.storacha.lab/receipt"], { root });
      expect(ran.code).toBe(0);
      expect(ran.stderr).toContain('"receipts_url"');
      expect(ran.stderr).toContain("fetches https://up.storacha.lab/<cid>");
      expect(
        kitcfg(["update", "storacha", "--set", "receipts_url=https://up.storacha.lab/r/?a=1"], { root }).stderr,
      ).toContain("fetches https://up.storacha.lab/r/<cid>");
      expect(kitcfg(["update", "storacha", "--unset", "receipts_url"], { root }).code).toBe(0);
      const service = kitcfg(
        ["update", "storacha", "--set", "service_url=https://up.storacha.lab", "--set", `service_did=${DID_KEY}`],
        { root },
      );
      expect(service.code).toBe(0);
      expect(service.stderr).toContain('"service_url": is set but receipts_url is not');
      expect(service.stderr).toContain("https://up.storacha.lab/receipt/");
      const validated = kitcfg(["validate", "storacha"], { root });
      expect(validated.code).toBe(0);
      expect(validated.stderr).toContain('"service_url"');
    },
  );

  test("warned: blanks around a URL and tabs inside it, which new URL() drops: the CLI reads it without them", () => {
    expect(kitcfg(["configure", "storacha"], { root }).code).toBe(0);
    const config = join(root, ".storacha/config.json");
    const json = JSON.parse(readFileSync(config, "utf8"));
    Object.assign(json, {
      receipts_url: " https://up.storacha.lab/receipt/ ",
      service_url: "https://up.stor\tacha.lab/\t",
      service_did: DID_KEY,
    });
    writeFileSync(config, JSON.stringify(json, null, 2));
    const validated = kitcfg(["validate", "storacha"], { root });
    expect(validated.code).toBe(0);
    expect(validated.stderr).toContain(
      '"receipts_url": has blanks or control characters that the CLI drops ' +
        "(new URL() reads https://up.storacha.lab/receipt/)",
    );
    expect(validated.stderr).toContain('"service_url": has blanks or control characters that the CLI drops');
    // A line break cannot be exported (`kitcfg env` gives a variable a line): refused.
    writeFileSync(config, JSON.stringify({ ...json, service_url: "https://up.storacha.lab\n/x" }, null, 2));
    const broken = kitcfg(["validate", "storacha"], { root });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('"service_url": a value written to an env file or passed as a command-line flag');
  });

  // Each loads in @storacha/cli 1.6.32 (bench/storacha-read.mjs): the store is w3access/.json,
  // w3access/a/b.json, other.json beside w3access, w3access/a<TAB>b.json.
  test.each([
    ["", "is empty: the CLI keeps its agent store in a file named .json"],
    ["a/b", "holds a /: the CLI keeps its agent store at w3access/a/b.json"],
    ["../other", "holds a /: the CLI keeps its agent store at w3access/../other.json"],
    ["a\tb", "holds a control character"],
  ])("warned: the store name %j, which the CLI takes as it is", (name, warning) => {
    expect(kitcfg(["configure", "storacha"], { root }).code).toBe(0);
    const ran = kitcfg(["update", "storacha", "--set", `store_name=${name}`], { root });
    expect({ code: ran.code, warned: ran.stderr.includes(`"store_name": ${warning}`) }).toEqual({
      code: 0,
      warned: true,
    });
    expect(kitcfg(["validate", "storacha"], { root }).code).toBe(0);
    expect(kitcfg(["env", "storacha"], { root }).stdout).toContain("STORACHA_STORE_NAME=");
  });

  test("kitcfg env of a value of another JSON type is refused with the configuration's error, not the plugin's", () => {
    expect(kitcfg(["configure", "storacha"], { root }).code).toBe(0);
    const config = join(root, ".storacha/config.json");
    writeFileSync(config, JSON.stringify({ ...JSON.parse(readFileSync(config, "utf8")), receipts_url: { a: 1 } }));
    const ran = kitcfg(["env", "storacha"], { root });
    expect(ran.code).toBe(1);
    expect(ran.stderr).not.toContain("Plugin");
    expect(ran.stderr).toContain("Cannot give storacha's variables: its configuration has an error");
    expect(ran.stderr).toContain('"receipts_url": expected an http(s) URL, got a JSON object');
  });

  test("accepted: every variable the CLI reads, given by kitcfg env as the CLI reads them", () => {
    expect(kitcfg(["configure", "storacha"], { root }).code).toBe(0);
    const sets = [
      "service_url=https://up.storacha.lab",
      `service_did=${DID_KEY}`,
      "receipts_url=https://up.storacha.lab/receipt/",
      "store_name=kitcfg-test",
      'endpoints=["http://localhost:8787/bridge"]',
      "timeout=60",
      "retries=0",
    ];
    const ran = kitcfg(["update", "storacha", ...sets.flatMap((set) => ["--set", set])], { root });
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    expect(kitcfg(["validate", "storacha"], { root }).code).toBe(0);
    const env = kitcfg(["env", "storacha"], { root }).stdout;
    for (const name of ["STORACHA_SERVICE_URL", "STORACHA_SERVICE_DID", "STORACHA_RECEIPTS_URL", "STORACHA_STORE_NAME"])
      expect(env).toContain(name);
    expect(kitcfg(["update", "storacha", "--set", "service_did=did:web:up.storacha.network"], { root }).code).toBe(0);
  });

  // Both load in the real CLI (bench/storacha-differential.ts): the longest store file name Linux
  // takes, 250 bytes + ".json", and a compressed P-256 service key.
  test("accepted: a store name of 250 bytes and a compressed P-256 did:key", () => {
    expect(kitcfg(["configure", "storacha"], { root }).code).toBe(0);
    const sets = [
      `store_name=${"é".repeat(125)}`,
      "service_url=https://up.storacha.lab",
      `service_did=${P256_COMPRESSED}`,
      "receipts_url=https://up.storacha.lab/receipt/",
    ];
    const ran = kitcfg(["update", "storacha", ...sets.flatMap((set) => ["--set", set])], { root });
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    expect(kitcfg(["validate", "storacha"], { root }).code).toBe(0);
  });

  // The values the CLI's own tests run it with (packages/cli/test/helpers/env.js:10-15, context.js:76-85;
  // the service is packages/upload-api/src/test/helpers/context.js:36): a store named after the DID.
  test("accepted: the store name, service and receipts URL the storacha CLI's own tests give it", () => {
    expect(kitcfg(["configure", "storacha"], { root }).code).toBe(0);
    const sets = [
      "store_name=storacha-cli-test-alice-did:web:test.up.storacha.network",
      "service_did=did:web:test.up.storacha.network",
      "service_url=http://127.0.0.1:41234/",
      "receipts_url=http://127.0.0.1:41235/receipt/",
    ];
    const ran = kitcfg(["update", "storacha", ...sets.flatMap((set) => ["--set", set])], { root });
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    expect(kitcfg(["validate", "storacha"], { root }).code).toBe(0);
    expect(kitcfg(["env", "storacha"], { root }).stdout).toContain(
      "storacha-cli-test-alice-did:web:test.up.storacha.network",
    );
  });
});
