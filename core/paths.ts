import { KitcfgError } from "./errors.ts";
import { isAbsolute, join, relative, resolve } from "node:path";

/** Where kitcfg works: the real home, or everything under a root. */
export interface Place {
  /** The home folder `~` stands for: the real home, or the root itself. */
  home: string;
  /** Absolute root from `--root` / `KITCFG_ROOT`, if any. */
  root?: string;
  /** The process environment, as read once at start. */
  env: Readonly<Record<string, string | undefined>>;
}

export interface ResolvePlaceOptions {
  /** `--root DIR`; wins over `KITCFG_ROOT`. */
  root?: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Folder a relative `--root` is taken from (default: the current folder). */
  cwd?: string;
}

/** Work out home and root from `--root`, `KITCFG_ROOT` and `HOME`. */
export function resolvePlace(options: ResolvePlaceOptions): Place {
  // `--root ""` (an unset variable in a script) would otherwise mean the current folder.
  if (options.root?.trim() === "") {
    throw new KitcfgError("USAGE", "--root needs a folder: it was given an empty one", {
      hint: "Give a folder, e.g. --root ./sandbox (or leave --root out to use the real home)",
    });
  }
  const given = options.root ?? nonEmpty(options.env.KITCFG_ROOT);
  if (given !== undefined) {
    const root = resolve(options.cwd ?? process.cwd(), given);
    return { home: root, root, env: options.env };
  }
  // node:os only without HOME: loading it costs start-up time every command pays otherwise.
  return {
    home: nonEmpty(options.env.HOME) ?? (require("node:os") as typeof import("node:os")).homedir(),
    env: options.env,
  };
}

/**
 * An absolute path for `path` in this place: `~` becomes the home, and with a root every
 * absolute path outside it is moved under it (`/etc/x` becomes `<root>/etc/x`), so a
 * daemon's variable such as `APP_HOME=/data/app` still lands inside the root.
 */
export function resolveIn(place: Place, path: string): string {
  let p = path;
  if (p === "~") p = place.home;
  else if (p.startsWith("~/")) p = join(place.home, p.slice(2));
  if (!isAbsolute(p)) p = resolve(place.home, p);
  if (place.root !== undefined && !isInside(place.root, p)) p = join(place.root, p);
  return resolve(p);
}

/** kitcfg's own state (history): `$XDG_STATE_HOME/kitcfg`, else `~/.local/state/kitcfg`. */
export function stateDir(place: Place): string {
  const base = nonEmpty(place.env.XDG_STATE_HOME) ?? "~/.local/state";
  return resolveIn(place, join(base, "kitcfg"));
}

/** What kitcfg keeps only to go faster (`_plugin-candidates.ts`): `$XDG_CACHE_HOME/kitcfg`, else `~/.cache/kitcfg`. */
export function cacheDir(place: Place): string {
  const base = nonEmpty(place.env.XDG_CACHE_HOME) ?? "~/.cache";
  return resolveIn(place, join(base, "kitcfg"));
}

/**
 * Folders searched for user plugins, in order: each of `asked` (`--plugins`, colon-separated
 * like the variable), each entry of `KITCFG_PLUGIN_PATH` (both taken as given: kitcfg's own
 * settings, not a daemon's paths), then `$XDG_CONFIG_HOME/kitcfg/plugins` (default
 * `~/.config/kitcfg/plugins`) — but not under a root: a root is often a folder someone else
 * owns (a user's home, an image being built), and root must not run code from it unasked.
 */
export function pluginDirs(place: Place, cwd = process.cwd(), asked?: string): string[] {
  const split = (list: string | undefined) => (list ?? "").split(":").filter((dir) => dir.length > 0);
  const given = [...split(asked), ...split(place.env.KITCFG_PLUGIN_PATH)].map((dir) => resolve(cwd, dir));
  const configHome = nonEmpty(place.env.XDG_CONFIG_HOME) ?? "~/.config";
  const own = place.root === undefined ? [resolveIn(place, join(configHome, "kitcfg", "plugins"))] : [];
  return [...new Set([...given, ...own])];
}

/** True when `path` is `dir` or below it. */
export function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/** `$VAR` and `${VAR}` replaced by their values (unset ones by ""), as the daemons expand their own paths. */
export function expandVars(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_, braced, bare) => env[braced ?? bare] ?? "",
  );
}

/**
 * `$VAR` and `${VAR}` as Python's `os.path.expandvars` replaces them (posixpath): a name is
 * ASCII letters, digits and `_` (`$1` too), or anything between braces; a variable that is not
 * set stays as written, where Go's os.ExpandEnv (`expandVars`) makes it "".
 */
export function pythonExpandVars(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(/\$(?:\{([^}]*)\}|(\w+))/g, (whole, braced, bare) => env[braced ?? bare] ?? whole);
}

// --- internal ---

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
