import { definePlugin, nonUtf8Problem, pythonStrip, v } from "kitcfg";
import type { PluginContext, PluginIssue } from "kitcfg";
import { isPythonTextCodec } from "./s3/codecs.ts";
import { hostIssues } from "./s3/hosts.ts";
import { pythonInt } from "./s3/python.ts";
import { s3KeyDocs } from "./s3/docs.ts";

// Facts: tests/fixtures/FORMATS.md §7 and s3cmd 2.3.0 S3/Config.py (`Config` class
// attributes give each option's type; `update_option` converts the text), plus the options
// s3cmd 2.4.0 and later add (marked below). The defaults are the values of fixture
// s3/s3cfg-default, the real `s3cmd --dump-config` output of 2.3.0.

type S3Config = Record<string, string | number | boolean>;

/** Options whose class default is a bool: s3cmd accepts yes/no, true/false, on/off, 1/0. */
const BOOLEAN_OPTIONS = [
  "check_ssl_certificate",
  "check_ssl_hostname",
  "connection_pooling",
  "delay_updates",
  "delete_after",
  "delete_after_fetch",
  "delete_removed",
  "dry_run",
  "enable_multipart",
  "encrypt",
  "follow_symlinks",
  "force",
  "get_continue",
  "guess_mime_type",
  "human_readable_sizes",
  "invalidate_default_index_on_cf",
  "invalidate_default_index_root_on_cf",
  "invalidate_on_cf",
  "keep_dirs", // s3cmd 2.4.0
  "list_allow_unordered",
  "list_md5",
  "long_listing",
  "preserve_attrs",
  "progress_meter",
  "public_url_use_https",
  "put_continue",
  "recursive",
  "reduced_redundancy",
  "requester_pays",
  "server_side_encryption",
  "signature_v2",
  "signurl_use_https",
  "skip_destination_validation", // s3cmd 2.4.0
  "skip_existing",
  "stats",
  "stop_on_error",
  "use_http_expect",
  "use_https",
  "use_mime_magic",
] as const;

/** Options whose class default is an int: s3cmd refuses anything `int()` refuses. */
const INTEGER_OPTIONS = [
  "connection_max_age",
  "limit",
  "max_delete",
  "max_retries", // s3cmd 2.4.0
  "multipart_chunk_size_mb",
  "multipart_copy_chunk_size_mb",
  "multipart_max_chunks",
  "proxy_port",
  "recv_chunk",
  "restore_days",
  "send_chunk",
  "socket_timeout",
  "throttle_max",
] as const;

/** Options that are free text (empty means unset). */
const STRING_OPTIONS = [
  "access_key",
  "access_token",
  "add_encoding_exts",
  "add_headers",
  "bucket_location",
  "ca_certs_file",
  "cache_file",
  "cloudfront_host",
  "content_disposition",
  "content_type",
  "default_mime_type",
  "encoding",
  "expiry_date",
  "expiry_days",
  "expiry_prefix",
  "gpg_command",
  "gpg_decrypt",
  "gpg_encrypt",
  "gpg_passphrase",
  "host_base",
  "host_bucket",
  "kms_key",
  "log_target_prefix",
  "mime_type",
  "proxy_host",
  "restore_priority",
  "secret_key",
  "simpledb_host",
  "ssl_client_cert_file",
  "ssl_client_key_file",
  "storage_class",
  "sts_endpoint", // after s3cmd 2.4.0 (upstream @cee84f9c)
  "upload_id",
  "urlencoding_mode",
  "website_endpoint",
  "website_error",
  "website_index",
] as const;

/** `verbosity` is an int or a name the logging module knows. */
const LOG_LEVELS = ["CRITICAL", "FATAL", "ERROR", "WARN", "WARNING", "INFO", "DEBUG", "NOTSET"];

