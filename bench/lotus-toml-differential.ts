/**
 * `kitcfg validate lotus` against lotus's own loading of config.toml, over generated texts: the
 * EnableSplitstore line check, BurntSushi/toml v1.6.0's Decode into a struct of the full node's
 * shape, and the simple rules lotus applies once loaded, as a Go program re-declares them
 * (HARNESS: bench/lotus-toml-reference, whose go.mod takes BurntSushi/toml from /tmp/toml).
 * Needs Go (Debian's golang-go 1.19 builds it) and BurntSushi/toml v1.6.0's source, no network:
 * `git -C <BurntSushi/toml clone> archive v1.6.0 | tar -x -C /tmp/toml`. Not part of `npm test`.
 *
 *   bun run build && bun bench/lotus-toml-differential.ts bench/lotus-toml-reference [--cases N] [--seed N]
 *
 * Each text goes to ROOT/.lotus/config.toml and `kitcfg validate lotus --root ROOT` judges it
 * (exit 0 or 1; warnings do not refuse). Where both accept, `kitcfg get` of each key the text
 * sets must give the value lotus decoded. Prints every disagreement; exits 1 if there is any.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { goDurationNs } from "../sdk/go.ts";
import { seededRandom } from "../tests/_safety.ts";
import { generateLotusText } from "./lotus-toml-texts.ts";
import type { LotusText } from "./lotus-toml-texts.ts";
import { ARGS, numberOption, textOption } from "./_options.ts";

const HARNESS = ARGS[0] && !ARGS[0].startsWith("--") ? resolve(ARGS[0]) : undefined;
if (!HARNESS) {
  console.error("usage: bun bench/lotus-toml-differential.ts HARNESS [--cases N] [--seed N] [--kitcfg PATH]");
  process.exit(2);
}
const CASES = numberOption("--cases", 500);
const SEED = numberOption("--seed", 7);
const KITCFG = resolve(textOption("--kitcfg", join(import.meta.dir, "..", "dist", "kitcfg")));

const next = seededRandom(SEED);
const cases = Array.from({ length: CASES }, () => generateLotusText(next));
const plain: LotusText = {
  bytes: new TextEncoder().encode("[Chainstore]\nEnableSplitstore = true\n"),
  keys: [],
  ambiguous: false,
};
const [defaults, ...go] = runHarness([plain, ...cases]);
const root = mkdtempSync(join(tmpdir(), "kitcfg-lotus-diff-"));
const env = { HOME: root, PATH: process.env.PATH ?? "/usr/bin:/bin" };
const kitcfg = (...words: string[]) =>
  spawnSync(KITCFG, [...words, "--root", root], { env, encoding: "utf8", timeout: 30000 });
kitcfg("configure", "lotus");
const file = join(root, ".lotus", "config.toml");
const disagreements: string[] = [];
const tally = {
  "kitcfg valid, lotus refuses": 0,
  "kitcfg refuses, lotus loads": 0,
  "get has no value lotus reads": 0,
  "get misreads": 0,
};
let accepted = 0;
try {
  cases.forEach((c, i) => {
    writeFileSync(file, c.bytes);
    const ours = kitcfg("validate", "lotus");
    const theirs = go[i]!;
    if (theirs.ok) accepted++;
    // 1: invalid; 3: the text does not parse (README's exit codes). Anything else is kitcfg's failure.
    if (ours.status !== 0 && ours.status !== 1 && ours.status !== 3) {
      disagreements.push(`${show(c)}\n    kitcfg exited ${ours.status}: ${ours.stderr}`);
    } else if ((ours.status === 0) !== theirs.ok) {
      tally[theirs.ok ? "kitcfg refuses, lotus loads" : "kitcfg valid, lotus refuses"]++;
      const said = `${ours.stdout}${ours.stderr}`.trim().replaceAll("\n", "\n      ");
      disagreements.push(`${show(c)}\n    lotus: ${theirs.ok ? "loads" : theirs.err}\n    kitcfg: ${said}`);
    } else if (theirs.ok && !c.ambiguous) {
      for (const { key, kind } of c.keys) {
        // FIL amounts are text on both sides; a SubsystemLevels that is no table, lotus skips (kitcfg warns).
        if (kind === "fil" || kind === "levels") continue;
        const got = kitcfg("get", "lotus", key, "--json", "--reveal");
        const mine = got.status === 0 ? comparable(jsonValue(got.stdout), kind) : undefined;
        const want = comparable(theirs.v![key]);
        if (mine !== undefined && mine !== want) {
          tally["get misreads"]++;
          disagreements.push(`${show(c)}\n    get ${key}: kitcfg ${mine}, lotus decoded ${want}`);
        } else if (mine === undefined && JSON.stringify(theirs.v![key]) !== JSON.stringify(defaults!.v![key])) {
          tally["get has no value lotus reads"]++;
          disagreements.push(`${show(c)}\n    get ${key}: kitcfg has no value, lotus decoded ${want}`);
        }
      }
    }
  });
} finally {
  rmSync(root, { recursive: true, force: true });
}
console.log(`${CASES} texts (seed ${SEED}), ${accepted} lotus loads, ${disagreements.length} disagreements`);
for (const [what, count] of Object.entries(tally)) console.log(`  ${what}: ${count}`);
for (const line of disagreements.slice(0, 60)) console.log(`  ${line}`);
process.exit(disagreements.length > 0 ? 1 : 0);

// --- internal ---

type GoVerdict = { ok: boolean; err?: string; v?: Record<string, unknown> };

function runHarness(texts: LotusText[]): GoVerdict[] {
  const build = spawnSync("go", ["build", "-o", "lotus-toml-reference", "."], {
    cwd: HARNESS,
    env: { ...process.env, GOFLAGS: "-mod=mod", GOPROXY: "off" },
    encoding: "utf8",
  });
  if (build.status !== 0) {
    console.error(`go build failed (Go and BurntSushi/toml's source, see its go.mod): ${build.stderr}`);
    process.exit(2);
  }
  const run = spawnSync(join(HARNESS!, "lotus-toml-reference"), {
    input: `${texts.map((t) => Buffer.from(t.bytes).toString("base64")).join("\n")}\n`,
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  return run.stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as GoVerdict);
}

/** A value as text both sides can be compared on: durations in nanoseconds, lists and tables as JSON. */
function comparable(value: unknown, kind?: string): string {
  // A negative integer into a uint wraps (decode.go unifyInt); kitcfg warns and keeps the number.
  if (kind === "uint" && /^-[0-9]+$/.test(String(value))) return String(2n ** 64n + BigInt(String(value)));
  if (typeof value === "string" && /^-?[0-9]+$/.test(value)) return String(BigInt(value));
  if (typeof value === "string") {
    const ns = goDurationNs(value);
    if (ns !== undefined) return String(ns);
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value))
    return JSON.stringify(Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))));
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** A JSON document, an integer past 2^53 kept as its digits. */
function jsonValue(text: string): unknown {
  return /^-?[0-9]+$/.test(text.trim()) ? text.trim() : JSON.parse(text);
}

function show(c: LotusText): string {
  return JSON.stringify(new TextDecoder().decode(c.bytes));
}
