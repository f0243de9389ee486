/**
 * The seeded fuzz run shared by tests/fuzz.test.ts and bench/fuzz.ts: bad `--set` values,
 * key paths, daemon and instance names and file contents thrown at the CLI (in process)
 * and the API, and desired-state documents of good and bad values at `plan` and `apply`,
 * over every loaded plugin. Each case must end in a clear error or a valid result: an exit
 * code of 0-3 (4 too for a plan: changes pending), no stack trace, no write outside the
 * daemons' own files and kitcfg's history, no polluted prototype; an apply that went through
 * leaves every file it wrote readable, and a plan of the same document then finds it in sync.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { update } from "../core/change.ts";
import { KitcfgError } from "../core/errors.ts";
import { lookupPath } from "../core/keypath.ts";
import { readSnapshot } from "../core/snapshot.ts";
import { run } from "../cli.ts";
import { cleanEnv, tempDir } from "./helpers.ts";
import { listTree, openTestKit, schemaLeaves, seededRandom } from "./_safety.ts";
import { badContent, badDaemon, badInstance, badKey, badValue, typedValue } from "./_fuzz-inputs.ts";

export interface FuzzOptions {
  cases: number;
  seed: number;
  /** Report cases slower than this many milliseconds through `onSlow` (bench/fuzz.ts). */
  slow?: number;
  onSlow?: (line: string) => void;
}

export interface FuzzReport {
  cases: number;
  byKind: Record<string, number>;
  byExit: Record<string, number>;
  failures: string[];
}

/** Run `cases` fuzz cases; every broken promise is a line in `failures`. */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const random = seededRandom(options.seed);
  const box = tempDir("kitcfg-fuzz-");
  const root = join(box.dir, "root");
  mkdirSync(join(box.dir, "outside"), { recursive: true });
  writeFileSync(join(box.dir, "outside/sentinel"), "untouched\n");
  mkdirSync(root);
  const env = cleanEnv(root, { KITCFG_HISTORY_RETENTION: "5" });
  const report: FuzzReport = { cases: 0, byKind: {}, byExit: {}, failures: [] };
  const prototypes = protoShape();
  try {
    const world = await setUp(root, env);
    for (let i = 0; i < options.cases; i++) {
      const c = makeCase(random, world);
      report.byKind[c.kind] = (report.byKind[c.kind] ?? 0) + 1;
      const label = `case ${i} (${c.kind}): ${describe(c)}`;
      // FUZZ_TRACE=1 names each case before it runs, to find one that kills the process.
      if (process.env.FUZZ_TRACE) writeSync(2, `${label.slice(0, 300)}\n`);
      await allowInstance(c, root, env, world);
      const started = performance.now();
      const outcome = await runCase(c, root, env, world);
      if (options.slow && performance.now() - started > options.slow)
        options.onSlow?.(`${label}: ${(performance.now() - started).toFixed(0)} ms`);
      // A plan's or apply's exit codes apart: 4 and a 0 after an apply mean other things there.
      const exit = c.kind === "desired" ? `${c.args[0]} ${outcome.exit}` : outcome.exit;
      report.byExit[exit] = (report.byExit[exit] ?? 0) + 1;
      for (const problem of outcome.problems) report.failures.push(`${label}: ${problem}`);
      if (protoShape() !== prototypes || ({} as Record<string, unknown>).polluted !== undefined) {
        report.failures.push(`${label}: a prototype was polluted`);
        restorePrototypes();
      }
      for (const problem of checkTree(box.dir, root, world)) report.failures.push(`${label}: ${problem}`);
      reset(root, world);
      report.cases++;
      if (report.failures.length > 20) break;
    }
  } finally {
    box.cleanup();
  }
  return report;
}

// --- internal ---

