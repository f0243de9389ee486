/**
 * kitcfg's reading of a JSON config for a daemon that decodes it with Go's encoding/json, for
 * bench/go-json-differential.ts: the steps `kitcfg validate` takes for such a daemon (the file's
 * bytes as text, the JSON parse, `foldKeys`, the schema, integers judged as written), then the
 * values Go's fields end up with (`goJsonNulls`), in the form the Go program prints them.
 */
import { v } from "../index.ts";
import { foldJsonText } from "../core/_fold-json-text.ts";
import { decodeBytes } from "../core/_bytes.ts";
import { format as json } from "../core/formats/json.ts";
import { isPlainObject } from "../core/keypath.ts";
import { schemaAt, schemaIssues } from "../core/schema.ts";
import { goJsonNulls, goJsonTextProblem, writtenJsonNumbers } from "../sdk/go-json.ts";
import { int64, orNull } from "../plugins/ipfs/go.ts";

/** A Go type: a struct of named fields, a slice, a map with string keys, or a scalar. */
export type GoType =
  | { kind: "struct"; fields: Record<string, GoType> }
  | { kind: "list"; item: GoType }
  | { kind: "map"; value: GoType }
  | { kind: "string" | "int64" | "bool" };

/** Refused with why, or read: every field's value as Go's json.Marshal of the struct shows it (see `normalize`). */
export type Reading = { ok: false; why: string; value?: undefined } | { ok: true; value: unknown; why?: undefined };

/** How kitcfg reads a file of these bytes for a struct of `type`. */
export function readDocument(type: GoType, bytes: Uint8Array): Reading {
  const schema = schemaOf(type, true);
  const decoded = decodeBytes(bytes);
  const bom = goJsonTextProblem(decoded);
  if (bom) return { ok: false, why: "byte-order mark" };
  let parsed: unknown;
  try {
    parsed = json.parse(decoded);
  } catch (error) {
    return { ok: false, why: (error as Error).message.slice(0, 60) };
  }
  if (parsed === null) return { ok: true, value: normalize(type, {}) };
  if (!isPlainObject(parsed)) return { ok: false, why: "not an object" };
  const reading = foldJsonText(schema, decoded.replace(/^\ufeff/, ""));
  const folded = reading.value;
  const undecodable = reading.undecodable[0];
  if (undecodable) return { ok: false, why: `${undecodable.path.join(".")} ${undecodable.message}`.slice(0, 80) };
  const errors = schemaIssues(schema, folded).filter((issue) => issue.severity === "error");
  if (errors.length > 0) return { ok: false, why: `${errors[0]!.key}: ${errors[0]!.message}`.slice(0, 80) };
  const written = writtenInteger(schema, decoded.replace(/^\ufeff/, ""), folded);
  if (written) return { ok: false, why: written };
  return { ok: true, value: normalize(type, goJsonNulls(schema, folded)) };
}

/**
 * `value` as Go's json.Marshal shows the struct of `type` holding it: every field, a missing
 * scalar as its zero value, an int64 as its digits, a nil or empty list or map as empty (the
 * difference is no reader's concern), text as Go keeps it (a lone surrogate, or a byte that is
 * not UTF-8, as U+FFFD), map keys in order.
 */
export function normalize(type: GoType, value: unknown): unknown {
  switch (type.kind) {
    case "string":
      return typeof value === "string" ? goText(value) : "";
    case "bool":
      return value === true;
    case "int64":
      return typeof value === "number" || typeof value === "bigint" ? String(BigInt(value)) : "0";
    case "list":
      return Array.isArray(value) ? value.map((item) => normalize(type.item, item)) : [];
    case "map": {
      if (!isPlainObject(value)) return {};
      const out: Record<string, unknown> = {};
      for (const [key, each] of Object.entries(value)) out[goText(key)] = normalize(type.value, each);
      return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    case "struct": {
      const object = isPlainObject(value) ? value : {};
      return Object.fromEntries(
        Object.entries(type.fields).map(([name, field]) => [name, normalize(field, object[name])]),
      );
    }
  }
}

// --- internal ---

/** Text as Go holds it: a lone surrogate (an escape, or a byte kitcfg kept) is U+FFFD. */
function goText(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}

const schemas = new Map<GoType, v.GenericSchema>();

/** The valibot schema kitcfg's plugins write for such a struct (plugins/ipfs/schema.ts): null allowed everywhere. */
function schemaOf(type: GoType, top = false): v.GenericSchema {
  const known = schemas.get(type);
  if (known) return known;
  let schema: v.GenericSchema;
  if (type.kind === "struct") {
    const entries = Object.fromEntries(Object.entries(type.fields).map(([name, field]) => [name, schemaOf(field)]));
    schema = top ? v.object(entries) : orNull(v.object(entries));
  } else if (type.kind === "list") schema = orNull(v.array(v.nullable(schemaOf(type.item))));
  else if (type.kind === "map") schema = orNull(v.record(v.string(), v.nullable(schemaOf(type.value))));
  else schema = orNull(type.kind === "string" ? v.string() : type.kind === "bool" ? v.boolean() : int64);
  schemas.set(type, schema);
  return schema;
}

/**
 * An integer field written with a fraction or exponent (`1.0`, `1e3`), which Go's ParseInt
 * refuses, where the configuration read holds that number (as plugins/ipfs/raw.ts judges it).
 */
function writtenInteger(schema: v.GenericSchema, text: string, folded: unknown): string | undefined {
  for (const { path, text: number } of writtenJsonNumbers(text, (n) => /[.eE]/.test(n)) ?? []) {
    const lookup = schemaAt(
      schema,
      path.map((p) => (/^\d+$/.test(p) ? "0" : p)),
      { caseInsensitive: true },
    );
    const unwrapped =
      lookup.found && (lookup.schema as unknown as { wrapped?: { wrapped?: unknown } }).wrapped?.wrapped;
    if (unwrapped !== int64) continue;
    const spelled = lookup.found ? lookup.path : path;
    let node: unknown = folded;
    for (const key of spelled) node = isPlainObject(node) || Array.isArray(node) ? (node as never)[key] : undefined;
    if (node === Number(number)) return `${path.join(".")} is written ${number}`;
  }
  return undefined;
}
