import { expect, test } from "bun:test";
import { decodeMultibase } from "../../sdk/_multibase.ts";
import { tomlBareText } from "../../core/formats/_toml-scan.ts";
import { writtenValueIssues } from "../../plugins/ipfs/raw.ts";
import { goTrimSpace, parseByteSize, pythonStrip, readGoText } from "../../sdk/index.ts";

// Values a config may hold at any length, read by regexes that once tried each split of a long run
// of one character (digits with an optional point, a trailing run of "=", "0" or "/"): the time grew
// with the square of the run, minutes for a few hundred KB. Each case here is a run of 400,000
// characters the former pattern failed on; the limit is 10 s, the time a few milliseconds.

const RUN = 400_000;

test("a byte size of many digits and a float of many digits are read once", () => {
  expect(parseByteSize(`${"0".repeat(RUN)}..`)).toBeUndefined();
  expect(parseByteSize(`1${"0".repeat(RUN)}`)).toBeUndefined(); // past uint64: go-humanize refuses it
  expect(readGoText("float64", `${"1".repeat(RUN)}x`)).toHaveProperty("problem");
  expect(readGoText("float64", `0.${"0".repeat(RUN)}1`)).toEqual({ value: 0 });
}, 10_000);

test("a trailing run of one character is taken off once", () => {
  // base32 padded (multibase "C"): a body that is nothing but padding is no value.
  expect(decodeMultibase(`C${"=".repeat(RUN)}A`)).toBeUndefined();
}, 10_000);

test("blanks inside a value are passed over once when its ends are trimmed", () => {
  const inner = `a${" ".repeat(RUN)}b`;
  expect(pythonStrip(`\t${inner} \u3000`) === inner).toBe(true);
  expect(goTrimSpace(`\u0085${inner}\n`) === inner).toBe(true);
}, 10_000);

test("a long run of backslashes in a kubo config is searched once for an escaped duration", () => {
  // The text is searched for a backslash that may spell a duration's key or value (ipfs/raw.ts).
  const text = `{"Identity": {"PeerID": "${"\\".repeat(RUN)}"}}`;
  expect(writtenValueIssues(text, JSON.parse(text))).toEqual([]);
  const escaped = '{"Swarm": {"ConnMgr": {"GracePeriod": "2\\u0030s"}}}';
  expect(writtenValueIssues(escaped, JSON.parse(escaped))).toHaveLength(1);
}, 10_000);

test("a TOML line of 300,000 strings is blanked out once (lotus's value checks read the text so)", () => {
  // Each string sought the end of its line, read to the end of this one: 3 s for 100,000.
  const line = `ListenAddresses = [${Array.from({ length: 300_000 }, () => '"/ip4/1.2.3.4/tcp/1"').join(", ")}] # c`;
  const bare = tomlBareText(line);
  expect(bare.length).toBe(line.length);
  // Each string and the comment blanked out, quotes included; the rest kept.
  expect(bare.startsWith(`ListenAddresses = [${"x".repeat(20)}, ${"x".repeat(20)}, x`)).toBe(true);
  expect(bare.endsWith(`${"x".repeat(20)}]    `)).toBe(true);
}, 10_000);
