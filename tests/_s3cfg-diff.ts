/**
 * A differential test of `kitcfg validate s3` against the real s3cmd: seeded .s3cfg files
 * (s3cmd --configure's defaults with a few options and lines changed), each judged by both.
 * tests/plugins/s3-differential.test.ts runs a fixed seed; bench/s3-differential.ts any seed
 * and count.
 */
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BOOLEAN_OPTIONS, DEFAULTS, INTEGER_OPTIONS, STRING_OPTIONS } from "../plugins/s3/options.ts";
import { seededRandom } from "./_safety.ts";
import { KITCFG, cleanEnv, tempDir } from "./helpers.ts";

/** One generated file: its bytes and what was changed in it, for a report. */
export interface S3cfgCase {
  bytes: Buffer;
  changes: string[];
}

/** How one program took a file: `parse` is kitcfg's exit 3 (it cannot read the file). */
export type Verdict = "accepted" | "refused" | "parse";

export interface S3Judged {
  index: number;
  changes: string[];
  s3cmd: Verdict;
  kitcfg: Verdict;
  s3cmdSays: string;
  kitcfgSays: string;
  kitcfgWarns: string;
}

export interface S3DifferentialReport {
  cases: number;
  agreed: number;
  byVerdict: Record<string, number>;
  /**
   * kitcfg refused, s3cmd started: on what s3cmd reads at every request (see REQUEST_TIME), and
   * maybe on options of s3cmd 2.4.0 too.
   */
  atRequest: S3Judged[];
  /** kitcfg refused, s3cmd 2.3.0 started: only on options of s3cmd 2.4.0, which 2.3.0 never reads. */
  laterOptions: S3Judged[];
  /**
   * s3cmd stopped for want of an access key, kitcfg warned: the key may come from the
   * environment or the cloud's metadata service where s3cmd runs (plugins/s3/rules.ts credentialIssues).
   */
  credentials: S3Judged[];
  disagreements: S3Judged[];
  /** Every case, in order. */
  judged: S3Judged[];
}

/**
 * Errors kitcfg gives on what s3cmd loads and then fails with at every request (FORMATS.md §16
 * s3cmd; each checked with the real s3cmd's `ls` in tests/plugins/s3-load.test.ts FAILS_AT_REQUEST):
 * `--dump-config` cannot see them, so such a case is counted apart, not as a disagreement.
 */
const REQUEST_TIME = [
  /^"secret_key": is empty while access_key is set/,
  /^"host_base": .*s3cmd fails every request/,
  /^"host_bucket": .*s3cmd fails every request to a bucket/,
  /^"proxy_host": .*s3cmd cannot reach the proxy/,
  /^"proxy_port": .*is not a TCP port/,
  /^"socket_timeout": expected .* fails on 0\)/,
];

/**
 * The options s3cmd 2.4.0 adds (plugins/s3/options.ts): kitcfg types them as 2.4.0 reads them,
 * while the 2.3.0 installed here never reads them, so an error on one alone is counted apart.
 */
const LATER_OPTIONS = ["max_retries", "keep_dirs", "skip_destination_validation"];

