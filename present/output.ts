import { issueText } from "../core/errors.ts";
import type { Issue } from "../core/errors.ts";
import { redactValue } from "../core/redact.ts";

/** Where the CLI writes, and how: the one place that knows about terminals. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Colour on stdout: it is a terminal and NO_COLOR is not set (or `--color=always`). */
  color: boolean;
  /** All of stdin, for `kitcfg complete line`; absent where there is none to read. */
  stdin?: () => Promise<string>;
  /** Colour on stderr, decided by stderr's own terminal; default: as `color`. */
  stderrColor?: boolean;
  /** stdin is a terminal (a person can answer a question, as `kitcfg edit` asks one). */
  interactive?: boolean;
}

/** How a run prints, from `--color` and `-q`. */
export interface OutputOptions {
  json: boolean;
  /** `-q`: no success or info lines; warnings, errors and requested data still print. */
  quiet?: boolean;
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
 * met late in the run. Status lines carry an icon, coloured only on a stream whose own
 * terminal allows it: `kitcfg status 2>log` keeps colour on stdout and none in the log.
 */
export function createOutput(io: CliIO, options: OutputOptions, redact: () => (text: string) => string): Output {
  const { json, quiet = false } = options;
  // Each stream's terminal test is asked at the first paint, not here (see cli.ts processIO).
  const paintOn = (on: () => boolean) => (code: number, text: string) =>
    on() ? `\u001B[${code}m${text}\u001B[39m` : text;
  const paint = paintOn(() => io.color);
  const paintErr = paintOn(() => io.stderrColor ?? io.color);
  const out = (text: string) => io.stdout(redact()(text));
  const err = (text: string) => io.stderr(redact()(text));
  return {
    io,
    json,
    // Redacted as a value, not as text, so the JSON stays valid whatever the secrets are.
    data: (value) => io.stdout(`${formatJson(redactValue(value, redact()), 2)}\n`),
    line: (text) => out(`${text}\n`),
    success: (text) => (json || quiet ? undefined : out(`${paint(32, "✔")} ${text}\n`)),
    info: (text) => (json || quiet ? undefined : out(`${paint(36, "ℹ")} ${text}\n`)),
    warn: (text) => err(`${paintErr(33, "⚠")} ${text}\n`),
    error: (text) => err(`${paintErr(31, "✖")} ${text}\n`),
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

/** One line for an issue: `"key": message`, or the message alone for a whole-file issue. */
export function formatIssue(issue: Issue): string {
  return issueText(issue);
}

/**
 * A line about the daemon `label`: `label: text`, unless the text's first clause names it
 * already ("Cannot parse s3's …", "Cannot apply ipfs: …"), which reads better alone.
 */
export function aboutDaemon(label: string, text: string): string {
  const head = text.slice(0, text.indexOf(": ") === -1 ? text.length : text.indexOf(": ") + 1);
  for (let at = head.indexOf(label); at !== -1; at = head.indexOf(label, at + 1)) {
    const before = at === 0 ? " " : head[at - 1]!;
    const after = head[at + label.length] ?? " ";
    if (' "'.includes(before) && ` :,"'`.includes(after)) return text;
  }
  return `${label}: ${text}`;
}

/** A value as JSON text, bigints included (`JSON.stringify` throws on them). */
export function formatJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, jsonReplacer, indent);
}

/** `word` as a POSIX shell reads it back: bare when it holds nothing the shell treats specially, else in '...'. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Remove ANSI colour codes (citty colours its usage text by itself). */
export function stripAnsi(text: string): string {
  return text.replace(/\u001B\[[0-9;]*m/g, "");
}

/** A plain text table: columns padded to their widest cell. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

// --- internal ---

/** A TOML integer beyond 2^53 (a uint64 in a daemon's file) is printed with every digit. */
function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint"
    ? (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON(String(value))
    : value;
}
