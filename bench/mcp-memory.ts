/**
 * Memory of a long MCP session: `dist/kitcfg mcp` over stdio, driven by the SDK's own
 * client with a mix of writes, refused writes, reads and validations; the server's RSS
 * (from /proc, Linux) is printed every `--every` calls.
 *
 *   bun bench/mcp-memory.ts [--calls N] [--every N]
 *
 * `mcpSession` is also what `bench/run.ts` uses for its MCP targets.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";

const KITCFG = resolve(import.meta.dir, "../dist/kitcfg");

/** What one session measured. */
export interface McpSessionResult {
  /** From spawning the server to the answer of the first tool call. */
  firstCallMs: number;
  /** Each call's round trip, in order. */
  callMs: number[];
  /** Server RSS (MiB) after the configure call and then every `every` calls: [calls, MiB]. */
  rss: [number, number][];
  totalMs: number;
}

/** One `kitcfg mcp` session over stdio: `calls` calls after a first `configure_daemon all`. */
export async function mcpSession(options: {
  calls: number;
  every: number;
  kitcfg?: string;
  onRss?: (calls: number, mib: number) => void;
}): Promise<McpSessionResult> {
  await warmClient(options.kitcfg ?? KITCFG);
  const root = mkdtempSync(join(tmpdir(), "kitcfg-mcp-bench-"));
  const transport = new StdioClientTransport({
    command: options.kitcfg ?? KITCFG,
    args: ["mcp", "--root", root],
    env: { PATH: process.env.PATH ?? "", HOME: root },
    stderr: "ignore",
  });
  const client = new Client({ name: "kitcfg-mcp-bench", version: "1.0.0" });
  const call = async (name: string, params: Record<string, unknown>): Promise<void> => {
    const result = await client.callTool({ name, arguments: params });
    const refused =
      name === "update_daemon_config" &&
      (params.config_updates as { offline?: unknown } | undefined)?.offline === "bad";
    if (Boolean(result.isError) !== Boolean(refused))
      throw new Error(`${name} ${JSON.stringify(params)}: ${JSON.stringify(result.content)}`);
  };
  try {
    const started = performance.now();
    await client.connect(transport);
    // The first call a client makes: which daemons exist and are configured.
    await call("get_daemon_config_status", {});
    const firstCallMs = performance.now() - started;
    await call("configure_daemon", { daemon_name: "all" });
    const rssMiB = () =>
      Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${transport.pid}/status`, "utf8"))![1]) / 1024;
    const rss: [number, number][] = [[0, rssMiB()]];
    options.onRss?.(0, rss[0]![1]);
    const callMs: number[] = [];
    const start = performance.now();
    for (let i = 1; i <= options.calls; i++) {
      const t = performance.now();
      if (i % 4 === 0)
        await call("update_daemon_config", {
          daemon_name: "huggingface",
          config_updates: { offline: i % 8 === 0, etag_timeout: i },
        });
      else if (i % 4 === 1) await call("get_daemon_config", { daemon_name: "s3" });
      else if (i % 4 === 2) await call("validate_daemon_configs", {});
      else await call("update_daemon_config", { daemon_name: "huggingface", config_updates: { offline: "bad" } });
      callMs.push(performance.now() - t);
      if (i % options.every === 0) {
        rss.push([i, rssMiB()]);
        options.onRss?.(i, rss.at(-1)![1]);
      }
    }
    return { firstCallMs, callMs, rss, totalMs: performance.now() - start };
  } finally {
    await client.close();
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * The median time from spawning a server to the answer of its first `get_daemon_config_status`
 * call, over `runs` fresh servers of each of `servers` taken in turns (so that machine noise
 * hits them alike), as `mcpSession` measures its first call. A server is its command and
 * arguments; each run gets a fresh root.
 */
export async function firstCallMedians(servers: string[][], runs: number): Promise<number[]> {
  const samples = servers.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    for (const [k, [command, ...args]] of servers.entries()) {
      const root = mkdtempSync(join(tmpdir(), "kitcfg-mcp-first-"));
      const client = new Client({ name: "kitcfg-mcp-bench-first", version: "1.0.0" });
      try {
        const started = performance.now();
        await client.connect(
          new StdioClientTransport({
            command: command!,
            args: [...args, "--root", root],
            env: { PATH: process.env.PATH ?? "", HOME: root },
            stderr: "ignore",
          }),
        );
        await client.callTool({ name: "get_daemon_config_status", arguments: {} });
        samples[k]!.push(performance.now() - started);
      } finally {
        await client.close();
        rmSync(root, { recursive: true, force: true });
      }
    }
  }
  return samples.map((ms) => ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)]!);
}

/**
 * One throwaway session first, so that the first-call figure measures a fresh server and
 * not this process's SDK client compiling its own code on first use (50-60 ms of it,
 * measured against a trivial compiled server). Its server is a process of its own: the
 * measured server starts cold all the same, as every timed CLI run of bench/run.ts does
 * after its warm-up runs.
 */
async function warmClient(kitcfg: string): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), "kitcfg-mcp-warm-"));
  const client = new Client({ name: "kitcfg-mcp-bench-warmup", version: "1.0.0" });
  try {
    await client.connect(
      new StdioClientTransport({
        command: kitcfg,
        args: ["mcp", "--root", root],
        env: { PATH: process.env.PATH ?? "", HOME: root },
        stderr: "ignore",
      }),
    );
    await client.callTool({ name: "get_daemon_config_status", arguments: {} });
  } finally {
    await client.close();
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const calls = Number(args[args.indexOf("--calls") + 1]) || 5000;
  const every = Number(args[args.indexOf("--every") + 1]) || 500;
  console.log(`calls  server RSS MiB`);
  const result = await mcpSession({
    calls,
    every,
    onRss: (n, mib) => console.log(`${String(n).padStart(5)}  ${mib.toFixed(1).padStart(14)}`),
  });
  console.log(
    `\n${calls} calls in ${(result.totalMs / 1000).toFixed(1)} s, ` +
      `first call ${result.firstCallMs.toFixed(1)} ms after start, bun ${Bun.version}`,
  );
}
