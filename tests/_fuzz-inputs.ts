/** Generators of bad input for tests/_fuzz.ts; each takes the seeded random source. */

type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** Text that is not what a key wants: wrong types, injections, huge, control characters. */
export function badValue(random: Random): string {
  const fixed = [
    "",
    " ",
    "true",
    "false",
    "maybe",
    "0",
    "-0",
    "1e309",
    "-1",
    "65536",
    "NaN",
    "Infinity",
    "0x10",
    "1_000",
    "[]",
    "[1,2",
    "{}",
    '{"a":',
    "null",
    '"quoted"',
    "'single'",
    "\\",
    "\\n",
    "\n",
    "\r\n",
    "\t",
    '{"__proto__":{"polluted":1}}',
    '{"constructor":{"prototype":{"polluted":1}}}',
    '[{"__proto__":{"polluted":1}}]',
    "\u0000",
    "a\u0000b",
    "\u202e",
    "\ud800",
    "é",
    "😀",
    "${HOME}",
    "$(id)",
    "`id`",
    "%(bucket)s",
    "../../etc/passwd",
    "/etc/shadow",
    "@/etc/hostname",
    "@@literal",
    "@",
    "@/nonexistent/file",
    "@/dev/zero",
    "@/proc/self/status",
    "[section]\nx = 1",
    "key = value\n[default]",
    "a\nb = c",
    "# comment",
    "; comment",
    "= =",
    "[[x]]",
    '"""',
    "'''",
    "/ip4/127.0.0.1/tcp/5001",
    "/ip4/999.0.0.1/tcp/1",
    "/dns4/",
    "http://",
    "https://x",
    "ftp://x",
    "12D3KooW",
    "10s",
    "-5m",
    "1h1h",
    "1GB",
    "1 GB",
    "10KiB",
  ];
  const roll = random();
  if (roll < 0.6) return pick(random, fixed);
  if (roll < 0.7) return "x".repeat(Math.floor(random() * 200_000));
  if (roll < 0.8) return JSON.stringify(nested(random, Math.floor(random() * 3000)));
  if (roll < 0.9) return randomText(random, Math.floor(random() * 64));
  return String((random() - 0.5) * 10 ** Math.floor(random() * 30));
}

/** Key paths that are empty, reach for prototypes, or do not exist. */
export function badKey(random: Random): string {
  const fixed = [
    "",
    ".",
    "..",
    "a..b",
    ".a",
    "a.",
    "__proto__",
    "__proto__.polluted",
    "constructor",
    "constructor.prototype",
    "constructor.prototype.polluted",
    "prototype",
    "a.__proto__.b",
    "toString",
    "hasOwnProperty",
    "valueOf",
    "\u0000",
    "a\u0000b",
    "a b",
    "a=b",
    "*",
    "a.*",
    "[0]",
    "a[0]",
    "0",
    "-1",
    "😀",
    "x".repeat(5000),
    Array.from({ length: 500 }, () => "a").join("."),
    "../../etc/passwd",
    "/etc/passwd",
    "Addresses.API.__proto__",
  ];
  return random() < 0.8 ? pick(random, fixed) : randomText(random, 1 + Math.floor(random() * 20));
}

/** Daemon names that are paths, empty, near misses or binary. */
export function badDaemon(random: Random): string {
  const fixed = [
    "",
    ".",
    "..",
    "../../etc",
    "/etc/passwd",
    "a\u0000b",
    "S3",
    "s3/../..",
    "huggingface/..",
    "hf ",
    " hf",
    "__proto__",
    "constructor",
    "all",
    "-",
    "--set",
    "x".repeat(10_000),
    "😀",
  ];
  return random() < 0.85 ? pick(random, fixed) : randomText(random, 1 + Math.floor(random() * 12));
}

/** Instance names that would leave their folder. */
export function badInstance(random: Random): string {
  const fixed = [
    "",
    ".",
    "..",
    "../../etc",
    "/abs/path",
    "a/b",
    "a\u0000b",
    "default",
    "a",
    "x".repeat(300),
    "-rf",
    ".hidden",
    "😀",
    "a b",
  ];
  return pick(random, fixed);
}

