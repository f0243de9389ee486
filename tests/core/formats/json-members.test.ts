import { expect, test } from "bun:test";
import { countMemberKeys, countMembers } from "../../../core/formats/_json-members.ts";

// The gate before reading a JSON text member by member (core/_read-as-daemon.ts, json entries):
// a text writes more member keys than its parsed value holds only when it gives a key twice.

test("a text that gives no key twice writes as many member keys as its parsed value holds", () => {
  for (const text of [
    "{}",
    '{"a": 1, "b": {"c": [{"d": null}, 2]}, "e": []}',
    '{\n  "a" :\t1,\n  "b"\n  : {"c": "x:y"}\n}',
    '[{"a": 1}, {"a": 2}]',
  ]) {
    expect(countMemberKeys(text)).toBe(countMembers(JSON.parse(text)));
  }
});

test("a key given twice, spaced as it may be, writes more member keys than the value holds", () => {
  for (const text of [
    '{"a": 1, "a": 2}',
    '{"a": {"b": 1}, "a" : {"c": 2}}',
    '{"x": [{"k": 1, "k"\n: 2}]}',
    '{"a": 1, "\\u0061": 2}',
  ]) {
    expect(countMemberKeys(text)).toBeGreaterThan(countMembers(JSON.parse(text)));
  }
});

test('a string that holds ": errs towards a second reading, never the other way', () => {
  const text = '{"note": "a\\": b"}';
  expect(countMemberKeys(text)).toBeGreaterThan(countMembers(JSON.parse(text)));
});
