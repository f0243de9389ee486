import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { KitcfgError, ParseError } from "../../../core/errors.ts";
import { format } from "../../../core/formats/toml.ts";
import { changedLines, set, unset } from "./_changes.ts";

// Read once, never written: the fixture is the text Lotus itself writes on first start.
const LOTUS = readFileSync(new URL("../../fixtures/lotus/default-lotus-config.toml", import.meta.url), "utf8");

function line(text: string, n: number): string {
  return text.split("\n")[n - 1]!;
}

function expectEditFailed(run: () => unknown, fragment: string): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(KitcfgError);
    expect((error as KitcfgError).code).toBe("EDIT_FAILED");
    expect((error as KitcfgError).message).toContain(fragment);
    return;
  }
  throw new Error("expected EDIT_FAILED");
}

describe("parse()", () => {
  test("parse() reads Lotus's default config, where only EnableSplitstore is live", () => {
    expect(format.parse(LOTUS)).toMatchObject({ Chainstore: { EnableSplitstore: true, Splitstore: {} }, API: {} });
  });

  test("parse() returns safe integers as numbers and larger ones as bigints", () => {
    const doc = format.parse("a = 650000000000\nb = 9223372036854775807\n") as Record<string, unknown>;
    expect(doc.a).toBe(650000000000);
    expect(doc.b).toBe(9223372036854775807n);
  });

  test("parse() throws a ParseError with a one-line message, line and column", () => {
    try {
      format.parse('[API]\n  ListenAddress = "/ip4/127.0.0.1\n');
      throw new Error("expected a ParseError");
    } catch (error) {
      expect(error).toBeInstanceOf(ParseError);
      const e = error as ParseError;
      expect(e.code).toBe("PARSE_FAILED");
      expect(e.line).toBe(2);
      expect(e.column).toBeGreaterThan(1);
      expect(e.message).toStartWith("Cannot parse TOML at line 2, column");
      expect(e.message).not.toContain("\n");
    }
  });

  test("comment lines are read as the parser reads them: errors keep their line, a bad one is refused", () => {
    const errorAt = (text: string) => {
      try {
        format.parse(text);
      } catch (error) {
        return [(error as ParseError).line, (error as ParseError).column];
      }
      return undefined;
    };
    // Below comment lines, an error is at the line and column it has in the file.
    expect(errorAt("# one\n  # two\r\n[API]\n  x = = 1\n")).toEqual(errorAt("\n\n[API]\n  x = = 1\n"));
    expect(errorAt("# one\n  # two\r\n[API]\n  x = = 1\n")?.[0]).toBe(4);
    // A control character in a comment is refused (TOML 1.0), blank lines or not around it.
    expect(errorAt("# ok\n# bell \u0007 here\nx = 1\n")?.[0]).toBe(2);
    // In a multi-line string a line starting with # is text, not a comment.
    expect(format.parse('s = """\n# kept\n"""\n# gone\n')).toEqual({ s: "# kept\n" });
    expect(format.parse("s = '''\n  # kept\n'''\n")).toEqual({ s: "  # kept\n" });
  });
});

describe("stringify()", () => {
  test("stringify() writes top-level keys first, then tables indented like Lotus", () => {
    const text = format.stringify(
      {
        Chainstore: { EnableSplitstore: true, Splitstore: { ColdStoreType: "discard" } },
        Version: 2,
        API: { Timeout: "30s" },
      },
      { indent: "  " },
    );
    expect(text).toBe(
      "Version = 2\n\n[Chainstore]\n  EnableSplitstore = true\n\n  [Chainstore.Splitstore]\n" +
        '    ColdStoreType = "discard"\n\n[API]\n  Timeout = "30s"\n',
    );
  });

  test("stringify() writes values as TOML: escapes, floats, inline arrays and tables", () => {
    const value = {
      s: 'a "q"\n',
      f: 1.5,
      big: 2 ** 60,
      list: ["a", "b"],
      objs: [{ x: 1 }],
      empty: [],
      t: { "a.b": 1 },
    };
    const text = format.stringify(value);
    expect(text).toContain('s = "a \\"q\\"\\n"');
    expect(text).toContain('list = ["a", "b"]');
    expect(text).toContain("objs = [{ x = 1 }]");
    expect(text).toContain("big = 1152921504606847000.0");
    expect(text).toContain('[t]\n"a.b" = 1');
    expect(format.parse(text)).toEqual(value);
  });

  test("stringify() refuses null, which TOML cannot hold", () => {
    expect(() => format.stringify({ a: null })).toThrow(KitcfgError);
  });
});

