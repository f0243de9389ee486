/**
 * POSIX path functions with node:path's results, for the compiled binary: loading node:path
 * costs about 2 ms of start-up (hello-world binaries with and without it, measured side by
 * side), a tenth of a `get`. build.ts serves this module for `node:path` in kitcfg's own
 * files; kitcfg runs on Linux and macOS only, whose paths are POSIX. Running from source
 * (and in tests) keeps node:path, and tests/core/path.test.ts compares the two.
 */

export const sep = "/";
export const delimiter = ":";

export function isAbsolute(path: string): boolean {
  return path.startsWith("/");
}

/** `.` and `..` segments resolved and repeated slashes folded; a trailing slash kept. */
export function normalize(path: string): string {
  if (path === "") return ".";
  const absolute = isAbsolute(path);
  const body = fold(path, absolute);
  const trailing = path.endsWith("/");
  if (absolute) return `/${body}${body && trailing ? "/" : ""}`;
  const text = body === "" ? "." : body;
  return trailing ? `${text}/` : text;
}

export function join(...paths: string[]): string {
  const parts = paths.filter((p) => p !== "");
  return parts.length === 0 ? "." : normalize(parts.join("/"));
}

/** An absolute path: `paths` from the right until one is absolute, then the working folder. */
export function resolve(...paths: string[]): string {
  let joined = "";
  for (let i = paths.length - 1; i >= 0 && !isAbsolute(joined); i--) {
    const part = paths[i]!;
    if (part !== "") joined = joined === "" ? part : `${part}/${joined}`;
  }
  if (!isAbsolute(joined)) joined = joined === "" ? process.cwd() : `${process.cwd()}/${joined}`;
  return `/${fold(joined, true)}`;
}

/** The folder part of `path`: all before its last segment, without trailing slashes past the first. */
export function dirname(path: string): string {
  if (path === "") return ".";
  const end = trimSlashes(path);
  if (end === 0) return "/";
  const slash = path.lastIndexOf("/", end - 1);
  if (slash === -1) return ".";
  if (slash === 0) return "/";
  if (slash === 1 && path.startsWith("/")) return "//"; // as node:path gives it
  return path.slice(0, slash);
}

/** The last segment of `path`, trailing slashes ignored (node's second argument is not offered). */
export function basename(path: string): string {
  const end = trimSlashes(path);
  return path.slice(path.lastIndexOf("/", end - 1) + 1, end);
}

/** From the last `.` of the last segment on; empty when there is none, it starts the segment, or that is `..`. */
export function extname(path: string): string {
  const base = basename(path);
  const dot = base.lastIndexOf(".");
  return dot <= 0 || base === ".." ? "" : base.slice(dot);
}

/** The path from `from` to `to`, both resolved first. */
export function relative(from: string, to: string): string {
  const a = resolve(from).split("/").filter(Boolean);
  const b = resolve(to).split("/").filter(Boolean);
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return [...a.slice(common).map(() => ".."), ...b.slice(common)].join("/");
}

export const posix = { sep, delimiter, isAbsolute, normalize, join, resolve, dirname, basename, extname, relative };

// --- internal ---

/** A slash pair, a `.` or `..` segment, or a slash at the end: what `fold` has to change. */
const UNFOLDED = /\/\/|(^|\/)\.\.?(\/|$)|\/$/;

/** The segments of `path` with `.` and `..` resolved, joined by single slashes. */
function fold(path: string, absolute: boolean): string {
  // Most paths are folded already (a server resolves the same ones on every call).
  if (!UNFOLDED.test(path)) return absolute ? path.slice(1) : path;
  const out: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment !== "..") out.push(segment);
    else if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else if (!absolute) out.push("..");
  }
  return out.join("/");
}

/** The end of `path` without its trailing slashes (0 for a path of slashes only). */
function trimSlashes(path: string): number {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 47) end--;
  return end;
}
