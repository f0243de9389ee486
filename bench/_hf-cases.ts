/**
 * Generated huggingface config.json files for bench/hf-differential.ts: kitcfg's defaults with
 * a few settings given odd values (every key of the plugin's schema), and sometimes a token file.
 */

import huggingface from "../plugins/huggingface.ts";
import { createPluginContext } from "../sdk/context.ts";

type Random = () => number;

/** One case: the config.json object, the token file's text (when one is written) and what changed. */
export interface HfCase {
  config: Record<string, unknown>;
  token?: string;
  changes: string[];
}

/** `kitcfg configure huggingface`'s config.json: the plugin's own `defaults`, for a root and home of `/x`. */
export const HF_DEFAULTS = (await huggingface.defaults(
  createPluginContext({ root: "/x", env: { HOME: "/x" } }),
)) as Record<string, unknown>;

export const FLAGS = [
  "offline",
  "disable_telemetry",
  "disable_progress_bars",
  "disable_symlinks_warning",
  "disable_implicit_token",
  "disable_xet",
] as const;
export const TIMEOUTS = ["etag_timeout", "download_timeout"] as const;
export const FOLDERS = ["cache_dir", "hub_cache", "assets_cache"] as const;

const BOOLEANS: unknown[] = [true, false, "true", "1", "0", "yes", "ON", "off", "", 1, 0, null, "True", " 1"];
const TIMEOUT_VALUES: unknown[] = [
  ...[1, 10, 0, -1, -0, 1.5, 0.5, 1e21, 9223372036, 9223372037, 3600, 2 ** 53],
  ...["10", " 10", "1_0", "", "abc", "1.0", "٣"],
];
const ENDPOINTS = [
  "https://huggingface.co",
  "https://hub.lab/",
  "https://hub.lab//",
  "http://hub.lab:8080",
  "https://hub.lab/mirror",
  "https://hub.lab/mirror/",
  "https://u:p@hub.lab",
  "https://u[x]@hub.lab",
  "https://u[@hub.lab",
  "https://[::1]:8080",
  "https://[::1",
  "https://[hub]",
  "https://[v1.x]",
  "https://hub.lab?x=1",
  "https://hub.lab#top",
  "https://hub.lab/?",
  "https://hübs.lab",
  "https://a\uff20b@hub.lab",
  "https://u\u2100@hub.lab",
  "https://u\u00a0@hub.lab",
  "https://hub.lab:99999",
  "https://hub.lab:8x",
  "https://hub.lab/a b",
  "https://hub.lab/$HOME",
  "https://hub.lab/'q'",
  "HTTPS://HUB.LAB",
  "ftp://hub.lab",
  "hub.lab",
  "",
  "https://",
];
const PATHS = [
  "~/.cache/huggingface",
  "~/hf",
  "~",
  "/srv/hf",
  "/srv/hf/",
  "$HOME/hf",
  "${HOME}/hf",
  "$HF_HOME/hub",
  "${HF_HOME}/assets",
  "~/$HF_HOME",
  "$NOPE/hf",
  "relative/hf",
  "./hf",
  "",
  " ",
  "~/h f",
  "~/hü",
  "~/a'b",
  '~/a"b',
  "~/a`b",
  "~/a\\b",
  "~/a$",
  "~/tab\tx",
  "~user/hf",
  "~/.cache/huggingface\u2028x",
];
const PROXIES = [
  "http://proxy.lab:3128",
  "https://proxy.lab",
  "socks5://proxy.lab:1080",
  "SOCKS5H://proxy.lab",
  "proxy.lab:3128",
  "http://user:p%40ss@proxy.lab:3128",
  "http://user:p$x@proxy.lab",
  "ftp://proxy.lab",
  "",
  " http://proxy.lab",
  "http://proxy.lab\u00a0",
  "http://[::1]:3128",
];
const PROXY_KEYS = ["http", "https", "HTTP", "all", "no_proxy"];
const TOKENS = [
  "hf_abcdef",
  "hf_abcdef\n",
  "hf_abc\r\ndef\n",
  "  hf_abcdef  ",
  "",
  "\n",
  "\ufeffhf_abcdef",
  "hf_abc def",
  "hf_abc\x1c",
  "hf_abc\u0085",
  "hf_abc\u00a0",
  "hf_abc\u3000",
  "hf_\u00e9",
];
const TEXTS: unknown[] = ["ipfs_kit_py/1.0", "", "ü", 1, null, true];

/** A case from the seeded `random`: 1 to 4 settings changed, a token file one time in four. */
export function generateHfCase(random: Random): HfCase {
  const config: Record<string, unknown> = structuredClone(HF_DEFAULTS);
  const changes: string[] = [];
  const count = 1 + Math.floor(random() * 4);
  for (let i = 0; i < count; i++) {
    const [key, value] = pickSetting(random);
    if (key.startsWith("proxies.")) {
      const proxies = (config.proxies ?? {}) as Record<string, unknown>;
      proxies[key.slice(8)] = value;
      config.proxies = proxies;
    } else if (value === undefined) delete config[key];
    else config[key] = value;
    changes.push(`${key}=${JSON.stringify(value)}`);
  }
  if (random() >= 0.25) return { config, changes };
  const token = pick(random, TOKENS);
  return { config, token, changes: [...changes, `token file ${JSON.stringify(token)}`] };
}

// --- internal ---

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

function pickSetting(random: Random): [string, unknown] {
  const kind = random();
  if (kind < 0.25) return [pick(random, FLAGS), pick(random, [...BOOLEANS, undefined])];
  if (kind < 0.4) return [pick(random, TIMEOUTS), pick(random, [...TIMEOUT_VALUES, undefined])];
  if (kind < 0.6) return ["endpoint", pick(random, [...ENDPOINTS, undefined])];
  if (kind < 0.8) {
    const key = pick(random, FOLDERS);
    return [key, pick(random, key === "cache_dir" ? PATHS : [...PATHS, undefined])];
  }
  if (kind < 0.92) return [`proxies.${pick(random, PROXY_KEYS)}`, pick(random, PROXIES)];
  return [pick(random, ["user_agent", "use_auth_token"]), pick(random, [...TEXTS, ...BOOLEANS])];
}
