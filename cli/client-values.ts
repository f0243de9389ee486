import type { Kit } from "../core/kit.ts";
import { clientValues } from "../core/ops.ts";
import { commandWords } from "../core/target.ts";
import type { Output } from "../present/output.ts";

/** What `kitcfg env` and `kitcfg args` print, named in the warning. */
const WHAT = { env: "variables", args: "flags" } as const;

/**
 * The values `kitcfg env` or `kitcfg args` hands to a client (`clientValues`), said on stderr when
 * the configuration has errors (the same reading of the files as the values): the values are
 * printed all the same (a script may want them, and `validate` says why), but a client given
 * them may refuse to start (huggingface_hub raises at import on a timeout written `1.5`).
 */
export async function valuesForClient<K extends "env" | "args">(
  kit: Kit,
  out: Output,
  options: { daemon: string; instance?: string },
  capability: K,
): Promise<K extends "env" ? Record<string, string> : string[]> {
  const { values, errors } = await clientValues(kit, options, capability);
  if (errors.length > 0) {
    const words = commandWords(options.daemon, options.instance);
    out.warn(
      `${words}'s configuration has ${errors.length === 1 ? "an error" : `${errors.length} errors`}: a client given ` +
        `these ${WHAT[capability]} may refuse them; see \`kitcfg validate ${words}\``,
    );
  }
  return values;
}
