import { expect, test } from "bun:test";
import { runCrashLoop } from "../_crash.ts";

// 200 kills spread over every plugin with a key to switch; bench/crash.ts runs more.
const KILLS = 200;

test(`SIGKILL at random moments of ${KILLS} updates leaves every file old or new, ` +
  `and the next update goes through`, async () => {
  const report = await runCrashLoop({ kills: KILLS, seed: 20240601 });
  console.log(
    `crash: ${report.kills} kills (${report.midRun} mid-run, ${report.inFlight} with a write in flight; ` +
      `files left new ${report.leftNew}, old ${report.leftOld})`,
    report.byPlugin,
    report.skipped.length ? `skipped (no key to switch): ${report.skipped.join(", ")}` : "",
  );
  expect(report.failures).toEqual([]);
  expect(report.kills).toBe(KILLS);
  expect(report.midRun).toBeGreaterThan(0);
  expect(report.inFlight).toBeGreaterThan(0);
}, 240_000);
