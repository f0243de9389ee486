import { afterEach, beforeEach } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { run } from "../cli.ts";
import { KitcfgError } from "../core/errors.ts";

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
export function kitcfg(
  args: string[],
  options: { root?: string; env?: Record<string, string>; cwd?: string } = {},
): Ran {
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

/** The user plugin the foundation issue quotes, byte for byte: it must work as a drop-in file. */
export const ACME_PLUGIN = `import { definePlugin, v } from "kitcfg";
export default definePlugin({
  name: "acme",
  summary: "Acme test daemon",
  files: { main: { path: "~/.acme/config.json", format: "json" } },
  schema: v.object({ port: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535)), debug: v.boolean() }),
  defaults: () => ({ port: 8080, debug: false }),
});
`;

/** The KitcfgError `fn` throws; anything else (or nothing) fails the test. */
export function thrownBy(fn: () => unknown): KitcfgError {
  try {
    fn();
  } catch (error) {
    if (error instanceof KitcfgError) return error;
    throw error;
  }
  throw new Error("expected a KitcfgError");
}

/**
 * Whether `command` is on PATH. When it is not, one visible line says which tests are
 * skipped for it (CI installs it: .ci/run), so a skip is never silent.
 */
export function hasTool(command: string, skipped: string): boolean {
  if (Bun.which(command) !== null) return true;
  console.warn(`NOTICE: ${command} is not installed: skipping ${skipped} (.ci/run installs it)`);
  return false;
}

/**
 * Whether strace is installed and may trace here (some containers allow no ptrace); a
 * visible notice names what is skipped when not.
 */
export function canTrace(skipped: string): boolean {
  if (!hasTool("strace", skipped)) return false;
  if (Bun.spawnSync(["strace", "-f", "-o", "/dev/null", "true"], { stderr: "ignore" }).exitCode === 0) return true;
  console.warn(`NOTICE: strace cannot trace here (no ptrace): skipping ${skipped}`);
  return false;
}

/** The notification a raw MCP client sends once `initialize` is answered. */
export const MCP_INITIALIZED = { jsonrpc: "2.0", method: "notifications/initialized" } as const;

/** A `tools/call` request of a raw MCP client. */
export function mcpToolCall(id: number | string, name: string, args: Record<string, unknown> = {}) {
  return { jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } };
}

/** The `initialize` request a raw MCP client writes first (id `id`). */
export function mcpInitialize(id: number | string = 1): Record<string, unknown> {
  return {
    jsonrpc: "2.0",
    id,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
  };
}

/**
 * The messages a server writes on `stdout`, a JSON line each, read one at a time: `next()`
 * resolves with the next one, and throws with the server's stderr once stdout has closed;
 * `release()` hands the stream back (to cancel it).
 */
export function jsonLines(proc: { stdout: ReadableStream<Uint8Array>; stderr: ReadableStream<Uint8Array> }): {
  next: () => Promise<any>;
  release: () => void;
} {
  const reader = proc.stdout.getReader();
  let buffered = "";
  return {
    next: async () => {
      while (!buffered.includes("\n")) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`server closed stdout; stderr: ${await new Response(proc.stderr).text()}`);
        buffered += new TextDecoder().decode(value);
      }
      const line = buffered.slice(0, buffered.indexOf("\n"));
      buffered = buffered.slice(line.length + 1);
      return JSON.parse(line);
    },
    release: () => reader.releaseLock(),
  };
}

/**
 * For a test file of user plugins: before each test a fresh root with a plugin folder in it,
 * and the environment that has kitcfg load the plugins there, handed to `use`; the root is
 * removed after the test.
 */
export function pluginFolderEachTest(use: (root: string, plugins: string, env: Record<string, string>) => void): void {
  let cleanup = () => {};
  beforeEach(() => {
    const made = tempDir();
    cleanup = made.cleanup;
    const plugins = join(made.dir, "plugins");
    mkdirSync(plugins);
    use(made.dir, plugins, cleanEnv(made.dir, { KITCFG_PLUGIN_PATH: plugins }));
  });
  afterEach(() => cleanup());
}

/**
 * `dist/kitcfg mcp --root root` given `messages` on stdin, a JSON line each, then the end of
 * stdin, as `printf ... | kitcfg mcp` does: what it wrote on stdout, and its exit code.
 */
export async function mcpPiped(root: string, messages: unknown[]): Promise<{ out: string; code: number }> {
  const proc = Bun.spawn([KITCFG, "mcp", "--root", root], {
    env: cleanEnv(root),
    stdin: new Blob([messages.map((message) => `${JSON.stringify(message)}\n`).join("")]),
    stdout: "pipe",
    stderr: "pipe",
  });
  const out = await new Response(proc.stdout).text();
  return { out, code: await proc.exited };
}
