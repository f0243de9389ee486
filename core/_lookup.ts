/**
 * One key of a big JSON config read without parsing the rest (`kitcfg get` of one key of a
 * config of a few megabytes): the file is checked against JSON's grammar from
 * end to end (`formats/_json-lookup.ts`), and only the value asked for becomes a value. A
 * full parse would build the whole document as objects, then decode it to text first: on a
 * file of a few megabytes that is most of the command's time and memory.
 */
import { LONG_WORK_BYTES, noteInputSize } from "./_big-input.ts";
import { decodeBytes } from "./_bytes.ts";
import { MAX_DEPTH } from "./formats/index.ts";
import { parseJsonExact } from "./formats/_json-exact.ts";
import { settleHalfMade } from "./snapshot.ts";
import { readFileBytesState } from "./_file-state.ts";
import type { Target } from "./target.ts";

/**
 * What a key of `target`'s config holds, read this way: `value` undefined when the key is
 * absent, and `around` the config cut down to the path and the value (what finding the
 * secrets that touch them needs). Undefined when this way does not apply: the config is
 * not one JSON file of at least `LONG_WORK_BYTES` at the root, or the file is not one this
 * reader can settle alone (the whole parse then says where it is broken).
 */
export async function lookupInBigFile(
  target: Target,
  path: readonly string[],
): Promise<{ value: unknown; around: unknown } | undefined> {
  const main = target.files.find((file) => file.main);
  if (main?.spec.format !== "json" || main.spec.decode || main.mount.length > 0) return undefined;
  // Every other file derived from the config: nothing else is parsed into it.
  if (target.files.some((file) => file !== main && !file.spec.derive)) return undefined;
  // A stat first: a small file is read once, by the usual path.
  const size = Bun.file(main.path).size;
  if (!(size >= LONG_WORK_BYTES && size !== Number.POSITIVE_INFINITY)) return undefined;
  await settleHalfMade(target);
  const { bytes } = readFileBytesState(main.path);
  if (bytes === undefined || bytes.length < LONG_WORK_BYTES) return undefined;
  noteInputSize(bytes.length);
  // The reader loads only for a big file: a command over a small one never evaluates it.
  const { lookupJson } = await import("./formats/_json-lookup.ts");
  const found = lookupJson(bytes, path, MAX_DEPTH);
  if (found.kind === "undecided") return undefined;
  if (found.kind === "absent") return { value: undefined, around: undefined };
  // Read as the JSON format reads it: an integer past 2^53 keeps every digit.
  const value = parseJsonExact(decodeBytes(found.bytes));
  // The path's containers as they are (an array stays an array), holding only the value.
  let around: unknown = value;
  for (let depth = path.length - 1; depth >= 0; depth--) {
    if (found.levels[depth] === "array") {
      const items: unknown[] = [];
      items[Number(path[depth])] = around;
      around = items;
    } else {
      around = Object.defineProperty({}, path[depth]!, {
        value: around,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return { value, around };
}
