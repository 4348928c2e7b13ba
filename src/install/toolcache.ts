// A cache hit reads a few small files and stats: synchronously, so that the
// hit never loads node:fs/promises (it brings readline and fs watchers with
// it). Writes use fs.promises, loaded then.
import {
  createReadStream,
  lstatSync,
  readFileSync,
  readdirSync,
  statSync,
  promises as fsp
} from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { lazyCrypto } from '../lazy.js'
import * as core from '@actions/core'

/**
 * The runner's tool cache, in @actions/tool-cache's layout
 * (`{RUNNER_TOOL_CACHE}/{tool}/{version}/{arch}` + `{arch}.complete`), so
 * `tc.find` and other actions see our entries. We write entries ourselves
 * instead of `tc.cacheDir` because that copies the directory: here the
 * verified staging directory is renamed into place, which is atomic (two jobs
 * racing on a self-hosted runner cannot leave a half-written entry) and does
 * not copy the binary a second time.
 */

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
  /**
   * stat of every file right after it was hashed, so that a hit rehashes only
   * files whose stat moved (absent in entries of earlier versions: all hashed).
   */
  readonly fingerprints?: Readonly<Record<string, Fingerprint>>
}

/** What a channel hands over: the record minus what commit() measures itself. */
export type FetchedRecord = Omit<VerifiedRecord, 'fingerprint' | 'files' | 'fingerprints'>

