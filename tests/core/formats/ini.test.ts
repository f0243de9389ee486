import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { KitcfgError, ParseError } from "../../../core/errors.ts";
import { format } from "../../../core/formats/ini.ts";
import type { Change } from "../../../core/formats/types.ts";
import { changedLines, set, unset } from "./_changes.ts";

// A real `s3cmd --dump-config` output; read once, never written.
const S3CFG = readFileSync(new URL("../../fixtures/s3/s3cfg-default", import.meta.url), "utf8");

/** A hand-kept .s3cfg: comments before and between keys, options commented with `#` and `;`. */
const COMMENTED = `# s3cmd configuration for the nightly backup
# Written by hand; see s3cmd(1) and https://s3tools.org/kb/item14.htm

[default]
# Credentials. Leave them empty to use AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
access_key = AKIAEXAMPLE
secret_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

# The MinIO server on the LAN, path-style buckets
host_base = minio.lan:9000
host_bucket = minio.lan:9000
# bucket_location = US

use_https = False
;signature_v2=True
`;

describe("parse()", () => {
  test("parse() reads s3cmd's dump as strings, templates and empty values included", () => {
    const doc = format.parse(S3CFG) as { default: Record<string, string> };
    expect(Object.keys(doc)).toEqual(["default"]);
    expect(doc.default.use_https).toBe("True");
    expect(doc.default.multipart_chunk_size_mb).toBe("15");
    expect(doc.default.host_bucket).toBe("%(bucket)s.s3.amazonaws.com");
    expect(doc.default.access_token).toBe("");
    expect(doc.default.website_endpoint).toBe("http://%(bucket)s.s3-website-%(location)s.amazonaws.com/");
  });

  test("parse() keeps ; and # inside values, and takes one pair of quotes off, then blanks at both ends", () => {
    const doc = format.parse(
      '[default]\nadd_headers = Cache-Control: max-age=60; x-amz-meta-tag: #1\nkey = " padded "\nhalf = "open\n' +
        'after = "quoted" \t\n',
    );
    expect(doc).toEqual({
      default: {
        add_headers: "Cache-Control: max-age=60; x-amz-meta-tag: #1",
        key: "padded",
        half: '"open',
        // `"…"\s*$` loses its first and last character: with blanks after it, the closing quote stays.
        after: 'quoted"',
      },
    });
  });

  test("parse() puts keys before any [section] at the top level, as the old Python tool wrote them", () => {
    const text =
      "access_key = your-access-key\nsecret_key = your-secret-key\nhost_base = s3.amazonaws.com\nuse_https = True\n";
    expect(format.parse(text)).toEqual({
      access_key: "your-access-key",
      secret_key: "your-secret-key",
      host_base: "s3.amazonaws.com",
      use_https: "True",
    });
  });

  test("parse() takes section names literally and merges repeated sections", () => {
    expect(format.parse("[a.b]\nx = 1\n[a.b]\ny = 2\n")).toEqual({ "a.b": { x: "1", y: "2" } });
  });

  test("parse() skips a line that is not blank, a comment, a header or key = value; skipped() numbers it", () => {
    const text = "[default]\naccess_key = a\n  not a setting\nhost_base: x\nfoo-bar = 1\n=x\n[open\nsecret_key = b\n";
    expect(format.parse(text)).toEqual({ default: { access_key: "a", secret_key: "b" } });
    expect(format.skipped!(text)).toEqual([3, 4, 5, 6, 7]);
    expect(format.skipped!("[default]\n# c\n\n \t\nk = v\n")).toEqual([]);
    // s3cmd takes only # for a comment: a ; line is one it skips, with "Ignoring invalid line".
    expect(format.skipped!("[default]\n; c\n;k = v\nk = v\n")).toEqual([2, 3]);
  });

  test("parse() reads lines as Python's reader does: its whitespace, headers, line breaks, a BOM", () => {
    // A header is `[name]` at the start of a line, whatever follows; an indented one is skipped.
    expect(format.parse("[a] trailing words\nx = 1\n  [b]\ny = 2\n")).toEqual({ a: { x: "1", y: "2" } });
    expect(format.skipped!("[a] trailing words\nx = 1\n  [b]\ny = 2\n")).toEqual([3]);
    // Form feed and U+001C are Python whitespace around a key and a value; U+FEFF is not.
    expect(format.parse("\fk\f=\fv\x1c\nj = w\x1f\n")).toEqual({ k: "v", j: "w" });
    expect(format.parse("\ufeffk = v\nj = w\n")).toEqual({ j: "w" });
    expect(format.skipped!("\ufeff[default]\nj = w\n")).toEqual([1]);
    // A lone CR ends a line, as in Python's universal newlines.
    expect(format.parse("[d]\ra = 1\rb = 2\r\nc = 3\n")).toEqual({ d: { a: "1", b: "2", c: "3" } });
    // A key is word characters only; U+2028 inside a value is kept.
    expect(format.parse("k\u00e9y = a\u2028b\n")).toEqual({ "k\u00e9y": "a\u2028b" });
  });

  test("parse() still refuses a section named like a key above it, with its line", () => {
    try {
      format.parse("x = 1\r# c\r[x]\n");
      throw new Error("expected a ParseError");
    } catch (error) {
      expect(error).toBeInstanceOf(ParseError);
      expect((error as ParseError).line).toBe(3);
    }
  });
});

