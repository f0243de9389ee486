/**
 * Build the release binaries: kitcfg for every system Bun compiles for, named
 * `kitcfg-<version>-<os>-<arch>[-baseline][-musl]` in dist/release/, the plugin types as
 * `kitcfg-<version>.d.ts`, and SHA256SUMS of them all (`sha256sum -c SHA256SUMS`).
 *
 *   bun release.ts [--only linux-arm64,linux-x64] [--out DIR]
 *
 * Bun builds a binary for another system on that system's Bun executable. Those come
 * from the npm registry only: the `@oven/bun-<os>-<arch>` package of the Bun version
 * building, fetched with `npm pack` (so npm's own registry setting and cache apply) into
 * dist/.bun-targets/ and handed to Bun as `executablePath`, so Bun itself downloads nothing.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { version } from "./package.json";
import { compileKitcfg, gitCommit } from "./build.ts";

/** What a release holds: Bun's target, the npm package of its Bun executable, the file name's suffix. */
export const RELEASE_TARGETS = [
  { name: "linux-x64", target: "bun-linux-x64", pkg: "@oven/bun-linux-x64" },
  { name: "linux-x64-baseline", target: "bun-linux-x64-baseline", pkg: "@oven/bun-linux-x64-baseline" },
  { name: "linux-arm64", target: "bun-linux-arm64", pkg: "@oven/bun-linux-aarch64" },
  { name: "linux-x64-musl", target: "bun-linux-x64-musl", pkg: "@oven/bun-linux-x64-musl" },
  { name: "linux-arm64-musl", target: "bun-linux-arm64-musl", pkg: "@oven/bun-linux-aarch64-musl" },
  { name: "darwin-x64", target: "bun-darwin-x64", pkg: "@oven/bun-darwin-x64" },
  { name: "darwin-arm64", target: "bun-darwin-arm64", pkg: "@oven/bun-darwin-aarch64" },
] as const satisfies readonly { name: string; target: Bun.Build.CompileTarget; pkg: string }[];

const ROOT = import.meta.dir;

if (import.meta.main) {
  const args = process.argv.slice(2);
  const only = args.includes("--only") ? args[args.indexOf("--only") + 1]!.split(",") : undefined;
  const out = resolve(args.includes("--out") ? args[args.indexOf("--out") + 1]! : join(ROOT, "dist/release"));
  const unknown = only?.filter((name) => !RELEASE_TARGETS.some((t) => t.name === name)) ?? [];
  if (unknown.length > 0) {
    console.error(`Unknown target ${unknown.join(", ")}: one of ${RELEASE_TARGETS.map((t) => t.name).join(", ")}`);
    process.exit(2);
  }
  const targets = RELEASE_TARGETS.filter((t) => !only || only.includes(t.name));
  try {
    await buildRelease({ targets, out });
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}

/** Build each target into `out` (emptied first) and write SHA256SUMS; returns the file names. */
export async function buildRelease(options: {
  targets: readonly (typeof RELEASE_TARGETS)[number][];
  out: string;
}): Promise<string[]> {
  rmSync(options.out, { recursive: true, force: true });
  mkdirSync(options.out, { recursive: true });
  const commit = gitCommit();
  const files: string[] = [];
  for (const t of options.targets) {
    const started = performance.now();
    const outfile = join(options.out, `kitcfg-${version}-${t.name}`);
    await compileKitcfg({ outfile, target: t.target, executablePath: bunExecutable(t.pkg, Bun.version), commit });
    files.push(basename(outfile));
    console.log(`built ${outfile} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
  // The plugin types every build writes beside itself (the same for every target): one file, listed too.
  if (files.length > 0) {
    renameSync(join(options.out, "kitcfg.d.ts"), join(options.out, typesFileName()));
    files.push(typesFileName());
  }
  const sums = files.map((file) => `${sha256(join(options.out, file))}  ${file}\n`).join("");
  writeFileSync(join(options.out, "SHA256SUMS"), sums);
  console.log(`wrote ${join(options.out, "SHA256SUMS")} (check with: cd ${options.out} && sha256sum -c SHA256SUMS)`);
  return files;
}

/** The release's plugin types (`kitcfg.d.ts` of a build), named by version as the binaries are. */
export function typesFileName(): string {
  return `kitcfg-${version}.d.ts`;
}

// --- internal ---

/**
 * The Bun executable in npm package `pkg` at `bunVersion`, fetched once with `npm pack`
 * (the package's os/cpu fields would stop `npm install` on this machine) and unpacked.
 */
function bunExecutable(pkg: string, bunVersion: string): string {
  const dir = join(ROOT, "dist/.bun-targets", `${pkg.replace("@oven/", "")}-${bunVersion}`);
  const exe = join(dir, "package/bin/bun");
  if (existsSync(exe)) return exe;
  mkdirSync(dir, { recursive: true });
  const packed = run("npm", ["pack", "--silent", `${pkg}@${bunVersion}`], dir)
    .trim()
    .split("\n")
    .pop()!;
  run("tar", ["-xzf", packed], dir);
  rmSync(join(dir, packed));
  if (!existsSync(exe)) throw new Error(`${pkg}@${bunVersion} from the npm registry has no bin/bun`);
  return exe;
}

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${result.stderr || result.error}`);
  return result.stdout;
}

function sha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}
