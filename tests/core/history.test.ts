import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { historyDir } from "../../core/apply.ts";
import { configure, update } from "../../core/change.ts";
import { KitcfgError } from "../../core/errors.ts";
import { diffHistory, listHistory, restoreVersion } from "../../core/history-ops.ts";
import { listVersions, pruneHistory, recordVersion } from "../../core/history.ts";
import type { Kit } from "../../core/kit.ts";
import { openTestKit } from "../_safety.ts";
import { cleanEnv, kitcfg, tempDir } from "../helpers.ts";

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir()));
afterEach(() => cleanup());

const s3cfg = () => join(root, ".s3cfg");
const hfHome = () => join(root, ".cache/huggingface");

async function caught(promise: Promise<unknown>): Promise<KitcfgError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(KitcfgError);
    return error as KitcfgError;
  }
  throw new Error("expected a failure");
}

async function s3With(kit: Kit, ...hosts: string[]): Promise<string[]> {
  await configure(kit, { daemon: "s3" });
  const texts = [readFileSync(s3cfg(), "utf8")];
  for (const host of hosts) {
    await update(kit, { daemon: "s3", requests: [{ op: "set", key: "host_base", text: host }] });
    texts.push(readFileSync(s3cfg(), "utf8"));
  }
  return texts;
}

