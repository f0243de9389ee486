#!/usr/bin/env bun
import type { CommandDef } from "citty";
import { isTerminal, writeFd } from "./core/_fs.ts";
import { nearestName } from "./core/_nearest.ts";
import { exitCodeOf, KitcfgError, ValidationError } from "./core/errors.ts";
import type { Kit } from "./core/kit.ts";
import { assertKnownArgs } from "./cli/args.ts";
import { parseCommandArgs } from "./cli/parse.ts";
import type { CommandData } from "./cli/command.ts";
import { COMMANDS } from "./cli/commands/index.ts";
import { createOutput, stripAnsi, table } from "./present/output.ts";
import type { CliIO, Output } from "./present/output.ts";
import { COMMIT, VERSION } from "./cli/version.ts";

export type { CliIO } from "./present/output.ts";

export { COMMIT, VERSION } from "./cli/version.ts";

/**
 * Run kitcfg with `argv` (without the program name) and return the exit code: 0 ok,
 * 1 invalid or nothing matched, 2 usage, 3 I/O or lock, 70 internal error. Never exits
 * the process and never throws.
 */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const { args, missingValue } = hoistGlobalFlags(argv);
  const json = switchOn(args, "--json");
  const colorMode = flagValue(args, "--color");
  const streams = withColor(io, colorMode);
  let kit: Kit | undefined;
  const quiet = switchOn(args, "-q", "--quiet");
  const out = createOutput(streams, { json, quiet }, () => kit?.redact ?? ((text) => text));
  try {
    if (missingValue) {
      throw new KitcfgError("USAGE", `Option "${missingValue}" needs a value`, {
        hint: `Example: kitcfg ${missingValue} ${GLOBAL_FLAGS[missingValue]!.example} status`,
      });
    }
    if (colorMode !== undefined && !COLOR_MODES.includes(colorMode)) {
      throw new KitcfgError(
        "USAGE",
        `--color needs one of ${COLOR_MODES.join(", ")}, got ${JSON.stringify(colorMode)}`,
      );
    }
    // Global flags alone are no command: the usage, as for `kitcfg` alone.
    const [name, ...rest] = isGlobalFlag(args[0]) ? [] : args;
    // `kitcfg --help edit` asks about edit, as `kitcfg help edit` does.
    if ((name === "--help" || name === "-h") && firstWord(rest)) {
      return (out.line(await commandUsage(firstWord(rest)!, streams)), 0);
    }
    if (name === undefined && json) {
      throw new KitcfgError("USAGE", "No command given", { hint: "See `kitcfg --help` for the commands" });
    }
    if (name === undefined || name === "--help" || name === "-h" || (name === "help" && !firstWord(rest))) {
      out.line(topUsage(streams));
      return name === undefined ? 2 : 0;
    }
    if (name === "--version" || name === "-v") {
      if (json) out.data({ version: VERSION, commit: COMMIT });
      else out.line(`kitcfg ${VERSION} (commit ${COMMIT})`);
      return 0;
    }
    // `kitcfg help help`: how to ask for help is the usage's last line.
    if (name === "help" && firstWord(rest) === "help") return (out.line(topUsage(streams)), 0);
    if (name === "help") return (out.line(await commandUsage(firstWord(rest)!, streams)), 0);
    const command = await loadCommand(name);
    if (hasFlag(rest, "--help") || hasFlag(rest, "-h")) {
      out.line(await commandUsage(name, streams));
      return 0;
    }
    assertKnownArgs(name, rest, (command.args ?? {}) as never);
    const data: CommandData = {
      out,
      // The session (and every plugin with it) loads only for commands that use one.
      kit: async (daemon) =>
        (kit ??= await (await import("./core/kit.ts")).openKit({
          daemon,
          root: flagValue(rest, "--root"),
          plugins: flagValue(rest, "--plugins"),
          env: io.env,
          cwd: io.cwd,
          lockTimeoutMs: lockTimeout(flagValue(rest, "--lock-timeout")),
          command: ["kitcfg", ...argv].join(" "),
        })),
    };
    const parsed = parseCommandArgs(rest, (command.args ?? {}) as never, name);
    const result = await command.run!({ rawArgs: rest, args: parsed as never, data, cmd: command });
    return typeof result === "number" ? result : 0;
  } catch (error) {
    return report(out, error);
  }
}

// --- internal ---

const COLOR_MODES = ["auto", "always", "never"];

/** Flags every command takes, so they may also come before the command: `kitcfg --root X status`. */
const GLOBAL_FLAGS: Record<string, { takesValue: boolean; example?: string }> = {
  "--json": { takesValue: false },
  "--root": { takesValue: true, example: "/srv/node1" },
  "--plugins": { takesValue: true, example: "~/.config/kitcfg/plugins" },
  "--lock-timeout": { takesValue: true, example: "30" },
  "--color": { takesValue: true, example: "never" },
  "--quiet": { takesValue: false },
  "-q": { takesValue: false },
};

