#!/usr/bin/env bun
import { fstatSync, writeSync } from "node:fs";
import { nearestName } from "./core/_nearest.ts";
import { exitCodeOf, KitcfgError, ValidationError } from "./core/errors.ts";
import type { Kit } from "./core/kit.ts";
import { assertKnownArgs } from "./cli/args.ts";
import { parseCommandArgs } from "./cli/parse.ts";
import type { CommandData } from "./cli/command.ts";
import { COMMANDS } from "./cli/commands/index.ts";
import { createOutput, stripAnsi, table } from "./cli/output.ts";
import type { CliIO, Output } from "./cli/output.ts";

export type { CliIO } from "./cli/output.ts";

/** kitcfg's version, printed by `--version`. */
export const VERSION = "0.1.0";

/**
 * Run kitcfg with `argv` (without the program name) and return the exit code: 0 ok,
 * 1 invalid or nothing matched, 2 usage, 3 I/O or lock, 70 internal error. Never exits
 * the process and never throws.
 */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const json = hasFlag(argv, "--json");
  let kit: Kit | undefined;
  const out = await createOutput(io, json, () => kit?.redact ?? ((text) => text));
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === "--help" || name === "-h" || name === "help") {
      out.line(topUsage(io));
      return name === undefined ? 2 : 0;
    }
    if (name === "--version" || name === "-v") return out.line(VERSION), 0;
    const entry = COMMANDS[name];
    if (!entry) {
      const near = nearestName(name, Object.keys(COMMANDS));
      throw new KitcfgError("USAGE", `Unknown command "${name}"${near ? `: did you mean "${near}"?` : ""}`, { hint: "See `kitcfg --help`" });
    }
    const command = (await entry.load()).default;
    if (hasFlag(rest, "--help") || hasFlag(rest, "-h")) {
      // citty renders help only: parsing is ours, so a command does not load it.
      const { renderUsage } = await import("citty");
      out.line(usageText(await renderUsage(command), io));
      return 0;
    }
    assertKnownArgs(name, rest, (command.args ?? {}) as never);
    const data: CommandData = {
      out,
      // The session (and every plugin with it) loads only for commands that use one.
      kit: async (daemon) => (kit ??= await (await import("./core/kit.ts")).openKit({
        daemon,
        root: flagValue(rest, "--root"),
        env: io.env,
        cwd: io.cwd,
        lockTimeoutMs: lockTimeout(flagValue(rest, "--lock-timeout")),
        command: ["kitcfg", ...argv].join(" "),
      })),
    };
    const args = parseCommandArgs(rest, (command.args ?? {}) as never);
    const result = await command.run!({ rawArgs: rest, args: args as never, data, cmd: command });
    return typeof result === "number" ? result : 0;
  } catch (error) {
    return report(out, error);
  }
}

// --- internal ---

function report(out: Output, error: unknown): number {
  if (error instanceof KitcfgError || isCittyError(error)) {
    const known = error instanceof KitcfgError ? error : new KitcfgError("USAGE", stripAnsi((error as Error).message));
    if (out.json) {
      const issues = known instanceof ValidationError ? known.issues : undefined;
      out.data({ error: { code: known.code, message: known.message, hint: known.hint, file: known.file, key: known.key, issues } });
    }
    for (const line of known.message.split("\n")) out.error(line);
    if (known.hint) out.io.stderr(`  ${known.hint}\n`);
    return exitCodeOf(known);
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
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new KitcfgError("USAGE", `--lock-timeout needs a number of seconds, got ${JSON.stringify(text)}`);
  }
  return seconds * 1000;
}

function topUsage(io: CliIO): string {
  const rows = Object.entries(COMMANDS).map(([name, { summary }]) => [`  ${name}`, summary]);
  return usageText(
    [
      `kitcfg ${VERSION}: configure the daemons around an IPFS node`,
      "",
      "Usage: kitcfg <command> [options]",
      "",
      "Commands:",
      table(rows),
      "",
      "Every command takes --json, --root DIR and --help.",
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
 */
function processIO(): CliIO {
  return {
    stdout: (text) => writeStdout(text),
    stderr: (text) => void writeSync(2, text),
    env: process.env,
    cwd: process.cwd(),
    color: !process.env.NO_COLOR && process.env.TERM !== "dumb" && isTerminal(1),
  };
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
  let offset = 0;
  try {
    while (offset < bytes.length) offset += writeSync(1, bytes, offset);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EPIPE") stdoutClosed = true;
    else if (code === "EAGAIN") {
      stdoutAsync = true;
      process.stdout.write(bytes.subarray(offset));
    } else throw error;
  }
}

/**
 * Whether a file descriptor is a terminal, without node:tty (a module load of a few ms):
 * a terminal is a character device, and of those, /dev/null and friends have other device
 * numbers. Linux terminals are majors 4, 5 and 136-143 (the kernel's devices.txt);
 * elsewhere node:tty decides.
 */
function isTerminal(fd: number): boolean {
  try {
    const stat = fstatSync(fd);
    if (!stat.isCharacterDevice()) return false;
    if (process.platform !== "linux") return require("node:tty").isatty(fd);
    const major = Math.floor(stat.rdev / 256) & 0xfff;
    return major === 4 || major === 5 || (major >= 136 && major <= 143);
  } catch {
    return false;
  }
}

if (import.meta.main) process.exitCode = await run(process.argv.slice(2), processIO());
