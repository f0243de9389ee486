import type { CallToolResult } from "@modelcontextprotocol/server";
import { KitcfgError, ValidationError } from "../core/errors.ts";
import type { Kit } from "../core/kit.ts";
import { growingRedactor, redactValue } from "../core/redact.ts";

/** What a tool handler computed: the structured result and its short text version. */
export interface ToolOutcome {
  data: Record<string, unknown>;
  text: string;
  /** A refusal reported in the result's own shape (nothing was done). */
  isError?: boolean;
}

/** Where the server logs: stderr, never stdout (stdout carries the protocol on stdio). */
export type Log = (line: string) => void;

/**
 * A session for one call: the plugins loaded at start, an empty list of secrets. Every
 * operation reads the files again, so a call sees what the CLI or another process wrote
 * a moment before; the secrets list starts empty so that it does not grow over a long
 * session.
 */
export function callKit(base: Kit, command: string): Kit {
  const secrets = new Set<string>();
  // The list only grows (see `remember`).
  return { ...base, command, secrets, redact: growingRedactor(secrets) };
}

/**
 * Run one tool call at the MCP boundary: a `KitcfgError` becomes an `isError` result with
 * the CLI's message and hint (and the CLI's `--json` error object as structured content);
 * anything else is a bug, logged with its stack, answered with a short message, and the
 * server keeps serving. Text and structured content pass through the session's redaction.
 */
export async function runTool(options: {
  base: Kit;
  tool: string;
  command: string;
  log: Log;
  work: (kit: Kit) => Promise<ToolOutcome>;
}): Promise<CallToolResult> {
  const kit = callKit(options.base, options.command);
  try {
    const outcome = await options.work(kit);
    const data = redactForClient(outcome.data, kit) as Record<string, unknown>;
    return {
      ...(outcome.isError ? { isError: true } : {}),
      content: [{ type: "text", text: kit.redact(outcome.text) }],
      structuredContent: data,
    };
  } catch (error) {
    if (error instanceof KitcfgError) return errorResult(kit, error);
    options.log(kit.redact(`Internal error in ${options.tool}, a bug in kitcfg:\n${describe(error)}`));
    const message = kit.redact(
      `Internal error in ${options.tool}, a bug in kitcfg: ` +
        `${error instanceof Error ? error.message : String(error)}; the details are in the server's log (stderr)`,
    );
    return {
      isError: true,
      content: [{ type: "text", text: message }],
      structuredContent: { error: { code: "INTERNAL", message } },
    };
  }
}

/** A JSON-safe copy of `value` with every secret known to the session replaced (core's `redactValue`). */
export function redactForClient(value: unknown, kit: Kit): unknown {
  return redactValue(value, (text) => kit.redact(text), { plainJson: true });
}

// --- internal ---

function errorResult(kit: Kit, error: KitcfgError): CallToolResult {
  const text = error.hint ? `${error.message}\n${error.hint}` : error.message;
  const detail = {
    code: error.code,
    message: error.message,
    hint: error.hint,
    key: error.key,
    file: error.file,
    issues: error instanceof ValidationError ? error.issues : undefined,
  };
  return {
    isError: true,
    content: [{ type: "text", text: kit.redact(text) }],
    structuredContent: redactForClient({ error: detail }, kit) as Record<string, unknown>,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
