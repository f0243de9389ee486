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
  const text = await goJsonText(target, config, parsed.members);
  const fromText = text === undefined ? undefined : foldJsonText(target.plugin.schema, text);
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
): Promise<GoJsonReading | undefined> {
  const body = text.startsWith("\ufeff") ? text.slice(1) : text;
  if (!readsOtherwise(body, countMembers(value)) && !hasFoldedTwins(value)) return undefined;
  try {
    const { format } = await import("./formats/json.ts");
    return deepEqual(format.parse(text), value) ? foldJsonText(schema, body) : undefined;
  } catch {
    return undefined;
  }
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
 * The text of the JSON file that holds the whole configuration (no byte-order mark), when
 * `config` is what it reads as and Go reads it otherwise: there, every key is read in document
 * order as Go's encoding/json reads them, duplicates included, which the parsed value has lost
 * (`foldJsonText`). Only a text that writes more member keys than `config` holds (`members`)
 * may give a key twice, and only one with a lone surrogate reads a string otherwise (U+FFFD);
 * any other is read as `config` says, without a second reading of its text (a big config's
 * time). Undefined for a configuration about to be written, or another format.
 */
async function goJsonText(target: Target, config: Config, members: number): Promise<string | undefined> {
  const main = target.files.find((file) => file.main);
  if (main?.spec.format !== "json" || main.mount.length > 0 || main.spec.decode) return undefined;
  const text = target.ctx.readText(main.path);
  if (text === undefined) return undefined;
  const body = text.startsWith("\ufeff") ? text.slice(1) : text;
  if (!readsOtherwise(body, members)) return undefined;
  try {
    return deepEqual(parseToCompare(await loadFileFormat(main.spec), text), config) ? body : undefined;
  } catch {
    return undefined;
  }
}
