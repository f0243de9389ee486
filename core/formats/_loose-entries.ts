/**
 * Key-value pairs read from text that no format's rules read (a file that does not parse,
 * text after a JSON document that its reader leaves unread), for finding the secrets it may
 * hold: by line, as a person writes them, not by a grammar that a stray quote would throw off.
 */

/**
 * The `KEY=VALUE`, `KEY = VALUE`, `KEY: VALUE` and `"KEY": VALUE` lines of `text`, each value
 * without the quotes around it (or the one that opens it, when it is not closed), commented out
 * or not (`#KEY = VALUE`), and every `"KEY": "VALUE"` pair within a line (a JSON object written
 * on one line), its value as written and, when it holds an escape, as JSON reads it.
 */
export function looseEntries(text: string): { path: string[]; value: string }[] {
  const entries: { path: string[]; value: string }[] = [];
  for (const line of text.split("\n")) {
    const match = KEY_START.exec(line);
    const written = match ? valueAfter(line, match[0].length) : undefined;
    if (written !== undefined) {
      const value = written.replace(/^(["'])(.*?)\1?$/, "$2");
      if (value !== "") entries.push({ path: [match![1]!], value });
    }
    for (const member of line.matchAll(/"((?:[^"\\]|\\.)*)"\s*:\s*"((?:[^"\\]|\\.)+)/g)) {
      entries.push({ path: [member[1]!], value: member[2]! });
      // Written with an escape, the value is known as it reads too, as a document's strings are.
      const read = member[2]!.includes("\\") ? decodeString(member[2]!) : undefined;
      if (read !== undefined) entries.push({ path: [member[1]!], value: read });
    }
  }
  return entries;
}

/**
 * The `looseEntries` of the comment lines of `text` (`#` or `;` first, after blanks): a reader
 * passes over them, but a line commented out by hand (`#RemoteBackend = "TOKEN:..."`, as a
 * daemon's template writes its options) keeps its value on disk, which a diff's context shows.
 */
export function commentEntries(text: string): { path: string[]; value: string }[] {
  // Most lines are no comment: only those are read loosely.
  const comments = text.split("\n").filter((line) => COMMENT_LINE.test(line));
  return comments.length === 0 ? [] : looseEntries(comments.join("\n"));
}

// --- internal ---

const COMMENT_LINE = /^\s*[#;]/;

/** A line's key up to the blanks after its `=` or `:` (commented out or not, `export`ed or not). */
const KEY_START = /^\s*(?:[#;]+\s*)?(?:export\s+)?["']?([A-Za-z0-9_.-]+)["']?\s*[:=]\s*/;

/**
 * What `line` holds from `start` on, without the blanks and commas it ends with; undefined when
 * that holds a line break of another kind (a value is one line). Read from the end: a regex that
 * tried each length of the value against the blanks and commas after it took seconds for a
 * line of 100 KB of them followed by anything else.
 */
function valueAfter(line: string, start: number): string | undefined {
  let end = line.length;
  while (end > start && TRAILING.test(line.charAt(end - 1))) end--;
  const value = line.slice(start, end);
  return LINE_BREAK.test(value) ? undefined : value;
}

const TRAILING = /^[\s,]$/;
/** What a regex's `.` does not match. */
const LINE_BREAK = /[\n\r\u2028\u2029]/;

/** What the inside of a JSON string literal reads as; undefined when it is none. */
function decodeString(inside: string): string | undefined {
  try {
    return JSON.parse(`"${inside}"`) as string;
  } catch {
    return undefined;
  }
}
