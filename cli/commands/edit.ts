import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { MAX_CONFIG_BYTES } from "../../core/_big-input.ts";
import { decodeBytes, encodeText } from "../../core/_bytes.ts";
import { beginEdit, finishEdit } from "../../core/edit.ts";
import type { EditSource } from "../../core/edit.ts";
import { exitCodeOf, KitcfgError } from "../../core/errors.ts";
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
    // A private folder: the copy may hold secrets. It is removed unless an edit that was not written is kept there.
    const dir = privateFolder(source.path);
    const copy = join(dir, basename(source.path));
    let keep = false;
    try {
      // The bytes of the file, whatever they are: a stray Latin-1 byte comes back as it was.
      writeCopy(copy, source);
      for (;;) {
        runEditor(editor, copy, out);
        // From here on the copy holds the user's work: whatever fails keeps it, and says where.
        keep = true;
        const where = `${source.path} was left as it was; your edit is kept in ${copy} (readable by you only)`;
        let result: Awaited<ReturnType<typeof finishEdit>>;
        try {
          result = await finishEdit(session, source, editedText(copy, source));
        } catch (error) {
          // Emptied or removed by the editor: there is no edit to keep.
          if (error instanceof KitcfgError && error.code === "CANCELLED") keep = false;
          if (!(error instanceof KitcfgError)) out.io.stderr(`  ${where}\n`);
          if (!(error instanceof KitcfgError) || error.code === "CANCELLED") throw error;
          // Another writer (a lock held too long, the file changed meanwhile), or the disk: nothing to edit again.
          if (error.code === "LOCKED" || error.code === "IO_FAILED")
            throw Object.assign(error, { hint: error.hint ? `${error.hint}; ${where}` : where });
          // Scripted (no terminal, or --json): the refusal is the answer, as every command reports one.
          if (out.json || !out.io.interactive) throw Object.assign(error, { hint: where });
          for (const line of error.message.split("\n")) out.error(line);
          if (!askEditAgain(out)) {
            out.io.stderr(`  ${where}\n`);
            return exitCodeOf(error);
          }
          keep = false;
          continue;
        }
        keep = false;
        if (out.json) out.data(result);
        else if (!result.changed) out.success(`${source.path}: no changes`);
        else renderChange(out, result);
        // Written, but what the file held already still keeps the daemon from starting.
        return result.issues.some((issue) => issue.severity === "error") ? 1 : 0;
      }
    } finally {
      if (!keep) rmSync(dir, { recursive: true, force: true });
    }
  },
);

// --- internal ---

/**
 * A private folder (0700) for the copy, under TMPDIR.
 * @throws KitcfgError `IO_FAILED` when none can be made there.
 */
function privateFolder(file: string): string {
  try {
    return mkdtempSync(join(tmpdir(), "kitcfg-edit-"));
  } catch (error) {
    throw new KitcfgError(
      "IO_FAILED",
      `Cannot edit ${file}: cannot make a private folder for its copy in ${tmpdir()} (${codeOf(error)})`,
      { file, cause: error, hint: "Set TMPDIR to a folder you can write, or free some space there" },
    );
  }
}

/**
 * Write the file's text to the copy the editor opens (readable by the user only).
 * @throws KitcfgError `IO_FAILED` when the disk refuses.
 */
function writeCopy(copy: string, source: EditSource): void {
  try {
    writeFileSync(copy, encodeText(source.text), { mode: 0o600 });
  } catch (error) {
    throw new KitcfgError("IO_FAILED", `Cannot edit ${source.path}: cannot write its copy ${copy} (${codeOf(error)})`, {
      file: source.path,
      cause: error,
      hint: "Set TMPDIR to a folder with free space",
    });
  }
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

/**
 * The edited copy's text, as the file's own bytes would be read: a final newline an editor
 * added to a file that had none is taken back, whatever else changed (it changes no value,
 * and the daemon's own init writes none; vim adds one by default).
 * @throws KitcfgError `CANCELLED` when the editor removed or emptied the copy, or put
 * something else than a file in its place; `IO_FAILED` when it is larger than kitcfg reads
 * in a config file (nothing could read it back) or cannot be read.
 */
function editedText(copy: string, source: EditSource): string {
  let size: number;
  try {
    const stat = statSync(copy);
    if (!stat.isFile()) throw cancelled(`the editor put something else than a file in place of the copy ${copy}`);
    size = stat.size;
  } catch (error) {
    if (error instanceof KitcfgError) throw error;
    throw cancelled(`the editor removed the copy of ${source.path}`);
  }
  if (size === 0) throw cancelled(`the edited ${source.path} is empty`);
  if (size > MAX_CONFIG_BYTES) {
    throw new KitcfgError(
      "IO_FAILED",
      `Cannot write ${source.path}: the edit is ${size} bytes, over the ${MAX_CONFIG_BYTES} bytes (16 MiB) ` +
        "kitcfg reads in a config file; nothing was written",
      { file: source.path },
    );
  }
  let text: string;
  try {
    text = decodeBytes(readFileSync(copy));
  } catch (error) {
    throw new KitcfgError("IO_FAILED", `Cannot read the edited copy ${copy} (${codeOf(error)}): nothing was written`, {
      file: source.path,
      cause: error,
    });
  }
  if (source.text.endsWith("\n")) return text;
  const added = text.endsWith("\r\n") ? 2 : text.endsWith("\n") ? 1 : 0;
  return text.slice(0, text.length - added);
}

function cancelled(what: string): KitcfgError {
  return new KitcfgError("CANCELLED", `Edit cancelled: ${what}; nothing was written`);
}

/**
 * Run the editor on `file` through the shell, so that EDITOR="code --wait" works. With
 * `--json` its output goes to stderr: stdout holds the one JSON document, and nothing else.
 */
function runEditor(editor: string, file: string, out: Output): void {
  const ran = spawnSync("sh", ["-c", `${editor} "$1"`, "kitcfg-edit", file], {
    stdio: out.json ? [0, 2, 2] : "inherit",
    env: out.io.env as NodeJS.ProcessEnv,
    cwd: out.io.cwd,
  });
  if (ran.error || ran.status !== 0) {
    const why = ran.error ? ran.error.message : `exited with ${ran.status ?? ran.signal}`;
    throw new KitcfgError("CANCELLED", `The editor ${JSON.stringify(editor)} ${why}: nothing was written`, {
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
