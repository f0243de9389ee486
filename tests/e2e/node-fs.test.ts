import { afterEach, beforeEach, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync, symlinkSync, mkdirSync, renameSync } from "node:fs";
import { join } from "node:path";
import { cleanEnv, kitcfg, tempDir } from "../helpers.ts";

// The binary loads node:fs on its first call only (build.ts); reads go through core/_fs.ts
// and the write path through core/_fs-sync.ts, both libc system calls on Linux, so the
// commands users run most never load it. KITCFG_TRACE_NODE_FS=1 makes the binary say when
// it does.

setDefaultTimeout(60_000);

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

const traced = (args: string[]) => kitcfg(args, { root, env: cleanEnv(root, { KITCFG_TRACE_NODE_FS: "1" }) });
const linux = process.platform === "linux" && (process.arch === "x64" || process.arch === "arm64");

test.if(linux)(
  "configure, update (lock, history, fsync), restore, validate, get and status run without loading node:fs",
  () => {
    const runs = [
      ["configure", "all"],
      ["update", "huggingface", "--set", "offline=true"],
      ["update", "ipfs", "--set", "Datastore.StorageMax=20GB"],
      ["restore", "ipfs"],
      ["configure", "ipfs", "--force"],
      ["validate"],
      ["get", "ipfs", "Datastore.StorageMax"],
      ["status"],
    ];
    for (const args of runs) {
      const ran = traced(args);
      expect([args.join(" "), ran.code, ran.stderr]).toEqual([
        args.join(" "),
        0,
        expect.not.stringContaining("node:fs"),
      ]);
    }
    expect(JSON.parse(readFileSync(join(root, ".ipfs/config"), "utf8")).Datastore.StorageMax).toBe("10GB");
  },
);

test.if(linux)("a write through a symbolic link still resolves it without node:fs, and the trace can fire", () => {
  expect(traced(["configure", "s3"]).code).toBe(0);
  mkdirSync(join(root, "real"));
  renameSync(join(root, ".s3cfg"), join(root, "real", "s3cfg"));
  symlinkSync(join(root, "real", "s3cfg"), join(root, ".s3cfg"));
  const ran = traced(["update", "s3", "--set", "host_base=s3.example.com"]);
  expect(ran.code).toBe(0);
  // realpath(3) of the root is node's: the trace names it, which shows the trace works.
  expect(ran.stderr).toContain("node:fs loaded by realpathSync");
  expect(readFileSync(join(root, "real", "s3cfg"), "utf8")).toContain("host_base = s3.example.com");
});
