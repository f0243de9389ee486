import { asRead } from "./_read-as-daemon.ts";
import { lineBreakIssues } from "./_output-values.ts";
import { ValidationError } from "./errors.ts";
import type { Issue } from "./errors.ts";
import { loadFileFormat } from "./formats/index.ts";
import { ownListenIssues } from "./listens.ts";
import { deepEqual, formatKeyPath, lookupPath } from "./keypath.ts";
import type { Config } from "./plugin.ts";
import { redactText, secretsOf } from "./redact.ts";
import { schemaIssues } from "./schema.ts";
import { fileContent } from "./snapshot.ts";
import type { Snapshot } from "./snapshot.ts";
import { callPlugin, commandWords, skippedInstancesIssue } from "./target.ts";
import type { Target, TargetFile } from "./target.ts";

/**
 * Every issue with `config` for `target`: the schema's, then the plugin's own checks.
 * Each issue names its key path and the file that holds the key.
 */
export async function validateConfig(target: Target, written: Config): Promise<Issue[]> {
  const { config, issues: spelling, undecodable } = await asRead(target, written);
  // Objects and lists are named as the main file's format names them ("a table" in TOML).
  const main = target.files.find((file) => file.main);
  const nouns = main && (await loadFileFormat(main.spec)).nouns;
  // The schema is the plugin's code too (a `v.check` may throw): its failure is the plugin's error.
  const unread = target.plugin.unread;
  const skipped = unread ? await callPlugin(target.loaded, "unread", () => unread(config, target.ctx)) : [];
  const read = (key: string) => !skipped.some((path) => key === path || key.startsWith(`${path}.`));
  const fromSchema = callPlugin(target.loaded, "schema", () =>
    schemaIssues(target.plugin.schema, config, nouns).filter((issue) => read(issue.key)),
  );
  const issues = [...fromSchema, ...spelling, ...lineBreakIssues(target, config)];
  const validate = target.plugin.validate;
  if (validate) {
    try {
      const own = await callPlugin(target.loaded, "validate", () => validate(config, target.ctx));
      for (const issue of own)
        issues.push({
          key: issue.key,
          message: issue.message,
          severity: issue.severity ?? "error",
          ...(issue.variables?.length ? { variables: [...issue.variables] } : {}),
        });
    } catch (error) {
      // A plugin check may trip over a value the schema already refused; that issue says enough.
      if (!issues.some((i) => i.severity === "error")) throw error;
    }
  }
  // A member Go cannot decode, said where nothing else already says why that key stops the daemon.
  const refused = new Set(issues.filter((i) => i.severity === "error").map((i) => i.key));
  issues.push(...undecodable.filter((issue) => !refused.has(issue.key)));
  issues.push(...ownClashes(target, config, issues));
  return dedupe(issues).map((issue) => ({ ...issue, file: fileOfKey(target, issue.key) }));
}

/** A file holding secrets whose mode lets others read it, and the mode it should have. */
export interface ExposedFile {
  path: string;
  /** Its permission bits now. */
  mode: number;
  /** Its permission bits without what the plugin's mode does not allow group and others. */
  wanted: number;
}

/**
 * The files of `snapshot` that hold a secret and are readable by more than the plugin's mode
 * allows (0600 when it gives none; 0640 lets the daemon's group read the file, no more). A
 * file that may hold secrets but holds none (a daemon's own 0644 default) exposes nothing.
 */
export function exposedFiles(snapshot: Snapshot): ExposedFile[] {
  // The secrets (a walk of the whole configuration) only where a secret file's mode lets others in.
  let secrets: string[] | undefined;
  const exposed: ExposedFile[] = [];
  for (const snap of snapshot.files) {
    if (snap.text === undefined || snap.mode === undefined || !snap.file.secret) continue;
    const denied = 0o077 & ~((snap.file.spec.mode ?? 0o600) & 0o077);
    const mode = snap.mode & 0o777;
    if ((mode & denied) === 0) continue;
    secrets ??= secretsOf(snapshot.target, snapshot.config);
    if (secrets.some((secret) => snap.text!.includes(secret)))
      exposed.push({ path: snap.file.path, mode, wanted: mode & ~denied });
  }
  return exposed;
}

