import { definePlugin, urlCheck, v } from "kitcfg";
import type { PluginIssue } from "kitcfg";
import { decodeBase58 } from "kitcfg";
import { storachaKeyDocs } from "./storacha/docs.ts";

// Facts: tests/fixtures/FORMATS.md §9 and §10. The config.json shape (endpoints, timeout,
// retries, mock_mode, api_key) is the older tool's (ipfs_kit_py daemon_config_manager.py);
// the real Storacha CLI (@storacha/cli) keeps UCAN delegations in its own agent store and
// reads STORACHA_* variables. Of those, only the ones with a setting of their own here are
// given by `kitcfg env storacha`:
// - `endpoints` are the older tool's HTTP bridge URLs (".../bridge"), not the UCAN service
//   URL the CLI dials; and the CLI uses STORACHA_SERVICE_URL only together with
//   STORACHA_SERVICE_DID (a URL alone is ignored), which no older key holds. So the pair has
//   its own keys, service_url and service_did, exported only when both are set.
// - api_key, timeout, retries and mock_mode have no counterpart: the CLI authenticates with
//   UCAN delegations, not keys. They stay for programs that read this file.

/** The client's receipts endpoint when STORACHA_RECEIPTS_URL is unset (packages/upload-client/src/service.js). */
const PUBLIC_RECEIPTS = "https://up.storacha.network/receipt/";

/** 255 bytes (NAME_MAX of Linux file systems) less ".json", which conf appends (drivers/conf.js). */
const STORE_NAME_BYTES = 250;

/** The older tool's placeholder for a key it did not have. */
const PLACEHOLDER_KEY = "your-api-key-here";

// The CLI reads its URLs with `new URL()` (packages/cli/lib.js getClient), which drops blanks
// and control characters around the text and tabs and line breaks inside it: such a URL is read
// as the text without them (a warning, `droppedByUrlIssues`; a line break is refused anyway, as
// `kitcfg env` prints a variable a line). It dials plain http as readily as https: http off this
// machine is a warning (`plainHttpIssues`), not a refusal. The older tool's `endpoints`, which no
// storacha program reads, stay plain URLs.
const httpUrl = v.pipe(v.string(), v.regex(/^[^\s]+$/, "expected an http(s) URL"), urlCheck(["http", "https"]));
const cliUrl = v.pipe(
  v.string(),
  v.check((text: string) => v.safeParse(httpUrl, urlAsRead(text)).success, "expected an http(s) URL"),
);
const schema = v.object({
  /** Service URLs, tried in order. */
  endpoints: v.pipe(v.array(httpUrl), v.minLength(1, "expected a JSON array of one or more http(s) URLs")),
  /** Seconds to wait for an endpoint. */
  timeout: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(86400))),
  /** Attempts after the first failure, per endpoint. */
  retries: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100))),
  mock_mode: v.optional(v.boolean()),
  api_key: v.optional(v.string()),
  /** STORACHA_SERVICE_URL: the upload service the CLI dials (default https://up.storacha.network). */
  service_url: v.optional(cliUrl),
  /** STORACHA_SERVICE_DID: that service's DID (default did:web:up.storacha.network). */
  service_did: v.optional(
    v.pipe(
      v.string(),
      v.check(
        (text: string) => /^did:[a-z0-9]+:\S+$/.test(text) && didKeyProblem(text) === undefined,
        "expected a DID such as did:web:up.storacha.network " +
          "(a did:key must be z + base58btc of a public key the CLI decodes, P-256 compressed)",
      ),
    ),
  ),
  /** STORACHA_RECEIPTS_URL: where the CLI polls for receipts (default https://up.storacha.network/receipt/). */
  receipts_url: v.optional(cliUrl),
  /**
   * STORACHA_STORE_NAME: the CLI's agent store file name (default storacha-cli). conf makes it
   * `<name>.json` in its folder with path.resolve, so any name without a `/` stays a file there; the
   * CLI's own tests name theirs after the service DID (`storacha-cli-test-alice-did:web:…`,
   * packages/cli/test/helpers/context.js setup). An empty name, a `/` or a control character, which
   * the CLI takes as they are, are warnings (`storeNameIssue`).
   */
  store_name: v.optional(
    v.pipe(
      v.string(),
      // `<name>.json` is one file name, which Linux takes up to 255 bytes: conf's first read of a
      // longer one throws ENAMETOOLONG in getStore() (found by bench/storacha-differential.ts).
      v.check(
        (name: string) => new TextEncoder().encode(name).length <= STORE_NAME_BYTES,
        `expected a name of at most ${STORE_NAME_BYTES} bytes (the CLI's store file <name>.json is one file name)`,
      ),
    ),
  ),
});

