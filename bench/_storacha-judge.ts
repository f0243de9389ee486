/**
 * What bench/storacha-differential.ts calls a disagreement: what the storacha CLI loaded
 * (bench/storacha-read.mjs) against what config.json says and kitcfg's verdict.
 */
import { CLI_KEYS, type StorachaCase } from "./_storacha-cases.ts";
import type { CliRead, StorachaRun } from "./_storacha-run.ts";

/**
 * Disagreements:
 * - `valid-but-throws`: kitcfg says valid, the CLI's getStore() or getClient() throws (the worst kind);
 * - `valid-but-reads-otherwise`: kitcfg says valid and warns nothing on that key, the CLI loads another value;
 * - `refused-but-fine`: kitcfg refuses a value the CLI loads and uses as written;
 * - `dialed`: constructing the client tried the network (it should not).
 *
 * Not disagreements:
 * - `refused-unusable`: the CLI loads the refused URL, but its HTTP channel can never dial it: the
 *   channel posts with fetch (@ucanto/transport src/http.js), which dials http and https only; or
 *   a service DID outside DID syntax (`did:`, `did:web:a b`), which no service is: every invocation
 *   names it as its audience, and the service refuses one that is not its own;
 * - `refused-misread`: the CLI loads another value than the one written: a service DID it re-spells
 *   (a did:key of the DID core code), a URL with a blank or other non-ASCII character inside (new URL()
 *   writes it %XX, or a host's IDNA);
 * - `refused-unexportable`: a line break, which `kitcfg env` cannot give on its line (a variable a line:
 *   core `lineBreakIssues`); the harness hands the value to the CLI directly;
 * - `refused-ignored`: the refused value never reaches the client: an empty STORACHA_SERVICE_URL,
 *   _SERVICE_DID or _RECEIPTS_URL counts as unset (`process.env.X ? … : undefined`, packages/cli/lib.js);
 * - `type-refusal`: a JSON number, boolean, list or object where the CLI reads text;
 * - `older-key`: errors only on the older tool's keys, which the CLI does not read.
 */
export type Kind =
  | "valid-but-throws"
  | "valid-but-reads-otherwise"
  | "refused-but-fine"
  | "dialed"
  | "refused-unusable"
  | "refused-misread"
  | "refused-unexportable"
  | "refused-ignored"
  | "type-refusal"
  | "older-key";

export const NOT_DISAGREEMENTS: readonly Kind[] = [
  "refused-unusable",
  "refused-misread",
  "refused-unexportable",
  "refused-ignored",
  "type-refusal",
  "older-key",
];

export interface Judgement {
  kind?: Kind;
  detail: string[];
}

/** The CLI's defaults (packages/upload-client src/service.js, packages/w3up-client src/service.js, lib.js). */
const DEFAULTS = {
  serviceUrl: "https://up.storacha.network/",
  serviceDid: "did:web:up.storacha.network",
  receiptsUrl: "https://up.storacha.network/receipt/",
  storeName: "storacha-cli",
};

export function judgeStorachaCase(one: StorachaCase, run: StorachaRun): Judgement {
  const errors = run.issues.filter((issue) => issue.severity === "error");
  const said = errors.map((issue) => `kitcfg: ${issue.key}: ${issue.message}`);
  const envFailed = run.envError === undefined ? [] : [`kitcfg env failed: ${run.envError}`];
  if (run.cli === undefined) {
    if (run.valid) return { kind: "valid-but-throws", detail: envFailed };
    return { kind: "type-refusal", detail: [...said, ...envFailed] };
  }
  const cli = run.cli;
  if (cli.dialed.length > 0) return { kind: "dialed", detail: cli.dialed };
  const thrown = cliErrors(cli);
  if (run.valid) {
    if (thrown.length > 0 || envFailed.length > 0)
      return { kind: "valid-but-throws", detail: [...envFailed, ...thrown] };
    const warned = new Set(run.issues.map((issue) => issue.key));
    const misreads = compareRead(one.config, run, cli).filter(([key]) => !warned.has(key));
    if (misreads.length > 0) return { kind: "valid-but-reads-otherwise", detail: misreads.map(([, text]) => text) };
    return { detail: [] };
  }
  if (thrown.length > 0) return { detail: [...said, ...thrown] };
  const refused = [...new Set(errors.map((issue) => issue.key.split(".")[0]!))];
  const read = refused.filter((key): key is keyof typeof CLI_KEYS => Object.hasOwn(CLI_KEYS, key));
  if (read.length === 0) return { kind: "older-key", detail: said };
  if (read.some((key) => typeof one.config[key] !== "string")) return { kind: "type-refusal", detail: said };
  const fates = read.map((key) => fateOf(one.config, key, run));
  if (fates.includes("fine")) return { kind: "refused-but-fine", detail: [...said, `cli: ${describeRead(cli)}`] };
  const kind = fates.includes("misread")
    ? "refused-misread"
    : fates.includes("unusable")
      ? "refused-unusable"
      : fates.includes("unexportable")
        ? "refused-unexportable"
        : null;
  return { kind: kind ?? "refused-ignored", detail: said };
}

