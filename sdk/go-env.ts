import { goDurationNs, goTrimSpace } from "./go.ts";

// How kelseyhightower/envconfig v1.x (checked at v1.4.0, envconfig.go) fills a Go struct from the
// environment, for a daemon that calls `envconfig.Process(prefix, &cfg)` over the configuration it
// has just read from its file: a variable that is set, even to "", replaces the field; one that
// is not leaves it as the file gave it; a text its Go type does not take stops Process with an error.
//
// - Names (gatherInfo, l. 61-150): the prefix, then the field's name, joined with "_" and upper-cased.
//   A struct field adds its own name for the fields inside it, unless it is embedded (anonymous),
//   which keeps the prefix; a struct with its own reader (below) is one field. `envconfig:"x"` puts
//   x in place of the name, and is also looked up alone when the full name is unset (l. 193-196);
//   `split_words:"true"` cuts a CamelCase name into words joined with "_"; `ignored:"true"` skips
//   the field; unexported fields are skipped.
// - Lookup is os.LookupEnv (l. 193): the exact, case-sensitive name; set to "" counts as set.
//   `default:"x"` stands in for an unset variable; `required:"true"` fails when neither is there.
// - Reading (processField, l. 237-345): a type's own Decode, Set, UnmarshalText or UnmarshalBinary
//   method first, given the whole text; else by kind: a string as is; ints with strconv.ParseInt(s, 0,
//   bits) and uints with ParseUint(s, 0, bits) (base prefixes 0x 0o 0b 0, "_" between digits, no sign
//   for a uint); time.Duration with time.ParseDuration; bool with strconv.ParseBool; floats with
//   ParseFloat; a slice splits on "," (no trimming) and reads each item, and is empty when the text
//   is blank; a map splits on "," into key:value pairs (exactly one ":" each), empty when blank.
//   Neither trims its items, and both replace what the file held rather than add to it.

/** A Go type, as envconfig reads a variable's text into a field of it. */
export type GoEnvType =
  | "string"
  | "bool"
  | "int"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "uint"
  | "uint8"
  | "uint16"
  | "uint32"
  | "uint64"
  | "float32"
  | "float64"
  /** time.Duration (time.ParseDuration); the value is the text. */
  | "duration"
  /** []byte: the text's bytes, kept as the text. */
  | "bytes"
  | GoEnvText
  | { slice: GoEnvType }
  | { map: { key: GoEnvType; value: GoEnvType } };

/**
 * A type with its own reader (a `Decode(string) error`, `Set(string) error`, `UnmarshalText` or
 * `UnmarshalBinary` method), which envconfig hands the whole text. `text` returns why the
 * method refuses the text, or undefined; the value is the text, as a file would hold it.
 */
export interface GoEnvText {
  text: (value: string) => string | undefined;
}

/** The struct tags envconfig reads. */
export interface GoEnvTags {
  /** `envconfig:"NAME"`: the name in place of the field's, also looked up without the prefix. */
  envconfig?: string;
  /** `split_words:"true"`: the field's CamelCase name cut into words joined with "_". */
  split_words?: boolean;
  /** `ignored:"true"`: envconfig leaves the field (and a struct's fields) alone. */
  ignored?: boolean;
  /** `default:"x"`: read as the text of an unset variable. */
  default?: string;
  /** `required:"true"`: Process fails when the variable is unset and there is no default. */
  required?: boolean;
}

/** A Go field name with its struct tags. */
export interface GoEnvSegment {
  name: string;
  tags?: GoEnvTags;
}

/** One field envconfig fills, in the order of the struct (Process goes through them in that order). */
export interface GoEnvField {
  /**
   * The field's Go name and, before it, those of the struct fields that hold it, outermost first;
   * an embedded (anonymous) struct is left out, as envconfig keeps its prefix for its fields.
   * A name with tags is given as a segment; a struct's `envconfig`, `split_words` and `ignored` tags
   * apply to everything under it, `default` and `required` only to the field itself.
   */
  path: readonly (string | GoEnvSegment)[];
  type: GoEnvType;
}

