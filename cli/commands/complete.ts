import type { ArgsDef } from "citty";
import { listKeys, listProfiles } from "../../core/keys.ts";
import { openKit } from "../../core/kit.ts";
import type { Kit } from "../../core/kit.ts";
import type { CliIO } from "../../present/output.ts";
import { COMMON_ARGS, defineKitcfgCommand } from "../command.ts";
import { SHELLS } from "./completion.ts";
import { COMMANDS } from "./index.ts";

/**
 * `kitcfg __complete line`: what a shell offers at TAB, the same for every shell. stdin holds
 * the words of the command line after the program's name, unquoted, each ended by a NUL; the
 * last is the word under the cursor (empty after a blank). They are read as cli.ts reads them:
 * which flags take a value comes from the commands' own args, and lookups (daemons, instances,
 * keys) happen under the line's `--root` and `--plugins`. The answer is a line saying what the
 * word is, `words`, `dirs` or `files` (the shell lists those itself), then for `words` the
 * candidates, one a line, each the whole word (`--color=auto` for `--color=a`). A candidate
 * ending in `=` is a key whose value follows it with no space between.
 *
 * `kitcfg __complete WHAT [NAME]` (commands, daemons, instances DAEMON, keys DAEMON, flags
 * COMMAND) prints one kind of word: scripts printed before `line` existed call it, such as a
 * fish file saved to disk.
 */
export default defineKitcfgCommand(
  "__complete",
  "Words for shell completion: line (its words on stdin); commands, daemons, instances DAEMON, keys DAEMON, flags CMD",
  {
    what: { type: "positional", description: "line, commands, daemons, instances, keys or flags", required: true },
    name: { type: "positional", description: "The daemon (instances, keys) or command (flags)", required: false },
    quoted: {
      type: "boolean",
      description: "The words before the last are as typed, quotes and backslashes in (bash's COMP_WORDS)",
    },
  },
  async ({ kit, out, args }) => {
    if (args.what === "line") {
      const typed = readWords((await out.io.stdin?.()) ?? "");
      if (args.quoted) for (let i = 0; i < typed.length - 1; i++) typed[i] = shellUnquoted(typed[i]!);
      const answer = await answerLine(typed, out.io).catch(() => words([]));
      out.io.stdout(`${[answer.kind, ...answer.words].join("\n")}\n`);
      return 0;
    }
    const found = await wordsFor(args.what, args.name, kit).catch(() => []);
    if (found.length > 0) out.io.stdout(`${found.join("\n")}\n`);
    return 0;
  },
);

// --- internal ---

/** What the shell offers for the word under the cursor. */
interface Answer {
  /** `dirs` and `files`: the shell lists them itself, as it quotes them and expands `~`. */
  kind: "words" | "dirs" | "files";
  words: string[];
}

/** A command line read up to the word under the cursor. */
interface Line {
  command?: string;
  /** The flags and positionals the command takes; before a command, the global flags. */
  defs: ArgsDef;
  positionals: string[];
  /** Each value-taking flag's value, the last one given. */
  values: Record<string, string>;
  /** The flag the line ends with, whose value is the word under the cursor. */
  pending?: string;
  /** Past `--`, where every word is positional. */
  rest: boolean;
  io: CliIO;
}

type Source = (line: Line) => Answer | Promise<Answer>;

/** Values of `--color` (cli.ts checks them). */
const COLOR_MODES = ["auto", "always", "never"];

/** Commands whose daemon may be `all`. */
const TAKES_ALL = new Set(["configure", "repair"]);

/** `kitcfg help COMMAND` is no entry of COMMANDS: cli.ts answers it. */
const HELP_ARGS: ArgsDef = { command: { type: "positional", description: "A command", required: false } };

/** A flag's values by its value hint in the command's args (`valueHint: "DIR"`)... */
const BY_HINT: Record<string, Source> = {
  DIR: () => ({ kind: "dirs", words: [] }),
  PATH: () => ({ kind: "files", words: [] }),
  KEY: (line) => keysOf(line, ""),
  "KEY=VALUE": (line) => keysOf(line, "="),
  "KEY=VAR": (line) => keysOf(line, "="),
};

