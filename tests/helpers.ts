import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { run } from "../cli.ts";

/** The compiled binary end-to-end tests run (built by `npm test` before bun test). */
export const KITCFG = resolve(import.meta.dir, "../dist/kitcfg");

/** Real upstream files (tests/fixtures/SOURCES.md); copy them, never edit them in place. */
export const FIXTURES = resolve(import.meta.dir, "fixtures");

/** A fresh temporary folder, removed by the returned `cleanup`. */
export function tempDir(prefix = "kitcfg-test-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A minimal environment: nothing from the real home leaks into a test. */
export function cleanEnv(root: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: root, LANG: "C.UTF-8", ...extra };
}

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the compiled binary with `--root root` appended unless `root` is undefined. */
export function kitcfg(args: string[], options: { root?: string; env?: Record<string, string>; cwd?: string } = {}): Ran {
  const argv = options.root ? [...args, "--root", options.root] : args;
  const result = Bun.spawnSync([KITCFG, ...argv], {
    env: options.env ?? cleanEnv(options.root ?? tmpdir()),
    cwd: options.cwd ?? options.root ?? tmpdir(),
    stdout: "pipe",
    stderr: "pipe",
  });
  return { code: result.exitCode ?? -1, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

/** Run the CLI in this process through `run(argv, io)`, capturing what it prints. */
export async function runCli(args: string[], options: { root: string; env?: Record<string, string> }): Promise<Ran> {
  let stdout = "";
  let stderr = "";
  const code = await run([...args, "--root", options.root], {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    env: options.env ?? cleanEnv(options.root),
    cwd: options.root,
    color: false,
  });
  return { code, stdout, stderr };
}
