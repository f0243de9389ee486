/**
 * What a failed system call's error code means, in a user's words: one table for every
 * message about a file kitcfg could not read, write, lock or remove.
 */
export function describeErrno(code: string | undefined, error: unknown): string {
  switch (code) {
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOSPC":
      return "no space left on the device";
    case "EDQUOT":
      return "disk quota exceeded";
    case "EROFS":
      return "the file system is read-only";
    case "EISDIR":
      return "it is a folder, not a file";
    case "ENOTDIR":
      return "a parent of it is a file, not a folder";
    case "ENOENT":
      return "its folder does not exist";
    case "EFBIG":
      return "the file is larger than this process may write (its file size limit, `ulimit -f`)";
    case "EBUSY":
      return "the file is busy (a mount point?)";
    case "ELOOP":
      return "too many levels of symbolic links";
    default:
      return code ?? (error instanceof Error ? error.message : String(error));
  }
}
