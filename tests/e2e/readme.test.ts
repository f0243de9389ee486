import { afterEach, beforeEach, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { COMMANDS } from "../../cli/commands/index.ts";
import { cleanEnv, tempDir } from "../helpers.ts";

// The README's examples, run as a user who copies them would run them.

const README = readFileSync(resolve(import.meta.dir, "../../README.md"), "utf8");

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

/** The first ```LANG block after `heading`. */
function blockAfter(heading: string, lang: string): string {
  const section = README.slice(README.indexOf(heading));
  return new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(section)![1]!;
}

test("the README's TypeScript API example runs as written on a fresh root", () => {
  const example = blockAfter("## TypeScript API", "ts");
  expect(example).toContain('"/tmp/sandbox"');
  // "kitcfg" is this checkout's index.ts, and /tmp/sandbox a fresh folder.
  const script = example
    .replace('from "kitcfg"', `from ${JSON.stringify(resolve(import.meta.dir, "../../index.ts"))}`)
    .replace('"/tmp/sandbox"', JSON.stringify(root));
  const file = join(root, "example.ts");
  writeFileSync(file, script);
  const ran = Bun.spawnSync([process.execPath, file], { env: cleanEnv(root), cwd: root, stderr: "pipe" });
  expect(ran.stderr.toString()).toBe("");
  expect(ran.exitCode).toBe(0);
  // The update was made, then undone by the restore.
  const config = JSON.parse(readFileSync(join(root, ".cache/huggingface/config.json"), "utf8"));
  expect(config.offline).toBe(false);
});

test("the README's table of commands has a row for every command kitcfg --help lists", () => {
  const table = README.slice(README.indexOf("| command | what it does | example |"), README.indexOf("## Exit codes"));
  const rows = [...table.matchAll(/^\| `([a-z]+)/gm)].map((m) => m[1]!);
  const listed = Object.entries(COMMANDS).filter(([, entry]) => !entry.hidden);
  expect(listed.map(([name]) => name).filter((name) => !rows.includes(name))).toEqual([]);
});
