import { definePlugin, pythonExpandVars, pythonStrip, urlCheck, v } from "kitcfg";
import type { PluginContext, PluginIssue } from "kitcfg";
import { huggingfaceKeyDocs } from "./huggingface/docs.ts";
import { endpointIssues } from "./huggingface/endpoint.ts";
import { FOLDERS, folderIssues, withHfHome } from "./huggingface/folders.ts";

// Facts: tests/fixtures/FORMATS.md §8 (huggingface_hub constants.py, utils/_auth.py) and
// §10 for the older tool's config.json. The Hub client reads no config.json: it takes its
// settings from environment variables and its token from a file. So kitcfg keeps
// config.json as the source of truth, writes the token where the client reads it, and
// keeps an env file that gives the client the same settings.

type HfConfig = v.InferOutput<typeof schema>;

const bool = v.boolean();
// Timeouts: the client reads the variable with int() at import (constants.py `_as_int`), which
// refuses the "1e+21" JavaScript writes for big numbers; httpx hands it to socket.settimeout,
// which overflows past 9223372036 seconds (Python's clock counts int64 nanoseconds).
// A 0 is read as the default (`_as_int(...) or DEFAULT`): a warning, not a refusal; a negative
// one reaches socket.settimeout, which refuses it at the first request.
const seconds = v.pipe(
  v.number(),
  v.integer(),
  v.minValue(0),
  v.maxValue(9223372036, "expected a whole number of seconds from 0 to 9223372036 (Python's socket clock ends there)"),
);
// The client builds request URLs as f"{ENDPOINT}/api/..." (constants.py), and httpx refuses
// one without http(s)://; urlCheck refuses tabs and line breaks, which WHATWG parsing would drop.
const httpUrl = v.pipe(v.string(), urlCheck(["http", "https"]));
/**
 * A path the client expands (expanduser, expandvars). It takes any text a variable can hold, but the
 * env file keeps each variable on a line: no line break nor other control character but a tab.
 * An empty one is the working folder, as a relative one is (a warning: `folderIssues`).
 */
const path = v.pipe(
  v.string(),
  v.regex(/^[^\x00-\x08\x0a-\x1f]*$/, "expected a path on one line (no control character but a tab)"),
);

const schema = v.object({
  /** The Hugging Face home (HF_HOME): hub cache, token and assets live below it. */
  cache_dir: path,
  /** HF_HUB_OFFLINE: no HTTP calls, only the local cache. */
  offline: v.optional(bool),
  /** requests-style proxies by scheme ({"https": "http://proxy:3128"}), exported as HTTP(S)_PROXY. */
  proxies: v.optional(v.record(v.string(), v.string())),
  /** Kept for programs that read config.json (the older tool); the Hub client has no such setting. */
  user_agent: v.optional(v.string()),
  /** Kept for the older tool; see disable_implicit_token for the client's own switch. */
  use_auth_token: v.optional(bool),
  endpoint: v.optional(httpUrl),
  hub_cache: v.optional(path),
  assets_cache: v.optional(path),
  disable_telemetry: v.optional(bool),
  disable_progress_bars: v.optional(bool),
  disable_symlinks_warning: v.optional(bool),
  disable_implicit_token: v.optional(bool),
  disable_xet: v.optional(bool),
  etag_timeout: v.optional(seconds),
  download_timeout: v.optional(seconds),
  /** The access token, stored in the token file the client reads, never in config.json. */
  // An empty (or blank) token file is no token (_auth.py `_clean_token`): a warning.
  token: v.optional(
    v.pipe(v.string(), v.regex(/^[\x21-\x7e]*$/, "a token: one word of printable characters, no blanks")),
  ),
});

/** Boolean settings and the variable each one sets ("1" or "0"). */
const FLAG_VARS = {
  offline: "HF_HUB_OFFLINE",
  disable_telemetry: "HF_HUB_DISABLE_TELEMETRY",
  disable_progress_bars: "HF_HUB_DISABLE_PROGRESS_BARS",
  disable_symlinks_warning: "HF_HUB_DISABLE_SYMLINKS_WARNING",
  disable_implicit_token: "HF_HUB_DISABLE_IMPLICIT_TOKEN",
  disable_xet: "HF_HUB_DISABLE_XET",
} as const;

/** Other settings and their variables. */
const VALUE_VARS = {
  endpoint: "HF_ENDPOINT",
  hub_cache: "HF_HUB_CACHE",
  assets_cache: "HF_ASSETS_CACHE",
  etag_timeout: "HF_HUB_ETAG_TIMEOUT",
  download_timeout: "HF_HUB_DOWNLOAD_TIMEOUT",
} as const;

