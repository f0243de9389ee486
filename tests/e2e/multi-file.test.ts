/**
 * A change to several files, killed at each of its renames (strace injects SIGKILL at the
 * Nth rename(2) of the process: the history copies, each config file, each history entry).
 * After the next command on that daemon, the files are all old or all new, history lists
 * the write exactly when it happened, and `restore` undoes the last real change.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cpSync, existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { leftovers, listTree } from "../_safety.ts";
import { KITCFG, canTrace, cleanEnv, kitcfg, tempDir } from "../helpers.ts";

const traceable = canTrace("the kills at each link and rename of a multi-file change");

interface Subject {
  daemon: string;
  /** The files of the change, relative to the root. */
  files: string[];
  /** A first change (state A to B), then the change that is killed (B to C); both touch every file. */
  change: (step: "first" | "second") => string[];
}

const SUBJECTS: Subject[] = [
  {
    daemon: "s3",
    files: [".s3cfg"],
    change: (step) => ["--set", `host_base=${step}.example`],
  },
  {
    daemon: "huggingface",
    files: [".cache/huggingface/config.json", ".cache/huggingface/token"],
    change: (step) => [
      "--set",
      `offline=${step === "first"}`,
      "--set",
      `token=hf_${step === "first" ? "a" : "b"}aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`,
    ],
  },
  {
    daemon: "ipfs-cluster-service",
    files: [".ipfs-cluster/service.json", ".ipfs-cluster/identity.json"],
    change: (step) => {
      // Another valid identity, made by configuring a second place.
      const other = tempDir();
      try {
        expect(kitcfg(["configure", "ipfs-cluster-service"], { root: other.dir }).code).toBe(0);
        const identity = JSON.parse(readFileSync(join(other.dir, ".ipfs-cluster/identity.json"), "utf8"));
        return [
          "--set",
          `identity.id=${identity.id}`,
          "--set",
          `identity.private_key=${identity.private_key}`,
          "--set",
          `cluster.peername=${step}`,
        ];
      } finally {
        other.cleanup();
      }
    },
  },
];

/** The system calls of a link and a rename: node:fs's, or core/_fs-sync.ts's (linkat, renameat2). */
const SYSCALLS = { link: "link,linkat", rename: "rename,renameat,renameat2" };