describe("recording", () => {
  test("recordVersion() keeps content and entry, and pruneHistory() keeps the newest", () => {
    const dir = join(root, "h");
    for (const text of ["one", "two", "three", undefined]) {
      recordVersion({ dir, file: "/x", text, command: "kitcfg test", keys: ["a"], secret: true, retention: 3 });
    }
    const versions = listVersions(dir);
    expect(versions.slice(0, 2).map((v) => readFileSync(join(dir, `${v.id}.data`), "utf8"))).toEqual(["two", "three"]);
    // A file that did not exist has no content to keep: its entry alone says so.
    expect(versions.at(-1)?.absent).toBe(true);
    expect(existsSync(join(dir, `${versions[2]!.id}.data`))).toBe(false);
    expect(new Set(versions.map((v) => v.id)).size).toBe(3);
    pruneHistory(dir, 1);
    expect(readdirSync(dir).sort()).toEqual([`${versions[2]!.id}.json`]);
  });

  test("pruneHistory() goes by the entries' names: a damaged entry is removed in its turn", () => {
    const dir = join(root, "h");
    for (const text of ["one", "two", "three"]) {
      recordVersion({ dir, file: "/x", text, command: "kitcfg test", keys: [], secret: false });
    }
    const [oldest, middle, newest] = listVersions(dir).map((v) => v.id);
    writeFileSync(join(dir, `${oldest}.json`), "{ damaged");
    pruneHistory(dir, 2);
    expect(readdirSync(dir).sort()).toEqual([`${middle}.data`, `${middle}.json`, `${newest}.data`, `${newest}.json`]);
    pruneHistory(dir, 2);
    expect(readdirSync(dir)).toHaveLength(4);
    // A file kitcfg did not name neither takes a version's place nor goes.
    writeFileSync(join(dir, "notes.json"), "{}");
    pruneHistory(dir, 2, [middle!, newest!, "notes"]);
    expect(readdirSync(dir)).toHaveLength(5);
  });

  test("content whose entry was never written, and temporary files of dead writers, go at the next write", () => {
    const dir = join(root, "h");
    recordVersion({ dir, file: "/x", text: "a", command: "c", keys: [], secret: false });
    const dead = Bun.spawnSync(["true"]).pid;
    writeFileSync(join(dir, "20200101T000000000Z-1.data"), "orphan");
    writeFileSync(join(dir, `.20200101T000000000Z-1.json.kitcfg-${dead}-abc123.tmp`), "half");
    recordVersion({ dir, file: "/x", text: "b", command: "c", keys: [], secret: false });
    expect(readdirSync(dir).filter((n) => n.includes("2020") || n.endsWith(".tmp"))).toEqual([]);
    expect(listVersions(dir)).toHaveLength(2);
  });

  test("a write to a full history with an orphan and a dead writer's temporary file keeps the retention", async () => {
    const kit = await openTestKit(root, { KITCFG_HISTORY_RETENTION: "3" });
    await s3With(kit, "a.example", "b.example", "c.example");
    const dir = join(root, ".local/state/kitcfg/history/s3/main");
    const dead = Bun.spawnSync(["true"]).pid;
    // Debris named later than every version: the next id must still come after it.
    const orphan = "29990101T000000000Z-1.data";
    writeFileSync(join(dir, orphan), "orphan");
    writeFileSync(join(dir, `.${orphan}.kitcfg-${dead}-abc123.tmp`), "half");
    const kept = (await listHistory(kit, { daemon: "s3" })).versions.map((v) => v.id);
    const result = await update(kit, { daemon: "s3", requests: [{ op: "set", key: "host_base", text: "d.example" }] });
    const ids = (await listHistory(kit, { daemon: "s3" })).versions.map((v) => v.id);
    expect(ids).toEqual([result.history[0]!, ...kept.slice(0, 2)]);
    expect(result.history[0]! > orphan).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(ids.flatMap((id) => [`${id}.data`, `${id}.json`]).sort());
  });

  test("every write keeps the previous version with its command and keys; one id for all files it wrote", async () => {
    const kit = await openTestKit(root);
    // The first write creates the files: only configure does that (update refuses an unconfigured daemon).
    await configure(kit, { daemon: "huggingface", requests: [{ op: "set", key: "offline", text: "true" }] });
    const result = await update(kit, {
      daemon: "huggingface",
      requests: [
        { op: "set", key: "offline", text: "false" },
        { op: "set", key: "token", text: "hf_abcdefghijklmnop" },
      ],
    });
    const { versions } = await listHistory(kit, { daemon: "hf" });
    expect(versions).toHaveLength(2);
    expect(versions[0]!.id).toBe(result.history[0]!);
    expect(versions[0]!.files.map((f) => [f.key, f.absent])).toEqual([
      ["config", false],
      ["token", true],
      ["env", false],
    ]);
    expect(versions[0]!.keys.sort()).toEqual(["offline", "token"]);
    expect(versions[1]!.files.every((f) => f.absent)).toBe(true);
    expect(versions[0]!.kind).toBe("update");
  });

  test("the version a write replaces is kept as that file itself where it can be, else as a copy of it", async () => {
    const kit = await openTestKit(root);
    await configure(kit, { daemon: "s3" });
    const target = kit.target("s3");
    const file = target.files.find((f) => f.main)!;
    const dataOf = (id: string) => join(historyDir(kit.stateDir, target, file), `${id}.data`);
    const set = (host: string) =>
      update(kit, { daemon: "s3", requests: [{ op: "set", key: "host_base", text: host }] });
    // .s3cfg is 0600, as its history copy would be: the replaced file stays in history under a second name.
    const first = { text: readFileSync(s3cfg(), "utf8"), inode: statSync(s3cfg()).ino };
    const linkedId = (await set("a.example")).history[0]!;
    const linked = dataOf(linkedId);
    expect(statSync(linked).ino).toBe(first.inode);
    expect(statSync(linked).nlink).toBe(1);
    expect(statSync(s3cfg()).ino).not.toBe(first.inode);
    expect(readFileSync(linked, "utf8")).toBe(first.text);
    // A mode other than the copy's (0640 lets a group read it): copied, with the history's own 0600.
    chmodSync(s3cfg(), 0o640);
    const second = { text: readFileSync(s3cfg(), "utf8"), inode: statSync(s3cfg()).ino };
    const copied = dataOf((await set("b.example")).history[0]!);
    expect(statSync(copied).ino).not.toBe(second.inode);
    expect(statSync(copied).mode & 0o777).toBe(0o600);
    expect(readFileSync(copied, "utf8")).toBe(second.text);
    // The version kept by a link is restored as any other, byte for byte.
    await restoreVersion(kit, { daemon: "s3", id: linkedId });
    expect(readFileSync(s3cfg(), "utf8")).toBe(first.text);
  });

  test(
    "retention comes from openKit, else KITCFG_HISTORY_RETENTION, " + "else 50; a bad value is a usage error",
    async () => {
      const kit = await openTestKit(root);
      expect(kit.retention).toBe(50);
      const small = await openTestKit(root, { KITCFG_HISTORY_RETENTION: "2" });
      await s3With(small, "a.example", "b.example", "c.example");
      expect((await listHistory(small, { daemon: "s3" })).versions.map((v) => v.keys)).toEqual([
        ["host_base"],
        ["host_base"],
      ]);
      const env = cleanEnv(root, { KITCFG_HISTORY_RETENTION: "1" });
      expect(kitcfg(["update", "s3", "--set", "host_base=d.example"], { root, env }).code).toBe(0);
      expect(JSON.parse(kitcfg(["history", "s3", "--json"], { root, env }).stdout).versions).toHaveLength(1);
      const bad = kitcfg(["history", "s3"], { root, env: cleanEnv(root, { KITCFG_HISTORY_RETENTION: "0" }) });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('History retention must be a whole number of versions, 1 or more: got "0"');
    },
  );
});

