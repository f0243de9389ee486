import type { PluginIssue } from "kitcfg";

/** Settings the client reads as folders (constants.py: HF_HOME, HF_HUB_CACHE, HF_ASSETS_CACHE). */
export const FOLDERS = ["cache_dir", "hub_cache", "assets_cache"] as const;

/**
 * constants.py reads each folder as `expandvars(expanduser(value))` (@ee0a4510, l. 158-190): `~`
 * first, then `$VAR`, once. So a `~` that `$HF_HOME` brings into HF_HUB_CACHE is never expanded
 * (a folder named `~` below the working folder), nor a `$HOME` inside it. The env file gives the
 * folder with `$HF_HOME` (`${HF_HOME}`) replaced by the HF_HOME text it writes beside it, which
 * the client then expands as it expands HF_HOME.
 */
export function withHfHome(folder: string, hfHome: string): string {
  return folder.replace(/\$HF_HOME(?!\w)|\$\{HF_HOME\}/g, () => hfHome);
}

/**
 * Folders the client may take from the working folder (constants.py only expanduser/expandvars
 * them): an empty or relative one, one from `~user` (expanded from the password database where the client
 * runs, kept as it is for a user not there), and one starting with a variable unset here
 * (expandvars keeps `$NAME` as it is). `exported` are the variables the env file sets.
 */
export function folderIssues(
  config: Partial<Record<(typeof FOLDERS)[number], string>>,
  env: Record<string, string | undefined>,
  exported: readonly string[],
): PluginIssue[] {
  const issues: PluginIssue[] = [];
  for (const key of FOLDERS) {
    const value = config[key];
    if (value === undefined) continue;
    const warn = (message: string) => issues.push({ key, severity: "warning", message });
    const user = /^~([^/]+)/.exec(value)?.[1];
    // Python's expandvars: `$` then \w+ or {...}.
    const variable = /^\$(?:(\w+)|\{([^}]*)\})/.exec(value);
    const name = variable?.[1] ?? variable?.[2];
    if (value === "") warn("is empty: the client takes the folder each program runs in");
    else if (!/^[~/$]/.test(value))
      warn("is a relative path: the client takes it from the folder each program runs in");
    else if (user !== undefined)
      warn(
        `starts with ~${user}: the client expands it from the user list of the machine it runs on, and takes it ` +
          "as a relative path (from the folder each program runs in) where there is no such user",
      );
    else if (name !== undefined && env[name] === undefined && !exported.includes(name))
      warn(
        `starts with $${name}, which is not set here: the client leaves an unset variable as it is, ` +
          "a relative path from the folder each program runs in",
      );
    const tilde = laterTilde(value, config.cache_dir, env);
    if (tilde !== undefined)
      warn(
        `holds $${tilde} after its start, and that starts with ~: the client expands ~ only at the start of ` +
          "the folder, before the variables, so this ~ stays a folder named ~",
      );
  }
  return issues;
}

// --- internal ---

/**
 * A variable that `value` holds after its start whose text begins with `~` (`$HF_HOME`: the
 * `cache_dir` the env file writes; another: this environment's): constants.py runs expanduser
 * before expandvars, once, so that `~` is never expanded.
 */
function laterTilde(
  value: string,
  hfHome: string | undefined,
  env: Record<string, string | undefined>,
): string | undefined {
  for (const match of value.matchAll(/\$(?:(\w+)|\{([^}]*)\})/g)) {
    if (match.index === 0) continue;
    const name = match[1] ?? match[2]!;
    const text = name === "HF_HOME" && hfHome !== undefined ? hfHome : env[name];
    if (text?.startsWith("~")) return name;
  }
  return undefined;
}
