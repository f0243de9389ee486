import { expect, test } from "bun:test";
import { holdsUrlCredentials, maskUrlCredentials } from "../../core/redact.ts";
import { seededRandom } from "../_safety.ts";

// The credentials of a URL in any output (core/redact.ts `maskUrlCredentials`): found from each
// "://" outwards, in time that grows with the text, where one regex read a long run again from
// each of its letters.

/** The rule as one regex states it (the former implementation), for texts short enough to run it on. */
const BY_REGEX = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#"'<>\\[\]]+)@/gi;
const byRegex = (text: string) => text.replace(BY_REGEX, "$1<redacted>@");

test("user information is hidden up to the authority's last @, for any scheme", () => {
  expect(maskUrlCredentials("proxy http://alice:pw@proxy.lab:3128 and https://h/x@y")).toBe(
    "proxy http://<redacted>@proxy.lab:3128 and https://h/x@y",
  );
  expect(maskUrlCredentials("socks5h://u:p@ss@host")).toBe("socks5h://<redacted>@host");
  expect(maskUrlCredentials("S3+Custom.v-2://key@bucket")).toBe("S3+Custom.v-2://<redacted>@bucket");
  // A scheme starts a word: `_x://` has none, `-x://` has `x`; an empty user information is none.
  expect(maskUrlCredentials("_x://u@h -y://u@h http://@h")).toBe("_x://u@h -y://<redacted>@h http://@h");
  expect(maskUrlCredentials("a://b://c@d")).toBe("a://b://<redacted>@d");
  expect(holdsUrlCredentials({ proxies: ["http://t@h"] })).toBe(true);
  expect(holdsUrlCredentials({ proxies: ["http://h", "mail me@h"] })).toBe(false);
});

test("the same as the one-regex rule on random texts of URL-like pieces", () => {
  const next = seededRandom(41);
  const pieces = [
    "http",
    "a",
    "A",
    "_",
    "-",
    "+",
    ".",
    "1",
    "://",
    ":",
    "@",
    "/",
    "?",
    "#",
    " ",
    "\t",
    '"',
    "[",
    "\u00a0",
  ];
  for (let round = 0; round < 20_000; round++) {
    const length = 1 + Math.floor(next() * 14);
    const text = Array.from({ length }, () => pieces[Math.floor(next() * pieces.length)]).join("");
    expect([text, maskUrlCredentials(text)]).toEqual([text, byRegex(text)]);
  }
});

test("a long scheme-like run is read once, not again from each of its letters", () => {
  // 1 MB of "a.": the regex took minutes on it (6 s for 200 KB); this test's limit is 10 s.
  const run = "a.".repeat(500_000);
  const text = `${run}://user:pw@host and ${run} http://x@y`;
  expect(maskUrlCredentials(text) === `${run}://<redacted>@host and ${run} http://<redacted>@y`).toBe(true);
}, 10_000);
