import { MAX_CONFIG_BYTES } from "./_big-input.ts";
import { encodeText } from "./_bytes.ts";
import { LONE_ESCAPE } from "./_escaped-bytes.ts";
import { unifiedDiff } from "./diff.ts";
import { KitcfgError } from "./errors.ts";
import type { Issue } from "./errors.ts";
import { loadFileFormat, parseEditToCompare } from "./formats/index.ts";
import type { Change, Format, FormatStyle } from "./formats/types.ts";
import { deepEqual, diffValues, formatKeyPath, getPath, samePath } from "./keypath.ts";
import type { Config } from "./plugin.ts";
import { redactBoth, redactedTextDiff } from "./_redacted-diff.ts";
import { REDACTED, REDACTED_CHANGED, redactDocument, secretsOf } from "./redact.ts";
import { decodePart, fileContent, partsOf } from "./snapshot.ts";
import type { Snapshot } from "./snapshot.ts";
import { callPlugin } from "./target.ts";
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
export type PlanKind = "configure" | "update" | "repair" | "restore" | "profile" | "edit";

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
  /**
   * The text of each file on disk, when `snapshot` holds other texts (a repair plans its
   * edits from the fixed texts, but the plan goes from what is on disk). Default: the
   * snapshot's own texts.
   */
  disk?: ReadonlyMap<string, string | undefined>;
  /** The config before, when it is not the snapshot's (a repair starts from the disk). */
  before?: Config;
  /** More configs whose secrets outputs must hide (a repair's intermediate state). */
  alsoSecret?: Config[];
  /** `changedKeys(snapshot.config, after)`, when the caller has it already. */
  changed?: string[];
  /**
   * Paths a request set explicitly: each is handed to the file's editor even when its value
   * is unchanged, so a number spelled differently is written as asked (`90.0` -> `90`, what
   * a Go daemon needs for an integer field). Values and every other byte are as without it.
   */
  respell?: readonly (readonly string[])[];
}

export interface AssemblePlanOptions extends PlanFilesOptions {
  kind: PlanKind;
  issues: Issue[];
  notes?: string[];
  recompute: () => Promise<Plan>;
}

/** A whole plan: the file plans, the changed keys and the secrets, from one request's result. */
export async function assemblePlan(options: AssemblePlanOptions): Promise<Plan> {
  const { target, after } = options;
  const before = options.before ?? options.snapshot.config;
  const changed = changedKeys(before, after);
  return {
    kind: options.kind,
    target,
    // Walking a big configuration for its changed keys once is enough.
    files: await planFiles(before === options.snapshot.config ? { ...options, changed } : options),
    before,
    after,
    issues: options.issues,
    changedKeys: changed,
    notes: options.notes ?? [],
    secrets: secretsOf(target, before, ...(options.alsoSecret ?? []), after),
    recompute: options.recompute,
  };
}

/**
 * The file plans that take `snapshot` to `after`: each existing file edited in place
 * (every other byte kept), each missing one created, each emptied mount removed. Every
 * edit is parsed again and compared with the intended content.
 * @throws KitcfgError `EDIT_FAILED` when an edit does not give back the intended value.
 */
