/**
 * Writing TOML: keys, inline values and whole tables, shared by `stringify` and `edit` so a
 * value reads the same whether kitcfg wrote the file or changed one line of it.
 */
import { KitcfgError } from "../errors.ts";
import type { KeyPath } from "./types.ts";

/** Keys that need no quotes (TOML 1.0 bare keys). */
const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** Indentation of new text: `key` under each table, `header` per nesting level of headers. */
export interface TomlIndent {
  key: string;
  header: string;
}

/** True for a TOML table: a plain or null-prototype object (not an array, not a date). */
export function isTable(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype;
}

/** A key segment, bare when TOML allows it, else a basic string. */
export function formatKey(segment: string): string {
  return BARE_KEY.test(segment) ? segment : formatString(segment);
}

/** A dotted key as written on a line or in a header. */
export function formatDottedKey(path: KeyPath): string {
  return path.map(formatKey).join(".");
}

/**
 * One value as inline TOML: arrays as `["a", "b"]` (comma and space, as Go's TOML encoders write),
 * tables as inline tables.
 * `asFloat` keeps an integral number a float (`5.0`) where the file had a float.
 * @throws KitcfgError (`INVALID_VALUE`) for null, undefined, functions and other non-TOML values.
 */
export function formatValue(value: unknown, asFloat = false): string {
  if (typeof value === "string") return formatString(value);
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (typeof value === "number") return formatNumber(value, asFloat);
  if (value instanceof Date) return formatDate(value);
  if (Array.isArray(value)) return `[${value.map((item) => formatValue(item)).join(", ")}]`;
  if (isTable(value)) return formatInlineTable(value);
  throw new KitcfgError(
    "INVALID_VALUE",
    `Cannot write ${describe(value)} as TOML: expected a string, number, boolean, date, array or table`,
  );
}

/**
 * A table as lines: its header, its own keys, then each sub-table after a blank line.
 * Sub-tables are written even when empty so the shape reads as a generated file's does.
 */
export function renderTable(path: KeyPath, table: Record<string, unknown>, indent: TomlIndent): string[] {
  const headerIndent = indent.header.repeat(Math.max(path.length - 1, 0));
  const lines = path.length > 0 ? [`${headerIndent}[${formatDottedKey(path)}]`] : [];
  const keyIndent = path.length > 0 ? headerIndent + indent.key : "";
  const subtables: [string, Record<string, unknown>][] = [];
  for (const [key, value] of Object.entries(table)) {
    if (value === undefined) continue;
    if (isTable(value)) subtables.push([key, value]);
    else lines.push(`${keyIndent}${formatKey(key)} = ${formatValue(value)}`);
  }
  for (const [key, value] of subtables) {
    if (lines.length > 0) lines.push("");
    lines.push(...renderTable([...path, key], value, indent));
  }
  return lines;
}

/** True when a value's text is a TOML float, so a replacement should stay one. */
export function isFloatText(text: string): boolean {
  return /^[+-]?(\d[\d_]*(\.\d|[eE])|inf$|nan$)/.test(text.trim());
}

// --- internal ---

/** JSON's escapes are TOML's, except that TOML also forbids a raw DEL and lone surrogates. */
function formatString(value: string): string {
  return JSON.stringify(value.toWellFormed()).replaceAll("\x7f", "\\u007f");
}

function formatNumber(value: number, asFloat: boolean): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  if (Object.is(value, -0)) return "-0.0";
  if (Number.isSafeInteger(value) && !asFloat) return String(value);
  const text = String(value);
  // Past 2^53 a JS number is no longer an exact integer, so it is written as the float it is.
  return Number.isInteger(value) && !/[eE]/.test(text) ? `${text}.0` : text;
}

/** smol-toml's TomlDate prints local dates and times in their own form; a Date prints UTC. */
function formatDate(value: Date): string {
  if (Number.isNaN(value.getTime())) throw new KitcfgError("INVALID_VALUE", "Cannot write an invalid date as TOML");
  return value.toISOString();
}

function formatInlineTable(table: Record<string, unknown>): string {
  const pairs = Object.entries(table)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${formatKey(key)} = ${formatValue(value)}`);
  return pairs.length === 0 ? "{}" : `{ ${pairs.join(", ")} }`;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  return `a ${typeof value}`;
}
