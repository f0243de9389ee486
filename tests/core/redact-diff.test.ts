import { expect, test } from "bun:test";
import { format } from "../../core/formats/json.ts";
import { redactedTextDiff } from "../../core/_redacted-diff.ts";
import { groupsRedactor } from "../../core/redact.ts";

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

test("redactedTextDiff(): a new secret holding the old one shows whole as changed, not as label and rest", () => {
  for (const [old, fresh, tail] of [
    ["TOPSECRET", "TOPSECRETTOPSECRETX", "SECRETX"],
    ["TOPSECRET", "xxTOPSECRET", "xxTOP"],
    ["abc", "abc-def-ghi", "def-ghi"],
    ["s3cr3t<&>", "more-s3cr3t<&>-tail", "-tail"],
  ] as const) {
    const before = format.stringify({ a: 1, token: old, note: `with ${old} inside` }, { indent: 2, escapeHtml: true });
    const after = format.stringify({ a: 1, token: fresh, note: `with ${old} inside` }, { indent: 2, escapeHtml: true });
    for (const parsed of [true, false]) {
      const diff = redactedTextDiff({ name: "/c", format, before, after, secrets: [old, fresh], parsed });
      expect(diff).toContain('+  "token": "<redacted:changed>"');
      expect(diff).toContain('-  "token": "<redacted>"');
      expect(diff).not.toContain(tail);
    }
  }
});

test("redactedTextDiff(): a secret set to a value held elsewhere as plain text still shows as changed", () => {
  const before = format.stringify({ priority: "Standard", token: "old-token-1" }, { indent: 2 });
  const after = format.stringify({ priority: "Standard", token: "Standard" }, { indent: 2 });
  for (const parsed of [true, false]) {
    const diff = redactedTextDiff({
      name: "/c",
      format,
      before,
      after,
      secrets: ["old-token-1", "Standard"],
      old: ["old-token-1"],
      parsed,
    });
    expect(diff).toContain('+  "token": "<redacted:changed>"');
    expect(diff).not.toContain("Standard");
  }
});

test("groupsRedactor(): a secret of megabytes (a token file) is replaced, a short one where it stands alone", () => {
  const token = "hf_".padEnd(6_000_000, "x7");
  const redact = groupsRedactor([
    [[token], "<redacted>"],
    [["ab"], "<short>"],
  ]);
  expect(redact(`token=${token}; then ${token}`)).toBe("token=<redacted>; then <redacted>");
  expect(redact("ab cab ab_ (ab) abc")).toBe("<short> cab ab_ (<short>) abc");
  expect(redact("nothing here")).toBe("nothing here");
});
