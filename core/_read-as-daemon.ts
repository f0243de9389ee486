import type { GenericSchema } from "valibot";
import { foldJsonText } from "./_fold-json-text.ts";
import type { GoJsonReading } from "./_fold-json-text.ts";
import { foldKeys } from "./_fold-keys.ts";
import { nearestName } from "./_nearest.ts";
import type { Issue } from "./errors.ts";
import { countMemberKeys, countMembers } from "./formats/_json-members.ts";
import { loadFileFormat, parseToCompare } from "./formats/index.ts";
import { deepEqual, formatKeyPath, goFoldKey } from "./keypath.ts";
import type { Config } from "./plugin.ts";
import type { Target } from "./target.ts";

/**
 * A surrogate code unit, or its escape: Go reads one that is not half of a pair as U+FFFD
 * (a pair is taken for one here too, and read the slow way).
 */
const LONE_SURROGATE = /[\ud800-\udfff]|\\u[dD][89abAB]/;

/**
 * The configuration as the daemon reads it. For a plugin with `caseInsensitiveKeys`, keys
 * are folded to the schema's spelling (so they are checked as the field they stand for),
 * with a warning for each key spelled differently and each key the daemon ignores.
 */
export async function asRead(
  target: Target,
  config: Config,
): Promise<{ config: Config; issues: Issue[]; undecodable: Issue[] }> {
  if (target.plugin.caseInsensitiveKeys !== true) return { config, issues: [], undecodable: [] };
  const parsed = foldKeys(target.plugin.schema, config);
  // Two keys equal but for case are both read by Go, in document order: one of them at least
  // is spelled otherwise than the schema (foldKeys told them), and a member count misses them.
  const fromText = await mainFileAsGo(target, config, { members: parsed.members, twins: parsed.respelled.length > 0 });
  const folded = fromText ?? parsed;
  const name = target.plugin.name;
  const undecodable = (fromText?.undecodable ?? []).map(({ path, message }) => ({
    key: formatKeyPath(path),
    severity: "error" as const,
    message,
  }));
  const issues: Issue[] = [
    ...folded.respelled.map(({ path, as }) => ({
      key: formatKeyPath(path),
      severity: "warning" as const,
      message: `is read by ${name} as "${formatKeyPath(as)}" (keys match whatever their case): spell it "${as.at(-1)}"`,
    })),
    ...folded.unknown.map(({ path, known }) => {
      const near = nearestName(path.at(-1)!, known);
      return {
        key: formatKeyPath(path),
        severity: "warning" as const,
        message: `is not a setting ${name} reads: it is ignored${near ? ` (did you mean "${near}"?)` : ""}`,
      };
    }),
  ];
  return { config: folded.value, issues, undecodable };
}

/**
 * `value`, the parse of the JSON text `text`, as a daemon reads it with Go's encoding/json into
 * the structs `schema` stands for (`foldJsonText`: every member in document order, keys folded,
 * what Go cannot decode), when Go reads it otherwise: the text gives a key twice or holds a lone
 * surrogate. Undefined when `value` is what Go reads, told without reading the text a second time,
 * or when `value` is not what `text` parses to (a configuration about to be written in its place).
 */
export async function readJsonAsGo(
  schema: GenericSchema,
  text: string,
  value: unknown,
  options: ReadJsonAsGoOptions = {},
): Promise<GoJsonReading | undefined> {
  const body = text.startsWith("\ufeff") ? text.slice(1) : text;
  const twins = options.twins ?? hasFoldedTwins(value);
  if (!twins && !readsOtherwise(body, options.members ?? countMembers(value))) return undefined;
  try {
    const parse = options.parse ?? (await import("./formats/json.ts")).format.parse;
    return deepEqual(parse(text), value) ? foldJsonText(schema, body) : undefined;
  } catch {
    return undefined;
  }
}

/** What a caller of `readJsonAsGo` knows already, so that it is not worked out again. */
export interface ReadJsonAsGoOptions {
  /** How `text` is parsed into `value` (default: plain JSON). */
  parse?: (text: string) => unknown;
  /** How many members `value`'s objects hold (`countMembers`). */
  members?: number;
  /** Whether an object of `value` may hold two keys equal but for case (default: looked for). */
  twins?: boolean;
}

// --- internal ---

/**
 * Whether an object in `value` holds two keys Go may take for one field (equal but for case):
 * its parse keeps both, and Go decodes both, in document order, into that field.
 */
function hasFoldedTwins(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== "object" || node === null) continue;
    const keys = Array.isArray(node) ? [] : Object.keys(node);
    if (new Set(keys.map(goFoldKey)).size !== keys.length) return true;
    stack.push(...(Array.isArray(node) ? node : Object.values(node)));
  }
  return false;
}

/** Whether Go may read the JSON text `body` otherwise than its parse, which holds `members` members. */
function readsOtherwise(body: string, members: number): boolean {
  return LONE_SURROGATE.test(body) || countMemberKeys(body) !== members;
}

/**
 * The target's main file, when it is JSON a Go daemon decodes whole and `config` is what it
 * reads as, as Go reads it (`readJsonAsGo`); undefined for another format, a configuration about
 * to be written, or a text Go reads as its parse says.
 */
async function mainFileAsGo(
  target: Target,
  config: Config,
  known: { members: number; twins: boolean },
): Promise<GoJsonReading | undefined> {
  const main = target.files.find((file) => file.main);
  if (main?.spec.format !== "json" || main.mount.length > 0 || main.spec.decode) return undefined;
  const text = target.ctx.readText(main.path);
  if (text === undefined) return undefined;
  const format = await loadFileFormat(main.spec);
  return readJsonAsGo(target.plugin.schema, text, config, { ...known, parse: (read) => parseToCompare(format, read) });
}
