/**
 * The differential test of tests/plugins/s3-differential.test.ts with more cases and any seed:
 * generated .s3cfg files judged by the real s3cmd (`--dump-config`) and `dist/kitcfg validate s3`.
 *
 *   bun build.ts && bun bench/s3-differential.ts [--cases N] [--seed N]
 *
 * Prints every disagreement, and exits 1 when there is one.
 */
import { runS3Differential } from "../tests/_s3cfg-diff.ts";
import { numberOption } from "./_options.ts";

const cases = numberOption("--cases", 500);
const seed = numberOption("--seed", Date.now() % 1_000_000);

const started = performance.now();
const concurrency = numberOption("--jobs", 8);
const report = await runS3Differential({ cases, seed, concurrency });
console.log(
  `s3 differential: seed ${seed}, ${report.cases} cases in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
for (const [pair, n] of Object.entries(report.byVerdict)) console.log(`  ${pair}: ${n}`);
console.log(`  kitcfg refuses what s3cmd loads and fails with at every request: ${report.atRequest.length}`);
console.log(
  `  kitcfg refuses a value s3cmd 2.4.0 refuses in an option 2.3.0 never reads: ${report.laterOptions.length}`,
);
console.log(`  s3cmd stops for want of an access key, kitcfg warns: ${report.credentials.length}`);
for (const one of report.disagreements) console.log(`DISAGREE ${JSON.stringify(one)}`);
console.log(report.disagreements.length === 0 ? "no disagreement" : `${report.disagreements.length} disagreements`);
process.exitCode = report.disagreements.length === 0 ? 0 : 1;
