import { KitcfgError } from "./errors.ts";
import type { Issue } from "./errors.ts";
import type { FilePlan, Plan } from "./plan.ts";
import type { Config, PluginContext } from "./plugin.ts";
import type { Snapshot } from "./snapshot.ts";
import type { Target } from "./target.ts";
import { validateConfig } from "./validate.ts";

/**
 * The issues of `config` as it will be once `files` are written. A plugin check that reads
 * one of its own files through `ctx.readText` (a daemon that looks at a raw line of its
 * file) sees the planned text, not the file being replaced: `configure --force` over a
 * broken file is judged by what it writes.
 */
export async function validatePlanned(target: Target, config: Config, files: readonly FilePlan[]): Promise<Issue[]> {
  const planned = new Map<string, string | undefined>();
  // A file left as it is holds the text it was planned from: a big one is not read again.
  for (const plan of files) planned.set(plan.file.path, plan.action === "unchanged" ? plan.before : plan.after);
  return validateWithTexts(target, config, planned);
}

/**
 * The issues of `config` as the files of `snapshot` hold it: a plugin check that reads one
 * of them through `ctx.readText` gets the text as read, not read again (a big file is not
 * read and decoded a second time), so the issues agree with the configuration checked.
 */
export async function validateSnapshot(snapshot: Snapshot): Promise<Issue[]> {
  const texts = new Map(snapshot.files.map((f) => [f.file.path, f.text] as const));
  return validateWithTexts(snapshot.target, snapshot.config, texts);
}

/**
 * The issues of `config` as files holding `texts` (by file key) give it: a plugin check that
 * reads one of them through `ctx.readText` gets that text (a version being restored), not
 * the file on disk.
 */
export async function validateTexts(
  target: Target,
  config: Config,
  texts: ReadonlyMap<string, string | undefined>,
): Promise<Issue[]> {
  const byPath = new Map(target.files.filter((f) => texts.has(f.key)).map((f) => [f.path, texts.get(f.key)] as const));
  return validateWithTexts(target, config, byPath);
}

/** The errors among `issues` (warnings let a write through). */
export function errorsOf(issues: readonly Issue[]): Issue[] {
  return issues.filter((issue) => issue.severity === "error");
}

/**
 * `assemble()`, except that when the file edits fail (a value the file's format cannot
 * hold, such as a line break in an INI value) and the plugin's checks refuse the value,
 * the refusal is what the user sees: it names the key and the daemon's own reason.
 */
export async function assembleOrRefuse(options: {
  target: Target;
  after: Config;
  assemble: () => Promise<Plan>;
  refuse: (errors: Issue[]) => Error | Promise<Error>;
}): Promise<Plan> {
  try {
    return await options.assemble();
  } catch (error) {
    if (!(error instanceof KitcfgError)) throw error;
    const errors = errorsOf(await validateConfig(options.target, options.after));
    if (errors.length > 0) throw await options.refuse(errors);
    throw error;
  }
}

// --- internal ---

/** `validateConfig` with `ctx.readText` giving `texts` (by resolved path) for the files they name. */
async function validateWithTexts(
  target: Target,
  config: Config,
  texts: ReadonlyMap<string, string | undefined>,
): Promise<Issue[]> {
  if (texts.size === 0) return validateConfig(target, config);
  const readText = (path: string) => {
    const resolved = target.ctx.resolve(path);
    return texts.has(resolved) ? texts.get(resolved) : target.ctx.readText(path);
  };
  // The context's accessors are copied as accessors: spreading would call them (`hostname`
  // loads node:os) for a check that may never read them.
  const ctx: PluginContext = Object.defineProperties(
    {},
    { ...Object.getOwnPropertyDescriptors(target.ctx), readText: { value: readText, enumerable: true } },
  ) as PluginContext;
  return validateConfig({ ...target, ctx }, config);
}
