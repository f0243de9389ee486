import { foldJsonText } from "./_fold-json-text.ts";
import { foldKeys } from "./_fold-keys.ts";
import { nearestName } from "./_nearest.ts";
import type { Issue } from "./errors.ts";
import { countMemberKeys } from "./formats/_json-members.ts";
import { loadFileFormat, parseToCompare } from "./formats/index.ts";
import { deepEqual, formatKeyPath } from "./keypath.ts";
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

// --- internal ---

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
  if (!LONE_SURROGATE.test(body) && countMemberKeys(body) === members) return undefined;
  try {
    return deepEqual(parseToCompare(await loadFileFormat(main.spec), text), config) ? body : undefined;
  } catch {
    return undefined;
  }
}
