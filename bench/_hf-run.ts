/**
 * One case of bench/hf-differential.ts: kitcfg's verdict, its env file and `env --reveal`
 * lines, and what huggingface_hub (bench/hf-read.py) reads from each.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { HfCase } from "./_hf-cases.ts";
import { type KitcfgIssue, spawnText, validateIssues } from "./_client-differential.ts";

const KITCFG = resolve(import.meta.dir, "../dist/kitcfg");
const READER = resolve(import.meta.dir, "hf-read.py");

/** What `bench/hf-read.py` prints. */
export interface ClientRead {
  error?: string;
  environ: Record<string, string>;
  constants?: Record<string, unknown>;
  apiPath?: string;
  apiScheme?: string;
  apiHost?: string | null;
  apiError?: string;
  token?: string | null;
  tokenError?: string;
}

/** A case as both sides took it; `file` and `shell` are absent when kitcfg wrote no such variables. */
export interface HfRun {
  dir: string;
  valid: boolean;
  issues: KitcfgIssue[];
  /** The token as kitcfg reads it (`get huggingface token --reveal`). */
  kitcfgToken?: string;
  /** The client started with huggingface.env, sourced as a shell does. */
  file?: ClientRead;
  /** The client started with `kitcfg env huggingface --reveal`'s lines (printed for an invalid config too). */
  shell?: ClientRead;
}

/** Runs one case in a fresh folder (HOME and --root), which `keep` leaves in place. */
export async function runHfCase(one: HfCase, source: string, keep = false): Promise<HfRun> {
  const dir = mkdtempSync(join(tmpdir(), "kitcfg-hfdiff-"));
  try {
    const home = join(dir, ".cache/huggingface");
    mkdirSync(home, { recursive: true });
    mkdirSync(join(dir, "work"));
    writeFileSync(join(home, "config.json"), `${JSON.stringify(one.config, null, 2)}\n`);
    if (one.token !== undefined) {
      writeFileSync(join(home, "token"), one.token);
      chmodSync(join(home, "token"), 0o600);
    }
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir, LANG: "C.UTF-8" };
    await kitcfg(["configure", "huggingface"], dir, env);
    const validated = await kitcfg(["validate", "huggingface", "--json"], dir, env);
    const issues = validateIssues(validated.stdout);
    const exported = await kitcfg(["env", "huggingface", "--reveal"], dir, env);
    const run: HfRun = { dir, valid: validated.code === 0, issues };
    if (one.token !== undefined) {
      const got = await kitcfg(["get", "huggingface", "token", "--reveal"], dir, env);
      if (got.code === 0) run.kitcfgToken = got.stdout.replace(/\n$/, "");
    }
    const envFile = join(home, "huggingface.env");
    if (existsSync(envFile)) run.file = await readClient('set -a; . "$1"; set +a', envFile, source, env, dir);
    if (exported.code === 0) run.shell = await readClient('eval "$1"', exported.stdout, source, env, dir);
    return run;
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

// --- internal ---

function kitcfg(args: string[], dir: string, env: Record<string, string>) {
  return spawnText([KITCFG, ...args, "--root", dir], { env });
}

/** python3 hf-read.py in a clean environment (HOME, PATH, LANG) that `prelude` fills in, from DIR/work. */
async function readClient(
  prelude: string,
  arg: string,
  source: string,
  env: Record<string, string>,
  dir: string,
): Promise<ClientRead> {
  const script = `${prelude}; exec python3 "$2" "$3"`;
  const child = Bun.spawn(["sh", "-c", script, "sh", arg, READER, source], {
    env,
    cwd: join(dir, "work"),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text()]);
  await child.exited;
  try {
    return JSON.parse(stdout) as ClientRead;
  } catch {
    return { error: `reader failed: ${stderr.trim().split("\n").pop()}`, environ: {} };
  }
}