describe("diff", () => {
  test("by default, the newest version against the files now", async () => {
    const kit = await openTestKit(root);
    await s3With(kit, "a.example", "b.example");
    const result = await diffHistory(kit, { daemon: "s3" });
    expect(result.to).toBe("current");
    expect(result.diff).toContain("-host_base = a.example\n+host_base = b.example\n");
    expect(result.files).toEqual([{ key: "main", path: s3cfg(), changed: true }]);
  });

  test("--from and --to take ids, unique prefixes or current; an unknown id is NOT_FOUND", async () => {
    const kit = await openTestKit(root);
    await s3With(kit, "a.example", "b.example", "c.example");
    const [newest, middle] = (await listHistory(kit, { daemon: "s3" })).versions;
    const between = await diffHistory(kit, { daemon: "s3", from: middle!.id, to: newest!.id.slice(0, -2) });
    expect(between.diff).toContain("-host_base = a.example\n+host_base = b.example\n");
    expect((await diffHistory(kit, { daemon: "s3", from: "current", to: "current" })).diff).toBe("");
    expect((await caught(diffHistory(kit, { daemon: "s3", from: "1999" }))).code).toBe("NOT_FOUND");
    expect((await caught(diffHistory(kit, { daemon: "s3", from: "2" }))).code).toBe("USAGE");
    expect((await caught(diffHistory(kit, { daemon: "huggingface" }))).message).toBe(
      "No history for huggingface yet: kitcfg keeps a version before every write it makes",
    );
  });

  test("secrets are redacted on both sides, a new value marked as changed", async () => {
    const kit = await openTestKit(root);
    await s3With(kit);
    await update(kit, {
      daemon: "s3",
      requests: [
        { op: "set", key: "secret_key", text: "first-secret-value" },
        { op: "set", key: "access_key", text: "AKIAFIRSTKEY" },
      ],
    });
    await update(kit, { daemon: "s3", requests: [{ op: "set", key: "secret_key", text: "second-secret-value" }] });
    const { diff } = await diffHistory(kit, { daemon: "s3" });
    expect(diff).toContain("-secret_key = <redacted>\n+secret_key = <redacted:changed>\n");
    const oldest = (await listHistory(kit, { daemon: "s3" })).versions.at(-1)!.id;
    const all =
      JSON.stringify(await diffHistory(kit, { daemon: "s3", from: oldest })) +
      JSON.stringify(await listHistory(kit, { daemon: "s3" }));
    for (const secret of ["first-secret-value", "second-secret-value", "AKIAFIRSTKEY"])
      expect(all).not.toContain(secret);
  });
  test("a file whose older versions were pruned is shown as it is now, as restore writes it", async () => {
    const kit = await openTestKit(root, { KITCFG_HISTORY_RETENTION: "2" });
    await configure(kit, { daemon: "huggingface" });
    await update(kit, { daemon: "huggingface", requests: [{ op: "set", key: "token", text: "hf_prunedCase1234" }] });
    const tokenWrite = (await listHistory(kit, { daemon: "huggingface" })).versions[0]!.id;
    // Three writes of config.json: the version it held when the token was written is pruned.
    for (const agent of ["agent/a", "agent/b", "agent/c"])
      await update(kit, { daemon: "huggingface", requests: [{ op: "set", key: "user_agent", text: agent }] });
    const config = join(hfHome(), "config.json");
    const now = readFileSync(config, "utf8");
    const note = `${config}: its versions that old were pruned from history; it is shown (and restored) as it is now`;
    const diff = await diffHistory(kit, { daemon: "huggingface", from: tokenWrite });
    expect(diff.notes).toEqual([note]);
    expect(diff.files.find((f) => f.key === "config")!.changed).toBe(false);
    expect(diff.diff).not.toContain("user_agent");
    const dry = await restoreVersion(kit, { daemon: "huggingface", id: tokenWrite, dryRun: true });
    expect(dry.files.find((f) => f.key === "config")!.action).toBe("unchanged");
    expect(dry.files.find((f) => f.key === "token")!.action).toBe("delete");
    expect(readFileSync(config, "utf8")).toBe(now);
  });

  test("pruned versions are known as such whatever retention the reading command uses", async () => {
    // Written with a retention of 2, read with the default (50): the entries say what came before them.
    const small = await openTestKit(root, { KITCFG_HISTORY_RETENTION: "2" });
    await configure(small, { daemon: "huggingface" });
    const configured = (await listHistory(small, { daemon: "huggingface" })).versions[0]!.id;
    for (const agent of ["agent/a", "agent/b", "agent/c"])
      await update(small, { daemon: "huggingface", requests: [{ op: "set", key: "user_agent", text: agent }] });
    const config = join(hfHome(), "config.json");
    const diff = await diffHistory(await openTestKit(root), { daemon: "huggingface", from: configured });
    // configure wrote config.json too: its version from before that write is the one pruned.
    expect(diff.notes).toContain(
      `${config}: write ${configured} replaced it too, but the version it replaced was pruned from history; ` +
        "it is shown (and restored) as it is now",
    );
    expect(diff.diff).not.toContain("agent/");
  });
});

