/**
 * kitcfg's MCP server, on the official SDK (v2, `@modelcontextprotocol/server`). This
 * module and everything it imports load only inside `kitcfg mcp`: no other command pays
 * for the SDK.
 *
 * Plugins are loaded once, at start: the tools' `daemon_name` enum is built from them.
 * A plugin file added or changed later is seen after the server restarts (MCP clients
 * restart their servers on reconnect); configuration files, by contrast, are read again
 * on every call (a daemon whose files are unchanged is not checked again: `check-memo.ts`).
 */
import { McpServer } from "@modelcontextprotocol/server";
import { serveStdio, StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import { toStandardJsonSchema } from "@valibot/to-json-schema";
// Not cli.ts's VERSION: importing the entry module from a lazy chunk would split it out of the entry.
import { version as VERSION } from "../package.json";
import { createCheckMemo } from "../core/check-memo.ts";
import type { Kit } from "../core/kit.ts";
import { boundedLines, MAX_MESSAGE_BYTES, messageIdOf } from "./_bounded-lines.ts";
import { advertisedArguments, checkArguments } from "./arguments.ts";
import { runTool } from "./call.ts";
import type { Log } from "./call.ts";
import { historyTools } from "./history-tools.ts";
import { serveHttp } from "./http.ts";
import type { HttpOptions } from "./http.ts";
import { registerConfigResources } from "./resources.ts";
import { withError } from "./schemas.ts";
import { daemonTools } from "./tools.ts";
import type { ToolDef } from "./tools.ts";

/** JIT policy for a long-running process: Bun's normal tier-up (see build.ts START_JIT_POLICY). */
const SERVER_JIT_POLICY = 1;

const INSTRUCTIONS =
  "kitcfg creates, validates and updates the configuration files of the daemons around an IPFS node. " +
  "Call get_daemon_config_status first to see which daemons exist and are configured, get_daemon_config to read one " +
  "(secrets are redacted), update_daemon_config with dry_run: true to preview a change as a diff. Every change is " +
  "checked against the daemon's schema before anything is written.";

export interface ServeMcpOptions {
  /** The session opened by the CLI: place, plugins (loaded once), lock timeout. */
  kit: Kit;
  /** Serve Streamable HTTP instead of stdio. */
  http?: HttpOptions;
  log: Log;
}

/**
 * Serve MCP until the client goes away: on stdio, until stdin closes; over HTTP, until
 * the process is interrupted. Returns the exit code.
 */
export async function serveMcp(options: ServeMcpOptions): Promise<number> {
  // A plugin file that failed to load is skipped; say so where the client's log shows it.
  for (const problem of options.kit.registry.problems) options.log(`⚠ ${problem.message}`);
  // Clients call validate and status again and again: a daemon whose files (and whatever
  // else its checks looked at) are unchanged is not checked again.
  const kit: Kit = { ...options.kit, memo: options.kit.memo ?? createCheckMemo() };
  options = { ...options, kit };
  const factory = serverFactory(options.kit, options.log);
  if (options.http)
    return serveHttp({ ...options.http, factory, kit: options.kit, log: options.log, ready: setServerJitPolicy });
  const closed = stdinClosed();
  const handle = serveStdio(factory, {
    transport: boundedStdio(options.log),
    onerror: (error) => options.log(options.kit.redact(`MCP transport error: ${error.message}`)),
  });
  setServerJitPolicy();
  options.log(`kitcfg ${VERSION} MCP server on stdio (${options.kit.registry.plugins.length} daemons)`);
  await closed;
  await handle.close();
  return 0;
}

/**
 * A factory of MCP servers with kitcfg's tools and resources: one per stdio connection,
 * one per HTTP request. Schemas are built once and shared.
 */
export function serverFactory(kit: Kit, log: Log): () => McpServer {
  const tools = [...daemonTools(kit.registry), ...historyTools(kit.registry)].map((tool) => ({
    tool,
    inputSchema: advertisedArguments(tool.input),
    outputSchema: toStandardJsonSchema(withError(tool.output)),
  }));
  return function createKitcfgServer() {
    const server = new McpServer({ name: "kitcfg", version: VERSION }, { instructions: INSTRUCTIONS });
    for (const { tool, inputSchema, outputSchema } of tools) {
      server.registerTool(
        tool.name,
        { title: tool.title, description: tool.description, inputSchema, outputSchema, annotations: tool.annotations },
        (args: unknown) => {
          // The SDK lets any object through (see advertisedArguments): kitcfg checks it inside the call.
          const given = (args ?? {}) as Record<string, unknown>;
          const work = (k: Kit) => tool.run(k, checkArguments(tool.input, given));
          return runTool({ base: kit, tool: tool.name, command: commandOf(tool, given), log, work });
        },
      );
    }
    registerConfigResources(server, kit, log);
    return server;
  };
}

// --- internal ---

/** What the history records as the command that made a change. */
function commandOf(tool: ToolDef, args: Record<string, unknown>): string {
  return ["kitcfg mcp", tool.name, typeof args.daemon_name === "string" ? args.daemon_name : ""].join(" ").trimEnd();
}

/**
 * The SDK's stdio transport reading stdin through `boundedLines`: a message over
 * `MAX_MESSAGE_BYTES` is answered with a JSON-RPC error (its id when it starts with one)
 * and the server goes on serving.
 */
function boundedStdio(log: Log): StdioServerTransport {
  const stdin = boundedLines(process.stdin, {
    limit: MAX_MESSAGE_BYTES,
    onOversized: (head, bytes) => {
      const message =
        `Message too large: ${bytes} bytes, over the limit of ${MAX_MESSAGE_BYTES} bytes (10 MiB); ` +
        "it was not read";
      log(message);
      process.stdout.write(
        `${JSON.stringify({ jsonrpc: "2.0", id: messageIdOf(head), error: { code: -32600, message } })}\n`,
      );
    },
  });
  // Lines arrive whole and bounded, so the SDK's buffer never holds more than one.
  return new StdioServerTransport(stdin, process.stdout, { maxBufferSize: MAX_MESSAGE_BYTES + 1024 });
}

function setServerJitPolicy(): void {
  Bun.unsafe.setJITPolicy(SERVER_JIT_POLICY);
}

/** Resolves when the client closes our stdin: the server must not outlive its client. */
function stdinClosed(): Promise<void> {
  return new Promise((resolve) => {
    process.stdin.once("end", () => resolve());
    process.stdin.once("close", () => resolve());
  });
}
