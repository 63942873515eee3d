/** What the OS said, in words, for a message: `permission denied (EACCES)`. */
const REASONS: Readonly<Record<string, string>> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EFBIG: "file too large",
  EISDIR: "it is a folder",
  ENOTDIR: "a part of the path is not a folder",
  ENOENT: "it does not exist",
  ELOOP: "symlink loop",
  ENAMETOOLONG: "the name is too long",
  EEXIST: "it already exists",
  EIO: "input/output error",
  ENXIO: "no such device or address",
  EBUSY: "the resource is busy",
  EMFILE: "too many open files",
  ENFILE: "too many open files in the system",
  EXDEV: "it is on another file system",
  EINVAL: "invalid argument",
};

/** The errno code of an error thrown by `node:fs`, if any. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}

/** `permission denied (EACCES)`; for an error that is not the OS's, its message. */
export function osReason(error: unknown): string {
  const code = errnoCode(error);
  if (code !== undefined) return `${REASONS[code] ?? "system error"} (${code})`;
  return error instanceof Error ? error.message : String(error);
}
