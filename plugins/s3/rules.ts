import { nonUtf8Problem, pythonStrip } from "kitcfg";
import type { PluginContext, PluginIssue } from "kitcfg";
import { isPythonTextCodec } from "./codecs.ts";
import { OPTIONS } from "./options.ts";
import type { S3Config } from "./options.ts";

// What s3cmd does with the values it reads (FORMATS.md §7, §16): each function returns the issues of one
// concern, in the order the plugin lists them.

/**
 * With no access_key, s3cmd (Config.__init__) takes AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY
 * from its environment, else asks the cloud's instance-metadata service (role_config),
 * which off a cloud VM fails, and s3cmd stops with "Configuration file not available".
 */
export function credentialIssues(config: S3Config): PluginIssue[] {
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
  // With an access key, Config.__init__ reads no variable: s3cmd signs every request with the
  // empty secret, which S3 refuses (SignatureDoesNotMatch). It starts, and no request succeeds.
  if (!config.secret_key)
    return [
      {
        key: "secret_key",
        message:
          "is empty while access_key is set: s3cmd then signs every request with an empty secret, which S3 " +
          "refuses (it reads no AWS_SECRET_ACCESS_KEY while access_key is set); give the secret key",
      },
    ];
  return [];
}

/**
 * A text in acl_public that is no yes/no value stays text in s3cmd (update_option, which
 * converts it only when is_bool reads it): uploads and new buckets test it as true and are
 * made public-read (S3/S3.py object_put, bucket_create), while setacl compares it with
 * True and False and changes nothing.
 */
export function aclIssues(config: S3Config): PluginIssue[] {
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
export function encodingIssues(config: S3Config): PluginIssue[] {
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
export function proxyIssues(config: S3Config): PluginIssue[] {
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
 * s3cmd decodes its whole file as UTF-8 and stops on a byte that is not
 * (ConfigParser.parse_file opens it with io.open(encoding="UTF-8")), a comment's included.
 */
export function utf8Issues(ctx: PluginContext): PluginIssue[] {
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
export function textIssues(config: S3Config): PluginIssue[] {
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
 * Keys s3cmd has no option for: read_config_file looks up its own options by name (exact
 * case) and never sees another key, so one (a misspelt option, a note) is ignored.
 */
export function ignoredOptionIssues(config: S3Config): PluginIssue[] {
  return Object.keys(config)
    .filter((key) => !OPTIONS.has(key))
    .map((key) => ({ key, severity: "warning", message: "is not an s3cmd option: s3cmd ignores it" }));
}
