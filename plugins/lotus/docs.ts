import type { KeyDoc } from "kitcfg";
import { LOTUS_DEFAULT_CONFIG } from "./template.ts";

/**
 * `kitcfg keys lotus`: for each key of Lotus's commented default file, the first sentence of
 * the comment above it, the environment variable that overrides it, and the default its
 * commented line shows. Read from the template lotus itself writes (lotus/template.ts).
 */
export function lotusKeyDocs(): Record<string, KeyDoc> {
  const docs: Record<string, KeyDoc> = {};
  let section: string[] = [];
  let prose: string[] = [];
  let envVar: string | undefined;
  for (const raw of LOTUS_DEFAULT_CONFIG.split("\n")) {
    const line = raw.trim();
    const table = /^\[([^\]]+)\]$/.exec(line);
    const setting = /^#?([A-Za-z0-9_-]+)\s*=\s*(.*)$/.exec(line);
    if (table) section = table[1]!.split(".");
    else if (setting) {
      const key = [...section, setting[1]!].join(".");
      const sentence = firstSentence(prose);
      const doc = [sentence.replace(/\.$/, ""), envVar ? `(env ${envVar})` : ""].filter(Boolean).join(" ");
      docs[key] = { ...(doc ? { doc } : {}), default: tomlValue(setting[2]!) };
    } else if (line.startsWith("#")) {
      const text = line.replace(/^#\s?/, "");
      const env = /^env var: (\S+)/.exec(text);
      if (env) envVar = env[1];
      else if (!/^type: /.test(text)) prose.push(text);
      continue;
    }
    prose = [];
    envVar = undefined;
  }
  return docs;
}

// --- internal ---

function firstSentence(lines: string[]): string {
  const text = lines.join(" ").replace(/\s+/g, " ").trim();
  const end = text.search(/[.:](\s|$)/);
  return end === -1 ? text : text.slice(0, end + 1).replace(/:$/, "");
}

/** A value as its commented line writes it: TOML's strings, numbers, booleans and arrays read as JSON. */
function tomlValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
