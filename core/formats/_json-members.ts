// Whether a JSON text gives a key twice in one object, told without reading its members one by
// one: JSON.parse keeps one member per key (the last), so a text that writes more member keys
// than its parsed value holds gave some key twice. Native searches and a count, where a scan of
// every member costs a big config far more (5 MB: about 3 ms against hundreds).

/**
 * How many member keys a JSON text writes: each closing quote followed by blanks and a colon.
 * A string that holds `":` counts too, so this is never fewer than the members the text writes.
 */
export function countMemberKeys(text: string): number {
  let count = 0;
  MEMBER_KEY_END.lastIndex = 0;
  while (MEMBER_KEY_END.exec(text) !== null) count++;
  return count;
}

/** How many members the objects in `value` hold, nested ones included (a stack: as deep as it goes). */
export function countMembers(value: unknown): number {
  let members = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== "object" || node === null) continue;
    if (Array.isArray(node)) {
      for (const item of node) if (typeof item === "object" && item !== null) stack.push(item);
      continue;
    }
    for (const key in node) {
      if (!Object.hasOwn(node, key)) continue;
      members++;
      const item = (node as Record<string, unknown>)[key];
      if (typeof item === "object" && item !== null) stack.push(item);
    }
  }
  return members;
}

// --- internal ---

/** Where a member's key ends: its closing quote, then blanks and the colon. */
const MEMBER_KEY_END = /"[ \t\n\r]*:/g;
