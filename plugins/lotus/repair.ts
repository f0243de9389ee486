import { KitcfgError } from "kitcfg";
import type { RepairResult } from "kitcfg";
import { LIST_KINDS, OPTION_KINDS, optionProblem, SECTIONS } from "./options.ts";
import type { OptionKind } from "./options.ts";
import { parsePythonLiteral, PythonFloat } from "kitcfg";

// The older tool's lotus "update" (ipfs_kit_py daemon_config_manager.py `_update_lotus_config`,
// FORMATS.md §10) appended `"\n# Updated by daemon_config_manager\n"` and one
// `f"{key} = {repr(value)}"` line per setting. Those lines land in the file's last table, where
// lotus ignores them, and Python's True/False/None do not even parse as TOML, so lotus refuses
// the whole file. The repair cuts the appended text off and asks the core to set each value
// where it belongs, which uncomments the option's own line in place.

/** The comment line the older tool wrote before each block it appended. */
const MARKER = /^# Updated by daemon_config_manager[ \t]*\r?$/m;

/** Whether `text` holds a block the older tool appended, which `repairLotusConfig` puts in place. */
export function hasAppendedBlock(text: string | undefined): boolean {
  return text !== undefined && MARKER.test(text);
}

/** Keys of the older tool's own lotus template (`get_default_lotus_config`) that name a Lotus option. */
const OLDER_KEYS: Record<string, string> = {
  api_address: "API.ListenAddress",
  listen_addresses: "Libp2p.ListenAddresses",
};

/**
 * Repair a config.toml the older tool appended to: the text without the appended blocks,
 * the settings they meant (by dotted key path), and one line per fix. Lines it cannot place
 * are reported by key and line number, never with their value (it may be a secret).
 * @throws KitcfgError `INVALID_CONFIG` when something other than the older tool's lines
 * follows its marker: that is someone else's edit, to be moved by hand.
 */
export function repairLotusConfig(text: string | undefined, path: string): RepairResult {
  const marker = text === undefined ? null : MARKER.exec(text);
  if (text === undefined || !marker) return { texts: {}, fixes: [] };
  // The block began with "\n": take exactly that newline off, and the text before is the original.
  const kept = text.slice(0, marker.index).replace(/\r?\n$/, "");
  const firstLine = lineOf(text, marker.index);
  const set: Record<string, unknown> = {};
  const fixes: string[] = [];
  const lines = text.slice(marker.index).split("\n");
  lines.forEach((line, i) => {
    const number = firstLine + i;
    const body = line.replace(/\r$/, "");
    if (body.trim() === "" || MARKER.test(body)) return;
    const eq = body.indexOf(" = ");
    if (eq <= 0) {
      throw new KitcfgError(
        "INVALID_CONFIG",
        `Cannot repair ${path}: line ${number} follows "# Updated by daemon_config_manager" ` +
          'but is not a "key = value" line the older tool wrote',
        {
          file: path,
          hint: "Move that line to where it belongs by hand, then run `kitcfg repair lotus` again",
        },
      );
    }
    fixes.push(...place(body.slice(0, eq).trim(), body.slice(eq + 3), number, set));
  });
  fixes.push(
    `removed what the older tool appended to ${path} from line ${firstLine} ` +
      '("# Updated by daemon_config_manager") on; the old file is kept in history',
  );
  return { texts: { config: kept }, fixes, set };
}

// --- internal ---

/** Put one appended setting into `set`; the fix lines that say what happened to it. */
function place(key: string, valueText: string, line: number, set: Record<string, unknown>): string[] {
  let value: unknown;
  try {
    value = parsePythonLiteral(valueText);
  } catch {
    return [`could not place "${key}" (line ${line}): its value is not a Python literal`];
  }
  const prefix = resolveKey(key) === undefined && isDict(value) ? resolveSection(key) : undefined;
  // A whole section given as a dict ({'ListenAddress': ...}): place each of its keys.
  if (prefix)
    return Object.entries(value as object).flatMap(([inner, item]) =>
      placeValue(`${prefix}.${inner}`, `${key}.${inner}`, item, line, set),
    );
  return placeValue(key, key, value, line, set);
}

function placeValue(key: string, shown: string, value: unknown, line: number, set: Record<string, unknown>): string[] {
  const path = resolveKey(key);
  const kind = path === undefined ? undefined : OPTION_KINDS.get(path);
  if (path === undefined || kind === undefined)
    return [`could not place "${shown}" (line ${line}): it is not a Lotus option`];
  const converted = convert(kind, value);
  if (converted === undefined) return [`could not place "${shown}" (line ${line}): its value does not fit ${path}`];
  if (optionProblem(kind, converted)) return [`could not place "${shown}" (line ${line}): ${path} would be invalid`];
  set[path] = converted;
  return [`moved "${shown}" (line ${line}) to ${path}`];
}

/** The option a key names: its dotted path (any case), the older tool's name, or a unique last segment. */
function resolveKey(key: string): string | undefined {
  if (OPTION_KINDS.has(key)) return key;
  if (OLDER_KEYS[key]) return OLDER_KEYS[key];
  const lower = key.toLowerCase();
  const exact = [...OPTION_KINDS.keys()].filter((option) => option.toLowerCase() === lower);
  if (exact.length === 1) return exact[0];
  if (key.includes(".")) return undefined;
  const named = [...OPTION_KINDS.keys()].filter((option) => option.split(".").pop()!.toLowerCase() === lower);
  return named.length === 1 ? named[0] : undefined;
}

function resolveSection(key: string): string | undefined {
  const lower = key.toLowerCase();
  return [...SECTIONS].find((section) => section.toLowerCase() === lower);
}

/** The TOML-ready value of a Python value for an option of this kind; undefined when it does not fit. */
function convert(kind: OptionKind, value: unknown): unknown {
  if (value instanceof PythonFloat || value === null) return undefined;
  if (Array.isArray(kind)) return typeof value === "string" && kind.includes(value) ? value : undefined;
  if (LIST_KINDS.has(kind as string)) {
    if (typeof value === "string") return [value];
    return Array.isArray(value) && value.every((item) => typeof item === "string") ? value : undefined;
  }
  switch (kind) {
    case "bool":
      if (typeof value === "boolean") return value;
      return typeof value === "string" && /^(true|false)$/i.test(value) ? value.toLowerCase() === "true" : undefined;
    case "uint":
    case "int": {
      const text =
        typeof value === "string"
          ? value.trim()
          : typeof value === "number" || typeof value === "bigint"
            ? String(value)
            : "";
      if (!/^-?\d+$/.test(text) || (kind === "uint" && text.startsWith("-"))) return undefined;
      const big = BigInt(text);
      return Number.isSafeInteger(Number(big)) ? Number(big) : big;
    }
    case "fil":
      // A Python number is the FIL amount lotus would read from the same digits.
      return typeof value === "string"
        ? value
        : typeof value === "number" && /^-?\d+(\.\d+)?$/.test(String(value))
          ? String(value)
          : undefined;
    case "levels":
      return isDict(value) && Object.values(value).every((item) => typeof item === "string") ? value : undefined;
    default:
      return typeof value === "string" ? value : undefined;
  }
}

function isDict(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof PythonFloat);
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