export default definePlugin({
  name: "huggingface",
  summary: "Hugging Face Hub client: cache, offline mode, endpoint, token",
  aliases: ["hf", "huggingface-hub", "huggingface_hub"],
  files: {
    config: { path: (ctx) => `${hfHome(ctx)}/config.json`, format: "json", style: { indent: 2 } },
    // The client strips whitespace on read and writes the bare token, 0600 in a 0700 folder.
    // Read as the client reads it (utils/_auth.py `_clean_token`): every CR and LF removed, then
    // Python's strip(); a byte-order mark, which that keeps, is judged in `tokenIssues`.
    token: {
      path: tokenPath,
      format: "text",
      mount: "token",
      secret: true,
      decode: (raw) => (typeof raw === "string" ? clientToken(raw) : raw),
    },
    env: {
      path: (ctx) => `${hfHome(ctx)}/huggingface.env`,
      format: "env",
      header:
        "# Hugging Face Hub settings, written by kitcfg from config.json; " +
        "change them with `kitcfg update huggingface`.\n",
      derive: (config, ctx) => hubEnv(config as HfConfig, ctx, (path) => path),
    },
  },
  schema,
  secrets: ["token"],
  keyDocs: huggingfaceKeyDocs,
  defaults: (ctx) => ({
    cache_dir: ctx.daemonPath(hfHome(ctx)),
    use_auth_token: false,
    offline: false,
    proxies: {},
    user_agent: "ipfs_kit_py/1.0",
    endpoint: "https://huggingface.co",
    disable_telemetry: false,
  }),
  validate: (config, ctx) => {
    const issues: PluginIssue[] = [];
    const home = ctx.resolve(hfHome(ctx));
    // An empty one is warned of as a folder (folderIssues): the working folder, where kitcfg never looks.
    if (config.cache_dir !== "" && ctx.resolve(pythonExpandVars(config.cache_dir, ctx.env)) !== home) {
      issues.push({
        key: "cache_dir",
        severity: "warning",
        message:
          `is ${config.cache_dir} but this config.json is in ${home}: ` +
          `HF_HOME=${config.cache_dir} sends the client (and kitcfg) there`,
      });
    }
    if (config.endpoint !== undefined) issues.push(...endpointIssues(config.endpoint));
    const exported = Object.keys(hubEnv(config, ctx, (path) => path));
    issues.push(...folderIssues(config, ctx.env, exported));
    issues.push(...proxyIssues(config.proxies ?? {}), ...timeoutIssues(config), ...tokenIssues(ctx));
    return issues;
  },
  // For this shell: the folders as this machine has them, under --root too (as ipfs's IPFS_PATH is),
  // so that `eval "$(kitcfg --root ./sandbox env huggingface)"` sends the client to the sandbox.
  // An empty folder stays empty: the client takes the working folder for it (folderIssues).
  env: (config, ctx) =>
    hubEnv(config, ctx, (path, vars) =>
      path === "" ? "" : ctx.resolve(pythonExpandVars(path, { ...ctx.env, ...vars })),
    ),
});

/** Schemes httpx takes for a proxy (httpx/_config.py `Proxy`); a value without "://" gets http://. */
const PROXY_SCHEMES = ["http", "https", "socks5", "socks5h"];

/**
 * Proxies as the client will use them: exported as HTTP_PROXY / HTTPS_PROXY, which httpx
 * reads (httpx/_utils.py `get_environment_proxies`) and refuses when the scheme is not one
 * it knows, at the first request.
 */
function proxyIssues(proxies: Record<string, string>): PluginIssue[] {
  const issues: PluginIssue[] = [];
  for (const [scheme, url] of Object.entries(proxies)) {
    const key = `proxies.${scheme}`;
    if (scheme !== "http" && scheme !== "https") {
      issues.push({
        key,
        severity: "warning",
        message: "is not given to the Hub client: it takes proxies for http and https only (HTTP_PROXY, HTTPS_PROXY)",
      });
      continue;
    }
    // An empty proxy is none: nothing is exported for it (hubEnv), and requests takes "" as no proxy.
    if (url === "") issues.push({ key, severity: "warning", message: "is empty: no proxy is exported for it" });
    else if (!/^[^\s]+$/.test(url)) issues.push({ key, message: "must be a proxy URL on one line, without blanks" });
    else if (url.includes("://") && !PROXY_SCHEMES.includes(url.slice(0, url.indexOf("://")).toLowerCase())) {
      issues.push({
        key,
        message: `has a scheme httpx refuses ("Unknown scheme for proxy URL"): use ${PROXY_SCHEMES.join(", ")}`,
      });
    }
  }
  return issues;
}

