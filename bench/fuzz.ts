/**
 * The fuzz test of tests/fuzz.test.ts with more cases and any seed: bad values, key paths,
 * daemon and instance names and file contents, over every loaded plugin, run in process.
 *
 *   bun bench/fuzz.ts [--cases N] [--seed N]
 *
 * Prints the cases slower than a second, and exits 1 when any case broke a promise.
 * A case that kills the process (out of memory) is found with FUZZ_TRACE=1.
 */
import { runFuzz } from "../tests/_fuzz.ts";
import { numberOption } from "./_options.ts";

const cases = numberOption("--cases", 20_000);
const seed = numberOption("--seed", Date.now() % 1_000_000);

const started = performance.now();
const report = await runFuzz({ cases, seed, slow: 1000, onSlow: (line) => console.log(`slow: ${line.slice(0, 300)}`) });
console.log(`fuzz: seed ${seed}, ${report.cases} cases in ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(
  `  kinds: ${Object.entries(report.byKind)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ")}`,
);
console.log(
  `  outcomes: ${Object.entries(report.byExit)
    .map(([k, n]) => `${k}: ${n}`)
    .join(", ")}`,
);
for (const failure of report.failures) console.log(`FAIL ${failure.slice(0, 2000)}`);
console.log(
  report.failures.length === 0
    ? "every case ended in a clear error or a valid result"
    : `${report.failures.length} failures`,
);
process.exitCode = report.failures.length === 0 ? 0 : 1;