// --- internal ---

/** What new URL() reads of `text`: C0 controls and spaces around it stripped, tabs and line breaks inside removed. */
function urlAsRead(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(start, end).replace(/[\t\n\r]/g, "");
}

function cliErrors(cli: CliRead): string[] {
  return [
    cli.error && `cli: ${cli.error}`,
    cli.importError && `cli import: ${cli.importError}`,
    cli.storeError && `cli getStore(): ${cli.storeError}`,
    cli.clientError && `cli getClient(): ${cli.clientError}`,
  ].filter((line): line is string => typeof line === "string");
}

/** What the CLI does with a string kitcfg refused, once it loads. */
function fateOf(
  config: Record<string, unknown>,
  key: keyof typeof CLI_KEYS,
  run: StorachaRun,
): "fine" | "unusable" | "ignored" | "misread" | "unexportable" {
  const text = config[key] as string;
  if (/[\r\n]/.test(text)) return "unexportable";
  if (key !== "store_name" && text === "") return "ignored";
  // lib.js builds the service connections only when both variables are set, and kitcfg env gives them together.
  const other = key === "service_url" ? "service_did" : key === "service_did" ? "service_url" : undefined;
  if (other !== undefined && !(typeof config[other] === "string" && config[other] !== "")) return "ignored";
  if (key === "service_url" || key === "receipts_url") {
    const url = URL.parse(text);
    if (url === null || !["http:", "https:"].includes(url.protocol)) return "unusable";
    // What new URL() keeps (C0 controls and spaces around it gone, tabs and line breaks inside): a
    // blank or other character it then holds is written %XX (or a host's IDNA), so another URL is dialed.
    if (/[^\u0021-\u007e]/.test(urlAsRead(text))) return "misread";
  }
  if (key === "service_did" && !/^did:[a-z0-9]+:[^\s]+$/.test(text)) return "unusable";
  if (key === "service_did" && run.cli?.client?.serviceDid !== text) return "misread";
  return "fine";
}

/** [key, what differs] for each value the CLI loaded otherwise than config.json reads. */
function compareRead(config: Record<string, unknown>, run: StorachaRun, cli: CliRead): [string, string][] {
  const out: [string, string][] = [];
  const text = (key: string) => (typeof config[key] === "string" && config[key] !== "" ? (config[key] as string) : "");
  const pair = text("service_url") !== "" && text("service_did") !== "";
  for (const [key, name] of Object.entries(CLI_KEYS)) {
    const exported = key === "service_url" || key === "service_did" ? pair : typeof config[key] === "string";
    const got = cli.environ[name];
    if (exported && got !== config[key])
      out.push([key, `${name}: the CLI got ${JSON.stringify(got)}, config.json says ${JSON.stringify(config[key])}`]);
  }
  const client = cli.client!;
  const expected: [string, string, string][] = [
    ["service_url", client.serviceUrl, pair ? new URL(text("service_url")).href : DEFAULTS.serviceUrl],
    ["service_did", client.serviceDid, pair ? text("service_did") : DEFAULTS.serviceDid],
    [
      "receipts_url",
      client.receiptsUrl,
      text("receipts_url") ? new URL(text("receipts_url")).href : DEFAULTS.receiptsUrl,
    ],
  ];
  const name = typeof config.store_name === "string" ? config.store_name : DEFAULTS.storeName;
  // kitcfg's claim (FORMATS.md §16): the name is one file in the store folder, spelled as written.
  expected.push(["store_name", cli.storePath ?? "", `${run.storeDir}/${name}.json`]);
  for (const [key, got, want] of expected)
    if (got !== want)
      out.push([key, `${key}: the CLI loaded ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`]);
  return out;
}

function describeRead(cli: CliRead): string {
  const client = cli.client;
  if (!client) return "loaded nothing";
  const service = `service ${client.serviceDid} at ${client.serviceUrl}`;
  return `loaded: ${service}, receipts ${client.receiptsUrl}, store ${cli.storePath}`;
}
