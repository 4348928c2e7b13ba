// The streamed, verified download against an undici MockAgent: the archive is
// hashed and unpacked as it streams into a staging directory, and nothing is
// kept unless its digest matches checksums.txt. No socket, no retry waits.
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import { noWait, useMockAgent } from '../../__fixtures__/network.js'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import * as core from '../../__fixtures__/core.js'
import { TAR_END, tarEntry } from '../../sandbox/hostile.mjs'

jest.unstable_mockModule('@actions/core', () => core)
const { downloadVerified, downloadToFile, parseChecksums } =
  await import('../../src/install/download.js')
const { gitHubRelease } = await import('../../src/install/github/releases.js')

const ORIGIN = 'https://releases.example.test'
const release = gitHubRelease('5.11.1', 'v5.11.1', `${ORIGIN}/upsun/cli/releases`)
const TAR = { assetSuffix: 'linux_amd64', archive: 'tar.gz' as const, exeSuffix: '' }
const ZIP = { assetSuffix: 'windows_amd64', archive: 'zip' as const, exeSuffix: '.exe' }
const ASSET = 'upsun_5.11.1_linux_amd64.tar.gz'
const BINARY = Buffer.from('#!/bin/sh\necho upsun 5.11.1\n')
const ARCHIVE = gzipSync(
  Buffer.concat([
    tarEntry('upsun', '0', BINARY, '', 0o755),
    tarEntry('completion/upsun.bash', '0', Buffer.from('complete -F _upsun upsun\n')),
    TAR_END
  ])
)
const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex')

const agent = useMockAgent()
let parent: string
let stagings = 0
const newStaging = async (): Promise<string> => {
  const dir = path.join(parent, `.staging-${++stagings}`)
  mkdirSync(dir)
  return dir
}

beforeEach(() => {
  jest.resetAllMocks()
  core.resetCore()
  parent = mkdtempSync(path.join(os.tmpdir(), 'download-test-'))
})

const file = (name: string) =>
  agent()
    .get(ORIGIN)
    .intercept({ path: `/upsun/cli/releases/download/v5.11.1/${name}` })
const sums = (lines: string) => file('checksums.txt').reply(200, lines)
const download = (asset = ASSET, target: typeof TAR | typeof ZIP = TAR) =>
  downloadVerified(release, asset, target, newStaging, { dispatcher: agent(), sleep: noWait })

describe('parseChecksums', () => {
  it('reads GoReleaser lines, binary markers and CRLF; ignores the rest', () => {
    const a = 'a'.repeat(64)
    const b = 'B'.repeat(64)
    expect(parseChecksums(`${a}  one.tar.gz\r\n${b} *two.zip\nnot a line\n`)).toEqual(
      new Map([
        ['one.tar.gz', a],
        ['two.zip', 'b'.repeat(64)]
      ])
    )
  })
})

