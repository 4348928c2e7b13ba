// The tool cache on a real temporary directory: entries are committed by
// rename (so concurrent jobs and leftovers never leave half an entry), and a
// hit is used only while its binary is unchanged since it was verified.
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import { createHash } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  utimesSync,
  writeFileSync
} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as core from '../../__fixtures__/core.js'

jest.unstable_mockModule('@actions/core', () => core)
const {
  RECORD_FILE,
  cachedVersionFor,
  commit,
  discard,
  entryDir,
  findVerified,
  stagingArea,
  toolCacheRoot
} = await import('../../src/install/toolcache.js')
const { fsRenameOps, sweepAbandonedStaging } = await import('../../src/install/staging.js')
type RenameOps = import('../../src/install/staging.js').RenameOps

const BINARY = 'upsun'
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex')
const record = (content: string) => ({
  asset: 'upsun_5.11.1_linux_amd64.tar.gz',
  source: 'checksums.txt',
  archiveSha256: 'a'.repeat(64),
  binary: BINARY,
  binarySha256: sha256(content),
  executable: BINARY
})

let root: string
let area: ReturnType<typeof stagingArea>
beforeEach(() => {
  jest.resetAllMocks()
  core.resetCore()
  root = mkdtempSync(path.join(os.tmpdir(), 'toolcache-test-'))
  process.env.RUNNER_TOOL_CACHE = root
  area = stagingArea('upsun')
})

/** A verified download in a fresh staging directory. */
async function staged(content = '#!/bin/sh\necho 5.11.1\n'): Promise<string> {
  const dir = await area.create()
  writeFileSync(path.join(dir, BINARY), content, { mode: 0o755 })
  return dir
}

