// The verified record kept in each tool-cache entry, and its re-check on a
// hit: policy no library offers (tool-cache trusts any directory with a
// `.complete` marker). Reads on a hit are synchronous, so that a hit never
// loads node:fs/promises (it brings readline and fs watchers with it).
import { createReadStream, lstatSync, readFileSync, readdirSync } from 'node:fs'
import * as path from 'node:path'
import { lazyCrypto } from '../lazy.js'
import * as core from '@actions/core'
import { printable } from '../text.js'

/** Kept inside each entry: what was verified, and how to recheck it. */
export interface VerifiedRecord {
  readonly asset: string
  readonly source: string
  readonly archiveSha256: string
  /** The verified file whose digest is rechecked on a hit (binary or phar). */
  readonly binary: string
  readonly binarySha256: string
  /** What to run: the binary itself, or a launcher beside a phar. */
  readonly executable: string
  /** stat of the binary right after it was written and verified. */
  readonly fingerprint: Fingerprint
  /**
   * Every file of the entry (relative, `/`-separated) and its SHA-256. A hit
   * needs exactly these files: an extra one (a `git` dropped beside the CLI
   * would shadow the real one on PATH) or a changed launcher discards it.
   */
  readonly files: Readonly<Record<string, string>>
  /** stat of every file right after it was hashed: a hit rehashes only files whose stat moved. */
  readonly fingerprints?: Readonly<Record<string, Fingerprint>>
}

/** What a channel hands over: the record minus what commit() measures itself. */
export type FetchedRecord = Omit<VerifiedRecord, 'fingerprint' | 'files' | 'fingerprints'>

export interface Fingerprint {
  size: number
  mtimeMs: number
  ctimeMs: number
  ino: number
}

export const RECORD_FILE = '.setup-upsun-cli.json'

export interface CacheEntry {
  readonly dir: string
  readonly binaryPath: string
  readonly executablePath: string
  readonly record: VerifiedRecord
}

/** A file name with no directory part, `.` or `..` (Windows separators included). */
const PLAIN_NAME = /^(?!\.\.?$)[A-Za-z0-9._+-]+$/
const SHA256 = /^[0-9a-f]{64}$/

const isPlainRelative = (rel: string): boolean =>
  rel.split('/').every((part) => PLAIN_NAME.test(part))

/** The entry, or why its record cannot be trusted to describe it. */
export function readEntry(dir: string): CacheEntry | string {
  let record: VerifiedRecord
  try {
    record = JSON.parse(readFileSync(path.join(dir, RECORD_FILE), 'utf8')) as VerifiedRecord
  } catch {
    return `its record ${RECORD_FILE} is missing or not JSON`
  }
  const { binary, executable, binarySha256, files } = record
  const quoted = (value: unknown): string => printable(JSON.stringify(value) ?? 'nothing')
  if (typeof binary !== 'string' || !PLAIN_NAME.test(binary))
    return `its record names ${quoted(binary)} as the binary, which is not a plain file name inside the entry`
  if (typeof executable !== 'string' || !PLAIN_NAME.test(executable))
    return `its record names ${quoted(executable)} as the executable, which is not a plain file name inside the entry`
  if (typeof binarySha256 !== 'string' || !SHA256.test(binarySha256))
    return 'its record holds no SHA-256 for the binary'
  if (!files || typeof files !== 'object')
    return 'its record lists no files (written by an older version of this action)'
  for (const [rel, digest] of Object.entries(files)) {
    if (!isPlainRelative(rel) || rel === RECORD_FILE)
      return `its record lists ${quoted(rel)}, which is not a path inside the entry`
    if (typeof digest !== 'string' || !SHA256.test(digest))
      return `its record holds no SHA-256 for ${rel}`
  }
  if (files[binary] !== binarySha256 || !(executable in files))
    return 'its record does not list the binary and the executable among its files'
  return entryFor(dir, record)
}

export function entryFor(dir: string, record: VerifiedRecord): CacheEntry {
  return {
    dir,
    binaryPath: path.join(dir, record.binary),
    executablePath: path.join(dir, record.executable),
    record
  }
}

