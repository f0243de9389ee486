import type { Kit } from "../core/kit.ts";
import { validate } from "../core/ops.ts";
import { commandWords } from "../core/target.ts";
import type { Output } from "../present/output.ts";

/**
 * Say on stderr when the configuration `env` or `args` hands to a client has errors: the values
 * are printed all the same (a script may want them, and `validate` says why), but a client given
 * them may refuse to start (huggingface_hub raises at import on a timeout written `1.5`).
 */
export async function warnIfInvalid(
  kit: Kit,
  out: Output,
  options: { daemon: string; instance?: string; what: string },
): Promise<void> {
  const result = await validate(kit, { daemon: options.daemon, instance: options.instance });
  const errors = result.daemons.flatMap((daemon) => daemon.issues).filter((issue) => issue.severity === "error");
  if (errors.length === 0) return;
  const words = commandWords(options.daemon, options.instance);
  out.warn(
    `${words}'s configuration has ${errors.length === 1 ? "an error" : `${errors.length} errors`}: a client given ` +
      `these ${options.what} may refuse them; see \`kitcfg validate ${words}\``,
  );
}