/** ...or by its name, where the hint (NAME, WHEN) does not say which. */
const BY_FLAG: Record<string, Source> = {
  color: () => words(COLOR_MODES),
  instance: async (line) => {
    const daemon = daemonOf(line);
    return words(await wordsFor("instances", daemon, () => openSession(line, daemon)));
  },
  profile: async (line) => {
    const daemon = daemonOf(line);
    if (!daemon) return words([]);
    // An init-only profile is for `configure` alone: `update` refuses it.
    const profiles = listProfiles(await openSession(line, daemon), { daemon }).profiles;
    return words(profiles.filter((p) => line.command === "configure" || !p.initOnly).map((p) => p.name));
  },
};

/** A positional's values, by its name in the command's args. */
const BY_POSITIONAL: Record<string, Source> = {
  daemon: async (line) => {
    const daemons = await wordsFor("daemons", undefined, () => openSession(line));
    return words(TAKES_ALL.has(line.command!) ? [...daemons, "all"] : daemons);
  },
  key: (line) => keysOf(line, ""),
  prefix: (line) => keysOf(line, ""),
  shell: () => words(SHELLS),
  file: () => ({ kind: "files", words: [] }),
  command: () => words(commandNames()),
};

/**
 * A word as the shell gives it to the command: quotes and backslashes taken out as POSIX
 * sh reads them (inside "..." a backslash escapes only $ ` " \ and a newline). Read
 * here, not by the shell's eval: the line is the user's, and may hold `$(...)`.
 */
function shellUnquoted(word: string): string {
  let out = "";
  for (let i = 0; i < word.length; i++) {
    const c = word[i]!;
    if (c === "\\") out += word[++i] ?? "";
    else if (c === "'") {
      const end = word.indexOf("'", i + 1);
      out += word.slice(i + 1, end === -1 ? word.length : end);
      i = end === -1 ? word.length : end;
    } else if (c === '"') {
      for (i++; i < word.length && word[i] !== '"'; i++) {
        if (word[i] === "\\" && '$`"\\\n'.includes(word[i + 1] ?? "x")) i++;
        out += word[i] ?? "";
      }
    } else out += c;
  }
  return out;
}

/** The NUL-ended words on stdin. */
function readWords(text: string): string[] {
  const found = text.split("\0");
  if (text.endsWith("\0")) found.pop();
  return found;
}

/** The answer for the last of `typed`, read with the words before it. */
async function answerLine(typed: string[], io: CliIO): Promise<Answer> {
  const line = await readLine(typed.slice(0, -1), io);
  const word = typed.at(-1)!;
  if (line.pending !== undefined) return valuesOfFlag(line, line.pending);
  if (!line.rest && word.startsWith("-")) {
    const eq = word.indexOf("=");
    if (eq === -1) return words(flagsOf(line));
    const answer = await valuesOfFlag(line, word.slice(0, eq).replace(/^--?/, ""));
    return { ...answer, words: answer.words.map((value) => word.slice(0, eq + 1) + value) };
  }
  if (line.command === undefined) return words(commandNames());
  const name = positionalNames(line.defs)[line.positionals.length];
  return name === undefined ? words([]) : ((await BY_POSITIONAL[name]?.(line)) ?? words([]));
}

/** Read the words before the cursor as cli.ts reads a command line: global flags, command, its args. */
async function readLine(typed: string[], io: CliIO): Promise<Line> {
  const line: Line = { defs: COMMON_ARGS, positionals: [], values: {}, rest: false, io };
  for (let i = 0; i < typed.length; i++) {
    const word = typed[i]!;
    if (line.rest || !word.startsWith("-") || word === "-") {
      if (line.command !== undefined) line.positionals.push(word);
      else [line.command, line.defs] = [word, await argsOf(word)];
    } else if (word === "--") line.rest = true;
    else {
      const eq = word.indexOf("=");
      const name = flagName(line.defs, word.slice(0, eq === -1 ? undefined : eq).replace(/^--?/, ""));
      if (!takesValue(line.defs[name])) continue;
      if (eq !== -1) line.values[name] = word.slice(eq + 1);
      else if (i + 1 < typed.length) line.values[name] = expandHome(typed[++i]!, io);
      else line.pending = name;
    }
  }
  return line;
}

