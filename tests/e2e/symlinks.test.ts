/**
 * `--root` confines writes: a symbolic link inside the root that leads outside it (the
 * config file, the daemon's folder, a parent folder, the history folder) is refused with
 * exit 3 naming the link, and nothing is written outside. Without a root, a link another
 * user owns is not followed to someone else's file (the fs.protected_symlinks rule).
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import {
  chmodSync,
  chownSync,
  existsSync,
  lchownSync,
  mkdirSync,
  readFileSync,
  renameSync,
  symlinkSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { listTree } from "../_safety.ts";
import { cleanEnv, kitcfg, tempDir } from "../helpers.ts";

let root: string;
let outside: string;
const cleanups: (() => void)[] = [];
beforeEach(() => {
  const a = tempDir();
  const b = tempDir("kitcfg-outside-");
  root = a.dir;
  outside = b.dir;
  cleanups.push(a.cleanup, b.cleanup);
});
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** Move `rel` (under the root) outside and leave a link to it in its place. */
function linkOut(rel: string): string {
  const inside = join(root, rel);
  const moved = join(outside, rel.replaceAll("/", "_"));
  renameSync(inside, moved);
  symlinkSync(moved, inside);
  return inside;
}

/** Every path and byte outside the root, to show nothing was written there. */
function outsideState(): string[] {
  return listTree(outside).map((p) => {
    const full = join(outside, p);
    try {
      return `${p}:${readFileSync(full).toString("base64")}`;
    } catch {
      return p;
    }
  });
}

function expectRefused(args: string[], link: string): void {
  const before = outsideState();
  const ran = kitcfg(args, { root });
  expect(ran.code).toBe(3);
  const lines = ran.stderr.trim().split("\n");
  expect(lines[0]).toContain(`${link} is a symbolic link to`);
  expect(lines[0]).toContain(`outside the root ${root}`);
  expect(ran.stderr).not.toContain("    at ");
  expect(outsideState()).toEqual(before);
}

describe("--root: a link inside the root that leads outside is refused, naming it", () => {
  const LEVELS = [
    { what: "the config file", daemon: "s3", set: "host_base=h.example", rel: ".s3cfg" },
    { what: "the daemon's folder", daemon: "huggingface", set: "offline=true", rel: ".cache/huggingface" },
    { what: "a parent folder", daemon: "huggingface", set: "offline=true", rel: ".cache" },
    { what: "the history folder", daemon: "s3", set: "host_base=h.example", rel: ".local/state/kitcfg/history" },
    { what: "the state folder's parent", daemon: "s3", set: "host_base=h.example", rel: ".local/state" },
  ];
  for (const level of LEVELS) {
    test(`${level.what} (${level.rel})`, () => {
      expect(kitcfg(["configure", level.daemon], { root }).code).toBe(0);
      const link = linkOut(level.rel);
      expectRefused(["update", level.daemon, "--set", level.set], link);
    });
  }

  test("configure of a daemon not configured yet, its folder a link outside: refused before any folder is made", () => {
    mkdirSync(join(outside, "hf"));
    mkdirSync(join(root, ".cache"));
    symlinkSync(join(outside, "hf"), join(root, ".cache/huggingface"));
    expectRefused(["configure", "huggingface"], join(root, ".cache/huggingface"));
    expect(listTree(outside)).toEqual(["hf"]);
  });

  test("a link that stays inside the root is followed", () => {
    expect(kitcfg(["configure", "huggingface"], { root }).code).toBe(0);
    renameSync(join(root, ".cache/huggingface"), join(root, "hf-real"));
    symlinkSync(join(root, "hf-real"), join(root, ".cache/huggingface"));
    expect(kitcfg(["update", "huggingface", "--set", "offline=true"], { root }).code).toBe(0);
    expect(JSON.parse(readFileSync(join(root, "hf-real/config.json"), "utf8")).offline).toBe(true);
  });

  test("a root that is itself reached through a link works", () => {
    const real = join(outside, "real-root");
    mkdirSync(real);
    const linked = join(root, "root-link");
    symlinkSync(real, linked);
    expect(kitcfg(["configure", "s3"], { root: linked }).code).toBe(0);
    expect(kitcfg(["update", "s3", "--set", "host_base=h.example"], { root: linked }).code).toBe(0);
    expect(existsSync(join(real, ".s3cfg"))).toBe(true);
  });
});

const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;

/** Run kitcfg without --root, with HOME in `home`. */
function inHome(home: string, args: string[]) {
  return kitcfg(args, { env: cleanEnv(home), cwd: home });
}

describe.skipIf(!isRoot)(
  "without a root: another user's link is not followed to someone else's file (needs root to chown)",
  () => {
    test(
      "a link owned by another user to a file owned by root is refused; " +
        "to the link owner's own file it is followed",
      () => {
        expect(inHome(root, ["configure", "s3"]).code).toBe(0);
        const target = join(root, ".s3cfg");
        const real = join(root, "real.s3cfg");
        renameSync(target, real);
        symlinkSync(real, target);
        lchownSync(target, NOBODY, NOBODY);
        const before = readFileSync(real);
        const ran = inHome(root, ["update", "s3", "--set", "host_base=h.example"]);
        expect(ran.code).toBe(3);
        expect(ran.stderr.split("\n")[0]).toContain(
          `refusing to follow ${target}, a symbolic link of user ${NOBODY} to a place of user 0`,
        );
        expect(readFileSync(real).equals(before)).toBe(true);
        // The link's owner owns the file: following it gives that user nothing they did not have.
        chownSync(real, NOBODY, NOBODY);
        expect(inHome(root, ["update", "s3", "--set", "host_base=h.example"]).code).toBe(0);
        expect(readFileSync(real, "utf8")).toContain("host_base = h.example");
      },
    );

    test("in a sticky world-writable folder, only the folder owner's or our own links are followed", () => {
      const shared = join(root, "shared");
      mkdirSync(shared);
      chmodSync(shared, 0o1777);
      const env = { S3CMD_CONFIG: join(shared, "s3cfg") };
      const real = join(shared, "real");
      mkdirSync(dirname(real), { recursive: true });
      expect(kitcfg(["configure", "s3"], { env: cleanEnv(root, env), cwd: root }).code).toBe(0);
      renameSync(join(shared, "s3cfg"), real);
      chownSync(real, NOBODY, NOBODY);
      symlinkSync(real, join(shared, "s3cfg"));
      lchownSync(join(shared, "s3cfg"), NOBODY, NOBODY);
      const ran = kitcfg(["update", "s3", "--set", "host_base=h.example"], { env: cleanEnv(root, env), cwd: root });
      expect(ran.code).toBe(3);
      expect(ran.stderr.split("\n")[0]).toContain(`another user's symbolic link in the shared folder ${shared}`);
    });
  },
);