describe("stringify()", () => {
  test("stringify() writes top-level keys, then sections separated by blank lines", () => {
    const text = format.stringify({
      legacy: "1",
      default: { access_key: "", host_base: "s3.amazonaws.com" },
      other: { a: "b" },
    });
    expect(text).toBe("legacy = 1\n\n[default]\naccess_key = \nhost_base = s3.amazonaws.com\n\n[other]\na = b\n");
  });

  test("stringify() uses style.separator and quotes a value whose own quotes a reader would take off", () => {
    const value = { default: { b: '"q"', c: "plain", d: '"open' } };
    const text = format.stringify(value, { separator: "=" });
    expect(text).toBe('[default]\nb=""q""\nc=plain\nd="open\n');
    expect(format.parse(text)).toEqual(value);
  });

  test("stringify() refuses a value with blanks at its ends: the reader strips them, quoted or not", () => {
    for (const value of [" x", "x ", "x\x1c", "\u3000x"])
      expect(() => format.stringify({ default: { a: value } })).toThrow("cannot begin or end with a blank");
  });

  test("stringify() refuses line breaks in values and values that are not strings", () => {
    expect(() => format.stringify({ default: { a: "x\ny" } })).toThrow(KitcfgError);
    expect(() => format.stringify({ default: { use_https: true } })).toThrow("values are strings, got a boolean");
  });
});

