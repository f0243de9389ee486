import { failedResult, finish } from "./change.ts";
import type { ChangeResult } from "./change.ts";
import { KitcfgError } from "./errors.ts";
import type { Issue } from "./errors.ts";
import type { Change } from "./formats/types.ts";
import { lookupPath, parseKeyPath } from "./keypath.ts";
import type { Kit } from "./kit.ts";
import { allTargets, notConfigured } from "./ops.ts";
import { assemblePlan } from "./plan.ts";
import type { Plan } from "./plan.ts";
import type { RepairResult } from "./plugin.ts";
import { secretsOf } from "./redact.ts";
import { assertParsed, readSnapshot, snapshotOf } from "./snapshot.ts";
import type { Snapshot } from "./snapshot.ts";
import { callPlugin, refuseInstanceForAll } from "./target.ts";
import type { Target } from "./target.ts";
import { applyChanges } from "./update.ts";
import { withLocks } from "./lock.ts";
import { chmodFile, followLinks } from "./store.ts";
import { validatePlanned, validateSnapshot } from "./_planned.ts";
import { exposedFiles, misplacedMounts, newIssues, refusalError } from "./validate.ts";

/** What a repair did (or, on a dry run, would do) to one daemon: a change, and its fixes. */
export interface RepairChangeResult extends ChangeResult {
  /** One line per fix the plugin made, in its words. */
  fixes: string[];
}

export interface RepairOptions {
  /** A daemon name, or "all" (every daemon that knows how to repair its files). */
  daemon: string;
  instance?: string;
  dryRun?: boolean;
}

/**
 * Fix what the older tool got wrong in a daemon's files, as a reviewable change: the
 * plugin's `repair` hook gives fixed texts, and they are planned, validated and written
 * like an update (history keeps the old files; a dry run writes nothing). A daemon
 * without a hook, or with nothing to fix, gives a result that changes nothing and says so.
 */
export async function repair(kit: Kit, options: RepairOptions): Promise<RepairChangeResult[]> {
  const all = options.daemon === "all";
  if (all) refuseInstanceForAll(options.instance);
  const dryRun = options.dryRun ?? false;
  const targets = all ? allTargets(kit, true) : [kit.target(options.daemon, options.instance)];
  const results: RepairChangeResult[] = [];
  for (const target of targets) {
    try {
      if (target.failure) throw target.failure;
      const disk = await readSnapshot(target);
      // A daemon named on its own that has no files is not "nothing to repair": there is nothing at all.
      if (!all && !disk.configured) throw notConfigured(target);
      // With "all", a daemon with no files has nothing to repair, and one without a repair hook is
      // listed only for what the core repairs itself: a mode to narrow, a setting in the wrong file.
      if (all && (!disk.configured || (!target.plugin.repair && !coreRepairs(disk)))) continue;
      const planned = await planRepair({ target });
      const result = planned.plan
        ? { ...(await finish(kit, planned.plan, dryRun)), fixes: planned.fixes }
        : nothingDone(target, dryRun, planned.note);
      results.push(await narrowModes(kit, target, result));
    } catch (error) {
      // With "all", one daemon that cannot be repaired must not stop the others.
      if (!all || !(error instanceof KitcfgError)) throw error;
      results.push({ ...failedResult(kit, target, error, options.dryRun ?? false, "repair"), fixes: [] });
    }
  }
  return results;
}

export interface PlanRepairOptions {
  target: Target;
}

export interface PlannedRepair {
  /** The change to make; undefined when there is nothing to repair. */
  plan?: Plan;
  fixes: string[];
  /** Why nothing is planned. */
  note?: string;
}

/**
 * Plan a repair: the plugin's fixed texts (and settings) become the new files, parsed and
 * validated. Errors the old files did not have refuse the repair; when the old files did
 * not even parse, whatever the repaired files still have is reported, not refused (they
 * are closer to valid than what was there).
 * @throws KitcfgError `PLUGIN_FAILED` when the hook names an unknown or derived file or
 * returns text that does not parse; `ParseError` for a broken file the hook left alone;
 * `ValidationError` for new errors.
 */