/** A field a variable (or a `default` tag) sets. */
export interface GoEnvValue {
  /** The variable read: the field's, or its `envconfig` tag's name alone when only that is set. */
  variable: string;
  /** The Go names of `GoEnvField.path`. */
  path: string[];
  /** As the field holds it: a string, a boolean, a number (a bigint past 2^53), an array or an object. */
  value: unknown;
}

/** A variable envconfig refuses: `Process` returns an error at the first of these. */
export interface GoEnvRefusal {
  variable: string;
  path: string[];
  /** The variable's text (undefined for a required one that is unset): a caller shows it only if not a secret. */
  text: string | undefined;
  /** What the field takes, and where a list or map failed; never quotes the text, except a `GoEnvText`'s reason. */
  problem: string;
}

export interface GoEnvReading {
  values: GoEnvValue[];
  refusals: GoEnvRefusal[];
}

/**
 * The variable envconfig reads for a field: `prefix`, then each struct's name and the field's,
 * each as its tags make it, joined with "_" and upper-cased (Go's rune by rune: "ß" stays).
 */
export function goEnvVariable(prefix: string, path: GoEnvField["path"]): string {
  const names = path.map((segment) => {
    const { name, tags } = typeof segment === "string" ? { name: segment, tags: undefined } : segment;
    if (tags?.envconfig) return tags.envconfig;
    return tags?.split_words ? splitWords(name) : name;
  });
  return goUpper([prefix, ...names].filter((name) => name !== "").join("_"));
}

/**
 * What envconfig's `Process(prefix, spec)` does with `env` to the struct `fields` describe: each
 * field a variable sets, read into its type, and each variable its type refuses. Only the
 * variables of `fields` are looked up (one `env[name]` each); a variable that names no field is
 * never read, and does nothing.
 */
export function readGoEnv(
  prefix: string,
  fields: readonly GoEnvField[],
  env: Readonly<Record<string, string | undefined>>,
): GoEnvReading {
  const reading: GoEnvReading = { values: [], refusals: [] };
  for (const { field, path, tags, name } of namedFields(prefix, fields)) {
    let variable = name;
    let text = env[variable];
    if (text === undefined && tags?.envconfig && env[goUpper(tags.envconfig)] !== undefined) {
      variable = goUpper(tags.envconfig);
      text = env[variable];
    }
    if (text === undefined && tags?.default) text = tags.default;
    if (text === undefined) {
      if (tags?.required) reading.refusals.push({ variable, path: [...path], text, problem: "is required, and unset" });
      continue;
    }
    const read = readGoText(field.type, text);
    // The path is the cached field's: each reading gets a copy of its own.
    if ("problem" in read) reading.refusals.push({ variable, path: [...path], text, problem: read.problem });
    else reading.values.push({ variable, path: [...path], value: read.value });
  }
  return reading;
}

/**
 * `text` read into a Go type as envconfig's processField reads it, or why it cannot be.
 * The reason never quotes the text (it may be a secret), except a `GoEnvText`'s own.
 */
export function readGoText(type: GoEnvType, text: string): { value: unknown } | { problem: string } {
  if (typeof type === "object") {
    if ("text" in type) {
      const problem = type.text(text);
      return problem === undefined ? { value: text } : { problem };
    }
    if ("slice" in type) return readSlice(type.slice, text);
    return readMap(type.map.key, type.map.value, text);
  }
  switch (type) {
    case "string":
    case "bytes":
      return { value: text };
    case "bool": {
      const value = GO_BOOLS[text];
      return value === undefined ? { problem: "expected true or false (or 1, 0, t, f, T, F, TRUE, FALSE)" } : { value };
    }
    case "duration":
      return goDurationNs(text) === undefined
        ? { problem: 'expected a Go duration, a number and a unit, e.g. "30s" or "1h0m0s"' }
        : { value: text };
    case "float32":
    case "float64": {
      const value = parseGoFloat(text, type === "float32" ? 32 : 64);
      return value === undefined ? { problem: `expected a number that fits a ${type}` } : { value };
    }
    default:
      return readInteger(type, text);
  }
}

/**
 * strconv.ParseInt(text, 0, bits) (`signed`) or ParseUint(text, 0, bits): decimal, or with a 0x,
 * 0o, 0b or 0 (octal) prefix, "_" between digits; a sign for ParseInt only. Undefined where it fails.
 */
