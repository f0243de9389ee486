import { afterEach, beforeEach, expect, test } from "bun:test";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { filesThatMayClaim } from "../../core/_plugin-candidates.ts";
import { seededRandom } from "../_safety.ts";
import { tempDir } from "../helpers.ts";

// Which user plugin files a one-daemon command evaluates, and the cache of what their texts
// say (`core/_plugin-candidates.ts`): a file is read again whenever it changed, whatever the cache says.

let root: string;
let cleanup: () => void;
let plugins: string;
let cacheDir: string;
beforeEach(() => {
  ({ dir: root, cleanup } = tempDir());
  plugins = join(root, "plugins");
  cacheDir = join(root, "cache");
  mkdirSync(plugins);
});
afterEach(() => cleanup());

const NAMES = ["s3", "s3cmd"];
/** The names a cache keeps quoted names for, as the registry gives every built-in name and alias. */
const KEEPS = ["huggingface", "hf", "ipfs", "kubo", "s3", "s3cmd", "s3cfg"];
/** As if a minute had passed since the files were written: they are at rest, and kept. */
const later = () => ({ dir: cacheDir, keeps: KEEPS, now: Date.now() + 60_000 });
const now = () => ({ dir: cacheDir, keeps: KEEPS });
const claim = (cache?: { dir: string; keeps: string[]; now?: number; root?: string }, dirs = [plugins]) =>
  filesThatMayClaim(dirs, NAMES, cache).then((files) => files.map((file) => file.slice(file.lastIndexOf("/") + 1)));
const plugin = (name: string, extra = "") =>
  `import { definePlugin, v } from "kitcfg";\nexport default definePlugin({ name: "${name}", summary: "x", ` +
  `files: { main: { path: "~/.x.json", format: "json" } }, schema: v.object({}), defaults: () => ({}) ${extra}});\n`;
const cacheFiles = () => readdirSync(cacheDir).filter((name) => name.startsWith("plugin-names-"));
const cacheText = () => readFileSync(join(cacheDir, cacheFiles()[0]!), "utf8");
/** Rewrite what the cache says every file claims, keeping its stamps. */
function tamperClaims(claims: string): void {
  const file = join(cacheDir, cacheFiles()[0]!);
  const kept = JSON.parse(readFileSync(file, "utf8"));
  kept.claims = kept.entries
    .split("/")
    .map(() => claims)
    .join("/");
  writeFileSync(file, JSON.stringify(kept));
}

test("without a cache: the files that name the daemon in quotes, or whose names cannot be read", async () => {
  writeFileSync(join(plugins, "a.ts"), plugin("aa"));
  writeFileSync(join(plugins, "b.ts"), plugin("bb", ', aliases: ["s3cmd"]'));
  writeFileSync(join(plugins, "c.ts"), plugin("cc").replace('name: "cc"', 'name: ["c", "c"].join("")'));
  writeFileSync(join(plugins, "d.js"), `// mentions 's3' in a comment\n${plugin("dd")}`);
  writeFileSync(join(plugins, "e.d.ts"), "declare const s3: 1;"); // not a plugin file
  mkdirSync(join(plugins, "f.ts")); // no file: importing it says why
  expect(await claim()).toEqual(["b.ts", "c.ts", "d.js", "f.ts"]);
  expect(await claim(later())).toEqual(["b.ts", "c.ts", "d.js", "f.ts"]);
  expect(await claim(later())).toEqual(["b.ts", "c.ts", "d.js", "f.ts"]); // from the cache
});

test("a kept file's claims come from the cache while its stamp is the same", async () => {
  writeFileSync(join(plugins, "a.ts"), plugin("aa"));
  writeFileSync(join(plugins, "b.ts"), plugin("bb"));
  expect(await claim(later())).toEqual([]);
  tamperClaims("s3");
  // Not read again: what the cache says (here, falsely) decides.
  expect(await claim(later())).toEqual(["a.ts", "b.ts"]);
});

