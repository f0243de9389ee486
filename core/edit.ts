import { finish } from "./change.ts";
import type { ChangeResult } from "./change.ts";
import { KitcfgError } from "./errors.ts";
import type { Kit } from "./kit.ts";
import { assemblePlan } from "./plan.ts";
import type { Plan } from "./plan.ts";
import { secretsOf } from "./redact.ts";
import { readSnapshot, snapshotOf } from "./snapshot.ts";
import { commandWords } from "./target.ts";
import type { Target } from "./target.ts";
import { validateSnapshot } from "./_planned.ts";
import { newIssues, refusalError } from "./validate.ts";

/** A daemon's main file as an editor gets it. */
export interface EditSource {
  daemon: string;
  instance?: string;
  /** Absolute path of the file on disk. */
  path: string;
  /** Its text when the edit began: the write is refused if the file changed meanwhile. */
  text: string;
}

/**
 * The main file of a daemon (its first file at the root of the configuration), to edit.
 * @throws KitcfgError `NOT_FOUND` when it does not exist yet; `IO_FAILED` when unreadable.
 */
export async function beginEdit(kit: Kit, options: { daemon: string; instance?: string }): Promise<EditSource> {
  const target = kit.target(options.daemon, options.instance);
  const main = (await readSnapshot(target)).files.find((f) => f.file.main);
  if (!main) throw new KitcfgError("NOT_FOUND", `${target.label} has no main file to edit`);
  if (main.text === undefined) {
    throw new KitcfgError("NOT_FOUND", `${target.label} is not configured: ${main.file.path} does not exist`, {
      hint: `Run \`kitcfg configure ${commandWords(target.plugin.name, target.instance)}\` first`,
      file: main.file.path,
    });
  }
  return {
    daemon: target.plugin.name,
    ...(target.instance ? { instance: target.instance } : {}),
    path: main.file.path,
    text: main.text,
  };
}

/**
 * Write the edited text of the main file through the same lock, history and atomic write
 * as an update, files derived from it brought along. Refused, with nothing written, when
 * the text does not parse, when it has validation errors the file did not have, or when
 * the file changed on disk since `beginEdit`.
 * @throws `ParseError`, `ValidationError`, KitcfgError `LOCKED` (changed meanwhile).
 */
export async function finishEdit(
  kit: Kit,
  source: EditSource,
  text: string,
  options: { dryRun?: boolean } = {},
): Promise<ChangeResult> {
  const target = kit.target(source.daemon, source.instance);
  return finish(kit, await planEdit(target, source, text), options.dryRun ?? false);
}

// --- internal ---

async function planEdit(target: Target, source: EditSource, text: string): Promise<Plan> {
  const disk = await readSnapshot(target);
  const main = disk.files.find((f) => f.file.main)!;
  if (main.text !== source.text) {
    throw new KitcfgError("LOCKED", `${main.file.path} changed while it was being edited: nothing was written`, {
      file: main.file.path,
      hint: `Run \`kitcfg edit ${commandWords(target.plugin.name, target.instance)}\` again to edit the new version`,
    });
  }
  const states = new Map(disk.files.map((f) => [f.file.key, { text: f.file.main ? text : f.text, mode: f.mode }]));
  const edited = await snapshotOf(target, states);
  const broken = edited.files.find((f) => f.error && !f.file.spec.derive);
  if (broken?.error) throw broken.error;
  // A check that reads the file's raw text (a daemon reading a number's spelling) reads the edited text.
  const issues = await validateSnapshot(edited);
  const before = disk.configured ? await validateSnapshot(disk) : [];
  const refused = newIssues(before, issues).filter((issue) => issue.severity === "error");
  if (refused.length > 0) {
    const secrets = secretsOf(target, disk.config, edited.config);
    throw refusalError(refused, (issue) => `${target.label}: "${issue.key || "(file)"}": ${issue.message}`, secrets);
  }
  return assemblePlan({
    kind: "edit",
    target,
    snapshot: edited,
    after: edited.config,
    disk: new Map(disk.files.map((f) => [f.file.key, f.text])),
    before: disk.config,
    issues,
    recompute: () => planEdit(target, source, text),
  });
}
