import { describe, expect, test } from "bun:test";
import type { Issue } from "../../core/errors.ts";
import { newIssues, oldIssueTest } from "../../core/validate.ts";

const issue = (key: string, message: string): Issue => ({ key, message, severity: "error" });

describe("newIssues", () => {
  test("keeps only issues whose key and message were not both there before", () => {
    const before = [issue("a", "bad"), issue("b", "worse")];
    const after = [issue("a", "bad"), issue("a", "worse"), issue("b", "worse"), issue("c", "bad")];
    expect(newIssues(before, after)).toEqual([issue("a", "worse"), issue("c", "bad")]);
  });

  test("a key and message that run together differently are still different issues", () => {
    expect(newIssues([issue("a.b", "c")], [issue("a", "b.c")])).toEqual([issue("a", "b.c")]);
    expect(oldIssueTest([issue("a", "b")])(issue("a", "b"))).toBe(true);
  });

  test("tens of thousands of issues on each side compare in one pass", () => {
    // One per bad entry of a big file, as an update over 30,000 bad peers meets them: a
    // pairwise comparison would take 900 million steps (seconds); a set lookup is instant.
    const before = Array.from({ length: 30_000 }, (_, i) => issue("Peering.Peers", `peer ${i}: null is not a peer ID`));
    const after = [...before, issue("Gateway.NoFetch", "must be a boolean")];
    expect(newIssues(before, after)).toEqual([issue("Gateway.NoFetch", "must be a boolean")]);
  });
});
