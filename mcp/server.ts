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
import type { JSONRPCMessage, JSONRPCNotification, JSONRPCRequest } from "@modelcontextprotocol/server";
import { serveStdio, StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import { toStandardJsonSchema } from "@valibot/to-json-schema";
// Not cli.ts's VERSION: importing the entry module from a lazy chunk would split it out of the entry.
import { version as VERSION } from "../package.json";
import { createCheckMemo } from "../core/check-memo.ts";
import type { Kit } from "../core/kit.ts";
import { MAX_MESSAGE_BYTES, messageIdOf, StdinLines, StdoutSink } from "./_bounded-lines.ts";
import { checkMessageLine } from "./_message-check.ts";
import { advertisedArguments, checkArguments } from "./arguments.ts";
import { runTool } from "./call.ts";
import type { Log } from "./call.ts";
import { historyTools } from "./history-tools.ts";
import type { Readable, Writable } from "node:stream";
import type { HttpOptions } from "./http.ts";
import { registerConfigResources } from "./resources.ts";
import { withError } from "./schemas.ts";
import { daemonTools } from "./tools.ts";
import type { ToolDef } from "./tools.ts";

/** JIT policy for a long-running process: Bun's normal tier-up (see build.ts START_JIT_POLICY). */
const SERVER_JIT_POLICY = 1;

/** How long answers still due may hold the server up once stdin has ended. */
const ANSWER_WAIT_MS = 30_000;

const INSTRUCTIONS =
  "kitcfg creates, validates and updates the configuration files of the daemons around an IPFS node. " +
  "Call get_daemon_config_status first to see which daemons exist and are configured, get_daemon_config to read one " +
  "(secrets are redacted), update_daemon_config with dry_run: true to preview a change as a diff. Every change is " +
  "checked against the daemon's schema before anything is written. Messages are the kitcfg CLI's own, so a hint " +
  "may name a command: `kitcfg configure D` is configure_daemon, `kitcfg update D --set k=v` is update_daemon_config " +
  'with config_updates {"k": "v"}, `--force` is force: true, `--dry-run` is dry_run: true, `kitcfg restore` is ' +
  "restore_daemon_config, `kitcfg apply` is apply_daemon_configs; `--reveal` has none: secrets never leave the server.";

export interface ServeMcpOptions {
  /** The session opened by the CLI: place, plugins (loaded once), lock timeout. */
  kit: Kit;
  /** Serve Streamable HTTP instead of stdio. */
  http?: HttpOptions;
  log: Log;
}

/**
 * Serve MCP until the client goes away: on stdio, until stdin closes or stdout cannot be
 * written (the client is gone: one line says so, and the exit code is still 0); over HTTP,
 * until the process is interrupted. Returns the exit code.
 */
export async function serveMcp(options: ServeMcpOptions): Promise<number> {
  // A plugin file that failed to load is skipped; say so where the client's log shows it.
  for (const problem of options.kit.registry.problems) options.log(`⚠ ${problem.message}`);
  // Clients call validate and status again and again: a daemon whose files (and whatever
  // else its checks looked at) are unchanged is not checked again.
  const kit: Kit = { ...options.kit, memo: options.kit.memo ?? createCheckMemo() };
  options = { ...options, kit };
  const factory = serverFactory(options.kit, options.log);
  if (options.http) {
    // Only --http loads node:crypto and the HTTP handler.
    const { serveHttp } = await import("./http.ts");
    return serveHttp({ ...options.http, factory, kit: options.kit, log: options.log, ready: setServerJitPolicy });
  }
  const stdout = new StdoutSink();
  const stdin = boundedStdin(stdout, options.log, () => transport.whenAnswered());
  const transport = new AnsweringTransport(stdin, stdout);
  const closed = new Promise((resolve) => stdin.once("close", resolve));
  // Nothing can be answered once stdout fails: stop reading, so the server ends even if stdin stays open.
  stdout.once("error", (error: unknown) => {
    options.log(stdoutFailure(error));
    stdin.destroy();
  });
  const handle = serveStdio(factory, {
    transport,
    onerror: (error) => {
      // After stdout failed, errors are answers that could not be written: said once above.
      if (stdout.destroyed) return;
      // Each run of blanks with a line break becomes one space (one pass: `\s*\n\s*` tried each start).
      const message = error.message.replace(/\s+/g, (blanks) => (blanks.includes("\n") ? " " : blanks));
      options.log(options.kit.redact(`MCP transport error: ${message}`));
    },
  });
  setServerJitPolicy();
  options.log(`kitcfg ${VERSION} MCP server on stdio (${options.kit.registry.plugins.length} daemons)`);
  await closed;
  await handle.close();
  await stdout.end();
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

/** One line for the log when a write to stdout failed: the client gone (EPIPE), or another failure. */
function stdoutFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EPIPE" || code === "ECONNRESET") return "MCP client gone (it closed its end of stdout): stopping";
  return `Cannot write to stdout: ${error instanceof Error ? error.message : String(error)}: stopping`;
}

/**
 * stdin, a line per message, read through `StdinLines`: a message over
 * `MAX_MESSAGE_BYTES` is answered with a JSON-RPC error (its id when it starts with one)
 * and the server goes on serving. Lines arrive whole and bounded, so the SDK's buffer
 * never holds more than one. A line the SDK would drop unanswered (no JSON, or no valid
 * JSON-RPC message: see `checkMessageLine`) is logged and answered here instead.
 */
function boundedStdin(stdout: StdoutSink, log: Log, beforeEnd: () => Promise<void>): StdinLines {
  return new StdinLines(Bun.stdin.stream(), {
    limit: MAX_MESSAGE_BYTES,
    beforeEnd,
    accept: (line) => {
      const refusal = checkMessageLine(line.toString("utf8"));
      if (refusal === undefined) return true;
      log(refusal.log);
      if (refusal.answer) stdout.write(`${JSON.stringify(refusal.answer)}\n`);
      return false;
    },
    onOversized: (head, bytes) => {
      const message =
        `Message too large: ${bytes} bytes, over the limit of ${MAX_MESSAGE_BYTES} bytes (10 MiB); ` +
        "it was not read";
      log(message);
      stdout.write(`${JSON.stringify({ jsonrpc: "2.0", id: messageIdOf(head), error: { code: -32600, message } })}\n`);
    },
  });
}

/**
 * The SDK's stdio transport, knowing which requests it has read and not yet answered.
 * The SDK aborts those when stdin ends; a client that writes its requests and closes
 * stdin at once (`printf ... | kitcfg mcp`) gets its answers, as `whenAnswered` holds
 * stdin's end back until they are written (at most `ANSWER_WAIT_MS`: the server must
 * not outlive its client for long). A request the client cancels is not answered.
 */
class AnsweringTransport extends StdioServerTransport {
  #pending = new Set<string | number>();
  #answered?: () => void;

  constructor(stdin: StdinLines, stdout: StdoutSink) {
    // Lines arrive whole and bounded, so the SDK's buffer never holds more than one.
    super(stdin as unknown as Readable, stdout as unknown as Writable, { maxBufferSize: MAX_MESSAGE_BYTES + 1024 });
    // `onmessage` is a field the SDK sets: counted on its way in.
    let handler: ((message: JSONRPCMessage) => void) | undefined;
    Object.defineProperty(this, "onmessage", {
      get: () => handler,
      set: (next?: (message: JSONRPCMessage) => void) => {
        handler = next && ((message) => this.#read(message, next));
      },
    });
  }

  override async send(message: JSONRPCMessage): Promise<void> {
    try {
      await super.send(message);
    } finally {
      if (!("method" in message)) this.#settle(message.id);
    }
  }

  /** Closed (stdin ended, or stdout failed): what is still unanswered never will be. */
  override async close(): Promise<void> {
    await super.close();
    this.#pending.clear();
    this.#answered?.();
  }

  /** Resolves when every request read so far has been answered. */
  whenAnswered(): Promise<void> {
    if (this.#pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ANSWER_WAIT_MS);
      this.#answered = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  #read(message: JSONRPCMessage, next: (message: JSONRPCMessage) => void): void {
    if (isRequest(message)) this.#pending.add(message.id);
    else if (isNotification(message) && message.method === "notifications/cancelled") {
      const cancelled = (message.params as { requestId?: string | number } | undefined)?.requestId;
      if (cancelled !== undefined) this.#settle(cancelled);
    }
    next(message);
  }

  #settle(id: string | number | undefined): void {
    if (id === undefined) return;
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#answered?.();
  }
}

/**
 * A request, told by its members: the message was parsed as JSON-RPC already (by the SDK's
 * transport on the way in, its server on the way out). Not the SDK's isJSONRPC* guards, which
 * run the message schema again and, for each branch of its union that fails, build zod's
 * error texts: a few ms of a cold server's first call (measured with --cpu-prof). A message
 * without a method is a response (a result or an error).
 */
function isRequest(message: JSONRPCMessage): message is JSONRPCRequest {
  return "method" in message && "id" in message;
}

/** A notification (a method, no id), told as `isRequest` tells a request. */
function isNotification(message: JSONRPCMessage): message is JSONRPCNotification {
  return "method" in message && !("id" in message);
}

function setServerJitPolicy(): void {
  Bun.unsafe.setJITPolicy(SERVER_JIT_POLICY);
}
