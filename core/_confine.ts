/**
 * Where a write really lands, and whether kitcfg may write there. Every path kitcfg writes
 * (config files, their folders, history, temporary and lock files) is resolved here one
 * component at a time, each symbolic link checked as it is met:
 *
 * - With a root (`--root`, `KITCFG_ROOT`): a link inside the root must lead to a place
 *   inside the root (both taken with every link resolved). Otherwise the write is refused,
 *   naming the link: a user who can write in the root cannot send root's writes elsewhere.
 * - Always (the rule of Linux's fs.protected_symlinks, plus one for ownership): a link is
 *   followed only when (1) it is owned by the running user or by root, or it leads to a
 *   place owned by the link's own owner (its target, or the nearest existing folder above
 *   a target that does not exist yet); and (2) when it sits in a sticky, world-writable
 *   folder (/tmp), it is owned by the running user or by that folder's owner.
 *
 * The check runs just before the write; a link swapped in between by another user is not
 * seen (Node has no openat(O_NOFOLLOW) walk). Lock files and temporary files are opened
 * with O_NOFOLLOW, so they are never links.
 */
import { lstatSync, readlinkSync, realpathSync, statSync } from "./_fs-sync.ts";
import type { FileStats as Stats } from "./_fs-sync.ts";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { KitcfgError } from "./errors.ts";

/**
 * The real path a write to `path` lands on: every symbolic link followed, even to a target
 * that does not exist yet.
 * @throws KitcfgError `IO_FAILED` when a link leads outside `root`, breaks the ownership
 * rule above, or links loop.
 */
export function resolveForWrite(path: string, root?: string): string {
  // The root's real path matters only at a link: a path with none costs no realpath.
  let realRoot: string | undefined;
  const pending = resolve(path)
    .split(sep)
    .filter((part) => part !== "");
  let current: string = sep;
  let hops = 0;
  while (pending.length > 0) {
    const name = pending.shift()!;
    if (name === ".") continue;
    if (name === "..") {
      current = dirname(current);
      continue;
    }
    const next = join(current, name);
    let stat: Stats | undefined;
    try {
      // No exception for the common case of a file not written yet: throwing one is slow.
      stat = lstatSync(next, { throwIfNoEntry: false });
    } catch {
      stat = undefined;
    }
    // Nothing there yet: the rest is created as given, with no link on the way.
    if (stat === undefined) return join(next, ...pending);
    if (!stat.isSymbolicLink()) {
      current = next;
      continue;
    }
    if (++hops > 40)
      throw refusal(next, `Cannot follow ${path}: too many levels of symbolic links`, "Remove the link loop");
    const link = readlinkSync(next);
    const to = resolve(current, link);
    if (root !== undefined) realRoot ??= realOrSelf(root);
    checkLink({ path, link: next, stat, to, realRoot, root });
    pending.unshift(...to.split(sep).filter((part) => part !== ""));
    current = sep;
  }
  return current;
}

// --- internal ---

interface LinkCheck {
  path: string;
  link: string;
  stat: Stats;
  /** The link's target, absolute, not yet resolved further. */
  to: string;
  realRoot?: string;
  root?: string;
}

function checkLink({ path, link, stat, to, realRoot, root }: LinkCheck): void {
  if (realRoot !== undefined && isInside(realRoot, realOrSelf(dirname(link)))) {
    const lands = realOrSelf(to);
    if (!isInside(realRoot, lands)) {
      throw refusal(
        link,
        `Cannot write ${path}: ${link} is a symbolic link to ${lands}, outside the root ${root}`,
        "Replace the link with a real file or folder inside the root; nothing was changed",
      );
    }
  }
  const uid = process.getuid?.();
  if (uid === undefined || stat.uid === uid) return;
  const folder = statOrUndefined(dirname(link));
  if (folder && (folder.mode & 0o1002) === 0o1002 && stat.uid !== folder.uid) {
    throw refusal(
      link,
      `Cannot write ${path}: refusing to follow ${link}, another user's symbolic link ` +
        `in the shared folder ${dirname(link)}`,
      "A link in a sticky world-writable folder is followed only when it belongs to you or the folder's owner " +
        "(as fs.protected_symlinks); nothing was changed",
    );
  }
  if (stat.uid === 0) return;
  const owner = ownerOf(to);
  if (owner !== undefined && owner !== stat.uid) {
    throw refusal(
      link,
      `Cannot write ${path}: refusing to follow ${link}, ` +
        `a symbolic link of user ${stat.uid} to a place of user ${owner}`,
      "A link owned by another user is followed only to that user's own files; " +
        "replace it with a real file or fix its owner; nothing was changed",
    );
  }
}

/** Owner of a path, or of the nearest existing folder above it. */
function ownerOf(path: string): number | undefined {
  for (let p = path; ; p = dirname(p)) {
    const stat = statOrUndefined(p);
    if (stat) return stat.uid;
    if (dirname(p) === p) return undefined;
  }
}

/** `path` with every link resolved, as far as it exists; the missing rest appended as given. */
function realOrSelf(path: string): string {
  const missing: string[] = [];
  for (let p = resolve(path); ; p = dirname(p)) {
    try {
      return join(realpathSync(p), ...missing.reverse());
    } catch {
      if (dirname(p) === p) return resolve(path);
      missing.push(basename(p));
    }
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

function refusal(link: string, message: string, hint: string): KitcfgError {
  return new KitcfgError("IO_FAILED", message, { file: link, hint });
}