interface Fingerprint {
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

export function toolCacheRoot(): string {
  const root = process.env.RUNNER_TOOL_CACHE
  if (!root)
    throw new Error('RUNNER_TOOL_CACHE is not set; is this running on a GitHub Actions runner?')
  return root
}

/** Where a version's entry lives (whether or not it exists yet). */
export function entryDir(tool: string, version: string, arch: string): string {
  return path.join(toolCacheRoot(), tool, version, arch)
}

/**
 * Finds a complete entry and checks it is still what was verified: its
 * record names only files inside the entry, the entry holds exactly the
 * recorded files (plain files, no links), and each is unchanged: the binary,
 * and the small files (launcher, README, completions) alike. The cheap check
 * for each: its inode, size, mtime and ctime are as recorded (any write,
 * rename or chmod moves ctime, which on Linux and macOS no unprivileged
 * process can set back); a file that fails it is hashed again and compared
 * with its digest. With that check, small files need no node:crypto on a
 * hit. On Windows, a file's writer can set its change time
 * (SetFileInformationByHandle), so there the small files, the launcher among
 * them, are hashed on every hit; the binary keeps the stat check (hashing
 * the binary on every hit is what the check exists to avoid). An entry that
 * fails is removed and reported, never used. What this does not prove (a
 * rewritten record) is in README's Security section.
 */
export async function findVerified(
  tool: string,
  version: string,
  arch: string
): Promise<CacheEntry | undefined> {
  const dir = entryDir(tool, version, arch)
  await sweepAbandonedStaging(tool)
  if (!isComplete(dir)) return undefined
  const entry = readEntry(dir)
  const problem = typeof entry === 'string' ? entry : await whyNotIntact(entry)
  if (problem === undefined && typeof entry !== 'string') return entry
  core.warning(
    `The cached ${tool} ${version} in ${dir} was discarded: ${problem}. It was removed and will be downloaded again.`
  )
  await discard(dir)
  return undefined
}

/**
 * tc.find's test for an exact version: the directory and its `.complete`
 * marker exist. Done here so a cache hit loads neither @actions/tool-cache
 * nor semver, which it imports (docs/benchmarks.md, the warm row).
 */
function isComplete(dir: string): boolean {
  try {
    statSync(`${dir}.complete`)
    return statSync(dir).isDirectory()
  } catch {
    return false
  }
}

/** A file name with no directory part, `.` or `..` (Windows separators included). */
const PLAIN_NAME = /^(?!\.\.?$)[A-Za-z0-9._+-]+$/
const SHA256 = /^[0-9a-f]{64}$/

/** A relative path of plain names, `/`-separated. */
function isPlainRelative(rel: string): boolean {
  return rel.split('/').every((part) => PLAIN_NAME.test(part))
}

/** The entry, or why its record cannot be trusted to describe it. */
function readEntry(dir: string): CacheEntry | string {
  let record: VerifiedRecord
  try {
    record = JSON.parse(readFileSync(path.join(dir, RECORD_FILE), 'utf8')) as VerifiedRecord
  } catch {
    return `its record ${RECORD_FILE} is missing or not JSON`
  }
  const { binary, executable, binarySha256, files } = record
  if (typeof binary !== 'string' || !PLAIN_NAME.test(binary))
    return `its record names ${JSON.stringify(binary)} as the binary, which is not a plain file name inside the entry`
  if (typeof executable !== 'string' || !PLAIN_NAME.test(executable))
    return `its record names ${JSON.stringify(executable)} as the executable, which is not a plain file name inside the entry`
  if (typeof binarySha256 !== 'string' || !SHA256.test(binarySha256))
    return 'its record holds no SHA-256 for the binary'
  if (!files || typeof files !== 'object')
    return 'its record lists no files (written by an older version of this action)'
  for (const [rel, digest] of Object.entries(files)) {
    if (!isPlainRelative(rel) || rel === RECORD_FILE)
      return `its record lists ${JSON.stringify(rel)}, which is not a path inside the entry`
    if (typeof digest !== 'string' || !SHA256.test(digest))
      return `its record holds no SHA-256 for ${rel}`
  }
  if (files[binary] !== binarySha256 || !(executable in files))
    return 'its record does not list the binary and the executable among its files'
  return entryFor(dir, record)
}

/** Why the entry no longer matches its record, or undefined when it does. */
async function whyNotIntact(entry: CacheEntry): Promise<string | undefined> {
  const { record, dir } = entry
  let present: Map<string, Fingerprint>
  try {
    present = await regularFiles(dir)
  } catch (error) {
    return (error as Error).message
  }
  present.delete(RECORD_FILE)
  const expected = Object.keys(record.files)
  const extra = [...present.keys()].filter((rel) => !(rel in record.files))
  if (extra.length) return `it holds files that were not installed: ${extra.slice(0, 5).join(', ')}`
  const missing = expected.filter((rel) => !present.has(rel))
  if (missing.length) return `files are missing: ${missing.slice(0, 5).join(', ')}`
  for (const rel of expected) {
    if (rel === record.binary) continue
    // Small files (launcher, README, completions): the same stat check as
    // the binary, hashed again only when it fails (or the record predates it).
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

/** Windows: a file's change time can be set by whoever may write the file (see findVerified). */
const HASH_SMALL_FILES_ALWAYS = process.platform === 'win32'

/** Inode, size, mtime and ctime all as recorded. */
function sameFingerprint(now?: Fingerprint, then?: Fingerprint): boolean {
  return (
    !!now && !!then && Object.entries(now).every(([k, v]) => then[k as keyof Fingerprint] === v)
  )
}

/** Every plain file under dir, by relative path; a link or special file is an error. */
async function regularFiles(dir: string): Promise<Map<string, Fingerprint>> {
  const found = new Map<string, Fingerprint>()
  const walk = async (rel: string): Promise<void> => {
    for (const dirent of readdirSync(path.join(dir, ...rel.split('/').filter(Boolean)), {
      withFileTypes: true
    })) {
      const child = rel ? `${rel}/${dirent.name}` : dirent.name
      if (dirent.isDirectory()) await walk(child)
      else if (dirent.isFile())
        found.set(child, fingerprint(lstatSync(path.join(dir, ...child.split('/')))))
      else throw new Error(`${child} is a link or special file`)
    }
  }
  await walk('')
  return found
}

function fingerprint(s: {
  size: number
  mtimeMs: number
  ctimeMs: number
  ino: number
}): Fingerprint {
  return { size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino }
}

/**
 * Up to this size a file is hashed from one read instead of a stream: a
 * stream per README or completion file made a cache hit measurably slower
 * (npm run bench).
 */
const SMALL_FILE = 1 << 20

function sha256Small(file: string): string {
  return lazyCrypto().createHash('sha256').update(readFileSync(file)).digest('hex')
}

export async function sha256File(file: string): Promise<string> {
  const hash = lazyCrypto().createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/*
 * Staging directories. Each `.staging-<random>` directory has an owner file
 * beside it (`.staging-<random>.owner`: host name and process id), written
 * before the directory exists. A step killed mid-download leaves both; a
 * later run removes them only when it can prove the owner is gone: same host,
 * and no process with that id. Several jobs on one self-hosted runner share
 * the tool cache: a live job's staging directory is never touched. A staging
 * directory without an owner file (from an older version of this action) is
 * removed once it is a day old; one owned by another host is left alone.
 */
const STAGING_PREFIX = '.staging-'
const OWNER_SUFFIX = '.owner'
const ORPHAN_AGE_MS = 24 * 60 * 60 * 1000

interface StagingOwner {
  host: string
  pid: number
}

/**
 * Fresh, private staging directories beside the entries (same filesystem, so
 * commit() can rename). close() removes every one not committed, and the
 * owner files: call it whether the install worked or not.
 */
export function stagingArea(tool: string): {
  create: () => Promise<string>
  close: () => Promise<void>
} {
  const made: string[] = []
  return {
    async create() {
      const dir = await newStagingDir(tool)
      made.push(dir)
      return dir
    },
    async close() {
      for (const dir of made) {
        // A committed directory was renamed away: this removes nothing then.
        await fsp.rm(dir, { recursive: true, force: true })
        await fsp.rm(`${dir}${OWNER_SUFFIX}`, { force: true })
      }
    }
  }
}

async function newStagingDir(tool: string): Promise<string> {
  const parent = path.join(toolCacheRoot(), tool)
  await fsp.mkdir(parent, { recursive: true })
  for (;;) {
    const dir = path.join(parent, `${STAGING_PREFIX}${lazyCrypto().randomBytes(6).toString('hex')}`)
    const owner: StagingOwner = { host: os.hostname(), pid: process.pid }
    try {
      await fsp.writeFile(`${dir}${OWNER_SUFFIX}`, JSON.stringify(owner), { flag: 'wx' })
    } catch (error) {
      if ((error as { code?: string }).code === 'EEXIST') continue
      throw error
    }
    await fsp.mkdir(dir, { mode: 0o700 })
    return dir
  }
}

/**
 * Removes staging directories (and their owner files) left by steps that
 * were killed: see the comment above STAGING_PREFIX for what counts as proof.
 * Never fails the step: a leftover it cannot remove is only reported.
 */
export async function sweepAbandonedStaging(tool: string): Promise<string[]> {
  const parent = path.join(toolCacheRoot(), tool)
  let names: string[]
  try {
    names = readdirSync(parent).filter((n) => n.startsWith(STAGING_PREFIX))
  } catch {
    return []
  }
  const removed: string[] = []
  const owners = names.filter((n) => n.endsWith(OWNER_SUFFIX))
  for (const ownerFile of owners) {
    const base = ownerFile.slice(0, -OWNER_SUFFIX.length)
    if (!ownerIsGone(path.join(parent, ownerFile))) continue
    // The aside copy of a replaced entry (`-old`) belongs to the same owner.
    for (const name of [base, `${base}-old`, ownerFile]) {
      if (!names.includes(name)) continue
      if (await removeQuietly(path.join(parent, name))) removed.push(name)
    }
  }
  for (const name of names) {
    if (name.endsWith(OWNER_SUFFIX) || removed.includes(name)) continue
    const base = name.replace(/-old$/, '')
    if (owners.includes(`${base}${OWNER_SUFFIX}`)) continue
    try {
      if (Date.now() - statSync(path.join(parent, name)).mtimeMs < ORPHAN_AGE_MS) continue
    } catch {
      continue
    }
    if (await removeQuietly(path.join(parent, name))) removed.push(name)
  }
  const dirs = removed.filter((n) => !n.endsWith(OWNER_SUFFIX))
  if (dirs.length)
    core.info(
      `Removed ${dirs.length} staging director${dirs.length === 1 ? 'y' : 'ies'} left in the tool cache by a step that was stopped: ${dirs.join(', ')}`
    )
  return removed
}

/** True only when the owner file proves its process is gone: same host, no such process. */
function ownerIsGone(ownerFile: string): boolean {
  let owner: Partial<StagingOwner>
  try {
    owner = JSON.parse(readFileSync(ownerFile, 'utf8')) as Partial<StagingOwner>
  } catch {
    return false // being written right now, or unreadable: not proof
  }
  if (owner.host !== os.hostname() || !Number.isInteger(owner.pid) || !owner.pid) return false
  if (owner.pid === process.pid) return false
  try {
    process.kill(owner.pid, 0)
    return false
  } catch (error) {
    // EPERM: the process exists (another user's): alive.
    return (error as { code?: string }).code === 'ESRCH'
  }
}

async function removeQuietly(p: string): Promise<boolean> {
  try {
    await fsp.rm(p, { recursive: true, force: true })
    return true
  } catch (error) {
    core.info(`Could not remove the leftover ${p}: ${(error as Error).message}`)
    return false
  }
}

/**
 * Moves a verified staging directory into place and marks it complete. If
 * another job got there first with the same verified binary, its entry is
 * used and ours dropped; a broken leftover is replaced.
 */
export async function commit(
  staging: string,
  tool: string,
  version: string,
  arch: string,
  record: FetchedRecord
): Promise<CacheEntry> {
  // Listed once: reading a file to hash it moves none of its stats (inode,
  // size, mtime, ctime), and nothing else writes our private staging dir.
  const present = await regularFiles(staging)
  const binaryStat = present.get(record.binary)
  if (!binaryStat)
    throw new Error(`${record.binary} is missing from ${staging}; nothing was cached.`)
  const files: Record<string, string> = {}
  for (const rel of present.keys()) {
    // The binary's digest is the one verified while it streamed in; the
    // others (launcher, README, completions) are small and hashed here, in
    // our private staging directory.
    files[rel] =
      rel === record.binary
        ? record.binarySha256
        : await sha256File(path.join(staging, ...rel.split('/')))
  }
  const full: VerifiedRecord = {
    ...record,
    fingerprint: binaryStat,
    files,
    fingerprints: Object.fromEntries(present)
  }
  await fsp.writeFile(path.join(staging, RECORD_FILE), JSON.stringify(full, null, 2))
  const dir = entryDir(tool, version, arch)
  await fsp.mkdir(path.dirname(dir), { recursive: true })
  try {
    await fsp.rename(staging, dir)
  } catch (error) {
    if (!isExistsError(error)) throw error
    const theirs = readEntry(dir)
    if (
      typeof theirs !== 'string' &&
      theirs.record.binarySha256 === record.binarySha256 &&
      (await whyNotIntact(theirs)) === undefined
    ) {
      core.info(
        `Another job installed the same verified ${tool} ${version} at the same time; using its entry.`
      )
      await fsp.rm(staging, { recursive: true, force: true })
      await fsp.writeFile(`${dir}.complete`, '')
      return theirs
    }
    // A leftover from a crashed job or a tampered entry: set it aside, then retry.
    const aside = `${staging}-old`
    await fsp.rename(dir, aside)
    await fsp.rename(staging, dir)
    await fsp.rm(aside, { recursive: true, force: true })
  }
  await fsp.writeFile(`${dir}.complete`, '')
  return entryFor(dir, full)
}

function entryFor(dir: string, record: VerifiedRecord): CacheEntry {
  return {
    dir,
    binaryPath: path.join(dir, record.binary),
    executablePath: path.join(dir, record.executable),
    record
  }
}

function isExistsError(error: unknown): boolean {
  const code = (error as { code?: string }).code
  return code === 'EEXIST' || code === 'ENOTEMPTY' || code === 'EPERM' || code === 'EACCES'
}

/** Removes an entry and its marker. */
export async function discard(dir: string): Promise<void> {
  await fsp.rm(`${dir}.complete`, { force: true })
  await fsp.rm(dir, { recursive: true, force: true })
}
