import * as core from '@actions/core'
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { access, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import * as path from 'node:path'

/**
 * The runner's tool cache, in @actions/tool-cache's layout
 * (`{RUNNER_TOOL_CACHE}/{tool}/{version}/{arch}` + `{arch}.complete`), so
 * `tc.find` and other actions see our entries. We write entries ourselves
 * instead of `tc.cacheDir` because that copies the directory: here the
 * verified staging directory is renamed into place, which is atomic (two jobs
 * racing on a self-hosted runner cannot leave a half-written entry) and does
 * not copy the 54 MB binary a second time.
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
}

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
 * Finds a complete entry and checks it is still what was verified. The
 * cheap check: the binary's inode, size, mtime and ctime are unchanged since
 * install (any write or chmod moves ctime, which no unprivileged process can
 * set back). If that differs, the whole binary is hashed again. An entry that
 * fails is removed and reported, never used.
 */
export async function findVerified(
  tool: string,
  version: string,
  arch: string
): Promise<CacheEntry | undefined> {
  const dir = entryDir(tool, version, arch)
  if (!(await isComplete(dir))) return undefined
  const entry = await readEntry(dir)
  if (entry && (await isIntact(entry))) return entry
  core.warning(
    `The cached ${tool} ${version} in ${dir} no longer matches the digest verified when it was installed; it was removed and will be downloaded again.`
  )
  await discard(dir)
  return undefined
}

/**
 * tc.find's test for an exact version: the directory and its `.complete`
 * marker exist. Done here so a cache hit loads neither @actions/tool-cache
 * nor semver, which it imports (architecture.md §5, measured by npm run bench).
 */
async function isComplete(dir: string): Promise<boolean> {
  try {
    await access(`${dir}.complete`)
    return (await stat(dir)).isDirectory()
  } catch {
    return false
  }
}

async function readEntry(dir: string): Promise<CacheEntry | undefined> {
  try {
    const record = JSON.parse(await readFile(path.join(dir, RECORD_FILE), 'utf8')) as VerifiedRecord
    if (
      typeof record.binary !== 'string' ||
      typeof record.executable !== 'string' ||
      !/^[0-9a-f]{64}$/.test(record.binarySha256)
    )
      return undefined
    return entryFor(dir, record)
  } catch {
    return undefined
  }
}

async function isIntact(entry: CacheEntry): Promise<boolean> {
  try {
    const now = fingerprint(await stat(entry.binaryPath))
    const then = entry.record.fingerprint
    if (then && Object.entries(now).every(([k, v]) => then[k as keyof Fingerprint] === v))
      return true
    core.info(
      `The cached binary's file metadata changed since install; checking its SHA-256 again.`
    )
    return (await sha256File(entry.binaryPath)) === entry.record.binarySha256
  } catch {
    return false
  }
}

function fingerprint(s: {
  size: number
  mtimeMs: number
  ctimeMs: number
  ino: number
}): Fingerprint {
  return { size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino }
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** A fresh, private staging directory beside the entries (same filesystem). */
export async function stagingDir(tool: string): Promise<string> {
  const parent = path.join(toolCacheRoot(), tool)
  await mkdir(parent, { recursive: true })
  return mkdtemp(path.join(parent, '.staging-'))
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
  record: Omit<VerifiedRecord, 'fingerprint'>
): Promise<CacheEntry> {
  const binaryPath = path.join(staging, record.binary)
  const full: VerifiedRecord = { ...record, fingerprint: fingerprint(await stat(binaryPath)) }
  await writeFile(path.join(staging, RECORD_FILE), JSON.stringify(full, null, 2))
  const dir = entryDir(tool, version, arch)
  await mkdir(path.dirname(dir), { recursive: true })
  try {
    await rename(staging, dir)
  } catch (error) {
    if (!isExistsError(error)) throw error
    const theirs = await readEntry(dir)
    if (theirs && theirs.record.binarySha256 === record.binarySha256 && (await isIntact(theirs))) {
      core.info(
        `Another job installed the same verified ${tool} ${version} at the same time; using its entry.`
      )
      await rm(staging, { recursive: true, force: true })
      await writeFile(`${dir}.complete`, '')
      return theirs
    }
    // A leftover from a crashed job or a tampered entry: set it aside, then retry.
    const aside = `${staging}-old`
    await rename(dir, aside)
    await rename(staging, dir)
    await rm(aside, { recursive: true, force: true })
  }
  await writeFile(`${dir}.complete`, '')
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
  await rm(`${dir}.complete`, { force: true })
  await rm(dir, { recursive: true, force: true })
}
