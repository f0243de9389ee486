/**
 * The crash test of tests/e2e/crash.test.ts with more kills: `kitcfg update` is killed
 * with SIGKILL at random moments, and every file must be exactly its old or new version
 * afterwards, with the next update undisturbed. Needs a fresh `dist/kitcfg`.
 *
 *   bun bench/crash.ts [--kills N] [--seed N]
 *
 * Exits 1 when any kill broke a promise, printing each one.
 */
import { runCrashLoop } from "../tests/_crash.ts";
import { numberOption } from "./_options.ts";

const kills = numberOption("--kills", 2000);
const seed = numberOption("--seed", Date.now() % 1_000_000);

const started = performance.now();
const report = await runCrashLoop({ kills, seed });
console.log(`crash: seed ${seed}, ${report.kills} kills in ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(
  `  ${report.midRun} hit a running process, ` +
    `${report.inFlight} left a lock or temporary file behind (a write in flight)`,
);
console.log(`  files left at the new version ${report.leftNew} times, at the old one ${report.leftOld} times`);
console.log(
  `  per plugin: ${Object.entries(report.byPlugin)
    .map(([name, n]) => `${name} ${n}`)
    .join(", ")}`,
);
if (report.skipped.length > 0) console.log(`  skipped (no key to switch): ${report.skipped.join(", ")}`);
for (const failure of report.failures) console.log(`FAIL ${failure}`);
console.log(
  report.failures.length === 0
    ? "every file was old or new, and every next update went through"
    : `${report.failures.length} failures`,
);
process.exitCode = report.failures.length === 0 ? 0 : 1;
