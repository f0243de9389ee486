/**
 * The read-back of an in-place JSON edit from the part of the text the edit changed. An edit
 * of one key of a big document changes a few bytes of it; parsing the whole result again
 * and comparing it with the intended value, key by key, costs as much as the rest of the
 * update together. Here only the members of the root object that hold a changed byte are
 * parsed again (by JSON.parse, not by kitcfg's own reader), and the members around them are
 * shown by JSON.parse to be read as they were.
 */
import { isPlainObject } from "../keypath.ts";
import { parseJsonExact } from "./_json-exact.ts";
import { CLOSE_OBJECT, COLON, COMMA, OPEN_OBJECT, QUOTE, skipSpace, stringEnd, valueEnd } from "./_json-scan.ts";

const BOM = "\uFEFF";

/**
 * What `after` parses to, given that it is an edit of `before`, which parses to `beforeValue`
 * (the value `parse` gave, unchanged since), read from the changed members only: the
 * members of the root object that hold no changed byte are `beforeValue`'s own values.
 * Undefined when that cannot be told for sure from the changed members (a root that is not
 * an object, a key spelled again elsewhere, a change bigger than the rest): the caller
 * then parses `after` whole. Meant for comparing with the intended value.
 *
 * Why it holds: with `before` = P + R + S and `after` = P + R' + S (R and R' whole members of
 * the root object, P and S unchanged), JSON.parse of `P` + `"":0}` shows that P ends where a
 * member of the root object starts; R and R' parse as members; S starts with `,` or `}`, so
 * no number runs on across the seam. The root of `after` is then P's members, R''s and S's,
 * with a later duplicate winning; no key of R or R' appears in P or S, so R''s members are
 * the only ones that differ from `beforeValue`'s.
 */
export function parseEditedJson(before: string, beforeValue: unknown, after: string): { value: unknown } | undefined {
  if (before.startsWith(BOM) !== after.startsWith(BOM) || !isPlainObject(beforeValue)) return undefined;
  const offset = before.startsWith(BOM) ? BOM.length : 0;
  const old = before.slice(offset);
  const edited = after.slice(offset);
  const start = commonPrefix(old, edited);
  if (start === old.length && start === edited.length) return { value: beforeValue };
  const tail = commonSuffix(old, edited, start);
  const span = changedMembers(old, start, old.length - tail);
  if (!span) return undefined;
  const delta = edited.length - old.length;
  const oldPart = old.slice(span.start, span.end);
  const newPart = edited.slice(span.start, span.end + delta);
  // Parsing the changed members is then no cheaper than parsing the whole text.
  if (newPart === "" || oldPart.length + newPart.length > old.length / 2) return undefined;
  const rest = old.slice(span.end);
  const seam = rest.charCodeAt(skipSpace(rest, 0));
  if (seam !== COMMA && seam !== CLOSE_OBJECT) return undefined;
  const prefix = parseObject(`${old.slice(0, span.start)}"":0}`);
  const was = parseObject(`{${oldPart}}`);
  const now = parseObject(`{${newPart}}`);
  // The stand-in key "" and a key that assigning would take for the prototype are left to a whole parse.
  if (!prefix || !was || !now || Object.hasOwn(beforeValue, "") || Object.hasOwn(beforeValue, "__proto__"))
    return undefined;
  // A backslash in the rest may spell any key; the plain spelling of a changed one is looked for.
  if (rest.includes("\\")) return undefined;
  for (const key of [...Object.keys(was), ...Object.keys(now)]) {
    if (key === "" || key === "__proto__" || Object.hasOwn(prefix, key) || rest.includes(JSON.stringify(key)))
      return undefined;
  }
  const value: Record<string, unknown> = {};
  for (const key of Object.keys(prefix)) if (key !== "") value[key] = beforeValue[key];
  for (const key of Object.keys(now)) value[key] = now[key];
  for (const key of Object.keys(beforeValue)) {
    if (!Object.hasOwn(prefix, key) && !Object.hasOwn(was, key)) value[key] = beforeValue[key];
  }
  return { value };
}

// --- internal ---

/** Texts are compared in native slices first, of this many characters to start with. */
const CHUNK = 4096;

/** How many characters `a` and `b` share from their start. */
function commonPrefix(a: string, b: string): number {
  return sharedRun(
    Math.min(a.length, b.length),
    (at, size) => a.slice(at, at + size) === b.slice(at, at + size),
    (at) => a.charCodeAt(at) === b.charCodeAt(at),
  );
}

/** How many characters `a` and `b` share at their end, leaving their first `prefix` alone. */
function commonSuffix(a: string, b: string, prefix: number): number {
  return sharedRun(
    Math.min(a.length, b.length) - prefix,
    (at, size) => a.slice(a.length - at - size, a.length - at) === b.slice(b.length - at - size, b.length - at),
    (at) => a.charCodeAt(a.length - 1 - at) === b.charCodeAt(b.length - 1 - at),
  );
}

/**
 * The length of the run of equal characters from one end, at most `limit`: slices compared
 * natively, doubling while they are equal and halving on a difference, then character by
 * character. A change of a few bytes in a big text costs a few native comparisons.
 */
function sharedRun(
  limit: number,
  sameSlice: (at: number, size: number) => boolean,
  sameChar: (at: number) => boolean,
): number {
  let at = 0;
  for (let size = CHUNK; at < limit && size >= 64; ) {
    const step = Math.min(size, limit - at);
    if (sameSlice(at, step)) {
      at += step;
      size *= 2;
    } else size = step >> 1;
  }
  while (at < limit && sameChar(at)) at++;
  return at;
}

/**
 * The members of the root object of `text` that `[from, to)` touches, from the key of the
 * first to the end of the last one's value; undefined when the root is no object or the
 * span is not within its members. Read by kitcfg's own scanner, which JSON.parse then checks.
 */
function changedMembers(text: string, from: number, to: number): { start: number; end: number } | undefined {
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== OPEN_OBJECT) return undefined;
  let start: number | undefined;
  for (i = skipSpace(text, i + 1); text.charCodeAt(i) === QUOTE; ) {
    const keyStart = i;
    i = skipSpace(text, stringEnd(text, i));
    if (text.charCodeAt(i) !== COLON) return undefined;
    const end = valueEnd(text, skipSpace(text, i + 1));
    if (keyStart <= from) start = keyStart;
    if (end >= to) return start === undefined ? undefined : { start, end };
    i = skipSpace(text, end);
    if (text.charCodeAt(i) !== COMMA) return undefined;
    i = skipSpace(text, i + 1);
  }
  return undefined;
}

/** `text` parsed as a JSON object (integers exact, as the JSON format reads them), or undefined when it is none. */
function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = parseJsonExact(text);
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