export function parseGoInteger(text: string, bits: number, signed: boolean): bigint | undefined {
  const sign = signed && /^[+-]/.test(text) ? text.charAt(0) : "";
  // ParseInt takes down to -2^(bits-1), one past its largest positive value.
  const max = signed ? 1n << BigInt(bits - 1) : (1n << BigInt(bits)) - 1n;
  const magnitude = parseUnsigned(text.slice(sign.length), max);
  if (magnitude === undefined || (signed && magnitude === max && sign !== "-")) return undefined;
  return sign === "-" ? -magnitude : magnitude;
}

// --- internal ---

interface NamedField {
  field: GoEnvField;
  path: string[];
  tags: GoEnvTags | undefined;
  name: string;
}

/** Each field envconfig fills (ignored ones left out) with its variable, worked out once per struct and prefix. */
const named = new WeakMap<readonly GoEnvField[], Map<string, NamedField[]>>();

function namedFields(prefix: string, fields: readonly GoEnvField[]): NamedField[] {
  let byPrefix = named.get(fields);
  if (!byPrefix) named.set(fields, (byPrefix = new Map()));
  let list = byPrefix.get(prefix);
  if (!list) {
    list = [];
    for (const field of fields) {
      const segments = field.path.map((s) => (typeof s === "string" ? { name: s, tags: undefined } : s));
      if (segments.some((s) => s.tags?.ignored)) continue;
      const path = segments.map((s) => s.name);
      list.push({ field, path, tags: segments.at(-1)?.tags, name: goEnvVariable(prefix, field.path) });
    }
    byPrefix.set(prefix, list);
  }
  return list;
}

/** strconv.ParseBool. */
const GO_BOOLS: Record<string, boolean> = {
  "1": true,
  t: true,
  T: true,
  TRUE: true,
  true: true,
  True: true,
  "0": false,
  f: false,
  F: false,
  FALSE: false,
  false: false,
  False: false,
};

const INTEGER_BITS: Record<string, number> = { 8: 8, 16: 16, 32: 32, 64: 64, "": 64 };

function readInteger(type: string, text: string): { value: unknown } | { problem: string } {
  const signed = type.startsWith("int");
  // Go's int and uint are 64-bit on the platforms the daemons run on (strconv.IntSize).
  const bits = INTEGER_BITS[type.replace(/^u?int/, "")] ?? 64;
  const value = parseGoInteger(text, bits, signed);
  if (value !== undefined) return { value: Number.isSafeInteger(Number(value)) ? Number(value) : value };
  const [min, max] = signed
    ? [-(1n << BigInt(bits - 1)), (1n << BigInt(bits - 1)) - 1n]
    : [0n, (1n << BigInt(bits)) - 1n];
  return { problem: `expected an integer from ${min} to ${max} (${type}), in decimal or with a 0x, 0o or 0b prefix` };
}

/** The number ParseUint reads (no sign), if at most `max`. */
function parseUnsigned(text: string, max: bigint): bigint | undefined {
  if (text === "") return undefined;
  let base = 10;
  let digits = text;
  if (text[0] === "0") {
    const prefix = text[1]?.toLowerCase();
    const bases: Record<string, number> = { b: 2, o: 8, x: 16 };
    if (text.length >= 3 && prefix !== undefined && bases[prefix]) [base, digits] = [bases[prefix]!, text.slice(2)];
    else [base, digits] = [8, text.slice(1)];
  }
  let n = 0n;
  for (const c of digits) {
    if (c === "_") continue;
    const d = /^[0-9a-zA-Z]$/.test(c) ? Number.parseInt(c, 36) : 99;
    if (d >= base) return undefined;
    n = n * BigInt(base) + BigInt(d);
    if (n > max) return undefined;
  }
  return digits.includes("_") && !underscoresOk(text) ? undefined : n;
}