export async function planFiles(options: PlanFilesOptions): Promise<FilePlan[]> {
  const { target, snapshot, after } = options;
  // The secrets the files held before: one set anew shows as changed even where the file held its value as plain text.
  const old = secretsOf(target, options.before ?? snapshot.config);
  const secretKeys = target.plugin.secrets;
  const secrets = [...old, ...secretsOf(target, snapshot.config, ...(options.alsoSecret ?? []), after)];
  const changed = options.changed ?? changedKeys(snapshot.config, after);
  const plans: FilePlan[] = [];
  for (const snap of snapshot.files) {
    const { file } = snap;
    const intended = dropUndefined(fileContent(target, file, after, snap.raw), snap.raw);
    const before = options.disk?.has(file.key) ? options.disk.get(file.key) : snap.text;
    let next: string | undefined = snap.text;
    let fresh = false;
    if (intended === undefined) {
      if (!file.main && !file.spec.derive) next = undefined;
    } else if (snap.text === undefined || options.replace?.has(file.key) || snap.error) {
      next = await createText(target, file, intended);
      fresh = true;
    } else {
      next = await editFile(target, file, snap.text, snap.raw, intended, respelledIn(file, intended, options.respell));
    }
    if (next !== undefined && next !== snap.text) assertReadable(target, file, next);
    if (next !== undefined && next !== snap.text && !file.spec.derive && (file.spec.decode || file.spec.encode)) {
      await assertReadsBack(target, file, next, partsOf(target, after).get(file.key));
    }
    const action: FileAction =
      next === before
        ? "unchanged"
        : next === undefined
          ? "delete"
          : before === undefined
            ? "create"
            : fresh
              ? "replace"
              : "update";
    const text = action === "unchanged" ? undefined : next;
    // An edit in place of a file that parsed reads back as intended (`editText`): both texts parse.
    const parsed = action === "update" && before === snap.text && snap.raw !== undefined;
    const format = await loadFileFormat(file.spec);
    let diff: string | undefined;
    plans.push({
      file,
      action,
      before,
      after: text,
      // Made when read: a write that shows no diff (no --dry-run, no --json) does not pay for it.
      get diff() {
        return (diff ??= diffOf(
          file,
          format,
          before,
          action === "unchanged" ? before : text,
          { secrets, old, secretKeys },
          parsed,
        ));
      },
      keys: action === "unchanged" ? [] : keysOf(target, file, changed),
    });
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

/**
 * A file's text before and after a change with every secret replaced: `<redacted>`, or
 * `<redacted:changed>` on the after side for a secret the change sets anew, so that a
 * changed secret still shows as a change.
 */
export function redactPair(
  before: string | undefined,
  after: string | undefined,
  secrets: readonly string[],
  format: Pick<Format, "strings">,
  /** The secrets `before` holds as secrets (`redactedTextDiff`'s `old`). */
  known?: readonly string[],
): { before: string | undefined; after: string | undefined } {
  // As in a diff: a secret already in `before` is <redacted>, a new one <redacted:changed>,
  // found in every spelling the format can give it (escapes, quoting).
  const old = secrets.filter(
    (s) =>
      before !== undefined &&
      (known?.includes(s) ?? true) &&
      redactDocument(before, format, [[[s], REDACTED]]) !== before,
  );
  return redactBoth({ format, before, after, secrets, old });
}

// --- internal ---

/**
 * The explicit sets of `file`'s part that hold a number (`PlanFilesOptions.respell`), as
 * changes within the file: a JSON file at the root of the config (a path is the same in the
 * file), whose editor keeps every other value's bytes and writes a number as asked.
 */
function respelledIn(file: TargetFile, intended: unknown, paths: PlanFilesOptions["respell"]): Change[] {
  if (!paths || file.spec.format !== "json" || file.mount.length > 0 || file.spec.encode) return [];
  const out: Change[] = [];
  for (const path of paths) {
    const value = getPath(intended, path);
    if (typeof value === "number") out.push({ op: "set", path: [...path], value });
  }
  return out;
}

/** A new file's text: the plugin's template with the content edited in, else header + content. */
async function createText(target: Target, file: TargetFile, intended: unknown): Promise<string> {
  const format = await loadFileFormat(file.spec);
  const template = templateOf(target, file);
  if (template === undefined) return (file.spec.header ?? "") + format.stringify(intended, styleOf(file));
  return editText(file, template, format.parse(template), intended);
}

/**
 * The file edited to hold `intended`. A file that is still its template plus reproducible
 * edits is edited from the template afresh, so an unset gives back the template's line.
 */
async function editFile(
  target: Target,
  file: TargetFile,
  before: string,
  raw: unknown,
  intended: unknown,
  respell: Change[] = [],
): Promise<string> {
  const template = templateOf(target, file);
  if (template !== undefined) {
    try {
      const format = await loadFileFormat(file.spec);
      const base = format.parse(template);
      if ((await editText(file, template, base, raw)) === before)
        return await editText(file, template, base, intended, respell);
    } catch {
      // The file has moved away from its template (a hand edit kitcfg cannot reproduce): edit it as it is.
    }
  }
  return editText(file, before, raw, intended, respell);
}

async function editText(
  file: TargetFile,
  before: string,
  raw: unknown,
  intended: unknown,
  respell: Change[] = [],
): Promise<string> {
  const format = await loadFileFormat(file.spec);
  const diff = diffValues(raw, intended);
  const changes = [...diff, ...respell.filter((r) => !diff.some((c) => samePath(c.path, r.path)))];
  if (changes.length === 0) return before;
  // `raw` is what `before` parses to, and the result is checked here: the editor reads the text once.
  const text = format.edit(before, changes as never, styleOf(file), { checked: true });
  // Only numbers set to the value they hold, already spelled so: nothing to read back.
  if (diff.length === 0 && text === before) return before;
  if (!deepEqual(parseEditToCompare(format, before, raw, text), intended)) {
    throw new KitcfgError(
      "EDIT_FAILED",
      `Cannot edit ${file.path} in place: the result does not read back as intended`,
      {
        file: file.path,
        hint: "Nothing was written; please report this with the file's layout",
      },
    );
  }
  return text;
}

/**
 * Refuse a text larger than kitcfg reads (`MAX_CONFIG_BYTES`): written, the file would be
 * refused by every command after, `configure --force` and `restore` included, and only a
 * hand edit could bring the daemon back. Checked while planning, so nothing is written.
 * @throws KitcfgError `IO_FAILED` (as a file too large to read) naming the file, the plugin and the size.
 */
function assertReadable(target: Target, file: TargetFile, text: string): void {
  // Every UTF-16 unit is one to three bytes: a text of up to 16 MiB / 3 units is not counted.
  if (text.length * 3 <= MAX_CONFIG_BYTES) return;
  let bytes = Buffer.byteLength(text, "utf8");
  // A byte kept from a file that is not UTF-8 counts three there, but is written as one byte.
  if (bytes > MAX_CONFIG_BYTES && LONE_ESCAPE.test(text)) bytes = encodeText(text).length;
  if (bytes <= MAX_CONFIG_BYTES) return;
  const where = target.loaded.source === "built-in" ? "" : ` (${target.loaded.source})`;
  throw new KitcfgError(
    "IO_FAILED",
    `Cannot write ${file.path}: plugin "${target.plugin.name}"${where} makes it ${bytes} bytes, ` +
      `over the ${MAX_CONFIG_BYTES} bytes (16 MiB) kitcfg reads in a config file; nothing was written`,
    {
      file: file.path,
      hint: "kitcfg could not read such a file back: keep what is written there (defaults, values set) smaller",
    },
  );
}

/**
 * A plugin's `encode` and `decode` must give back what was meant: `text`, read as the core
 * reads the file, decodes to `part`. A pair that drops a hand-added key, or decodes a value
 * into another, would otherwise lose it silently on the next write.
 * @throws KitcfgError `PLUGIN_FAILED` naming the plugin, the file and a key that differs.
 */
async function assertReadsBack(target: Target, file: TargetFile, text: string, part: unknown): Promise<void> {
  const format = await loadFileFormat(file.spec);
  const back = decodePart(target, file, format.parse(text));
  const wanted = dropUndefined(part);
  if (deepEqual(dropUndefined(back), wanted)) return;
  const lost = diffValues(wanted, back)[0];
  const key = lost ? formatKeyPath([...file.mount, ...lost.path]) : formatKeyPath(file.mount);
  const where = target.loaded.source === "built-in" ? "" : ` (${target.loaded.source})`;
  throw new KitcfgError(
    "PLUGIN_FAILED",
    `Plugin "${target.plugin.name}"${where} cannot write ${file.path}: ` +
      `its encode and decode do not give back "${key || "the content"}"; nothing was written`,
    { file: file.path, key: key || undefined, hint: "encode(value, previous) must keep every key that decode reads" },
  );
}

function templateOf(target: Target, file: TargetFile): string | undefined {
  const template = file.spec.template;
  return template ? callPlugin(target.loaded, `files.${file.key}.template`, () => template(target.ctx)) : undefined;
}

/** The changed keys a file holds: under its mount, or (a root file) outside every other mount. */
function keysOf(target: Target, file: TargetFile, changed: string[]): string[] {
  if (file.spec.derive) return [];
  const under = (key: string, mount: string[]) =>
    mount.length > 0 && (key === mount.join(".") || key.startsWith(`${mount.join(".")}.`));
  if (file.mount.length > 0) return changed.filter((key) => under(key, file.mount));
  return changed.filter((key) => !target.files.some((other) => !other.spec.derive && under(key, other.mount)));
}

function styleOf(file: TargetFile): FormatStyle {
  return file.spec.style ?? {};
}

function diffOf(
  file: TargetFile,
  format: Format,
  before: string | undefined,
  after: string | undefined,
  secrets: { secrets: string[]; old: string[]; secretKeys?: readonly string[] },
  parsed: boolean,
): string {
  if (file.secret && file.mount.length > 0 && file.spec.format === "text") {
    // A whole-file secret (a token) is shown as one redacted line.
    const show = (t: string | undefined, label: string) => (t === undefined ? undefined : `${label}\n`);
    const changed = before !== after;
    return unifiedDiff({
      before: show(before, REDACTED),
      after: show(after, changed ? REDACTED_CHANGED : REDACTED),
      name: file.path,
    });
  }
  return redactedTextDiff({ name: file.path, format, before, after, ...secrets, parsed });
}

/**
 * `value` without undefined anywhere in it. `parsed`, what a parser gave (which holds no
 * undefined), is where `value` still shares parts with it: those are not walked again.
 */
function dropUndefined(value: unknown, parsed?: unknown): unknown {
  // Most contents hold no undefined: copying a big file's many keys for nothing is not free.
  return holdsUndefined(value, parsed) ? copyWithoutUndefined(value) : value;
}

function holdsUndefined(value: unknown, parsed?: unknown): boolean {
  // A part still the parser's own (a big list a one-key change left alone) holds none.
  if (value === parsed) return false;
  // Loops, and no call for a string or number: this visits every value of a big document.
  if (Array.isArray(value)) {
    const same = Array.isArray(parsed) ? parsed : undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === "object" && item !== null && holdsUndefined(item, same?.[i])) return true;
    }
    return false;
  }
  if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    const same = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
    for (const key in value) {
      const item = (value as Record<string, unknown>)[key];
      if (item === undefined) return true;
      if (
        typeof item === "object" &&
        item !== null &&
        holdsUndefined(item, same && Object.hasOwn(same, key) ? same[key] : undefined)
      )
        return true;
    }
  }
  return false;
}

function copyWithoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyWithoutUndefined);
  if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      // defineProperty only where assignment would set the prototype: it is slow on a big file's many keys.
      if (key === "__proto__")
        Object.defineProperty(out, key, {
          value: copyWithoutUndefined(item),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else out[key] = copyWithoutUndefined(item);
    }
    return out;
  }
  return value;
}
