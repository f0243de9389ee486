import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { beginEdit, finishEdit } from "../../core/edit.ts";
import { KitcfgError } from "../../core/errors.ts";
import { DAEMON_ARG, defineKitcfgCommand, INSTANCE_ARG } from "../command.ts";
import type { Output } from "../../present/output.ts";
import { renderChange } from "../../present/render.ts";

export default defineKitcfgCommand(
  "edit",
  "Edit a daemon's main file in $VISUAL or $EDITOR (else vi): " +
    "checked when the editor exits, written with lock and history",
  { daemon: DAEMON_ARG, instance: INSTANCE_ARG },
  async ({ kit, out, args }) => {
    const session = await kit();
    const source = await beginEdit(session, { daemon: args.daemon, instance: args.instance });
    const editor = out.io.env.VISUAL || out.io.env.EDITOR || "vi";
    // A private folder: the copy may hold secrets, and is removed whatever happens.
    const dir = mkdtempSync(join(tmpdir(), "kitcfg-edit-"));
    const copy = join(dir, basename(source.path));
    try {
      writeFileSync(copy, source.text, { mode: 0o600 });
      for (;;) {
        runEditor(editor, copy, out);
        const text = readFileSync(copy, "utf8");
        if (text === source.text) return (out.success(`${source.path}: no changes`), 0);
        try {
          renderChange(out, await finishEdit(session, source, text));
          return 0;
        } catch (error) {
          if (!(error instanceof KitcfgError) || error.code === "LOCKED") throw error;
          for (const line of error.message.split("\n")) out.error(line);
          if (!askEditAgain(out)) {
            out.error(`${source.path} was left as it was: your edit was discarded`);
            return 1;
          }
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

// --- internal ---

/** Run the editor on `file` through the shell, so that EDITOR="code --wait" works. */
function runEditor(editor: string, file: string, out: Output): void {
  const ran = spawnSync("sh", ["-c", `${editor} "$1"`, "kitcfg-edit", file], {
    stdio: "inherit",
    env: out.io.env as NodeJS.ProcessEnv,
    cwd: out.io.cwd,
  });
  if (ran.error || ran.status !== 0) {
    const why = ran.error ? ran.error.message : `exited with ${ran.status ?? ran.signal}`;
    throw new KitcfgError("USAGE", `The editor ${JSON.stringify(editor)} ${why}: nothing was written`, {
      hint: "Set VISUAL or EDITOR to an editor that exits 0 when saved",
    });
  }
}

/** Ask whether to edit again, as visudo does; without a terminal on stdin nobody can answer: discard. */
function askEditAgain(out: Output): boolean {
  if (!out.io.interactive) return false;
  out.io.stderr("Edit again? [Y/n] (n discards your changes) ");
  const buffer = Buffer.alloc(256);
  let n = 0;
  try {
    n = readSync(0, buffer, 0, buffer.length, null);
  } catch {
    return false;
  }
  const answer = buffer.subarray(0, n).toString("utf8").trim().toLowerCase();
  return n > 0 && (answer === "" || answer === "y" || answer === "yes");
}
