// The install flow on a real temporary tool cache, with the GitHub channel
// reaching an undici MockAgent: a miss downloads, verifies, caches and runs
// `--version`; a hit touches no network; a binary that reports another
// version is refused.
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import { noWait, useMockAgent } from '../../__fixtures__/network.js'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import * as core from '../../__fixtures__/core.js'
import { inputsFor } from '../../__fixtures__/inputs.js'
import { TAR_END, tarEntry } from '../../sandbox/hostile.mjs'

jest.unstable_mockModule('@actions/core', () => core)
const { install } = await import('../../src/install/install.js')

const ORIGIN = 'https://releases.example.test'
const RELEASES = `${ORIGIN}/upsun/cli/releases`
const TARGET = { assetSuffix: 'linux_amd64', archive: 'tar.gz' as const, exeSuffix: '' }
const ASSET = 'upsun_5.11.1_linux_amd64.tar.gz'
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

/** A release archive whose `upsun` prints `says` for --version. */
function archive(says: string): Buffer {
  const script = Buffer.from(`#!/bin/sh\necho "${says}"\n`)
  return gzipSync(Buffer.concat([tarEntry('upsun', '0', script, '', 0o755), TAR_END]))
}

const agent = useMockAgent()
beforeEach(() => {
  jest.resetAllMocks()
  core.resetCore()
  process.env.RUNNER_TOOL_CACHE = mkdtempSync(path.join(os.tmpdir(), 'install-test-'))
})

function serve(body: Buffer): void {
  const at = (file: string) =>
    agent()
      .get(ORIGIN)
      .intercept({ path: `/upsun/cli/releases/download/v5.11.1/${file}` })
  at('checksums.txt').reply(200, `${sha256(body)}  ${ASSET}\n`)
  at(ASSET).reply(200, body)
}
const run = (version: Parameters<typeof inputsFor>[1] = {}) =>
  install(
    inputsFor('upsun', {
      releasesUrl: RELEASES,
      version: { kind: 'exact', version: '5.11.1' },
      ...version
    }),
    TARGET,
    'x64',
    { dispatcher: agent(), sleep: noWait }
  )

describe('install', () => {
  it('downloads, verifies, caches and checks the version on a miss; a second run is a hit', async () => {
    serve(archive('Upsun CLI 5.11.1'))
    const first = await run()
    expect(first).toMatchObject({ version: '5.11.1', cacheHit: false })
    expect(first.executablePath).toBe(
      path.join(process.env.RUNNER_TOOL_CACHE ?? '', 'upsun', '5.11.1', 'x64', 'upsun')
    )
    expect(first.verification).toMatch(new RegExp(`${ASSET} matched checksums\\.txt`))
    expect(core.info).toHaveBeenCalledWith('upsun --version: Upsun CLI 5.11.1')
    agent().assertNoPendingInterceptors()

    // No interceptor is left: a hit that reached the network would fail.
    const second = await run()
    expect(second).toMatchObject({ version: '5.11.1', cacheHit: true, dir: first.dir })
    expect(core.info).toHaveBeenCalledWith(
      expect.stringMatching(/^Verified: SHA-256 [0-9a-f]{64} of .* at install; unchanged since\.$/)
    )
  })

  it('meets a range from the tool cache with no request (no release listing), as setup-node', async () => {
    serve(archive('Upsun CLI 5.11.1'))
    const first = await run()
    agent().assertNoPendingInterceptors()
    // Nothing is served now: listing releases for the range would fail.
    const hit = await run({ version: { kind: 'range', range: '^5.10' } })
    expect(hit).toMatchObject({ version: '5.11.1', cacheHit: true, dir: first.dir })
    expect(core.info).toHaveBeenCalledWith('Range ^5.10 is met by 5.11.1 in the tool cache.')
  })

  it("runs --version with Go's collector off and without the token", async () => {
    serve(archive('Upsun CLI 5.11.1 GOGC=$GOGC token=${UPSUN_CLI_TOKEN:-none}'))
    process.env.UPSUN_CLI_TOKEN = 'install-test-token-0123456789'
    try {
      await run()
    } finally {
      delete process.env.UPSUN_CLI_TOKEN
    }
    expect(core.info).toHaveBeenCalledWith('upsun --version: Upsun CLI 5.11.1 GOGC=off token=none')
  })

  it('resolves latest through the channel and logs how long it took', async () => {
    agent()
      .get(ORIGIN)
      .intercept({ path: '/upsun/cli/releases/latest' })
      .reply(302, '', { headers: { location: `${RELEASES}/tag/v5.11.1` } })
    serve(archive('Upsun CLI 5.11.1'))
    await expect(run({ version: { kind: 'latest' } })).resolves.toMatchObject({ version: '5.11.1' })
    expect(core.info).toHaveBeenCalledWith(
      expect.stringMatching(/^Resolved latest to 5\.11\.1 in /)
    )
  })

  it('refuses a binary that reports another version, says what it said, and leaves no entry', async () => {
    serve(archive('Upsun CLI 9.9.9'))
    await expect(run()).rejects.toThrow(
      /upsun --version did not report 5\.11\.1 .*Upsun CLI 9\.9\.9.*so it was removed from the tool cache/
    )
    const entry = path.join(process.env.RUNNER_TOOL_CACHE ?? '', 'upsun', '5.11.1', 'x64')
    expect(existsSync(entry)).toBe(false)
    expect(existsSync(`${entry}.complete`)).toBe(false)
  })

  it('names the cause when the system cannot run the binary (another CPU, no binfmt), leaving no entry', async () => {
    // An ELF executable for a machine no emulator handles: the kernel says ENOEXEC.
    const elf = Buffer.alloc(64)
    elf.write('\x7fELF', 0, 'latin1')
    elf.set([2, 1, 1], 4)
    elf.writeUInt16LE(2, 16)
    elf.writeUInt16LE(0x9999, 18)
    elf.writeUInt32LE(1, 20)
    serve(gzipSync(Buffer.concat([tarEntry('upsun', '0', elf, '', 0o755), TAR_END])))
    await expect(run()).rejects.toThrow(
      /upsun could not be started: the system refused it as a program for this machine \(exec format error\)\. .*binfmt_misc.*removed from the tool cache/
    )
    const entry = path.join(process.env.RUNNER_TOOL_CACHE ?? '', 'upsun', '5.11.1', 'x64')
    expect(existsSync(entry)).toBe(false)
  })

  it('refuses an archive without the binary, leaving nothing in the cache', async () => {
    const body = gzipSync(Buffer.concat([tarEntry('README.md', '0', Buffer.from('hi')), TAR_END]))
    serve(body)
    await expect(run()).rejects.toThrow(`${ASSET} does not contain upsun; nothing was installed.`)
    const root = process.env.RUNNER_TOOL_CACHE ?? ''
    expect(existsSync(path.join(root, 'upsun', '5.11.1'))).toBe(false)
  })
})
