import { DEFAULT_RETENTION } from "./_defaults.ts";
import { settlePending } from "./_intent.ts";
import {
  collectVersions,
  currentState,
  findHandChanges,
  findVersion,
  parseState,
  redactedFileDiff,
  stateBefore,
} from "./_history-state.ts";
import type { HandChange, ParsedState, VersionInfo } from "./_history-state.ts";
import { finish } from "./change.ts";
import type { ChangeResult } from "./change.ts";
import { issueText, KitcfgError } from "./errors.ts";
import { loadFileFormat } from "./formats/index.ts";
import type { Kit } from "./kit.ts";
import { remember } from "./ops.ts";
import { changedKeys, planFiles } from "./plan.ts";
import type { FileAction, FilePlan, Plan } from "./plan.ts";
import { secretsOf } from "./redact.ts";
import { readSnapshot } from "./snapshot.ts";
import { commandWords } from "./target.ts";
import type { Target, TargetFile } from "./target.ts";
import { validateTexts } from "./_planned.ts";

export type { VersionInfo } from "./_history-state.ts";

export interface HistoryOptions {
  daemon: string;
  instance?: string;
}

export interface HistoryListResult {
  daemon: string;
  instance?: string;
  /** Newest first. Each is the content a write replaced, kept before that write. */
  versions: VersionInfo[];
  /** Files changed or removed since kitcfg last wrote them, and what that means for a restore. */
  notes: string[];
}

/** The versions kitcfg kept of a daemon's files, newest first (commands already redacted). */
export async function listHistory(kit: Kit, options: HistoryOptions): Promise<HistoryListResult> {
  const target = kit.target(options.daemon, options.instance);
  // The commands were redacted when recorded; today's secrets are redacted too, in case.
  const snapshot = await readSnapshot(target).catch(() => undefined);
  if (snapshot) remember(kit, secretsOf(target, snapshot.config));
  const notes = findHandChanges(kit, target).map((c) => handNote(c, "history", target));
  return { ...labelOf(target), versions: collectVersions(kit, target).reverse(), notes };
}

export interface DiffHistoryOptions extends HistoryOptions {
  /** A version id (or unique prefix), or "current"; default: the newest version. */
  from?: string;
  /** A version id (or unique prefix), or "current"; default: "current", the files on disk. */
  to?: string;
}

export interface HistoryDiffResult {
  daemon: string;
  instance?: string;
  from: string;
  to: string;
  /** Unified diff of every file that differs, secrets redacted; "" when none does. */
  diff: string;
  files: { key: string; path: string; changed: boolean }[];
  notes: string[];
}

/**
 * A unified diff between two versions of a daemon's files (or a version and the files as
 * they are now), every secret redacted.
 * @throws KitcfgError `NOT_FOUND` when there is no history or no such version.
 */
export async function diffHistory(kit: Kit, options: DiffHistoryOptions): Promise<HistoryDiffResult> {
  const target = kit.target(options.daemon, options.instance);
  await settlePending(target, kit.lockTimeoutMs);
  const versions = requireVersions(kit, target);
  const pick = (given: string | undefined, fallback: string) => {
    const wanted = given ?? fallback;
    if (wanted === "current") return { id: "current", state: currentState(target), version: undefined };
    const version = findVersion(target, versions, wanted);
    return { id: version.id, state: stateBefore(kit, target, version.id), version };
  };
  const from = pick(options.from, versions.at(-1)!.id);
  const to = pick(options.to, "current");
  const [a, b] = [await parseState(target, from.state), await parseState(target, to.state)];
  const secrets = await knownSecrets(kit, target, a, b);
  const files: { file: TargetFile; diff: string; changed: boolean }[] = [];
  for (const file of target.files) {
    const [before, after] = [from.state.texts.get(file.key), to.state.texts.get(file.key)];
    const opaque = a.broken.has(file.key) || b.broken.has(file.key);
    files.push({
      file,
      diff: redactedFileDiff(
        file,
        await loadFileFormat(file.spec),
        before,
        after,
        secrets,
        opaque,
        target.plugin.secrets,
      ),
      changed: before !== after,
    });
  }
  return {
    ...labelOf(target),
    from: from.id,
    to: to.id,
    diff: files.map((f) => f.diff).join(""),
    files: files.map(({ file, changed }) => ({ key: file.key, path: file.path, changed })),
    notes: [
      ...prunedNotes(target, [...from.state.unknown, ...to.state.unknown], [from.version, to.version]),
      ...(to.id === "current" ? findHandChanges(kit, target).map((c) => handNote(c, "diff", target)) : []),
    ],
  };
}

