/**
 * Every error kitcfg means to show a user is a `KitcfgError`: a `code`, a one-line
 * `message`, and optional `hint`, `file` and `key`. Anything else reaching an interface is
 * a bug and is shown as one, with its stack.
 */

/** What went wrong, as a stable string that scripts and MCP clients can match on. */
export type ErrorCode =
  | "USAGE"
  | "UNKNOWN_DAEMON"
  | "UNKNOWN_KEY"
  | "INVALID_KEY"
  | "INVALID_VALUE"
  | "INVALID_CONFIG"
  | "NOT_FOUND"
  /** A secret asked for in clear without saying so (`kitcfg get` without `--reveal`). */
  | "SECRET"
  /** Work stopped on the user's word (`kitcfg edit`: the editor failed, or removed or emptied the file). */
  | "CANCELLED"
  | "PARSE_FAILED"
  | "EDIT_FAILED"
  | "PLUGIN_LOAD_FAILED"
  | "PLUGIN_CONFLICT"
  | "PLUGIN_FAILED"
  | "LOCKED"
  | "IO_FAILED"
  | "INTERNAL";

/**
 * Exit codes of the CLI, one meaning each (the README's table): 0 ok; 1 a value refused,
 * a configuration invalid, or nothing matched (a daemon not configured, a key with no
 * value); 2 usage: an unknown command, option, daemon or key path; 3 I/O or lock failure,
 * or a file that does not parse; 70 a bug.
 */
export const EXIT_CODES: Readonly<Record<ErrorCode, number>> = {
  USAGE: 2,
  UNKNOWN_DAEMON: 2,
  UNKNOWN_KEY: 2,
  INVALID_KEY: 2,
  INVALID_VALUE: 1,
  INVALID_CONFIG: 1,
  NOT_FOUND: 1,
  SECRET: 1,
  CANCELLED: 1,
  PARSE_FAILED: 3,
  EDIT_FAILED: 3,
  PLUGIN_LOAD_FAILED: 3,
  PLUGIN_CONFLICT: 3,
  PLUGIN_FAILED: 3,
  LOCKED: 3,
  IO_FAILED: 3,
  INTERNAL: 70,
};

export interface KitcfgErrorOptions {
  hint?: string;
  file?: string;
  key?: string;
  cause?: unknown;
}

/** An error meant for a user: its message is printed as is, never with a stack. */
export class KitcfgError extends Error {
  override name = "KitcfgError";
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly file?: string;
  readonly key?: string;

  constructor(code: ErrorCode, message: string, options: KitcfgErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.file = options.file;
    this.key = options.key;
  }
}

/** Text that does not parse in its format; `line` and `column` are 1-based when known. */
export class ParseError extends KitcfgError {
  override name = "ParseError";
  readonly line?: number;
  readonly column?: number;

  constructor(message: string, options: KitcfgErrorOptions & { line?: number; column?: number } = {}) {
    super("PARSE_FAILED", message, options);
    this.line = options.line;
    this.column = options.column;
  }
}

/** One problem found in a configuration, at a dotted key path ("" for the whole file). */
export interface Issue {
  key: string;
  message: string;
  severity: "error" | "warning";
  file?: string;
  /** Set when the issue is a failure with its own exit code (a file that does not parse: `PARSE_FAILED`). */
  code?: ErrorCode;
  /** An issue between daemons (a plugin's `checks`): the daemon, and instance, whose key it is about. */
  daemon?: string;
  /** The environment variables whose values it judges (see `PluginIssue.variables`). */
  variables?: string[];
}

/**
 * A name the user gave, quoted for a message: cut after 80 characters, so that a message
 * stays a line however long the name (a client may send megabytes).
 */
export function quotedName(name: string): string {
  return JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
}

/**
 * An issue as one phrase: `"key": message`, or the message alone for an issue of a whole
 * file (key ""). `note` goes after the key, or after the message when there is none.
 */
export function issueText(issue: Pick<Issue, "key" | "message">, note = ""): string {
  return issue.key === "" ? `${issue.message}${note}` : `"${issue.key}"${note}: ${issue.message}`;
}

/** A configuration that a change would leave invalid: carries every issue found. */
export class ValidationError extends KitcfgError {
  override name = "ValidationError";
  readonly issues: Issue[];

  constructor(message: string, issues: Issue[], options: KitcfgErrorOptions = {}) {
    super("INVALID_VALUE", message, options);
    this.issues = issues;
  }
}

/** The exit code for any thrown value: a `KitcfgError`'s table entry, else internal error. */
export function exitCodeOf(error: unknown): number {
  return error instanceof KitcfgError ? EXIT_CODES[error.code] : EXIT_CODES.INTERNAL;
}

/** 1-based line and column of a character offset in `text`. */
export function locate(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}