/** The args of command `name`, with the common flags; none but those for an unknown one. */
async function argsOf(name: string): Promise<ArgsDef> {
  if (name === "help") return { ...HELP_ARGS, ...COMMON_ARGS };
  const entry = COMMANDS[name];
  return entry ? (((await entry.load()).default.args ?? {}) as ArgsDef) : COMMON_ARGS;
}

async function valuesOfFlag(line: Line, given: string): Promise<Answer> {
  const name = flagName(line.defs, given);
  const def = line.defs[name];
  const hint = def && "valueHint" in def ? def.valueHint : undefined;
  const source = BY_FLAG[name] ?? (hint === undefined ? undefined : BY_HINT[hint]);
  return source ? source(line) : words([]);
}

/** The flags the command takes, or before one the global flags (and --version). */
function flagsOf(line: Line): string[] {
  const flags = flagWords(line.defs);
  return line.command === undefined ? [...flags, "--version"] : flags;
}

function flagWords(defs: ArgsDef): string[] {
  return Object.entries(defs)
    .filter(([, def]) => def.type !== "positional")
    .map(([flag]) => `--${flag}`);
}

function commandNames(): string[] {
  return [...Object.keys(COMMANDS).filter((n) => !COMMANDS[n]!.hidden), "help"];
}

/** The flag `name` (or one-letter alias) stands for in `defs`. */
function flagName(defs: ArgsDef, name: string): string {
  if (defs[name]) return name;
  const found = Object.entries(defs).find(([, def]) => {
    const alias = "alias" in def ? def.alias : undefined;
    return Array.isArray(alias) ? alias.includes(name) : alias === name;
  });
  return found?.[0] ?? name;
}

function takesValue(def: ArgsDef[string] | undefined): boolean {
  return def?.type === "string" || def?.type === "enum";
}

function positionalNames(defs: ArgsDef): string[] {
  return Object.entries(defs)
    .filter(([, def]) => def.type === "positional")
    .map(([name]) => name);
}

/**
 * A leading `~` as the shell expands it in a word of its own (`--root ~/node`); in
 * `--root=~/node` no shell expands it, and kitcfg gets `~/node` as written.
 */
function expandHome(value: string, io: CliIO): string {
  if (value !== "~" && !value.startsWith("~/")) return value;
  const home = io.env.HOME || (require("node:os") as typeof import("node:os")).homedir();
  return home + value.slice(1);
}

function daemonOf(line: Line): string | undefined {
  return line.positionals[positionalNames(line.defs).indexOf("daemon")];
}

async function keysOf(line: Line, suffix: string): Promise<Answer> {
  const daemon = daemonOf(line);
  const keys = await wordsFor("keys", daemon, () => openSession(line, daemon));
  return words(keys.map((key) => key + suffix));
}

/** A session where the line's command will work: its `--root` and `--plugins`. */
function openSession(line: Line, daemon?: string): Promise<Kit> {
  const { root, plugins } = line.values;
  return openKit({ root, plugins, env: line.io.env, cwd: line.io.cwd, daemon });
}

function words(list: string[]): Answer {
  return { kind: "words", words: list };
}

async function wordsFor(what: string, name: string | undefined, kit: () => Promise<Kit>): Promise<string[]> {
  switch (what) {
    case "commands":
      return commandNames();
    case "flags": {
      const entry = name ? COMMANDS[name] : undefined;
      return entry ? flagWords(((await entry.load()).default.args ?? {}) as ArgsDef) : [];
    }
    case "daemons":
      return (await kit()).registry.plugins.map(({ plugin }) => plugin.name);
    case "instances": {
      const session = await kit();
      const target = name ? session.target(name) : undefined;
      return target?.plugin.instances ? target.plugin.instances.list(target.ctx) : [];
    }
    case "keys":
      // A `*` stands for a name of the user's choosing: nothing to complete there.
      return name
        ? (await listKeys(await kit(), { daemon: name })).keys.map((k) => k.key).filter((k) => !k.includes("*"))
        : [];
    default:
      return [];
  }
}