describe('the tool cache', () => {
  it('needs RUNNER_TOOL_CACHE, and says so', () => {
    delete process.env.RUNNER_TOOL_CACHE
    expect(() => toolCacheRoot()).toThrow(/RUNNER_TOOL_CACHE is not set/)
  })

  it('commits a staging directory by rename, in @actions/tool-cache’s layout', async () => {
    const staging = await staged()
    const entry = await commit(
      staging,
      'upsun',
      '5.11.1',
      'x64',
      record('#!/bin/sh\necho 5.11.1\n')
    )
    expect(entry.dir).toBe(path.join(root, 'upsun', '5.11.1', 'x64'))
    expect(existsSync(staging)).toBe(false)
    expect(existsSync(`${entry.dir}.complete`)).toBe(true)
    const saved = JSON.parse(readFileSync(path.join(entry.dir, RECORD_FILE), 'utf8')) as {
      fingerprint: { size: number }
    }
    expect(saved.fingerprint.size).toBe(22)
    // Staging directories live beside the entries (same file system), hidden,
    // and closing the area removes what was not committed.
    await area.close()
    expect(readdirSync(path.join(root, 'upsun'))).toEqual(['5.11.1'])
  })

  it('finds a committed entry while its binary is unchanged', async () => {
    const content = '#!/bin/sh\necho 5.11.1\n'
    await commit(await staged(content), 'upsun', '5.11.1', 'x64', record(content))
    const hit = await findVerified('upsun', '5.11.1', 'x64')
    expect(hit?.executablePath).toBe(path.join(root, 'upsun', '5.11.1', 'x64', BINARY))
    expect(core.warning).not.toHaveBeenCalled()
  })

  it('misses when there is no entry, or no .complete marker', async () => {
    await expect(findVerified('upsun', '5.11.1', 'x64')).resolves.toBeUndefined()
    mkdirSync(entryDir('upsun', '5.11.1', 'x64'), { recursive: true })
    await expect(findVerified('upsun', '5.11.1', 'x64')).resolves.toBeUndefined()
  })

  it('rehashes a binary whose metadata changed, and keeps it if the digest still matches', async () => {
    const content = '#!/bin/sh\necho 5.11.1\n'
    const entry = await commit(await staged(content), 'upsun', '5.11.1', 'x64', record(content))
    utimesSync(entry.binaryPath, new Date(2000, 1, 1), new Date(2000, 1, 1))
    await expect(findVerified('upsun', '5.11.1', 'x64')).resolves.toBeDefined()
    expect(core.info).toHaveBeenCalledWith(expect.stringMatching(/checking its SHA-256 again/))
  })

  describe('small files (README, completions, a launcher)', () => {
    const content = '#!/bin/sh\necho 5.11.1\n'
    /** An entry with a README and a completion file beside the binary. */
    async function withSmallFiles() {
      const staging = await staged(content)
      writeFileSync(path.join(staging, 'README.md'), '# Upsun CLI\n')
      mkdirSync(path.join(staging, 'completion', 'bash'), { recursive: true })
      writeFileSync(
        path.join(staging, 'completion', 'bash', 'upsun.bash'),
        'complete -F _upsun upsun\n'
      )
      return commit(staging, 'upsun', '5.11.1', 'x64', record(content))
    }
    const readme = (entry: { dir: string }) => path.join(entry.dir, 'README.md')

    it('are recorded with their stat, and a hit reads none of them again (no hashing at all)', async () => {
      const entry = await withSmallFiles()
      expect(Object.keys(entry.record.fingerprints ?? {}).sort()).toEqual(
        ['README.md', 'completion/bash/upsun.bash', BINARY].sort()
      )
      const builtins = jest.spyOn(process, 'getBuiltinModule')
      try {
        await expect(findVerified('upsun', '5.11.1', 'x64')).resolves.toBeDefined()
        expect(builtins).not.toHaveBeenCalledWith('node:crypto')
      } finally {
        builtins.mockRestore()
      }
    })

    it('one whose stat moved is hashed again, and kept when its bytes are the same', async () => {
      const entry = await withSmallFiles()
      writeFileSync(readme(entry), '# Upsun CLI\n')
      const builtins = jest.spyOn(process, 'getBuiltinModule')
      try {
        await expect(findVerified('upsun', '5.11.1', 'x64')).resolves.toBeDefined()
        // It was hashed (node:crypto taken), not waved through.
        expect(builtins).toHaveBeenCalledWith('node:crypto')
      } finally {
        builtins.mockRestore()
      }
      expect(core.warning).not.toHaveBeenCalled()
    })

    it('one whose bytes changed discards the entry', async () => {
      const entry = await withSmallFiles()
      writeFileSync(readme(entry), '# Upsun CLI, with a twist\n')
      await expect(findVerified('upsun', '5.11.1', 'x64')).resolves.toBeUndefined()
      expect(core.warning).toHaveBeenCalledWith(
        expect.stringMatching(/README.md no longer matches the digest recorded at install/)
      )
      expect(existsSync(entry.dir)).toBe(false)
    })

    it('an entry recorded before stats were kept is checked by hashing them', async () => {
      const entry = await withSmallFiles()
      const file = path.join(entry.dir, RECORD_FILE)
      const older = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
      delete older.fingerprints
      writeFileSync(file, JSON.stringify(older))
      await expect(findVerified('upsun', '5.11.1', 'x64')).resolves.toBeDefined()
      writeFileSync(readme(entry), 'changed\n')
      await expect(findVerified('upsun', '5.11.1', 'x64')).resolves.toBeUndefined()
    })
  })

  it('removes a tampered entry with a warning instead of using it', async () => {
    const content = '#!/bin/sh\necho 5.11.1\n'
    const entry = await commit(await staged(content), 'upsun', '5.11.1', 'x64', record(content))
    writeFileSync(entry.binaryPath, '#!/bin/sh\necho tampered\n')
    await expect(findVerified('upsun', '5.11.1', 'x64')).resolves.toBeUndefined()
    expect(core.warning).toHaveBeenCalledWith(
      expect.stringMatching(/was discarded: .*no longer matches the digest/)
    )
    expect(existsSync(entry.dir)).toBe(false)
    expect(existsSync(`${entry.dir}.complete`)).toBe(false)
  })

  it('removes an entry whose record is unreadable', async () => {
    const content = '#!/bin/sh\necho 5.11.1\n'
    const entry = await commit(await staged(content), 'upsun', '5.11.1', 'x64', record(content))
    writeFileSync(path.join(entry.dir, RECORD_FILE), '{ not json')
    await expect(findVerified('upsun', '5.11.1', 'x64')).resolves.toBeUndefined()
    expect(existsSync(entry.dir)).toBe(false)
  })

  it('a commit race with the same verified binary keeps the first entry and drops ours', async () => {
    const content = '#!/bin/sh\necho 5.11.1\n'
    const theirs = await commit(await staged(content), 'upsun', '5.11.1', 'x64', record(content))
    const ours = await staged(content)
    const entry = await commit(ours, 'upsun', '5.11.1', 'x64', record(content))
    expect(entry.dir).toBe(theirs.dir)
    expect(entry.record.fingerprint).toEqual(theirs.record.fingerprint)
    expect(existsSync(ours)).toBe(false)
    expect(core.info).toHaveBeenCalledWith(expect.stringMatching(/Another job installed the same/))
    await area.close()
    expect(readdirSync(path.join(root, 'upsun')).sort()).toEqual(['5.11.1'])
  })

  it('concurrent commits of the same version all end with one whole entry', async () => {
    const content = '#!/bin/sh\necho 5.11.1\n'
    const stagings = await Promise.all(Array.from({ length: 6 }, () => staged(content)))
    const entries = await Promise.all(
      stagings.map((s) => commit(s, 'upsun', '5.11.1', 'x64', record(content)))
    )
    expect(new Set(entries.map((e) => e.dir)).size).toBe(1)
    expect(readdirSync(path.join(root, 'upsun', '5.11.1')).sort()).toEqual(['x64', 'x64.complete'])
    await area.close()
    expect(readdirSync(path.join(root, 'upsun'))).toEqual(['5.11.1'])
    await expect(findVerified('upsun', '5.11.1', 'x64')).resolves.toBeDefined()
  })

  it('replaces a leftover (a crashed job’s partial entry) instead of using it', async () => {
    const leftover = entryDir('upsun', '5.11.1', 'x64')
    mkdirSync(leftover, { recursive: true })
    writeFileSync(path.join(leftover, BINARY), 'half a binary')
    const content = '#!/bin/sh\necho 5.11.1\n'
    const entry = await commit(await staged(content), 'upsun', '5.11.1', 'x64', record(content))
    expect(readFileSync(entry.binaryPath, 'utf8')).toBe(content)
    expect(existsSync(`${leftover}.complete`)).toBe(true)
    await area.close()
    expect(readdirSync(path.join(root, 'upsun'))).toEqual(['5.11.1'])
  })

  it('replaces a leftover whose binary differs from ours (a tampered entry)', async () => {
    const old = '#!/bin/sh\necho old\n'
    await commit(await staged(old), 'upsun', '5.11.1', 'x64', record(old))
    const content = '#!/bin/sh\necho 5.11.1\n'
    const entry = await commit(await staged(content), 'upsun', '5.11.1', 'x64', record(content))
    expect(readFileSync(entry.binaryPath, 'utf8')).toBe(content)
    expect(entry.record.binarySha256).toBe(sha256(content))
  })

  it('discard removes an entry and its marker', async () => {
    const content = 'x'
    const entry = await commit(await staged(content), 'upsun', '5.11.1', 'x64', record(content))
    await discard(entry.dir)
    expect(readdirSync(path.join(root, 'upsun', '5.11.1'))).toEqual([])
  })
})