export async function planRepair(options: PlanRepairOptions): Promise<PlannedRepair> {
  const { target } = options;
  const hook = target.plugin.repair;
  const disk = await readSnapshot(target);
  const moved = misplacedSettings(disk);
  // A file that does not parse, and that no repair fixes, is reported as every command reports it.
  if (!hook && moved.fixes.length === 0) {
    assertParsed(disk);
    return { fixes: [], note: `${target.label} has nothing kitcfg knows how to repair` };
  }
  const texts = Object.fromEntries(disk.files.map((f) => [f.file.key, f.text]));
  const own: RepairResult = hook ? callPlugin(target.loaded, "repair", () => hook(texts, target.ctx)) : NO_FIXES;
  checkResult(target, own);
  const result = { ...own, set: { ...moved.set, ...own.set }, fixes: [...moved.fixes, ...own.fixes] };
  const changed = Object.entries(result.texts).filter(([key, text]) => text !== texts[key]);
  if (changed.length === 0 && Object.keys(result.set ?? {}).length === 0) {
    assertParsed(disk);
    return { fixes: [], note: `${target.label}: nothing to repair` };
  }
  const fixed = await snapshotOf(
    target,
    new Map(disk.files.map((f) => [f.file.key, { text: result.texts[f.file.key] ?? f.text, mode: f.mode }])),
  );
  assertReadable(target, fixed, result);
  const after = applyChanges(target, fixed.config, settingsOf(result));
  const assembled: Plan = await assemblePlan({
    kind: "repair",
    target,
    snapshot: fixed,
    after,
    disk: new Map(disk.files.map((f) => [f.file.key, f.text])),
    before: disk.config,
    alsoSecret: [fixed.config],
    issues: [],
    recompute: async () => (await planRepair(options)).plan ?? settled(plan),
  });
  // Checked as it will be written: a check that reads a file's raw text reads the repaired text.
  const issues = await validatePlanned(target, after, assembled.files);
  await refuseNewErrors(target, disk, issues, secretsOf(target, disk.config, fixed.config, after));
  const plan: Plan = { ...assembled, issues };
  return { plan, fixes: result.fixes };
}

// --- internal ---

const NO_FIXES: RepairResult = { texts: {}, fixes: [] };

/** Whether the core has something to repair in a daemon's files, hook or not (see `planRepair`, `narrowModes`). */
function coreRepairs(disk: Snapshot): boolean {
  return exposedFiles(disk).length > 0 || misplacedMounts(disk).length > 0;
}

/**
 * Settings the main file holds at a key another file is mounted at, set to the value kitcfg
 * reads (the mounted file's, when it exists): the write puts each in its own file and takes
 * it out of the main one, as any update splits the configuration.
 */
function misplacedSettings(disk: Snapshot): { set: Record<string, unknown>; fixes: string[] } {
  const set: Record<string, unknown> = {};
  const fixes: string[] = [];
  for (const { key, from, to, shadowed } of misplacedMounts(disk)) {
    set[key] = lookupPath(disk.config, parseKeyPath(key));
    const daemon = disk.target.plugin.name;
    fixes.push(
      shadowed
        ? `removed "${key}" from ${from}: ${daemon} reads it from ${to} only, which holds its own`
        : `moved "${key}" from ${from} to ${to}, the only place ${daemon} reads it`,
    );
  }
  return { set, fixes };
}

/**
 * The older tool wrote every file 0644, secrets included: each file that holds a secret and
 * that others may read loses the bits the plugin's mode does not allow (0644 becomes 0600),
 * under the file's lock. A mode is no content: history keeps texts, and nothing is recorded.
 */
