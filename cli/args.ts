import { resolve } from "node:path";
import type { ArgsDef } from "citty";
import { KitcfgError } from "../core/errors.ts";
import { exactIntegers, parseJsonExact } from "../core/formats/_json-exact.ts";
import { parseKeyPath, reachesSecret } from "../core/keypath.ts";
import { REDACTED } from "../core/redact.ts";
import type { UpdateRequest } from "../core/request.ts";

/** `ipfs config --bool`: kitcfg needs no flag for a value's type, which the schema gives. */
const TYPE_FLAGS = new Set(["bool"]);
/** The commands that take a value to write. */
const VALUE_COMMANDS = new Set(["set", "update"]);

const FLAG_NEEDS: Record<string, string> = { set: "key=value", "set-env": "key=VARIABLE", unset: "a key" };
const FLAG_EXAMPLE: Record<string, string> = { set: "offline=true", "set-env": "token=HF_TOKEN", unset: "offline" };

/**
 * Check raw arguments against a command's declared flags, since citty lets unknown flags
 * pass silently and would run a command the user did not mean.
 * @throws KitcfgError `USAGE` naming the first unknown flag or extra argument.
 */
export function assertKnownArgs(command: string, rawArgs: readonly string[], args: ArgsDef): void {
  const known = new Map<string, { takesValue: boolean }>();
  let positionals = 0;
  for (const [name, def] of Object.entries(args)) {
    if (def.type === "positional") {
      positionals++;
      continue;
    }
    const takesValue = def.type === "string" || def.type === "enum";
    const alias = "alias" in def ? def.alias : undefined;
    const aliases = alias === undefined ? [] : Array.isArray(alias) ? alias : [alias];
    for (const flag of [name, ...aliases]) known.set(flag, { takesValue });
    if (def.type === "boolean") known.set(`no-${name}`, { takesValue: false });
  }
  const seen: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i]!;
    if (arg === "--") {
      // What follows `--` is positional, however it starts: one too many is refused all the same.
      for (const rest of rawArgs.slice(i + 1)) if (seen.push(rest) > positionals) throw unexpected(command, rest);
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      if (seen.push(arg) > positionals) throw unexpected(command, arg);
      continue;
    }
    const name = arg.replace(/^--?/, "").split("=")[0]!;
    const flag = known.get(name);
    if (!flag) {
      // A negative number is a value to the user: say how to pass one, as `--` ends the options.
      const value = positionals > 0 && /^-\.?\d/.test(arg);
      throw new KitcfgError("USAGE", `Unknown option "${arg.split("=")[0]}" for "kitcfg ${command}"`, {
        hint: value
          ? `A value that starts with "-" goes after "--": kitcfg ${[command, ...seen, "--", arg].join(" ")}`
          : TYPE_FLAGS.has(name) && VALUE_COMMANDS.has(command)
            ? `Leave ${arg.split("=")[0]} out: kitcfg reads a value as the daemon's schema types the key ` +
              "(true is a boolean, {...} an object)"
            : `See \`kitcfg ${command} --help\``,
      });
    }
    // A switch read with a value would be on for anything but "false": `--force=no` must not force.
    const inline = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : undefined;
    if (!flag.takesValue && inline !== undefined && inline !== "true" && inline !== "false") {
      throw new KitcfgError(
        "USAGE",
        `Option "${arg.split("=")[0]}" of "kitcfg ${command}" takes no value, got ${JSON.stringify(inline)}`,
        { hint: `Give ${arg.split("=")[0]} alone to turn it on, or leave it out` },
      );
    }
    if (flag.takesValue && !arg.includes("=")) {
      if (i + 1 >= rawArgs.length)
        throw new KitcfgError("USAGE", `Option "${arg}" of "kitcfg ${command}" needs a value`);
      i++;
    }
  }
}

/**
 * Every `--set key=value`, `--set-env key=VAR` and `--unset key`, in the order given:
 * citty keeps only the last of a repeated flag, and the order matters when two changes
 * touch one key. A `--set` value starting with `@` names a file to read the value from
 * (relative to `cwd`; `@@` for a value that starts with a literal `@`), so a secret need
 * not appear on the command line or in shell history; `@-` reads it from stdin.
 * @throws KitcfgError `USAGE` for a `--set` without `=`.
 */
export function collectChanges(rawArgs: readonly string[], cwd = process.cwd()): UpdateRequest[] {
  const requests: UpdateRequest[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i]!;
    if (arg === "--") break;
    const match = /^--(set|set-env|unset)(?:=(.*))?$/s.exec(arg);
    if (!match) continue;
    const flag = match[1]!;
    const value = match[2] ?? rawArgs[++i];
    if (value === undefined) throw new KitcfgError("USAGE", `--${flag} needs ${FLAG_NEEDS[flag]}`);
    if (flag === "unset") {
      requests.push({ op: "unset", key: value });
      continue;
    }
    const eq = value.indexOf("=");
    if (eq <= 0) {
      throw new KitcfgError("USAGE", `--${flag} needs ${FLAG_NEEDS[flag]}, got ${JSON.stringify(value)}`, {
        hint: `Example: --${flag} ${FLAG_EXAMPLE[flag]}`,
      });
    }
    requests.push(toRequest(flag, value.slice(0, eq), value.slice(eq + 1), cwd));
  }
  const fromStdin = requests.filter((r) => "file" in r && STDIN_PATHS.has(r.file));
  if (fromStdin.length > 1) {
    // The first read takes all of stdin: the second would get nothing.
    throw new KitcfgError(
      "USAGE",
      `stdin can give one value per command: ${fromStdin.map((r) => r.key).join(" and ")} both read it`,
      { hint: "Read the others from files (--set KEY=@FILE) or variables (--set-env KEY=VAR)" },
    );
  }
  return requests;
}