describe('a version range', () => {
  const content = '#!/bin/sh\necho 5.11.1\n'

  it('is met by the highest intact cached version that satisfies it, offline', async () => {
    for (const v of ['5.10.0', '5.11.1', '6.0.0'])
      await commit(await staged(content), 'upsun', v, 'x64', record(content))
    expect(await cachedVersionFor('upsun', '5.x', 'x64')).toBe('5.11.1')
    expect(await cachedVersionFor('upsun', '^5.10 <5.11', 'x64')).toBe('5.10.0')
    expect(await cachedVersionFor('upsun', '4.x', 'x64')).toBeUndefined()
    expect(await cachedVersionFor('upsun', '5.x', 'arm64')).toBeUndefined()
  })

  it('ignores an entry without its .complete marker (tool-cache’s rule)', async () => {
    await commit(await staged(content), 'upsun', '5.10.0', 'x64', record(content))
    mkdirSync(entryDir('upsun', '5.11.1', 'x64'), { recursive: true })
    expect(await cachedVersionFor('upsun', '5.x', 'x64')).toBe('5.10.0')
  })
})

describe('moving a verified staging directory into place', () => {
  const content = '#!/bin/sh\necho 5.11.1\n'
  const locked = (code: string): Error => Object.assign(new Error(`${code}: locked`), { code })

  /** Real renames, but the first `failures` fail with `code` (an antivirus holding upsun.exe). */
  function lockedFor(failures: number, code: string) {
    const sleeps: number[] = []
    let calls = 0
    const ops: RenameOps = {
      ...fsRenameOps,
      async rename(from, to) {
        if (calls++ < failures) throw locked(code)
        await fsRenameOps.rename(from, to)
      },
      sleep: async (ms) => {
        sleeps.push(ms)
      }
    }
    return { ops, sleeps, calls: () => calls }
  }

  it.each(['EPERM', 'EACCES', 'EBUSY'])(
    'waits out %s while the target does not exist, then commits',
    async (code) => {
      const { ops, sleeps, calls } = lockedFor(3, code)
      const staging = await staged(content)
      const entry = await commit(staging, 'upsun', '5.11.1', 'x64', record(content), ops)
      expect(calls()).toBe(4)
      expect(sleeps).toEqual([50, 100, 200])
      expect(core.info).toHaveBeenCalledWith(
        expect.stringMatching(
          new RegExp(
            `^The tool cache entry is locked \\(${code}\\): .*; retrying for up to 12 s\\.$`
          )
        )
      )
      expect(core.info).toHaveBeenCalledWith('Moved into place after 4 attempts.')
      expect(existsSync(`${entry.dir}.complete`)).toBe(true)
      await expect(findVerified('upsun', '5.11.1', 'x64')).resolves.toBeDefined()
    }
  )

  it('gives up on a lock that stays, with what failed, and caches nothing', async () => {
    const { ops, sleeps } = lockedFor(Infinity, 'EBUSY')
    const staging = await staged(content)
    await expect(commit(staging, 'upsun', '5.11.1', 'x64', record(content), ops)).rejects.toThrow(
      /Could not move .*\.staging-[0-9a-f]{12} into place as .* after 9 attempts \(EBUSY\); another program may hold one of its files open/
    )
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThan(10_000)
    expect(existsSync(entryDir('upsun', '5.11.1', 'x64'))).toBe(false)
  })

  it('does not retry other errors', async () => {
    const { ops, sleeps } = lockedFor(1, 'EXDEV')
    await expect(
      commit(await staged(content), 'upsun', '5.11.1', 'x64', record(content), ops)
    ).rejects.toThrow(/\(EXDEV\)/)
    expect(sleeps).toEqual([])
  })

  it('reads EPERM with the target present as "the entry exists" (Windows), not as a lock', async () => {
    const theirs = await commit(await staged(content), 'upsun', '5.11.1', 'x64', record(content))
    const { ops, sleeps } = lockedFor(1, 'EPERM')
    const entry = await commit(
      await staged(content),
      'upsun',
      '5.11.1',
      'x64',
      record(content),
      ops
    )
    expect(entry.dir).toBe(theirs.dir)
    expect(sleeps).toEqual([])
    expect(core.info).toHaveBeenCalledWith(expect.stringMatching(/Another job installed/))
  })
})

