import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import {
  chmodSync,
  closeSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { findToggle, leftovers, listTree, openTestKit, pluginNames } from "../_safety.ts";
import { KITCFG, cleanEnv, kitcfg, tempDir } from "../helpers.ts";

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

const s3cfg = () => join(root, ".s3cfg");
const isRoot = process.getuid?.() === 0;

/** Every path under the root with its bytes: "nothing on disk changed" compares two of these. */
function diskState(dir = root): Record<string, string> {
  const state: Record<string, string> = {};
  for (const path of listTree(dir)) {
    const stat = lstatSync(join(dir, path));
    state[path] = stat.isFile() ? readFileSync(join(dir, path), "base64") : stat.isSymbolicLink() ? "link" : "dir";
  }
  return state;
}

/** Run a command that must fail as an I/O error: exit 3, one clear line, no stack, nothing changed. */
function expectIoFailure(args: string[], fragment: string | RegExp): string {
  const before = diskState();
  const ran = kitcfg(args, { root });
  expect(ran.code).toBe(3);
  const first = ran.stderr.split("\n")[0]!;
  expect(first).toMatch(fragment);
  expect(first.startsWith("✖ Cannot")).toBe(true);
  expect(ran.stderr).not.toContain("    at ");
  expect(ran.stderr).not.toContain("Internal error");
  expect(diskState()).toEqual(before);
  return ran.stderr;
}

/** Make a folder or file unwritable even for root; returns how, and the undo, or undefined. */
function makeUnwritable(path: string): { how: string; undo: () => void } | undefined {
  if (!isRoot) {
    const mode = lstatSync(path).mode & 0o777;
    chmodSync(path, lstatSync(path).isDirectory() ? 0o555 : 0o444);
    return { how: "chmod", undo: () => chmodSync(path, mode) };
  }
  if (Bun.spawnSync(["chattr", "+i", path], { stderr: "pipe" }).exitCode === 0) {
    return { how: "chattr +i", undo: () => void Bun.spawnSync(["chattr", "-i", path]) };
  }
  return undefined;
}

function skip(what: string, why: string): void {
  console.log(`skipped: ${what}: ${why}`);
}

describe("failure modes end in one clear line, exit code 3, and nothing changed on disk", () => {
  test("a folder that is not writable", () => {
    expect(kitcfg(["configure", "s3"], { root }).code).toBe(0);
    const locked = makeUnwritable(root);
    if (!locked) return skip("folder not writable", "neither chmod nor chattr +i works here");
    try {
      expectIoFailure(["update", "s3", "--set", "host_base=h.example"], /cannot create its lock .*: permission denied/);
    } finally {
      locked.undo();
    }
  });

  test("a folder on a file system mounted read-only", () => {
    const mnt = join(root, "ro");
    mkdirSync(mnt);
    if (Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt], { stderr: "pipe" }).exitCode !== 0) {
      return skip("read-only file system", "mount -t tmpfs is not allowed here");
    }
    try {
      const env = cleanEnv(root, { S3CMD_CONFIG: join(mnt, "s3cfg") });
      expect(kitcfg(["configure", "s3"], { root, env }).code).toBe(0);
      expect(Bun.spawnSync(["mount", "-o", "remount,ro", mnt]).exitCode).toBe(0);
      const before = diskState();
      const ran = kitcfg(["update", "s3", "--set", "host_base=h.example"], { root, env });
      expect(ran.code).toBe(3);
      expect(ran.stderr.split("\n")[0]).toMatch(
        /^✖ Cannot write .*s3cfg: cannot create its lock .*: the file system is read-only$/,
      );
      expect(diskState()).toEqual(before);
    } finally {
      Bun.spawnSync(["umount", mnt]);
    }
  });

  test("a file that is not writable", () => {
    expect(kitcfg(["configure", "s3"], { root }).code).toBe(0);
    const locked = makeUnwritable(s3cfg());
    if (!locked) return skip("file not writable", "neither chmod nor chattr +i works here");
    try {
      const stderr = expectIoFailure(
        ["update", "s3", "--set", "host_base=h.example"],
        `Cannot write ${s3cfg()}: the file is not writable`,
      );
      expect(stderr).toContain(locked.how === "chmod" ? "chmod u+w" : "chattr -i");
    } finally {
      locked.undo();
    }
  });

  test("a folder where the file should be", () => {
    mkdirSync(s3cfg());
    expectIoFailure(["configure", "s3"], `Cannot read ${s3cfg()}: it is a folder, not a file`);
    expectIoFailure(["update", "s3", "--set", "host_base=h.example"], "it is a folder, not a file");
    expect(kitcfg(["show", "s3"], { root }).code).toBe(3);
  });

  test("a full disk (a 64 KiB tmpfs), at every stage of a write", () => {
    if (Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", root], { stderr: "pipe" }).exitCode !== 0) {
      return skip("disk full", "mount -t tmpfs is not allowed here");
    }
    try {
      expect(kitcfg(["configure", "s3"], { root }).code).toBe(0);
      let failures = 0;
      const outcomes: string[] = [];
      // Leave 0, 1, 2, ... pages free: the write runs out of space at a later stage each time.
      for (let free = 0; free <= 8; free++) {
        fill(join(root, "filler"), free);
        const before = diskState();
        const ran = kitcfg(["update", "s3", "--set", `host_base=h${free}.example`], { root });
        outcomes.push(
          `${free} free page(s): ${ran.code === 0 ? "written" : ran.stderr.split("\n")[0]!.replace(root, "ROOT")}`,
        );
        if (ran.code === 0) {
          expect(readFileSync(s3cfg(), "utf8")).toContain(`host_base = h${free}.example`);
        } else {
          failures++;
          expect(ran.code).toBe(3);
          expect(ran.stderr.split("\n")[0]!.startsWith(`✖ Cannot write ${s3cfg()}: `)).toBe(true);
          expect(ran.stderr.split("\n")[0]).toMatch(/no space left on the device\)?$/);
          expect(diskState()).toEqual(before);
        }
        expect(leftovers(root)).toEqual([]);
        rmSync(join(root, "filler"));
      }
      console.log(`disk full:\n  ${outcomes.join("\n  ")}`);
      expect(failures).toBeGreaterThan(0);
    } finally {
      Bun.spawnSync(["umount", root]);
    }
  });

  test("a file size limit (ulimit -f) below the new file's size: says so and how to lift it", () => {
    expect(kitcfg(["configure", "lotus"], { root }).code).toBe(0);
    const file = join(root, ".lotus/config.toml");
    const before = diskState();
    // 4 blocks (2 or 4 KiB, as the shell counts them): the lock and history entries fit, lotus's 15 KiB file does not.
    const ran = Bun.spawnSync(
      ["sh", "-c", `ulimit -f 4; exec "${KITCFG}" set lotus API.ListenAddress /ip4/127.0.0.1/tcp/1299/http`],
      { env: cleanEnv(root), stderr: "pipe" },
    );
    const stderr = ran.stderr.toString();
    expect(ran.exitCode).toBe(3);
    expect(stderr.split("\n")[0]).toBe(
      `✖ Cannot write ${file}: the file is larger than this process may write (its file size limit, \`ulimit -f\`)`,
    );
    expect(stderr).toContain("ulimit -f unlimited");
    expect(diskState()).toEqual(before);
    expect(leftovers(root)).toEqual([]);
  });

  test("a lock held by a live process: exit 3 naming the holder, after --lock-timeout", async () => {
    expect(kitcfg(["configure", "s3"], { root }).code).toBe(0);
    // The holder takes the kernel lock as kitcfg does (util-linux flock; -o: not inherited by sleep).
    writeFileSync(`${s3cfg()}.lock`, "4242\n1\n");
    const holder = Bun.spawn(["flock", "-x", "-o", `${s3cfg()}.lock`, "sh", "-c", "echo held; exec sleep 30"], {
      stdout: "pipe",
    });
    await holder.stdout.getReader().read();
    try {
      const stderr = expectIoFailure(
        ["update", "s3", "--set", "host_base=h.example", "--lock-timeout", "0.3"],
        "locked by process 4242, gave up after 0.3 s",
      );
      // A held lock has a live holder: the hint never asks to remove its file, which would let two writers in.
      expect(stderr).toContain("the lock goes when its holder ends (stop that process if it hangs; removing ");
      expect(stderr).not.toMatch(/\bremove \S+\.lock if/);
    } finally {
      holder.kill("SIGKILL");
    }
    // Once the holder is gone its lock is taken over (even before its parent reaps it).
    expect(kitcfg(["update", "s3", "--set", "host_base=h.example"], { root }).code).toBe(0);
    expect(leftovers(root)).toEqual([]);
  });
});

