import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanEnv, KITCFG, kitcfg, runCli, tempDir } from "../helpers.ts";

// Texts where bench/lotus-toml-differential.ts found kitcfg's verdict apart from lotus's own
// loading (BurntSushi/toml v1.6.0 decoding into lotus's config structs, then its checks).

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

async function validate(text: string) {
  mkdirSync(join(root, ".lotus"), { recursive: true });
  writeFileSync(join(root, ".lotus/config.toml"), text);
  return runCli(["validate", "lotus"], { root });
}

describe("lotus config.toml as its decoder reads it", () => {
  test("a second spelling of a store type is unused, as the first, while the splitstore is off", async () => {
    // decode.go unifyStruct decodes both spellings; node/builder_chain.go reads the store types only when on.
    const text = (on: boolean) =>
      `[Chainstore]\n  EnableSplitstore = ${on}\n[Chainstore.Splitstore]\n` +
      '  ColdStoreType = "messages"\n  "Cold\u017ftoreType" = ""\n';
    const off = await validate(text(false));
    expect(off.code).toBe(0);
    expect(off.stderr).toContain("unused while Chainstore.EnableSplitstore is false");
    const on = await validate(text(true));
    expect(on.code).toBe(1);
    expect(on.stderr).toContain('"" is not a choice lotus has');
  });
});

describe("keys in another case (BurntSushi's strings.EqualFold)", () => {
  test("get reads the spelling the file uses, set writes to it in place, unset comments it out", () => {
    expect(kitcfg(["configure", "lotus", "-q"], { root }).code).toBe(0);
    const file = join(root, ".lotus/config.toml");
    writeFileSync(file, readFileSync(file, "utf8").replace("  #ConnMgrLow = 150", "  connmgrlow = 6"));
    expect(kitcfg(["get", "lotus", "Libp2p.ConnMgrLow"], { root }).stdout).toBe("6\n");
    expect(kitcfg(["set", "lotus", "Libp2p.ConnMgrLow", "7"], { root }).code).toBe(0);
    const text = readFileSync(file, "utf8");
    expect(text).toContain("  connmgrlow = 7\n");
    // One spelling: lotus keeps either of two, so a second one would leave the value to chance.
    expect(text).not.toMatch(/^\s*ConnMgrLow =/m);
    expect(kitcfg(["get", "lotus", "libp2p.connmgrlow"], { root }).stdout).toBe("7\n");
    expect(kitcfg(["unset", "lotus", "Libp2p.ConnMgrLow"], { root }).code).toBe(0);
    expect(readFileSync(file, "utf8")).not.toMatch(/^\s*connmgrlow =/im);
  });
});

describe("the float written for an integer option, named in the message", () => {
  test("is found past a line of 400 KB of blanks in a string, in time that grows with the text", () => {
    // Lines are read for the literal as written; a lazy regex of a table header took 46 s for this
    // one (grew with the square). The binary is stopped after 20 s: it takes about 0.1 s.
    mkdirSync(join(root, ".lotus"), { recursive: true });
    writeFileSync(
      join(root, ".lotus/config.toml"),
      `[Chainstore]\n  EnableSplitstore = true\n[Libp2p]\n  ListenAddresses = ["""\n[a${" ".repeat(400_000)}b\n"""]\n` +
        "  ConnMgrLow = 5.0\n",
    );
    const ran = Bun.spawnSync([KITCFG, "validate", "lotus", "--root", root], {
      env: cleanEnv(root),
      stderr: "pipe",
      timeout: 20_000,
    });
    expect(ran.exitCode).toBe(1);
    expect(ran.stderr.toString()).toContain('"Libp2p.ConnMgrLow": is the TOML float 5.0');
  }, 30_000);
});
