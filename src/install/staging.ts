// Staging directories beside the tool cache's entries, and the rename that
// moves a verified one into place. tool-cache copies into place (cacheDir);
// we rename, which is atomic (two jobs racing on a self-hosted runner cannot
// leave a half-written entry) and does not copy the binary a second time.
import { lstatSync, readdirSync, promises as fsp } from 'node:fs'
import * as path from 'node:path'
import { lazyCrypto } from '../lazy.js'
import * as core from '@actions/core'
import { printable } from '../text.js'

/** `.staging-<12 hex>`, its `-old` aside, and the `.owner` file of earlier versions of the action. */
const STAGING_NAME = /^\.staging-[0-9a-f]{12}(?:-old|\.owner)?$/
/** Older than this, a staging directory is abandoned: no install takes a day. */
export const ABANDONED_AFTER_MS = 24 * 60 * 60 * 1000

/**
 * Fresh, private staging directories beside the entries (same file system,
 * so the commit can rename). close() removes every one not committed: call
 * it whether the install worked or not.
 */
export function stagingArea(parent: string): {
  create: () => Promise<string>
  close: () => Promise<void>
} {
  const made: string[] = []
  return {
    async create() {
      await fsp.mkdir(parent, { recursive: true })
      for (;;) {
        const dir = path.join(parent, `.staging-${lazyCrypto().randomBytes(6).toString('hex')}`)
        try {
          await fsp.mkdir(dir, { mode: 0o700 })
        } catch (error) {
          if ((error as { code?: string }).code === 'EEXIST') continue
          throw error
        }
        made.push(dir)
        return dir
      }
    },
    async close() {
      // A committed directory was renamed away: this removes nothing then.
      // One still locked stays for the sweep: its error must not hide the step's.
      for (const dir of made) {
        try {
          await fsp.rm(dir, { recursive: true, force: true })
        } catch (error) {
          core.info(
            `Could not remove ${printable(dir)} (${printable((error as Error).message)}); a later install removes it once it is a day old.`
          )
        }
      }
    }
  }
}

/**
 * Removes what a killed step left in `parent`: only names this module makes
 * (anything else in the shared tool cache is not ours to touch), and only
 * once they are a day old (a live job's is younger). Never fails the step.
 */
export async function sweepAbandonedStaging(parent: string, now = Date.now()): Promise<string[]> {
  let names: string[]
  try {
    names = readdirSync(parent).filter((n) => STAGING_NAME.test(n))
  } catch {
    return []
  }
  const removed: string[] = []
  for (const name of names) {
    const file = path.join(parent, name)
    try {
      if (now - lstatSync(file).mtimeMs < ABANDONED_AFTER_MS) continue
      await fsp.rm(file, { recursive: true, force: true })
      removed.push(name)
    } catch (error) {
      core.info(
        `Could not remove the leftover ${printable(file)}: ${printable((error as Error).message)}`
      )
    }
  }
  const dirs = removed.filter((n) => !n.endsWith('.owner'))
  if (dirs.length)
    core.info(
      `Removed ${dirs.length} staging director${dirs.length === 1 ? 'y' : 'ies'} left in the tool cache by a step that was stopped: ${dirs.map(printable).join(', ')}`
    )
  return removed
}

/** What renameIntoPlace needs from the file system (tests simulate a lock). */
export interface RenameOps {
  rename(from: string, to: string): Promise<void>
  exists(p: string): boolean
  sleep(ms: number): Promise<void>
}

export const fsRenameOps: RenameOps = {
  rename: (from, to) => fsp.rename(from, to),
  exists: (p) => {
    try {
      lstatSync(p)
      return true
    } catch {
      return false
    }
  },
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms))
}

/** Codes Windows gives while another process (an antivirus, an indexer) holds a file open. */
const LOCKED = new Set(['EPERM', 'EACCES', 'EBUSY'])
/** Waits between attempts while a file is locked: about 12 s in all. */
const LOCK_WAITS_MS = [50, 100, 200, 400, 800, 1600, 3200, 6000]
const LOCKED_FOR_S = Math.round(LOCK_WAITS_MS.reduce((a, b) => a + b) / 1000)

/**
 * Renames `from` to `to`. Returns 'exists' when `to` is already there (the
 * caller decides whose entry wins). On Windows a rename fails with
 * EPERM/EACCES/EBUSY both when the target exists and while a scanner holds a
 * file just written: with no target, that is a lock, so it waits and tries
 * again instead of reading it as "the entry exists".
 */
export async function renameIntoPlace(
  from: string,
  to: string,
  ops: RenameOps = fsRenameOps
): Promise<'renamed' | 'exists'> {
  for (let attempt = 0; ; attempt++) {
    try {
      await ops.rename(from, to)
      if (attempt) core.info(`Moved into place after ${attempt + 1} attempts.`)
      return 'renamed'
    } catch (error) {
      const code = (error as { code?: string }).code ?? ''
      if (ops.exists(to)) return 'exists'
      if (!LOCKED.has(code) || attempt >= LOCK_WAITS_MS.length) {
        const waited = attempt ? ` after ${attempt + 1} attempts` : ''
        throw new Error(
          `Could not move ${printable(from)} into place as ${printable(to)}${waited} (${code || (error as Error).message}); ` +
            'another program may hold one of its files open. Nothing was cached.',
          { cause: error }
        )
      }
      if (!attempt)
        core.info(
          `The tool cache entry is locked (${code}): another program holds ${printable(from)} or a file in it open; retrying for up to ${LOCKED_FOR_S} s.`
        )
      await ops.sleep(LOCK_WAITS_MS[attempt])
    }
  }
}
