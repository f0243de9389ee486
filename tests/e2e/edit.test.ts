import { afterEach, beforeEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { cleanEnv, hasTool, KITCFG, kitcfg, tempDir } from "../helpers.ts";

// Each test runs the binary many times: give a loaded machine room.
setDefaultTimeout(60_000);

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

const s3cfg = () => join(root, ".s3cfg");

/** An editor: a shell script that edits the file it is given, as a person would. */
function editor(name: string, body: string): string {
  const path = join(root, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** Where the edited copies go (TMPDIR): a refused edit is kept there for the user. */
const scratch = () => (mkdirSync(join(root, "tmp"), { recursive: true }), join(root, "tmp"));

const edit = (env: Record<string, string>, ...args: string[]) =>
  kitcfg(["edit", ...args], { root, env: cleanEnv(root, { TMPDIR: scratch(), ...env }) });

describe("edit", () => {
  test("an edit that validates is written, with history, and the editor got the file's own name", () => {
    kitcfg(["configure", "s3", "-q"], { root });
    const EDITOR = editor(
      "ed",
      `basename "$1" > "${root}/seen-name"; sed -i 's/^host_base = .*/host_base = minio.lab:9000/' "$1"`,
    );
    const ran = edit({ EDITOR }, "s3");
    expect(ran.stderr).not.toContain("✖"); // s3's warning about empty credentials may print
    expect(ran.code).toBe(0);
    expect(readFileSync(s3cfg(), "utf8")).toContain("host_base = minio.lab:9000\n");
    expect(readFileSync(join(root, "seen-name"), "utf8")).toBe(".s3cfg\n");
    const history = JSON.parse(kitcfg(["history", "s3", "--json"], { root }).stdout);
    expect(history.versions[0].command).toStartWith("kitcfg edit s3");
    expect(history.versions[0].keys).toEqual(["host_base"]);
  });

  test("VISUAL wins over EDITOR, and an editor with arguments works", () => {
    kitcfg(["configure", "huggingface", "-q"], { root });
    const VISUAL = `${editor("vis", `sed -i "s/\\"offline\\": false/\\"offline\\": $1/" "$2"`)} true`;
    expect(edit({ VISUAL, EDITOR: "false" }, "huggingface").code).toBe(0);
    expect(JSON.parse(readFileSync(join(root, ".cache/huggingface/config.json"), "utf8")).offline).toBe(true);
    // The env file derived from config.json follows the edit.
    expect(readFileSync(join(root, ".cache/huggingface/huggingface.env"), "utf8")).toContain("HF_HUB_OFFLINE=1");
  });

  test("a bad value is refused: without a terminal the edit is discarded, exit 1, the file byte-identical", () => {
    kitcfg(["configure", "s3", "-q"], { root });
    const before = readFileSync(s3cfg());
    const EDITOR = editor("bad", "sed -i 's/^check_ssl_certificate = .*/check_ssl_certificate = maybe/' \"$1\"");
    const ran = edit({ EDITOR }, "s3");
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('s3: "check_ssl_certificate": expected a boolean (true or false), got "maybe"');
    // The edit is kept for the user, as kubectl edit keeps it: in a folder only they can read.
    const kept = /your edit is kept in (\S+) \(readable by you only\)/.exec(ran.stderr)?.[1];
    expect(dirname(dirname(kept!))).toBe(scratch());
    expect(readFileSync(kept!, "utf8")).toContain("check_ssl_certificate = maybe");
    expect(statSync(dirname(kept!)).mode & 0o777).toBe(0o700);
    rmSync(dirname(kept!), { recursive: true });
    expect(readFileSync(s3cfg())).toEqual(before);
  });

  test("a check that reads the file's own text reads the edited text, not the file on disk", () => {
    // kubo refuses an integer written with a fraction (config.go's Decode into an int); kitcfg
    // checks the raw text for it, and the text to check is the one the editor left.
    kitcfg(["configure", "ipfs", "-q"], { root });
    const file = join(root, ".ipfs/config");
    const before = readFileSync(file);
    const EDITOR = editor("float", `sed -i 's/"StorageGCWatermark": 90,/"StorageGCWatermark": 90.0,/' "$1"`);
    const ran = edit({ EDITOR }, "ipfs");
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('ipfs: "Datastore.StorageGCWatermark": is written 90.0');
    expect(readFileSync(file)).toEqual(before);
    // A file that already holds such a value is not made worse by an edit elsewhere: the
    // issue was there before, so an edit that leaves it is written (exit 1: still invalid).
    writeFileSync(file, before.toString().replace('"StorageGCWatermark": 90,', '"StorageGCWatermark": 90.0,'));
    const other = editor("other", `sed -i 's/"NoFetch": false/"NoFetch": true/' "$1"`);
    expect(edit({ EDITOR: other }, "ipfs").code).toBe(1);
    expect(readFileSync(file, "utf8")).toContain('"NoFetch": true');
  });

  test("text that does not parse is refused too, and no change is no write", () => {
    kitcfg(["configure", "huggingface", "-q"], { root });
    const file = join(root, ".cache/huggingface/config.json");
    const before = readFileSync(file);
    const broken = edit({ EDITOR: editor("broken", `printf '{"offline": ' > "$1"`) }, "huggingface");
    // A text that does not parse is exit 3, as from every command.
    expect(broken.code).toBe(3);
    rmSync(dirname(/your edit is kept in (\S+) /.exec(broken.stderr)![1]!), { recursive: true });
    expect(readFileSync(file)).toEqual(before);
    const same = edit({ EDITOR: "true" }, "huggingface");
    expect(same.code).toBe(0);
    expect(same.stdout).toContain("no changes");
    expect(JSON.parse(kitcfg(["history", "huggingface", "--json"], { root }).stdout).versions.length).toBe(1);
  });

  test("an editor that fails writes nothing; a daemon not configured cannot be edited", () => {
    kitcfg(["configure", "s3", "-q"], { root });
    const before = readFileSync(s3cfg());
    const failing = edit({ EDITOR: editor("fails", 'echo x >> "$1"; exit 3') }, "s3");
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain("exited with 3: nothing was written");
    expect(readFileSync(s3cfg())).toEqual(before);
    const missing = edit({ EDITOR: "true" }, "lotus");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("lotus is not configured");
  });

  test("an editor that removes or empties the file cancels; one too big to read back is refused", () => {
    kitcfg(["configure", "s3", "-q"], { root });
    const before = readFileSync(s3cfg());
    const removed = edit({ EDITOR: editor("rm", 'rm "$1"') }, "s3");
    expect([removed.code, removed.stderr.trim()]).toEqual([
      1,
      `✖ Edit cancelled: the editor removed the copy of ${s3cfg()}; nothing was written`,
    ]);
    const emptied = edit({ EDITOR: editor("empty", ': > "$1"') }, "s3");
    expect([emptied.code, emptied.stderr.trim()]).toEqual([
      1,
      `✖ Edit cancelled: the edited ${s3cfg()} is empty; nothing was written`,
    ]);
    // Something else than a file in its place cancels too, in one line.
    const folder = edit({ EDITOR: editor("dir", 'rm "$1"; mkdir "$1"') }, "s3");
    expect(folder.code).toBe(1);
    expect(folder.stderr.trim()).toStartWith("✖ Edit cancelled: the editor put something else than a file");
    expect(readdirSync(scratch())).toEqual([]);
    const big = edit({ EDITOR: editor("big", 'head -c 17000000 /dev/zero | tr "\\0" "#" >> "$1"') }, "s3");
    expect(big.code).toBe(3);
    expect(big.stderr).toContain("over the 16777216 bytes (16 MiB) kitcfg reads in a config file");
    expect(readFileSync(s3cfg())).toEqual(before);
    expect(kitcfg(["validate", "s3"], { root }).code).toBe(0);
    // The user's work is not thrown away: the copy stays where the message says.
    expect(big.stderr).toContain(`your edit is kept in ${scratch()}/`);
  });

  test("an edit that cannot be written (held lock, file changed meanwhile) is kept, and the message says where", () => {
    kitcfg(["configure", "s3", "-q"], { root });
    const before = readFileSync(s3cfg());
    const keptCopy = (stderr: string) => {
      const copy = /your edit is kept in (\S+) /.exec(stderr)?.[1];
      expect(copy).toBeDefined();
      return readFileSync(copy!, "utf8");
    };
    // Another kitcfg writes the file while the editor is open: nothing is written over it.
    const meanwhile = editor(
      "meanwhile",
      `"${KITCFG}" --root "${root}" set s3 bucket_location EU -q
sed -i 's/^host_base = .*/host_base = mine.example/' "$1"`,
    );
    const changed = edit({ EDITOR: meanwhile }, "s3");
    expect(changed.code).toBe(3);
    expect(changed.stderr).toContain("changed while it was being edited: nothing was written");
    expect(keptCopy(changed.stderr)).toContain("host_base = mine.example\n");
    expect(readFileSync(s3cfg(), "utf8")).toContain("bucket_location = EU\n");
    expect(readFileSync(s3cfg(), "utf8")).not.toContain("mine.example");
    if (!hasTool("flock", "the edit held up by a lock")) return;
    // Another writer holds the lock past --lock-timeout.
    const held = editor(
      "held",
      `flock "${s3cfg()}.lock" sleep 3 >/dev/null 2>&1 & sleep 0.5
sed -i 's/^host_base = .*/host_base = later.example/' "$1"`,
    );
    const locked = edit({ EDITOR: held }, "s3", "--lock-timeout", "1");
    expect(locked.code).toBe(3);
    expect(locked.stderr).toContain("locked by another process");
    expect(keptCopy(locked.stderr)).toContain("host_base = later.example\n");
    expect(readFileSync(s3cfg(), "utf8")).not.toContain("later.example");
    expect(before.length).toBeGreaterThan(0);
  });

  test("a folder for the copy that cannot be made is one line, exit 3, not an internal error", () => {
    kitcfg(["configure", "s3", "-q"], { root });
    const ran = kitcfg(["edit", "s3"], {
      root,
      env: cleanEnv(root, { TMPDIR: join(root, "missing"), EDITOR: "true" }),
    });
    expect(ran.code).toBe(3);
    expect(ran.stderr.trim().split("\n")).toHaveLength(2);
    expect(ran.stderr).toContain(`cannot make a private folder for its copy in ${join(root, "missing")} (ENOENT)`);
    expect(ran.stderr).not.toContain("Internal error");
  });

  test("bytes that are not UTF-8 come back as they were; a final newline the editor adds is no change", () => {
    kitcfg(["configure", "s3", "-q"], { root });
    // A Latin-1 "é" in a comment: the edit elsewhere leaves that byte alone.
    writeFileSync(s3cfg(), Buffer.concat([Buffer.from("# caf"), Buffer.from([0xe9]), readFileSync(s3cfg())]));
    const ran = edit({ EDITOR: editor("host", "sed -i 's/^host_base = .*/host_base = minio.lab:9000/' \"$1\"") }, "s3");
    // s3cmd stops on that byte: the edit is written (the file had it before) and exits 1, saying so.
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain("holds the byte 0xE9 on line 1, which is not UTF-8");
    const after = readFileSync(s3cfg());
    expect([...after.subarray(0, 6)]).toEqual([...Buffer.from("# caf"), 0xe9]);
    expect(after.toString("latin1")).toContain("host_base = minio.lab:9000\n");
    kitcfg(["configure", "ipfs", "-q"], { root });
    const config = readFileSync(join(root, ".ipfs/config"));
    const vim = edit({ EDITOR: editor("eol", 'printf "\\n" >> "$1"') }, "ipfs");
    expect([vim.code, vim.stdout]).toEqual([0, `✔ ${join(root, ".ipfs/config")}: no changes\n`]);
    expect(readFileSync(join(root, ".ipfs/config"))).toEqual(config);
    expect(JSON.parse(kitcfg(["history", "ipfs", "--json"], { root }).stdout).versions.length).toBe(1);
    // With a change as well (vim's fixeol adds one on every save): the file still ends without one.
    const api = editor("api", `sed -i 's#tcp/5001"#tcp/5009"#' "$1"; printf "\\n" >> "$1"`);
    expect(edit({ EDITOR: api }, "ipfs").code).toBe(0);
    const edited = readFileSync(join(root, ".ipfs/config"), "utf8");
    expect(edited).toContain("/tcp/5009");
    expect(edited.endsWith("}")).toBe(true);
  });

  test("--json prints the change, no change or the refusal (editor output on stderr); still invalid exits 1", () => {
    kitcfg(["configure", "huggingface", "-q"], { root });
    // What the editor prints goes to stderr: stdout is the one JSON document.
    const offline = editor("off", `echo "editor says hi"; sed -i 's/"offline": false/"offline": true/' "$1"`);
    const ran = edit({ EDITOR: offline }, "huggingface", "--json");
    expect(ran.stderr).toContain("editor says hi");
    const written = JSON.parse(ran.stdout);
    expect([written.kind, written.changed, written.changedKeys]).toEqual(["edit", true, ["offline"]]);
    const same = JSON.parse(edit({ EDITOR: "true" }, "huggingface", "--json").stdout);
    expect([same.kind, same.changed]).toEqual(["edit", false]);
    const bad = editor("bad", `sed -i 's/"offline": true/"offline": "maybe"/' "$1"`);
    const refusedRun = edit({ EDITOR: bad }, "huggingface", "--json");
    expect(refusedRun.code).toBe(1);
    const refused = JSON.parse(refusedRun.stdout).error;
    expect(refused.code).toBe("INVALID_VALUE");
    expect(refused.hint).toContain("was left as it was; your edit is kept in");
    rmSync(dirname(/kept in (\S+) /.exec(refused.hint)![1]!), { recursive: true });
    // Invalid already (a value the daemon refuses): an edit elsewhere is written, and says the file is still invalid.
    kitcfg(["configure", "s3", "-q"], { root });
    writeFileSync(
      s3cfg(),
      readFileSync(s3cfg(), "utf8").replace(/^check_ssl_certificate = .*$/m, "check_ssl_certificate = maybe"),
    );
    const host = editor("host", "sed -i 's/^host_base = .*/host_base = minio.lab:9000/' \"$1\"");
    const still = edit({ EDITOR: host }, "s3");
    expect(still.code).toBe(1);
    expect(still.stderr).toContain('s3: "check_ssl_certificate": expected a boolean');
    expect(readFileSync(s3cfg(), "utf8")).toContain("host_base = minio.lab:9000\n");
  });

  test("set and unset take --force, which their refusal of a file invalid already names", () => {
    kitcfg(["configure", "s3", "-q"], { root });
    writeFileSync(
      s3cfg(),
      readFileSync(s3cfg(), "utf8").replace(/^check_ssl_certificate = .*$/m, "check_ssl_certificate = maybe"),
    );
    const refused = kitcfg(["set", "s3", "host_base", "minio.lab:9000"], { root });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("or give --force to write anyway");
    const forced = kitcfg(["set", "s3", "host_base", "minio.lab:9000", "--force"], { root });
    expect(forced.code).toBe(1);
    expect(readFileSync(s3cfg(), "utf8")).toContain("host_base = minio.lab:9000\n");
    expect(kitcfg(["unset", "s3", "host_bucket", "--force"], { root }).code).toBe(1);
    expect(readFileSync(s3cfg(), "utf8")).not.toContain("host_bucket");
  });

  test("--instance edits that instance's file", () => {
    kitcfg(["configure", "ipfs-cluster-follow", "--instance", "alpha", "-q"], { root });
    const file = join(root, ".ipfs-cluster-follow/alpha/service.json");
    const EDITOR = editor("inst", `sed -i 's/"peername": "[^"]*"/"peername": "edited-peer"/' "$1"`);
    expect(edit({ EDITOR }, "ipfs-cluster-follow", "--instance", "alpha").code).toBe(0);
    expect(JSON.parse(readFileSync(file, "utf8")).cluster.peername).toBe("edited-peer");
  });

  test.skipIf(!hasTool("script", "the edit-again test, which needs a terminal"))(
    "on a terminal a refusal offers to edit again",
    () => {
      kitcfg(["configure", "s3", "-q"], { root });
      // First run writes a bad value, the second a good one.
      const EDITOR = editor(
        "twice",
        `if [ -e "${root}/once" ]; then v=False; else touch "${root}/once"; v=maybe; fi
sed -i "s/^check_ssl_certificate = .*/check_ssl_certificate = $v/" "$1"`,
      );
      const ran = Bun.spawnSync(
        ["bash", "-c", `(sleep 1; printf 'y\\n') | script -qec '"${KITCFG}" edit s3 --root "${root}"' /dev/null`],
        {
          env: cleanEnv(root, { EDITOR }),
          stdout: "pipe",
          stderr: "pipe",
        },
      );
      const output = ran.stdout.toString();
      expect(output).toContain("Edit again? [Y/n]");
      expect(output).toContain("updated");
      expect(ran.exitCode).toBe(0);
      expect(readFileSync(s3cfg(), "utf8")).toContain("check_ssl_certificate = False\n");
    },
  );
});
