import type { Issue } from "./errors.ts";
import { formatKeyPath, isPlainObject } from "./keypath.ts";
import type { Config } from "./plugin.ts";
import { fileContent } from "./snapshot.ts";
import type { Target } from "./target.ts";

/**
 * Issues for values with a line break that reach a line-based output: an env file
 * (`files.*` in the `env` format), `kitcfg env` or `kitcfg args`. There a line break ends
 * the value and starts something else (`HF_X=1` on a line of its own, a second flag), so
 * such a value is refused rather than quoted. Each issue names the key whose value it is,
 * found by looking for the value in the outputs.
 */
export function lineBreakIssues(target: Target, config: Config): Issue[] {
  const outputs = lineOutputs(target, config).filter((text) => /[\r\n]/.test(text));
  if (outputs.length === 0) return [];
  const keys = stringLeaves(config).filter(
    ({ value }) => /[\r\n]/.test(value) && outputs.some((text) => text.includes(value)),
  );
  const message = "a value written to an env file or passed as a command-line flag cannot hold a line break";
  if (keys.length === 0) return [{ key: "", message: `${message}; one of ${target.label}'s does`, severity: "error" }];
  return keys.map(({ path }) => ({ key: formatKeyPath(path), message, severity: "error" }));
}

// --- internal ---

/** Every text the plugin would put on a line of its own: env file values, env variables, flags. */
function lineOutputs(target: Target, config: Config): string[] {
  const texts: string[] = [];
  const attempt = (fn: () => unknown) => {
    try {
      collect(fn(), texts);
    } catch {
      // a config the plugin cannot turn into output fails its own checks; those say enough
    }
  };
  for (const file of target.files.filter((f) => f.spec.format === "env"))
    attempt(() => fileContent(target, file, config, undefined));
  const { env, args } = target.plugin;
  if (env) attempt(() => env(config, target.ctx));
  if (args) attempt(() => args(config, target.ctx));
  return texts;
}

function collect(value: unknown, out: string[]): void {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const item of value) collect(item, out);
  else if (isPlainObject(value)) for (const item of Object.values(value)) collect(item, out);
}

function stringLeaves(value: unknown, at: string[] = []): { path: string[]; value: string }[] {
  if (typeof value === "string") return [{ path: at, value }];
  if (Array.isArray(value)) return value.flatMap((item, i) => stringLeaves(item, [...at, String(i)]));
  if (isPlainObject(value)) return Object.entries(value).flatMap(([key, item]) => stringLeaves(item, [...at, key]));
  return [];
}
