/**
 * Bytes kitcfg does not mean to touch stay as they are: a config file with bytes that are
 * not UTF-8 (a Latin-1 "é" in a comment) is edited byte for byte, kept byte-exact in
 * history, and restored byte-exact. s3cmd and lotus both stop on such a byte, so each step
 * is refused until --force, and says why.
 */
import { afterEach, beforeEach, expect, test } from "bun:test";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { kitcfg, tempDir } from "../helpers.ts";

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

/** Latin-1 é, a lone 0xff 0xfe and a cut-off 3-byte sequence: three kinds of invalid UTF-8. */
const BAD = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0xff, 0xfe, 0x20, 0xe2, 0x82, 0x20]);

const CASES = [
  {
    daemon: "s3",
    file: ".s3cfg",
    after: "[default]\n",
    comment: "# ",
    set: "host_base=h.example",
    from: "host_base = s3.amazonaws.com",
    to: "host_base = h.example",
  },
  {
    daemon: "lotus",
    file: ".lotus/config.toml",
    after: "[API]\n",
    comment: "  # ",
    set: "API.ListenAddress=/ip4/127.0.0.1/tcp/1235/http",
    from: '  #ListenAddress = "/ip4/127.0.0.1/tcp/1234/http"',
    to: '  ListenAddress = "/ip4/127.0.0.1/tcp/1235/http"',
  },
];

for (const c of CASES) {
  test(
    `${c.daemon}: invalid UTF-8 in a comment survives update byte for byte, ` +
      `in history too, and restore brings it back`,
    () => {
      expect(kitcfg(["configure", c.daemon], { root }).code).toBe(0);
      const path = join(root, c.file);
      const clean = readFileSync(path);
      const at = clean.indexOf(c.after) + c.after.length;
      expect(at).toBeGreaterThan(c.after.length - 1);
      const original = Buffer.concat([
        clean.subarray(0, at),
        Buffer.from(c.comment),
        BAD,
        Buffer.from("\n"),
        clean.subarray(at),
      ]);
      writeFileSync(path, original);

      const refused = kitcfg(["update", c.daemon, "--set", c.set], { root });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("which is not UTF-8");
      expect(readFileSync(path).equals(original)).toBe(true);
      const ran = kitcfg(["update", c.daemon, "--set", c.set, "--force"], { root });
      expect(ran.code).toBe(1);
      // Exactly the one line changed; every other byte, the invalid ones included, kept.
      const expected = replaceLine(original, c.from, c.to);
      expect(readFileSync(path).equals(expected)).toBe(true);

      // The version kept in history is the original, byte for byte.
      const dir = join(root, ".local/state/kitcfg/history", c.daemon);
      const [key] = readdirSync(dir).filter((n) => !n.startsWith("."));
      const datas = readdirSync(join(dir, key!))
        .filter((n) => n.endsWith(".data"))
        .sort();
      expect(readFileSync(join(dir, key!, datas.at(-1)!)).equals(original)).toBe(true);

      expect(kitcfg(["restore", c.daemon, "--force"], { root }).code).toBe(0);
      expect(readFileSync(path).equals(original)).toBe(true);
      const validated = kitcfg(["validate", c.daemon], { root });
      expect(validated.code).toBe(1);
      expect(validated.stderr).toContain(
        `holds the byte 0xE9 on line ${original.subarray(0, at).toString("latin1").split("\n").length}`,
      );
    },
  );
}

// --- internal ---

function replaceLine(bytes: Buffer, from: string, to: string): Buffer {
  const at = bytes.indexOf(`${from}\n`);
  expect(at).toBeGreaterThanOrEqual(0);
  return Buffer.concat([bytes.subarray(0, at), Buffer.from(`${to}\n`), bytes.subarray(at + from.length + 1)]);
}
