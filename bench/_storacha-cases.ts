/**
 * Generated storacha config.json files for bench/storacha-differential.ts: kitcfg's defaults with
 * one to three settings given odd values. Every key of plugins/storacha.ts is drawn, the four the
 * storacha CLI reads (service_url, service_did, receipts_url, store_name) far more often than the
 * older tool's, which reach no storacha program.
 */
import storacha from "../plugins/storacha.ts";
import { createPluginContext } from "../sdk/context.ts";
import { encodeBase58 } from "../sdk/index.ts";

type Random = () => number;

/** One case: the config.json object and what changed. */
export interface StorachaCase {
  config: Record<string, unknown>;
  changes: string[];
}

/** The settings the CLI reads, and the variable each becomes (packages/cli/lib.js getStore, getClient). */
export const CLI_KEYS = {
  service_url: "STORACHA_SERVICE_URL",
  service_did: "STORACHA_SERVICE_DID",
  receipts_url: "STORACHA_RECEIPTS_URL",
  store_name: "STORACHA_STORE_NAME",
} as const;

/** `kitcfg configure storacha`'s config.json: the plugin's own `defaults`. */
export const STORACHA_DEFAULTS = (await storacha.defaults(
  createPluginContext({ root: "/x", env: { HOME: "/x" } }),
)) as Record<string, unknown>;

const URLS = [
  "https://up.storacha.lab",
  "https://up.storacha.lab/",
  "https://up.storacha.lab/receipt/",
  "https://up.storacha.lab/receipt",
  "https://up.storacha.lab/r/?a=1",
  "https://up.storacha.lab/r/#top",
  "http://127.0.0.1:41234/",
  "http://localhost:8787/receipt/",
  "http://[::1]:8787/",
  "http://up.storacha.lab/",
  "https://[::1]:8080/receipt/",
  "https://u:p@up.storacha.lab/",
  "HTTPS://UP.STORACHA.LAB/",
  "https://bücher.lab/",
  "https://xn--bcher-kva.lab/",
  "https://x_y.lab/",
  "https://%41.lab/",
  "https://1.2.3.256/",
  "https://up.storacha.lab:0/",
  "https://up.storacha.lab:99999/",
  "https://[::1/",
  "https://up.storacha.lab/a b/",
  "https://up.storacha.lab/%zz/",
  "https://up.storacha.lab\\r\\",
  " https://up.storacha.lab/",
  "https://up.storacha.lab/ ",
  "https://up.storacha.lab/\t",
  "https://up.\tstoracha.lab/",
  "https://up.storacha.lab/\n",
  "https://up.storacha.lab\u00a0/",
  "https://up.storacha.lab/\u2028",
  "https:up.storacha.lab/",
  "https:///up.storacha.lab/",
  "//up.storacha.lab/",
  "up.storacha.lab",
  "https://",
  "ftp://up.storacha.lab/",
  "ws://up.storacha.lab/",
  "file:///tmp/receipt/",
  "data:,x",
  "mailto:ops@storacha.lab",
  "foo:bar",
  "",
  " ",
  `https://up.storacha.lab/${"p".repeat(3000)}/`,
];

const STORE_NAMES = [
  "storacha-cli",
  "work",
  "a:b",
  "storacha-cli-test-alice-did:web:test.up.storacha.network",
  "a b",
  "a'b",
  "a$HOME",
  "a`id`",
  "a\\b",
  "a=b",
  "-x",
  ".hidden",
  ".",
  "..",
  "...",
  "a/b",
  "../other",
  "/tmp/abs",
  "a/",
  "/",
  "",
  " ",
  "a\tb",
  "a\nb",
  "a\x01",
  "a\x7f",
  "a\u0085",
  "a\u00a0",
  "a\u2028b",
  "\ufeffx",
  "ü",
  "日本語",
  "emoji 😀",
  "x".repeat(250),
  "x".repeat(251),
  "é".repeat(125),
  "é".repeat(126),
  "😀".repeat(63),
  "😀".repeat(64),
  "x".repeat(5000),
];

const PLAIN_DID = "did:web:up.storacha.lab";