describe('downloadVerified (tar.gz)', () => {
  it('hashes and unpacks in one pass, and reports every file’s digest', async () => {
    sums(`${sha256(ARCHIVE)}  ${ASSET}\n${'0'.repeat(64)}  other.zip\n`)
    file(ASSET).reply(200, ARCHIVE)
    const got = await download()
    expect(got.sha256).toBe(sha256(ARCHIVE))
    expect(got.bytes).toBe(ARCHIVE.length)
    expect(got.files.get('upsun')).toBe(sha256(BINARY))
    expect(readFileSync(path.join(got.dir, 'upsun'))).toEqual(BINARY)
    expect([...got.files.keys()].sort()).toEqual(['completion/upsun.bash', 'upsun'])
  })

  it('a 5xx or a cut body is retried from the first byte, in a fresh staging directory', async () => {
    sums(`${sha256(ARCHIVE)}  ${ASSET}\n`)
    file(ASSET).reply(503, 'busy')
    file(ASSET).reply(200, ARCHIVE)
    const got = await download()
    expect(got.sha256).toBe(sha256(ARCHIVE))
    // The failed attempt's staging directory is gone; only the verified one is left.
    expect(readdirSync(parent)).toEqual([path.basename(got.dir)])
    expect(core.info).toHaveBeenCalledWith(
      expect.stringMatching(/Downloading upsun.*HTTP 503; retrying/)
    )
  })

  it('a digest mismatch installs nothing and leaves no staging directory', async () => {
    sums(`${'0'.repeat(64)}  ${ASSET}\n`)
    file(ASSET).reply(200, ARCHIVE)
    await expect(download()).rejects.toThrow(
      new RegExp(
        `SHA-256 mismatch for ${ASSET}: checksums.txt says 0{64}, the download is ${sha256(ARCHIVE)}`
      )
    )
    expect(readdirSync(parent)).toEqual([])
  })

  it('a checksums.txt without the asset’s line says so, with the actual digest', async () => {
    sums(`${'1'.repeat(64)}  other.tar.gz\n`)
    file(ASSET).reply(200, ARCHIVE)
    await expect(download()).rejects.toThrow(
      new RegExp(`has no line for ${ASSET}.*Actual SHA-256: ${sha256(ARCHIVE)}`)
    )
    expect(readdirSync(parent)).toEqual([])
  })

  it('a release without checksums.txt cannot be verified', async () => {
    file('checksums.txt').reply(404, 'Not Found')
    file(ASSET).reply(200, ARCHIVE)
    await expect(download()).rejects.toThrow(/publishes no checksums\.txt .*cannot be verified/)
    expect(readdirSync(parent)).toEqual([])
  })

  it('a missing asset says which, rather than the missing checksums', async () => {
    file('checksums.txt').reply(404, 'Not Found')
    file(ASSET).reply(404, 'Not Found')
    await expect(download()).rejects.toThrow(
      /Version 5\.11\.1 has no asset upsun_5\.11\.1_linux_amd64\.tar\.gz .*See the releases at/
    )
  })

  it('a checksums.txt that fails otherwise stops the archive download too', async () => {
    file('checksums.txt').reply(500, 'down').times(4)
    file(ASSET).reply(200, ARCHIVE).delay(50)
    await expect(download()).rejects.toThrow(
      /Could not download checksums\.txt: .* answered HTTP 500 \(after retries\)/
    )
    expect(readdirSync(parent)).toEqual([])
  })

  it('a corrupt archive is reported as a mismatch when its digest differs', async () => {
    const corrupt = Buffer.from('this is not gzip')
    sums(`${sha256(ARCHIVE)}  ${ASSET}\n`)
    file(ASSET).reply(200, corrupt)
    await expect(download()).rejects.toThrow(/SHA-256 mismatch/)
  })

  it('a corrupt archive whose digest matches reports the unpacking error', async () => {
    const corrupt = Buffer.from('this is not gzip')
    sums(`${sha256(corrupt)}  ${ASSET}\n`)
    file(ASSET).reply(200, corrupt)
    await expect(download()).rejects.toThrow(/header/i)
    expect(readdirSync(parent)).toEqual([])
  })
})

describe('downloadVerified (zip, Windows)', () => {
  const zipAvailable = (() => {
    try {
      execFileSync('zip', ['-v'], { stdio: 'ignore' })
      execFileSync('unzip', ['-v'], { stdio: 'ignore' })
      return true
    } catch {
      return false
    }
  })()
  const ZIP_ASSET = 'upsun_5.11.1_windows_amd64.zip'

  it('is verified first, then checked and unpacked', async () => {
    expect(zipAvailable).toBe(true)
    const src = mkdtempSync(path.join(os.tmpdir(), 'zip-src-'))
    writeFileSync(path.join(src, 'upsun.exe'), 'MZ upsun')
    execFileSync('zip', ['-q', path.join(src, 'a.zip'), 'upsun.exe'], { cwd: src })
    const zip = readFileSync(path.join(src, 'a.zip'))
    sums(`${sha256(zip)}  ${ZIP_ASSET}\n`)
    file(ZIP_ASSET).reply(200, zip)
    const got = await download(ZIP_ASSET, ZIP)
    expect(got.files).toEqual(new Map([['upsun.exe', sha256('MZ upsun')]]))
    expect(readdirSync(got.dir)).toEqual(['upsun.exe'])
  })
})

describe('downloadToFile', () => {
  const PHAR = Buffer.from('<?php echo "phar";')
  const site = () => agent().get(ORIGIN).intercept({ path: '/webpaas/webpaas.phar' })
  const fetchTo = (target: string) =>
    downloadToFile(`${ORIGIN}/webpaas/webpaas.phar`, target, 'webpaas.phar', {
      dispatcher: agent(),
      sleep: noWait
    })

  it('writes the file and returns its digest, retrying a 5xx', async () => {
    site().reply(502, 'bad gateway')
    site().reply(200, PHAR)
    const target = path.join(parent, 'webpaas.phar')
    await expect(fetchTo(target)).resolves.toEqual({ sha256: sha256(PHAR), bytes: PHAR.length })
    expect(readFileSync(target)).toEqual(PHAR)
  })

  it('a 404 says which file could not be downloaded', async () => {
    site().reply(404, 'Not Found')
    await expect(fetchTo(path.join(parent, 'x.phar'))).rejects.toThrow(
      /Could not download webpaas\.phar: .*answered HTTP 404/
    )
  })
})
