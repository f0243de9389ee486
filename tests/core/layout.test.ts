import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

// The architecture, checked: the core is a graph without cycles that names no daemon, and
// the interfaces share one presentation layer instead of borrowing each other's code.

const ROOT = resolve(import.meta.dir, "../..");

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => join(ROOT, dir, file));
}

/** Value imports (not `import type`) of a file, as absolute paths. */
function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/^(?:import|export) (?!type\b)[^;]*?from "(\.[^"]+)"/gm)].map((m) =>
    resolve(dirname(file), m[1]!),
  );
}

test("core/ has no import cycle", () => {
  const files = sources("core");
  const graph = new Map(files.map((file) => [file, imports(file).filter((dep) => files.includes(dep))]));
  const cycles: string[] = [];
  const state = new Map<string, "open" | "done">();
  const visit = (file: string, path: string[]): void => {
    if (state.get(file) === "done") return;
    if (state.get(file) === "open") {
      cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(ROOT, f)).join(" -> "));
      return;
    }
    state.set(file, "open");
    for (const dep of graph.get(file) ?? []) visit(dep, [...path, file]);
    state.set(file, "done");
  };
  for (const file of files) visit(file, []);
  expect(cycles).toEqual([]);
});

test("core/ names no daemon: daemon knowledge lives in plugins/", () => {
  const named = sources("core").filter((file) =>
    /\b(ipfs|kubo|cluster|lotus|lassie|storacha|huggingface|s3cmd|s3)\b/i.test(readFileSync(file, "utf8")),
  );
  expect(named.map((file) => relative(ROOT, file))).toEqual([]);
});

test("core/ imports neither an interface (cli/, mcp/) nor a plugin", () => {
  const outward = sources("core").flatMap((file) =>
    imports(file)
      .filter((dep) => /^(cli|mcp|plugins)\//.test(relative(ROOT, dep)))
      .map((dep) => `${relative(ROOT, file)} -> ${relative(ROOT, dep)}`),
  );
  expect(outward).toEqual([]);
});

test("the MCP server and the CLI share present/ and never borrow from each other", () => {
  const crossing = [
    ...sources("mcp").flatMap((file) =>
      imports(file)
        .filter((dep) => relative(ROOT, dep).startsWith("cli/"))
        .map((dep) => `${relative(ROOT, file)} -> ${relative(ROOT, dep)}`),
    ),
    ...sources("present").flatMap((file) =>
      imports(file)
        .filter((dep) => /^(cli|mcp)\//.test(relative(ROOT, dep)))
        .map((dep) => `${relative(ROOT, file)} -> ${relative(ROOT, dep)}`),
    ),
  ];
  expect(crossing).toEqual([]);
});

test("one redactValue: values are redacted by the core's function everywhere", () => {
  const definitions = ["core", "cli", "mcp", "present", "sdk"]
    .flatMap(sources)
    .filter((file) => /function redactValue\b/.test(readFileSync(file, "utf8")));
  expect(definitions.map((file) => relative(ROOT, file))).toEqual(["core/redact.ts"]);
});

test('built-in plugins take shared helpers from the SDK ("kitcfg") and their own folder only', () => {
  const outward = sources("plugins").flatMap((file) =>
    imports(file)
      .filter((dep) => !dep.startsWith(join(ROOT, "plugins")))
      .map((dep) => `${relative(ROOT, file)} -> ${relative(ROOT, dep)}`),
  );
  expect(outward).toEqual([]);
  // A folder's files belong to the entry file named like it: no reaching into another daemon's folder.
  const across = sources("plugins").flatMap((file) => {
    const own = relative(join(ROOT, "plugins"), file).split("/")[0]!.replace(/\.ts$/, "");
    return imports(file)
      .map((dep) => relative(join(ROOT, "plugins"), dep))
      .filter((dep) => dep.includes("/") && dep.split("/")[0] !== own && !own.startsWith(dep.split("/")[0]!))
      .map((dep) => `${relative(ROOT, file)} -> plugins/${dep}`);
  });
  expect(across).toEqual([]);
});

test("start-up loads no heavy built-in module: only node:fs (served lazily), node:path and node:buffer", () => {
  // What a command evaluates before its work: cli.ts and one plugin, each with every module it
  // imports statically ("kitcfg" is index.ts). build.ts turns node:fs into a module that loads
  // on first call and node:path into core/_path.ts; any other built-in costs every command,
  // e.g. node:tty brings node:stream (about 2 ms).
  const allowed = new Set(["node:fs", "node:path", "node:buffer"]);
  const entries = [
    join(ROOT, "cli.ts"),
    ...sources("plugins").filter((file) => dirname(file) === join(ROOT, "plugins")),
  ];
  const loaded: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, spec] of readFileSync(file, "utf8").matchAll(/^(?:import|export) (?!type\b)[^;]*?from "([^"]+)"/gm)) {
      if (spec!.startsWith("node:") || spec!.startsWith("bun:")) {
        if (!allowed.has(spec!)) loaded.push(`${relative(ROOT, file)} -> ${spec}`);
      } else if (spec === "kitcfg") visit(join(ROOT, "index.ts"));
      else if (spec!.startsWith(".")) visit(resolve(dirname(file), spec!));
    }
  };
  for (const entry of entries) visit(entry);
  expect(seen.size).toBeGreaterThan(50);
  expect(loaded).toEqual([]);
});

test('no module is imported for what loading it does: package.json says "sideEffects": false', () => {
  // The bundler drops an import that uses nothing of a module free of side effects (build.ts).
  expect(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).sideEffects).toBe(false);
  const bare = ["*.ts", "cli", "core", "mcp", "plugins", "present", "sdk"]
    .flatMap((entry) =>
      entry.endsWith(".ts")
        ? readdirSync(ROOT)
            .filter((file) => file.endsWith(".ts"))
            .map((file) => join(ROOT, file))
        : sources(entry),
    )
    .flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/^import\s*["'][^"']+["'];?$/gm)].map(
        (m) => `${relative(ROOT, file)}: ${m[0]}`,
      ),
    );
  expect(bare).toEqual([]);
});

// Biome formats to 120 columns; strings and comments are wrapped by hand.
test("no source line is longer than 120 characters", () => {
  // Lotus's own commented default file, kept byte for byte, is data rather than code.
  const exempt = new Set(["plugins/lotus/template.ts"]);
  const files = ["*.ts", "cli", "core", "mcp", "plugins", "present", "sdk", "tests", "bench"].flatMap((entry) =>
    entry.endsWith(".ts")
      ? readdirSync(ROOT)
          .filter((file) => file.endsWith(".ts"))
          .map((file) => join(ROOT, file))
      : sources(entry),
  );
  const long = files
    .filter((file) => !exempt.has(relative(ROOT, file)) && !relative(ROOT, file).startsWith("tests/fixtures/"))
    .flatMap((file) =>
      readFileSync(file, "utf8")
        .split("\n")
        .flatMap((line, i) => (line.length > 120 ? [`${relative(ROOT, file)}:${i + 1} (${line.length})`] : [])),
    );
  expect(long).toEqual([]);
});