/** strconv's underscoreOK: "_" only between digits, or between a base prefix and a digit. */
function underscoresOk(text: string): boolean {
  let s = text.replace(/^[+-]/, "");
  let saw = "^";
  let hex = false;
  if (/^0[bBoOxX]/.test(s)) {
    hex = /^0[xX]/.test(s);
    s = s.slice(2);
    saw = "0";
  }
  for (const c of s) {
    if (/[0-9]/.test(c) || (hex && /[a-fA-F]/.test(c))) saw = "0";
    else if (c === "_") {
      if (saw !== "0") return false;
      saw = "_";
    } else {
      if (saw === "_") return false;
      saw = "!";
    }
  }
  return saw !== "_";
}

/** strconv.ParseFloat: decimal or hex (p exponent) floats, "_" as in Go literals, Inf, Infinity, NaN. */
function parseGoFloat(text: string, bits: 32 | 64): number | undefined {
  const special = /^([+-]?)(inf|infinity)$/i.exec(text);
  if (special) return special[1] === "-" ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return Number.NaN;
  if (text.includes("_") && !underscoresOk(text)) return undefined;
  const clean = text.replaceAll("_", "");
  let value: number;
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(clean);
  if (hex) {
    const [, sign, whole = "", fraction = "", exponent] = hex;
    if (whole + fraction === "") return undefined;
    const mantissa = Number(BigInt(`0x${whole}${fraction}`));
    // A zero mantissa is 0 whatever the exponent (0 * 2**1e6 would be NaN here, ±0 in Go).
    const scaled = mantissa === 0 ? 0 : mantissa * 2 ** (Number(exponent) - 4 * fraction.length);
    value = sign === "-" ? -scaled : scaled;
  } else if (/^[+-]?(\d+(?:\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(clean)) value = Number(clean);
  else return undefined;
  // Past the largest value of its size, ParseFloat gives ±Inf with ErrRange.
  const sized = bits === 32 ? Math.fround(value) : value;
  return Number.isFinite(sized) ? sized : undefined;
}

function readSlice(item: GoEnvType, text: string): { value: unknown } | { problem: string } {
  // A []byte (a slice of uint8) is the text's bytes.
  if (item === "uint8") return { value: text };
  if (goTrimSpace(text) === "") return { value: [] };
  const values: unknown[] = [];
  for (const [i, part] of text.split(",").entries()) {
    const read = readGoText(item, part);
    if ("problem" in read) return { problem: `expected a comma-separated list; item ${i}: ${read.problem}` };
    values.push(read.value);
  }
  return { value: values };
}

function readMap(key: GoEnvType, value: GoEnvType, text: string): { value: unknown } | { problem: string } {
  const map: Record<string, unknown> = {};
  if (goTrimSpace(text) === "") return { value: map };
  for (const [i, pair] of text.split(",").entries()) {
    const parts = pair.split(":");
    const where = `expected comma-separated key:value pairs; pair ${i}`;
    if (parts.length !== 2) return { problem: `${where} has ${parts.length - 1} ":" (one is needed)` };
    const k = readGoText(key, parts[0]!);
    if ("problem" in k) return { problem: `${where}, its key: ${k.problem}` };
    const v = readGoText(value, parts[1]!);
    if ("problem" in v) return { problem: `${where}, its value: ${v.problem}` };
    map[String(k.value)] = v.value;
  }
  return { value: map };
}

/**
 * envconfig's split_words: runs of lower case, an upper-case run with the lower case after it,
 * or an upper-case run, an acronym cut before its last capital ("APIKey" is API_Key).
 */
function splitWords(name: string): string {
  const words = name.match(/([^A-Z]+|[A-Z]+[^A-Z]+|[A-Z]+)/gu);
  if (!words) return name;
  return words
    .flatMap((word) => {
      const acronym = /([A-Z]+)([A-Z][^A-Z]+)/u.exec(word);
      return acronym ? [acronym[1]!, acronym[2]!] : [word];
    })
    .join("_");
}

/** Go's strings.ToUpper: rune by rune, a rune with no one-rune capital kept (JavaScript makes "ß" "SS"). */
function goUpper(text: string): string {
  // ASCII (every name a daemon's struct has) is one native call; other runes one by one.
  if (/^[\x00-\x7f]*$/.test(text)) return text.toUpperCase();
  return [...text].map((c) => (c.toUpperCase().length === c.length ? c.toUpperCase() : c)).join("");
}
