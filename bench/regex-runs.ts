/**
 * Every regex literal in kitcfg's source run on long runs of one piece of text (a blank, a digit,
 * "a.", "\\", "/", "://", …) with a prefix and a last character that make it fail: a regex whose
 * time grows with the square of such a run (a quantifier tried from each start of the run, or two
 * that split it every way) takes milliseconds on 6,000 characters and seconds on a config value of a
 * few hundred KB. Prints each regex slower than the limit with its worst input, slowest first. The
 * flags `g` and `y` are dropped, so a sticky regex (tried at one place per call) is listed too: check
 * how it is used.
 *
 *   bun bench/regex-runs.ts [--length N] [--limit MS]
 *
 * Not part of `npm test` (about a minute). Regexes built with `new RegExp` are not read.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Glob } from "bun";
import { numberOption } from "./_options.ts";

const ROOT = resolve(import.meta.dir, "..");
const LENGTH = numberOption("--length", 6000);
const LIMIT = numberOption("--limit", 8);

/** A regex literal after something that ends an expression's start (`=`, `(`, `,`, `return`, …). */
const LITERAL = /(?<=[=(,:!&|?;[{}]\s*|return\s+)\/((?:\\.|\[(?:\\.|[^\]\\\n])*\]|[^/\n\\[])+)\/([dgimsuyv]*)/g;
const UNITS = [" ", "a", "0", ".", ",", "\t", "a ", " ,", "a.", "a=", "= ", "\\", "\\\\", '"', "'", "a:", "/"];
UNITS.push("//", ":/", "-", "a-", "_", "#", ";", "[", "]", "{", "}", "%", "$", "a1", "1.", "e1", "+", "@", "://");
UNITS.push("\n", " \n", "=", ":", "::", "x ", "A", "é", "\u00a0", "*", "?", "(", ")", "|", "~");
const PREFIXES = ["", "a", "[", "#", '"', "a=", "/", "x://"];
const LAST = ["", "!", "\u0000", "\n", "x", "=", " ", '"', "]", "\\"];

const found: { where: string; regex: RegExp; sticky: boolean }[] = [];
for (const file of new Glob("{core,sdk,plugins,cli,mcp,present}/**/*.ts").scanSync(ROOT)) {
  const text = readFileSync(join(ROOT, file), "utf8");
  for (const match of text.matchAll(LITERAL)) {
    let regex: RegExp;
    try {
      regex = new RegExp(match[1]!, match[2]!.replace(/[gy]/g, ""));
    } catch {
      continue; // a division read as a regex
    }
    const where = `${file}:${text.slice(0, match.index).split("\n").length}`;
    found.push({ where, regex, sticky: match[2]!.includes("y") });
  }
}

const slow: { where: string; regex: RegExp; sticky: boolean; ms: number; input: string }[] = [];
for (const { where, regex, sticky } of found) {
  let worst = { ms: 0, input: "" };
  for (const unit of UNITS)
    for (const prefix of PREFIXES)
      for (const last of LAST) {
        const text = prefix + unit.repeat(Math.ceil(LENGTH / unit.length)) + last;
        const started = performance.now();
        regex.test(text);
        const ms = performance.now() - started;
        if (ms > worst.ms) worst = { ms, input: `${prefix}${unit}${unit}…${last}` };
      }
  if (worst.ms > LIMIT) slow.push({ where, regex, sticky, ...worst });
}
console.log(`${found.length} regex literals, runs of ${LENGTH} characters: ${slow.length} slower than ${LIMIT} ms`);
for (const { where, regex, sticky, ms, input } of slow.sort((a, b) => b.ms - a.ms)) {
  const shown = `/${regex.source.slice(0, 100)}/${sticky ? " (sticky: one start a call)" : ""}`;
  console.log(`${ms.toFixed(0).padStart(6)} ms  ${where}  ${shown}  on ${JSON.stringify(input)}`);
}
