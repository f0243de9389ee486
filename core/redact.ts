import { isPlainObject } from "./keypath.ts";
import type { Target } from "./target.ts";

/** What a secret value is replaced with in every output. */
export const REDACTED = "<redacted>";
/** What a secret that a change sets anew is shown as in the "after" side of a diff. */
export const REDACTED_CHANGED = "<redacted:changed>";

/**
 * Paths in `config` that match the secret patterns (`*` matches any one key), each with
 * its value. Only leaves that hold a value are returned.
 */
export function findSecrets(config: unknown, patterns: readonly string[]): { path: string[]; value: unknown }[] {
  const found: { path: string[]; value: unknown }[] = [];
  for (const pattern of patterns) walk(config, pattern.split("."), [], found);
  return found;
}

/**
 * `config` with every secret replaced by `<redacted>`: the objects on the way to a secret
 * are copied, the rest is shared with `config` (which is left as it was), so a large
 * config is not cloned whole. Treat the result as read-only.
 */
export function redactConfig<T>(config: T, patterns: readonly string[]): T {
  let copy: unknown = config;
  for (const { path } of findSecrets(config, patterns)) copy = replaceAt(copy, path);
  return copy as T;
}

/** Every secret string in `config` (numbers included as text), for text redaction. */
export function secretStrings(config: unknown, patterns: readonly string[]): string[] {
  const out: string[] = [];
  for (const { value } of findSecrets(config, patterns)) collectStrings(value, out);
  return out;
}

/**
 * `text` with every occurrence of the given secret values replaced: also their JSON- and
 * TOML-escaped spellings. Short values are replaced only where they stand alone, so a
 * two-letter password does not eat every other word.
 */
export function redactText(text: string, secrets: Iterable<string>, label = REDACTED): string {
  let out = text;
  for (const step of redactionSteps(secrets, label)) out = step(out);
  return out;
}

/**
 * A copy of a JSON-like value with `redact` applied to every string, object key and
 * number (a number that is a secret becomes the string `<redacted>`). Redacting the value
 * rather than its JSON text keeps the JSON valid even when a short secret such as `1`
 * also stands somewhere as a number or a keyword.
 */
export function redactValue(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === "string") return redact(value);
  if (typeof value === "number" || typeof value === "bigint") return redact(String(value)) === String(value) ? value : REDACTED;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, redact));
  if (isPlainObject(value) && Object.getPrototypeOf(value) === Object.prototype) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(copy, redact(key), { value: redactValue(item, redact), enumerable: true, writable: true, configurable: true });
    }
    return copy;
  }
  return value;
}

/** Every secret value in any of `configs` of a target, for redacting text. */
export function secretsOf(target: Target, ...configs: unknown[]): string[] {
  return configs.flatMap((config) => secretStrings(config, target.plugin.secrets ?? []));
}

// --- internal ---

type Step = (text: string) => string;

/** The steps for a session's secret set, kept while the set holds the same values (an MCP call redacts every string of its answer). */
const stepCache = new WeakMap<object, { values: string[]; label: string; steps: Step[] }>();

function redactionSteps(secrets: Iterable<string>, label: string): Step[] {
  const values = [...secrets];
  const cached = typeof secrets === "object" ? stepCache.get(secrets) : undefined;
  if (cached && cached.label === label && cached.values.length === values.length && cached.values.every((v, i) => v === values[i])) return cached.steps;
  const variants = new Set<string>();
  for (const secret of values) {
    // A blank "secret" hides nothing, and replacing every space would garble the output.
    if (secret.trim().length === 0) continue;
    variants.add(secret);
    variants.add(JSON.stringify(secret).slice(1, -1));
  }
  const steps = [...variants]
    .sort((a, b) => b.length - a.length)
    .map((value): Step => {
      if (value.length >= 6) return (text) => (text.includes(value) ? text.split(value).join(label) : text);
      const pattern = new RegExp(`(?<![A-Za-z0-9_])${escapeRegExp(value)}(?![A-Za-z0-9_])`, "g");
      return (text) => text.replace(pattern, label);
    });
  if (typeof secrets === "object") stepCache.set(secrets, { values, label, steps });
  return steps;
}

function walk(node: unknown, pattern: string[], at: string[], found: { path: string[]; value: unknown }[]): void {
  if (pattern.length === 0) {
    if (node !== undefined && node !== null && node !== "") found.push({ path: at, value: node });
    return;
  }
  if (!isPlainObject(node)) return;
  const [head, ...rest] = pattern as [string, ...string[]];
  const keys = head === "*" ? Object.keys(node) : Object.hasOwn(node, head) ? [head] : [];
  for (const key of keys) walk(node[key], rest, [...at, key], found);
}

function replaceAt(root: unknown, path: string[]): unknown {
  if (path.length === 0) return REDACTED;
  if (!isPlainObject(root)) return root;
  const [head, ...rest] = path as [string, ...string[]];
  const copy: Record<string, unknown> = { ...root };
  Object.defineProperty(copy, head, { value: replaceAt(root[head], rest), enumerable: true, writable: true, configurable: true });
  return copy;
}

function collectStrings(value: unknown, out: string[]): void {
  if (typeof value === "string") out.push(value);
  else if (typeof value === "number" || typeof value === "bigint") out.push(String(value));
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, out);
  else if (isPlainObject(value)) for (const item of Object.values(value)) collectStrings(item, out);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
