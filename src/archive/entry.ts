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
