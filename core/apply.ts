import { accessSync, constants } from "./_fs-sync.ts";
import { dirname, join } from "node:path";
import { clearIntent, intentPath, printHash, settleLocked, writeIntent } from "./_intent.ts";
import type { IntentFile } from "./_intent.ts";
import {
  DEFAULT_RETENTION,
  forgetVersion,
  historyError,
  newVersionId,
  openHistoryFolder,
  pruneHistory,
  prepareVersionEntry,
  recordVersion,
} from "./history.ts";
import type { HistoryEntry } from "./history.ts";
import { KitcfgError } from "./errors.ts";
import { withLocks } from "./lock.ts";
import type { FilePlan, Plan } from "./plan.ts";
import { redactText } from "./redact.ts";
import {
  ensureRealDir,
  followLinks,
  prepareRemove,
  prepareWrite,
  syncBatch,
  syncDirs,
  writeFileAtomic,
} from "./store.ts";
import { holdsText } from "./_file-state.ts";
import type { PendingWrite, SyncBatch } from "./store.ts";
import type { Target, TargetFile } from "./target.ts";

export interface ApplyPlanOptions {
  plan: Plan;
  /** kitcfg's state folder; history goes below it. */
  stateDir: string;
  /** The command line (or MCP call) that asked, recorded with each version. */
  command: string;
  lockTimeoutMs?: number;
  /** Versions of each file to keep in history. */
  retention?: number;
}

export interface ApplyResult {
  /** The plan that was written: the given one, or one recomputed because a file changed meanwhile. */
  plan: Plan;
  /** Paths written or removed. */
  written: string[];
  /** The earlier versions kept in history, one per file written. */
  history: HistoryEntry[];
  /** True when another writer changed a file between planning and applying. */
  recomputed: boolean;
}

/**
 * Write a plan. Under the locks of the target's files, every file is read again; if any
 * changed since the plan was made, the plan is computed again from what is there now, so
 * another writer's change is never overwritten. Then, still under the locks: each file's
 * previous content is kept in history, every new content is written to a temporary file
 * and fsynced, and only when all of them are ready are they renamed into place (source
 * files before derived ones). A failure before the renames leaves every file and the
 * history as they were.
 * @throws KitcfgError `LOCKED`, `IO_FAILED`, or whatever recomputing the plan throws.
 */
export async function applyPlan(options: ApplyPlanOptions): Promise<ApplyResult> {
  let plan = options.plan;
  let recomputed = false;
  for (;;) {
    const files = changing(plan);
    if (files.length === 0) return { plan, written: [], history: [], recomputed };
    const real = realPaths(plan.target);
    for (const f of files) {
      if (f.after !== undefined)
        ensureRealDir(
          dirname(real(f.file.path)),
          f.file.spec.dirMode ?? (holdsSecrets(plan.target, f.file, real) ? 0o700 : 0o755),
        );
    }
    const locked = lockPaths(plan, files, real);
    const outcome = await withLocks({ files: locked, timeoutMs: options.lockTimeoutMs }, async () => {
      // A change a killed writer left half-made is finished or undone first.
      settleLocked(intentPath(plan.target), plan.target);
      if (plan.files.some((f) => !holdsText(f.file.path, f.before))) {
        plan = await plan.recompute();
        recomputed = true;
        // The new plan may touch a file this run has not locked: lock again, from the top.
        const again = lockPaths(plan, changing(plan), realPaths(plan.target));
        if (!again.every((path) => locked.includes(path))) return undefined;
      }
      return writePlan(plan, options);
    });
    if (outcome) return { plan, ...outcome, recomputed };
  }
}

/** Where the versions of one file of a target are kept. */
export function historyDir(stateDir: string, target: Target, file: TargetFile): string {
  const parts = [stateDir, "history", target.plugin.name];
  if (target.instance) parts.push(target.instance);
  return join(...parts, file.key);
}

// --- internal ---

function changing(plan: Plan): FilePlan[] {
  return plan.files.filter((f) => f.action !== "unchanged");
}

