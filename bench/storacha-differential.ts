/**
 * A differential of `kitcfg validate storacha` against the real storacha CLI (@storacha/cli):
 * generated config.json files (every setting of plugins/storacha.ts, odd values included), each
 * judged by kitcfg and by the CLI's own loading code, `getStore()` and `getClient()` of its lib.js,
 * run in a fresh node per case (bench/storacha-read.mjs) with the lines `kitcfg env storacha`
 * prints, evaluated by sh; HOME and the XDG folders point into the case's temp folder, and the
 * client is only constructed, never used (fetch and sockets are trapped). Not part of `npm test`:
 * it needs node and the CLI, installed outside the repo with
 *
 *   mkdir -p /tmp/storacha-cli && cd /tmp/storacha-cli && npm init -y >/dev/null && npm install @storacha/cli@1.6.32
 *   bun build.ts && bun bench/storacha-differential.ts [--cases N] [--seed N] [--jobs N] [--cli /tmp/storacha-cli]
 *
 * Prints every disagreement (kinds in bench/_storacha-judge.ts), and exits 1 when there is one.
 */
import { existsSync } from "node:fs";
import { seededRandom } from "../tests/_safety.ts";
import { type StorachaCase, generateStorachaCase } from "./_storacha-cases.ts";
import { NOT_DISAGREEMENTS, judgeStorachaCase } from "./_storacha-judge.ts";
import { runStorachaCase } from "./_storacha-run.ts";
import { runDifferential } from "./_client-differential.ts";
import { numberOption, textOption } from "./_options.ts";

const cases = numberOption("--cases", 300);
const seed = numberOption("--seed", Date.now() % 1_000_000);
const jobs = numberOption("--jobs", 4);
const cli = textOption("--cli", "/tmp/storacha-cli");
if (!existsSync(`${cli}/node_modules/@storacha/cli/lib.js`)) {
  console.error(`No @storacha/cli in ${cli}/node_modules: install it as this file's comment says, or give --cli`);
  process.exit(2);
}

const random = seededRandom(seed);
await runDifferential({
  title: `storacha differential: seed ${seed}`,
  cases: Array.from({ length: cases }, () => generateStorachaCase(random)),
  jobs,
  judge: async (one: StorachaCase) => judgeStorachaCase(one, await runStorachaCase(one, cli)),
  agreeing: NOT_DISAGREEMENTS,
  describe: (one) => one.changes.join(", "),
  show: clip,
});

/** A line with each run of one character over 20 long written as its count (the cases hold names of 5,000). */
function clip(text: string): string {
  return text.replace(/(.)\1{20,}/gu, (run, char: string) => `${char}{×${[...run].length}}`);
}
