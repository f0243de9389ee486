import { unifiedDiff } from "./diff.ts";
import { KitcfgError } from "./errors.ts";
import type { Issue } from "./errors.ts";
import { loadFormat } from "./formats/index.ts";
import type { FormatStyle } from "./formats/types.ts";
import { deepEqual, diffValues, formatKeyPath } from "./keypath.ts";
import type { Config } from "./plugin.ts";
import { REDACTED, REDACTED_CHANGED, redactText, secretsOf } from "./redact.ts";
import { fileContent } from "./snapshot.ts";
import type { Snapshot } from "./snapshot.ts";
import type { Target, TargetFile } from "./target.ts";

/** What a plan does to one file. */
export type FileAction = "create" | "update" | "replace" | "delete" | "unchanged";

/** One file of a plan: the text before and after, and their diff with secrets redacted. */
export interface FilePlan {
  file: TargetFile;
  action: FileAction;
  /** Text on disk when planned; undefined when there was no file. */
  before: string | undefined;
  /** Text to write; undefined when the file is to be removed or left alone. */
  after: string | undefined;
  /** Unified diff, secrets redacted. */
  diff: string;
  /** Key paths of the logical config that this file holds and the plan changes. */
  keys: string[];
}

/** The kinds of request that produce a plan. */
export type PlanKind = "configure" | "update" | "repair" | "restore" | "profile";

/** Everything a request would do, computed without writing anything. */
export interface Plan {
  kind: PlanKind;
  target: Target;
  files: FilePlan[];
  /** The logical config before and after (not redacted: never print these directly). */
  before: Config;
  after: Config;
  /** Validation issues of `after`. */
  issues: Issue[];
  /** Key paths whose value changes. */
  changedKeys: string[];
  /** Things worth telling the user (a file kept as it was, defaults used). */
  notes: string[];
  /** Secret values seen while planning, for redacting any output. */
  secrets: string[];
  /** Compute the same request again from what is on disk now (apply calls it under the lock). */
  recompute: () => Promise<Plan>;
}

export interface PlanFilesOptions {
  target: Target;
  snapshot: Snapshot;
  after: Config;
  /** File keys to write from scratch rather than edit (configure --force, broken files). */
  replace?: ReadonlySet<string>;
}

/**
 * The file plans that take `snapshot` to `after`: each existing file edited in place
 * (every other byte kept), each missing one created, each emptied mount removed. Every
 * edit is parsed again and compared with the intended content.
 * @throws KitcfgError `EDIT_FAILED` when an edit does not give back the intended value.
 */
export async function planFiles(options: PlanFilesOptions): Promise<FilePlan[]> {
  const { target, snapshot, after } = options;
  const secrets = secretsOf(target, snapshot.config, after);
  const changed = changedKeys(snapshot.config, after);
  const plans: FilePlan[] = [];
  for (const snap of snapshot.files) {
    const { file } = snap;
    const intended = dropUndefined(fileContent(target, file, after, snap.raw));
    const before = snap.text;
    let action: FileAction;
    let text: string | undefined;
    if (intended === undefined) {
      action = before !== undefined && !file.main && !file.spec.derive ? "delete" : "unchanged";
    } else if (before === undefined || options.replace?.has(file.key) || snap.error) {
      action = before === undefined ? "create" : "replace";
      text = (file.spec.header ?? "") + (await loadFormat(file.spec.format)).stringify(intended, styleOf(file));
    } else {
      text = await editFile(file, before, snap.raw, intended);
      action = text === before ? "unchanged" : "update";
    }
    if (action === "unchanged") text = undefined;
    const diff = diffOf(file, before, action === "unchanged" ? before : text, secrets);
    plans.push({ file, action, before, after: text, diff, keys: action === "unchanged" ? [] : keysOf(target, file, changed) });
  }
  return plans;
}

/** Key paths whose values differ between two configs, redaction-safe (no values). */
export function changedKeys(before: Config, after: Config): string[] {
  return diffValues(before, after).map((change) => formatKeyPath(change.path));
}

/** A plan that changes nothing on disk. */
export function isEmptyPlan(plan: Plan): boolean {
  return plan.files.every((f) => f.action === "unchanged");
}

// --- internal ---

async function editFile(file: TargetFile, before: string, raw: unknown, intended: unknown): Promise<string> {
  const format = await loadFormat(file.spec.format);
  const changes = diffValues(raw, intended);
  if (changes.length === 0) return before;
  const text = format.edit(before, changes as never, styleOf(file));
  if (!deepEqual(format.parse(text), intended)) {
    throw new KitcfgError("EDIT_FAILED", `Cannot edit ${file.path} in place: the result does not read back as intended`, {
      file: file.path,
      hint: "Nothing was written; please report this with the file's layout",
    });
  }
  return text;
}

/** The changed keys a file holds: under its mount, or (a root file) outside every other mount. */
function keysOf(target: Target, file: TargetFile, changed: string[]): string[] {
  if (file.spec.derive) return [];
  const under = (key: string, mount: string[]) => mount.length > 0 && (key === mount.join(".") || key.startsWith(`${mount.join(".")}.`));
  if (file.mount.length > 0) return changed.filter((key) => under(key, file.mount));
  return changed.filter((key) => !target.files.some((other) => !other.spec.derive && under(key, other.mount)));
}

function styleOf(file: TargetFile): FormatStyle {
  return file.spec.style ?? {};
}

function diffOf(file: TargetFile, before: string | undefined, after: string | undefined, secrets: string[]): string {
  if (file.secret && file.mount.length > 0 && file.spec.format === "text") {
    // A whole-file secret (a token) is shown as one redacted line.
    const show = (t: string | undefined, label: string) => (t === undefined ? undefined : `${label}\n`);
    const changed = before !== after;
    return unifiedDiff({ before: show(before, REDACTED), after: show(after, changed ? REDACTED_CHANGED : REDACTED), name: file.path });
  }
  const old = new Set(before === undefined ? [] : secrets.filter((s) => before.includes(s)));
  const fresh = secrets.filter((s) => !old.has(s));
  const redactedAfter = after === undefined ? undefined : redactText(redactText(after, old), fresh, REDACTED_CHANGED);
  return unifiedDiff({ before: before === undefined ? undefined : redactText(before, secrets), after: redactedAfter, name: file.path });
}

function dropUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropUndefined);
  if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) Object.defineProperty(out, key, { value: dropUndefined(item), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}