describe("partly pruned writes", () => {
  const cluster = (file: string) => join(root, ".ipfs-cluster", file);

  async function clusterPruned(): Promise<{ kit: Kit; configured: string }> {
    // configure writes service.json and identity.json; three sets later, only identity.json's version is left.
    const kit = await openTestKit(root, { KITCFG_HISTORY_RETENTION: "2" });
    await configure(kit, { daemon: "ipfs-cluster-service" });
    const configured = (await listHistory(kit, { daemon: "ipfs-cluster-service" })).versions[0]!.id;
    for (const name of ["p1", "p2", "p3"])
      await update(kit, {
        daemon: "ipfs-cluster-service",
        requests: [{ op: "set", key: "cluster.peername", text: name }],
      });
    return { kit, configured };
  }

  test("history lists the file whose version of that write was pruned, as pruned", async () => {
    const { kit, configured } = await clusterPruned();
    const { versions } = await listHistory(kit, { daemon: "ipfs-cluster-service" });
    expect(versions.find((v) => v.id === configured)!.files).toEqual([
      { key: "service", path: cluster("service.json"), absent: false, pruned: true },
      { key: "identity", path: cluster("identity.json"), absent: true },
    ]);
    const listed = kitcfg(["history", "ipfs-cluster-service"], { root });
    expect(listed.stdout).toContain("service (pruned), identity (absent)");
    expect(listed.stdout).toContain("(pruned): that write replaced the file too, but the version it replaced was");
  });

  test("restore refuses a partly pruned write, naming the file; --force puts back the rest", async () => {
    const { kit, configured } = await clusterPruned();
    const before = [readFileSync(cluster("service.json"), "utf8"), readFileSync(cluster("identity.json"), "utf8")];
    const error = await caught(restoreVersion(kit, { daemon: "ipfs-cluster-service", id: configured }));
    expect(error.code).toBe("NOT_FOUND");
    expect(error.message).toBe(
      `Cannot restore version ${configured} of ipfs-cluster-service whole: that write also replaced ` +
        `${cluster("service.json")}, whose version from before it was pruned from history; ` +
        `use --force to put back only ${cluster("identity.json")} and keep the rest as it is now`,
    );
    expect([readFileSync(cluster("service.json"), "utf8"), readFileSync(cluster("identity.json"), "utf8")]).toEqual(
      before,
    );
    const note =
      `${cluster("service.json")}: write ${configured} replaced it too, but the version it replaced was ` +
      "pruned from history; it is shown (and restored) as it is now";
    expect((await diffHistory(kit, { daemon: "ipfs-cluster-service", from: configured })).notes).toEqual([note]);
    const forced = await restoreVersion(kit, {
      daemon: "ipfs-cluster-service",
      id: configured,
      force: true,
      dryRun: true,
    });
    expect(forced.files.map((f) => [f.key, f.action])).toEqual([
      ["service", "unchanged"],
      ["identity", "delete"],
    ]);
    expect(forced.notes).toContain(note);
  });
});

