import { v } from "kitcfg";
import { pythonInt } from "./python.ts";

// Facts: tests/fixtures/FORMATS.md §7 and s3cmd 2.3.0 S3/Config.py (`Config` class
// attributes give each option's type; `update_option` converts the text), plus the options
// s3cmd 2.4.0 and later add (marked below). The defaults are the values of fixture
// s3/s3cfg-default, the real `s3cmd --dump-config` output of 2.3.0.

export type S3Config = Record<string, string | number | boolean>;

/** Options whose class default is a bool: s3cmd accepts yes/no, true/false, on/off, 1/0. */
export const BOOLEAN_OPTIONS = [
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
export const INTEGER_OPTIONS = [
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
export const STRING_OPTIONS = [
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
export const LOG_LEVELS = ["CRITICAL", "FATAL", "ERROR", "WARN", "WARNING", "INFO", "DEBUG", "NOTSET"];

const integer = v.pipe(v.number(), v.integer());
// The option lists build the object at run time, so its type is spelled out: S3Config.
export const schema: v.GenericSchema<S3Config, S3Config> & { entries: v.ObjectEntries } = v.object({
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
export const DEFAULTS: S3Config = {
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

/** The options s3cmd has (Config's attributes, which read_config_file looks up by name). */
export const OPTIONS: ReadonlySet<string> = new Set(Object.keys(schema.entries));

// --- internal ---

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