export interface RestoreOptions extends HistoryOptions {
  /** The version to put back (id or unique prefix); default: the newest, undoing the last write. */
  id?: string;
  dryRun?: boolean;
  /** Restore a version that does not parse or validate. */
  force?: boolean;
}

/**
 * Put a daemon's files back as they were at a version: a new write, planned, validated,
 * locked, recorded in history (so it can itself be undone) and applied like any update.
 * Derived files are computed again from the restored configuration.
 * @throws KitcfgError `NOT_FOUND` for no such version; `INVALID_CONFIG` when the version
 * does not parse or validate and `force` is not set.
 */
export async function restoreVersion(kit: Kit, options: RestoreOptions): Promise<ChangeResult> {
  const target = kit.target(options.daemon, options.instance);
  await settlePending(target, kit.lockTimeoutMs);
  const versions = requireVersions(kit, target);
  const version = options.id === undefined ? versions.at(-1)! : findVersion(target, versions, options.id);
  if (!options.force) refusePartial(target, version);
  const plan = await planRestore(kit, target, version, options.force ?? false);
  return finish(kit, plan, options.dryRun ?? false);
}

// --- internal ---

async function planRestore(kit: Kit, target: Target, version: VersionInfo, force: boolean): Promise<Plan> {
  const state = stateBefore(kit, target, version.id);
  const restored = await parseState(target, state);
  const snapshot = await readSnapshot(target);
  // Checked as it will be written: a check that reads a file's raw text reads the restored text.
  const issues =
    restored.configured && restored.broken.size === 0 ? await validateTexts(target, restored.config, state.texts) : [];
  if (!force) refuseBroken(target, version, restored, issues);
  const secrets = [...secretsOf(target, snapshot.config, restored.config), ...kit.secrets];
  const changed = changedKeys(snapshot.config, restored.config);
  // A configured, parseable version gets derived files computed afresh; otherwise they too come from history.
  const recompute = restored.configured && restored.broken.size === 0;
  const derived = recompute
    ? await planFiles({
        target,
        snapshot: { ...snapshot, files: snapshot.files.filter((f) => f.file.spec.derive) },
        after: restored.config,
      })
    : [];
  const formats = new Map(
    await Promise.all(
      snapshot.files.map(async (snap) => [snap.file.key, await loadFileFormat(snap.file.spec)] as const),
    ),
  );
  const files: FilePlan[] = snapshot.files.map((snap) => {
    const fromDerived = derived.find((d) => d.file.key === snap.file.key);
    if (fromDerived) return fromDerived;
    // A file whose versions that old were pruned is in `state` as it is now (see `stateBefore`).
    const after = state.texts.get(snap.file.key);
    const action: FileAction =
      after === snap.text
        ? "unchanged"
        : after === undefined
          ? "delete"
          : snap.text === undefined
            ? "create"
            : "replace";
    const opaque = restored.broken.has(snap.file.key) || snap.error !== undefined;
    return {
      file: snap.file,
      action,
      before: snap.text,
      after: action === "unchanged" ? undefined : after,
      diff: redactedFileDiff(
        snap.file,
        formats.get(snap.file.key)!,
        snap.text,
        after,
        secrets,
        opaque,
        target.plugin.secrets,
      ),
      keys: action === "unchanged" ? [] : keysOf(target, snap.file, changed),
    };
  });
  return {
    kind: "restore",
    target,
    files,
    before: snapshot.config,
    after: restored.config,
    issues,
    changedKeys: changed,
    notes: [
      `restoring ${target.label} as it was before ${version.id} (${version.time}: ${version.command})`,
      ...prunedNotes(target, state.unknown, [version]),
      ...findHandChanges(kit, target)
        .filter((c) => files.some((f) => f.file.key === c.key && f.action !== "unchanged"))
        .map((c) => handNote(c, "restore", target, version)),
    ],
    secrets,
    recompute: () => planRestore(kit, target, version, force),
  };
}

function refuseBroken(
  target: Target,
  version: VersionInfo,
  restored: ParsedState,
  issues: { key: string; message: string; severity: string }[],
): void {
  const [key, broken] = [...restored.broken][0] ?? [];
  if (broken) {
    const path = target.files.find((f) => f.key === key)?.path;
    const where = broken.line !== undefined ? ` at line ${broken.line}, column ${broken.column ?? 1}` : "";
    throw new KitcfgError(
      "INVALID_CONFIG",
      `Cannot restore version ${version.id} of ${target.label}: ${path} does not parse in it${where}; ` +
        "use --force to restore it anyway",
      { file: path },
    );
  }
  const error = issues.find((i) => i.severity === "error");
  if (error) {
    throw new KitcfgError(
      "INVALID_CONFIG",
      `Cannot restore version ${version.id} of ${target.label}: ${issueText(error)}; ` +
        "use --force to restore it anyway",
      { key: error.key },
    );
  }
}

