// macOS cannot be emulated here, so it is tested statically: both Mac
// architectures pick the one universal release (darwin_all), whose archive,
// packed as GoReleaser packs it around a universal Mach-O, downloads, verifies
// and unpacks as a runner would; and the size message fits a binary that
// holds two architectures. Real macOS runners: .github/workflows/ci.yml.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startSandboxReleases } from '../../sandbox/index.mjs'
import { ArchiveTooLarge, MAX_UNPACKED_BYTES } from '../../src/archive/entry.js'
import { gitHubRelease } from '../../src/install/github/releases.js'
import { assetName, resolveTarget } from '../../src/install/target.js'
import { downloadVerified } from '../../src/install/download.js'

let releases: Awaited<ReturnType<typeof startSandboxReleases>>
beforeAll(async () => {
  releases = await startSandboxReleases()
}, 300_000)
afterAll(async () => releases.server.close())

describe('macOS (static)', () => {
  it.each(['x64', 'arm64'])(
    'darwin/%s downloads the universal darwin_all archive, verified, with its layout',
    async (arch) => {
      const target = resolveTarget('darwin', arch)
      const asset = assetName('upsun', releases.version, target)
      expect(asset).toBe(`upsun_${releases.version}_darwin_all.tar.gz`)
      const release = gitHubRelease(
        releases.version,
        `v${releases.version}`,
        releases.server.releasesUrl('upsun/cli')
      )
      const parent = mkdtempSync(path.join(os.tmpdir(), 'darwin-'))
      const got = await downloadVerified(release, asset, target, async () => {
        const staging = path.join(parent, 'staging')
        mkdirSync(staging)
        return staging
      })
      // Files only, as GoReleaser packs them: the binary, README.md, completions.
      expect([...got.files.keys()].sort()).toEqual([
        'README.md',
        'completion/bash/upsun.bash',
        'completion/zsh/_upsun',
        'upsun'
      ])
      const binary = path.join(got.dir, 'upsun')
      const bytes = readFileSync(binary)
      // A universal Mach-O: FAT_MAGIC, two slices (x86_64, arm64), executable.
      expect(bytes.readUInt32BE(0)).toBe(0xcafebabe)
      expect(bytes.readUInt32BE(4)).toBe(2)
      expect([bytes.readUInt32BE(8), bytes.readUInt32BE(28)]).toEqual([0x01000007, 0x0100000c])
      expect(statSync(binary).mode & 0o111).toBe(0o111)
    }
  )

  it('the size cap’s message does not say a universal binary should be 55 MB', () => {
    const message = new ArchiveTooLarge(MAX_UNPACKED_BYTES).message
    expect(message).not.toMatch(/unpacks to about 55 MB[,;.]/)
    expect(message).toMatch(/55 MB per architecture \(macOS's universal binary holds two\)/)
  })
})
