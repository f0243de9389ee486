import { spawnSync } from "node:child_process";
import { join } from "node:path";

/**
 * Run one of bench's Go reference programs (`bench/<folder>`, `go run .` with the standard
 * library only: no module is fetched) on `lines`, one input per line, and give its output's
 * lines, one answer per input. Exits 2 with Go's message when it does not run (no toolchain:
 * Debian's golang-go).
 */
export function runGoReference(folder: string, lines: string[]): string[] {
  const go = spawnSync("go", ["run", "."], {
    cwd: join(import.meta.dir, folder),
    input: `${lines.join("\n")}\n`,
    env: { ...process.env, GOFLAGS: "-mod=mod", GOPROXY: "off" },
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (go.status !== 0) {
    console.error(`go run failed (is Debian's golang-go installed?): ${go.stderr ?? go.error}`);
    process.exit(2);
  }
  return go.stdout.trim().split("\n");
}
