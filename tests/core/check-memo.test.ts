import { afterEach, beforeEach, expect, test } from "bun:test";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createCheckMemo, recallChecked } from "../../core/check-memo.ts";
import type { CheckedTarget } from "../../core/check-memo.ts";
import type { Target } from "../../core/target.ts";
import { openTestKit } from "../_safety.ts";
import { tempDir } from "../helpers.ts";

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

test("a kept check is used again only while the folders it listed and the paths it tested are unchanged", async () => {
  const kit = await openTestKit(root);
  const target = kit.target("ipfs");
  const memo = createCheckMemo();
  let checks = 0;
  // A check that looks at the disk only through its context, as a plugin's hooks do.
  const check = async (t: Target): Promise<CheckedTarget> => {
    checks++;
    const names = t.ctx.listDir("~/side") ?? [];
    const flag = t.ctx.exists("~/flag");
    const kind = t.ctx.fileKind("~/sock");
    return {
      snapshot: { target: t, configured: false, files: [], config: {} } as never,
      issues: [{ key: "", message: `${names.join(",")} ${flag}${kind ? ` ${kind}` : ""}`, severity: "warning" }],
      secrets: [],
    };
  };
  const message = async () => (await recallChecked(memo, target, new Map(), check)).issues[0]!.message;
  expect(await message()).toBe(" false");
  mkdirSync(join(root, "side"));
  expect(await message()).toBe(" false");
  expect(checks).toBe(2); // no folder, then an empty one: the answer changed from undefined to []
  expect(await message()).toBe(" false");
  expect(checks).toBe(2);
  writeFileSync(join(root, "side/b"), "");
  writeFileSync(join(root, "side/a"), "");
  expect(await message()).toBe("a,b false");
  expect(checks).toBe(3);
  writeFileSync(join(root, "flag"), "");
  expect(await message()).toBe("a,b true");
  rmSync(join(root, "side/a"));
  expect(await message()).toBe("b true");
  expect(checks).toBe(5);
  expect(await message()).toBe("b true");
  expect(checks).toBe(5);
  // A file where a daemon's socket goes, then the socket itself.
  writeFileSync(join(root, "sock"), "");
  expect(await message()).toBe("b true file");
  rmSync(join(root, "sock"));
  const server = Bun.listen({ unix: join(root, "sock"), socket: { data() {} } });
  try {
    expect(await message()).toBe("b true socket");
    expect(checks).toBe(7);
  } finally {
    server.stop(true);
  }
});
