import { expect, test } from "bun:test";
import { isPythonTextCodec } from "../../plugins/s3/codecs.ts";
import { pythonInt } from "../../plugins/s3/python.ts";
import { pythonStrip } from "../../index.ts";
import { hasTool } from "../helpers.ts";

// s3cmd reads integer options with Python's int() and wraps its output in the codec its
// `encoding` names; kitcfg's readings of both are checked here against the Python that
// runs s3cmd (Debian's python3, installed with s3cmd by .ci/run).
const PYTHON = hasTool("python3", "the comparison of kitcfg's int() and codec lookup with Python's own");

/** Runs `script` in python3 and returns what it prints, as JSON. */
function python(script: string): unknown {
  const ran = Bun.spawnSync(["python3", "-c", script], { stderr: "pipe" });
  if (ran.exitCode !== 0) throw new Error(ran.stderr.toString());
  return JSON.parse(ran.stdout.toString());
}

test("pythonInt reads what int() reads: signs, blanks, underscores between digits, any script's digits", () => {
  const cases: [string, number | undefined][] = [
    ["1_000", 1000],
    [" +3\u3000", 3],
    ["-7", -7],
    ["0012", 12],
    ["\u0663", 3],
    ["\uff14\uff12", 42],
    ["1__0", undefined],
    ["_1", undefined],
    ["1_", undefined],
    ["", undefined],
    ["+", undefined],
    ["1 2", undefined],
    ["1.0", undefined],
    ["0x1", undefined],
  ];
  for (const [text, value] of cases) expect({ text, value: pythonInt(text) }).toEqual({ text, value });
});

test.skipIf(!PYTHON)("pythonInt agrees with Python's int() on every decimal digit Unicode has", () => {
  const digits = python(
    "import json,sys,unicodedata\n" +
      "print(json.dumps([[c, unicodedata.decimal(chr(c))] for c in range(0x110000) " +
      "if unicodedata.category(chr(c)) == 'Nd']))",
  ) as [number, number][];
  expect(digits.length).toBeGreaterThan(600);
  const wrong = digits.filter(([point, value]) => pythonInt(`1${String.fromCodePoint(point)}`) !== 10 + value);
  expect(wrong).toEqual([]);
});

test.skipIf(!PYTHON)("pythonStrip strips the characters Python's str.strip() strips, and only those", () => {
  const spaces = python("import json\nprint(json.dumps([c for c in range(0x110000) if chr(c).isspace()]))") as number[];
  const ours: number[] = [];
  for (let point = 0; point < 0x110000; point++) {
    if (point >= 0xd800 && point <= 0xdfff) continue;
    const char = String.fromCodePoint(point);
    if (pythonStrip(`${char}x${char}`) === "x") ours.push(point);
  }
  expect(ours).toEqual(spaces);
  expect(pythonStrip("\ufeffx\x1c")).toBe("\ufeffx");
});

test("isPythonTextCodec: names, aliases and spellings Python finds; codecs s3cmd cannot write with", () => {
  for (const name of ["UTF-8", "utf8", "utf 8", " UTF8 ", "utf--8", "Latin-1", "ISO-8859-15", "8859", "cp1252", "u8"])
    expect({ name, ok: isPythonTextCodec(name) }).toEqual({ name, ok: true });
  for (const name of ["", "yes", "utf..8", "base64", "hex", "rot13", "idna", "undefined", "mbcs", "oem", "aliases"])
    expect({ name, ok: isPythonTextCodec(name) }).toEqual({ name, ok: false });
});

test.skipIf(!PYTHON)("isPythonTextCodec agrees with this Python's codec registry on every module and alias", () => {
  // Each name as Python lists it, upper-cased and with "-" for "_": lookup normalizes them alike.
  const verdicts = python(
    "import codecs,encodings,encodings.aliases,json,pkgutil\n" +
      "modules = [m.name for m in pkgutil.iter_modules(encodings.__path__)]\n" +
      "names = sorted(set(modules + list(encodings.aliases.aliases)))\n" +
      "out = []\n" +
      "for base in names:\n" +
      "  for name in (base, base.upper().replace('_', '-')):\n" +
      "    try:\n" +
      "      info = codecs.lookup(name)\n" +
      "      ok = info._is_text_encoding and info.name not in ('idna', 'undefined')\n" +
      "    except LookupError:\n" +
      "      ok = False\n" +
      "    out.append([name, ok])\n" +
      "print(json.dumps(out))",
  ) as [string, boolean][];
  expect(verdicts.length).toBeGreaterThan(800);
  const wrong = verdicts.filter(([name, ok]) => isPythonTextCodec(name) !== ok);
  expect(wrong).toEqual([]);
});