describe.skipIf(!traceable)("a change to one file or several, killed at each link and rename", () => {
  let root: string;
  let pristine: string;
  const cleanups: (() => void)[] = [];
  beforeAll(() => {
    ({ dir: root } = tempDir());
    ({ dir: pristine } = tempDir());
    cleanups.push(
      () => rmSync(root, { recursive: true, force: true }),
      () => rmSync(pristine, { recursive: true, force: true }),
    );
  });
  afterAll(() => {
    for (const c of cleanups) c();
  });

  for (const subject of SUBJECTS) {
    test(`${subject.daemon}: ${subject.files.join(" + ")} end all-old or all-new after the next command`, () => {
      emptyDir(root);
      expect(kitcfg(["configure", subject.daemon], { root }).code).toBe(0);
      const stateA = readFiles(root, subject.files);
      expect(kitcfg(["update", subject.daemon, ...subject.change("first")], { root }).code).toBe(0);
      const change = subject.change("second");
      rmSync(pristine, { recursive: true, force: true });
      cpSync(root, pristine, { recursive: true });
      const stateB = readFiles(root, subject.files);
      const versionsB = versionCount(root, subject.daemon);
      // The change once without a kill: state C, and how many renames it makes.
      expect(kitcfg(["update", subject.daemon, ...change], { root }).code).toBe(0);
      const stateC = readFiles(root, subject.files);
      expect(subject.files.every((f) => stateB.get(f) !== stateC.get(f))).toBe(true);
      expect(subject.files.every((f) => stateA.get(f) !== stateB.get(f))).toBe(true);

      const outcomes: string[] = [];
      // Killed at each link (a version kept in history as the file itself), then at each rename.
      const points = (["link", "rename"] as const).flatMap((call) =>
        Array.from({ length: 30 }, (_, i) => [call, i + 1] as const),
      );
      for (const [call, n] of points) {
        if (outcomes.some((o) => o.startsWith(`${call} ${n - 1}: ran through`))) continue;
        reset(root, pristine);
        const killed = Bun.spawnSync(
          [
            "strace",
            "-f",
            "-o",
            "/dev/null",
            "-e",
            `trace=${SYSCALLS[call]}`,
            "-e",
            `inject=${SYSCALLS[call]}:signal=KILL:when=${n}`,
            KITCFG,
            "update",
            subject.daemon,
            ...change,
            "--root",
            root,
          ],
          { env: cleanEnv(root), cwd: root, stdout: "ignore", stderr: "ignore" },
        );
        if (killed.exitCode === 0) {
          outcomes.push(`${call} ${n}: ran through`);
          continue;
        }
        // The next command on the daemon settles what the killed one left: validate or history.
        const next = n % 2 ? ["validate", subject.daemon] : ["history", subject.daemon];
        const ran = kitcfg(next, { root });
        expect(ran.code).toBe(0);
        const now = readFiles(root, subject.files);
        const isB = subject.files.every((f) => now.get(f) === stateB.get(f));
        const isC = subject.files.every((f) => now.get(f) === stateC.get(f));
        outcomes.push(`${call} ${n}: ${isC ? "new" : isB ? "old" : "MIXED"}`);
        expect({ n, mixed: !isB && !isC }).toEqual({ n, mixed: false });
        expect(listTree(root).filter((p) => p.endsWith(".intent.json"))).toEqual([]);
        // History lists the killed write exactly when it happened...
        expect({ n, versions: versionCount(root, subject.daemon) }).toEqual({ n, versions: versionsB + (isC ? 1 : 0) });
        // ...so restore undoes the last real change: C back to B, or B back to A.
        expect(kitcfg(["restore", subject.daemon], { root }).code).toBe(0);
        const restored = readFiles(root, subject.files);
        const wanted = isC ? stateB : stateA;
        expect({ n, restored: subject.files.map((f) => restored.get(f) === wanted.get(f)) }).toEqual({
          n,
          restored: subject.files.map(() => true),
        });
        // The dead writer's lock and temporary files are gone once a write has run.
        expect(leftovers(root)).toEqual([]);
      }
      const kills = outcomes.filter((o) => !o.endsWith("ran through"));
      console.log(`${subject.daemon}: ${kills.join("; ")}`);
      // Kills before the intent record leave the old files, kills after it the new ones.
      const firstNew = kills.findIndex((o) => o.endsWith("new"));
      expect(firstNew).toBeGreaterThan(0);
      expect(kills.slice(firstNew).every((o) => o.endsWith("new"))).toBe(true);
      if (subject.files.length < 2) return;
      // Before the record, each changed file's previous content is kept in history (linked, or
      // copied and renamed: the kills that leave the old files); after it, each one's history
      // entry is renamed into place, then the files.
      const changedFiles = firstNew;
      const copied = kills.filter((o) => o.startsWith("rename") && o.endsWith("old")).length;
      const firstFileRename = copied + changedFiles + 1;

      // Killed after the first file's rename, its other temporary files then lost (removed
      // by hand, say): the change cannot be finished, so it is undone, from history.
      reset(root, pristine);
      Bun.spawnSync(
        [
          "strace",
          "-f",
          "-o",
          "/dev/null",
          "-e",
          `trace=${SYSCALLS.rename}`,
          "-e",
          `inject=${SYSCALLS.rename}:signal=KILL:when=${firstFileRename + 1}`,
          KITCFG,
          "update",
          subject.daemon,
          ...change,
          "--root",
          root,
        ],
        { env: cleanEnv(root), cwd: root, stdout: "ignore", stderr: "ignore" },
      );
      const half = readFiles(root, subject.files);
      expect(subject.files.map((f) => half.get(f) === stateC.get(f))).toEqual(subject.files.map((_, i) => i === 0));
      for (const temp of listTree(root).filter((p) => /\.kitcfg-\d+-[a-z0-9]*\.tmp$/.test(p) && !p.includes("history")))
        rmSync(join(root, temp));
      expect(kitcfg(["validate", subject.daemon], { root }).code).toBe(0);
      const back = readFiles(root, subject.files);
      expect(subject.files.map((f) => back.get(f) === stateB.get(f))).toEqual(subject.files.map(() => true));
      expect(versionCount(root, subject.daemon)).toBe(versionsB);
    }, 240_000);
  }
});

// --- internal ---

/** Each file's bytes (base64), or undefined when it does not exist. */
function readFiles(root: string, files: string[]): Map<string, string | undefined> {
  return new Map(
    files.map((f) => [f, existsSync(join(root, f)) ? readFileSync(join(root, f)).toString("base64") : undefined]),
  );
}

function versionCount(root: string, daemon: string): number {
  const ran = kitcfg(["history", daemon, "--json"], { root });
  return (JSON.parse(ran.stdout).versions as unknown[]).length;
}

/** Put the root back as it was before the change (the folder itself stays: commands run in it). */
function reset(root: string, pristine: string): void {
  emptyDir(root);
  cpSync(pristine, root, { recursive: true });
}

function emptyDir(dir: string): void {
  for (const name of readdirSync(dir)) rmSync(join(dir, name), { recursive: true, force: true });
}
