import { resolve } from "node:path";
import { KitcfgError } from "../../core/errors.ts";
import { defineKitcfgCommand } from "../command.ts";

export default defineKitcfgCommand(
  "mcp",
  "Serve MCP (Model Context Protocol) on stdio, or over Streamable HTTP with --http",
  {
    http: { type: "boolean", description: "Serve Streamable HTTP at /mcp instead of stdio (bearer token required)" },
    host: { type: "string", description: "Address to bind with --http (default 127.0.0.1)", valueHint: "ADDRESS" },
    port: { type: "string", description: "Port with --http (default 8765; 0 picks a free one)", valueHint: "N" },
    "token-file": {
      type: "string",
      description: "File holding the bearer token (default: generated in kitcfg's state folder)",
      valueHint: "PATH",
    },
  },
  async ({ kit, out, args }) => {
    if (!args.http) {
      for (const flag of ["host", "port", "token-file"]) {
        if (args[flag] !== undefined)
          throw new KitcfgError("USAGE", `--${flag} needs --http: without it kitcfg mcp serves stdio`);
      }
    }
    const http = args.http
      ? {
          host: args.host ?? "127.0.0.1",
          port: portOf(args.port),
          tokenFile: args["token-file"] && resolve(out.io.cwd, args["token-file"]),
        }
      : undefined;
    const session = await kit();
    // The SDK checks every message with zod, which by default compiles each schema with
    // `new Function` on first use: most of the first call's time in the compiled binary
    // (measured with --cpu-prof). zod reads its settings from this global when it loads.
    const zod = globalThis as { __zod_globalConfig?: Record<string, unknown> };
    zod.__zod_globalConfig = { ...zod.__zod_globalConfig, jitless: true };
    // The SDK is loaded here and nowhere else, so that no other command pays its start-up time.
    const { serveMcp } = await import("../../mcp/server.ts");
    // stdout carries the protocol on stdio: every log line goes to stderr.
    return serveMcp({ kit: session, http, log: (line) => out.io.stderr(`${out.redact(line)}\n`) });
  },
);

// --- internal ---

/** The default port: fixed, so that an MCP client's configuration can name it once. */
const DEFAULT_PORT = 8765;

function portOf(text: string | undefined): number {
  if (text === undefined) return DEFAULT_PORT;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw new KitcfgError("USAGE", `--port needs a number 0-65535, got ${JSON.stringify(text)}`);
  return port;
}
