import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ParseError } from "../../../core/errors.ts";
import { format, renderShellExports } from "../../../core/formats/env.ts";
import type { Change } from "../../../core/formats/types.ts";
import { seededRandom } from "../../_safety.ts";
import { thrownBy } from "../../helpers.ts";
import { set, unset } from "./_changes.ts";

/** A systemd drop-in environment for a Hugging Face service, as a user might keep it. */
const HF_ENV = [
  "# Hugging Face settings for ipfs-kit",
  "HF_HOME=/var/lib/ipfs-kit/huggingface",
  "",
  "export HF_HUB_OFFLINE=0",
  'HF_ENDPOINT="https://huggingface.co"',
  "# telemetry off",
  "HF_HUB_DISABLE_TELEMETRY='1'",
  "",
].join("\n");

/** Strings that need care in both systemd and sh. */
const AWKWARD = [
  "",
  "plain",
  "two words",
  " padded ",
  "a#b",
  "#lead",
  "it's",
  'say "hi"',
  "$HOME",
  "`id`",
  "back\\slash",
  "\\n",
  "tab\there",
  "~/x",
  "semi;colon",
  "a=b=c",
  "ünïcödé",
  "glob*?[",
  "trailing\\",
];

describe("env parse()", () => {
  test("parse() reads unquoted, single-quoted and double-quoted values, export and comments", () => {
    expect(format.parse(HF_ENV)).toEqual({
      HF_HOME: "/var/lib/ipfs-kit/huggingface",
      HF_HUB_OFFLINE: "0",
      HF_ENDPOINT: "https://huggingface.co",
      HF_HUB_DISABLE_TELEMETRY: "1",
    });
  });

  const cases: [string, string, string][] = [
    ["trims blanks around an unquoted value", "A=  x y  ", "x y"],
    ["accepts blanks around =", "A = x", "x"],
    ["keeps single quotes literal", "A='$x \\\" \\n'", '$x \\" \\n'],
    ['unescapes \\" \\\\ \\$ and \\` in double quotes', 'A="\\" \\\\ \\$ \\`"', '" \\ $ `'],
    ["keeps other backslashes in double quotes, as sh does", 'A="a\\nb\\x"', "a\\nb\\x"],
    ["joins a backslash-newline in double quotes", 'A="a\\\nb"', "ab"],
    ["reads a literal newline inside double quotes", 'A="a\nb"', "a\nb"],
    ["drops the backslash of an unquoted escape", "A=a\\ b\\#", "a b#"],
    ["concatenates quoted parts", "A='a'\"b\"c", "abc"],
    ["reads an empty value", "A=", ""],
    ["reads an empty quoted value", 'A=""', ""],
    ["skips ; comments as systemd does", "; comment\nA=1", "1"],
    ["reads CRLF lines", "# c\r\nA=1\r\nB=2\r\n", "1"],
    ["lets the last assignment win", "A=1\nA=2", "2"],
    ["keeps = inside a value", "A=b=c", "b=c"],
  ];
  for (const [name, text, value] of cases) {
    test(`parse() ${name}`, () => {
      expect((format.parse(text) as Record<string, string>).A).toBe(value);
    });
  }

  test("parse() keeps __proto__ an own key", () => {
    const value = format.parse("__proto__=x") as Record<string, string>;
    expect(Object.hasOwn(value, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  const errors: [string, string, number, number, string][] = [
    ["a key with a dash", "A=1\nMY-KEY=2", 2, 1, 'invalid variable name "MY-KEY"'],
    ["a key starting with a digit", "  export 1A=2", 1, 10, 'invalid variable name "1A"'],
    ["a line without =", "A=1\n\nJUSTTEXT\n", 3, 9, 'expected "="'],
    ["an unterminated double quote", 'A="abc\nB=1', 1, 3, "unterminated double-quoted value"],
    ["an unterminated single quote", "A=1\nB='abc", 2, 3, "unterminated single-quoted value"],
  ];
  for (const [name, text, line, column, fragment] of errors) {
    test(`parse() reports line and column for ${name}`, () => {
      const error = thrownBy(() => format.parse(text)) as ParseError;
      expect(error).toBeInstanceOf(ParseError);
      expect(error.code).toBe("PARSE_FAILED");
      expect(error.message).toBe(
        `Invalid env file at line ${line}, column ${column}: ${error.message.split(": ").slice(1).join(": ")}`,
      );
      expect(error.message).toContain(fragment);
      expect([error.line, error.column]).toEqual([line, column]);
    });
  }
});

describe("env stringify()", () => {
  test("stringify() writes one KEY=value line each, no header, ending with a newline", () => {
    expect(format.stringify({ HF_HUB_OFFLINE: "1", HF_HOME: "/srv/hf" })).toBe("HF_HUB_OFFLINE=1\nHF_HOME=/srv/hf\n");
    expect(format.stringify({})).toBe("");
  });

  test("stringify() quotes only when needed", () => {
    expect(format.stringify({ A: "https://x.io:443/a,b@c%d+e=f", B: "", C: "two words", D: '$a"b\\c`d' })).toBe(
      'A=https://x.io:443/a,b@c%d+e=f\nB=\nC="two words"\nD="\\$a\\"b\\\\c\\`d"\n',
    );
  });

  test("stringify() round-trips awkward values through parse()", () => {
    const vars = Object.fromEntries(AWKWARD.map((value, i) => [`V${i}`, value]));
    expect(format.parse(format.stringify(vars))).toEqual(vars);
  });

  test("stringify() refuses non-string values and bad names", () => {
    for (const value of [1, true, null, { x: "y" }, ["a"]]) {
      expect(thrownBy(() => format.stringify({ A: value })).code).toBe("INVALID_VALUE");
    }
    expect(thrownBy(() => format.stringify({ A: "a\0b" })).code).toBe("INVALID_VALUE");
    expect(thrownBy(() => format.stringify({ "A-B": "x" })).code).toBe("INVALID_KEY");
    expect(thrownBy(() => format.stringify("A=1")).code).toBe("INVALID_VALUE");
  });
});

describe("env files in a real shell", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "kitcfg-env-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** What `sh` sees for each variable after sourcing `text`. */
  function readInShell(shell: string, text: string, keys: string[], how: "source" | "eval"): string[] {
    const file = join(dir, "vars.env");
    writeFileSync(file, text);
    const load = how === "source" ? '. "$1"' : 'eval "$(cat "$1")"';
    const script = `${load}; for k in ${keys.join(" ")}; do eval "printf '%s\\0' \\"\\$$k\\""; done`;
    const run = Bun.spawnSync([shell, "-c", script, shell, file], { env: {} });
    expect(run.stderr.toString()).toBe("");
    return run.stdout.toString().split("\0").slice(0, -1);
  }

  for (const shell of ["/bin/sh", "/bin/bash"]) {
    test(`stringify() output sourced by ${shell} gives back every value`, () => {
      const vars = Object.fromEntries(AWKWARD.map((value, i) => [`V${i}`, value]));
      expect(readInShell(shell, format.stringify(vars), Object.keys(vars), "source")).toEqual(AWKWARD);
    });

    test(`renderShellExports() output evaluated by ${shell} gives back every value`, () => {
      const vars = Object.fromEntries(AWKWARD.map((value, i) => [`V${i}`, value]));
      expect(readInShell(shell, renderShellExports(vars), Object.keys(vars), "eval")).toEqual(AWKWARD);
    });
  }
});

describe("renderShellExports()", () => {
  test("renderShellExports() writes export KEY='value' lines with '\\'' for quotes", () => {
    expect(renderShellExports({ A: "x", B: "it's" })).toBe("export A='x'\nexport B='it'\\''s'\n");
  });

  test("renderShellExports() refuses bad names", () => {
    expect(thrownBy(() => renderShellExports({ "A;rm": "x" })).code).toBe("INVALID_KEY");
  });
});

describe("env edit()", () => {
  test("edit() replaces only the value, keeping export, comments and order", () => {
    const out = format.edit(HF_ENV, [
      { op: "set", path: ["HF_HUB_OFFLINE"], value: "1" },
      { op: "set", path: ["HF_ENDPOINT"], value: "https://hf.example.org" },
    ]);
    expect(out).toBe(
      HF_ENV.replace("export HF_HUB_OFFLINE=0", "export HF_HUB_OFFLINE=1").replace(
        '"https://huggingface.co"',
        "https://hf.example.org",
      ),
    );
  });

  test("edit() keeps the quoting of a value set to what it already holds", () => {
    expect(format.edit(HF_ENV, [{ op: "set", path: ["HF_HUB_DISABLE_TELEMETRY"], value: "1" }])).toBe(HF_ENV);
  });

  test("edit() appends a new key at the end", () => {
    const out = format.edit(HF_ENV, [{ op: "set", path: ["HF_TOKEN_PATH"], value: "/run/secrets/hf token" }]);
    expect(out).toBe(`${HF_ENV}HF_TOKEN_PATH="/run/secrets/hf token"\n`);
  });

  test("edit() writes export on new keys when every line has it", () => {
    expect(format.edit("export A=1\n", [{ op: "set", path: ["B"], value: "2" }])).toBe("export A=1\nexport B=2\n");
  });

  test("edit() removes the line of an unset key, and every duplicate", () => {
    const out = format.edit(HF_ENV, [{ op: "unset", path: ["HF_HOME"] }]);
    expect(out).toBe(HF_ENV.replace("HF_HOME=/var/lib/ipfs-kit/huggingface\n", ""));
    expect(format.edit("A=1\nB=2\nA=3\n", [{ op: "unset", path: ["A"] }])).toBe("B=2\n");
    expect(format.edit("A=1\n", [{ op: "unset", path: ["Z"] }])).toBe("A=1\n");
  });

  test("edit() sets the last of duplicate keys, the one readers use", () => {
    expect(format.edit("A=1\nA=2\n", [{ op: "set", path: ["A"], value: "3" }])).toBe("A=1\nA=3\n");
  });

  test("edit() keeps CRLF line endings", () => {
    const crlf = HF_ENV.replaceAll("\n", "\r\n");
    const out = format.edit(crlf, [
      { op: "set", path: ["HF_HOME"], value: "/srv" },
      { op: "set", path: ["NEW"], value: "x" },
      { op: "unset", path: ["HF_ENDPOINT"] },
    ]);
    expect(out).toBe(
      crlf.replace("/var/lib/ipfs-kit/huggingface", "/srv").replace('HF_ENDPOINT="https://huggingface.co"\r\n', "") +
        "NEW=x\r\n",
    );
  });

  test("edit() keeps a missing trailing newline", () => {
    expect(format.edit("A=1", [{ op: "set", path: ["B"], value: "2" }])).toBe("A=1\nB=2");
    expect(format.edit("A=1\nB=2", [{ op: "unset", path: ["B"] }])).toBe("A=1");
    expect(format.edit("", [{ op: "set", path: ["A"], value: "1" }])).toBe("A=1\n");
  });

  test("edit() replaces a multi-line quoted value whole", () => {
    const text = 'A="one\ntwo"\nB=3\n';
    expect(format.edit(text, [{ op: "set", path: ["A"], value: "x" }])).toBe("A=x\nB=3\n");
    expect(format.edit(text, [{ op: "unset", path: ["A"] }])).toBe("B=3\n");
  });

  test("edit() keeps blanks around = and after the value", () => {
    expect(format.edit("A = 1   # not a comment for systemd\n", [{ op: "set", path: ["A"], value: "2" }])).toBe(
      "A = 2\n",
    );
    expect(format.edit("A = 'x'  \n", [{ op: "set", path: ["A"], value: "y z" }])).toBe('A = "y z"  \n');
  });

  test("edit() refuses paths that are not one segment, bad names and non-strings", () => {
    expect(thrownBy(() => format.edit("A=1\n", [{ op: "set", path: ["A", "B"], value: "x" }])).code).toBe(
      "EDIT_FAILED",
    );
    expect(thrownBy(() => format.edit("A=1\n", [{ op: "set", path: [], value: {} }])).code).toBe("EDIT_FAILED");
    expect(thrownBy(() => format.edit("A=1\n", [{ op: "set", path: ["A B"], value: "x" }])).code).toBe("INVALID_KEY");
    expect(thrownBy(() => format.edit("A=1\n", [{ op: "set", path: ["A"], value: 1 }])).code).toBe("INVALID_VALUE");
    // A line break would start a variable of its own for a line-based reader.
    expect(thrownBy(() => format.edit("A=1\n", [{ op: "set", path: ["A"], value: "x\nB=2" }])).message).toContain(
      "line break",
    );
    expect(thrownBy(() => format.stringify({ A: "x\rB=2" })).code).toBe("INVALID_VALUE");
  });

  test("edit() throws ParseError on a malformed file", () => {
    const error = thrownBy(() => format.edit("A=1\nB C\n", [{ op: "set", path: ["A"], value: "2" }]));
    expect(error).toBeInstanceOf(ParseError);
  });
});

describe("unsets in a row, made together", () => {
  const edit = (text: string, ...changes: Change[]) => format.edit!(text, changes);

  test("every line of each key goes; a file without a final newline still has none", () => {
    expect(edit("X=0\nA=1\nB=2", unset("A"), unset("B"))).toBe("X=0");
    expect(edit("X=0\r\nA=1\r\nB=2", unset("B"), unset("A"))).toBe("X=0");
    expect(edit("X=0\nA=1\nA=2", unset("A"))).toBe("X=0"); // a key's lines from the last up (one was left)
    expect(edit("A=1\nX=0\nA=2\nB=3\n", unset("A"), unset("B"))).toBe("X=0\n");
    // A set between two unsets sees the first made: B is set anew at the end, then A's lines go.
    expect(edit("B=1\nA=2\n", unset("B"), set("B", "3"), unset("A"))).toBe("B=3\n");
  });

  test("the same text as one unset at a time, on random files and changes", () => {
    const next = seededRandom(44);
    const keys = ["A", "B", "C", "D"];
    for (let round = 0; round < 2000; round++) {
      const count = Math.floor(next() * 7);
      const lines = Array.from({ length: count }, (_, i) => `${keys[Math.floor(next() * 4)]}=${i}`);
      const eol = next() < 0.5 ? "\n" : "\r\n";
      const text = lines.join(eol) + (next() < 0.5 ? eol : "");
      const gone = keys.filter(() => next() < 0.5);
      // One edit a key, as unsets were made before.
      const expected = gone.reduce((now, key) => edit(now, unset(key)), text);
      expect([text, gone, edit(text, ...gone.map((key) => unset(key)))]).toEqual([text, gone, expected]);
    }
  });

  test("200,000 unknown variables unset in one edit: the text is read and joined once", () => {
    const names = Array.from({ length: 200_000 }, (_, i) => `X${i}`);
    const text = `KEEP=1\n${names.map((name) => `${name}=v`).join("\n")}\n`;
    expect(edit(text, ...names.map((name) => unset(name)))).toBe("KEEP=1\n");
  }, 10_000);
});
