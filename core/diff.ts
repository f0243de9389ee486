/** Lines of context around each change in a unified diff. */
const CONTEXT = 3;

export interface UnifiedDiffOptions {
  /** Text before; undefined for a file that does not exist yet. */
  before: string | undefined;
  /** Text after; undefined for a file that is removed. */
  after: string | undefined;
  /** Name shown in the `---` / `+++` header. */
  name: string;
  /**
   * How many lines of the file come before `before` and `after`, when they are a part of
   * it (see `changedLines`): hunks are numbered as in the whole file. Default 0.
   */
  line?: number;
}

/** The part of two texts that a diff shows, in whole lines (see `changedLines`). */
export interface ChangedLines {
  /** Where the part starts, in both texts (the texts are equal before it). */
  start: number;
  /** Where it ends in `before`. */
  endA: number;
  /** Where it ends in `after`. */
  endB: number;
  /** How many lines come before `start`. */
  lines: number;
}

/** A unified diff (`diff -u` layout) of two texts; "" when they are equal. */
export function unifiedDiff(options: UnifiedDiffOptions): string {
  const { before, after, name } = options;
  if (before === after) return "";
  const { a, b, offset } = changedRegion(before ?? "", after ?? "", options.line ?? 0);
  const edits = diffLines(a, b);
  const shown = name.startsWith("/") ? name : `/${name}`;
  const header =
    `--- ${before === undefined ? "/dev/null" : `a${shown}`}\n` +
    `+++ ${after === undefined ? "/dev/null" : `b${shown}`}\n`;
  return header + renderHunks(edits, a, b, offset).join("");
}

/**
 * The lines of two different texts from `CONTEXT` lines before the first difference to
 * `CONTEXT` lines after the last one, and how many lines come before them: the whole lines
 * both texts start and end with are found by comparing characters, so a one-key change to
 * a 5 MB file splits and diffs a few lines, not all of them. The diff of the two parts
 * (with `line`) is the diff of the two texts.
 */
export function changedLines(before: string, after: string): ChangedLines {
  const shorter = Math.min(before.length, after.length);
  let same = 0;
  // Block by block first (a string comparison is a memory compare), then character by character.
  while (same + BLOCK <= shorter && before.slice(same, same + BLOCK) === after.slice(same, same + BLOCK)) same += BLOCK;
  while (same < shorter && before.charCodeAt(same) === after.charCodeAt(same)) same++;
  const firstLine = same === 0 ? 0 : before.lastIndexOf("\n", same - 1) + 1;
  let start = firstLine;
  for (let i = 0; i < CONTEXT && start > 0; i++) start = start <= 1 ? 0 : before.lastIndexOf("\n", start - 2) + 1;
  // The common end, never reaching into the line where the texts first differ.
  let tail = 0;
  const limit = shorter - firstLine;
  while (
    tail + BLOCK <= limit &&
    before.slice(before.length - tail - BLOCK, before.length - tail) ===
      after.slice(after.length - tail - BLOCK, after.length - tail)
  )
    tail += BLOCK;
  while (tail < limit && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail))
    tail++;
  let endA = before.length;
  let endB = after.length;
  const eol = tail > 0 ? before.indexOf("\n", before.length - tail) : -1;
  if (eol !== -1) {
    endA = eol + 1;
    endB = after.length - (before.length - endA);
    for (let i = 0; i < CONTEXT && endA < before.length; i++) {
      const next = before.indexOf("\n", endA);
      const stop = next === -1 ? before.length : next + 1;
      endB += stop - endA;
      endA = stop;
    }
  }
  let lines = 0;
  for (let at = before.indexOf("\n"); at !== -1 && at < start; at = before.indexOf("\n", at + 1)) lines++;
  return { start, endA, endB, lines };
}

// --- internal ---

/** The lines `changedLines` finds, split, and how many lines of the file come before them. */
function changedRegion(before: string, after: string, line: number): { a: string[]; b: string[]; offset: number } {
  const { start, endA, endB, lines } = changedLines(before, after);
  return { a: splitLines(before.slice(start, endA)), b: splitLines(after.slice(start, endB)), offset: line + lines };
}

type Edit = { kind: "same" | "del" | "add"; a: number; b: number };

/** Lines keep their ending (`\n` or `\r\n`) so a change of line ending shows up. */
function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  return lines;
}

/**
 * Kept, deleted and added lines. Lines both texts start and end with are kept as they are,
 * and the shortest edit script is searched for in the middle only; when that search would
 * need more memory than `MAX_TRACE` allows (two large, very different files), the middle is
 * shown as deleted and added whole: still a correct diff, just not the shortest.
 */
function diffLines(a: string[], b: string[]): Edit[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let [endA, endB] = [a.length, b.length];
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) [endA, endB] = [endA - 1, endB - 1];
  const [midA, midB] = [a.slice(start, endA), b.slice(start, endB)];
  // A new or removed file (or a pure insertion or deletion) needs no search, nor does one line
  // against many (`"Headers": {},` opened into a map of a thousand members): the line is kept
  // where the other side has it, and everything else is added or deleted.
  const trivial = midA.length === 0 || midB.length === 0;
  const middle =
    (trivial ? undefined : midA.length === 1 || midB.length === 1 ? oneLineEdits(midA, midB) : undefined) ??
    (trivial ? undefined : shortestEdits(midA, midB)) ??
    wholeEdits(midA.length, midB.length);
  const edits: Edit[] = [];
  for (let i = 0; i < start; i++) edits.push({ kind: "same", a: i, b: i });
  for (const edit of middle) edits.push({ kind: edit.kind, a: edit.a + start, b: edit.b + start });
  for (let i = 0; i < a.length - endA; i++) edits.push({ kind: "same", a: endA + i, b: endB + i });
  return edits;
}