const integer = v.pipe(v.number(), v.integer());
// The option lists build the object at run time, so its type is spelled out: S3Config.
const schema: v.GenericSchema<S3Config, S3Config> & { entries: v.ObjectEntries } = v.object({
  ...Object.fromEntries(BOOLEAN_OPTIONS.map((key) => [key, v.optional(v.boolean())])),
  ...Object.fromEntries(INTEGER_OPTIONS.map((key) => [key, v.optional(integer)])),
  ...Object.fromEntries(STRING_OPTIONS.map((key) => [key, v.optional(v.string())])),

  // s3cmd's main refuses a chunk size outside MultiPartUpload.MIN/MAX_CHUNK_SIZE_MB (S3/MultiPart.py).
  multipart_chunk_size_mb: v.optional(v.pipe(integer, v.minValue(5), v.maxValue(5120))),
  // s3cmd's main calls socket.setdefaulttimeout(socket_timeout) before anything: a negative
  // value raises, one past Python's clock range (int64 nanoseconds) overflows, and 0 makes
  // every socket non-blocking, so the first connect fails ("Operation now in progress").
  socket_timeout: v.optional(
    v.pipe(
      integer,
      v.minValue(
        1,
        "expected a whole number of seconds from 1 to 9223372036 (s3cmd stops on a negative one, fails on 0)",
      ),
      v.maxValue(
        9223372036,
        "expected a whole number of seconds from 1 to 9223372036 (Python's socket clock ends there)",
      ),
    ),
  ),
  // limitrate: bytes per second, with an optional k or m suffix (update_option).
  limitrate: v.optional(
    v.union([
      integer,
      v.pipe(
        v.string(),
        v.check(
          (text) => limitrateBytes(text) !== undefined,
          "expected a number of bytes with an optional k or m suffix (a zero rate is 0: s3cmd refuses 0k and 0m)",
        ),
      ),
    ]),
  ),
  // acl_public has no class default (None), so update_option makes a yes/no text a boolean
  // and keeps any other text as it is; read_config_file reads it apart from the other options,
  // unstripped, and only when it is not empty (S3/Config.py). See aclIssues.
  acl_public: v.optional(v.union([v.boolean(), v.string()])),
  // An int (Python's int() of the text) or a level name of the logging module.
  verbosity: v.optional(
    v.union([
      v.picklist(LOG_LEVELS),
      v.pipe(
        v.string(),
        v.check((text) => pythonInt(text) !== undefined, "expected a logging level"),
      ),
    ]),
  ),
});

/** The values `s3cmd --configure` writes (fixture s3/s3cfg-default), credentials empty. */
const DEFAULTS: S3Config = {
  access_key: "",
  access_token: "",
  add_encoding_exts: "",
  add_headers: "",
  bucket_location: "US",
  ca_certs_file: "",
  cache_file: "",
  check_ssl_certificate: true,
  check_ssl_hostname: true,
  cloudfront_host: "cloudfront.amazonaws.com",
  connection_max_age: 5,
  connection_pooling: true,
  content_disposition: "",
  content_type: "",
  default_mime_type: "binary/octet-stream",
  delay_updates: false,
  delete_after: false,
  delete_after_fetch: false,
  delete_removed: false,
  dry_run: false,
  enable_multipart: true,
  encoding: "UTF-8",
  encrypt: false,
  expiry_date: "",
  expiry_days: "",
  expiry_prefix: "",
  follow_symlinks: false,
  force: false,
  get_continue: false,
  gpg_command: "",
  gpg_decrypt:
    "%(gpg_command)s -d --verbose --no-use-agent --batch --yes " +
    "--passphrase-fd %(passphrase_fd)s -o %(output_file)s %(input_file)s",
  gpg_encrypt:
    "%(gpg_command)s -c --verbose --no-use-agent --batch --yes " +
    "--passphrase-fd %(passphrase_fd)s -o %(output_file)s %(input_file)s",
  gpg_passphrase: "",
  guess_mime_type: true,
  host_base: "s3.amazonaws.com",
  host_bucket: "%(bucket)s.s3.amazonaws.com",
  human_readable_sizes: false,
  invalidate_default_index_on_cf: false,
  invalidate_default_index_root_on_cf: true,
  invalidate_on_cf: false,
  kms_key: "",
  limit: -1,
  limitrate: 0,
  list_allow_unordered: false,
  list_md5: false,
  log_target_prefix: "",
  long_listing: false,
  max_delete: -1,
  mime_type: "",
  multipart_chunk_size_mb: 15,
  multipart_copy_chunk_size_mb: 1024,
  multipart_max_chunks: 10000,
  preserve_attrs: true,
  // s3cmd's default is "stdout is a terminal"; --dump-config in the fixture ran without one.
  progress_meter: true,
  proxy_host: "",
  proxy_port: 3128,
  public_url_use_https: false,
  put_continue: false,
  recursive: false,
  recv_chunk: 65536,
  reduced_redundancy: false,
  requester_pays: false,
  restore_days: 1,
  restore_priority: "Standard",
  secret_key: "",
  send_chunk: 65536,
  server_side_encryption: false,
  signature_v2: false,
  signurl_use_https: false,
  simpledb_host: "sdb.amazonaws.com",
  skip_existing: false,
  socket_timeout: 300,
  stats: false,
  stop_on_error: false,
  storage_class: "",
  throttle_max: 100,
  upload_id: "",
  urlencoding_mode: "normal",
  use_http_expect: false,
  use_https: true,
  use_mime_magic: true,
  verbosity: "WARNING",
  website_endpoint: "http://%(bucket)s.s3-website-%(location)s.amazonaws.com/",
  website_error: "",
  website_index: "index.html",
};