/** One .s3cfg: the defaults, keys set, one to three options changed, then up to two line-level changes. */
export function generateS3cfg(random: () => number): S3cfgCase {
  const lines: string[] = ["[default]"];
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(DEFAULTS))
    config[key] = typeof value === "boolean" ? (value ? "True" : "False") : String(value);
  config.access_key = "AKIAKITCFGTEST";
  config.secret_key = "kitcfgsecret";
  const changes: string[] = [];
  const count = 1 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) {
    const [key, value] = pickValue(random);
    config[key] = value;
    changes.push(`${key} = ${JSON.stringify(value)}`);
  }
  for (const key of Object.keys(config).sort()) lines.push(`${key} = ${config[key]}`);
  const layouts = Math.floor(random() * 3);
  for (let i = 0; i < layouts; i++) changes.push(pick(random, LAYOUTS)(lines, random));
  let text = lines.join("\n");
  if (random() < 0.85) text += "\n";
  const ending = random();
  if (ending < 0.1) {
    text = text.replaceAll("\n", "\r\n");
    changes.push("CRLF line ends");
  } else if (ending < 0.13) {
    text = text.replaceAll("\n", "\r");
    changes.push("lone CR line ends");
  }
  let bytes = Buffer.from(text, "utf8");
  if (random() < 0.05) {
    bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
    changes.push("BOM");
  }
  if (random() < 0.04) {
    const at = Math.floor(random() * bytes.length);
    bytes = Buffer.concat([
      bytes.subarray(0, at),
      Buffer.from([pick(random, [0xe9, 0xff, 0x80, 0xc3])]),
      bytes.subarray(at),
    ]);
    changes.push(`a byte that is not UTF-8 at ${at}`);
  }
  return { bytes, changes };
}