interface World {
  daemons: {
    name: string;
    keys: string[];
    files: string[];
    instance?: string;
    /** The value of each key after `configure all` (a good value to set), where it has one. */
    values: Map<string, unknown>;
    profiles: string[];
  }[];
  /** Files of other instances that cases named (plain instance names are allowed to be created). */
  extra: Set<string>;
  /** Every daemon file and its bytes after `configure all`. */
  pristine: Map<string, string>;
  stateDir: string;
}

type Case =
  | { kind: "cli"; args: string[]; daemon?: string; writes: boolean }
  | { kind: "file"; path: string; content: string; args: string[]; daemon: string; writes: boolean }
  | { kind: "api"; daemon: string; key: string; value: unknown }
  | { kind: "desired"; args: string[]; document: string; daemons: string[]; writes: boolean };

/** Where a desired-state case writes its document (under the root: allowed there, removed after). */
const DESIRED_FILE = "desired.json";

async function setUp(root: string, env: Record<string, string>): Promise<World> {
  const code = await run(["configure", "all", "--root", root], quietIO(root, env));
  if (code !== 0) throw new Error(`configure all failed with ${code} before fuzzing`);
  const kit = await openTestKit(root, env);
  const daemons = [];
  for (const { plugin } of kit.registry.plugins) {
    const target = kit.target(plugin.name);
    const keys = schemaLeaves(plugin.schema).map((l) => l.path.join("."));
    const config = (await readSnapshot(target)).config;
    const values = new Map<string, unknown>();
    for (const key of keys) {
      const value = lookupPath(config, key.split("."));
      if (value !== undefined) values.set(key, value);
    }
    const profiles = Object.keys(plugin.profiles ?? {});
    daemons.push({
      name: plugin.name,
      keys,
      files: target.files.map((f) => f.path),
      instance: target.instance,
      values,
      profiles,
    });
  }
  const pristine = new Map<string, string>();
  for (const path of daemons.flatMap((d) => d.files)) {
    try {
      pristine.set(path, readFileSync(path, "latin1"));
    } catch {
      // an optional file configure does not write
    }
  }
  return { daemons, extra: new Set(), pristine, stateDir: kit.stateDir };
}

const COMMANDS_READ = ["show", "get", "validate", "status", "history", "diff", "env", "args", "list"];
const COMMANDS_WRITE = ["update", "configure", "restore"];

function makeCase(random: () => number, world: World): Case {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const daemon = pick(world.daemons);
  const key = daemon.keys.length ? pick(daemon.keys) : "x";
  const extra = () => (random() < 0.3 ? ["--json"] : []).concat(random() < 0.2 ? ["--dry-run"] : []);
  const roll = random();
  if (roll < 0.3)
    return {
      kind: "cli",
      daemon: daemon.name,
      writes: true,
      args: ["update", daemon.name, "--set", `${key}=${badValue(random)}`, ...extra()],
    };
  if (roll < 0.45) {
    const k = badKey(random);
    const args = pick([
      ["update", daemon.name, "--set", `${k}=${badValue(random)}`],
      ["update", daemon.name, "--unset", k],
      ["get", daemon.name, k],
      ["show", daemon.name, k],
    ]);
    return {
      kind: "cli",
      daemon: daemon.name,
      writes: args[0] === "update",
      args: [...args, ...(random() < 0.3 ? ["--json"] : [])],
    };
  }
  if (roll < 0.6) {
    const command = pick([...COMMANDS_READ, ...COMMANDS_WRITE]);
    const name = random() < 0.7 ? badDaemon(random) : daemon.name;
    const args = [command, name];
    if (command === "update") args.push("--set", `${key}=${badValue(random)}`);
    if (random() < 0.5) args.push("--instance", badInstance(random));
    if (random() < 0.1) args.push("--lock-timeout", pick(["-1", "NaN", "1e309", "", "0x10", "0"]));
    if (command === "restore" && random() < 0.5) args.splice(2, 0, badInstance(random));
    return {
      kind: "cli",
      args: [...args, ...(random() < 0.3 ? ["--json"] : [])],
      writes: COMMANDS_WRITE.includes(command),
    };
  }
  if (roll < 0.9) {
    const path = pick(daemon.files);
    const command = pick([
      ["show", daemon.name],
      ["validate", daemon.name],
      ["status"],
      ["update", daemon.name, "--set", `${key}=${badValue(random)}`],
      ["configure", daemon.name],
      ["configure", daemon.name, "--force"],
      ["diff", daemon.name],
      ["restore", daemon.name],
      ["env", daemon.name],
      ["history", daemon.name],
    ]);
    const writes = COMMANDS_WRITE.includes(command[0]!);
    return {
      kind: "file",
      path,
      content: badContent(random, world.pristine.get(path)),
      args: [...command, ...extra()],
      daemon: daemon.name,
      writes,
    };
  }
  if (roll < 0.95) return desiredCase(random, world);
  return { kind: "api", daemon: daemon.name, key: random() < 0.7 ? key : badKey(random), value: typedValue(random) };
}