describe("files changed since kitcfg last wrote them", () => {
  test("nothing is said when the files are as kitcfg's last write left them", async () => {
    const kit = await openTestKit(root);
    await s3With(kit, "a.example", "b.example");
    expect((await listHistory(kit, { daemon: "s3" })).notes).toEqual([]);
    expect((await diffHistory(kit, { daemon: "s3" })).notes).toEqual([]);
    expect((await restoreVersion(kit, { daemon: "s3", dryRun: true })).notes).toHaveLength(1);
  });

  test("a file touched, or put back as another file with the same bytes, is not taken for a hand edit", async () => {
    const kit = await openTestKit(root);
    await s3With(kit, "a.example", "b.example");
    const text = readFileSync(s3cfg(), "utf8");
    utimesSync(s3cfg(), new Date(2030, 0, 1), new Date(2030, 0, 1));
    expect((await listHistory(kit, { daemon: "s3" })).notes).toEqual([]);
    // A new inode holding the same bytes (as a settled crash leaves it).
    rmSync(s3cfg());
    writeFileSync(s3cfg(), text, { mode: 0o600 });
    expect((await listHistory(kit, { daemon: "s3" })).notes).toEqual([]);
    writeFileSync(s3cfg(), text.replace("b.example", "c.example"));
    expect((await listHistory(kit, { daemon: "s3" })).notes).toHaveLength(1);
  });

  test("a removed file: history, diff and restore say what kitcfg wrote is not kept, and what comes back", async () => {
    const kit = await openTestKit(root);
    const texts = await s3With(kit, "a.example");
    const write = (await listHistory(kit, { daemon: "s3" })).versions[0]!.id;
    rmSync(s3cfg());
    const lost =
      `${s3cfg()} was removed since kitcfg last wrote it (write ${write}); what that write left is not in ` +
      "history (a version is kept only when a later write replaces it): ";
    expect((await listHistory(kit, { daemon: "s3" })).notes).toEqual([
      `${lost}\`kitcfg restore s3\` gives it as it was before that write`,
    ]);
    expect((await diffHistory(kit, { daemon: "s3" })).notes).toEqual([
      `${lost}\`kitcfg restore s3\` gives it as it was before that write`,
    ]);
    const restored = await restoreVersion(kit, { daemon: "s3" });
    expect(restored.notes).toContain(`${lost}this restore gives it as it was before ${write}`);
    expect(readFileSync(s3cfg(), "utf8")).toBe(texts[0]!);
    expect((await listHistory(kit, { daemon: "s3" })).notes).toEqual([]);
  });

  test("restore says it replaces hand edits, which the next restore brings back", async () => {
    const kit = await openTestKit(root);
    await s3With(kit, "a.example");
    const edited = `${readFileSync(s3cfg(), "utf8")}# kept by hand\n`;
    writeFileSync(s3cfg(), edited);
    const write = (await listHistory(kit, { daemon: "s3" })).versions[0]!.id;
    const restored = await restoreVersion(kit, { daemon: "s3" });
    expect(restored.notes).toContain(
      `${s3cfg()} was changed since kitcfg last wrote it (write ${write}): this restore replaces those changes; ` +
        "history keeps them as the version it replaces (`kitcfg restore s3` afterwards brings them back)",
    );
    await restoreVersion(kit, { daemon: "s3" });
    expect(readFileSync(s3cfg(), "utf8")).toBe(edited);
  });

  test("a file made again by hand after kitcfg's last write removed it is named", async () => {
    const kit = await openTestKit(root);
    await s3With(kit);
    // Undo the configure: the file is removed by kitcfg, then written by hand.
    await restoreVersion(kit, { daemon: "s3" });
    writeFileSync(s3cfg(), "[default]\nhost_base = hand.example\n");
    const write = (await listHistory(kit, { daemon: "s3" })).versions[0]!.id;
    expect((await listHistory(kit, { daemon: "s3" })).notes).toEqual([
      `${s3cfg()} was created again since kitcfg's last write removed it (write ${write}): ` +
        "a restore replaces those changes, keeping them in history",
    ]);
  });

  test("the CLI: set, rm, restore tells what it gives back", () => {
    const config = join(root, ".lotus", "config.toml");
    expect(kitcfg(["configure", "lotus"], { root }).code).toBe(0);
    const first = readFileSync(config, "utf8");
    expect(kitcfg(["set", "lotus", "API.RemoteListenAddress", "a.example:1234"], { root }).code).toBe(0);
    rmSync(config);
    const restored = kitcfg(["restore", "lotus"], { root });
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain(`${config} was removed since kitcfg last wrote it (write `);
    expect(restored.stdout).toContain("what that write left is not in history");
    expect(readFileSync(config, "utf8")).toBe(first);
  });
});