/** The names stdin goes by on the command line. */
const STDIN_PATHS = new Set(["/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"]);

/**
 * The command line as history records it, rebuilt from the parsed arguments rather than
 * redacted as text: a `--set` of a secret key (or of an object above one, or a key below
 * one) shows `<redacted>` whatever the spelling of its value (`\u0041` escapes in JSON
 * included); any other JSON value is written back in one plain spelling, so a secret
 * inside it is found by the text redaction that follows.
 */
export function recordedCommand(
  command: string,
  rawArgs: readonly string[],
  secretPatterns: readonly string[],
): string {
  const words = ["kitcfg", command];
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i]!;
    const match = /^--(set|set-env)(?:=(.*))?$/s.exec(arg);
    if (arg === "--") {
      words.push(...rawArgs.slice(i));
      break;
    }
    if (!match) {
      words.push(arg);
      continue;
    }
    const value = match[2] ?? rawArgs[++i] ?? "";
    words.push(`--${match[1]}`, match[1] === "set" ? shownSetting(value, secretPatterns) : value);
  }
  return words.join(" ");
}

/**
 * `kitcfg set DAEMON KEY VALUE` as history records it: the words as given, but VALUE shown
 * as `recordedCommand` shows a `--set KEY=VALUE` (`<redacted>` for a secret key whatever
 * its spelling, other JSON in one plain spelling).
 */
export function recordedSet(rawArgs: readonly string[], key: string, value: string, secretPatterns: readonly string[]) {
  const words = [...rawArgs];
  // The positionals come in order: VALUE is the first word equal to it after KEY.
  const at = words.indexOf(value, words.indexOf(key) + 1);
  if (at !== -1) words[at] = shownSetting(`${key}=${value}`, secretPatterns).slice(key.length + 1);
  return ["kitcfg", "set", ...words].join(" ");
}

/**
 * The request for one `KEY=VALUE` of `--set` (or `kitcfg set DAEMON KEY VALUE`): `@FILE`
 * reads the value from a file, `@-` from stdin, `@@…` is a value starting with a literal `@`.
 */
export function toRequest(flag: string, key: string, value: string, cwd: string): UpdateRequest {
  if (flag === "set-env") {
    if (value === "") throw new KitcfgError("USAGE", `--set-env ${key}= needs the name of an environment variable`);
    return { op: "set", key, env: value };
  }
  if (value.startsWith("@@")) return { op: "set", key, text: value.slice(1) };
  // stdin through the file system, so a pipe, a redirect and a here-string all read the same way.
  if (value === "@-") return { op: "set", key, file: "/dev/stdin" };
  if (value.startsWith("@")) {
    if (value === "@")
      throw new KitcfgError("USAGE", `--set ${key}=@ needs a file name after @`, {
        hint: "Example: --set token=@/run/secrets/hf",
      });
    return { op: "set", key, file: resolve(cwd, value.slice(1)) };
  }
  return { op: "set", key, text: value };
}

// --- internal ---

function shownSetting(setting: string, secretPatterns: readonly string[]): string {
  const eq = setting.indexOf("=");
  if (eq <= 0) return setting;
  const [key, text] = [setting.slice(0, eq), setting.slice(eq + 1)];
  if (text.startsWith("@") && !text.startsWith("@@")) return setting; // a file name, not the value
  let path: string[];
  try {
    path = parseKeyPath(key);
  } catch {
    return `${key}=${REDACTED}`;
  }
  let parsed: unknown;
  try {
    // Read and written with every digit of an integer past 2^53, as the value itself is.
    parsed = parseJsonExact(text);
  } catch {
    // not JSON: the text is the value
  }
  const nests = typeof parsed === "object" && parsed !== null;
  if (secretPatterns.some((pattern) => reachesSecret(pattern.split("."), path, nests))) return `${key}=${REDACTED}`;
  if (typeof parsed === "object" || typeof parsed === "string")
    return `${key}=${JSON.stringify(parsed, exactIntegers)}`;
  return setting;
}

function unexpected(command: string, arg: string): KitcfgError {
  const hint = arg.includes("=") ? `To change a key, use --set ${arg}` : `See \`kitcfg ${command} --help\``;
  return new KitcfgError("USAGE", `Unexpected argument "${arg}" for "kitcfg ${command}"`, { hint });
}
