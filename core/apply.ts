import { dirname, join } from "node:path";
import { recordVersion } from "./history.ts";
import type { HistoryEntry } from "./history.ts";
import { withLocks } from "./lock.ts";
import type { FilePlan, Plan } from "./plan.ts";
import { redactText } from "./redact.ts";
import { ensureDir, followLinks, readFileState, removeFile, writeFileAtomic } from "./store.ts";
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
 * Write a plan. Under the locks of the files it changes, every file is read again;
 * if any changed since the plan was made, the plan is computed again from what is there
 * now, so another writer's change is never overwritten. Each file's previous content is
 * kept in history before it is replaced. Source files are written before derived ones.
 * @throws KitcfgError `LOCKED`, `IO_FAILED`, or whatever recomputing the plan throws.
 */
export async function applyPlan(options: ApplyPlanOptions): Promise<ApplyResult> {
  let plan = options.plan;
  let recomputed = false;
  for (;;) {
    const files = changing(plan);
    if (files.length === 0) return { plan, written: [], history: [], recomputed };
    // Secret files first: a folder they share with other files is created 0700.
    for (const f of [...files].sort((a, b) => Number(b.file.secret) - Number(a.file.secret))) {
      if (f.after !== undefined) ensureDir(dirname(followLinks(f.file.path)), f.file.secret ? 0o700 : 0o755);
    }
    const outcome = await withLocks({ files: files.map((f) => f.file.path), timeoutMs: options.lockTimeoutMs }, async () => {
      if (plan.files.some((f) => readFileState(f.file.path).text !== f.before)) {
        plan = await plan.recompute();
        recomputed = true;
        // The new plan may touch a file this run has not locked: lock again, from the top.
        if (!changing(plan).every((f) => files.some((locked) => locked.file.path === f.file.path))) return undefined;
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

/** Keep each file's previous version in history, then write it; source files before derived ones. */
function writePlan(plan: Plan, options: ApplyPlanOptions): { written: string[]; history: HistoryEntry[] } {
  const written: string[] = [];
  const history: HistoryEntry[] = [];
  const ordered = changing(plan).sort((a, b) => Number(!!a.file.spec.derive) - Number(!!b.file.spec.derive));
  for (const { file, before, after } of ordered) {
    history.push(
      recordVersion({
        dir: historyDir(options.stateDir, plan.target, file),
        file: file.path,
        text: before,
        command: redactText(options.command, plan.secrets),
        keys: plan.changedKeys,
        secret: file.secret,
        retention: options.retention,
      }),
    );
    if (after === undefined) removeFile(file.path);
    else writeFileAtomic(file.path, after, { mode: file.spec.mode ?? (file.secret ? 0o600 : 0o644), secret: file.secret });
    written.push(file.path);
  }
  return { written, history };
}