test("a file changed in place, to the same size, is read again: its stamp changed", async () => {
  writeFileSync(join(plugins, "a.ts"), plugin("zz"));
  writeFileSync(join(plugins, "b.ts"), plugin("bb"));
  expect(await claim(later())).toEqual([]);
  const before = statSync(join(plugins, "a.ts"));
  writeFileSync(join(plugins, "a.ts"), plugin("s3"));
  expect(statSync(join(plugins, "a.ts")).size).toBe(before.size);
  expect(await claim(later())).toEqual(["a.ts"]);
  // A chmod changes the stamp too: b.ts is read again and names no s3, where the (tampered)
  // cache says it does; a.ts, unchanged since, is taken from the cache.
  chmodSync(join(plugins, "b.ts"), 0o600);
  tamperClaims("s3");
  expect(await claim(later())).toEqual(["a.ts"]);
});

test("files changed within the last seconds are not kept: they are read again next time", async () => {
  writeFileSync(join(plugins, "a.ts"), plugin("aa"));
  writeFileSync(join(plugins, "b.ts"), plugin("bb"));
  expect(await claim(now())).toEqual([]);
  expect(existsSync(cacheDir)).toBe(false); // nothing at rest yet: nothing kept
  expect(await claim(later())).toEqual([]);
  writeFileSync(join(plugins, "a.ts"), plugin("cc")); // just now: no longer kept
  expect(await claim(now())).toEqual([]);
  tamperClaims("s3");
  // b.ts, kept and unchanged, is taken from the (tampered) cache; a.ts is read again.
  expect(await claim(now())).toEqual(["b.ts"]);
});

test("the cache keeps only daemon names of a file's quoted texts; one kept for other names is not used", async () => {
  writeFileSync(join(plugins, "a.ts"), plugin("aa", ', defaults: () => ({ token: "abcsecret99" })'));
  writeFileSync(join(plugins, "b.ts"), plugin("bb", ', aliases: ["hf"]'));
  expect(await claim(later())).toEqual([]);
  expect(cacheText()).not.toContain("abcsecret99");
  expect(JSON.parse(cacheText()).claims).toBe("/hf");
  tamperClaims("s3");
  expect(await claim({ ...later(), keeps: [...KEEPS, "lotus"] })).toEqual([]);
});

test("a plugin folder that is not there makes no cache", async () => {
  expect(await claim(later(), [join(root, "missing")])).toEqual([]);
  expect(existsSync(cacheDir)).toBe(false);
});

test("a file added to or removed from the folder is seen at once", async () => {
  writeFileSync(join(plugins, "a.ts"), plugin("aa"));
  expect(await claim(later())).toEqual([]);
  writeFileSync(join(plugins, "n.ts"), plugin("s3"));
  expect(await claim(later())).toEqual(["n.ts"]);
  rmSync(join(plugins, "n.ts"));
  expect(await claim(later())).toEqual([]);
});

test("a cache that does not read as one is ignored and made anew; one that cannot be written is no error", async () => {
  writeFileSync(join(plugins, "a.ts"), plugin("s3"));
  expect(await claim(later())).toEqual(["a.ts"]);
  for (const garbage of ["{", '{"version":1}', "[]", JSON.stringify({ ...JSON.parse(cacheText()), stamps: "x" })]) {
    writeFileSync(join(cacheDir, cacheFiles()[0]!), garbage);
    expect(await claim(later())).toEqual(["a.ts"]);
    expect(JSON.parse(cacheText()).claims).toContain("s3");
  }
  rmSync(cacheDir, { recursive: true });
  writeFileSync(cacheDir, "a file where the folder would be");
  expect(await claim(later())).toEqual(["a.ts"]);
});