/**
 * Bytes for a daemon's file (as a latin1 string, one char per byte): truncated, binary,
 * deeply nested, huge, or the right file with something spliced in.
 */
export function badContent(random: Random, pristine: string | undefined): string {
  const base = pristine ?? "";
  const roll = random();
  if (roll < 0.25) return base.slice(0, Math.floor(random() * base.length));
  if (roll < 0.4)
    return Array.from({ length: Math.floor(random() * 512) }, () =>
      String.fromCharCode(Math.floor(random() * 256)),
    ).join("");
  if (roll < 0.5) {
    const depth = 1000 + Math.floor(random() * 100_000);
    return pick(random, [
      "[".repeat(depth),
      `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`,
      `${"[".repeat(depth)}${"]".repeat(depth)}`,
      `${Array.from({ length: depth }, () => "a").join(".")} = 1\n`,
      `${"[a]\n".repeat(depth)}`,
    ]);
  }
  if (roll < 0.53) return base + "\n# padding\n".repeat(500_000);
  if (roll < 0.56) {
    // A long run of one piece inside the file: a regex tried from each start of it takes seconds.
    const unit = pick(random, [" ", "\n", "\\", "/", "0", "a.", " ,", "=", "[", '"', "://", "\t#"]);
    const at = Math.floor(random() * (base.length + 1));
    return toLatin1(base.slice(0, at) + unit.repeat(Math.ceil(100_000 / unit.length)) + base.slice(at));
  }
  if (roll < 0.6) return pick(random, ["", "\n", BOM, "\u0000", "\r\n\r\n", "null", "[]", '"text"', "1", "{}"]);
  if (roll < 0.7) return `${BOM}${base}`.replace(/\n/g, random() < 0.5 ? "\r\n" : "\n");
  const at = Math.floor(random() * (base.length + 1));
  const splice = pick(random, [
    '"__proto__": {"polluted": 1},',
    "__proto__ = 1\n",
    "[__proto__]\npolluted = 1\n",
    '{"constructor":{"prototype":{"polluted":1}}}',
    "\u0000",
    "\n[[",
    "=\n",
    "\udfff",
    'a = "unterminated\n',
  ]);
  return toLatin1(base.slice(0, at) + splice + base.slice(at));
}

/** Typed values for the API: what a JSON-speaking client could send, and worse. */
export function typedValue(random: Random): unknown {
  const values: (() => unknown)[] = [
    () => JSON.parse('{"__proto__":{"polluted":1}}'),
    () => JSON.parse('{"constructor":{"prototype":{"polluted":1}}}'),
    () => nested(random, 5000),
    () => Number.NaN,
    () => Number.POSITIVE_INFINITY,
    () => -0,
    () => 2 ** 64,
    () => 10n ** 30n,
    () => null,
    () => undefined,
    () => [],
    () => [1, "a", null, { b: [] }],
    () => ({ a: { b: { c: 1 } } }),
    () => "x".repeat(100_000),
    () => new Date(0),
    () => Object.create(null),
    () => true,
    () => randomText(random, 20),
  ];
  return pick(random, values)();
}

// --- internal ---

/** A UTF-8 byte order mark, as latin1 bytes. */
const BOM = "\xef\xbb\xbf";

function nested(random: Random, depth: number): unknown {
  let value: unknown = random() < 0.5 ? 1 : "leaf";
  for (let i = 0; i < depth; i++) value = random() < 0.5 ? [value] : { a: value };
  return value;
}

function randomText(random: Random, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) {
    const roll = random();
    out += String.fromCodePoint(
      roll < 0.6
        ? 32 + Math.floor(random() * 95)
        : roll < 0.8
          ? Math.floor(random() * 32)
          : Math.floor(random() * 0xd7ff),
    );
  }
  return out;
}

/** The UTF-8 bytes of `text` as a latin1 string (one char per byte). */
function toLatin1(text: string): string {
  return Buffer.from(text, "utf8").toString("latin1");
}