describe('staging left by a step that was stopped', () => {
  const parent = () => path.join(root, 'upsun')
  const DAY = 24 * 60 * 60 * 1000
  /** A staging directory as a killed step leaves it, `ageMs` old. */
  function leftover(name: string, ageMs = 2 * DAY): string {
    const dir = path.join(parent(), name)
    mkdirSync(dir, { recursive: true })
    writeFileSync(path.join(dir, 'upsun'), 'half')
    const then = new Date(Date.now() - ageMs)
    utimesSync(dir, then, then)
    return dir
  }

  it('removes ours once a day old (an -old aside and an older version’s .owner file too), and says so', async () => {
    leftover('.staging-0123456789ab')
    leftover('.staging-0123456789ab-old')
    writeFileSync(path.join(parent(), '.staging-0123456789ab.owner'), '{}')
    const then = new Date(Date.now() - 2 * DAY)
    utimesSync(path.join(parent(), '.staging-0123456789ab.owner'), then, then)
    await expect(sweepAbandonedStaging(parent())).resolves.toHaveLength(3)
    expect(readdirSync(parent())).toEqual([])
    expect(core.info).toHaveBeenCalledWith(
      expect.stringMatching(/Removed 2 staging directories .*: \.staging-0123456789ab/)
    )
  })

  it('leaves a younger one alone (a live job’s download)', async () => {
    leftover('.staging-aaaaaaaaaaaa', DAY - 60_000)
    await expect(sweepAbandonedStaging(parent())).resolves.toEqual([])
    expect(readdirSync(parent())).toEqual(['.staging-aaaaaaaaaaaa'])
  })

  it('touches no name it could not have made, and prints none', async () => {
    const names = [
      '.staging-0\n::stop-commands::pwn',
      '.staging-bbbbbbbbbbbb\n::save-state name=ssh::{}',
      '.staging-BBBBBBBBBBBB',
      '.staging-cccccccccccc.extra',
      'important'
    ]
    for (const name of names) leftover(name)
    await expect(sweepAbandonedStaging(parent())).resolves.toEqual([])
    expect(readdirSync(parent()).sort()).toEqual([...names].sort())
    expect(core.info).not.toHaveBeenCalled()
  })

  it('a lookup sweeps first, so a killed step’s download never lingers', async () => {
    leftover('.staging-dddddddddddd')
    await expect(findVerified('upsun', '5.11.1', 'x64')).resolves.toBeUndefined()
    expect(readdirSync(parent())).toEqual([])
  })
})

describe('names from the tool cache in messages', () => {
  it('a file planted in an entry is named without its line breaks', async () => {
    const content = '#!/bin/sh\necho 5.11.1\n'
    const entry = await commit(await staged(content), 'upsun', '5.11.1', 'x64', record(content))
    writeFileSync(path.join(entry.dir, 'x\n::stop-commands::pwn'), '')
    await expect(findVerified('upsun', '5.11.1', 'x64')).resolves.toBeUndefined()
    const said = (core.warning as jest.Mock).mock.calls.map((c) => String(c[0])).join('\n')
    expect(said).toMatch(/holds files that were not installed: x::stop-commands::pwn/)
    expect(said).not.toMatch(/\n/)
  })
})