/**
 * A desired-state document for `plan` or `apply`: one to three daemons (a bad name now and
 * then), each with keys set to the value it holds, another daemon's value, a typed or a bad
 * value, an unset, a profile.
 */
function desiredCase(random: () => number, world: World): Case {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const document: Record<string, Record<string, unknown>> = {};
  const named: string[] = [];
  // Some documents hold only values that fit (held ones, a switch flipped, a count moved by one):
  // an apply of those goes through, and must then be in sync.
  const clean = random() < 0.4;
  for (let i = 0, n = 1 + Math.floor(random() * 3); i < n; i++) {
    const daemon = pick(world.daemons);
    const table: Record<string, unknown> = {};
    const set: Record<string, unknown> = {};
    const good = [...daemon.values];
    for (let k = 0, m = 1 + Math.floor(random() * 4); k < m; k++) {
      const roll = clean ? random() * 0.45 : random();
      if (roll < 0.45 && good.length) {
        const [key, value] = pick(good);
        own(set, key, random() < 0.5 ? nudged(value) : value);
      } else if (roll < 0.6 && good.length) own(set, pick(good)[0], pick([...pick(world.daemons).values.values(), 1]));
      else if (roll < 0.75) own(set, pick(daemon.keys.length ? daemon.keys : ["x"]), documentValue(random));
      else if (roll < 0.9) own(set, pick(daemon.keys.length ? daemon.keys : ["x"]), badValue(random));
      else own(set, badKey(random), documentValue(random));
    }
    table.set = set;
    if (!clean && random() < 0.2)
      table.unset = [pick(daemon.keys.length && random() < 0.8 ? daemon.keys : [badKey(random)])];
    if (random() < 0.15 && daemon.profiles.length) table.profile = pick(daemon.profiles);
    const name = !clean && random() < 0.05 ? badDaemon(random) : daemon.name;
    own(document, name, table);
    named.push(daemon.name);
  }
  const command = random() < 0.5 ? "apply" : "plan";
  return {
    kind: "desired",
    document: (() => {
      try {
        return documentText(document);
      } catch (e) {
        console.error("DOC", require("node:util").inspect(document, { depth: 4 }).slice(0, 3000));
        throw e;
      }
    })(),
    args: [command, DESIRED_FILE, ...(random() < 0.3 ? ["--json"] : [])],
    daemons: named,
    writes: command === "apply",
  };
}