/** `cases` files from `seed`, each judged by s3cmd (`--dump-config`) and by `dist/kitcfg validate s3`. */
export async function runS3Differential(options: {
  seed: number;
  cases: number;
  concurrency?: number;
}): Promise<S3DifferentialReport> {
  const random = seededRandom(options.seed);
  const generated = Array.from({ length: options.cases }, () => generateS3cfg(random));
  const judged: S3Judged[] = new Array(generated.length);
  let next = 0;
  const worker = async () => {
    while (next < generated.length) {
      const index = next++;
      judged[index] = await judge(index, generated[index]!);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  const report: S3DifferentialReport = {
    cases: judged.length,
    agreed: 0,
    byVerdict: {},
    atRequest: [],
    laterOptions: [],
    credentials: [],
    disagreements: [],
    judged,
  };
  for (const one of judged) {
    const pair = `s3cmd ${one.s3cmd}, kitcfg ${one.kitcfg}`;
    report.byVerdict[pair] = (report.byVerdict[pair] ?? 0) + 1;
    const same = (one.s3cmd === "accepted") === (one.kitcfg === "accepted");
    if (same) report.agreed++;
    else if (one.s3cmd === "accepted" && isExplained(one.kitcfgSays, []) && one.kitcfgSays !== "")
      report.laterOptions.push(one);
    else if (one.s3cmd === "accepted" && isExplained(one.kitcfgSays, REQUEST_TIME)) report.atRequest.push(one);
    else if (
      one.s3cmdSays.includes("Configuration file not available") &&
      one.kitcfgWarns.includes('"access_key": is empty')
    )
      report.credentials.push(one);
    else report.disagreements.push(one);
  }
  return report;
}

// --- internal ---

type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const BOOLEAN_VALUES = [
  "yes",
  "no",
  "on",
  "off",
  "1",
  "0",
  "True",
  "TRUE",
  "false",
  "FaLsE",
  "maybe",
  "",
  " yes",
  "yes ",
  "2",
  "y",
  "t",
  '"yes"',
  '"no" ',
  "Yes #",
  "\u00a0on",
  "on\u0085",
  "\u3000off",
];
const INTEGER_VALUES = [
  "10",
  "+10",
  "-10",
  " 10 ",
  "1_000",
  "1__0",
  "_1",
  "1_",
  "\u0663",
  "\uff11\uff12",
  "\u{1d7d7}",
  "²",
  "½",
  "99999999999999999999",
  "-1",
  "0",
  "00",
  "-0",
  "1.5",
  "1e3",
  "0x10",
  "0o7",
  "",
  "1 0",
  "5",
  "5120",
  "4",
  "5121",
  "15",
  '"15"',
  "15 # fifteen",
  "\u00a015",
  "15\u2028",
  "\u0e51\u0e52",
];
const STRING_VALUES = [
  "minio.lab:9000",
  "s3.example.com",
  "%(bucket)s",
  "%(bucket)s.minio.lab",
  "%(foo)s",
  "%",
  "100%",
  "%%",
  "caf\u00e9",
  "\u2603",
  '"quoted"',
  '"quoted" ',
  "a # not a comment",
  "a ; b",
  "http://h.example",
  "",
  "\t",
  "a\u0085b",
  "a\u2028b",
  "a\u000bb",
  "a\u001cb",
  "x\u00a0",
  "[::1]:9000",
  "[::1",
  "a b",
  "127.0.0.1",
  "alias/kitcfg",
  "key:value",
  "nocolon",
  "a:1,",
  "a:1,b:2",
  "%(location)s",
];
/** Values for the options with a rule of their own (update_option and main), with any of the above too. */
const SPECIAL_VALUES: Record<string, string[]> = {
  verbosity: ["DEBUG", "debug", "WARN", "10", "LOUD", "", " INFO ", "-5", "\u0661\u0660", "NOTSET"],
  limitrate: ["10k", "1M", "0k", "0", "-1k", "1.5k", "10G", "k", "", "1_0k", "\u0661k", "10 k", " 5m"],
  encoding: ["UTF-8", "utf8", "latin-1", "yes", "", "base64", "ascii", "UTF_8", "utf-8-sig", "mbcs", "cp1252 "],
  acl_public: ["True", "maybe", "", "off", " on"],
  add_headers: ["a:1", "nocolon", "a:1,", ",a:1", "a:1,,b:2", "Cache-Control: max-age=60", ":", "a:1, b:2"],
  gpg_passphrase: ["", "secret"],
  encrypt: ["True", "False"],
  kms_key: ["", "alias/kitcfg"],
  signature_v2: ["True", "False"],
  proxy_host: ["", "proxy.lab", "::1", "proxy.lab:8080"],
  proxy_port: ["3128", "0", "65536", "-1"],
};
const UNKNOWN_KEYS = ["foo", "Use_HTTPS", "host_base2", "\u00e9t\u00e9", "acl_private", "enable", "_secret"];

function pickValue(random: Random): [string, string] {
  const kind = random();
  if (kind < 0.3) {
    const key = pick(random, Object.keys(SPECIAL_VALUES));
    return [key, random() < 0.8 ? pick(random, SPECIAL_VALUES[key]!) : pick(random, STRING_VALUES)];
  }
  if (kind < 0.5) return [pick(random, BOOLEAN_OPTIONS), pick(random, BOOLEAN_VALUES)];
  if (kind < 0.7) return [pick(random, INTEGER_OPTIONS), pick(random, INTEGER_VALUES)];
  if (kind < 0.93) return [pick(random, STRING_OPTIONS), pick(random, STRING_VALUES)];
  return [pick(random, UNKNOWN_KEYS), pick(random, [...STRING_VALUES, ...BOOLEAN_VALUES])];
}

/** Line-level changes: each edits `lines` ([0] is "[default]") and says what it did. */
const LAYOUTS: ((lines: string[], random: Random) => string)[] = [
  (lines, random) => {
    const i = 1 + Math.floor(random() * (lines.length - 1));
    const [line] = lines.splice(i, 1);
    lines.unshift(line!);
    return `${line!.split(" ")[0]} before the header`;
  },
  (lines, random) => {
    const [key, value] = pickValue(random);
    const at = pick(random, ["end", "top", "other section"]);
    if (at === "top") lines.unshift(`${key} = ${value}`);
    else if (at === "end") lines.push(`${key} = ${value}`);
    else lines.push(`[${pick(random, ["other", "default", "profile x", "host_base"])}]`, `${key} = ${value}`);
    return `${at}: ${key} = ${JSON.stringify(value)}`;
  },
  (lines, random) => {
    const i = 1 + Math.floor(random() * (lines.length - 1));
    const indent = pick(random, [" ", "\t", "  ", "\f", "\u00a0", "\u0085", "\ufeff"]);
    lines[i] = indent + lines[i];
    return `line ${i + 1} indented with ${JSON.stringify(indent)}`;
  },
  (lines, random) => {
    const i = Math.floor(random() * lines.length);
    const extra = pick(random, ["# note", "; note", "  # indented", "[default]", " [other]", "", "   ", "not a line"]);
    lines.splice(i, 0, extra);
    return `inserted ${JSON.stringify(extra)}`;
  },
  (lines, random) => {
    const i = 1 + Math.floor(random() * (lines.length - 1));
    const more = pick(random, ["  continued", "\tmore = text", " second line"]);
    lines.splice(i + 1, 0, more);
    return `continuation ${JSON.stringify(more)} after line ${i + 1}`;
  },
  (lines, random) => {
    const i = 1 + Math.floor(random() * (lines.length - 1));
    const separator = pick(random, ["=", " =", "= ", "\t=\t", " : ", "==", " = = "]);
    lines[i] = lines[i]!.replace(" = ", separator);
    return `line ${i + 1} separated by ${JSON.stringify(separator)}`;
  },
  (lines, random) => {
    const header = pick(random, ["[other]", "[default]", "[ default ]", "[]", "[a]b]", "[default"]);
    lines.splice(1 + Math.floor(random() * (lines.length - 1)), 0, header);
    return `header ${header} inserted`;
  },
  (lines) => {
    lines[0] = "[other]";
    return "section [other] only";
  },
  (lines, random) => {
    const [key, first] = pickValue(random);
    const last = pickValue(random)[1];
    const back = pick(random, ["[default]", "[other]"]);
    lines.push(`${key} = ${first}`, "[other]", `${key} = ${pickValue(random)[1]}`, back, `${key} = ${last}`);
    return `${key} in [default], [other] and ${back} again, last ${JSON.stringify(last)}`;
  },
];

async function judge(index: number, one: S3cfgCase): Promise<S3Judged> {
  const { dir, cleanup } = tempDir("kitcfg-s3diff-");
  try {
    const file = join(dir, ".s3cfg");
    writeFileSync(file, one.bytes, { mode: 0o600 });
    chmodSync(file, 0o600);
    const env = cleanEnv(dir);
    const [real, ours] = await Promise.all([
      spawn(["s3cmd", "-c", file, "--dump-config"], dir, env),
      spawn([KITCFG, "validate", "s3", "--root", dir], dir, env),
    ]);
    const said = (mark: string) =>
      ours.stderr
        .split("\n")
        .filter((line) => line.startsWith(`${mark} s3: `))
        .map((line) => line.slice(`${mark} s3: `.length));
    const errors = said("✖");
    const kitcfg: Verdict = ours.code === 3 ? "parse" : ours.code === 0 || errors.length === 0 ? "accepted" : "refused";
    if (ours.code !== 0 && ours.code !== 1 && ours.code !== 3)
      throw new Error(`kitcfg exited ${ours.code}: ${ours.stderr}`);
    const s3cmdSays = real.stderr
      .split("\n")
      .filter((line) => /ERROR|Error|error/.test(line))
      .join(" | ");
    return {
      index,
      changes: one.changes,
      s3cmd: real.code === 0 ? "accepted" : "refused",
      kitcfg,
      s3cmdSays: real.code === 0 ? "" : s3cmdSays || real.stderr.trim().split("\n").at(-1) || `exit ${real.code}`,
      kitcfgSays: (ours.code === 3 ? [ours.stderr.trim()] : errors).join(" | "),
      kitcfgWarns: said("⚠").join(" | "),
    };
  } finally {
    cleanup();
  }
}

/** Whether every error of kitcfg's is of the kind `rules` name, or on an option of s3cmd 2.4.0. */
function isExplained(says: string, rules: RegExp[]): boolean {
  return says
    .split(" | ")
    .every(
      (error) => rules.some((rule) => rule.test(error)) || LATER_OPTIONS.some((key) => error.startsWith(`"${key}": `)),
    );
}

async function spawn(argv: string[], cwd: string, env: Record<string, string>) {
  const proc = Bun.spawn(argv, { cwd, env, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { code, stdout, stderr };
}
