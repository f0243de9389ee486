import type { ArgsDef } from "citty";
import { KitcfgError } from "../core/errors.ts";

/**
 * Parse a command's arguments by its citty definition, as citty's own parser does for the
 * kinds kitcfg uses (positionals in order, booleans with `--no-`, strings as `--x v` or
 * `--x=v`, the last one winning, one-letter aliases), without loading citty and the
 * `node:util` parser it starts with: a few milliseconds of every command's start-up.
 * Unknown flags are refused before this, by `assertKnownArgs`.
 * @throws KitcfgError `USAGE` for a missing required positional.
 */
// biome-ignore lint/suspicious/noExplicitAny: citty types parsed arguments by definition; commands read them as given
export function parseCommandArgs(rawArgs: readonly string[], defs: ArgsDef, command?: string): Record<string, any> {
  // biome-ignore lint/suspicious/noExplicitAny: citty types parsed arguments by definition; commands read them as given
  const parsed: Record<string, any> = {};
  const byFlag = new Map<string, [name: string, type: string]>();
  const positionalNames: string[] = [];
  for (const [name, def] of Object.entries(defs)) {
    if (def.type === "positional") positionalNames.push(name);
    else {
      byFlag.set(name, [name, def.type ?? "string"]);
      const alias = "alias" in def ? def.alias : undefined;
      for (const a of alias === undefined ? [] : Array.isArray(alias) ? alias : [alias])
        byFlag.set(a, [name, def.type ?? "string"]);
    }
  }
  const positionals: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i]!;
    if (arg === "--") {
      positionals.push(...rawArgs.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const body = arg.replace(/^--?/, "");
    const eq = body.indexOf("=");
    const flag = eq === -1 ? body : body.slice(0, eq);
    const inline = eq === -1 ? undefined : body.slice(eq + 1);
    const known = byFlag.get(flag);
    if (!known && flag.startsWith("no-") && byFlag.get(flag.slice(3))?.[1] === "boolean") {
      parsed[byFlag.get(flag.slice(3))![0]] = false;
      continue;
    }
    if (!known) continue;
    const [name, type] = known;
    if (type === "boolean") parsed[name] = inline === undefined ? true : inline !== "false";
    else parsed[name] = inline ?? rawArgs[++i] ?? "";
  }
  for (const name of positionalNames) {
    const value = positionals.shift();
    const def = defs[name] as { required?: boolean; default?: unknown };
    if (value !== undefined) parsed[name] = value;
    else if (def.default === undefined && def.required !== false) {
      throw missingArgument(name, defs, positionalNames, command);
    } else parsed[name] = def.default;
  }
  parsed._ = positionals;
  return parsed;
}

/** "Missing KEY (Dotted key path): kitcfg get DAEMON KEY", with the command's help to see. */
function missingArgument(name: string, defs: ArgsDef, positionalNames: string[], command?: string): KitcfgError {
  const description = (defs[name] as { description?: string }).description;
  const form = command ? `: kitcfg ${command} ${positionalNames.map((n) => n.toUpperCase()).join(" ")}` : "";
  return new KitcfgError("USAGE", `Missing ${name.toUpperCase()}${description ? ` (${description})` : ""}${form}`, {
    ...(command ? { hint: `See \`kitcfg help ${command}\`` } : {}),
  });
}
