import { createWriteStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import * as path from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { crc32 } from 'node:zlib'
import yauzl from 'yauzl'
import { ActionError } from '../errors.js'
import { ArchiveTooLarge, MAX_ENTRIES, MAX_UNPACKED_BYTES, safeEntryPath } from './entry.js'

/*
 * Windows release zips, read by yauzl, a widely used zip reader, in this
 * process: tool-cache's extractZip runs PowerShell on Windows (and the job's
 * whole environment with it), and the Windows suite runs under Wine, which has
 * no PowerShell. Our policy sits on top, the same as tar.ts's (entry.ts): the
 * whole directory is checked before a byte is written.
 */

/** One checked entry of the zip's central directory. */
interface Checked {
  readonly entry: yauzl.Entry
  readonly name: string
  /** Where it unpacks to (inside `dest`). */
  readonly target: string
  readonly directory: boolean
  readonly mode: number
}

const S_IFMT = 0o170000
const S_IFREG = 0o100000
const S_IFDIR = 0o040000
const S_IFLNK = 0o120000
const MADE_ON_UNIX = 3

/**
 * Refuses the zip if any entry could land outside `dest`, is anything but a
 * file or directory (a symbolic link above all), or if the sizes its
 * directory declares exceed the cap; returns the entries otherwise.
 */
async function checkedEntries(
  zip: yauzl.ZipFile,
  dest: string,
  maxBytes: number
): Promise<Checked[]> {
  if (zip.entryCount > MAX_ENTRIES) {
    throw new ActionError(
      `The archive holds more than ${MAX_ENTRIES} entries; release archives hold a handful, so it was refused.`
    )
  }
  const checked: Checked[] = []
  let declared = 0
  for await (const entry of zip.eachEntry()) {
    // Raw bytes (decodeStrings: false): our policy judges the name, not yauzl's.
    const name = Buffer.from(entry.fileName).toString('utf8')
    const target = safeEntryPath(dest, name)
    const unix = entry.versionMadeBy >> 8 === MADE_ON_UNIX ? entry.externalFileAttributes >>> 16 : 0
    const type = unix & S_IFMT
    const directory = name.endsWith('/')
    if (type !== 0 && type !== (directory ? S_IFDIR : S_IFREG)) {
      const kind = type === S_IFLNK ? 'a symbolic link' : 'not a plain file'
      throw new ActionError(
        `The archive entry ${JSON.stringify(name)} is ${kind}; release archives hold only files and directories, so it was refused.`
      )
    }
    if (entry.isEncrypted()) throw corrupt(name, 'is encrypted')
    if (!directory && !entry.canDecodeFileData()) throw corrupt(name, 'uses an unknown method')
    declared += entry.uncompressedSize
    if (declared > maxBytes) throw new ArchiveTooLarge(maxBytes)
    checked.push({ entry, name, target, directory, mode: unix & 0o111 ? 0o755 : 0o644 })
  }
  return checked
}

/** The zip, open; yauzl's own failures in words a workflow's author can act on. */
async function openZip(file: string): Promise<yauzl.ZipFile> {
  try {
    return await yauzl.openPromise(file, {
      lazyEntries: true,
      autoClose: false,
      decodeStrings: false,
      validateEntrySizes: true
    })
  } catch (error) {
    throw unreadable(error)
  }
}

/** The entry names of a zip that passes the checks (for tests and the log). */
export async function checkZipEntries(
  file: string,
  dest: string,
  maxBytes = MAX_UNPACKED_BYTES
): Promise<string[]> {
  const zip = await openZip(file)
  try {
    return (await checkedEntries(zip, dest, maxBytes).catch(rethrow)).map((c) => c.name)
  } finally {
    zip.close()
  }
}

/**
 * Unpacks a verified zip into `dest` (which must not exist yet). Every entry
 * is checked first; then each file is created exclusively ('wx': never
 * through or over something already there), and its size and CRC-32 are
 * checked against the directory as it streams.
 */
export async function extractZip(
  file: string,
  dest: string,
  maxBytes = MAX_UNPACKED_BYTES
): Promise<void> {
  const zip = await openZip(file)
  try {
    const entries = await checkedEntries(zip, dest, maxBytes).catch(rethrow)
    await mkdir(dest)
    for (const { entry, name, target, directory, mode } of entries) {
      if (directory) {
        await mkdir(target, { recursive: true })
        continue
      }
      await mkdir(path.dirname(target), { recursive: true })
      const source = await zip.openReadStreamPromise(entry).catch(rethrow)
      let crc = 0
      const check = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          crc = crc32(chunk, crc)
          done(null, chunk)
        }
      })
      await pipeline(source, check, createWriteStream(target, { flags: 'wx', mode })).catch(
        (error: unknown) => {
          if ((error as { syscall?: string }).syscall) throw error // our file system's
          throw corrupt(name, `does not match its size (${(error as Error).message})`)
        }
      )
      if (crc >>> 0 !== entry.crc32) throw corrupt(name, 'does not match its CRC-32')
    }
  } finally {
    zip.close()
  }
}

function corrupt(name: string, what: string): ActionError {
  return new ActionError(
    `The zip entry ${JSON.stringify(name)} ${what}; the archive is corrupt, so nothing was installed.`
  )
}

function unreadable(error: unknown): Error {
  if (error instanceof ActionError) return error
  return new ActionError(
    `The zip archive could not be read (${(error as Error).message}); refused, nothing was installed.`,
    { cause: error }
  )
}

function rethrow(error: unknown): never {
  throw unreadable(error)
}
