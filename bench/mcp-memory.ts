/**
 * Memory of a long MCP session: `dist/kitcfg mcp` over stdio, driven by the SDK's own
 * client with a mix of writes, refused writes, reads and validations; the server's RSS
 * (from /proc, Linux) is printed every `--every` calls.
 *
 *   bun bench/mcp-memory.ts [--calls N] [--every N]
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";

const KITCFG = resolve(import.meta.dir, "../dist/kitcfg");
const args = process.argv.slice(2);
const CALLS = Number(args[args.indexOf("--calls") + 1]) || 5000;
const EVERY = Number(args[args.indexOf("--every") + 1]) || 500;

const root = mkdtempSync(join(tmpdir(), "kitcfg-mcp-bench-"));
const transport = new StdioClientTransport({ command: KITCFG, args: ["mcp", "--root", root], env: { PATH: process.env.PATH ?? "", HOME: root }, stderr: "ignore" });
const client = new Client({ name: "kitcfg-mcp-bench", version: "1.0.0" });
try {
  await client.connect(transport);
  await call("configure_daemon", { daemon_name: "all" });
  const rssMiB = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${transport.pid}/status`, "utf8"))![1]) / 1024;
  console.log(`calls  server RSS MiB`);
  console.log(`${"0".padStart(5)}  ${rssMiB().toFixed(1).padStart(14)}`);
  const start = performance.now();
  for (let i = 1; i <= CALLS; i++) {
    if (i % 4 === 0) await call("update_daemon_config", { daemon_name: "huggingface", config_updates: { offline: i % 8 === 0, etag_timeout: i } });
    else if (i % 4 === 1) await call("get_daemon_config", { daemon_name: "s3" });
    else if (i % 4 === 2) await call("validate_daemon_configs", {});
    else await call("update_daemon_config", { daemon_name: "huggingface", config_updates: { offline: "bad" } });
    if (i % EVERY === 0) console.log(`${String(i).padStart(5)}  ${rssMiB().toFixed(1).padStart(14)}`);
  }
  console.log(`\n${CALLS} calls in ${((performance.now() - start) / 1000).toFixed(1)} s, bun ${Bun.version}`);
} finally {
  await client.close();
  rmSync(root, { recursive: true, force: true });
}

async function call(name: string, params: Record<string, unknown>): Promise<void> {
  const result = await client.callTool({ name, arguments: params });
  const refused = name === "update_daemon_config" && params.config_updates && (params.config_updates as { offline?: unknown }).offline === "bad";
  if (Boolean(result.isError) !== Boolean(refused)) throw new Error(`${name} ${JSON.stringify(params)}: ${JSON.stringify(result.content)}`);
}