/**
 * Move global flags given before the command to just after its name, where the command's
 * own parser expects them. `--help` and `--version` stay first: they are the command then,
 * and so does any other flag, refused as an unknown option. `missingValue` is a flag
 * that takes a value given last, with none.
 */
function hoistGlobalFlags(argv: readonly string[]): { args: string[]; missingValue?: string } {
  const globals: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("-") || ["--help", "-h", "--version", "-v"].includes(arg)) break;
    const flag = GLOBAL_FLAGS[arg.split("=")[0]!];
    if (!flag) break;
    globals.push(arg);
    if (flag.takesValue && !arg.includes("=")) {
      if (i + 1 >= argv.length) return { args: globals, missingValue: arg };
      globals.push(argv[++i]!);
    }
  }
  if (i >= argv.length) return { args: [...globals] };
  return { args: [argv[i]!, ...globals, ...argv.slice(i + 1)] };
}

/** The IO with colour decided per stream by `--color`: auto leaves each stream's own terminal test. */
function withColor(io: CliIO, mode: string | undefined): CliIO {
  if (mode !== "always" && mode !== "never") return io;
  // Over `io`, not a copy of it: copying would ask its (lazy) terminal tests now.
  const on = { value: mode === "always" };
  return Object.create(io, { color: on, stderrColor: on }) as CliIO;
}

async function loadCommand(name: string): Promise<CommandDef> {
  const entry = COMMANDS[name];
  if (!entry) {
    const near = nearestName(
      name,
      Object.keys(COMMANDS).filter((n) => !COMMANDS[n]!.hidden),
    );
    if (name.startsWith("-")) {
      throw new KitcfgError("USAGE", `Unknown option "${name.split("=")[0]}" before the command`, {
        hint: `Before the command go ${Object.keys(GLOBAL_FLAGS).join(", ")}; see \`kitcfg --help\``,
      });
    }
    throw new KitcfgError("USAGE", `Unknown command "${name}"${near ? `: did you mean "${near}"?` : ""}`, {
      hint: "See `kitcfg --help`",
    });
  }
  return (await entry.load()).default as CommandDef;
}

/** A command's help: citty's usage, then examples. */
async function commandUsage(name: string, io: CliIO): Promise<string> {
  const command = await loadCommand(name);
  const examples = COMMANDS[name]!.examples ?? [];
  // citty renders help only: parsing is ours, so a command does not load it.
  const { renderUsage } = await import("citty");
  // Under the program's name, so the usage line reads as a command to type: `kitcfg set <DAEMON> ...`.
  // citty pads its columns with blanks: none is left at a line's end.
  const text = (await renderUsage(command, { meta: { name: "kitcfg" } })).replace(/[ \t]+$/gm, "").trimEnd();
  return usageText(examples.length ? `${text}\n\nExamples:\n${examples.map((e) => `  ${e}`).join("\n")}` : text, io);
}

/** The first argument that is neither a flag nor a global flag's value: the command `help` is asked about. */
function firstWord(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("-")) return arg;
    if (GLOBAL_FLAGS[arg.split("=")[0]!]?.takesValue && !arg.includes("=")) i++;
  }
  return undefined;
}

function isGlobalFlag(arg: string | undefined): boolean {
  return arg !== undefined && GLOBAL_FLAGS[arg.split("=")[0]!] !== undefined;
}

function report(out: Output, error: unknown): number {
  if (error instanceof KitcfgError || isCittyError(error)) {
    const known = error instanceof KitcfgError ? error : new KitcfgError("USAGE", stripAnsi((error as Error).message));
    let unwritten: KitcfgError | undefined;
    if (out.json) {
      const issues = known instanceof ValidationError ? known.issues : undefined;
      try {
        out.data({
          error: {
            code: known.code,
            message: known.message,
            hint: known.hint,
            file: known.file,
            key: known.key,
            issues,
          },
        });
      } catch (failure) {
        // The JSON document a script waits for is lost (a full disk behind stdout): said on stderr, exit 3.
        if (!(failure instanceof KitcfgError)) throw failure;
        unwritten = failure;
      }
    }
    for (const line of known.message.split("\n")) out.error(line);
    if (known.hint) out.io.stderr(`  ${known.hint}\n`);
    if (unwritten) out.error(unwritten.message);
    return exitCodeOf(unwritten ?? known);
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  out.error(`Internal error, a bug in kitcfg; please report it with this output:\n${detail}`);
  return exitCodeOf(error);
}

function isCittyError(error: unknown): boolean {
  return error instanceof Error && error.name === "CLIError";
}

function hasFlag(args: readonly string[], flag: string): boolean {
  const end = args.indexOf("--");
  return (end === -1 ? args : args.slice(0, end)).includes(flag);
}

/**
 * A switch as the command's parser reads it (`--json`, `--json=true`, `--json=false`,
 * `--no-json`; the last one wins), so that the output's form agrees with the command's.
 */
function switchOn(args: readonly string[], ...flags: string[]): boolean {
  let on = false;
  for (const arg of args) {
    if (arg === "--") break;
    for (const flag of flags) {
      if (arg === flag || arg === `${flag}=true`) on = true;
      else if (arg === `${flag}=false` || arg === `--no-${flag.replace(/^-+/, "")}`) on = false;
    }
  }
  return on;
}

function flagValue(args: readonly string[], flag: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--") break;
    if (args[i] === flag) value = args[++i];
    else if (args[i]!.startsWith(`${flag}=`)) value = args[i]!.slice(flag.length + 1);
  }
  return value;
}

