import type { ConsolaInstance } from "consola";
import type { Issue } from "../core/errors.ts";
import { redactValue } from "../core/redact.ts";

/** Where the CLI writes, and how: the one place that knows about terminals. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** stdout is a terminal and NO_COLOR is not set. */
  color: boolean;
  /** All of stdin, for `kitcfg apply -`; absent where there is none to read. */
  stdin?: () => Promise<string>;
}

/** Writes for one command run; every string passes through `redact` first. */
export interface Output {
  io: CliIO;
  json: boolean;
  /** Print one JSON document on stdout (the whole output of a `--json` run). */
  data(value: unknown): void;
  /** A line on stdout. */
  line(text: string): void;
  success(text: string): void;
  info(text: string): void;
  warn(text: string): void;
  error(text: string): void;
  /** A unified diff, coloured on a terminal. */
  diff(text: string): void;
  /** `text` with every secret value known so far replaced. */
  redact(text: string): string;
}

/**
 * Make the output of one run. `redact` is consulted at write time, so it sees secrets
 * met late in the run. On a terminal, status lines go through consola's fancy reporter;
 * elsewhere they are plain lines with no colour codes.
 */
export async function createOutput(io: CliIO, json: boolean, redact: () => (text: string) => string): Promise<Output> {
  const paint = (code: number, text: string) => (io.color ? `\u001B[${code}m${text}\u001B[39m` : text);
  const out = (text: string) => io.stdout(redact()(text));
  const err = (text: string) => io.stderr(redact()(text));
  // consola costs start-up time (~8 ms), so only a terminal, where a person waits anyway, loads it.
  const fancy = io.color ? await terminalLogger(out, err) : undefined;
  const status = (kind: "success" | "info" | "warn" | "error", icon: string, text: string) => {
    if (fancy) fancy[kind](text);
    else (kind === "warn" || kind === "error" ? err : out)(`${icon} ${text}\n`);
  };
  return {
    io,
    json,
    // Redacted as a value, not as text, so the JSON stays valid whatever the secrets are.
    data: (value) => io.stdout(`${formatJson(redactValue(value, redact()), 2)}\n`),
    line: (text) => out(`${text}\n`),
    success: (text) => (json ? undefined : status("success", "✔", text)),
    info: (text) => (json ? undefined : status("info", "ℹ", text)),
    warn: (text) => status("warn", "⚠", text),
    error: (text) => status("error", "✖", text),
    redact: (text) => redact()(text),
    diff: (text) => {
      if (!io.color) return out(text);
      const colored = text.replace(/^([-+@].*)$/gm, (line) => {
        if (line.startsWith("@@")) return paint(36, line);
        if (line.startsWith("---") || line.startsWith("+++")) return `\u001B[1m${line}\u001B[22m`;
        return paint(line.startsWith("+") ? 32 : 31, line);
      });
      out(colored);
    },
  };
}

/** One line for an issue: `key: message` (`file: message` for a whole-file issue). */
export function formatIssue(issue: Issue): string {
  const where = issue.key !== "" ? `"${issue.key}": ` : "";
  return `${where}${issue.message}`;
}

/** A value as JSON text, bigints included (`JSON.stringify` throws on them). */
export function formatJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, jsonReplacer, indent);
}

/** Remove ANSI colour codes (citty colours its usage text by itself). */
export function stripAnsi(text: string): string {
  return text.replace(/\u001B\[[0-9;]*m/g, "");
}

/** A plain text table: columns padded to their widest cell. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n");
}

// --- internal ---

async function terminalLogger(out: (text: string) => void, err: (text: string) => void): Promise<ConsolaInstance> {
  const { createConsola } = await import("consola");
  // `fancy` is accepted by consola's main entry though its option type does not list it.
  return createConsola({
    ...({ fancy: true } as object),
    stdout: { write: (text: string) => (out(text), true) } as unknown as NodeJS.WriteStream,
    stderr: { write: (text: string) => (err(text), true) } as unknown as NodeJS.WriteStream,
    formatOptions: { colors: true, date: false, compact: true },
  });
}

/** A TOML integer beyond 2^53 (a uint64 in a daemon's file) is printed with every digit. */
function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON(String(value)) : value;
}
