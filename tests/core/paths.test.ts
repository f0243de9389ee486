import { expect, test } from "bun:test";
import { expandVars, pluginDirs, resolveIn, resolvePlace, stateDir } from "../../core/paths.ts";

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
  const place = resolvePlace({ root: "/r", env: { XDG_STATE_HOME: "/var/state", KITCFG_PLUGIN_PATH: "/opt/a:rel/b::" } });
  expect(stateDir(place)).toBe("/r/var/state/kitcfg");
  expect(pluginDirs(place, "/cwd")).toEqual(["/opt/a", "/cwd/rel/b", "/r/.config/kitcfg/plugins"]);
});

test("expandVars() replaces $VAR and ${VAR}", () => {
  expect(expandVars("$HOME/x/${XDG}/y$NOPE", { HOME: "/h", XDG: "c" })).toBe("/h/x/c/y");
});
