// The tool cache on a real temporary directory: entries are committed by
// rename (so concurrent jobs and leftovers never leave half an entry), and a
// hit is used only while its binary is unchanged since it was verified.
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import { spawnSync } from 'node:child_process'
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
  commit,
  discard,
  entryDir,
  findVerified,
  stagingArea,
  sweepAbandonedStaging,
  toolCacheRoot
} = await import('../../src/install/toolcache.js')

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

describe('staging left by a step that was stopped', () => {
  const parent = () => path.join(root, 'upsun')
  /** A staging directory and its owner file, as a step leaves them when killed. */
  function leftover(name: string, owner?: { host: string; pid: number }): void {
    mkdirSync(path.join(parent(), name), { recursive: true })
    writeFileSync(path.join(parent(), name, 'upsun'), 'half')
    if (owner) writeFileSync(path.join(parent(), `${name}.owner`), JSON.stringify(owner))
  }
  const deadPid = (): number => {
    const child = spawnSync('true')
    return child.pid ?? 0
  }

  it('removes what a process that is gone left on this host, and says so', async () => {
    leftover('.staging-dead', { host: os.hostname(), pid: deadPid() })
    await expect(sweepAbandonedStaging('upsun')).resolves.toEqual(
      expect.arrayContaining(['.staging-dead', '.staging-dead.owner'])
    )
    expect(readdirSync(parent())).toEqual([])
    expect(core.info).toHaveBeenCalledWith(expect.stringMatching(/Removed 1 staging directory/))
  })

  it('never touches a live job’s staging, nor another host’s', async () => {
    leftover('.staging-live', { host: os.hostname(), pid: process.pid })
    leftover('.staging-other', { host: 'another-runner', pid: deadPid() })
    await expect(sweepAbandonedStaging('upsun')).resolves.toEqual([])
    expect(readdirSync(parent()).sort()).toEqual([
      '.staging-live',
      '.staging-live.owner',
      '.staging-other',
      '.staging-other.owner'
    ])
  })

  it('removes an ownerless one only once it is a day old', async () => {
    leftover('.staging-fresh')
    leftover('.staging-old')
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000)
    utimesSync(path.join(parent(), '.staging-old'), twoDaysAgo, twoDaysAgo)
    await expect(sweepAbandonedStaging('upsun')).resolves.toEqual(['.staging-old'])
    expect(readdirSync(parent())).toEqual(['.staging-fresh'])
  })

  it('a lookup sweeps first, so a killed step’s download never lingers', async () => {
    leftover('.staging-dead', { host: os.hostname(), pid: deadPid() })
    await expect(findVerified('upsun', '5.11.1', 'x64')).resolves.toBeUndefined()
    expect(readdirSync(parent())).toEqual([])
  })
})