export default definePlugin({
  name: "storacha",
  summary: "Storacha (web3.storage) upload service: endpoints, timeouts, API key",
  files: {
    // Hard-coded by the older tool under ~ (it read no variable).
    config: { path: "~/.storacha/config.json", format: "json", style: { indent: 2 } },
  },
  schema,
  secrets: ["api_key"],
  keyDocs: storachaKeyDocs,
  // The older tool's values, without its placeholder key (a placeholder is not a key).
  defaults: () => ({
    endpoints: ["https://up.storacha.network/bridge", "https://api.web3.storage", "https://up.web3.storage/bridge"],
    timeout: 30,
    retries: 3,
    mock_mode: false,
  }),
  validate: (config) => {
    const issues: PluginIssue[] = [];
    const seen = new Set<string>();
    config.endpoints.forEach((url, i) => {
      if (seen.has(url))
        issues.push({ key: `endpoints.${i}`, severity: "warning", message: `repeats ${url}: it is tried twice` });
      seen.add(url);
    });
    if (config.api_key === PLACEHOLDER_KEY) {
      issues.push({
        key: "api_key",
        severity: "warning",
        message: "is the older tool's placeholder, not a key: set the real one or unset it",
      });
    }
    if ((config.service_url === undefined) !== (config.service_did === undefined)) {
      const [set, missing] =
        config.service_url === undefined ? ["service_did", "service_url"] : ["service_url", "service_did"];
      issues.push({
        key: set,
        severity: "warning",
        message:
          `is set without ${missing}: ` +
          "the storacha CLI uses STORACHA_SERVICE_URL only together with STORACHA_SERVICE_DID, so it ignores both",
      });
    }
    issues.push(...droppedByUrlIssues(config), ...plainHttpIssues(config));
    const store = config.store_name === undefined ? undefined : storeNameIssue(config.store_name);
    if (store) issues.push({ key: "store_name", severity: "warning", message: store });
    const receipts = config.receipts_url === undefined ? undefined : receiptsProblem(config.receipts_url);
    if (receipts) issues.push({ key: "receipts_url", severity: "warning", message: receipts });
    // The client's receipts endpoint defaults to the public service's, whatever service it dials
    // (packages/w3up-client/src/base.js; upload-client/src/service.js `receiptsEndpoint`).
    if (config.service_url !== undefined && config.service_did !== undefined && config.receipts_url === undefined)
      issues.push({
        key: "service_url",
        severity: "warning",
        message:
          `is set but receipts_url is not: the CLI still fetches receipts from ${PUBLIC_RECEIPTS}, ` +
          `not from this service (set receipts_url, e.g. ${new URL("/receipt/", config.service_url).href})`,
      });
    return issues;
  },
  env: (config) => ({
    ...(config.service_url !== undefined && config.service_did !== undefined
      ? { STORACHA_SERVICE_URL: config.service_url, STORACHA_SERVICE_DID: config.service_did }
      : {}),
    ...(config.receipts_url !== undefined ? { STORACHA_RECEIPTS_URL: config.receipts_url } : {}),
    ...(config.store_name !== undefined ? { STORACHA_STORE_NAME: config.store_name } : {}),
  }),
});

// --- internal ---

/**
 * What `new URL()` reads of `text` (the WHATWG URL parser): the C0 controls and spaces around it
 * stripped, every tab and line break inside it removed.
 */
function urlAsRead(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(start, end).replace(/[\t\n\r]/g, "");
}

/**
 * What is odd about a store name the CLI takes as it is (packages/cli/lib.js getStore: `??` keeps an
 * empty one; conf's path.resolve of `<name>.json` in its w3access folder), or undefined.
 */
function storeNameIssue(name: string): string | undefined {
  if (name === "") return "is empty: the CLI keeps its agent store in a file named .json in its w3access folder";
  if (name.includes("/"))
    return `holds a /: the CLI keeps its agent store at w3access/${name}.json, in another folder than its own`;
  if (/[\x00-\x1f\x7f]/.test(name)) return "holds a control character, which the CLI's store file name then holds too";
  return undefined;
}