async function narrowModes(kit: Kit, target: Target, result: RepairChangeResult): Promise<RepairChangeResult> {
  const exposed = exposedFiles(await readSnapshot(target));
  if (exposed.length === 0) return result;
  if (!result.dryRun) {
    const real = exposed.map((file) => ({ ...file, path: followLinks(file.path, target.ctx.root) }));
    await withLocks({ files: real.map((file) => file.path), timeoutMs: kit.lockTimeoutMs }, async () => {
      for (const file of real) chmodFile(file.path, file.wanted);
    });
  }
  const fixes = exposed.map(
    ({ path, mode, wanted }) =>
      `${path}: mode ${mode.toString(8)} -> ${wanted.toString(8)}, as it holds secrets (others could read them)`,
  );
  // "Nothing to repair" no longer holds.
  const notes = result.files.length === 0 ? [] : result.notes;
  return { ...result, changed: result.changed || !result.dryRun, fixes: [...result.fixes, ...fixes], notes };
}

function checkResult(target: Target, result: RepairResult): void {
  const fail = (what: string) =>
    new KitcfgError("PLUGIN_FAILED", `Plugin "${target.plugin.name}" failed in repair: ${what}`);
  if (
    typeof result !== "object" ||
    result === null ||
    typeof result.texts !== "object" ||
    !Array.isArray(result.fixes)
  ) {
    throw fail("it must return { texts, fixes }");
  }
  for (const [key, text] of Object.entries(result.texts)) {
    const file = target.files.find((f) => f.key === key);
    if (!file) throw fail(`it returned text for "${key}", which is not one of its files`);
    if (file.spec.derive) throw fail(`it returned text for "${key}", which kitcfg computes from the configuration`);
    if (typeof text !== "string") throw fail(`the text for "${key}" is not a string`);
  }
}

/** Every source file must parse once repaired: kitcfg plans only from files it can read. */
function assertReadable(target: Target, fixed: Snapshot, result: RepairResult): void {
  const broken = fixed.files.find((f) => f.error && !f.file.spec.derive);
  if (!broken?.error) return;
  if (result.texts[broken.file.key] === undefined) {
    throw new KitcfgError("PARSE_FAILED", `${broken.error.message}; kitcfg repair does not know how to fix it`, {
      file: broken.file.path,
      hint: "Fix the file by hand, or replace it with `kitcfg configure --force` (the old file is kept in history)",
    });
  }
  throw new KitcfgError(
    "PLUGIN_FAILED",
    `Plugin "${target.plugin.name}" failed in repair: its text for ${broken.file.path} does not parse: ` +
      `${broken.error.message}`,
    {
      file: broken.file.path,
      cause: broken.error,
    },
  );
}

function settingsOf(result: RepairResult): Change[] {
  return Object.entries(result.set ?? {}).map(([key, value]) => ({ op: "set", path: parseKeyPath(key), value }));
}

async function refuseNewErrors(target: Target, disk: Snapshot, issues: Issue[], secrets: string[]): Promise<void> {
  if (disk.files.some((f) => f.error && !f.file.spec.derive)) return;
  const before = disk.configured ? await validateSnapshot(disk) : [];
  const refused = newIssues(before, issues).filter((issue) => issue.severity === "error");
  if (refused.length === 0) return;
  throw refusalError(
    refused,
    (issue) => `Cannot repair ${target.label}: "${issue.key || "(file)"}": ${issue.message}`,
    secrets,
    "Nothing was written; the repair would have made the configuration invalid",
  );
}

/** The plan once another writer has fixed the files meanwhile: nothing is left to write. */
function settled(plan: Plan): Plan {
  return {
    ...plan,
    files: plan.files.map((f) => ({ ...f, action: "unchanged", after: undefined, diff: "", keys: [] })),
    changedKeys: [],
  };
}

function nothingDone(target: Target, dryRun: boolean, note: string | undefined): RepairChangeResult {
  return {
    daemon: target.plugin.name,
    ...(target.instance ? { instance: target.instance } : {}),
    kind: "repair",
    dryRun,
    changed: false,
    files: [],
    diff: "",
    changedKeys: [],
    issues: [],
    notes: note ? [note] : [],
    history: [],
    fixes: [],
  };
}
