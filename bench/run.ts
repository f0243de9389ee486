/**
 * Start-up benchmark: `dist/kitcfg validate` and `dist/kitcfg update huggingface --set
 * offline=true` against a Bun hello-world binary compiled in the same run with the same
 * flags. Runs are interleaved so that machine noise hits all commands alike; the report
 * gives median wall time, its ratio to hello-world, and peak memory (max RSS).
 *
 *   bun bench/run.ts [--runs N] [--check]
 *
 * `--check` exits 1 when a target is missed: validate at most 1.5x hello-world's wall
 * time, peak memory at most 15 MiB above it.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "..");
const KITCFG = join(ROOT, "dist/kitcfg");
const OUT = join(ROOT, "bench/out");
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf("--runs") + 1]) || 60;
const TARGET_RATIO = 1.5;
const TARGET_EXTRA_MIB = 15;

interface Sample {
  ms: number[];
  rssBytes: number[];
}

const hello = buildHello();
const root = mkdtempSync(join(tmpdir(), "kitcfg-bench-"));
const env = { PATH: process.env.PATH ?? "", HOME: root, KITCFG_ROOT: root };
try {
  mustRun([KITCFG, "configure", "all"]);
  const commands: Record<string, { argv: string[]; before?: string[] }> = {
    "hello-world": { argv: [hello] },
    "kitcfg validate": { argv: [KITCFG, "validate"] },
    "kitcfg update huggingface --set offline=true": {
      argv: [KITCFG, "update", "huggingface", "--set", "offline=true"],
      // Set it back first (not timed) so that every timed run really writes.
      before: [KITCFG, "update", "huggingface", "--set", "offline=false"],
    },
  };
  const samples: Record<string, Sample> = Object.fromEntries(Object.keys(commands).map((k) => [k, { ms: [], rssBytes: [] }]));
  for (let i = 0; i < RUNS + 3; i++) {
    for (const [name, { argv, before }] of Object.entries(commands)) {
      if (before) mustRun(before);
      const start = Bun.nanoseconds();
      const result = Bun.spawnSync(argv, { env, stdout: "ignore", stderr: "pipe" });
      const ms = (Bun.nanoseconds() - start) / 1e6;
      if (result.exitCode !== 0) throw new Error(`${name} failed: ${result.stderr.toString()}`);
      if (i < 3) continue; // warm-up: page cache, first exec
      samples[name]!.ms.push(ms);
      samples[name]!.rssBytes.push(Number(result.resourceUsage.maxRSS));
    }
  }
  const base = summarize(samples["hello-world"]!);
  const rows = Object.entries(samples).map(([name, sample]) => ({ name, ...summarize(sample) }));
  console.log(`runs: ${RUNS} per command (interleaved), bun ${Bun.version}, ${process.platform}-${process.arch}\n`);
  console.log(["command".padEnd(46), "median ms", "ratio", "peak RSS MiB", "+MiB"].join("  "));
  for (const row of rows) {
    console.log(
      [
        row.name.padEnd(46),
        row.median.toFixed(2).padStart(9),
        (row.median / base.median).toFixed(2).padStart(5),
        row.peakMiB.toFixed(1).padStart(12),
        (row.peakMiB - base.peakMiB).toFixed(1).padStart(4),
      ].join("  "),
    );
  }
  const validate = rows.find((r) => r.name === "kitcfg validate")!;
  const ratio = validate.median / base.median;
  const extra = Math.max(...rows.map((r) => r.peakMiB)) - base.peakMiB;
  const ok = ratio <= TARGET_RATIO && extra <= TARGET_EXTRA_MIB;
  console.log(`\nvalidate ratio ${ratio.toFixed(2)} (target <= ${TARGET_RATIO}); peak memory +${extra.toFixed(1)} MiB (target <= ${TARGET_EXTRA_MIB}): ${ok ? "met" : "MISSED"}`);
  if (args.includes("--check") && !ok) process.exitCode = 1;
} finally {
  rmSync(root, { recursive: true, force: true });
}

function buildHello(): string {
  mkdirSync(OUT, { recursive: true });
  const source = join(OUT, "hello.ts");
  const binary = join(OUT, "hello");
  writeFileSync(source, 'console.log("hello world");\n');
  // The same flags as `npm run build`, so the comparison is binary against binary.
  const flags = ["--compile", "--minify", "--bytecode", "--format=esm", "--no-compile-autoload-dotenv", "--no-compile-autoload-bunfig"];
  const result = Bun.spawnSync([process.execPath, "build", ...flags, source, "--outfile", binary], { stdout: "ignore", stderr: "pipe" });
  if (result.exitCode !== 0) throw new Error(`building hello-world failed: ${result.stderr.toString()}`);
  return binary;
}

function mustRun(argv: string[]): void {
  const result = Bun.spawnSync(argv, { env, stdout: "ignore", stderr: "pipe" });
  if (result.exitCode !== 0) throw new Error(`${argv.join(" ")} failed: ${result.stderr.toString()}`);
}

function summarize(sample: Sample): { median: number; peakMiB: number } {
  const sorted = [...sample.ms].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, peakMiB: Math.max(...sample.rssBytes) / 1024 / 1024 };
}
