import { expect, test } from "bun:test";
import { expandVars, pluginDirs, pythonExpandVars, resolveIn, resolvePlace, stateDir } from "../../core/paths.ts";

test("resolvePlace() takes --root over KITCFG_ROOT over HOME", () => {
  expect(resolvePlace({ env: { HOME: "/home/u" } })).toEqual({ home: "/home/u", env: { HOME: "/home/u" } });
  expect(resolvePlace({ env: { HOME: "/home/u", KITCFG_ROOT: "/r" } }).home).toBe("/r");
  expect(resolvePlace({ root: "/given", env: { KITCFG_ROOT: "/r" } }).root).toBe("/given");
  expect(resolvePlace({ root: "rel", env: {}, cwd: "/work" }).root).toBe("/work/rel");
});

test("resolveIn() puts ~ and every absolute path under the root, once", () => {
  const place = resolvePlace({ root: "/sandbox", env: {} });
  expect(resolveIn(place, "~/.s3cfg")).toBe("/sandbox/.s3cfg");
  expect(resolveIn(place, "/data/hf/config.json")).toBe("/sandbox/data/hf/config.json");
  expect(resolveIn(place, "/sandbox/already/inside")).toBe("/sandbox/already/inside");
  expect(resolveIn(place, "/sandbox/../etc/passwd")).toBe("/sandbox/etc/passwd");
  expect(resolveIn(resolvePlace({ env: { HOME: "/home/u" } }), "~/x")).toBe("/home/u/x");
});

test("stateDir() and pluginDirs() follow XDG and stay under the root", () => {
  const place = resolvePlace({
    root: "/r",
    env: { XDG_STATE_HOME: "/var/state", KITCFG_PLUGIN_PATH: "/opt/a:rel/b::" },
  });
  expect(stateDir(place)).toBe("/r/var/state/kitcfg");
  // Under a root, the root's own plugin folder is searched only when asked for.
  expect(pluginDirs(place, "/cwd")).toEqual(["/opt/a", "/cwd/rel/b"]);
  expect(pluginDirs(place, "/cwd", "/r/.config/kitcfg/plugins:x")).toEqual([
    "/r/.config/kitcfg/plugins",
    "/cwd/x",
    "/opt/a",
    "/cwd/rel/b",
  ]);
  expect(pluginDirs(resolvePlace({ env: { HOME: "/home/u" } }), "/cwd")).toEqual(["/home/u/.config/kitcfg/plugins"]);
});

test("expandVars() replaces $VAR and ${VAR}", () => {
  expect(expandVars("$HOME/x/${XDG}/y$NOPE", { HOME: "/h", XDG: "c" })).toBe("/h/x/c/y");
});

test("pythonExpandVars() is posixpath.expandvars: an unset variable stays as written, $1 and ${a-b} are names", () => {
  // Each pair as CPython 3.11's posixpath.expandvars gives it with A=x and B_1=y set.
  const env = { A: "x", B_1: "y" };
  const table: [string, string][] = [
    ["$A/h", "x/h"],
    ["${A}/h", "x/h"],
    ["$UNSET/h", "$UNSET/h"],
    ["${UNSET}/h", "${UNSET}/h"],
    ["$1/h", "$1/h"],
    ["${a-b}/h", "${a-b}/h"],
    ["$A$B_1", "xy"],
    ["$", "$"],
    ["${A", "${A"],
    ["a$-b", "a$-b"],
    ["$é", "$é"],
  ];
  for (const [text, expanded] of table) expect([text, pythonExpandVars(text, env)]).toEqual([text, expanded]);
  expect(pythonExpandVars("${a-b}", { "a-b": "z" })).toBe("z");
});
