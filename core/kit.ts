import { KitcfgError } from "./errors.ts";
import { DEFAULT_LOCK_TIMEOUT_MS, DEFAULT_RETENTION } from "./_defaults.ts";
import { cacheDir, pluginDirs, resolvePlace, stateDir } from "./paths.ts";
import type { Place } from "./paths.ts";
import { growingRedactor } from "./redact.ts";
import { findPlugin, loadRegistry } from "./registry.ts";
import type { LoadedPlugin, Registry } from "./registry.ts";
import { resolveTarget } from "./target.ts";
import type { Target } from "./target.ts";
import type { CheckMemo } from "./check-memo.ts";

/** One working session: where files are, which plugins exist, and how to write. */
export interface Kit {
  place: Place;
  registry: Registry;
  /** kitcfg's own state folder (history). */
  stateDir: string;
  lockTimeoutMs: number;
  retention: number;
  /** What asked for the work, recorded in history (`kitcfg update ...`, `mcp update_daemon_config`). */
  command: string;
  /** Secret values seen so far; every output passes through `redact`. */
  secrets: Set<string>;
  /** `text` with every secret value seen in this session replaced. */
  redact(text: string): string;
  /** Resolve a daemon name (or alias) and instance to its files. */
  target(daemon: string, instance?: string): Target;
  /** Checked daemons kept between calls, for a long-running session (see `check-memo.ts`). */
  memo?: CheckMemo;
}

export interface OpenKitOptions {
  /** `--root DIR`; otherwise `KITCFG_ROOT`, otherwise the real home. */
  root?: string;
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
  lockTimeoutMs?: number;
  /** Versions of each file kept in history; default `KITCFG_HISTORY_RETENTION`, else 50. */
  retention?: number;
  command?: string;
  /** Load user plugins from the plugin folders (default true). */
  userPlugins?: boolean;
  /**
   * `--plugins DIR[:DIR...]`: plugin folders searched first; with a root, the only way besides
   * `KITCFG_PLUGIN_PATH`.
   */
  plugins?: string;
  /** The one daemon this session is about, if so: the other plugins may stay unloaded (see `loadRegistry`). */
  daemon?: string;
}

/** Open a session: resolve the place and load the plugins. */
export async function openKit(options: OpenKitOptions = {}): Promise<Kit> {
  const env = options.env ?? process.env;
  const place = resolvePlace({ root: options.root, env, cwd: options.cwd });
  const dirs = options.userPlugins === false ? [] : pluginDirs(place, options.cwd, options.plugins);
  const registry = await loadRegistry({
    dirs,
    only: options.daemon === "all" ? undefined : options.daemon,
    cache: { dir: cacheDir(place), root: place.root },
  });
  const secrets = new Set<string>();
  const retention = options.retention ?? historyRetention(env.KITCFG_HISTORY_RETENTION);
  return {
    place,
    registry,
    stateDir: stateDir(place),
    lockTimeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
    retention: checkRetention(retention),
    command: options.command ?? "kitcfg",
    secrets,
    redact: growingRedactor(secrets),
    target: (daemon: string, instance?: string) =>
      resolveTarget({ loaded: pluginInPlace(registry, daemon, place, dirs), place, instance }),
  };
}

/**
 * `findPlugin`; under a root with no plugin folder given, an unknown daemon's hint adds that
 * the user's own plugin folder was not searched (`pluginDirs`), where a plugin may well be.
 */
function pluginInPlace(registry: Registry, daemon: string, place: Place, dirs: readonly string[]): LoadedPlugin {
  try {
    return findPlugin(registry, daemon);
  } catch (error) {
    if (!(error instanceof KitcfgError) || error.code !== "UNKNOWN_DAEMON" || place.root === undefined) throw error;
    if (dirs.length > 0) throw error;
    const unsearched =
      "Under --root your own plugin folder is not searched: name it with --plugins DIR or KITCFG_PLUGIN_PATH";
    throw new KitcfgError(error.code, error.message, {
      hint: error.hint ? `${error.hint}. ${unsearched}` : unsearched,
    });
  }
}

// --- internal ---

function historyRetention(text: string | undefined): number {
  if (text === undefined || text.trim() === "") return DEFAULT_RETENTION;
  return checkRetention(Number(text), text);
}

/** @throws KitcfgError `USAGE`: history needs at least the version being replaced. */
function checkRetention(value: number, text = String(value)): number {
  if (Number.isInteger(value) && value >= 1) return value;
  throw new KitcfgError(
    "USAGE",
    `History retention must be a whole number of versions, 1 or more: got ${JSON.stringify(text)}`,
    {
      hint: "Set KITCFG_HISTORY_RETENTION (or openKit's retention) to e.g. 50",
    },
  );
}