describe("another user's writer", () => {
  test("a lock this user cannot read is waited for, never taken over", () => {
    const asNobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"];
    if (!isRoot || Bun.spawnSync([...asNobody, "true"], { stderr: "pipe" }).exitCode !== 0) {
      return skip("another user's lock", "needs root and setpriv to run kitcfg as nobody");
    }
    expect(kitcfg(["configure", "s3"], { root }).code).toBe(0);
    chmodSync(root, 0o777);
    chmodSync(s3cfg(), 0o666);
    // Its content would say "stale" (a dead pid) to anyone who could read it.
    writeFileSync(`${s3cfg()}.lock`, `${Bun.spawnSync(["true"]).pid}\n1\n`, { mode: 0o600 });
    const before = diskState();
    const ran = Bun.spawnSync(
      [...asNobody, KITCFG, "update", "s3", "--set", "host_base=h.example", "--lock-timeout", "1.5", "--root", root],
      {
        env: cleanEnv(root),
        cwd: "/",
        stderr: "pipe",
      },
    );
    expect(ran.exitCode).toBe(3);
    expect(ran.stderr.toString()).toContain(`Cannot write ${s3cfg()}: locked by another process, gave up after 1.5 s`);
    expect(diskState()).toEqual(before);
  });
});

describe("symbolic links", () => {
  test("a config file reached through a symlink: the target is written and the link kept", () => {
    expect(kitcfg(["configure", "s3"], { root }).code).toBe(0);
    mkdirSync(join(root, "real"));
    renameSync(s3cfg(), join(root, "real/s3cfg"));
    symlinkSync(join(root, "real/s3cfg"), s3cfg());
    expect(kitcfg(["update", "s3", "--set", "host_base=h.example"], { root }).code).toBe(0);
    expect(lstatSync(s3cfg()).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(root, "real/s3cfg"), "utf8")).toContain("host_base = h.example");
    expect(readdirSync(join(root, "real"))).toEqual(["s3cfg"]);
    expect(leftovers(root)).toEqual([]);
  });

  test("a symlink loop is a clear I/O error", () => {
    symlinkSync(join(root, "b"), join(root, "a"));
    symlinkSync(join(root, "a"), join(root, "b"));
    symlinkSync(join(root, "a"), s3cfg());
    expectIoFailure(["update", "s3", "--set", "host_base=h.example"], "too many levels of symbolic links");
  });
});