/** A setting the main file holds at the key another file is mounted at. */
export interface MisplacedMount {
  /** The dotted key path (the mount). */
  key: string;
  /** The main file's path. */
  from: string;
  /** The path of the file the daemon reads the key from. */
  to: string;
  /** That file exists: its value is the one read, and the main file's is never seen. */
  shadowed: boolean;
}

/**
 * Keys the main file holds where another file is mounted (a token the older tool merged into
 * Hugging Face's config.json): the daemon reads such a key from its own file only.
 */
export function misplacedMounts(snapshot: Snapshot): MisplacedMount[] {
  const main = snapshot.files.find((f) => f.file.main);
  if (!main || main.raw === undefined || main.error) return [];
  return snapshot.files
    .filter(({ file, error }) => file.mount.length > 0 && !file.spec.derive && !error)
    .filter(({ file }) => lookupPath(main.raw, file.mount) !== undefined)
    .map(({ file, text }) => ({
      key: formatKeyPath(file.mount),
      from: main.file.path,
      to: file.path,
      shadowed: text !== undefined,
    }));
}

/**
 * Issues of the files themselves, beyond their content: files that do not parse, secret
 * files readable by others; and names found where the instances live that were skipped as
 * no instance name. Derived files are `derivedFileIssues`'.
 */
export async function fileIssues(snapshot: Snapshot): Promise<Issue[]> {
  const { target } = snapshot;
  const skipped = skippedInstancesIssue(target);
  const issues: Issue[] = skipped ? [skipped] : [];
  for (const snap of snapshot.files) {
    if (snap.error) issues.push({ key: "", message: snap.error.message, severity: "error", file: snap.file.path });
    else if (snap.text !== undefined) {
      issues.push(
        ...(await skippedLineIssues(snap.file, snap.text)),
        ...(await unreadTextIssues(snap.file, snap.text)),
      );
    }
  }
  const repair = `kitcfg repair ${commandWords(target.plugin.name, target.instance)}`;
  for (const { key, from, to, shadowed } of misplacedMounts(snapshot)) {
    const fix = shadowed
      ? `which holds its own; \`${repair}\` removes it`
      : `which is missing; \`${repair}\` moves it there`;
    issues.push({
      key,
      message: `is in ${from}, where ${target.plugin.name} never reads it: it reads ${to}, ${fix}`,
      severity: "warning",
      file: from,
    });
  }
  for (const exposed of exposedFiles(snapshot)) issues.push(exposedIssue(snapshot.target, exposed, "error"));
  return issues;
}

/** The issue of a secret file others may read: `validate`'s error, the warning of a write that keeps its mode. */
export function exposedIssue(target: Target, exposed: ExposedFile, severity: Issue["severity"]): Issue {
  const { path, mode, wanted } = exposed;
  const repair = `kitcfg repair ${commandWords(target.plugin.name, target.instance)}`;
  return {
    key: "",
    message:
      `${path} holds secrets but is readable by others (mode ${mode.toString(8)}); ` +
      `run chmod ${wanted.toString(8)} on it (\`${repair}\` does)`,
    severity,
    file: path,
  };
}

/**
 * Derived files (an env file written from the configuration) that are missing or disagree
 * with the configuration, which `kitcfg configure` rewrites. Asked only of a configuration
 * without errors: one with errors cannot be written, so configure could not rewrite them, and
 * the error to fix is the configuration's own.
 */
export async function derivedFileIssues(snapshot: Snapshot): Promise<Issue[]> {
  const { target } = snapshot;
  const issues: Issue[] = [];
  if (!snapshot.configured) return issues;
  for (const snap of snapshot.files) {
    if (!snap.file.spec.derive || snap.error) continue;
    const expected = fileContent(target, snap.file, snapshot.config, snap.raw);
    const format = await loadFileFormat(snap.file.spec);
    if (snap.text === undefined || !deepEqual(format.parse(snap.text), expected)) {
      issues.push({
        key: "",
        message:
          `${snap.file.path} ${snap.text === undefined ? "is missing" : "disagrees with the configuration"}; ` +
          `run \`kitcfg configure ${commandWords(target.plugin.name, target.instance)}\` to rewrite it`,
        severity: "error",
        file: snap.file.path,
      });
    }
  }
  return issues;
}