/** Set an own property, even one named `__proto__` (a key of the document, not its prototype). */
function own(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A typed value a JSON document can hold: a nesting too deep for JSON.stringify is one past kitcfg's limit. */
function documentValue(random: () => number): unknown {
  const value = typedValue(random);
  try {
    documentText(value);
    return value;
  } catch {
    let deep: unknown = 1;
    for (let i = 0; i < 70; i++) deep = { a: deep };
    return deep;
  }
}

/** `value` as JSON text, an integer past 2^53 (a bigint) with every digit, as a JSON number. */
function documentText(value: unknown): string {
  return JSON.stringify(value, (_, v) => (typeof v === "bigint" ? `\u0000${v}\u0000` : v)).replace(
    /"\\u0000(-?\d+)\\u0000"/g,
    "$1",
  );
}

/** A value near `value`: a switch flipped, a whole number moved by one, anything else as it is. */
function nudged(value: unknown): unknown {
  if (typeof value === "boolean") return !value;
  if (typeof value === "number" && Number.isInteger(value)) return value + 1;
  return value;
}

async function runCase(
  c: Case,
  root: string,
  env: Record<string, string>,
  world: World,
): Promise<{ exit: string; problems: string[] }> {
  const problems: string[] = [];
  if (c.kind === "api") {
    try {
      await update(await openTestKit(root, env), {
        daemon: c.daemon,
        requests: [{ op: "set", key: c.key, value: c.value }],
      });
      await expectParsable(root, env, c.daemon, problems);
      return { exit: "api-ok", problems };
    } catch (error) {
      if (!(error instanceof KitcfgError))
        problems.push(
          `the API threw a ${(error as Error)?.name ?? typeof error}, ` +
            `not a KitcfgError: ${String((error as Error)?.message ?? error).slice(0, 200)}`,
        );
      return { exit: "api-error", problems };
    }
  }
  if (c.kind === "file") writeFileSync(c.path, c.content, "latin1");
  if (c.kind === "desired") writeFileSync(join(root, DESIRED_FILE), c.document);
  let stdout = "";
  let stderr = "";
  const code = await run([...c.args, "--root", root], {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env,
    cwd: root,
    color: false,
  });
  const pending = c.kind === "desired" && c.args[0] === "plan" ? [4] : [];
  if (![0, 1, 2, 3, ...pending].includes(code)) problems.push(`exit code ${code}: ${stderr.slice(0, 400)}`);
  if (/Internal error|^\s+at /m.test(stderr)) problems.push(`a stack trace or internal error: ${stderr.slice(0, 400)}`);
  if (code !== 0 && code !== 4 && stderr.trim() === "" && !c.args.includes("--json"))
    problems.push(`exit code ${code} without a message`);
  if (c.args.includes("--json") && stdout.trim() === "") problems.push(`--json printed nothing (exit code ${code})`);
  if (c.args.includes("--json") && stdout.trim() !== "") {
    try {
      JSON.parse(stdout);
    } catch {
      problems.push(`--json printed something that is not one JSON document: ${stdout.slice(0, 200)}`);
    }
  }
  if (c.kind === "desired" && c.args[0] === "apply" && code === 0) {
    for (const daemon of new Set(c.daemons)) await expectParsable(root, env, daemon, problems);
    // A second plan of the same document is in sync (exit 0).
    let again = "";
    const replan = await run(["plan", DESIRED_FILE, "--root", root], {
      stdout: (t) => void (again += t),
      stderr: (t) => void (again += t),
      env,
      cwd: root,
      color: false,
    });
    if (replan !== 0) problems.push(`a plan of the document just applied exits ${replan}: ${again.slice(0, 400)}`);
  }
  const forced = c.args[0] === "restore" && c.args.includes("--force");
  if (
    code === 0 &&
    c.writes &&
    c.kind !== "desired" &&
    !forced &&
    !c.args.includes("--dry-run") &&
    c.daemon &&
    world.daemons.some((d) => d.name === c.daemon) &&
    !c.args.includes("--instance")
  ) {
    await expectParsable(root, env, c.daemon, problems);
  }
  return { exit: String(code), problems };
}

/** A case naming a valid instance of a daemon with instances may create that instance's files. */
async function allowInstance(c: Case, root: string, env: Record<string, string>, world: World): Promise<void> {
  if (c.kind === "api") return;
  if (c.kind === "desired") {
    world.extra.add(join(root, DESIRED_FILE));
    return;
  }
  const at = c.args.indexOf("--instance");
  if (at < 0) return;
  try {
    const kit = await openTestKit(root, env);
    for (const file of kit.target(c.args[1]!, c.args[at + 1]).files) world.extra.add(file.path);
  } catch {
    // not a daemon, or not an instance it accepts: the command must fail without writing
  }
}

/** After a successful write, every file of the daemon reads back. */
async function expectParsable(
  root: string,
  env: Record<string, string>,
  daemon: string,
  problems: string[],
): Promise<void> {
  const snapshot = await readSnapshot((await openTestKit(root, env)).target(daemon));
  for (const f of snapshot.files)
    if (f.error) problems.push(`a successful write left ${f.file.path} unparsable: ${f.error.message}`);
}

/** Nothing outside the root changed; under it, only daemon files, their folders and history. */
function checkTree(box: string, root: string, world: World): string[] {
  const problems: string[] = [];
  const outside = listTree(box).filter((p) => p !== "root" && !p.startsWith("root/"));
  if (
    outside.join() !== "outside,outside/sentinel" ||
    readFileSync(join(box, "outside/sentinel"), "utf8") !== "untouched\n"
  ) {
    problems.push(`something changed outside the root: ${outside.join(", ")}`);
  }
  const allowed = new Set<string>();
  for (const file of [...world.daemons.flatMap((d) => d.files), ...world.extra]) {
    for (let p = file; p.startsWith(`${root}/`); p = p.slice(0, p.lastIndexOf("/"))) allowed.add(p);
  }
  for (let p = world.stateDir; p.startsWith(`${root}/`); p = p.slice(0, p.lastIndexOf("/"))) allowed.add(p);
  for (const rel of listTree(root)) {
    const path = join(root, rel);
    if (allowed.has(path) || path === `${world.stateDir}/history` || path.startsWith(`${world.stateDir}/history/`))
      continue;
    if (/\.kitcfg-\d+-[a-z0-9]*\.tmp$|\.lock$|\.takeover$/.test(path)) problems.push(`left behind: ${path}`);
    else problems.push(`wrote outside the daemons' files: ${path}`);
  }
  return problems;
}

/** Put every daemon file back as `configure all` left it, and remove what cases created. */
function reset(root: string, world: World): void {
  const keep = new Set<string>();
  for (const file of [...world.pristine.keys(), world.stateDir]) {
    for (let p = file; p.startsWith(`${root}/`); p = p.slice(0, p.lastIndexOf("/"))) keep.add(p);
  }
  for (const rel of listTree(root).reverse()) {
    const path = join(root, rel);
    if (!keep.has(path) && !path.startsWith(`${world.stateDir}/`)) rmSync(path, { recursive: true, force: true });
  }
  for (const [path, bytes] of world.pristine) {
    let now: string | undefined;
    try {
      now = readFileSync(path, "latin1");
    } catch {
      now = undefined;
    }
    if (now !== bytes) {
      rmSync(path, { recursive: true, force: true });
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, bytes, "latin1");
    }
  }
}

function quietIO(root: string, env: Record<string, string>) {
  return { stdout: () => {}, stderr: () => {}, env, cwd: root, color: false };
}

function describe(c: Case): string {
  const show = (text: string) => JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…(${text.length})` : text);
  if (c.kind === "api") return `update(${c.daemon}, ${show(c.key)} = ${show(String(safeString(c.value)))})`;
  if (c.kind === "desired") return `${c.document.slice(0, 600)} > ${DESIRED_FILE}; kitcfg ${c.args.join(" ")}`;
  const args = c.args.map(show).join(" ");
  return c.kind === "file" ? `${c.path} := ${show(c.content)}; kitcfg ${args}` : `kitcfg ${args}`;
}

function safeString(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return "(unprintable)";
  }
}

function protoShape(): string {
  return [Object.prototype, Array.prototype, Function.prototype]
    .map((p) => Object.getOwnPropertyNames(p).sort().join())
    .join("|");
}

function restorePrototypes(): void {
  delete (Object.prototype as Record<string, unknown>).polluted;
}
