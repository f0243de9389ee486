/**
 * One case of bench/storacha-differential.ts: kitcfg's verdict on a hand-written config.json, and
 * what the real storacha CLI (bench/storacha-read.mjs) loads with `kitcfg env storacha`'s lines.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { CLI_KEYS, type StorachaCase } from "./_storacha-cases.ts";
import { type KitcfgIssue, spawnText, validateIssues } from "./_client-differential.ts";

const KITCFG = resolve(import.meta.dir, "../dist/kitcfg");
const READER = resolve(import.meta.dir, "storacha-read.mjs");

/** What bench/storacha-read.mjs prints. */
export interface CliRead {
  environ: Record<string, string>;
  dialed: string[];
  importError?: string;
  storePath?: string;
  storeError?: string;
  client?: { agent: string; serviceDid: string; serviceUrl: string; uploadUrl: string; receiptsUrl: string };
  clientError?: string;
  /** The reader printed nothing readable. */
  error?: string;
}

/** A case as both sides took it. */
export interface StorachaRun {
  /** The CLI's store folder: `<XDG_CONFIG_HOME>/w3access` (env-paths "w3access", suffix ""). */
  storeDir: string;
  valid: boolean;
  issues: KitcfgIssue[];
  /** `kitcfg env storacha` failed; the CLI got the values directly, or (a value that is not text) was not run. */
  envError?: string;
  cli?: CliRead;
}

/** Runs one case in a fresh folder (HOME, XDG dirs and --root all inside it). */
export async function runStorachaCase(one: StorachaCase, cliDir: string): Promise<StorachaRun> {
  const dir = mkdtempSync(join(tmpdir(), "kitcfg-storachadiff-"));
  try {
    mkdirSync(join(dir, ".storacha"));
    mkdirSync(join(dir, "work"));
    // 0600, as kitcfg writes it: a file others may read is an error of its own, whatever the settings.
    writeFileSync(join(dir, ".storacha/config.json"), `${JSON.stringify(one.config, null, 2)}\n`, { mode: 0o600 });
    const env = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: dir,
      LANG: "C.UTF-8",
      XDG_CONFIG_HOME: join(dir, "xdg/config"),
      XDG_DATA_HOME: join(dir, "xdg/data"),
      XDG_CACHE_HOME: join(dir, "xdg/cache"),
      XDG_STATE_HOME: join(dir, "xdg/state"),
    };
    const storeDir = join(env.XDG_CONFIG_HOME, "w3access");
    const validated = await spawnText([KITCFG, "validate", "storacha", "--json", "--root", dir], { env, cwd: dir });
    const run: StorachaRun = { storeDir, valid: validated.code === 0, issues: validateIssues(validated.stdout) };
    // --reveal: a URL's password is a secret `kitcfg env` keeps back otherwise; the lines are never printed.
    const exported = await spawnText([KITCFG, "env", "storacha", "--reveal", "--root", dir], { env, cwd: dir });
    // The lines are evaluated by sh as a user's shell would, then node runs the CLI's loading code. When
    // kitcfg gives no lines (a value it cannot write, of a config it refused), the values go in as kitcfg
    // would export them, to learn whether the CLI reads them.
    let read: Awaited<ReturnType<typeof spawnText>>;
    if (exported.code === 0) {
      const script = 'eval "$1"; exec node "$2" "$3"';
      read = await spawnText(["sh", "-c", script, "sh", exported.stdout, READER, cliDir], {
        env,
        cwd: join(dir, "work"),
      });
    } else {
      run.envError = exported.stderr.trim().split("\n").pop() || `exit ${exported.code}`;
      const direct = directEnv(one.config);
      if (direct === undefined) return run;
      read = await spawnText(["node", READER, cliDir], { env: { ...env, ...direct }, cwd: join(dir, "work") });
    }
    try {
      run.cli = JSON.parse(read.stdout) as CliRead;
    } catch {
      run.cli = { environ: {}, dialed: [], error: `reader failed: ${read.stderr.trim().split("\n").pop()}` };
    }
    return run;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- internal ---

/** The variables kitcfg's env gives for `config` (plugins/storacha.ts `env`); undefined when one is not text. */
function directEnv(config: Record<string, unknown>): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [key, name] of Object.entries(CLI_KEYS)) {
    const value = config[key];
    if (value === undefined) continue;
    if (typeof value !== "string" || value.includes("\0")) return undefined;
    out[name] = value;
  }
  if (out.STORACHA_SERVICE_URL === undefined || out.STORACHA_SERVICE_DID === undefined) {
    delete out.STORACHA_SERVICE_URL;
    delete out.STORACHA_SERVICE_DID;
  }
  return out;
}