/**
 * A warning for each line of `text` that the file's reader skips (see `Format.skipped`). The
 * line is named by its number only: it may hold a secret that no key names.
 */
async function skippedLineIssues(file: TargetFile, text: string): Promise<Issue[]> {
  const format = await loadFileFormat(file.spec);
  return (format.skipped?.(text) ?? []).map((line) => ({
    key: "",
    message:
      `line ${line} of ${file.path} is skipped: it is not "key = value", a "[section]" header or a comment, ` +
      "and the daemon ignores it with a warning; fix or remove the line",
    severity: "warning" as const,
    file: file.path,
  }));
}

/**
 * A warning when the daemon leaves text after the file's document unread (`Format.unread`):
 * it starts, but nothing written there is configuration. Named by line only, as it may
 * hold a secret.
 */
async function unreadTextIssues(file: TargetFile, text: string): Promise<Issue[]> {
  const line = (await loadFileFormat(file.spec)).unread?.(text);
  if (line === undefined) return [];
  const message =
    `${file.path} has text after the end of its document (line ${line}), which the daemon ignores; ` +
    "remove it (kitcfg keeps it as it is)";
  return [{ key: "", message, severity: "warning", file: file.path }];
}

/** The issues in `after` that were not already in `before` (same key, same message). */
export function newIssues(before: readonly Issue[], after: readonly Issue[]): Issue[] {
  const isOld = oldIssueTest(before);
  return after.filter((issue) => !isOld(issue));
}

/**
 * Whether an issue was already in `before` (same key, same message), looked up in a set: a
 * file with tens of thousands of bad entries is compared in one pass, not one per pair.
 */
export function oldIssueTest(before: readonly Issue[]): (issue: Issue) => boolean {
  const seen = new Set(before.map(issueIdentity));
  return (issue) => seen.has(issueIdentity(issue));
}

/**
 * The error that refuses a change over `issues`: one line per issue (`describe`), every
 * secret redacted, and each issue's message replaced by its line.
 */
export function refusalError(
  issues: readonly Issue[],
  describe: (issue: Issue) => string,
  secrets: readonly string[],
  hint?: string,
): ValidationError {
  const lines = issues.map((issue) => redactText(describe(issue), secrets));
  return new ValidationError(
    lines.join("\n"),
    issues.map((issue, i) => ({ ...issue, message: lines[i]! })),
    { key: issues[0]?.key, hint },
  );
}

// --- internal ---

/**
 * Two of the daemon's own sockets that clash (`listens`): the second listen fails and the
 * daemon stops, so a configuration that holds them is refused like any other value it refuses.
 */
function ownClashes(target: Target, config: Config, found: readonly Issue[]): Issue[] {
  const listens = target.plugin.listens;
  if (!listens) return [];
  try {
    const listeners = callPlugin(target.loaded, "listens", () => listens(config, target.ctx));
    return ownListenIssues({ label: target.label, listeners });
  } catch (error) {
    // As for `validate`: a hook may trip over a value the schema already refused.
    if (!found.some((i) => i.severity === "error")) throw error;
    return [];
  }
}

function issueIdentity(issue: Issue): string {
  return `${issue.key}\u0000${issue.message}`;
}

function fileOfKey(target: Target, key: string): string | undefined {
  const path = key === "" ? [] : key.split(".");
  const mounted = target.files.find(
    (f) => !f.spec.derive && f.mount.length > 0 && f.mount.every((segment, i) => path[i] === segment),
  );
  return (mounted ?? target.files.find((f) => f.main))?.path;
}

function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const id = `${issue.key}\0${issue.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
