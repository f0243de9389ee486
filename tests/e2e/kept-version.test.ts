/**
 * The previous version of a file a write replaces is kept in history by a hard link, whose
 * bytes must be on disk before the rename relies on them: fsynced, unless the file is still
 * the one kitcfg's last write left there (fsynced by that write). Traced with strace -y,
 * which names the file of each fsync.
 */
import { expect, test } from "bun:test";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { canTrace, cleanEnv, KITCFG, kitcfg, tempDir } from "../helpers.ts";

const traceable = canTrace("the fsyncs of the kept versions of an update");

/** The files an update fsyncs, by their paths relative to `root`. */
function fsyncedFiles(root: string, args: string[]): string[] {
  const trace = join(root, "fsync.trace");
  const run = Bun.spawnSync(["strace", "-f", "-y", "-e", "trace=fsync", "-o", trace, KITCFG, "--root", root, ...args], {
    env: cleanEnv(root),
    cwd: root,
    stdout: "pipe",
    stderr: "pipe",
  });
  expect(run.exitCode, run.stderr.toString()).toBe(0);
  return [...readFileSync(trace, "utf8").matchAll(/fsync\(\d+<([^>]+)>\)/g)].map((m) => m[1]!.slice(root.length + 1));
}

test.skipIf(!traceable)(
  "an update keeps a file kitcfg wrote last without fsyncing it again; " +
    "one another program wrote since is fsynced first",
  async () => {
    const { dir: root, cleanup } = tempDir();
    try {
      expect(kitcfg(["configure", "huggingface"], { root }).code).toBe(0);
      const config = ".cache/huggingface/config.json";
      const env = ".cache/huggingface/huggingface.env";
      const versions = join(root, ".local/state/kitcfg/history/huggingface/config");

      // Both files are the ones configure left: neither is fsynced again, yet both are kept.
      const first = fsyncedFiles(root, ["update", "huggingface", "--set", "etag_timeout=11"]);
      expect(first).not.toContain(config);
      expect(first).not.toContain(env);
      // The new files themselves are fsynced (as their temporary files), and so are their folders.
      expect(first.filter((f) => f.startsWith(".cache/huggingface/.config.json.kitcfg-"))).toHaveLength(1);
      expect(first).toContain(".cache/huggingface");
      const kept = readdirSync(versions).filter((n) => n.endsWith(".data"));
      expect(kept).toHaveLength(1);

      // Another program rewrites the config in place (same inode, same bytes, a later mtime).
      const before = readFileSync(join(root, config));
      await Bun.sleep(20);
      writeFileSync(join(root, config), before);
      const second = fsyncedFiles(root, ["update", "huggingface", "--set", "etag_timeout=12"]);
      expect(second).toContain(config);
      expect(second).not.toContain(env);
      // The version kept is the rewritten file, byte for byte.
      const newest = readdirSync(versions)
        .filter((n) => n.endsWith(".data"))
        .sort()
        .at(-1)!;
      expect(readFileSync(join(versions, newest))).toEqual(before);
    } finally {
      cleanup();
    }
  },
);
