/**
 * A differential of `kitcfg validate huggingface` against the real huggingface_hub: generated
 * config.json files (every setting of plugins/huggingface.ts, odd values included), each
 * judged by kitcfg and by the client importing `huggingface_hub.constants` and its token reader
 * with the variables kitcfg derives (huggingface.env sourced as a shell does, and
 * `kitcfg env huggingface --reveal`), in a fresh python3 per case. Not part of `npm test`: it
 * needs python3 and the mirrored source, unpacked with
 *
 *   git -C /work/.mirror/huggingface+huggingface_hub/repo archive HEAD src | tar -x -C /tmp/hfsrc
 *   bun build.ts && bun bench/hf-differential.ts [--cases N] [--seed N] [--jobs N] [--src /tmp/hfsrc/src]
 *
 * Prints every disagreement (kinds in bench/_hf-judge.ts), and exits 1 when there is one.
 */
import { existsSync } from "node:fs";
import { seededRandom } from "../tests/_safety.ts";
import { type HfCase, generateHfCase } from "./_hf-cases.ts";
import { judgeHfCase } from "./_hf-judge.ts";
import { runHfCase } from "./_hf-run.ts";
import { runDifferential } from "./_client-differential.ts";
import { numberOption, textOption } from "./_options.ts";

const cases = numberOption("--cases", 300);
const seed = numberOption("--seed", Date.now() % 1_000_000);
const jobs = numberOption("--jobs", 8);
const source = textOption("--src", "/tmp/hfsrc/src");
if (!existsSync(`${source}/huggingface_hub/constants.py`)) {
  console.error(`No huggingface_hub source in ${source}: unpack it as this file's comment says, or give --src`);
  process.exit(2);
}

const random = seededRandom(seed);
await runDifferential({
  title: `huggingface differential: seed ${seed}`,
  cases: Array.from({ length: cases }, () => generateHfCase(random)),
  jobs,
  judge: async (one: HfCase) => judgeHfCase(one, await runHfCase(one, source)),
  // A JSON type the client never reads as text: kitcfg's schema refuses it, nothing to compare.
  agreeing: ["type-refusal"],
  describe: (one) => one.changes.join(", "),
});