test("a temporary cache file left by a writer that was killed is removed by the next write", async () => {
  writeFileSync(join(plugins, "a.ts"), plugin("s3"));
  expect(await claim(later())).toEqual(["a.ts"]);
  const left = join(cacheDir, `.${cacheFiles()[0]}.kitcfg-4194999-k1ll3d.tmp`);
  writeFileSync(left, "{");
  expect(await claim(later())).toEqual(["a.ts"]); // nothing changed: nothing written
  expect(existsSync(left)).toBe(true);
  writeFileSync(join(plugins, "b.ts"), plugin("bb"));
  expect(await claim(later())).toEqual(["a.ts"]);
  expect(existsSync(left)).toBe(false);
  expect(readdirSync(cacheDir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
});

test("under --root, a cache folder a link leads outside the root is not written; the answer is the same", async () => {
  const sandbox = join(root, "sandbox");
  const outside = join(root, "outside");
  mkdirSync(join(sandbox, ".cache"), { recursive: true });
  mkdirSync(outside);
  symlinkSync(outside, join(sandbox, ".cache/kitcfg"));
  writeFileSync(join(plugins, "a.ts"), plugin("s3"));
  const dir = join(sandbox, ".cache/kitcfg");
  const confined = { dir, keeps: KEEPS, now: Date.now() + 60_000, root: sandbox };
  expect(await claim(confined)).toEqual(["a.ts"]);
  expect(readdirSync(outside)).toEqual([]);
  // The link is what stops it: without a root (a link of the running user's own) the cache is written.
  expect(await claim({ ...confined, root: undefined })).toEqual(["a.ts"]);
  expect(readdirSync(outside).filter((name) => name.startsWith("plugin-names-"))).toHaveLength(1);
});

test("each plugin folder has its own cache: another run's folders do not make it written again", async () => {
  const other = join(root, "other");
  mkdirSync(other);
  writeFileSync(join(plugins, "a.ts"), plugin("s3"));
  writeFileSync(join(other, "b.ts"), plugin("bb"));
  expect(await claim(later())).toEqual(["a.ts"]);
  expect(await claim(later(), [other])).toEqual([]);
  expect(cacheFiles()).toHaveLength(2);
  const written = cacheFiles().map((name) => statSync(join(cacheDir, name)).mtimeMs);
  expect(await claim(later(), [plugins, other])).toEqual(["a.ts"]);
  expect(await claim(later(), [other])).toEqual([]);
  expect(cacheFiles().map((name) => statSync(join(cacheDir, name)).mtimeMs)).toEqual(written);
});

test("with the cache, through many changes, the candidates are those found without it", async () => {
  const next = seededRandom(11);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const names = ["s3", "s3cmd", "s3x", "acme", "other"];
  const texts = [
    () => plugin(pick(names)),
    () => plugin(pick(names), `, aliases: ["${pick(names)}", "${pick(names)}"]`),
    () => plugin("x").replace('name: "x"', `name: ["${pick(names)}"].join("")`),
    () => `// ${pick(names)} '${pick(names)}' \`${pick(names)}\`\n${plugin(pick(names))}`,
    () => `import "./${pick(names)}.ts";\n${plugin(pick(names))}`,
    () => plugin(pick(names)).replace("schema: v.object({})", "schema: v.object({ name: v.string() })"),
  ];
  const files = Array.from({ length: 30 }, (_, i) => `p${String(i).padStart(2, "0")}.${pick(["ts", "js", "mjs"])}`);
  let at = Date.now() + 60_000;
  for (let round = 0; round < 25; round++) {
    for (const file of files) {
      const roll = next();
      if (round === 0 ? roll < 0.9 : roll < 0.15) writeFileSync(join(plugins, file), pick(texts)());
      else if (roll < 0.2) rmSync(join(plugins, file), { force: true });
    }
    at += 1000;
    // Some rounds as if at once (nothing is at rest, so nothing new is kept), most long after.
    const cache = { dir: cacheDir, keeps: KEEPS, now: round % 4 === 3 ? Date.now() : at };
    expect([round, await claim(cache)]).toEqual([round, await claim()]);
  }
});
