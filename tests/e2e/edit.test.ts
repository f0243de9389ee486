import { afterEach, beforeEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { chmodSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

const edit = (env: Record<string, string>, ...args: string[]) =>
  kitcfg(["edit", ...args], { root, env: cleanEnv(root, env) });

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
    expect(ran.stderr).toContain("your edit was discarded");
    expect(readFileSync(s3cfg())).toEqual(before);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith("kitcfg-edit-"))).toEqual([]);
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
    // issue was there before, so an edit that leaves it is written.
    writeFileSync(file, before.toString().replace('"StorageGCWatermark": 90,', '"StorageGCWatermark": 90.0,'));
    const other = editor("other", `sed -i 's/"NoFetch": false/"NoFetch": true/' "$1"`);
    expect(edit({ EDITOR: other }, "ipfs").code).toBe(0);
    expect(readFileSync(file, "utf8")).toContain('"NoFetch": true');
  });

  test("text that does not parse is refused too, and no change is no write", () => {
    kitcfg(["configure", "huggingface", "-q"], { root });
    const file = join(root, ".cache/huggingface/config.json");
    const before = readFileSync(file);
    expect(edit({ EDITOR: editor("broken", `printf '{"offline": ' > "$1"`) }, "huggingface").code).toBe(1);
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
    expect(failing.code).toBe(2);
    expect(failing.stderr).toContain("exited with 3: nothing was written");
    expect(readFileSync(s3cfg())).toEqual(before);
    const missing = edit({ EDITOR: "true" }, "lotus");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("lotus is not configured");
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