describe("restore", () => {
  test("undoes the last write byte for byte, as a new recorded write that can itself be undone", async () => {
    const kit = await openTestKit(root);
    const texts = await s3With(kit, "a.example", "b.example");
    const result = await restoreVersion(kit, { daemon: "s3" });
    expect(result.kind).toBe("restore");
    expect(result.changedKeys).toEqual(["host_base"]);
    expect(readFileSync(s3cfg(), "utf8")).toBe(texts[1]!);
    const { versions } = await listHistory(kit, { daemon: "s3" });
    expect(versions[0]!.id).toBe(result.history[0]!);
    expect(versions[0]!.kind).toBe("restore");
    await restoreVersion(kit, { daemon: "s3" });
    expect(readFileSync(s3cfg(), "utf8")).toBe(texts[2]!);
  });

  test("any version by id; a dry run shows the diff and writes nothing", async () => {
    const kit = await openTestKit(root);
    const texts = await s3With(kit, "a.example", "b.example", "c.example");
    const oldest = (await listHistory(kit, { daemon: "s3" })).versions.at(-2)!;
    const dry = await restoreVersion(kit, { daemon: "s3", id: oldest.id, dryRun: true });
    expect(dry.diff).toContain("-host_base = c.example\n+host_base = s3.amazonaws.com\n");
    expect(dry.history).toEqual([]);
    expect(readFileSync(s3cfg(), "utf8")).toBe(texts[3]!);
    await restoreVersion(kit, { daemon: "s3", id: oldest.id });
    expect(readFileSync(s3cfg(), "utf8")).toBe(texts[0]!);
  });

  test("a daemon with several files gets them all back as they were, its derived file computed again", async () => {
    const kit = await openTestKit(root);
    // The first write creates the files: only configure does that (update refuses an unconfigured daemon).
    await configure(kit, { daemon: "huggingface", requests: [{ op: "set", key: "offline", text: "true" }] });
    const before = ["config.json", "huggingface.env"].map((f) => readFileSync(join(hfHome(), f), "utf8"));
    await update(kit, {
      daemon: "huggingface",
      requests: [
        { op: "set", key: "offline", text: "false" },
        { op: "set", key: "token", text: "hf_abcdefghijklmnop" },
      ],
    });
    const result = await restoreVersion(kit, { daemon: "huggingface" });
    expect(result.files.map((f) => [f.key, f.action])).toEqual([
      ["config", "replace"],
      ["token", "delete"],
      ["env", "update"],
    ]);
    expect(["config.json", "huggingface.env"].map((f) => readFileSync(join(hfHome(), f), "utf8"))).toEqual(before);
    expect(readdirSync(hfHome()).sort()).toEqual(["config.json", "huggingface.env"]);
    expect(result.diff).not.toContain("hf_abcdefghijklmnop");
  });

  test("a version that no longer validates needs force", async () => {
    const kit = await openTestKit(root);
    await s3With(kit);
    writeFileSync(s3cfg(), readFileSync(s3cfg(), "utf8").replace("use_https = True", "use_https = maybe"));
    await configure(kit, { daemon: "s3", force: true });
    const error = await caught(restoreVersion(kit, { daemon: "s3" }));
    expect(error.code).toBe("INVALID_CONFIG");
    expect(error.message).toMatch(
      /^Cannot restore version \S+ of s3: "use_https": .*; use --force to restore it anyway$/,
    );
    await restoreVersion(kit, { daemon: "s3", force: true });
    expect(readFileSync(s3cfg(), "utf8")).toContain("use_https = maybe");
  });

  test("the CLI: history lists, diff shows, restore puts back; exit 1 for an unknown version", async () => {
    expect(kitcfg(["configure", "s3"], { root }).code).toBe(0);
    expect(kitcfg(["update", "s3", "--set", "host_base=a.example"], { root }).code).toBe(0);
    const listed = kitcfg(["history", "s3"], { root });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain("kitcfg update s3 --set host_base=a.example");
    expect(listed.stdout.split("\n")[0]).toMatch(/^ID\s+REPLACED AT\s+FILES\s+KEYS CHANGED\s+BY$/);
    expect(kitcfg(["diff", "s3"], { root }).stdout).toContain("+host_base = a.example");
    const restored = kitcfg(["restore", "s3"], { root });
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain(`replaced ${s3cfg()}`);
    expect(readFileSync(s3cfg(), "utf8")).toContain("host_base = s3.amazonaws.com");
    const unknown = kitcfg(["restore", "s3", "19990101"], { root });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No version "19990101" in the history of s3');
  });
});