describe("edit() on Lotus's default config", () => {
  test("edit() turns the commented default of API.ListenAddress into the live line", () => {
    const out = format.edit(LOTUS, [set("API.ListenAddress", "/ip4/0.0.0.0/tcp/1234/http")]);
    expect(line(LOTUS, 6)).toBe('  #ListenAddress = "/ip4/127.0.0.1/tcp/1234/http"');
    expect(line(out, 6)).toBe('  ListenAddress = "/ip4/0.0.0.0/tcp/1234/http"');
    expect(changedLines(LOTUS, out)).toEqual([6]);
  });

  test("edit() sets Chainstore.EnableSplitstore=false by changing exactly one line", () => {
    const out = format.edit(LOTUS, [set("Chainstore.EnableSplitstore", false)]);
    expect(changedLines(LOTUS, out)).toEqual([154]);
    expect(line(out, 154)).toBe("  EnableSplitstore = false");
  });

  test("edit() uncomments a key of the nested, indented Chainstore.Splitstore table", () => {
    const out = format.edit(LOTUS, [set("Chainstore.Splitstore.ColdStoreType", "universal")]);
    expect(changedLines(LOTUS, out)).toEqual([162]);
    expect(line(out, 162)).toBe('    ColdStoreType = "universal"');
  });

  test("edit() writes Libp2p.ListenAddresses as an inline array, as Lotus does", () => {
    const out = format.edit(LOTUS, [set("Libp2p.ListenAddresses", ["/ip4/0.0.0.0/tcp/4001", "/ip6/::/tcp/4001"])]);
    expect(changedLines(LOTUS, out)).toEqual([41]);
    expect(line(out, 41)).toBe('  ListenAddresses = ["/ip4/0.0.0.0/tcp/4001", "/ip6/::/tcp/4001"]');
  });

  test("edit() sets a key of a map table (Logging.SubsystemLevels.example-subsystem)", () => {
    const out = format.edit(LOTUS, [set("Logging.SubsystemLevels.example-subsystem", "DEBUG")]);
    expect(changedLines(LOTUS, out)).toEqual([32]);
    expect(line(out, 32)).toBe('    example-subsystem = "DEBUG"');
  });

  test("edit() adds a new subsystem level after the commented example, indented alike", () => {
    const out = format.edit(LOTUS, [set("Logging.SubsystemLevels.rpc", "WARN")]);
    expect(out).toBe(
      LOTUS.replace('    #example-subsystem = "INFO"\n', '    #example-subsystem = "INFO"\n    rpc = "WARN"\n'),
    );
  });

  test("edit() adds a table that does not exist yet at the end of the file", () => {
    const out = format.edit(LOTUS, [set("Newtable.Key", "v")]);
    expect(out).toBe(`${LOTUS.trimEnd()}\n\n[Newtable]\n  Key = "v"\n\n`);
    expect(format.parse(out)).toMatchObject({ Newtable: { Key: "v" } });
  });

  test("edit() creates a table with its keys from an object value", () => {
    const out = format.edit(LOTUS, [set("API.Cors", { Origins: ["*"], Enabled: true })]);
    expect(out).toBe(
      LOTUS.replace(
        '  #Timeout = "30s"\n',
        '  #Timeout = "30s"\n\n  [API.Cors]\n    Origins = ["*"]\n    Enabled = true\n',
      ),
    );
  });

  test("edit() with commentOnUnset comments the live line back out, restoring the original bytes", () => {
    const live = format.edit(LOTUS, [set("API.Timeout", "30s")]);
    expect(line(live, 14)).toBe('  Timeout = "30s"');
    expect(format.edit(live, [unset("API.Timeout")], { commentOnUnset: true })).toBe(LOTUS);
  });

  test("edit() with commentOnUnset keeps the current value in the commented line", () => {
    const out = format.edit(LOTUS, [unset("Chainstore.EnableSplitstore")], { commentOnUnset: true });
    expect(changedLines(LOTUS, out)).toEqual([154]);
    expect(line(out, 154)).toBe("  #EnableSplitstore = true");
  });

  test("edit() unsets a whole table by removing its header and region", () => {
    const out = format.edit(LOTUS, [unset("PaymentChannels")]);
    expect(out).toBe(`${LOTUS.slice(0, LOTUS.indexOf("\n\n\n[PaymentChannels]"))}\n\n`);
    expect(format.parse(out)).not.toHaveProperty("PaymentChannels");
  });

  test("edit() applies the same changes to the CRLF version of the file, keeping CRLF", () => {
    const crlf = LOTUS.replaceAll("\n", "\r\n");
    const changes = [
      set("API.ListenAddress", "/ip4/0.0.0.0/tcp/1234/http"),
      set("Newtable.Key", 1),
      set("Chainstore.EnableSplitstore", false),
    ];
    const out = format.edit(crlf, changes);
    expect(out).toBe(format.edit(LOTUS, changes).replaceAll("\n", "\r\n"));
  });

  test("edit() leaves the text unchanged when a key already has the value", () => {
    expect(format.edit(LOTUS, [set("Chainstore.EnableSplitstore", true)])).toBe(LOTUS);
  });
});

