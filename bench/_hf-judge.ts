/**
 * What bench/hf-differential.ts calls a disagreement: the client's reading of a case
 * (bench/hf-read.py) against what its config.json says and kitcfg's verdict.
 */
import { join } from "node:path";
import { FLAGS, FOLDERS, type HfCase, TIMEOUTS } from "./_hf-cases.ts";
import type { ClientRead, HfRun } from "./_hf-run.ts";

/**
 * - `valid-but-refused`: kitcfg says valid (no error), the client cannot import or fails every request;
 * - `valid-but-reads-otherwise`: kitcfg says valid and warns nothing on that key, the client reads another value;
 * - `refused-but-fine`: kitcfg refuses a config.json of the right JSON types that the client reads as it says;
 * - `type-refusal` (not a disagreement): text where config.json holds a boolean or a number.
 */
export type Kind = "valid-but-refused" | "valid-but-reads-otherwise" | "refused-but-fine" | "type-refusal";

export interface Judgement {
  kind?: Kind;
  detail: string[];
}

/** FORMATS.md §16: socket.settimeout refuses these at the first request, after an import that works. */
const SOCKET_MAX = 9223372036;

export function judgeHfCase(one: HfCase, run: HfRun): Judgement {
  const errors = run.issues.filter((issue) => issue.severity === "error");
  const warned = new Set(run.issues.filter((issue) => issue.severity === "warning").map((issue) => issue.key));
  const views = [run.file, run.shell].filter((view): view is ClientRead => view !== undefined);
  const problems: string[] = [];
  const misreads: string[] = [];
  for (const [name, view] of [
    ["file", run.file],
    ["shell", run.shell],
  ] as const) {
    if (view === undefined) continue;
    if (view.error) problems.push(`${name}: import fails: ${view.error}`);
    else {
      problems.push(...requestFailures(one, view).map((text) => `${name}: ${text}`));
      misreads.push(...compareRead(one, run, view, warned, name === "shell").map((text) => `${name}: ${text}`));
    }
  }
  if (run.valid) {
    if (views.length === 0) return { kind: "valid-but-refused", detail: ["valid, yet no variables"] };
    if (problems.length > 0) return { kind: "valid-but-refused", detail: problems };
    if (misreads.length > 0) return { kind: "valid-but-reads-otherwise", detail: misreads };
    return { detail: [] };
  }
  const said = errors.map((issue) => `kitcfg: ${issue.key}: ${issue.message}`);
  if (problems.length > 0 || misreads.length > 0 || run.shell === undefined) return { detail: said };
  if (wrongTypes(one.config).length > 0) return { kind: "type-refusal", detail: [...wrongTypes(one.config), ...said] };
  return { kind: "refused-but-fine", detail: said };
}

// --- internal ---

