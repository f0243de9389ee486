import { definePlugin } from "kitcfg";
import type { PluginIssue } from "kitcfg";
import { hostIssues } from "./s3/hosts.ts";
import { BOOLEAN_OPTIONS, DEFAULTS, INTEGER_OPTIONS, schema } from "./s3/options.ts";
import type { S3Config } from "./s3/options.ts";
import { pythonInt } from "./s3/python.ts";
import { s3KeyDocs } from "./s3/docs.ts";
import {
  aclIssues,
  credentialIssues,
  encodingIssues,
  ignoredOptionIssues,
  proxyIssues,
  textIssues,
  utf8Issues,
} from "./s3/rules.ts";

// s3cmd's options, their types and `s3cmd --configure`'s defaults are in s3/options.ts; what s3cmd
// does with their values, in s3/rules.ts.

export default definePlugin({
  name: "s3",
  summary: "s3cmd's .s3cfg: endpoint, credentials, transfer options",
  aliases: ["s3cmd", "s3cfg"],
  files: {
    // -c FILE is per call; $S3CMD_CONFIG, else ~/.s3cfg. --configure writes with umask 077.
    main: {
      path: (ctx) => ctx.env.S3CMD_CONFIG || "~/.s3cfg",
      format: "ini",
      // S3/Config.py ConfigParser.parse_file reads every section (its `sections` is always empty):
      // a key's last line in the file wins, whatever section holds it.
      reading: { oneSection: "default" },
      secret: true,
      style: { separator: " = " },
      decode: decodeS3cfg,
      encode: encodeS3cfg,
    },
  },
  schema,
  secrets: ["access_key", "secret_key", "access_token", "gpg_passphrase"],
  keyDocs: s3KeyDocs,
  defaults: () => ({ ...DEFAULTS }),
  validate: (config, ctx) => {
    const issues: PluginIssue[] = [
      ...utf8Issues(ctx),
      ...credentialIssues(config),
      ...textIssues(config),
      ...ignoredOptionIssues(config),
    ];
    if (config.kms_key && config.signature_v2 === true)
      issues.push({
        key: "signature_v2",
        message: "must be false when kms_key is set: s3cmd refuses KMS with signature v2",
      });
    // s3cmd's main exits before any command when encrypt is on without a passphrase.
    if (config.encrypt === true && !config.gpg_passphrase)
      issues.push({
        key: "encrypt",
        message:
          "is true while gpg_passphrase is empty: " +
          's3cmd stops at start ("Encryption requested but no passphrase set"); ' +
          "set gpg_passphrase or set encrypt to false",
      });
    issues.push(...aclIssues(config), ...encodingIssues(config), ...proxyIssues(config), ...hostIssues(config));
    for (const key of ["host_base", "host_bucket", "cloudfront_host"]) {
      if (/^https?:\/\//.test(String(config[key] ?? "")))
        issues.push({
          key,
          severity: "warning",
          message: "starts with http(s)://, which s3cmd strips; give the host name only",
        });
    }
    // Config.read_config_file splits add_headers at "," and each item at its first ":".
    const headers = typeof config.add_headers === "string" ? config.add_headers : "";
    const bad = headers === "" ? undefined : headers.split(",").find((item) => !item.includes(":"));
    if (bad !== undefined)
      issues.push({
        key: "add_headers",
        message:
          `has ${JSON.stringify(bad)} without a ":": ` +
          's3cmd stops at load ("not enough values to unpack"); write NAME:VALUE items separated by ","',
      });
    return issues;
  },
  repair: (texts) => repairS3cfg(texts.main),
});

// --- internal ---

/**
 * The older tool (ipfs_kit_py, FORMATS.md §10) wrote `key = value` lines with no section
 * header. s3cmd reads them, but other INI readers and s3cmd's own `--configure` expect
 * `[default]`. One header line goes before the first such key: nothing moves, so every line
 * keeps its place, its comments and its precedence (a later duplicate still wins).
 */
function repairS3cfg(text: string | undefined): { texts: Record<string, string>; fixes: string[] } {
  if (text === undefined) return { texts: {}, fixes: [] };
  const lines = text.split("\n");
  const first = lines.findIndex((line) => !/^\s*([#;].*)?\r?$/.test(line));
  if (first === -1 || /^\s*\[/.test(lines[first]!)) return { texts: {}, fixes: [] };
  const orphans = lines.slice(first).findIndex((line) => /^\s*\[/.test(line));
  const count = (orphans === -1 ? lines.slice(first) : lines.slice(first, first + orphans)).filter((line) =>
    /^\s*\w/.test(line),
  ).length;
  const eol = lines[first]!.endsWith("\r") ? "\r" : "";
  lines.splice(first, 0, `[default]${eol}`);
  return {
    texts: { main: lines.join("\n") },
    fixes: [
      `put the ${count} setting${count === 1 ? "" : "s"} that had no section header under [default], ` +
        "as s3cmd --configure writes them",
    ],
  };
}

/**
 * The options s3cmd would read (the last line of each key, in any section or none): booleans
 * and integers become typed values; text that does not convert stays text, so the schema
 * reports it.
 */
function decodeS3cfg(raw: unknown): S3Config {
  const config: S3Config = {};
  for (const [key, text] of Object.entries((raw ?? {}) as Record<string, unknown>))
    if (typeof text === "string") config[key] = typed(key, text);
  return config;
}

/**
 * Back to s3cmd's text: `True`/`False` as s3cmd writes them. The format's reading puts each
 * key where s3cmd reads it (its last line; a new key under `[default]`) and unsets every
 * line of a key, the copies an earlier line holds included.
 */
function encodeS3cfg(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value as S3Config))
    out[key] = typeof item === "boolean" ? (item ? "True" : "False") : String(item);
  return out;
}

function typed(key: string, text: string): string | number | boolean {
  if ((BOOLEAN_OPTIONS as readonly string[]).includes(key) || key === "acl_public") {
    const t = text.toLowerCase();
    if (["true", "yes", "on", "1"].includes(t)) return true;
    if (["false", "no", "off", "0"].includes(t)) return false;
  }
  if ((INTEGER_OPTIONS as readonly string[]).includes(key) || key === "limitrate") return pythonInt(text) ?? text;
  return text;
}
