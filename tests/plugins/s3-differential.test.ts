import { expect, test } from "bun:test";
import { runS3Differential } from "../_s3cfg-diff.ts";
import { hasTool } from "../helpers.ts";

// Generated .s3cfg files (the defaults with options, lines and sections changed: tests/_s3cfg-diff.ts),
// each judged by the real s3cmd's --dump-config, which runs every check of its main before a command,
// and by `kitcfg validate s3`. bench/s3-differential.ts runs more cases and any seed.
const S3CMD = hasTool("s3cmd", "the differential test of kitcfg validate against the real s3cmd");
const CASES = 150;

test.skipIf(!S3CMD)(
  `${CASES} generated .s3cfg files: kitcfg validate refuses exactly those the real s3cmd refuses`,
  async () => {
    const report = await runS3Differential({ seed: 20_250, cases: CASES });
    console.log(
      `s3 differential: ${report.cases} cases`,
      report.byVerdict,
      `counted apart: ${report.atRequest.length} fail at every request, ` +
        `${report.laterOptions.length} s3cmd 2.4.0 options, ${report.credentials.length} credentials`,
    );
    expect(report.disagreements).toEqual([]);
    // Not a vacuous run: both verdicts, in numbers.
    expect(report.byVerdict["s3cmd accepted, kitcfg accepted"]).toBeGreaterThan(CASES / 4);
    expect(report.byVerdict["s3cmd refused, kitcfg refused"]).toBeGreaterThan(CASES / 4);
  },
  60_000,
);