function lockTimeout(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  // Number("") is 0: an empty value (an unset variable) would give up at once instead of waiting.
  const seconds = text.trim() === "" ? Number.NaN : Number(text);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new KitcfgError("USAGE", `--lock-timeout needs a number of seconds, got ${JSON.stringify(text)}`);
  }
  return seconds * 1000;
}

function topUsage(io: CliIO): string {
  const rows = Object.entries(COMMANDS)
    .filter(([, entry]) => !entry.hidden)
    .map(([name, { summary }]) => [`  ${name}`, summary]);
  return usageText(
    [
      `kitcfg ${VERSION}: configure the daemons around an IPFS node`,
      "",
      "Usage: kitcfg <command> [options]",
      "",
      "Commands:",
      table(rows),
      "",
      "Every command takes --json, --root DIR, --plugins DIR, --lock-timeout SECONDS,",
      "--color auto|always|never, -q/--quiet and --help; these may also come before the command.",
      "`kitcfg help COMMAND` shows a command's help.",
      "Example: kitcfg update huggingface --set offline=true",
    ].join("\n"),
    io,
  );
}

function usageText(text: string, io: CliIO): string {
  return io.color ? text : stripAnsi(text);
}

/**
 * The process as kitcfg's IO. `process.stdout` is not touched unless a write must wait:
 * building that stream costs about 10 ms of start-up (measured on the compiled binary),
 * more than the rest of a `validate`; plain writes to fds 1 and 2 cost next to nothing.
 * Whether a stream is a terminal is asked when colour is first wanted: a `get` never asks.
 */
function processIO(): CliIO {
  let color: boolean | undefined;
  let stderrColor: boolean | undefined;
  let interactive: boolean | undefined;
  return {
    stdout: (text) => writeStdout(text),
    stderr: writeStderr,
    env: process.env,
    cwd: process.cwd(),
    get color() {
      color ??= colorAllowed() && isTerminal(1);
      return color;
    },
    get stderrColor() {
      stderrColor ??= colorAllowed() && isTerminal(2);
      return stderrColor;
    },
    get interactive() {
      interactive ??= isTerminal(0);
      return interactive;
    },
    stdin: () => Bun.stdin.text(),
  };
}

function colorAllowed(): boolean {
  return !process.env.NO_COLOR && process.env.TERM !== "dumb";
}

/**
 * Write to stderr, where messages go: a stderr that cannot take them (a full disk behind
 * `2>>log`) has no one left to tell, and must not turn the command's own outcome, a write
 * done or refused, into a crash.
 */
function writeStderr(text: string): void {
  try {
    writeFd(2, Buffer.from(text));
  } catch {
    // nowhere left to say it
  }
}

let stdoutClosed = false;
let stdoutAsync = false;

/**
 * Write to stdout synchronously, so that a reader that has gone (EPIPE, as with `| head`)
 * is seen here and kitcfg stays quiet instead of dying on an async write error. A
 * non-blocking stdout (EAGAIN) falls back to the stream, which waits for the reader.
 */
function writeStdout(text: string): void {
  if (stdoutClosed) return;
  if (stdoutAsync) return void process.stdout.write(text);
  const bytes = Buffer.from(text);
  try {
    const outcome = writeFd(1, bytes);
    if (outcome.kind === "closed") stdoutClosed = true;
    else if (outcome.kind === "again") {
      stdoutAsync = true;
      process.stdout.write(bytes.subarray(outcome.offset));
    }
  } catch (error) {
    // A full disk or a broken device behind stdout is an I/O failure (exit 3), said once on stderr.
    stdoutClosed = true;
    throw new KitcfgError("IO_FAILED", `Cannot write the output: ${(error as Error).message.replace(/, write$/, "")}`, {
      cause: error,
    });
  }
}

if (import.meta.main) process.exitCode = await run(process.argv.slice(2), processIO());