describe("a file that does not parse", () => {
  test("every plugin: update names the line and column and changes nothing; " +
    "configure --force keeps the broken file in history", async () => {
    const covered: string[] = [];
    const unparsable: string[] = [];
    for (const name of await pluginNames(root)) {
      const { dir, cleanup: done } = tempDir(`kitcfg-broken-${name}-`);
      try {
        expect(kitcfg(["configure", name], { root: dir }).code).toBe(0);
        const toggle = await findToggle(dir, name);
        const main = (await openTestKit(dir)).target(name).files.find((f) => f.main)!;
        // A reader that also reads every section as one (s3cmd's) refuses no text at all.
        if (main.spec.format === "ini" && main.spec.reading?.oneSection !== undefined) {
          unparsable.push(name);
          continue;
        }
        const text = readFileSync(main.path, "utf8");
        const cut = text.indexOf("\n") + 1;
        // An INI reader skips a line it cannot read: what it refuses is a section named like a key above it.
        // Elsewhere no line may close the document first: kubo's reader leaves text after its config unread.
        const header = main.spec.format === "ini" ? /^\[([^\]]+)\]/m.exec(text) : null;
        const broken = header
          ? `${header[1]} = 1\n${text}`
          : `${text.slice(0, cut)}]]] not a valid line {{{ "\n${text.slice(cut)}`;
        writeFileSync(main.path, broken);
        const line = header
          ? text.slice(0, header.index).split("\n").length + 1
          : text.slice(0, cut).split("\n").length;
        const before = diskState(dir);
        const args = toggle ? ["update", name, "--set", `${toggle.key}=${toggle.values[0]}`] : ["show", name];
        const ran = kitcfg(args, { root: dir });
        expect(ran.code).toBe(3);
        expect(ran.stderr.split("\n")[0]).toMatch(
          new RegExp(
            `^✖ Cannot parse ${name}(/[\\w.-]+)?'s ` +
              `${main.path.replaceAll(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b.* line ${line}, column \\d+`,
          ),
        );
        expect(ran.stderr).not.toContain("    at ");
        expect(diskState(dir)).toEqual(before);
        // validate and status name the daemon once, as the message does ("Cannot parse s3's …").
        for (const command of ["validate", "status"]) {
          const told = kitcfg([command, ...(command === "validate" ? [name] : [])], { root: dir });
          expect(told.code).toBe(3);
          expect(told.stderr).toMatch(new RegExp(`^✖ Cannot parse ${name}(/[\\w.-]+)?'s `, "m"));
        }
        // A file that does not parse is exit 3 from every command, configure included.
        expect(kitcfg(["configure", name], { root: dir }).code).toBe(3);
        expect(kitcfg(["configure", name, "--force"], { root: dir }).code).toBe(0);
        expect(readFileSync(main.path, "utf8")).not.toBe(broken);
        const history = JSON.parse(kitcfg(["history", name, "--json"], { root: dir }).stdout);
        const id = history.versions[0].id;
        const kept = readFileSync(
          join(
            dir,
            ".local/state/kitcfg/history",
            name,
            ...(history.instance ? [history.instance] : []),
            main.key,
            `${id}.data`,
          ),
          "utf8",
        );
        expect(kept).toBe(broken);
        // Putting the broken file back needs --force; then it is back byte for byte.
        expect(kitcfg(["restore", name, id], { root: dir }).stderr).toContain("does not parse in it");
        expect(kitcfg(["restore", name, id, "--force"], { root: dir }).code).toBe(0);
        expect(readFileSync(main.path, "utf8")).toBe(broken);
        covered.push(name);
      } finally {
        done();
      }
    }
    console.log(`a file that does not parse: covered ${covered.join(", ")}; none can for ${unparsable.join(", ")}`);
  }, 60_000);
});