/**
 * The real files to lock: every file the plan changes, and the files it only read (the
 * plan was computed from them too) where their folder is writable; a token on a read-only
 * secrets mount cannot be locked and cannot be written by anyone else through kitcfg
 * either. Symlinks are followed, so two links to one file share its lock.
 */
function lockPaths(plan: Plan, files: FilePlan[], real: (path: string) => string): string[] {
  const paths = new Set(files.map((f) => real(f.file.path)));
  for (const f of plan.files) {
    const path = real(f.file.path);
    if (isWritableDir(dirname(path))) paths.add(path);
  }
  return [...paths].sort();
}

/**
 * `followLinks` of the target's files, each resolved once for one step of `applyPlan`
 * (the folders, then the locks) instead of once per question asked about it.
 */
function realPaths(target: Target): (path: string) => string {
  const known = new Map<string, string>();
  return (path) => {
    let real = known.get(path);
    if (real === undefined) known.set(path, (real = followLinks(path, target.ctx.root)));
    return real;
  };
}

/**
 * A folder is created 0700 when a secret file of the target lives in it, even one not
 * written yet (a token before login): the folder is made once, and later writes keep it.
 */
function holdsSecrets(target: Target, file: TargetFile, real: (path: string) => string): boolean {
  const dir = dirname(real(file.path));
  return target.files.some((f) => f.secret && dirname(real(f.path)) === dir);
}

