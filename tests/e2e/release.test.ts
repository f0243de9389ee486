import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { chmodSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gitCommit } from "../../build.ts";
import { version } from "../../package.json";
import { RELEASE_TARGETS, typesFileName } from "../../release.ts";
import { cleanEnv, hasTool, kitcfg, runCli, tempDir } from "../helpers.ts";

// Each test runs the binary many times: give a loaded machine room.
setDefaultTimeout(60_000);

const RELEASE = resolve(import.meta.dir, "../../dist/release");
const ARM64 = join(RELEASE, `kitcfg-${version}-linux-arm64`);
const X64 = join(RELEASE, `kitcfg-${version}-linux-x64`);
/** Debian's libc6-arm64-cross puts the arm64 loader and C libraries here; qemu-aarch64 -L finds them. */
const ARM64_SYSROOT = "/usr/aarch64-linux-gnu";

const qemu = hasTool("qemu-aarch64", "the linux-arm64 release binary run under qemu-user");
const sysroot = qemu && hasPath(`${ARM64_SYSROOT}/lib/ld-linux-aarch64.so.1`, "libc6-arm64-cross");
const built = hasPath(ARM64, "the release build (npm run release, or: bun release.ts --only linux-x64,linux-arm64)");
const released = existsSync(join(RELEASE, "SHA256SUMS"));

describe("kitcfg --version", () => {
  test("the compiled binary prints its version and the commit it was built from", () => {
    const ran = kitcfg(["--version"]);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(
      new RegExp(`^kitcfg ${version.replaceAll(".", "\\.")} \\(commit ([0-9a-f]{12}(-dirty)?|unknown)\\)\\n$`),
    );
    const json = JSON.parse(kitcfg(["--json", "--version"]).stdout);
    expect(json.version).toBe(version);
    expect(json.commit).toMatch(/^([0-9a-f]{12}(-dirty)?|unknown)$/);
  });

  test('without git the commit is "unknown"', async () => {
    const { dir, cleanup } = tempDir();
    try {
      expect(gitCommit(dir)).toBe("unknown");
      // Run from source nothing was built in: the same word.
      expect((await runCli(["--version"], { root: dir })).stdout).toBe(`kitcfg ${version} (commit unknown)\n`);
    } finally {
      cleanup();
    }
  });
});

describe("release binaries", () => {
  test.skipIf(!released)(
    "SHA256SUMS checks every release file: each binary, kitcfg-<version>-<os>-<arch>[-baseline][-musl], and the types",
    () => {
      const files = readdirSync(RELEASE)
        .filter((f) => f.startsWith("kitcfg-"))
        .sort();
      const names = new Set([...RELEASE_TARGETS.map((t) => `kitcfg-${version}-${t.name}`), typesFileName()]);
      // The plugin types are released beside the binaries, for authors outside the repository.
      expect(files).toContain(typesFileName());
      for (const file of files) expect(names.has(file)).toBe(true);
      const check = Bun.spawnSync(["sha256sum", "-c", "SHA256SUMS"], { cwd: RELEASE, stdout: "pipe", stderr: "pipe" });
      expect(check.exitCode).toBe(0);
      expect(check.stdout.toString().trim().split("\n").sort()).toEqual(files.map((f) => `${f}: OK`));
      const listed = readFileSync(join(RELEASE, "SHA256SUMS"), "utf8")
        .trim()
        .split("\n")
        .map((line) => line.split("  ")[1])
        .sort();
      expect(listed).toEqual(files);
    },
  );

  test.skipIf(!existsSync(X64) || process.arch !== "x64")(
    "the linux-x64 release binary runs here and names the same commit as dist/kitcfg",
    () => {
      const ran = Bun.spawnSync([X64, "--version"], { stdout: "pipe" });
      expect(ran.exitCode).toBe(0);
      expect(ran.stdout.toString()).toMatch(new RegExp(`^kitcfg ${version.replaceAll(".", "\\.")} \\(commit `));
    },
  );

  test.skipIf(!(qemu && sysroot && built))(
    "the linux-arm64 binary configures, validates and updates under qemu-user",
    () => {
      const { dir: root, cleanup } = tempDir();
      const arm = (...args: string[]) => {
        const ran = Bun.spawnSync(["qemu-aarch64", "-L", ARM64_SYSROOT, ARM64, ...args, "--root", root], {
          env: cleanEnv(root),
          cwd: root,
          stdout: "pipe",
          stderr: "pipe",
        });
        return { code: ran.exitCode, stdout: ran.stdout.toString(), stderr: ran.stderr.toString() };
      };
      try {
        expect(arm("--version").stdout).toStartWith(`kitcfg ${version} (commit `);
        const configured = arm("configure", "all");
        // Warnings (s3's empty credentials) may print; no error does.
        expect(configured.stderr).not.toContain("✖");
        expect(configured.code).toBe(0);
        expect(existsSync(join(root, ".ipfs/config"))).toBe(true);
        expect(readFileSync(join(root, ".lotus/config.toml"), "utf8")).toContain("EnableSplitstore = true");
        const validated = arm("validate", "--json");
        expect(validated.code).toBe(0);
        expect(JSON.parse(validated.stdout).ok).toBe(true);
        expect(arm("update", "huggingface", "--set", "offline=true").code).toBe(0);
        expect(JSON.parse(readFileSync(join(root, ".cache/huggingface/config.json"), "utf8")).offline).toBe(true);
        expect(arm("update", "lotus", "--set", "API.Timeout=45s").code).toBe(0);
        expect(readFileSync(join(root, ".lotus/config.toml"), "utf8")).toContain('  Timeout = "45s"\n');
        expect(arm("get", "huggingface", "offline").stdout).toBe("true\n");
        expect(arm("validate").code).toBe(0);
        // arm64's own system call numbers: the follower's folders listed (getdents64), a mode read (statx).
        const source = ["--source", "https://example.org/c.json"];
        expect(arm("configure", "ipfs-cluster-follow", "--instance", "beta", ...source).code).toBe(0);
        const listed = JSON.parse(arm("list", "--json").stdout).daemons;
        expect(listed.find((d: { name: string }) => d.name === "ipfs-cluster-follow").instances).toEqual([
          "beta",
          "ipfs-kit-cluster",
        ]);
        chmodSync(join(root, ".ipfs-cluster-follow/beta/identity.json"), 0o644);
        const exposed = arm("validate");
        expect(exposed.code).toBe(1);
        expect(exposed.stderr + exposed.stdout).toContain("readable by others (mode 644)");
      } finally {
        cleanup();
      }
    },
    120_000,
  );
});

// --- internal ---

function hasPath(path: string, what: string): boolean {
  if (existsSync(path)) return true;
  console.warn(`NOTICE: ${path} is missing (${what}): skipping the linux-arm64 release test`);
  return false;
}
