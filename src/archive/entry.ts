import * as path from 'node:path'
import { ActionError } from '../errors.js'

/*
 * The policy every archive entry must pass, whatever the format: release
 * archives hold only plain files and directories with relative names.
 */

/**
 * Resolves an archive entry's name inside `dest`; refuses absolute paths,
 * drive letters, backslashes, NUL, empty and `..` segments, and anything
 * that would resolve outside `dest`. Shared by the tar and zip checks.
 */
export function safeEntryPath(dest: string, name: string): string {
  const clean = name.replace(/^\.\/+/, '').replace(/\/+$/, '')
  const segments = clean.split('/')
  const unsafe =
    clean === '' ||
    clean.startsWith('/') ||
    /^[A-Za-z]:/.test(clean) ||
    clean.includes('\\') ||
    clean.includes('\0') ||
    segments.some((s) => s === '..' || s === '')
  const resolved = path.resolve(dest, ...segments)
  if (unsafe || !resolved.startsWith(path.resolve(dest) + path.sep)) {
    throw new ActionError(
      `The archive entry ${JSON.stringify(name)} points outside the directory it is unpacked into; refused.`
    )
  }
  return resolved
}

/**
 * The most an archive may unpack to: room for the real CLI to grow several
 * times over, while a gzip bomb stops long before it fills the disk.
 */
export const MAX_UNPACKED_BYTES = 512 * 1024 * 1024
/** The most entries an archive may hold (the real one has a handful). */
export const MAX_ENTRIES = 10_000

/** The archive would unpack to more than the cap: refused at once, whatever the digest says. */
export class ArchiveTooLarge extends ActionError {
  constructor(maxBytes: number) {
    super(
      `The archive unpacks to more than ${Math.round(maxBytes / 1024 / 1024)} MiB; a release of the CLI unpacks to about 55 MB per architecture (macOS's universal binary holds two), ` +
        'so this is not what the vendor publishes. Unpacking stopped there and nothing was installed. ' +
        'If a mirror or proxy serves this file, check that it is intact.'
    )
    this.name = 'ArchiveTooLarge'
  }
}