/** A warning for each URL the CLI reads without some of its characters (`urlAsRead`). */
function droppedByUrlIssues(config: { service_url?: string; receipts_url?: string }): PluginIssue[] {
  const issues: PluginIssue[] = [];
  for (const key of ["service_url", "receipts_url"] as const) {
    const text = config[key];
    if (text === undefined || urlAsRead(text) === text) continue;
    issues.push({
      key,
      severity: "warning",
      message: `has blanks or control characters that the CLI drops (new URL() reads ${urlAsRead(text)}): write it so`,
    });
  }
  return issues;
}

/**
 * Key types the CLI's DID parser decodes (@ipld/dag-ucan src/did.js `decode`): ed25519, RSA,
 * P-256/384/521, BLS12-381 G1/G2, secp256k1. It takes the DID core code 0x0d1d too, but as
 * `new DID(bytes)`, whose did() is `did:` + the bytes as UTF-8: the CLI then addresses another DID
 * than the one written (found by bench/storacha-differential.ts), so that code is refused here.
 */
const DID_KEY_CODES = new Set([0xed, 0x1205, 0x1200, 0x1201, 0x1202, 0xea, 0xeb, 0xe7]);
const P256 = 0x1200;

/**
 * Why the CLI's DID parser (@ipld/dag-ucan `parse`, used on STORACHA_SERVICE_DID in
 * packages/cli/lib.js) would throw on a did:key; undefined for any other method.
 */
function didKeyProblem(did: string): string | undefined {
  if (!did.startsWith("did:key:")) return undefined;
  const encoded = did.slice("did:key:".length);
  if (!encoded.startsWith("z")) return "is not base58btc (z…)";
  let bytes: Uint8Array;
  try {
    bytes = decodeBase58(encoded.slice(1));
  } catch {
    return "is not base58btc";
  }
  let code = 0;
  for (let i = 0, shift = 0; i < bytes.length && i < 4; i++, shift += 7) {
    code += (bytes[i]! & 0x7f) * 2 ** shift;
    if ((bytes[i]! & 0x80) !== 0) continue;
    if (!DID_KEY_CODES.has(code)) return `has an unknown key type 0x${code.toString(16)}`;
    // decode() takes P-256 keys compressed only: `bytes.length > 35` (varint + 33) throws.
    return code === P256 && bytes.length > 35 ? "is an uncompressed P-256 key" : undefined;
  }
  return "holds no key type";
}

/**
 * The client fetches a receipt at `new URL(taskCid, endpoint)` (packages/upload-client/src/
 * receipts.js `get`): relative resolution drops the endpoint's last segment when it has no
 * final `/`, and its query and fragment always.
 */
function receiptsProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined; // the schema refuses it
  }
  const at = new URL("CID", url).href;
  if (url.pathname.endsWith("/") && url.search === "" && url.hash === "") return undefined;
  const fetched = at.replace(/CID$/, "<cid>");
  return `is read as the base of each receipt's URL, so the CLI fetches ${fetched}: end the path with /`;
}

/**
 * URLs the CLI would dial in clear off this machine: it sends the UCAN delegations that are its
 * credentials with every request, and the data uploaded, so anyone on the way can read and replay
 * them. It dials them all the same (`new URL()` takes http): a warning.
 */
function plainHttpIssues(config: { endpoints: string[]; service_url?: string; receipts_url?: string }): PluginIssue[] {
  const urls: [string, string | undefined][] = [
    ...config.endpoints.map((url, i): [string, string] => [`endpoints.${i}`, url]),
    ["service_url", config.service_url],
    ["receipts_url", config.receipts_url],
  ];
  return urls.flatMap(([key, text]) =>
    text !== undefined && isPlainHttpAway(text)
      ? [
          {
            key,
            severity: "warning" as const,
            message:
              "is plain http to another machine: the storacha CLI then sends its UCAN delegations (its " +
              "credentials) and your uploads unencrypted; use https (plain http suits only a local test server)",
          },
        ]
      : [],
  );
}

/** An http: URL whose host is not this machine's loopback. */
function isPlainHttpAway(text: string): boolean {
  const url = URL.parse(text);
  return url !== null && url.protocol === "http:" && !["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
}
