/**
 * The kill loop shared by tests/e2e/crash.test.ts and bench/crash.ts: start
 * `kitcfg update`, SIGKILL it after a random delay, and check that every file is exactly
 * its old or its new version and that the next run goes through undisturbed.
 */
import { readFileSync } from "node:fs";
import { readSnapshot } from "../core/snapshot.ts";
import { KITCFG, cleanEnv, kitcfg, tempDir } from "./helpers.ts";
import { findToggle, leftovers, openTestKit, pluginNames, seededRandom } from "./_safety.ts";

export interface CrashOptions {
  kills: number;
  seed: number;
  /** Kill delays are drawn from [0, max(this, 1.2 × the time an update takes here)]. */
  maxDelayMs?: number;
}

export interface CrashReport {
  kills: number;
  /** Kills that hit a running process (the others came after it had finished). */
  midRun: number;
  /** Kills after which a lock or temporary file was left: a write was in flight. */
  inFlight: number;
  /** Kills after which the files were the new version (the rename had happened). */
  leftNew: number;
  leftOld: number;
  byPlugin: Record<string, number>;
  /** Plugins without a key to switch (reported, not tested). */
  skipped: string[];
  /** Every broken promise, as a readable line; empty when all held. */
  failures: string[];
}

/** Run the kill loop over every loaded plugin that has a key to switch (see `findToggle`). */
export async function runCrashLoop(options: CrashOptions): Promise<CrashReport> {
  const random = seededRandom(options.seed);
  const report: CrashReport = {
    kills: 0,
    midRun: 0,
    inFlight: 0,
    leftNew: 0,
    leftOld: 0,
    byPlugin: {},
    skipped: [],
    failures: [],
  };
  const subjects: Subject[] = [];
  const scratch = tempDir("kitcfg-crash-names-");
  try {
    for (const name of await pluginNames(scratch.dir)) {
      const subject = await prepare(name);
      if (subject) subjects.push(subject);
      else report.skipped.push(name);
    }
  } finally {
    scratch.cleanup();
  }
  const durations: number[] = [];
  try {
    for (let i = 0; i < options.kills && subjects.length > 0; i++) {
      const subject = subjects[i % subjects.length]!;
      const median = durations.length ? [...durations].sort((a, b) => a - b)[durations.length >> 1]! : 30;
      const delay = random() * Math.max(options.maxDelayMs ?? 30, median * 1.2);
      await killOnce(subject, delay, report);
      durations.push(followUp(subject, report));
      report.byPlugin[subject.name] = (report.byPlugin[subject.name] ?? 0) + 1;
    }
  } finally {
    for (const subject of subjects) subject.cleanup();
  }
  return report;
}

// --- internal ---

interface Subject {
  name: string;
  root: string;
  key: string;
  values: [string, string];
  paths: string[];
  /** Each file's bytes in state 0 and state 1 (undefined: no file). */
  states: [Map<string, string | undefined>, Map<string, string | undefined>];
  cleanup: () => void;
}

async function prepare(name: string): Promise<Subject | undefined> {
  const { dir: root, cleanup } = tempDir(`kitcfg-crash-${name}-`);
  const configured = kitcfg(["configure", name], { root });
  const toggle = configured.code === 0 ? await findToggle(root, name) : undefined;
  if (!toggle) return (cleanup(), undefined);
  const target = (await openTestKit(root)).target(name);
  // The main file first: its bytes tell which state the daemon is in.
  const paths = [...target.files].sort((a, b) => Number(b.main) - Number(a.main)).map((f) => f.path);
  const states: Subject["states"] = [new Map(), new Map()];
  for (const state of [0, 1] as const) {
    const ran = kitcfg(["update", name, "--set", `${toggle.key}=${toggle.values[state]}`], { root });
    if (ran.code !== 0) throw new Error(`kitcfg update ${name} failed before any kill: ${ran.stderr}`);
    for (const path of paths) states[state].set(path, read(path));
    const broken = (await readSnapshot(target)).files.find((f) => f.error);
    if (broken)
      throw new Error(`${name}: ${broken.file.path} does not parse after a plain update: ${broken.error!.message}`);
  }
  return { name, root, key: toggle.key, values: toggle.values, paths, states, cleanup };
}

/** Which state the main file is in now, or -1 when it is neither. */
function stateOf(subject: Subject): 0 | 1 | -1 {
  const main = subject.paths[0]!;
  const text = read(main);
  return text === subject.states[0].get(main) ? 0 : text === subject.states[1].get(main) ? 1 : -1;
}

async function killOnce(subject: Subject, delay: number, report: CrashReport): Promise<void> {
  const from = stateOf(subject);
  const to = from === 0 ? 1 : 0;
  const child = Bun.spawn(
    [KITCFG, "update", subject.name, "--set", `${subject.key}=${subject.values[to]}`, "--root", subject.root],
    {
      env: cleanEnv(subject.root),
      cwd: subject.root,
      stdout: "ignore",
      stderr: "ignore",
    },
  );
  await Bun.sleep(delay);
  child.kill("SIGKILL");
  await child.exited;
  report.kills++;
  if (child.signalCode === "SIGKILL") report.midRun++;
  if (leftovers(subject.root).length > 0) report.inFlight++;
  for (const path of subject.paths) {
    const text = read(path);
    if (text !== subject.states[0].get(path) && text !== subject.states[1].get(path)) {
      report.failures.push(
        `${subject.name}: after a kill at ${delay.toFixed(1)} ms, ${path} is neither the old nor the new ` +
          `version (${text === undefined ? "missing" : `${text.length} bytes`})`,
      );
    }
  }
  const now = stateOf(subject);
  if (now === to) report.leftNew++;
  else if (now === from) report.leftOld++;
}

/** The next update after a kill: it must succeed, write its version whole and leave nothing behind. */
function followUp(subject: Subject, report: CrashReport): number {
  const from = stateOf(subject);
  const to = from === 0 ? 1 : 0;
  const started = performance.now();
  // A dead writer's lock is taken over at once; 5 s is only the bound for a broken takeover.
  const ran = kitcfg(["update", subject.name, "--set", `${subject.key}=${subject.values[to]}`, "--lock-timeout", "5"], {
    root: subject.root,
  });
  const took = performance.now() - started;
  if (ran.code !== 0)
    report.failures.push(`${subject.name}: the update after a kill failed (${ran.code}): ${ran.stderr.trim()}`);
  for (const path of subject.paths) {
    if (read(path) !== subject.states[to].get(path))
      report.failures.push(`${subject.name}: after the follow-up update, ${path} is not the expected version`);
  }
  const left = leftovers(subject.root);
  if (left.length > 0)
    report.failures.push(`${subject.name}: leftovers after the follow-up update: ${left.join(", ")}`);
  return took;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}
