/**
 * A lotus config.toml that defines a table with dotted keys and opens it again with the
 * template's `[header]`, which BurntSushi/toml v1.6.0 (lotus's decoder) loads and TOML 1.0
 * refuses (FORMATS.md §2): dist/kitcfg validates, reads and edits it in place.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { kitcfg, tempDir } from "../helpers.ts";

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

const config = () => join(root, ".lotus", "config.toml");

/** The template lotus writes, with `lines` added above its first table. */
function withLinesOnTop(...lines: string[]): string {
  expect(kitcfg(["configure", "lotus", "-q"], { root }).code).toBe(0);
  const text = `${lines.join("\n")}\n\n${readFileSync(config(), "utf8")}`;
  writeFileSync(config(), text);
  return text;
}

describe("dist/kitcfg reads a table lotus's decoder lets a header open again", () => {
  test("validate and get accept Fees.DefaultMaxFee above the template's [Fees]", () => {
    withLinesOnTop('Fees.DefaultMaxFee = "0.08 FIL"', 'Chainstore.Splitstore.ColdStoreType = "universal"');
    const valid = kitcfg(["validate", "lotus"], { root });
    expect(valid.stderr).not.toContain("✖");
    expect(valid.code).toBe(0);
    expect(kitcfg(["get", "lotus", "Fees.DefaultMaxFee"], { root }).stdout.trim()).toBe("0.08 FIL");
    const store = kitcfg(["get", "lotus", "Chainstore", "--json"], { root });
    expect(JSON.parse(store.stdout)).toMatchObject({
      EnableSplitstore: true,
      Splitstore: { ColdStoreType: "universal" },
    });
  });

  test("update --set edits the dotted line and the header's own line, nothing else", () => {
    const before = withLinesOnTop('Fees.DefaultMaxFee = "0.08 FIL"');
    const ran = kitcfg(
      [
        "update",
        "lotus",
        "--set",
        "Fees.DefaultMaxFee=0.09 FIL",
        "--set",
        "Chainstore.Splitstore.ColdStoreType=universal",
      ],
      { root },
    );
    expect(ran.stderr).not.toContain("✖");
    expect(ran.code).toBe(0);
    const want = before
      .replace('Fees.DefaultMaxFee = "0.08 FIL"', 'Fees.DefaultMaxFee = "0.09 FIL"')
      .replace('    #ColdStoreType = "discard"', '    ColdStoreType = "universal"');
    expect(readFileSync(config(), "utf8")).toBe(want);
    expect(kitcfg(["validate", "lotus"], { root }).code).toBe(0);
  });

  test("a second dotted key under Chainstore defines it: lotus refuses [Chainstore], kitcfg too, exit 3", () => {
    const before = withLinesOnTop(
      'Chainstore.Splitstore.ColdStoreType = "universal"',
      'Chainstore.Splitstore.HotStoreType = "badger"',
    );
    const ran = kitcfg(["validate", "lotus"], { root });
    expect(ran.code).toBe(3);
    expect(ran.stderr).toContain('"Chainstore" is already defined');
    expect(kitcfg(["update", "lotus", "--set", "API.Timeout=31s"], { root }).code).toBe(3);
    expect(readFileSync(config(), "utf8")).toBe(before);
  });
});
