import type { Issue } from "../core/errors.ts";
import { commandWords } from "../core/target.ts";
import type { Output } from "../present/output.ts";

/**
 * Say on stderr when the configuration `env` or `args` hands to a client has errors (`errors`,
 * from `clientValues`: the same reading of the files as the values): the values are printed all
 * the same (a script may want them, and `validate` says why), but a client given them may
 * refuse to start (huggingface_hub raises at import on a timeout written `1.5`).
 */
export function warnIfInvalid(
  out: Output,
  errors: readonly Issue[],
  options: { daemon: string; instance?: string; what: string },
): void {
  if (errors.length === 0) return;
  const words = commandWords(options.daemon, options.instance);
  out.warn(
    `${words}'s configuration has ${errors.length === 1 ? "an error" : `${errors.length} errors`}: a client given ` +
      `these ${options.what} may refuse them; see \`kitcfg validate ${words}\``,
  );
}