export default definePlugin({
  name: "s3",
  summary: "s3cmd's .s3cfg: endpoint, credentials, transfer options",
  aliases: ["s3cmd", "s3cfg"],
  files: {
    // -c FILE is per call; $S3CMD_CONFIG, else ~/.s3cfg. --configure writes with umask 077.
    main: {
      path: (ctx) => ctx.env.S3CMD_CONFIG || "~/.s3cfg",
      format: "ini",
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

/**
 * With no access_key, s3cmd (Config.__init__) takes AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY
 * from its environment, else asks the cloud's instance-metadata service (role_config),
 * which off a cloud VM fails, and s3cmd stops with "Configuration file not available".
 */
function credentialIssues(config: S3Config): PluginIssue[] {
  if (!config.access_key) {
    return [
      {
        key: "access_key",
        severity: "warning",
        message:
          `is empty${config.secret_key ? " while secret_key is set" : ", and so is secret_key"}: ` +
          "s3cmd then needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in its environment, " +
          "else asks the cloud instance-metadata service (169.254.169.254) and, off a cloud VM, " +
          'fails with "Configuration file not available"; ' +
          "set both: kitcfg update s3 --set access_key=KEY --set-env secret_key=VARIABLE",
      },
    ];
  }
  if (!config.secret_key)
    return [{ key: "secret_key", message: "is empty while access_key is set: s3cmd cannot sign requests" }];
  return [];
}

/**
 * A text in acl_public that is no yes/no value stays text in s3cmd (update_option, which
 * converts it only when is_bool reads it): uploads and new buckets test it as true and are
 * made public-read (S3/S3.py object_put, bucket_create), while setacl compares it with
 * True and False and changes nothing.
 */
function aclIssues(config: S3Config): PluginIssue[] {
  const value = config.acl_public;
  if (typeof value !== "string" || value === "" || value.startsWith("$")) return [];
  return [
    {
      key: "acl_public",
      severity: "warning",
      message:
        `${JSON.stringify(value)} is not yes or no: s3cmd keeps it as text, which makes every upload ` +
        "public-read while setacl ignores it; give true, false, or leave it unset for the bucket's default",
    },
  ];
}

/** s3cmd's main wraps its output in the codec `encoding` names before anything else (see codecs.ts). */
function encodingIssues(config: S3Config): PluginIssue[] {
  const name = config.encoding;
  if (typeof name !== "string" || name.startsWith("$") || isPythonTextCodec(name)) return [];
  return [
    {
      key: "encoding",
      message:
        `${JSON.stringify(name)} is not a text encoding Python knows: s3cmd stops at start ` +
        '("unknown encoding"); give one such as UTF-8, latin-1 or cp1252',
    },
  ];
}

/** s3cmd reads any int as proxy_port; it is used, and must be a TCP port, once proxy_host is set. */
function proxyIssues(config: S3Config): PluginIssue[] {
  const port = config.proxy_port;
  if (!config.proxy_host || typeof port !== "number" || (port >= 1 && port <= 65535)) return [];
  return [
    {
      key: "proxy_port",
      message: `${port} is not a TCP port (1 to 65535): s3cmd cannot reach the proxy at proxy_host; give its port`,
    },
  ];
}

/**
 * limitrate as s3cmd reads it (update_option): with a k or m suffix, int() of the rest
 * times 1024 or 1024²; without, int() of the text. A suffixed value whose product is 0
 * ("0k") falls back to int() of the whole text, which fails.
 */
function limitrateBytes(text: string): number | undefined {
  const shift = /[kK]$/.test(text) ? 1024 : /[mM]$/.test(text) ? 1024 * 1024 : 0;
  const scaled = shift ? (pythonInt(text.slice(0, -1)) ?? 0) * shift : 0;
  return scaled || pythonInt(text);
}

/**
 * s3cmd decodes its whole file as UTF-8 and stops on a byte that is not
 * (ConfigParser.parse_file opens it with io.open(encoding="UTF-8")), a comment's included.
 */
function utf8Issues(ctx: PluginContext): PluginIssue[] {
  const path = ctx.paths.main;
  const text = path === undefined ? undefined : ctx.readText(path);
  const problem = text === undefined ? undefined : nonUtf8Problem(text);
  if (!problem) return [];
  return [
    {
      key: "",
      message:
        `${path} ${problem}: s3cmd reads its file as UTF-8 and stops ("'utf-8' codec can't decode"); ` +
        "save the file as UTF-8",
    },
  ];
}

/**
 * Text s3cmd would read otherwise than it is stored: it reads a value to the end of its line
 * (ConfigParser.parse_file), strips blanks at its ends (read_config_file), and reads a
 * value that starts with "$" from the environment variable of that name (update_option).
 */
function textIssues(config: S3Config): PluginIssue[] {
  const issues: PluginIssue[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (typeof value !== "string") continue;
    if (/[\r\n]/.test(value))
      issues.push({
        key,
        message: "holds a line break: s3cmd reads a value up to the end of its line; give it on one line",
      });
    else if (value !== pythonStrip(value))
      issues.push({
        key,
        message:
          `has blanks at its ends, which s3cmd strips (it would read ${JSON.stringify(pythonStrip(value))}): ` +
          "remove them",
      });
    else if (value.startsWith("$")) {
      const name = value.slice(1);
      issues.push({
        key,
        severity: "warning",
        message:
          `starts with "$": s3cmd reads the environment variable ${JSON.stringify(name)} in its place ` +
          "(the default when it is unset), not this text",
      });
    }
  }
  return issues;
}

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

/** The options s3cmd has (Config's attributes, which read_config_file looks up by name). */
const OPTIONS: ReadonlySet<string> = new Set(Object.keys(schema.entries));

/**
 * Keys s3cmd has no option for: read_config_file looks up its own options by name (exact
 * case) and never sees another key, so one (a misspelt option, a note) is ignored.
 */
function ignoredOptionIssues(config: S3Config): PluginIssue[] {
  return Object.keys(config)
    .filter((key) => !OPTIONS.has(key))
    .map((key) => ({ key, severity: "warning", message: "is not an s3cmd option: s3cmd ignores it" }));
}

/**
 * The options s3cmd would read: it reads every section and keys before any header, a later
 * duplicate winning (ConfigParser). Booleans and integers become typed values; text that
 * does not convert stays text, so the schema reports it.
 */
function decodeS3cfg(raw: unknown): S3Config {
  const flat: Record<string, string> = {};
  const doc = (raw ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(doc)) if (typeof value === "string") flat[key] = value;
  for (const value of Object.values(doc)) if (typeof value === "object" && value !== null) Object.assign(flat, value);
  const config: S3Config = {};
  for (const [key, text] of Object.entries(flat)) config[key] = typed(key, text);
  return config;
}

/**
 * Back to s3cmd's text: `True`/`False` as s3cmd writes them. Keys stay where they were
 * (a file without a `[default]` header keeps its layout); new keys go under `[default]`.
 * A key the file holds in more than one section is set where s3cmd reads it (the last);
 * the copies it shadows are kept as they are, and removed only when the key is unset.
 */
function encodeS3cfg(value: unknown, previous: unknown): Record<string, unknown> {
  const config = value as S3Config;
  const before = (previous ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const home = new Map<string, string | undefined>();
  for (const [key, item] of Object.entries(before)) {
    if (typeof item === "string") {
      home.set(key, undefined);
    } else if (typeof item === "object" && item !== null) {
      const kept: Record<string, string> = {};
      for (const [inner, text] of Object.entries(item as Record<string, string>)) {
        if (Object.hasOwn(config, inner)) kept[inner] = text;
        home.set(inner, key);
      }
      out[key] = kept;
    }
  }
  out.default ??= {};
  for (const [key, item] of Object.entries(config)) {
    const text = typeof item === "boolean" ? (item ? "True" : "False") : String(item);
    const section = home.has(key) ? home.get(key) : "default";
    if (section === undefined) out[key] = text;
    else (out[section] as Record<string, string>)[key] = text;
  }
  if (Object.keys(out.default as object).length === 0 && !("default" in before)) delete out.default;
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
