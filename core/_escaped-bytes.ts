/**
 * How `_bytes.ts` keeps a byte that is not part of valid UTF-8 in a file's text: as a lone
 * low surrogate U+DC80..U+DCFF (see `decodeBytes`). Apart from the Buffer code, so that the
 * SDK can offer `nonUtf8Problem` to plugins without node's types.
 */

/** A low surrogate in the escape range not preceded by a high surrogate (no `u` flag: code units). */
export const LONE_ESCAPE = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/;

/**
 * The first byte of a file's text (as `decodeBytes` gave it) that is not part of valid
 * UTF-8, said as "holds the byte 0xE9 on line 4, which is not UTF-8"; undefined for text
 * that is all UTF-8. For a daemon that decodes its file strictly and stops on such a byte.
 */
export function nonUtf8Problem(text: string): string | undefined {
  const found = LONE_ESCAPE.exec(text);
  if (!found) return undefined;
  let line = 1;
  for (let at = text.indexOf("\n"); at !== -1 && at < found.index; at = text.indexOf("\n", at + 1)) line++;
  const byte = (text.charCodeAt(found.index) - 0xdc00).toString(16).toUpperCase();
  return `holds the byte 0x${byte} on line ${line}, which is not UTF-8`;
}
