import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  createMcpHandler,
  hostHeaderValidationResponse,
  localhostAllowedHostnames,
  localhostAllowedOrigins,
  originValidationResponse,
} from "@modelcontextprotocol/server";
import type { McpServer } from "@modelcontextprotocol/server";
import { KitcfgError } from "../core/errors.ts";
import type { Kit } from "../core/kit.ts";
import { writeFileAtomic } from "../core/store.ts";
import type { Log } from "./call.ts";

/** Where Streamable HTTP is served. */
export const MCP_PATH = "/mcp";

export interface HttpOptions {
  /** Address to bind; loopback unless the user says otherwise. */
  host: string;
  /** 0 picks a free port (printed). */
  port: number;
  /** A file holding the bearer token; otherwise one is generated (see `ensureToken`). */
  tokenFile?: string;
}

/**
 * Serve MCP over Streamable HTTP at `/mcp` until SIGINT or SIGTERM. Every request must
 * carry `Authorization: Bearer <token>`; a request from a browser page that is not local
 * (its Origin header) is refused before the token is even looked at, and on loopback a
 * Host header that is not local is refused too (DNS rebinding).
 */
export async function serveHttp(
  options: HttpOptions & { factory: () => McpServer; kit: Kit; log: Log; ready: () => void },
): Promise<number> {
  const { log } = options;
  const token = options.tokenFile ? readToken(options.tokenFile, log) : ensureToken(options.kit, log);
  const handler = createMcpHandler(options.factory, {
    onerror: (error) => log(options.kit.redact(`MCP HTTP error: ${error.message}`)),
  });
  const guard = requestGuard({ token, loopback: isLoopback(options.host) });
  // Listen for signals before announcing the address, so that a stop right after start is seen.
  const stop = interrupted();
  let server: ReturnType<typeof Bun.serve>;
  try {
    server = Bun.serve({
      hostname: options.host,
      port: options.port,
      // Never Bun's debug page (paths, stack, source) to an unauthenticated client.
      development: false,
      fetch: async function serveKitcfgMcp(request) {
        const refused = guard(request);
        if (refused) return refused;
        try {
          return await handler.fetch(request);
        } catch (error) {
          return internalError(log, options.kit, error);
        }
      },
      error: (error) => internalError(log, options.kit, error),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new KitcfgError("IO_FAILED", `Cannot listen on ${options.host}:${options.port}: ${reason}`, {
      hint: "Choose another --port or --host",
    });
  }
  options.ready();
  if (!isLoopback(options.host))
    log(
      `⚠ listening on ${options.host}, not loopback: ` +
        "anyone who can reach it and has the token can change configurations",
    );
  log(
    `kitcfg MCP server on http://${hostForUrl(options.host)}:${server.port}${MCP_PATH} ` +
      "(Streamable HTTP, bearer token required)",
  );
  await stop;
  await server.stop(true);
  await handler.close();
  return 0;
}

/**
 * The checks in front of the MCP handler, in order: path, Origin, Host (on loopback),
 * bearer token. Returns the refusal, or undefined to let the request through.
 */
export function requestGuard(options: {
  token: string;
  loopback: boolean;
}): (request: Request) => Response | undefined {
  const expected = digest(options.token);
  return function guardKitcfgMcp(request) {
    // A malformed (or missing) Host header makes the request's URL unparseable.
    const url = URL.parse(request.url);
    if (url === null) return jsonError(400, "Bad request: malformed Host header or request target");
    if (url.pathname !== MCP_PATH) return jsonError(404, `Not found: MCP is served at ${MCP_PATH}`);
    const refused =
      originValidationResponse(request, localhostAllowedOrigins()) ??
      (options.loopback ? hostHeaderValidationResponse(request, localhostAllowedHostnames()) : undefined);
    if (refused) return refused;
    const header = request.headers.get("authorization") ?? "";
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1]!), expected)) {
      return jsonError(401, "Missing or wrong bearer token: send Authorization: Bearer <token>", {
        "WWW-Authenticate": 'Bearer realm="kitcfg"',
      });
    }
    return undefined;
  };
}

// --- internal ---

/**
 * The token in `path`: its first line, trimmed.
 * @throws KitcfgError `IO_FAILED` when it cannot be read, `USAGE` when its first line is blank or
 * holds what no `Authorization: Bearer` header can match (a blank inside, a byte outside printable ASCII).
 */
function readToken(path: string, log: Log): string {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    const why = READ_FAILURES[code] ?? (code || String(error));
    throw new KitcfgError("IO_FAILED", `Cannot read the token file ${path}: ${why}`, { file: path });
  }
  const token = text.split("\n")[0]!.trim();
  if (token.length === 0) {
    const what = text.trim().length === 0 ? "is empty" : "has a blank first line";
    throw new KitcfgError("USAGE", `The token file ${path} ${what}: put the bearer token on its first line`, {
      file: path,
    });
  }
  // The guard takes one word of visible characters after "Bearer": any other token would refuse every client.
  if (!/^[\x21-\x7e]+$/.test(token))
    throw new KitcfgError(
      "USAGE",
      `The token in ${path} holds a blank or a character outside printable ASCII: ` +
        "no client could send it; use one word of letters, digits and punctuation",
      { file: path },
    );
  if ((statSync(path).mode & 0o077) !== 0) log(`⚠ the token file ${path} can be read by other users: chmod 600 it`);
  return token;
}

/**
 * The token kept in kitcfg's state folder (`mcp-token`, 0600 in a 0700 folder), generated
 * the first time, so that an MCP client configured once keeps working across restarts.
 */
function ensureToken(kit: Kit, log: Log): string {
  const path = join(kit.stateDir, "mcp-token");
  let token = "";
  try {
    token = readFileSync(path, "utf8").trim();
  } catch {
    // no token yet: one is generated below
  }
  if (token.length === 0) {
    token = randomBytes(32).toString("base64url");
    writeFileAtomic(path, `${token}\n`, { mode: 0o600, secret: true });
    log(`generated a bearer token in ${path} (0600)`);
  } else {
    log(`bearer token: ${path}`);
  }
  return token;
}

/** Why a token file could not be read, for the error codes a user can act on. */
const READ_FAILURES: Record<string, string> = {
  ENOENT: "it does not exist",
  EISDIR: "it is a folder, not a file",
  EACCES: "permission denied",
};

/** Fixed-length digests, so the comparison takes the same time whatever was sent. */
function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/** A failure of kitcfg itself: the detail goes to the log, the client gets one line. */
function internalError(log: Log, kit: Kit, error: unknown): Response {
  log(
    kit.redact(
      "MCP HTTP internal error, a bug in kitcfg: " +
        `${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    ),
  );
  return jsonError(500, "Internal error: see the server's log");
}

function jsonError(status: number, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error: message }, { status, headers });
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}

function hostForUrl(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}