describe("edit()", () => {
  test("edit() sets default.host_base in s3cmd's dump by changing exactly one line", () => {
    const out = format.edit(S3CFG, [set("default.host_base", "minio.lan:9000")]);
    expect(changedLines(S3CFG, out)).toEqual([36]);
    expect(out.split("\n")[35]).toBe("host_base = minio.lan:9000");
  });

  test("edit() sets a key of a commented .s3cfg by changing one line", () => {
    const out = format.edit(COMMENTED, [set("default.host_bucket", "%(bucket)s.minio.lan:9000")]);
    expect(changedLines(COMMENTED, out)).toEqual([11]);
    expect(out.split("\n")[10]).toBe("host_bucket = %(bucket)s.minio.lan:9000");
  });

  test("edit() uncomments a commented assignment in place, keeping its spacing", () => {
    const out = format.edit(COMMENTED, [set("default.bucket_location", "EU"), set("default.signature_v2", "False")]);
    expect(changedLines(COMMENTED, out)).toEqual([12, 15]);
    expect(out).toContain("\nbucket_location = EU\n");
    expect(out).toContain("\nsignature_v2=False\n");
  });

  test("edit() adds a missing key after the last key line of its section", () => {
    const out = format.edit(COMMENTED, [set("default.socket_timeout", "60")]);
    expect(out).toBe(COMMENTED.replace("use_https = False\n", "use_https = False\nsocket_timeout = 60\n"));
  });

  test("edit() appends a missing section at the end", () => {
    const out = format.edit(S3CFG, [set("backup.host_base", "s3.eu-west-1.amazonaws.com")]);
    expect(out).toBe(`${S3CFG}\n[backup]\nhost_base = s3.eu-west-1.amazonaws.com\n`);
  });

  test("edit() unsets a key by removing its line, or comments it out with commentOnUnset", () => {
    expect(format.edit(COMMENTED, [unset("default.use_https")])).toBe(COMMENTED.replace("use_https = False\n", ""));
    expect(format.edit(COMMENTED, [unset("default.use_https")], { commentOnUnset: true })).toBe(
      COMMENTED.replace("use_https = False\n", "#use_https = False\n"),
    );
  });

  test("edit() unsets a whole section", () => {
    const text = "[default]\naccess_key = a\n\n[backup]\naccess_key = b\n";
    expect(format.edit(text, [unset("backup")])).toBe("[default]\naccess_key = a\n");
    expect(format.edit(text, [unset("default")])).toBe("[backup]\naccess_key = b\n");
  });

  test("edit() keeps CRLF line breaks on changed, added and untouched lines", () => {
    const crlf = COMMENTED.replaceAll("\n", "\r\n");
    const changes = [
      set("default.host_base", "s3.amazonaws.com"),
      set("default.socket_timeout", "60"),
      set("extra.a", "b"),
    ];
    expect(format.edit(crlf, changes)).toBe(format.edit(COMMENTED, changes).replaceAll("\n", "\r\n"));
  });

  test("edit() round-trips values with %(bucket)s, ;, #, = and an empty value exactly", () => {
    const values = {
      host_bucket: "%(bucket)s.s3.amazonaws.com",
      add_headers: "Cache-Control: no-cache; x-amz-meta-a: 1",
      gpg_passphrase: "pa#ss;word=1",
      access_token: "",
      quoted: '"already quoted"',
    };
    const changes = Object.entries(values).map(([key, value]) => set(`default.${key}`, value));
    const out = format.edit(S3CFG, changes);
    expect((format.parse(out) as { default: Record<string, string> }).default).toMatchObject(values);
    expect(out).toContain("\naccess_token = \n");
    expect(out).toContain("\ngpg_passphrase = pa#ss;word=1\n");
    expect(() => format.edit(S3CFG, [set("default.padded", "  both ends  ")])).toThrow("cannot begin or end");
  });

  test("edit() keeps a skipped line as it is, and sets a key after it", () => {
    const text = "[default]\nnot a setting\nhost_base = a\n";
    expect(format.edit(text, [set("default.host_base", "b")])).toBe("[default]\nnot a setting\nhost_base = b\n");
    expect(format.edit("[d]\rk = 1\r", [set("d.j", "2")])).toBe("[d]\rk = 1\rj = 2\r");
  });

  test("edit() edits keys before any [section] where they are", () => {
    const text = "access_key = your-access-key\nsecret_key = your-secret-key\nhost_base = s3.amazonaws.com\n";
    const out = format.edit(text, [set("secret_key", "s3cr3t"), set("use_https", "True")]);
    expect(out).toBe(
      "access_key = your-access-key\nsecret_key = s3cr3t\nhost_base = s3.amazonaws.com\nuse_https = True\n",
    );
  });

  test("edit() refuses paths deeper than section and key, and non-string values", () => {
    const run = (change: Change) => () => format.edit(S3CFG, [change]);
    expect(run(set("default.a.b", "x"))).toThrow("INI keys are a section and a key");
    expect(run(set("default.use_https", true))).toThrow(KitcfgError);
  });
});
