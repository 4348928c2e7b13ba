import { promises as fsp, statSync } from 'node:fs'
import * as path from 'node:path'
import * as core from '@actions/core'
import { printable } from '../text.js'
import {
  entryFor,
  readEntry,
  recordOf,
  RECORD_FILE,
  whyNotIntact,
  type CacheEntry,
  type FetchedRecord
} from './record.js'
import {
  fsRenameOps,
  renameIntoPlace,
  stagingArea as stagingIn,
  sweepAbandonedStaging,
  type RenameOps
} from './staging.js'

export { RECORD_FILE, sha256File } from './record.js'
export type { CacheEntry, FetchedRecord, VerifiedRecord } from './record.js'

/*
 * The runner's tool cache in @actions/tool-cache's layout
 * (`{RUNNER_TOOL_CACHE}/{tool}/{version}/{arch}` + `{arch}.complete`):
 * tool-cache finds entries (ours and other actions' alike); what it does not
 * offer is ours: the verified record re-checked on every hit (record.ts) and
 * the atomic rename of a verified staging directory into place (staging.ts).
 */

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
 * The highest cached version that satisfies `range` (tc.find), as setup-node
 * does: a range is then met offline. Whether it is intact is findVerified's.
 */
export async function cachedVersionFor(
  tool: string,
  range: string,
  arch: string
): Promise<string | undefined> {
  toolCacheRoot()
  return (await import('./cacheLookup.js')).highestCached(tool, range, arch)
}

/**
 * Finds a complete entry and checks it is still what was verified
 * (record.ts). An entry that fails is removed and reported, never used. What
 * this does not prove (a rewritten record) is in README's Security section.
 */
export async function findVerified(
  tool: string,
  version: string,
  arch: string
): Promise<CacheEntry | undefined> {
  await sweepAbandonedStaging(path.join(toolCacheRoot(), tool))
  const dir = entryDir(tool, version, arch)
  if (!isComplete(dir)) return undefined
  const entry = readEntry(dir)
  const problem = typeof entry === 'string' ? entry : await whyNotIntact(entry)
  if (problem === undefined && typeof entry !== 'string') return entry
  core.warning(
    `The cached ${tool} ${version} in ${printable(dir)} was discarded: ${problem}. It was removed and will be downloaded again.`
  )
  await discard(dir)
  return undefined
}

/**
 * tc.find's test for an exact version (the directory and its `.complete`
 * marker), written out so that an exact hit loads neither tool-cache nor
 * semver, which find parses every version with (docs/benchmarks.md).
 */
function isComplete(dir: string): boolean {
  try {
    statSync(`${dir}.complete`)
    return statSync(dir).isDirectory()
  } catch {
    return false
  }
}

/** Fresh staging directories for `tool`, beside its entries (see staging.ts). */
export function stagingArea(tool: string): ReturnType<typeof stagingIn> {
  return stagingIn(path.join(toolCacheRoot(), tool))
}

/**
 * Records a verified staging directory, renames it into place and marks it
 * complete. If another job got there first with the same verified binary,
 * its entry is used and ours dropped; a broken leftover is replaced.
 */
export async function commit(
  staging: string,
  tool: string,
  version: string,
  arch: string,
  fetched: FetchedRecord,
  ops: RenameOps = fsRenameOps
): Promise<CacheEntry> {
  const record = await recordOf(staging, fetched)
  await fsp.writeFile(path.join(staging, RECORD_FILE), JSON.stringify(record, null, 2))
  const dir = entryDir(tool, version, arch)
  await fsp.mkdir(path.dirname(dir), { recursive: true })
  if ((await renameIntoPlace(staging, dir, ops)) === 'exists') {
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
    if ((await renameIntoPlace(dir, aside, ops)) === 'exists')
      throw new Error(`${printable(aside)} is in the way; nothing was cached.`)
    if ((await renameIntoPlace(staging, dir, ops)) === 'exists')
      throw new Error(
        `Another job replaced ${printable(dir)} at the same time; nothing was cached.`
      )
    await fsp.rm(aside, { recursive: true, force: true })
  }
  await fsp.writeFile(`${dir}.complete`, '')
  return entryFor(dir, record)
}

/** Removes an entry and its marker. */
export async function discard(dir: string): Promise<void> {
  await fsp.rm(`${dir}.complete`, { force: true })
  await fsp.rm(dir, { recursive: true, force: true })
}
