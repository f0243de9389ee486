import { looseEntries } from "./formats/_loose-entries.ts";
import type { Format, StringSpan } from "./formats/types.ts";
import { goFoldKey, isPlainObject, reachesSecret } from "./keypath.ts";
import type { Target } from "./target.ts";

/** What a secret value is replaced with in every output. */
export const REDACTED = "<redacted>";
/** What a secret that a change sets anew is shown as in the "after" side of a diff. */
export const REDACTED_CHANGED = "<redacted:changed>";

/**
 * Paths in `config` that match the secret patterns (`*` matches any one key, and keys match
 * whatever their case), each with its value. Only leaves that hold a value are returned.
 */
export function findSecrets(config: unknown, patterns: readonly string[]): { path: string[]; value: unknown }[] {
  const found: { path: string[]; value: unknown }[] = [];
  const byCase = new Map<object, Map<string, string[]>>();
  for (const pattern of patterns) walk(config, pattern.split("."), [], found, byCase);
  return found;
}

/** A copy of `config` with every secret replaced by `<redacted>`. */
export function redactConfig<T>(config: T, patterns: readonly string[]): T {
  let copy: unknown = structuredClone(config);
  for (const { path } of findSecrets(copy, patterns)) copy = replaceAt(copy, path);
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
 * TOML-escaped spellings. Short values are replaced only where they stand alone.
 */
export function redactText(text: string, secrets: Iterable<string>, label = REDACTED): string {
  return textRedactor(secrets, label)(text);
}

/**
 * `redactText` for one set of secrets, prepared once for many texts: a long-running
 * session redacts every string of every answer with the same secrets.
 */
export function textRedactor(secrets: Iterable<string>, label = REDACTED): (text: string) => string {
  return groupsRedactor([[secrets, label]]);
}

/**
 * `redactText` with a set of secrets that only grows (a session's, as commands find them):
 * their spellings are prepared once per size of the set, not once per text. Every string
 * of an answer goes through it, and one secret may be megabytes long.
 */
export function growingRedactor(secrets: ReadonlySet<string>): (text: string) => string {
  let prepared = { size: 0, redact: textRedactor(secrets) };
  return function redactKnown(text: string): string {
    if (prepared.size !== secrets.size) prepared = { size: secrets.size, redact: textRedactor(secrets) };
    return prepared.redact(text);
  };
}

/**
 * One redactor for several groups of secrets, each shown as its group's label (a secret in
 * two groups takes the first's). The text is read once, and at each place the longest
 * secret that starts there is replaced whole: a new secret that contains an old one (the
 * old value with more appended) is never shown as the old one's label and the rest.
 */
export function groupsRedactor(groups: readonly RedactGroup[]): (text: string) => string {
  const labels = new Map<string, string>();
  for (const [secrets, label] of groups) {
    for (const secret of secrets) {
      // A blank "secret" hides nothing, and replacing every space would garble the output.
      if (secret.trim().length === 0) continue;
      for (const spelling of spellingsOf(secret)) if (!labels.has(spelling)) labels.set(spelling, label);
    }
  }
  if (labels.size === 0) return maskUrlCredentials;
  // No regular expression: a secret may be megabytes long (a token file), too large for one.
  const variants = [...labels].map(([value, label]) => ({ value, label, alone: value.length < 6 }));
  return function redactWithSecrets(text: string): string {
    return maskUrlCredentials(replaceSecrets(text));
  };
  function replaceSecrets(text: string): string {
    const next = variants.map((variant) => findFrom(text, variant, 0));
    let out = "";
    let at = 0;
    for (;;) {
      let best = -1;
      for (const [i, variant] of variants.entries()) {
        if (next[i]! < at) next[i] = findFrom(text, variant, at);
        if (next[i] === NONE) continue;
        const chosen = variants[best];
        if (!chosen || next[i]! < next[best]! || (next[i] === next[best] && variant.value.length > chosen.value.length))
          best = i;
      }
      if (best === -1) return at === 0 ? text : out + text.slice(at);
      const found = next[best]!;
      out += text.slice(at, found) + variants[best]!.label;
      at = found + variants[best]!.value.length;
    }
  }
}

/**
 * `text` with the credentials of every URL in it replaced (`http://<redacted>@proxy:3128`): a
 * user name and password written into a proxy, endpoint or router URL are a secret wherever they
 * stand, whatever key holds them (a token is often the user name alone). Every output goes
 * through the redactors, so `get` and `env` refuse such a value without --reveal, as a secret.
 */
export function maskUrlCredentials(text: string): string {
  if (!text.includes("://") || !text.includes("@")) return text;
  // Found from each "://" outwards, not by one regex from every letter: a scheme-like run such
  // as "a.a.a.…" of a few hundred KB was read again from each of its letters (6 s for a diff).
  let out = "";
  let copied = 0;
  for (let sep = text.indexOf("://"); sep !== -1; sep = text.indexOf("://", sep + 1)) {
    if (!hasScheme(text, sep, copied)) continue;
    AUTHORITY.lastIndex = sep + 3;
    const authority = AUTHORITY.exec(text)![0];
    // Up to the last `@`, past at least one character of user information.
    const at = authority.lastIndexOf("@");
    if (at <= 0) continue;
    out += `${text.slice(copied, sep + 3)}${REDACTED}`;
    copied = sep + 3 + at;
    sep = copied;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Whether `value` (a string, or strings in it) holds a URL with credentials (`maskUrlCredentials`). */
export function holdsUrlCredentials(value: unknown): boolean {
  const texts: string[] = [];
  collectStrings(value, texts);
  return texts.some((text) => maskUrlCredentials(text) !== text);
}

/**
 * What may follow a URL's `://` as user information and host; the user information runs up to
 * the last `@` in it (a password may hold an unescaped `@`). RFC 3986 userinfo: no `/`, `?`, `#`,
 * blank or quote.
 */
const AUTHORITY = /[^\s/?#"'<>\\[\]]*/y;

/**
 * Whether the `://` at `sep` ends a scheme that starts at `from` or later: a letter that starts
 * a word (after no letter, digit or `_`), then letters, digits, `+`, `.` and `-` up to `sep`.
 */
function hasScheme(text: string, sep: number, from: number): boolean {
  let start = sep;
  while (start > from && SCHEME_CHAR.test(text.charAt(start - 1))) start--;
  for (let at = start; at < sep; at++) if (LETTER.test(text.charAt(at)) && !WORD.test(text.charAt(at - 1))) return true;
  return false;
}

const SCHEME_CHAR = /^[A-Za-z0-9+.-]$/;
const LETTER = /^[A-Za-z]$/;

const NONE = Number.POSITIVE_INFINITY;

/**
 * Where `variant` next occurs in `text` from `from` on, or `NONE`. Short values count only
 * where they stand alone, so a two-letter password does not eat every other word.
 */
function findFrom(text: string, variant: { value: string; alone: boolean }, from: number): number {
  let found = text.indexOf(variant.value, from);
  if (variant.alone) {
    while (found !== -1 && !standsAlone(text, found, variant.value.length))
      found = text.indexOf(variant.value, found + 1);
  }
  return found === -1 ? NONE : found;
}

function standsAlone(text: string, start: number, length: number): boolean {
  return !WORD.test(text.charAt(start - 1)) && !WORD.test(text.charAt(start + length));
}

const WORD = /^[A-Za-z0-9_]$/;

/** JSON.rawJSON (Bun, V8): a value JSON.stringify writes as the given text. */
interface RawJson {
  rawJSON(text: string): unknown;
}

/**
 * A copy of a JSON-like value with `redact` applied to every string and object key, and a
 * number that is a secret replaced by the string `<redacted>`: the one redaction of values
 * for every interface. Redacting the value rather than its JSON text keeps the JSON valid
 * even when a short secret such as `1` also stands somewhere as a number or a keyword.
 * Dates become their ISO text and undefined entries are dropped, as JSON would; with
 * `plainJson`, bigints (integers past 2^53 of a TOML or JSON file) become `JSON.rawJSON`
 * values, which `JSON.stringify` writes as their digits where it throws on a bigint: for JSON
 * writers given no replacer (the MCP SDK's).
 */
export function redactValue(
  value: unknown,
  redact: (text: string) => string,
  options: { plainJson?: boolean } = {},
): unknown {
  if (typeof value === "string") return redact(value);
  if (typeof value === "number" || typeof value === "bigint") {
    const text = String(value);
    if (redact(text) !== text) return REDACTED;
    return typeof value === "bigint" && options.plainJson ? (JSON as unknown as RawJson).rawJSON(text) : value;
  }
  if (value instanceof Date) return redact(Number.isNaN(value.getTime()) ? String(value) : value.toJSON());
  if (Array.isArray(value)) return value.map((item) => redactValue(item, redact, options));
  if (isPlainObject(value) && Object.getPrototypeOf(value) === Object.prototype) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      Object.defineProperty(copy, redact(key), {
        value: redactValue(item, redact, options),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  }
  return value;
}

/**
 * `text`, a document in a format whose `strings` lists its string values, with every
 * secret replaced where the document holds it, however it is spelled there (Go's
 * `\u003c`, an env file's `\$`, TOML escapes), then anywhere else as text. Each group's
 * secrets get that group's label; earlier groups win. A text that does not parse is
 * redacted as text only.
 */
export function redactDocument(
  text: string,
  format: Pick<Format, "strings">,
  groups: readonly RedactGroup[],
  spans = stringsOf(text, format),
): string {
  const redact = groupsRedactor(groups);
  const all = groups.flatMap(([secrets]) => [...secrets]).filter((secret) => secret.trim() !== "");
  const pieces: string[] = [];
  let from = 0;
  for (const span of all.length > 0 ? spans : []) {
    // Most values hold no secret: look before building the redacted text.
    if (span.start < from || !all.some((secret) => span.value.includes(secret))) continue;
    let shown = redact(span.value);
    if (shown === span.value) continue;
    const spelling = text.slice(span.start, span.end);
    // A line break the value reads as (`\n`) stays an escape: shown raw, it would shift the lines after it.
    if (shown.includes("\n") && !spelling.includes("\n")) shown = shown.replaceAll("\n", "\\n");
    const quote = /^["']/.test(spelling) ? '"' : "";
    pieces.push(text.slice(from, span.start), quote + shown + quote);
    from = span.end;
  }
  pieces.push(text.slice(from));
  return redact(pieces.join(""));
}

/** Secrets and the label they are shown as. */
export type RedactGroup = readonly [secrets: Iterable<string>, label: string];

/** Every secret value in any of `configs` of a target, for redacting text. */
export function secretsOf(target: Target, ...configs: unknown[]): string[] {
  const paths = target.plugin.secrets ?? [];
  return configs.flatMap((config) => {
    const hidden = typeof config === "object" && config !== null ? hiddenValues.get(config) : undefined;
    return [...secretStrings(config, paths), ...(hidden === undefined ? [] : secretStrings(hidden, paths))];
  });
}

/**
 * Values the files behind `config` hold that it does not show, by key path: a main file's copy
 * of a key another file is mounted at (a token an older tool merged into config.json while
 * the token file holds another). `secretsOf(target, config)` counts their secrets too, so a
 * diff that removes such a copy never shows it.
 */
export function keepHidden(config: object, hidden: unknown): void {
  hiddenValues.set(config, hidden);
}

const hiddenValues = new WeakMap<object, unknown>();

/**
 * The values `text` holds under a key a secret pattern names, in a format that lists every
 * entry (`Format.entries`): a duplicate that a later line shadows is in no parsed
 * configuration, yet still a secret on disk, and so is a value written by hand in a file
 * derived from the configuration, whose keys are the daemon's variables
 * (`LASSIE_ACCESS_TOKEN` for `access_token`). A key is a secret's when its last segments
 * match the pattern's, whatever their case, or when its last segment holds the pattern's
 * last one (letters and digits alone compared) and does not go on to say it is a path, a
 * file or a folder (`HF_TOKEN_PATH` holds where the token is). A text that does not parse is read line by
 * line for `KEY=VALUE`, `KEY = VALUE` and `"KEY": VALUE` under such keys: a diff shows it.
 */
export function shadowedSecrets(
  secretKeys: readonly string[],
  format: Pick<Format, "entries">,
  text: string | undefined,
): string[] {
  const patterns = secretKeys.map((pattern) => goFoldKey(pattern).split("."));
  if (text === undefined || !format.entries || patterns.length === 0) return [];
  const squeezed = (name: string) => goFoldKey(name).replace(/[^a-z0-9]/g, "");
  // A name that goes on past the secret's to say it holds where the secret is (`HF_TOKEN_PATH`).
  const locates = (name: string, last: string) => /(path|file|dir)$/.test(name.slice(name.indexOf(last) + last.length));
  const named = (path: string[], pattern: string[]) => {
    const last = squeezed(pattern.at(-1)!);
    const name = path.length > 0 ? squeezed(path.at(-1)!) : "";
    if (last !== "" && name.includes(last) && !locates(name, last)) return true;
    return (
      pattern.length <= path.length &&
      pattern.every((segment, i) => {
        const at = path[path.length - pattern.length + i]!;
        return segment === "*" || segment === goFoldKey(at);
      })
    );
  };
  let entries: { path: string[]; value: string }[];
  try {
    entries = format.entries(text);
  } catch {
    entries = looseEntries(text);
  }
  return entries.filter((entry) => patterns.some((p) => named(entry.path, p))).map((entry) => entry.value);
}

/** The document's string values, or none when it does not parse (it is then redacted as text only). */
export function stringsOf(text: string, format: Pick<Format, "strings">): StringSpan[] {
  try {
    return format.strings?.(text) ?? [];
  } catch {
    return [];
  }
}

/**
 * Which of `keys` (key paths a caller gives values for) are a secret of `secretKeys`, lie in one
 * or may hold one, keys compared as Go folds them: the values a caller that echoes its own
 * arguments must hide (an Ansible module adds them to its `no_log_values`).
 */
export function secretKeysAmong(secretKeys: readonly string[], keys: readonly (readonly string[])[]): number[] {
  const patterns = secretKeys.map((pattern) => goFoldKey(pattern).split("."));
  return keys.flatMap((path, i) => {
    const folded = path.map(goFoldKey);
    return patterns.some((pattern) => reachesSecret(pattern, folded, true)) ? [i] : [];
  });
}

// --- internal ---

function walk(
  node: unknown,
  pattern: string[],
  at: string[],
  found: { path: string[]; value: unknown }[],
  byCase: Map<object, Map<string, string[]>>,
): void {
  if (pattern.length === 0) {
    if (node !== undefined && node !== null && node !== "") found.push({ path: at, value: node });
    return;
  }
  if (!isPlainObject(node)) {
    // Text where the secret's own object belongs (`"basic_auth": "user:password"`, as a client's
    // `--basic-auth` flag takes it): it holds the secret spelled another way. Hiding it costs
    // nothing, as the daemon refuses the value anyway.
    if (pattern.length === 1 && at.length > 0 && holdsText(node)) found.push({ path: at, value: node });
    return;
  }
  const [head, ...rest] = pattern as [string, ...string[]];
  // Keys are matched whatever their case: a daemon that reads "privkey" as "PrivKey" (Go's
  // encoding/json, which also reads "ſecret" as "secret") holds its secret there, and hiding
  // a look-alike key too costs nothing.
  const keys = head === "*" ? Object.keys(node) : (keysByCase(node, byCase).get(goFoldKey(head)) ?? []);
  for (const key of keys) walk(node[key], rest, [...at, key], found, byCase);
}

/**
 * An object's keys by their case-folded form (`goFoldKey`), made once per object for all the patterns of one
 * `findSecrets`: a section of a hundred thousand options is not folded per pattern.
 */
function keysByCase(node: Record<string, unknown>, byCase: Map<object, Map<string, string[]>>): Map<string, string[]> {
  let index = byCase.get(node);
  if (!index) {
    index = new Map();
    for (const key of Object.keys(node)) {
      const lower = goFoldKey(key);
      const same = index.get(lower);
      if (same) same.push(key);
      else index.set(lower, [key]);
    }
    byCase.set(node, index);
  }
  return index;
}

function replaceAt(root: unknown, path: string[]): unknown {
  if (path.length === 0) return REDACTED;
  if (!isPlainObject(root)) return root;
  const [head, ...rest] = path as [string, ...string[]];
  const copy: Record<string, unknown> = { ...root };
  Object.defineProperty(copy, head, {
    value: replaceAt(root[head], rest),
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return copy;
}

/** Whether a value holds a string or a number that is not empty. */
function holdsText(value: unknown): boolean {
  const texts: string[] = [];
  collectStrings(value, texts);
  return texts.some((text) => text !== "");
}

function collectStrings(value: unknown, out: string[]): void {
  if (typeof value === "string") out.push(value);
  else if (typeof value === "number" || typeof value === "bigint") out.push(String(value));
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, out);
  else if (isPlainObject(value)) for (const item of Object.values(value)) collectStrings(item, out);
}

/**
 * The ways a value is commonly written in the files kitcfg reads: as is, JSON-escaped,
 * JSON as Go writes it (`<`, `>`, `&` as `\u003c`...), in an env file's double quotes
 * (`\$`, `` \` ``), and in TOML's basic strings; each also without the blanks at its ends,
 * as a reader that strips them (an INI parser) reads it and a message quotes it. A
 * document's own spelling, whatever it is, is found by `redactDocument` through its parsed
 * values.
 */
function spellingsOf(secret: string): string[] {
  const trimmed = secret.trim();
  return [...new Set([...spellingsAsIs(secret), ...(trimmed === secret ? [] : spellingsAsIs(trimmed))])];
}

function spellingsAsIs(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const go = json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  const env = secret.replace(/["\\`$]/g, "\\$&");
  const goUpper = go.replace(/\\u([0-9a-f]{4})/g, (_, hex: string) => `\\u${hex.toUpperCase()}`);
  return [...new Set([secret, json, go, goUpper, env])];
}