/** HF_HOME: the variable, else `$XDG_CACHE_HOME/huggingface`, else `~/.cache/huggingface`. */
function hfHome(ctx: PluginContext): string {
  if (ctx.env.HF_HOME) return pythonExpandVars(ctx.env.HF_HOME, ctx.env);
  if (ctx.env.XDG_CACHE_HOME) return `${ctx.env.XDG_CACHE_HOME}/huggingface`;
  return "~/.cache/huggingface";
}

/** constants.py `_as_int(os.environ.get(...)) or DEFAULT_...`: a 0 gives the default, 10 seconds. */
function timeoutIssues(config: HfConfig): PluginIssue[] {
  return (["etag_timeout", "download_timeout"] as const)
    .filter((key) => config[key] === 0)
    .map((key) => ({
      key,
      severity: "warning" as const,
      message: "is 0, which huggingface_hub reads as its default 10 seconds, not as no limit",
    }));
}

/**
 * The token as huggingface_hub reads its file (utils/_auth.py `_get_token_from_file` and
 * `_clean_token`): every CR and LF removed, then Python's strip(), which keeps a byte-order mark
 * (read_text decodes UTF-8 without dropping it) that a JavaScript trim would drop. No token then
 * means requests go without one.
 */
function tokenIssues(ctx: PluginContext): PluginIssue[] {
  const file = ctx.paths.token;
  const raw = file === undefined ? undefined : ctx.readText(file);
  if (raw === undefined) return [];
  const read = clientToken(raw);
  if (read.startsWith("\ufeff"))
    return [
      {
        key: "token",
        message:
          `${file} starts with a byte-order mark, which huggingface_hub keeps in the token: every request ` +
          "with it is refused; save the file without it (`kitcfg update huggingface --unset token`, " +
          "then `--set-env token=VARIABLE`)",
      },
    ];
  if (read === "")
    return [
      {
        key: "token",
        severity: "warning",
        message: `${file} is empty: huggingface_hub reads no token from it and sends requests without one`,
      },
    ];
  return [];
}

/** A token file's text as the client reads it (_auth.py `_clean_token`): CR and LF removed, then strip(). */
function clientToken(text: string): string {
  return pythonStrip(text.replaceAll("\r", "").replaceAll("\n", ""));
}

/** HF_TOKEN_PATH, else `$HF_HOME/token`. */
function tokenPath(ctx: PluginContext): string {
  return ctx.env.HF_TOKEN_PATH ? pythonExpandVars(ctx.env.HF_TOKEN_PATH, ctx.env) : `${hfHome(ctx)}/token`;
}

/**
 * The variables that give the Hub client this configuration. The token itself stays in
 * its file; HF_TOKEN_PATH points there so the client and kitcfg agree on where it is.
 * `place` gives a folder as the reader of the variables takes it: the env file keeps the
 * daemon's own paths (`~` stays: the client expands it), a shell gets this machine's. It is
 * given the variables so far, since the client expands `$HF_HOME/hub` with the HF_HOME exported.
 */
function hubEnv(
  config: HfConfig,
  ctx: PluginContext,
  place: (path: string, vars: Record<string, string>) => string,
): Record<string, string> {
  const vars: Record<string, string> = {
    HF_HOME: place(config.cache_dir, {}),
    HF_TOKEN_PATH: place(ctx.daemonPath(tokenPath(ctx)), {}),
  };
  for (const [key, name] of Object.entries(FLAG_VARS)) {
    const value = config[key as keyof typeof FLAG_VARS];
    if (value !== undefined) vars[name] = value ? "1" : "0";
  }
  for (const [key, name] of Object.entries(VALUE_VARS)) {
    const value: unknown = config[key as keyof typeof VALUE_VARS];
    // A value of another JSON type (an object, a list) is an error `validate` names: nothing to export for it.
    if (typeof value === "string" || typeof value === "number")
      vars[name] = (FOLDERS as readonly string[]).includes(key)
        ? place(
            typeof config.cache_dir === "string" ? withHfHome(String(value), config.cache_dir) : String(value),
            vars,
          )
        : String(value);
  }
  if (config.proxies?.http) vars.HTTP_PROXY = config.proxies.http;
  if (config.proxies?.https) vars.HTTPS_PROXY = config.proxies.https;
  return vars;
}
