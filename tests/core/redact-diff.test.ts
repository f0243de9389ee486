import { expect, test } from "bun:test";
import { format } from "../../core/formats/json.ts";
import { redactedTextDiff } from "../../core/_redacted-diff.ts";

/** A small deterministic random source, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

const SECRET = "c2VjcmV0LWtleS1ieXRlcw==";
const OTHER = "hunter2<&>";

function documentOf(next: () => number, lines: number): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  for (let i = 0; i < lines; i++) {
    const pick = next();
    doc[`key${i}`] =
      pick < 0.1
        ? SECRET
        : pick < 0.15
          ? `x ${OTHER} y`
          : pick < 0.2
            ? "a\nb"
            : pick < 0.4
              ? { inner: i, s: `v${i}` }
              : i;
  }
  doc.Identity = { PrivKey: SECRET, Other: OTHER };
  return doc;
}

test("redactedTextDiff() of texts that parse: the diff from the changed lines is the diff of the whole texts", () => {
  const next = random(7);
  let cases = 0;
  for (let round = 0; round < 300; round++) {
    const before = documentOf(next, 5 + Math.floor(next() * 40));
    const after = structuredClone(before);
    const changes = 1 + Math.floor(next() * 3);
    for (let c = 0; c < changes; c++) {
      const key = `key${Math.floor(next() * 45)}`;
      const pick = next();
      if (pick < 0.2) delete after[key];
      else after[key] = pick < 0.4 ? SECRET : pick < 0.5 ? OTHER : pick < 0.6 ? "new\nline" : Math.floor(next() * 100);
    }
    const indent = next() < 0.5 ? 2 : 0;
    const a = format.stringify(before, { indent, escapeHtml: next() < 0.5 });
    const b = format.stringify(after, { indent, escapeHtml: next() < 0.5 });
    for (const secrets of [[SECRET, OTHER], [SECRET], [OTHER, "v1"], []]) {
      const options = { name: "/config", format, before: a, after: b, secrets };
      expect(redactedTextDiff({ ...options, parsed: true })).toBe(redactedTextDiff(options));
      cases++;
    }
  }
  expect(cases).toBe(1200);
});