/** Characters compared at once while looking for the common start and end of two texts. */
const BLOCK = 4096;

/** Entries of Myers' trace kept at most (64 MiB of Int32). */
const MAX_TRACE = 16 * 1024 * 1024;

/** The shortest edits when one side is a single line: it is kept if the other side has it. */
function oneLineEdits(a: string[], b: string[]): Edit[] {
  const single = a.length === 1;
  const at = single ? b.indexOf(a[0]!) : a.indexOf(b[0]!);
  if (at < 0) return wholeEdits(a.length, b.length);
  const edits: Edit[] = [];
  const [other, kind] = single ? [b, "add" as const] : [a, "del" as const];
  for (let i = 0; i < other.length; i++) {
    const before = i < at ? 0 : 1;
    if (i === at) edits.push({ kind: "same", a: single ? 0 : i, b: single ? i : 0 });
    else edits.push(single ? { kind, a: before, b: i } : { kind, a: i, b: before });
  }
  return edits;
}

function wholeEdits(n: number, m: number): Edit[] {
  const edits: Edit[] = [];
  for (let i = 0; i < n; i++) edits.push({ kind: "del", a: i, b: 0 });
  for (let j = 0; j < m; j++) edits.push({ kind: "add", a: n, b: j });
  return edits;
}

/** Myers' O(ND) shortest edit script; undefined when it would outgrow `MAX_TRACE`. */
function shortestEdits(a: string[], b: string[]): Edit[] | undefined {
  const max = a.length + b.length;
  const offset = max + 1;
  const trace: Int32Array[] = [];
  const v = new Int32Array(2 * max + 3);
  // No script is shorter than the difference in length: known too big, it is not searched for.
  if ((Math.abs(a.length - b.length) + 2) * v.length > MAX_TRACE) return undefined;
  outer: for (let d = 0; d <= max; d++) {
    if ((d + 2) * v.length > MAX_TRACE) return undefined;
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < a.length && y < b.length && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= a.length && y >= b.length) {
        trace.push(v.slice());
        break outer;
      }
    }
  }
  return backtrack(trace, a.length, b.length, offset);
}

function backtrack(trace: Int32Array[], n: number, m: number, offset: number): Edit[] {
  const edits: Edit[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d >= 0 && (x > 0 || y > 0); d--) {
    const v = trace[d]!;
    const k = x - y;
    const down = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!);
    const prevK = down ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : v[offset + prevK]!;
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) edits.push({ kind: "same", a: --x, b: --y });
    if (d > 0) {
      if (down) edits.push({ kind: "add", a: x, b: --y });
      else edits.push({ kind: "del", a: --x, b: y });
    }
  }
  while (x > 0 && y > 0) edits.push({ kind: "same", a: --x, b: --y });
  return edits.reverse();
}

/** Hunks of `edits`; line numbers count `offset` lines before `a[0]` and `b[0]`. */
function renderHunks(edits: Edit[], a: string[], b: string[], offset: number): string[] {
  const hunks: string[] = [];
  let i = 0;
  while (i < edits.length) {
    while (i < edits.length && edits[i]!.kind === "same") i++;
    if (i >= edits.length) break;
    const start = Math.max(0, i - CONTEXT);
    let end = i;
    // Extend the hunk while the next change is within two contexts of the last one.
    for (let j = i; j < edits.length; j++) {
      if (edits[j]!.kind !== "same") end = j;
      else if (j - end > 2 * CONTEXT) break;
    }
    const stop = Math.min(edits.length, end + CONTEXT + 1);
    hunks.push(renderHunk(edits.slice(start, stop), a, b, offset));
    i = stop;
  }
  return hunks;
}

function renderHunk(edits: Edit[], a: string[], b: string[], offset: number): string {
  const first = edits[0]!;
  const aCount = edits.filter((e) => e.kind !== "add").length;
  const bCount = edits.filter((e) => e.kind !== "del").length;
  const aStart = offset + (aCount === 0 ? first.a : first.a + 1);
  const bStart = offset + (bCount === 0 ? first.b : first.b + 1);
  // As GNU diff: a range of one line is written without its count.
  const range = (start: number, count: number) => (count === 1 ? `${start}` : `${start},${count}`);
  let out = `@@ -${range(aStart, aCount)} +${range(bStart, bCount)} @@\n`;
  for (const edit of edits) {
    const line = edit.kind === "add" ? b[edit.b]! : a[edit.a]!;
    const sign = edit.kind === "same" ? " " : edit.kind === "del" ? "-" : "+";
    out += sign + (line.endsWith("\n") ? line : `${line}\n\\ No newline at end of file\n`);
  }
  return out;
}