function isWritableDir(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Keep every previous content in history, prepare every file, write the intent record,
 * list the versions in history, make the files visible, then drop the record; see
 * `applyPlan`. A kill before the record leaves no trace in history (unlisted contents are
 * removed by the next writer), a kill after it a record the next command settles (see
 * `_intent.ts`), which drops the listed versions again when it undoes the change. Each
 * folder is fsynced once, not once per file: the history folders before the first rename
 * (the kept contents must survive for an undo), the files' folders after the renames; the
 * record is dropped only after both.
 */
function writePlan(plan: Plan, options: ApplyPlanOptions): { written: string[]; history: HistoryEntry[] } {
  const ordered = changing(plan).sort((a, b) => Number(!!a.file.spec.derive) - Number(!!b.file.spec.derive));
  // Recomputed under the lock, the plan may change nothing any more (another writer got there first).
  if (ordered.length === 0) return { written: [], history: [] };
  const dirs = ordered.map((f) => historyDir(options.stateDir, plan.target, f.file));
  // Each history folder is listed once, here, under the locks: for the id, the debris of killed writers, the pruning.
  const folders = dirs.map(openHistoryFolder);
  const id = newVersionId(folders);
  const history: HistoryEntry[] = [];
  const pending: PendingWrite[] = [];
  const intent = intentPath(plan.target);
  const root = plan.target.ctx.root;
  // Every fsync before the first rename, made together (see `syncBatch`).
  const batch = syncBatch();
  const entries: PendingWrite[] = [];
  let recorded = false;
  try {
    ordered.forEach(({ file, before }, i) => {
      history.push(
        recordVersion({
          dir: dirs[i]!,
          folder: folders[i]!,
          id,
          file: file.path,
          fileKey: file.key,
          text: before,
          // Checked under the lock to hold `before` (applyPlan), and about to be replaced.
          source: before === undefined ? undefined : followLinks(file.path, root),
          command: redactText(options.command, plan.secrets),
          kind: plan.kind,
          keys: plan.changedKeys,
          files: ordered.map((f) => f.file.key),
          secret: file.secret,
          prune: false,
          deferEntry: true,
          deferDirSync: true,
          root,
          syncBatch: batch,
        }),
      );
    });
    for (const { file, after } of ordered) {
      const mode = file.spec.mode ?? (file.secret ? 0o600 : 0o644);
      pending.push(
        after === undefined
          ? prepareRemove(file.path, root)
          : prepareWrite(file.path, after, { mode, secret: file.secret, root, syncBatch: batch }),
      );
    }
    // Each entry says which file its write leaves at the path, for the next write's link (see `keptByLink`).
    for (const [i, write] of pending.entries()) {
      if (write.written) history[i]!.written = write.written;
      if (write.print) history[i]!.writtenPrint = printHash(write.print);
    }
    const files: IntentFile[] = ordered.map(({ file, after }, i) => ({
      target: pending[i]!.target,
      ...(after === undefined ? {} : { temp: pending[i]!.temp, hash: printHash(pending[i]!.print!) }),
      historyDir: dirs[i]!,
      entry: history[i]!,
      secret: file.secret,
    }));
    writeIntent(intent, { id, files, ...(root === undefined ? {} : { root }) }, ordered[0]!.file.path, batch);
    recorded = true;
    for (const [i, { file }] of ordered.entries()) {
      try {
        entries.push(prepareVersionEntry(dirs[i]!, history[i]!, { secret: file.secret, root, syncBatch: batch }));
      } catch (error) {
        throw historyError(file.path, error);
      }
    }
    syncAll(batch, ordered[0]!.file.path);
    for (const [i, entry] of entries.entries()) {
      try {
        entry.commit(false);
      } catch (error) {
        throw historyError(ordered[i]!.file.path, error);
      }
    }
    // Kept contents and entries on disk before any file changes.
    syncDirs(dirs);
  } catch (error) {
    batch.dispose();
    for (const write of [...pending, ...entries]) write.abort();
    for (const dir of dirs.slice(0, history.length)) forgetVersion(dir, id);
    if (recorded) clearIntentQuietly(intent);
    throw error;
  }
  commitAll(ordered, pending, dirs, id, intent, root);
  clearIntentQuietly(intent);
  // Pruned only now: a write that failed must not have cost an old version.
  for (const { dir, ids } of folders) pruneHistory(dir, options.retention ?? DEFAULT_RETENTION, [...ids, id]);
  return { written: ordered.map((f) => f.file.path), history };
}

/**
 * Flush the write's fsyncs (see `syncBatch`).
 * @throws KitcfgError `IO_FAILED` naming `file`, the first file of the write, when the disk refuses.
 */
function syncAll(batch: SyncBatch, file: string): void {
  try {
    batch.flush();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new KitcfgError("IO_FAILED", `Cannot write ${file}: the disk refused to sync it (${code ?? String(error)})`, {
      file,
      cause: error,
      hint: "Check the disk and its free space (dmesg may say more); nothing was changed",
    });
  }
}

/** Drop the record of a change that is complete or undone; a failure leaves it for the next command to settle. */
function clearIntentQuietly(intent: string): void {
  try {
    clearIntent(intent);
  } catch {
    // Left for the next command, which finds every file done (or as it was) and drops it.
  }
}

/**
 * Rename every prepared file into place. A rename that fails (rare once the temporary
 * files exist: a file made immutable meanwhile) puts the files already renamed back as
 * they were, so a plan is written whole or not at all as far as the disk allows.
 */
function commitAll(
  ordered: FilePlan[],
  pending: PendingWrite[],
  dirs: string[],
  id: string,
  intent: string,
  root: string | undefined,
): void {
  let done = 0;
  try {
    for (const write of pending) {
      write.commit(false);
      done++;
    }
    syncDirs(pending.map((write) => write.dir));
  } catch (error) {
    for (const write of pending.slice(done + 1)) write.abort();
    for (let i = done - 1; i >= 0; i--) restoreQuietly(ordered[i]!, root);
    for (const dir of dirs) forgetVersion(dir, id);
    clearIntentQuietly(intent);
    throw error;
  }
}

function restoreQuietly({ file, before }: FilePlan, root: string | undefined): void {
  try {
    if (before === undefined) prepareRemove(file.path, root).commit();
    else
      writeFileAtomic(file.path, before, {
        mode: file.spec.mode ?? (file.secret ? 0o600 : 0o644),
        secret: file.secret,
        root,
      });
  } catch {
    // The disk refuses even the old content; the error already thrown says what failed.
  }
}