/** @throws KitcfgError `NOT_FOUND` when nothing of the target was ever replaced. */
function requireVersions(kit: Kit, target: Target): VersionInfo[] {
  const versions = collectVersions(kit, target);
  if (versions.length === 0) {
    throw new KitcfgError(
      "NOT_FOUND",
      `No history for ${target.label} yet: kitcfg keeps a version before every write it makes`,
    );
  }
  return versions;
}

/** Secret values of both sides, of the files as they are now, and of this session. */
async function knownSecrets(kit: Kit, target: Target, ...states: ParsedState[]): Promise<string[]> {
  const now = await parseState(target, currentState(target));
  const found = secretsOf(target, now.config, ...states.map((s) => s.config));
  remember(kit, found);
  return [...new Set([...found, ...kit.secrets])];
}

/** The changed keys a file holds: under its mount, or (a root file) outside every other mount. */
function keysOf(target: Target, file: TargetFile, changed: string[]): string[] {
  if (file.spec.derive) return [];
  const under = (key: string, mount: string[]) =>
    mount.length > 0 && (key === mount.join(".") || key.startsWith(`${mount.join(".")}.`));
  if (file.mount.length > 0) return changed.filter((key) => under(key, file.mount));
  return changed.filter((key) => !target.files.some((other) => !other.spec.derive && under(key, other.mount)));
}

/**
 * A write one of whose files lost its version to pruning cannot be undone as a whole: a
 * restore would put its other files back and leave that one as it is now, a mix of two
 * versions that never existed together.
 * @throws KitcfgError `NOT_FOUND` naming the pruned file; `--force` restores the rest anyway.
 */
function refusePartial(target: Target, version: VersionInfo): void {
  const gone = version.files.filter((f) => f.pruned);
  if (gone.length === 0) return;
  const kept = version.files.filter((f) => !f.pruned).map((f) => f.path);
  throw new KitcfgError(
    "NOT_FOUND",
    `Cannot restore version ${version.id} of ${target.label} whole: that write also replaced ` +
      `${gone.map((f) => f.path).join(", ")}, whose version from before it was pruned from history; ` +
      `use --force to put back only ${kept.join(", ")} and keep the rest as it is now`,
    {
      file: gone[0]!.path,
      hint: `KITCFG_HISTORY_RETENTION sets how many versions of each file history keeps (default ${DEFAULT_RETENTION})`,
    },
  );
}

function prunedNotes(target: Target, keys: string[], versions: (VersionInfo | undefined)[]): string[] {
  return [...new Set(keys)].map((key) => {
    const path = target.files.find((f) => f.key === key)?.path;
    const write = versions.find((v) => v?.files.some((f) => f.key === key && f.pruned));
    if (write)
      return (
        `${path}: write ${write.id} replaced it too, but the version it replaced was pruned from history; ` +
        "it is shown (and restored) as it is now"
      );
    return `${path}: its versions that old were pruned from history; it is shown (and restored) as it is now`;
  });
}

/**
 * What a file changed since kitcfg last wrote it means where it is shown: a hand edit is not in
 * history until a write replaces it (a restore keeps it as the version it replaces), and the
 * file kitcfg last wrote is never kept, so a removed one cannot be brought back as it was.
 */
function handNote(c: HandChange, where: "history" | "diff" | "restore", target: Target, version?: VersionInfo): string {
  const undo = `\`kitcfg restore ${commandWords(target.plugin.name, target.instance)}\``;
  if (c.change === "removed") {
    const gives =
      where === "restore"
        ? `this restore gives it as it was before ${version!.id}`
        : `${undo} gives it as it was before that write`;
    return (
      `${c.path} was removed since kitcfg last wrote it (write ${c.write}); what that write left is not in history ` +
      `(a version is kept only when a later write replaces it): ${gives}`
    );
  }
  const what =
    c.change === "created"
      ? "created again since kitcfg's last write removed it"
      : "changed since kitcfg last wrote it";
  if (where === "diff") return `${c.path} was ${what} (write ${c.write}): the files now include those changes`;
  if (where === "history")
    return `${c.path} was ${what} (write ${c.write}): a restore replaces those changes, keeping them in history`;
  return (
    `${c.path} was ${what} (write ${c.write}): this restore replaces those changes; history keeps them as the ` +
    `version it replaces (${undo} afterwards brings them back)`
  );
}

function labelOf(target: Target): { daemon: string; instance?: string } {
  return { daemon: target.plugin.name, ...(target.instance ? { instance: target.instance } : {}) };
}
