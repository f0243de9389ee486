/**
 * The lines of stdio the SDK's transport would drop without an answer: the server answers
 * them as JSON-RPC 2.0 asks (mcp/server.ts `boundedStdin`), and a client waiting on one
 * does not hang.
 */
import { INVALID_REQUEST, PARSE_ERROR, parseJSONRPCMessage } from "@modelcontextprotocol/server";
import { quotedName } from "../core/errors.ts";
import { isPlainObject } from "../core/keypath.ts";

/** A JSON-RPC error answer; its id is null when the message's own could not be read. */
export interface ErrorAnswer {
  jsonrpc: "2.0";
  id: number | string | null;
  error: { code: number; message: string };
}

/** A line the SDK would drop: what to log, and the answer JSON-RPC asks for (none for a notification or a response). */
export interface Refusal {
  log: string;
  answer?: ErrorAnswer;
}

/**
 * Whether the SDK's stdio transport takes `line` as a JSON-RPC message, judged as it
 * judges (`JSON.parse`, then its message schema): undefined when it does. Otherwise the
 * SDK drops it unanswered, and a client waiting on it hangs; the refusal says what to
 * log and, as JSON-RPC 2.0 asks, the error to answer with: -32700 for a line that is no
 * JSON, -32600 for JSON that is no valid message, with its id when it has a string or
 * number one, else null (codes and messages as the SDK's HTTP handler answers the same
 * body). A notification (a method, no id) or a response (a result or an error, no
 * method) gets no answer.
 */
export function checkMessageLine(line: string): Refusal | undefined {
  // The SDK skips a blank line: no message, nothing to answer.
  if (line.trim() === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return refuse(null, PARSE_ERROR, "Parse error: Invalid JSON");
  }
  if (isPlainCall(value)) return undefined;
  try {
    parseJSONRPCMessage(value);
    return undefined;
  } catch {
    // Not a message the SDK takes: what is wrong with it is told below.
  }
  const flaw = flawOf(value);
  const fields: Record<string, unknown> = isPlainObject(value) ? value : {};
  const notification = !("id" in fields) && typeof fields.method === "string";
  const response = !("method" in fields) && ("result" in fields || "error" in fields);
  if (notification) return { log: `Ignored an MCP notification: ${flaw}` };
  if (response) return { log: `Ignored an MCP response: ${flaw}` };
  const id = typeof fields.id === "string" || typeof fields.id === "number" ? fields.id : null;
  return refuse(id, INVALID_REQUEST, `Invalid Request: ${flaw}`);
}

// --- internal ---

/** The members of a JSON-RPC request or notification (the SDK's schema takes no other). */
const REQUEST_MEMBERS = ["jsonrpc", "id", "method", "params"];

/**
 * A request or notification of the plain shape clients send, which the SDK's schema takes (its
 * JSONRPCRequestSchema / JSONRPCNotificationSchema: strict objects, `jsonrpc` "2.0", an id a
 * string or a safe integer, a string method, params an object): told without running that zod
 * schema, which on a cold server costs ms per message (its first call's time, --cpu-prof). Only a
 * sufficient test: anything else (a `_meta`, a response) goes to the schema itself. A test holds
 * it to the SDK's (tests/mcp/message-check.test.ts), so an SDK that tightens its schema fails it.
 */
export function isPlainCall(value: unknown): boolean {
  if (!isPlainObject(value) || value.jsonrpc !== "2.0" || typeof value.method !== "string") return false;
  if ("id" in value && typeof value.id !== "string" && !Number.isSafeInteger(value.id)) return false;
  if ("params" in value && (!isPlainObject(value.params) || "_meta" in value.params)) return false;
  for (const key in value) if (!REQUEST_MEMBERS.includes(key)) return false;
  return true;
}

function refuse(id: ErrorAnswer["id"], code: number, message: string): Refusal {
  return { log: `Refused an MCP message: ${message}`, answer: { jsonrpc: "2.0", id, error: { code, message } } };
}

/** Why the SDK's schema refused `value`, as far as a few plain checks tell. */
function flawOf(value: unknown): string {
  const detail = detailOf(value);
  return `not a valid JSON-RPC message${detail === undefined ? "" : `: ${detail}`}`;
}

function detailOf(value: unknown): string | undefined {
  if (!isPlainObject(value)) {
    const kind = Array.isArray(value) ? "an array" : value === null ? "null" : `a ${typeof value}`;
    return `expected an object, got ${kind}`;
  }
  if (value.jsonrpc !== "2.0") return '"jsonrpc" must be "2.0"';
  if ("id" in value && typeof value.id !== "string" && !Number.isInteger(value.id)) {
    return '"id" must be a string or an integer';
  }
  if (!("method" in value)) return undefined;
  if (typeof value.method !== "string") return '"method" must be a string';
  if ("params" in value && !isPlainObject(value.params)) return '"params" must be an object';
  const unknown = Object.keys(value).find((key) => !REQUEST_MEMBERS.includes(key));
  if (unknown === undefined) return undefined;
  return `unknown member ${quotedName(unknown)}`;
}