/**
 * Why the entry no longer matches its record, or undefined when it does.
 * The entry must hold exactly the recorded files (plain files, no links),
 * each unchanged. The cheap check for each: its inode, size, mtime and ctime
 * are as recorded (any write, rename or chmod moves ctime, which on Linux
 * and macOS no unprivileged process can set back); a file that fails it is
 * hashed again. On Windows a file's writer can set its change time, so there
 * the small files (the launcher among them) are hashed on every hit; the
 * binary keeps the stat check (hashing it on every hit is what this avoids).
 */
export async function whyNotIntact(entry: CacheEntry): Promise<string | undefined> {
  const { record, dir } = entry
  let present: Map<string, Fingerprint>
  try {
    present = regularFiles(dir)
  } catch (error) {
    return (error as Error).message
  }
  present.delete(RECORD_FILE)
  const expected = Object.keys(record.files)
  const list = (names: string[]): string => names.slice(0, 5).map(printable).join(', ')
  const extra = [...present.keys()].filter((rel) => !(rel in record.files))
  if (extra.length) return `it holds files that were not installed: ${list(extra)}`
  const missing = expected.filter((rel) => !present.has(rel))
  if (missing.length) return `files are missing: ${list(missing)}`
  for (const rel of expected) {
    if (rel === record.binary) continue
    if (!HASH_SMALL_FILES_ALWAYS && sameFingerprint(present.get(rel), record.fingerprints?.[rel]))
      continue
    const file = path.join(dir, ...rel.split('/'))
    const size = present.get(rel)?.size ?? Infinity
    if ((await (size <= SMALL_FILE ? sha256Small(file) : sha256File(file))) !== record.files[rel])
      return `${rel} no longer matches the digest recorded at install`
  }
  if (sameFingerprint(present.get(record.binary), record.fingerprint)) return undefined
  core.info(`The cached binary's file metadata changed since install; checking its SHA-256 again.`)
  return (await sha256File(entry.binaryPath)) === record.binarySha256
    ? undefined
    : `${record.binary} no longer matches the digest verified when it was installed`
}

/** Windows: a file's change time can be set by whoever may write the file. */
const HASH_SMALL_FILES_ALWAYS = process.platform === 'win32'

function sameFingerprint(now?: Fingerprint, then?: Fingerprint): boolean {
  return (
    !!now && !!then && Object.entries(now).every(([k, v]) => then[k as keyof Fingerprint] === v)
  )
}

/** Every plain file under dir, by relative path; a link or special file is an error. */
export function regularFiles(dir: string): Map<string, Fingerprint> {
  const found = new Map<string, Fingerprint>()
  const walk = (rel: string): void => {
    const at = path.join(dir, ...rel.split('/').filter(Boolean))
    for (const dirent of readdirSync(at, { withFileTypes: true })) {
      const child = rel ? `${rel}/${dirent.name}` : dirent.name
      if (dirent.isDirectory()) walk(child)
      else if (dirent.isFile()) {
        const { size, mtimeMs, ctimeMs, ino } = lstatSync(path.join(dir, ...child.split('/')))
        found.set(child, { size, mtimeMs, ctimeMs, ino })
      } else throw new Error(`${printable(child)} is a link or special file`)
    }
  }
  walk('')
  return found
}

/** Up to this size a file is hashed from one read instead of a stream (cheaper on a hit). */
const SMALL_FILE = 1 << 20

function sha256Small(file: string): string {
  return lazyCrypto().createHash('sha256').update(readFileSync(file)).digest('hex')
}

export async function sha256File(file: string): Promise<string> {
  const hash = lazyCrypto().createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/**
 * The full record of a verified staging directory: every file hashed (the
 * binary's digest is the one verified while it streamed in) and its stat.
 */
export async function recordOf(staging: string, fetched: FetchedRecord): Promise<VerifiedRecord> {
  // Listed once: reading a file to hash it moves none of its stats, and
  // nothing else writes our private staging directory.
  const present = regularFiles(staging)
  const fingerprint = present.get(fetched.binary)
  if (!fingerprint)
    throw new Error(`${fetched.binary} is missing from ${staging}; nothing was cached.`)
  const files: Record<string, string> = {}
  for (const rel of present.keys()) {
    files[rel] =
      rel === fetched.binary
        ? fetched.binarySha256
        : await sha256File(path.join(staging, ...rel.split('/')))
  }
  return { ...fetched, fingerprint, files, fingerprints: Object.fromEntries(present) }
}