describe("edit() on other layouts", () => {
  const DOTTED = [
    'title = "node"',
    'site.owner = "me"',
    "",
    "[server]",
    '  host.name = "a"   # the name',
    "  host.port = 80",
    '  "quoted key" = 1',
    "",
    "[server.tls]",
    "enabled = false",
    "",
  ].join("\n");

  test("edit() replaces only the value of a dotted key under a [table] header, keeping its comment", () => {
    const out = format.edit(DOTTED, [set("server.host.name", "b")]);
    expect(out).toBe(DOTTED.replace('host.name = "a"', 'host.name = "b"'));
  });

  test("edit() adds a dotted key next to its siblings and edits quoted and top-level dotted keys", () => {
    const out = format.edit(DOTTED, [
      set("server.host.ip", "10.0.0.1"),
      set("server.quoted key", 2),
      set("site.owner", "you"),
    ]);
    expect(out).toBe(
      DOTTED.replace('  "quoted key" = 1', '  "quoted key" = 2\n  host.ip = "10.0.0.1"').replace(
        'site.owner = "me"',
        'site.owner = "you"',
      ),
    );
  });

  test("edit() adds a key to a table without indentation and unsets a sub-table", () => {
    const out = format.edit(DOTTED, [set("server.tls.cert", "/etc/cert.pem"), unset("server.tls")]);
    expect(out).toBe(`${DOTTED.slice(0, DOTTED.indexOf("\n\n[server.tls]"))}\n`);
  });

  test("edit() changes a key inside an inline table by rewriting that one value", () => {
    const text = 'point = { x = 1, y = 2 }  # origin\nname = "p"\n';
    expect(format.edit(text, [set("point.x", 5)])).toBe('point = { x = 5, y = 2 }  # origin\nname = "p"\n');
    expect(format.edit(text, [unset("point.y")])).toBe('point = { x = 1 }  # origin\nname = "p"\n');
  });

  test("edit() replaces a multi-line array whole and keeps the lines around it", () => {
    const text =
      '[Libp2p]\n  ListenAddresses = [\n    "/ip4/0.0.0.0/tcp/0",  # any port\n' +
      '    "/ip6/::/tcp/0",\n  ] # listen\n  ConnMgrLow = 150\n';
    const out = format.edit(text, [set("Libp2p.ListenAddresses", ["/ip4/0.0.0.0/tcp/4001"])]);
    expect(out).toBe('[Libp2p]\n  ListenAddresses = ["/ip4/0.0.0.0/tcp/4001"] # listen\n  ConnMgrLow = 150\n');
  });

  test("edit() removes or comments out every line of a multi-line string", () => {
    const text = 'a = """\nline one\n  # not a comment\n"""\nb = 1\n';
    expect(format.edit(text, [unset("a")])).toBe("b = 1\n");
    expect(format.edit(text, [unset("a")], { commentOnUnset: true })).toBe(
      '#a = """\n#line one\n  ## not a comment\n#"""\nb = 1\n',
    );
  });

  test("edit() writes an integral float where the file had a float", () => {
    expect(format.edit("ratio = 0.5\n", [set("ratio", 2)])).toBe("ratio = 2.0\n");
  });

  test("edit() with noFloats writes a whole number as an integer, over a live or a commented float", () => {
    expect(format.edit("high = 180.0\n", [set("high", 200)], { noFloats: true })).toBe("high = 200\n");
    expect(format.edit("#high = 1e3\n", [set("high", 200)], { noFloats: true })).toBe("high = 200\n");
    expect(format.edit("ratio = 0.5\n", [set("ratio", 0.25)], { noFloats: true })).toBe("ratio = 0.25\n");
  });

  test("edit() does not take doc-comment prose for a commented assignment", () => {
    const text = '[API]\n  # Timeout = how long to wait, see below\n  #Timeouts = "1s"\n';
    expect(format.edit(text, [set("API.Timeout", "5s")])).toBe(`${text}  Timeout = "5s"\n`);
  });

  test("edit() keeps a file without a final newline without one", () => {
    expect(format.edit("[a]\nx = 1", [set("a.y", 2)])).toBe("[a]\nx = 1\ny = 2");
    expect(format.edit("[a]\nx = 1", [set("b.z", 3)])).toBe("[a]\nx = 1\n\n[b]\nz = 3");
  });

  test("edit() keeps a table emptied by unset, giving it a header when only dotted keys defined it", () => {
    const text = 'site.owner = "me"\n\n[server]\nport = 80\n';
    const out = format.edit(text, [unset("site.owner")]);
    expect(out).toBe("\n[server]\nport = 80\n\n[site]\n");
    expect(format.parse(out)).toEqual({ site: {}, server: { port: 80 } });
  });

  test("edit() refuses arrays of tables and paths into arrays", () => {
    expectEditFailed(
      () => format.edit("[[peers]]\nid = 1\n", [set("peers.id", 2)]),
      '"[[peers]]" is an array of tables',
    );
    expectEditFailed(() => format.edit('list = ["a"]\n', [set("list.0", "b")]), '"list" is an array');
  });

  test("edit() throws a ParseError for malformed text and leaves it to the caller", () => {
    expect(() => format.edit("a = \n", [set("a", 1)])).toThrow(ParseError);
  });
});

describe("entries (each value by its key path, for finding secrets)", () => {
  test("every value in document order, an array's items under the array's path, then comment lines", () => {
    const text = 'a = "1"\n[b]\nc = ["x", 2]\nd.e = 3\n[[f]]\ng = "y"\n#h = "z"\n';
    expect(format.entries!(text)).toEqual([
      { path: ["a"], value: "1" },
      { path: ["b", "c"], value: "x" },
      { path: ["b", "c"], value: "2" },
      { path: ["b", "d", "e"], value: "3" },
      { path: ["f", "g"], value: "y" },
      { path: ["h"], value: "z" },
    ]);
  });

  test("tables nested 70,000 deep by one dotted key: one entry, without a call or a path copy per level", () => {
    // A recursive walk that copied the path at each level overflowed the stack here, and in the
    // binary (a larger stack) took seconds for a `configure --force` whose diff read such a text.
    const entries = format.entries!(`${"a.".repeat(70_000)}a = "s"\n`);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.path).toHaveLength(70_001);
    expect(entries[0]!.value).toBe("s");
  });
});
