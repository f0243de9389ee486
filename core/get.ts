import { readPathOf, respellPath } from "./_fold-keys.ts";
import { KitcfgError } from "./errors.ts";
import { lookupInBigFile } from "./_lookup.ts";
import { goFoldKey, lookupPath, parseKeyPath } from "./keypath.ts";
import type { Kit } from "./kit.ts";
import { noValue, readConfigured, remember } from "./ops.ts";
import { findSecrets, secretsOf } from "./redact.ts";
import { commandWords } from "./target.ts";
import type { Target } from "./target.ts";

export interface GetOptions {
  daemon: string;
  instance?: string;
  key: string;
  /** Return a secret in clear. Only a person's own command line should ask: never MCP. */
  reveal?: boolean;
}

export interface GetResult {
  daemon: string;
  instance?: string;
  key: string;
  value: unknown;
  /** The value is a secret, or holds one. */
  secret: boolean;
}

/**
 * The value at one key, for scripts. A secret (or a value holding one) is refused unless
 * `reveal` is set, rather than handed back as a placeholder a script would take for the value.
 * @throws KitcfgError `NOT_FOUND` when the daemon is not configured or the key is absent,
 * `SECRET` for a secret without `reveal`.
 */
export async function getValue(kit: Kit, options: GetOptions): Promise<GetResult> {
  const target = kit.target(options.daemon, options.instance);
  const given = parseKeyPath(options.key);
  // A daemon that matches keys whatever their case reads `addresses.api` as `Addresses.API`, as `set` writes it.
  const caseless = target.plugin.caseInsensitiveKeys;
  const path = caseless ? readPathOf(target.plugin.schema, undefined, given) : given;
  // One key of a big JSON file is read without parsing the rest; else the whole config. That
  // reader matches the spelling given: a key not found so, by a caseless daemon, may be in the
  // file otherwise spelled (`api`), which the whole config's reading finds.
  let big = await lookupInBigFile(target, path);
  if (caseless && big?.value === undefined) big = undefined;
  if (big) remember(kit, secretsOf(target, big.around));
  const { value, around } = big ?? (await lookupConfigured(kit, options, target, path));
  if (value === undefined) throw noValue(target, options.key);
  const secret = findSecrets(around, target.plugin.secrets ?? []).some((found) => overlaps(found.path, path));
  if (secret && !options.reveal) {
    throw new KitcfgError(
      "SECRET",
      `"${options.key}" of ${target.label} is a secret: kitcfg prints it only when asked with --reveal`,
      {
        key: options.key,
        hint: `kitcfg get ${commandWords(target.plugin.name, target.instance)} ${options.key} --reveal`,
      },
    );
  }
  return {
    daemon: target.plugin.name,
    ...(target.instance ? { instance: target.instance } : {}),
    key: options.key,
    value,
    secret,
  };
}

// --- internal ---

async function lookupConfigured(
  kit: Kit,
  options: GetOptions,
  target: Target,
  path: readonly string[],
): Promise<{ value: unknown; around: unknown }> {
  const { snapshot } = await readConfigured(kit, options, target);
  const config = snapshot.config;
  const read = target.plugin.caseInsensitiveKeys ? respellPath(target.plugin.schema, config, path) : path;
  // A whole number indexes a list (`Peers.0`), as users of config tools write it.
  return { value: lookupPath(config, read), around: config };
}

/**
 * One path lies within the other: the key is a secret, inside one, or holds one. Keys are
 * compared whatever their case, as secrets are found (a Go daemon reads `privkey` as `PrivKey`).
 */
function overlaps(a: readonly string[], b: readonly string[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (goFoldKey(a[i]!) !== goFoldKey(b[i]!)) return false;
  return true;
}
