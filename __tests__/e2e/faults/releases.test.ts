// Fault suite, releases: what a release server or mirror can get wrong, from
// a 5xx burst to a hostile archive whose checksum matches. Each case runs the
// bundled action end to end; see ./harness.ts for what "survived" and
// "refused cleanly" check, and where the figures go (.fixtures/, never a
// tracked file: `npm run figures` writes the docs).
import { describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { mkdtempSync, readdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { canRun, phpAvailable } from '../../../sandbox/availability.mjs'
import { gzipBombTarGz, hostileTarGz, hostileZip } from '../../../sandbox/hostile.mjs'
import { gitHubRelease } from '../../../src/install/github/releases.js'
import { downloadVerified } from '../../../src/install/download.js'
import { FaultSandbox, FaultSuite, type Case } from './harness.js'

const suite = new FaultSuite(import.meta.url)
const sb = new FaultSandbox(suite)
const sha256 = (body: Buffer): string => createHash('sha256').update(body).digest('hex')

// Requests seen before a case's fault, for cases that check what was (not) requested.
let serverMark = 0
let siteMark = 0
const mark = (): void => {
  serverMark = sb.server.requests.length
  siteMark = sb.site.requests.length
}
const serverRequests = (): Array<{ url: string }> => sb.server.requests.slice(serverMark)
const siteRequests = (): string[] => sb.site.requests.slice(siteMark)

const releaseCases: Case[] = [
  {
    fault: '5xx burst (503 ×3) on the archive',
    expect: 'survived',
    inputs: () => sb.base(),
    inject: () => sb.server.fault(/\.tar\.gz$/, { status: 503 }, 3),
    check: (step) => expect(step.log.match(/HTTP 503; retrying/g)).toHaveLength(3)
  },
  {
    fault: '429 with Retry-After: 1',
    expect: 'survived',
    inputs: () => sb.base(),
    inject: () => sb.server.fault(/\.tar\.gz$/, { status: 429, headers: { 'retry-after': '1' } }),
    check: (step) => expect(step.log).toMatch(/HTTP 429; retrying in 1\.0 s/)
  },
  {
    fault: 'connection reset mid-body',
    expect: 'survived',
    inputs: () => sb.base(),
    inject: () => sb.server.fault(/^\/objects\/.*\.tar\.gz$/, { kind: 'cut' }),
    check: (step) =>
      expect(step.log).toMatch(
        /was cut after \d+ bytes \(connection closed mid-transfer\); retrying/
      )
  },
  {
    fault: 'truncated body, correct Content-Length',
    expect: 'survived',
    inputs: () => sb.base(),
    inject: () => sb.server.fault(/^\/objects\/.*\.tar\.gz$/, { kind: 'truncate' })
  },
  {
    fault: 'stalled server, once (timeout, then retry)',
    expect: 'survived',
    inputs: () => sb.base(),
    inject: () => sb.server.fault(/^\/objects\/.*\.tar\.gz$/, { kind: 'stall' })
  },
  {
    fault: 'stalled server, always',
    expect: 'refused',
    message:
      /Could not download .*\(no answer within 1\.5 s, after retries\)\. 127\.0\.0\.1:\d+ \(or a proxy on the way\) was too slow/,
    inputs: () => sb.base(),
    inject: () => sb.server.fault(/^\/objects\/.*\.tar\.gz$/, { kind: 'stall' }, 10)
  },
  {
    fault: '404 for the asset',
    expect: 'refused',
    message: /Version 99\.0\.0 has no asset upsun_99\.0\.0_linux_amd64\.tar\.gz/,
    inputs: () => ({ ...sb.base(), version: '99.0.0' })
  },
  {
    fault: '404 for an asset of a release that exists (not retried)',
    expect: 'refused',
    message: /Version 5\.12\.0-alpha1 has no asset upsun_5\.12\.0-alpha1_linux_amd64\.tar\.gz/,
    inputs: () => ({ ...sb.base(), version: '5.12.0-alpha1' }),
    inject: mark,
    check: (step) => {
      expect(step.errors.join('\n')).toContain(sb.server.releasesUrl('upsun/cli'))
      expect(serverRequests().filter((r) => r.url.endsWith('.tar.gz'))).toHaveLength(1)
    }
  },
  {
    fault: 'rate-limited API answer (range)',
    expect: 'refused',
    message: /rate limit.*`github-token`/,
    env: () => ({ GITHUB_SERVER_URL: sb.server.origin, GITHUB_API_URL: sb.server.apiUrl }),
    inputs: () => ({ ...sb.base(), version: '5.x' }),
    inject: () => sb.server.fault(/^\/api\//, { status: 429 }, 10)
  },
  {
    fault: 'rate-limited API answer (range; 403, x-ratelimit-remaining: 0)',
    expect: 'refused',
    message: /rate limit.*`github-token`/,
    env: () => ({ GITHUB_SERVER_URL: sb.server.origin, GITHUB_API_URL: sb.server.apiUrl }),
    inputs: () => ({ ...sb.base(), version: '5.x' }),
    inject: () =>
      sb.server.fault(/^\/api\//, { status: 403, headers: { 'x-ratelimit-remaining': '0' } }, 10)
  },
  {
    fault: 'wrong checksum',
    expect: 'refused',
    message: /SHA-256 mismatch .*checksums\.txt says 0{64}, the download is [0-9a-f]{64}/,
    inputs: () => sb.base(),
    inject: () =>
      sb.server.replace(sb.objectPath('checksums.txt'), `${'0'.repeat(64)}  ${sb.asset()}\n`)
  },
  {
    fault: 'missing checksum line',
    expect: 'refused',
    message: /checksums\.txt of release v.* has no line for upsun_.*Actual SHA-256: [0-9a-f]{64}/,
    inputs: () => sb.base(),
    inject: () =>
      sb.server.replace(sb.objectPath('checksums.txt'), `${'1'.repeat(64)}  other.tar.gz\n`)
  },
  {
    fault: 'checksums.txt is a 404',
    expect: 'refused',
    message: /publishes no checksums\.txt .*cannot be verified/,
    inputs: () => sb.base(),
    inject: () => sb.server.fault(/checksums\.txt$/, { status: 404 }, 10)
  },
  {
    fault: 'cli: webpaas without PHP on PATH',
    expect: 'refused',
    message:
      /PHP was not found on PATH\. cli: webpaas runs the Web PaaS CLI, a PHP phar: set PHP up in an earlier step/,
    inputs: () => ({ cli: 'webpaas', 'releases-url': sb.site.url }),
    env: () => ({ PATH: '/nonexistent' }),
    inject: mark,
    // Refused before any request.
    check: () => expect(siteRequests()).toEqual([])
  },
  ...(['dotdot', 'symlink'] as const).map((kind): Case => ({
    fault:
      kind === 'dotdot'
        ? 'tar.gz with ../ paths (checksum matches)'
        : 'tar.gz with symlinks out (checksum matches)',
    expect: 'refused',
    message:
      kind === 'dotdot'
        ? /"\.\.\/\.\.\/escaped" points outside the directory/
        : /"upsun" is a symbolic link; release archives hold only files/,
    inputs: () => sb.base(),
    inject: () => {
      const body = hostileTarGz(kind)
      sb.server.replace(sb.objectPath(sb.asset()), body)
      sb.server.replace(sb.objectPath('checksums.txt'), `${sha256(body)}  ${sb.asset()}\n`)
    }
  })),
  {
    // checksums.txt still names the real archive: the digest would expose the
    // bomb only after its last byte, so the unpacked-size cap has to stop it.
    fault: 'gzip bomb (1 MB inflating to 1 GiB, wrong checksum)',
    expect: 'refused',
    message:
      /The archive unpacks to more than 512 MiB.*Unpacking stopped there and nothing was installed/,
    inputs: () => sb.base(),
    inject: () => sb.server.replace(sb.objectPath(sb.asset()), gzipBombTarGz())
  }
]

// Counted whether or not PHP is here: skipped cases keep `npm run figures` from writing.
const withPhp = canRun(
  'Web PaaS fault cases',
  phpAvailable(),
  'PHP with the curl extension is missing'
)
const webpaas = (extra: Record<string, string> = {}) => ({
  cli: 'webpaas',
  'releases-url': sb.site.url,
  ...extra
})
const pharCases: Case[] = [
  ...[
    '../../outside.phar',
    '/elsewhere/webpaas.phar',
    '%2e%2e/x.phar',
    'http://127.0.0.2:9/webpaas.phar'
  ].map((url): Case => ({
    fault: `Web PaaS manifest url ${url}`,
    expect: 'refused',
    message: /points outside the site.*refused/,
    inputs: () => webpaas({ version: '3.88.1' }),
    inject: () => {
      mark()
      sb.site.setManifest((entries: Array<Record<string, string>>) =>
        entries.map((e) => ({ ...e, url }))
      )
    },
    // Refused before any download: the manifest was the only request.
    check: () => expect(siteRequests()).toEqual(['/cli/manifest.json'])
  })),
  {
    fault: 'Web PaaS manifest digest tampered',
    expect: 'refused',
    message:
      /SHA-256 mismatch for webpaas\.phar 3\.88\.1: manifest\.json says f{64}, the download is [0-9a-f]{64}/,
    inputs: () => webpaas(),
    inject: () =>
      sb.site.setManifest((entries: Array<Record<string, string>>) =>
        entries.map((e) => ({ ...e, sha256: 'f'.repeat(64) }))
      )
  },
  {
    fault: 'Web PaaS version not in the manifest',
    expect: 'refused',
    message: /manifest has no release matching 9\.9\.9\. It lists: 3\.88\.1/,
    inputs: () => webpaas({ version: '9.9.9' })
  }
]
if (!withPhp) for (const c of pharCases) suite.skipped('releases', c.fault, 'PHP is missing')

const zipKinds = ['dotdot', 'symlink'] as const

describe('faults: releases', () => {
  it.each(releaseCases.map((c) => [c.fault, c] as const))('%s', async (_f, c) => {
    await suite.expectOutcome('releases', c)
  })

  if (withPhp) {
    it.each(pharCases.map((c) => [c.fault, c] as const))('%s', async (_f, c) => {
      await suite.expectOutcome('releases', c)
    })
  }

  it.each(zipKinds.map((k) => [k]))(
    'zip with %s entries is refused before extraction (download module, Windows path)',
    async (kind) => {
      const body = hostileZip(kind)
      const zipAsset = `upsun_${sb.real}_windows_amd64.zip`
      sb.server.replace(sb.objectPath(zipAsset), body)
      sb.server.replace(sb.objectPath('checksums.txt'), `${sha256(body)}  ${zipAsset}\n`)
      const parent = mkdtempSync(path.join(os.tmpdir(), 'zip-fault-'))
      const staging = path.join(parent, 'staging')
      const release = gitHubRelease(sb.real, `v${sb.real}`, sb.server.releasesUrl('upsun/cli'))
      const target = { assetSuffix: 'windows_amd64', archive: 'zip' as const, exeSuffix: '.exe' }
      await expect(
        downloadVerified(release, zipAsset, target, async () => {
          await mkdir(staging)
          return staging
        })
      ).rejects.toThrow(
        kind === 'dotdot'
          ? /"\.\.\/escaped\.txt" points outside/
          : /"README\.md" is a symbolic link/
      )
      expect(readdirSync(parent)).toEqual([])
      suite.record({
        group: 'releases',
        fault: `zip with ${kind === 'dotdot' ? '../ paths' : 'symlinks out'} (download module, Windows path)`,
        outcome: 'refused',
        detail: 'refused before extraction'
      })
    }
  )

  it('leaks nothing in any of these runs, and records its figures', () => {
    suite.expectNoLeaks(releaseCases.length + pharCases.length + zipKinds.length)
  })
})
