import { KitcfgError } from "./errors.ts";
import type { Issue } from "./errors.ts";
import type { FilePlan, Plan } from "./plan.ts";
import type { Config, PluginContext } from "./plugin.ts";
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
  for (const plan of files) if (plan.action !== "unchanged") planned.set(plan.file.path, plan.after);
  if (planned.size === 0) return validateConfig(target, config);
  const readText = (path: string) => {
    const resolved = target.ctx.resolve(path);
    return planned.has(resolved) ? planned.get(resolved) : target.ctx.readText(path);
  };
  // The context's accessors are copied as accessors: spreading would call them (`hostname`
  // loads node:os) for a check that may never read them.
  const ctx: PluginContext = Object.defineProperties(
    {},
    { ...Object.getOwnPropertyDescriptors(target.ctx), readText: { value: readText, enumerable: true } },
  ) as PluginContext;
  return validateConfig({ ...target, ctx }, config);
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