/** What fails at the first request though the import worked: a timeout socket.settimeout refuses, a bad port. */
function requestFailures(one: HfCase, view: ClientRead): string[] {
  const out: string[] = [];
  for (const key of TIMEOUTS) {
    const read = view.constants?.[key === "etag_timeout" ? "HF_HUB_ETAG_TIMEOUT" : "HF_HUB_DOWNLOAD_TIMEOUT"];
    if (typeof read === "number" && (read < 0 || read > SOCKET_MAX)) out.push(`${key} ${read}: settimeout refuses`);
  }
  if (view.apiError) out.push(`a request URL: ${view.apiError}`);
  // httpx refuses a URL that is not http(s) with a host (UnsupportedProtocol); an IPvFuture host has no resolver.
  else if (!["http", "https"].includes(view.apiScheme ?? "") || !view.apiHost || /^v[\da-f]+\./i.test(view.apiHost))
    out.push(`no http(s) host to call: ${view.constants?.ENDPOINT}`);
  for (const name of ["HTTP_PROXY", "HTTPS_PROXY"]) {
    const proxy = view.environ[name];
    // httpx/_config.py Proxy: "Unknown scheme for proxy URL".
    if (proxy?.includes("://") && !/^(https?|socks5h?):\/\//i.test(proxy)) out.push(`${name} ${proxy}: httpx refuses`);
  }
  // httpx encodes header values as ASCII; the Hub refuses a token with a blank inside.
  if (typeof view.token === "string" && !/^[\x21-\x7e]*$/.test(view.token)) out.push("token: no header can carry it");
  if (view.tokenError && one.token !== undefined) out.push(`token file: ${view.tokenError}`);
  return out;
}

/** `sandboxed`: `kitcfg env --root DIR` gives every folder below DIR, an absolute one too. */
function compareRead(one: HfCase, run: HfRun, view: ClientRead, warned: Set<string>, sandboxed: boolean): string[] {
  const c = one.config;
  const read = view.constants ?? {};
  const out: string[] = [];
  /** A warning on `key`, or on one of `covering`, says the client may read otherwise. */
  const differ = (key: string, meant: unknown, got: unknown, covering: string[] = []) => {
    if (JSON.stringify(meant) !== JSON.stringify(got) && ![key, ...covering].some((k) => warned.has(k)))
      out.push(`${key}: means ${JSON.stringify(meant)}, client reads ${JSON.stringify(got)}`);
  };
  for (const key of FLAGS) {
    const name = `HF_HUB_${key === "offline" ? "OFFLINE" : key.toUpperCase()}`;
    const unset = key === "disable_progress_bars" ? null : false;
    if (typeof c[key] === "boolean" || c[key] === undefined) differ(key, c[key] ?? unset, read[name]);
  }
  for (const key of TIMEOUTS) {
    const name = key === "etag_timeout" ? "HF_HUB_ETAG_TIMEOUT" : "HF_HUB_DOWNLOAD_TIMEOUT";
    if (typeof c[key] === "number" || c[key] === undefined) differ(key, c[key] ?? 10, read[name]);
  }
  if (typeof c.endpoint === "string") {
    differ("endpoint", c.endpoint, read.ENDPOINT);
    const path = URL.canParse(c.endpoint) ? new URL(c.endpoint).pathname.replace(/\/+$/, "") : "";
    if (!view.apiError) differ("endpoint", `${path}/api/models`, view.apiPath);
  }
  const inRoot = (path: string | undefined) =>
    sandboxed && path?.startsWith("/") && !path.startsWith(run.dir) ? join(run.dir, path) : path;
  // kitcfg gives a folder without its final "/" (huggingface.env, kitcfg env): the same folder to the client.
  const folder = (path: unknown) => (typeof path === "string" && path.length > 1 ? path.replace(/\/+$/, "") : path);
  const home = inRoot(meantPath(c.cache_dir, run.dir, undefined));
  differ("cache_dir", folder(home), folder(read.HF_HOME));
  // An unset folder is below HF_HOME: a warning on cache_dir covers it, as it covers one written from $HF_HOME.
  const below = (key: "hub_cache" | "assets_cache") => (c[key] === undefined ? "cache_dir" : key);
  const fromHome = (key: "hub_cache" | "assets_cache") =>
    /\$(HF_HOME\b|\{HF_HOME\})/.test(String(c[key])) ? ["cache_dir"] : [];
  differ(
    below("hub_cache"),
    folder(inRoot(meantPath(c.hub_cache, run.dir, home)) ?? `${home}/hub`),
    folder(read.HF_HUB_CACHE),
    fromHome("hub_cache"),
  );
  differ(
    below("assets_cache"),
    folder(inRoot(meantPath(c.assets_cache, run.dir, home)) ?? `${home}/assets`),
    folder(read.HF_ASSETS_CACHE),
    fromHome("assets_cache"),
  );
  differ("token", join(run.dir, ".cache/huggingface/token"), read.HF_TOKEN_PATH);
  const proxies = (c.proxies ?? {}) as Record<string, unknown>;
  for (const scheme of ["http", "https"]) {
    const value = proxies[scheme];
    const got = view.environ[`${scheme.toUpperCase()}_PROXY`];
    if (typeof value === "string" && value !== "") differ(`proxies.${scheme}`, value, got);
  }
  if (one.token !== undefined && !view.tokenError) differ("token", run.kitcfgToken ?? null, view.token ?? null);
  return out;
}

/**
 * A folder as its setting says, by the rules kitcfg documents: `~` is the home, `$HOME` and
 * `$HF_HOME` (the cache_dir meant) are replaced, an unknown `$VAR` stays, and a relative path is
 * taken from the folder the client runs in (`work`). Undefined for an unset or non-text setting.
 */
function meantPath(value: unknown, dir: string, hfHome: string | undefined): string | undefined {
  if (typeof value !== "string") return undefined;
  let path = value.replace(/^~(?=\/|$)/, dir);
  const vars: Record<string, string | undefined> = { HOME: dir, HF_HOME: hfHome };
  path = path.replace(/\$(\w+)|\$\{([^}]*)\}/g, (all, a, b) => vars[a ?? b] ?? all);
  if (!path.startsWith("/")) path = path === "" ? "" : join(dir, "work", path);
  return path;
}

/** Settings whose JSON type is not the schema's: kitcfg refuses them by type, whatever the client would read. */
function wrongTypes(config: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const key of [...FLAGS, "use_auth_token"])
    if (key in config && typeof config[key] !== "boolean") out.push(`${key} is not a boolean`);
  for (const key of TIMEOUTS) if (key in config && typeof config[key] !== "number") out.push(`${key} is no number`);
  for (const key of [...FOLDERS, "endpoint", "user_agent"])
    if (key in config && typeof config[key] !== "string") out.push(`${key} is not text`);
  const proxies = config.proxies as Record<string, unknown> | undefined;
  for (const [scheme, value] of Object.entries(proxies ?? {}))
    if (typeof value !== "string") out.push(`proxies.${scheme} is not text`);
  return out;
}
