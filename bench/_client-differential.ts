/**
 * What the differentials against a real client share (bench/hf-differential.ts,
 * bench/storacha-differential.ts): running the generated cases a few at a time, kitcfg's
 * issues from `validate --json`, a process's output, and the report of the kinds found.
 */

/** An issue of `kitcfg validate --json`. */
export interface KitcfgIssue {
  key: string;
  message: string;
  severity: "error" | "warning";
}

/** What a case's judge says: a kind (none when both sides agree) and the lines that show why. */
export interface Judged {
  kind?: string;
  detail: string[];
}

/** `argv` run to its end, with its output as text. */
export async function spawnText(
  argv: string[],
  options: { env: Record<string, string>; cwd?: string },
): Promise<{ stdout: string; stderr: string; code: number }> {
  const child = Bun.spawn(argv, { env: options.env, cwd: options.cwd, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { stdout, stderr, code };
}

/** The issues `kitcfg validate --json` printed; one error saying so when it printed no JSON. */
export function validateIssues(stdout: string): KitcfgIssue[] {
  try {
    const report = JSON.parse(stdout) as { daemons: { issues: KitcfgIssue[] }[] };
    return report.daemons.flatMap((daemon) => daemon.issues);
  } catch {
    return [{ key: "", message: `validate printed no JSON: ${stdout.slice(0, 200)}`, severity: "error" }];
  }
}

/**
 * Judge every case, `jobs` at a time, then print each disagreement (a kind not in `agreeing`)
 * with its lines, the count of each kind and the total, under `title`; the exit code is 1 when
 * there is a disagreement.
 */
export async function runDifferential<C>(options: {
  title: string;
  cases: readonly C[];
  jobs: number;
  judge: (one: C) => Promise<Judged>;
  /** Kinds that are no disagreement. */
  agreeing: readonly string[];
  /** The case as one line (its changes). */
  describe: (one: C) => string;
  /** A line as printed (long runs shortened). */
  show?: (line: string) => string;
}): Promise<void> {
  const show = options.show ?? ((line: string) => line);
  const started = performance.now();
  const judged: Judged[] = new Array(options.cases.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: options.jobs }, async () => {
      while (next < options.cases.length) {
        const index = next++;
        judged[index] = await options.judge(options.cases[index]!);
      }
    }),
  );
  const counts: Record<string, number> = {};
  let disagreements = 0;
  judged.forEach((judgement, index) => {
    const kind = judgement.kind ?? "agreed";
    counts[kind] = (counts[kind] ?? 0) + 1;
    if (judgement.kind === undefined || options.agreeing.includes(judgement.kind)) return;
    disagreements++;
    console.log(`DISAGREE ${judgement.kind} #${index}: ${show(options.describe(options.cases[index]!))}`);
    for (const line of judgement.detail) console.log(`    ${show(line)}`);
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`${options.title}, ${options.cases.length} cases in ${seconds} s`);
  for (const [kind, n] of Object.entries(counts)) console.log(`  ${kind}: ${n}`);
  console.log(disagreements === 0 ? "no disagreement" : `${disagreements} disagreements`);
  process.exitCode = disagreements === 0 ? 0 : 1;
}