describe("exit codes", () => {
  test("0 ok, 1 invalid, 2 usage, 3 I/O or lock, as the README says", () => {
    expect(kitcfg(["configure", "s3"], { root }).code).toBe(0);
    expect(kitcfg(["update", "s3", "--set", "use_https=false"], { root }).code).toBe(0);
    expect(kitcfg(["update", "s3", "--set", "use_https=maybe"], { root }).code).toBe(1);
    expect(kitcfg(["validate", "huggingface"], { root }).code).toBe(1);
    expect(kitcfg(["restore", "s3", "20000101"], { root }).code).toBe(1);
    expect(kitcfg(["frobnicate"], { root }).code).toBe(2);
    expect(kitcfg(["update", "s3", "--sett", "a=b"], { root }).code).toBe(2);
    expect(kitcfg(["update", "nosuchdaemon", "--set", "a=b"], { root }).code).toBe(2);
    expect(kitcfg(["update", "s3", "--set", "a..b=1"], { root }).code).toBe(2);
    expect(kitcfg(["update", "s3", "--set", "host_base=x", "--lock-timeout", "soon"], { root }).code).toBe(2);
    expect(kitcfg(["update", "s3", "--set-env", "secret_key=NOT_SET_ANYWHERE"], { root }).code).toBe(2);
    expect(kitcfg(["list"], { root, env: cleanEnv(root, { KITCFG_HISTORY_RETENTION: "none" }) }).code).toBe(2);
    expect(kitcfg(["update", "s3", "--set", "secret_key=@/nonexistent/secret"], { root }).code).toBe(3);
    const json = kitcfg(["update", "s3", "--set", "secret_key=@/nonexistent/secret", "--json"], { root });
    expect(JSON.parse(json.stdout).error.code).toBe("IO_FAILED");
    mkdirSync(join(root, "folder-not-file"));
    expect(
      kitcfg(["update", "s3", "--set", "host_base=x"], {
        root,
        env: cleanEnv(root, { S3CMD_CONFIG: join(root, "folder-not-file") }),
      }).code,
    ).toBe(3);
  });
});

/** Fill the file system holding `path` until only `pages` pages of 4 KiB are left. */
function fill(path: string, pages: number): void {
  const chunk = Buffer.alloc(4096, 120);
  const fd = openSync(path, "w");
  try {
    for (;;) writeSync(fd, chunk);
  } catch {
    // full
  } finally {
    closeSync(fd);
  }
  truncateSync(path, Math.max(0, lstatSync(path).size - pages * 4096));
}