/** Fixed DIDs: did:web and other methods, and broken ones. */
const OTHER_DIDS = [
  "did:web:up.storacha.network",
  "did:web:test.up.storacha.network",
  "did:web:localhost%3A8787",
  "did:mailto:storacha.lab:ops",
  "did:pkh:eip155:1:0xab16a96d359ec26a11e2c2b3d8f8b8942d5bfcdb",
  "did:",
  "did::x",
  "did:web:",
  "did:WEB:up.storacha.network",
  "did:web:a b",
  "did:web:ü.lab",
  "did:web:x\n",
  " did:web:up.storacha.network",
  "did:web:up.storacha.network ",
  "DID:web:up.storacha.network",
  "web:up.storacha.network",
  "",
  `did:web:${"x".repeat(5000)}`,
  "did:key:",
  "did:key:z",
  "did:key:abc",
  "did:key:f01ed",
  "did:key:z6Mk0OIl",
  "did:key:z6Mkabc",
  "did:key:z6MkqdncRZ1wj8zxCTDUQ8CRT8NQWd63T7mZRvZUX8B7XDFi",
];

/** Multicodes of public keys: each one the CLI's DID parser knows, and some it does not (x25519, sr25519, …). */
const KEY_CODES: [string, number, number[]][] = [
  ["ed25519", 0xed, [32, 0, 5, 64]],
  ["rsa", 0x1205, [270, 526]],
  ["p256", 0x1200, [33, 65, 0]],
  ["p384", 0x1201, [49, 97]],
  ["p521", 0x1202, [67, 133]],
  ["secp256k1", 0xe7, [33, 65]],
  ["bls12_381-g1", 0xea, [48]],
  ["bls12_381-g2", 0xeb, [96]],
  ["did-core", 0x0d1d, [12]],
  ["x25519", 0xec, [32]],
  ["sr25519", 0xef, [32]],
  ["identity", 0x00, [32]],
  ["big", 0x10_0000_0000, [8]],
];

/** A case from the seeded `random`: one to three settings changed. */
export function generateStorachaCase(random: Random): StorachaCase {
  const config: Record<string, unknown> = structuredClone(STORACHA_DEFAULTS);
  const changes: string[] = [];
  const count = 1 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) {
    const [key, value] = pickSetting(random);
    if (value === undefined) delete config[key];
    else config[key] = value;
    changes.push(`${key}=${JSON.stringify(value)}`);
  }
  // kitcfg env gives the service URL and DID only together (the CLI uses them only so): most times
  // the other one of a pair gets a plain value, or the odd one would never reach the CLI.
  const [url, did] = [config.service_url, config.service_did];
  if ((url === undefined) !== (did === undefined) && random() < 0.8) {
    const [key, value] = url === undefined ? ["service_url", "https://up.storacha.lab"] : ["service_did", PLAIN_DID];
    config[key] = value;
    changes.push(`${key}=${JSON.stringify(value)}`);
  }
  return { config, changes };
}

// --- internal ---

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

function pickSetting(random: Random): [string, unknown] {
  const kind = random();
  if (kind < 0.04) return [pick(random, Object.keys(CLI_KEYS)), pick(random, [5, null, true, ["x"], { a: 1 }])];
  if (kind < 0.08) return pickOlder(random);
  if (kind < 0.28) return ["service_url", pick(random, [...URLS, undefined])];
  if (kind < 0.5) return ["service_did", random() < 0.5 ? didKey(random) : pick(random, [...OTHER_DIDS, undefined])];
  if (kind < 0.7) return ["receipts_url", pick(random, [...URLS, undefined])];
  return ["store_name", pick(random, [...STORE_NAMES, undefined])];
}

/** The older tool's keys, which the CLI does not read: kitcfg may refuse them for that tool's sake. */
function pickOlder(random: Random): [string, unknown] {
  return pick(random, [
    ["endpoints", []],
    ["endpoints", ["ftp://up.storacha.lab"]],
    ["timeout", 0],
    ["retries", 2],
    ["mock_mode", "yes"],
    ["api_key", "your-api-key-here"],
  ] as [string, unknown][]);
}

/** A did:key: `z` + base58btc of varint(multicode) + key bytes, of a length that fits or not. */
function didKey(random: Random): string {
  const [, code, lengths] = pick(random, KEY_CODES);
  const key = Array.from({ length: pick(random, lengths) }, () => Math.floor(random() * 256));
  if (code === 0x1200 && key.length === 33) key[0] = 2 + Math.floor(random() * 2);
  return `did:key:z${encodeBase58(new Uint8Array([...varint(code), ...key]))}`;
}

function varint(code: number): number[] {
  const out: number[] = [];
  let rest = code;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  return [...out, rest];
}
