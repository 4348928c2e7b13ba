// Faults and leaks: every case runs the bundled action end to end through the
// runner-faithful harness, with one fault injected. A case either survives
// (the step succeeds, retried or handled) or is refused cleanly: a clear
// error, nothing half-installed in the tool cache, nothing on PATH, nothing
// exported. Every run is searched for leaks. The suite writes its figures to
// docs/faults.md and README.md's security section.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import * as cryptoModule from 'node:crypto'
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync
} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startApiServer } from '../../sandbox/api.mjs'
import { hostileTarGz, hostileZip } from '../../sandbox/hostile.mjs'
import { startSandboxReleases } from '../../sandbox/index.mjs'
import { findLeaks } from '../../sandbox/leaks.mjs'
import { deadPort, startProxy } from '../../sandbox/proxy.mjs'
import { canRun, phpAvailable } from '../../sandbox/availability.mjs'
import { Job, ROOT } from '../../sandbox/runner.mjs'
import { ensureTestUser, sshSandboxAvailable } from '../../sandbox/sshd.mjs'
import { startPharSite } from '../../sandbox/webpaas.mjs'
import { gitHubRelease } from '../../src/install/github/releases.js'
import { downloadVerified } from '../../src/net/download.js'
import { checkTokenText } from '../../src/auth/token.js'

const TOKEN = 'sandbox-fault-token-7e6d5c4b3a291807'
const FAST = { SETUP_UPSUN_CLI_RETRY_BASE_MS: '50', SETUP_UPSUN_CLI_HTTP_TIMEOUT_MS: '1500' }

let releases: Awaited<ReturnType<typeof startSandboxReleases>>
let api: Awaited<ReturnType<typeof startApiServer>>
let site: Awaited<ReturnType<typeof startPharSite>>
let real: string
const jobs: Job[] = []

type Outcome = 'survived' | 'refused'
interface Figure {
  group: string
  fault: string
  outcome: Outcome
  detail: string
}
const figures: Figure[] = []

beforeAll(async () => {
  releases = await startSandboxReleases()
  real = releases.version
  api = await startApiServer({ tokens: [TOKEN] })
  site = await startPharSite({ versions: ['3.88.1'] })
}, 300_000)
afterAll(async () => {
  await releases.server.close()
  await api.close()
  await site.close()
})

const server = () => releases.server
const base = (): Record<string, string> => ({
  version: real,
  'releases-url': server().releasesUrl('upsun/cli')
})
const withToken = (): Record<string, string> => ({
  ...base(),
  token: TOKEN,
  'auth-url': api.origin,
  'api-url': api.origin
})
const objectPath = (file: string): string => `/objects/upsun/cli/v${real}/${file}`
const asset = (): string => `upsun_${real}_linux_amd64.tar.gz`

/** Every tool-cache entry is whole (marked complete, with its record); no staging left. */
function expectCacheWhole(toolCache: string): void {
  for (const tool of existsSync(toolCache) ? readdirSync(toolCache) : []) {
    const toolDir = path.join(toolCache, tool)
    expect(readdirSync(toolDir).filter((n) => n.startsWith('.'))).toEqual([])
    for (const version of readdirSync(toolDir)) {
      for (const arch of readdirSync(path.join(toolDir, version)).filter(
        (n) => !n.endsWith('.complete')
      )) {
        expect(existsSync(path.join(toolDir, version, `${arch}.complete`))).toBe(true)
        expect(existsSync(path.join(toolDir, version, arch, '.setup-upsun-cli.json'))).toBe(true)
      }
    }
  }
}

interface Case {
  fault: string
  expect: Outcome
  /** For refusals: what the error must say. */
  message?: RegExp
  inject?: () => void | Promise<void>
  inputs?: () => Record<string, string>
  env?: () => Record<string, string> | Promise<Record<string, string>>
  /** Extra checks on a survived step. */
  check?: (step: Awaited<ReturnType<Job['main']>>, job: Job) => void | Promise<void>
}

async function expectCaseOutcome(group: string, c: Case): Promise<void> {
  server().clearFaults()
  server().restore()
  api.clearFaults()
  site.setManifest((e: object[]) => e)
  await c.inject?.()
  const job = new Job({ env: { ...FAST, ...(await c.env?.()) } })
  jobs.push(job)
  const step = await job.main(c.inputs?.() ?? base(), { timeoutMs: 60_000 })
  const error = step.errors.join('\n')
  if (c.expect === 'survived') {
    expect(error).toBe('')
    expect(step.exitCode).toBe(0)
    await c.check?.(step, job)
  } else {
    expect(step.exitCode).toBe(1)
    expect(error).toMatch(c.message ?? /./)
    // Refused cleanly: nothing on PATH, nothing exported, no half entry.
    expect(step.paths).toEqual([])
    expect(step.exported).toEqual({})
  }
  expectCacheWhole(job.toolCache)
  expect(step.timedOut).toBe(false)
  figures.push({
    group,
    fault: c.fault,
    outcome: c.expect,
    detail:
      c.expect === 'refused' ? error.replace(/^setup-upsun-cli failed: /, '') : 'step succeeded'
  })
}

const releaseCases: Case[] = [
  {
    fault: '5xx burst (503 ×3) on the archive',
    expect: 'survived',
    inject: () => server().fault(/\.tar\.gz$/, { status: 503 }, 3)
  },
  {
    fault: '429 with Retry-After: 1',
    expect: 'survived',
    inject: () => server().fault(/\.tar\.gz$/, { status: 429, headers: { 'retry-after': '1' } }),
    check: (step) => expect(step.log).toMatch(/HTTP 429; retrying in 1\.0 s/)
  },
  {
    fault: 'connection reset mid-body',
    expect: 'survived',
    inject: () => server().fault(/^\/objects\/.*\.tar\.gz$/, { kind: 'cut' })
  },
  {
    fault: 'truncated body, correct Content-Length',
    expect: 'survived',
    inject: () => server().fault(/^\/objects\/.*\.tar\.gz$/, { kind: 'truncate' })
  },
  {
    fault: 'stalled server, once (timeout, then retry)',
    expect: 'survived',
    inject: () => server().fault(/^\/objects\/.*\.tar\.gz$/, { kind: 'stall' })
  },
  {
    fault: 'stalled server, always',
    expect: 'refused',
    message: /Could not download .*UND_ERR_HEADERS_TIMEOUT, after retries/,
    inject: () => server().fault(/^\/objects\/.*\.tar\.gz$/, { kind: 'stall' }, 10)
  },
  {
    fault: '404 for the asset',
    expect: 'refused',
    message: /Version 99\.0\.0 has no asset upsun_99\.0\.0_linux_amd64\.tar\.gz/,
    inputs: () => ({ ...base(), version: '99.0.0' })
  },
  {
    fault: 'rate-limited API answer (range)',
    expect: 'refused',
    message: /rate limit.*`github-token`/,
    env: () => ({ GITHUB_SERVER_URL: server().origin, GITHUB_API_URL: server().apiUrl }),
    inputs: () => ({ ...base(), version: '5.x' }),
    inject: () => server().fault(/^\/api\//, { status: 429 }, 10)
  },
  {
    fault: 'wrong checksum',
    expect: 'refused',
    message: /SHA-256 mismatch .*checksums\.txt says 0{64}, the download is [0-9a-f]{64}/,
    inject: () => server().replace(objectPath('checksums.txt'), `${'0'.repeat(64)}  ${asset()}\n`)
  },
  {
    fault: 'missing checksum line',
    expect: 'refused',
    message: /checksums\.txt of release v.* has no line for upsun_.*Actual SHA-256: [0-9a-f]{64}/,
    inject: () => server().replace(objectPath('checksums.txt'), `${'1'.repeat(64)}  other.tar.gz\n`)
  },
  {
    fault: 'checksums.txt is a 404',
    expect: 'refused',
    message: /publishes no checksums\.txt .*cannot be verified/,
    inject: () => server().fault(/checksums\.txt$/, { status: 404 }, 10)
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
    inject: () => {
      const body = hostileTarGz(kind)
      const { createHash } = cryptoModule
      server().replace(objectPath(asset()), body)
      server().replace(
        objectPath('checksums.txt'),
        `${createHash('sha256').update(body).digest('hex')}  ${asset()}\n`
      )
    }
  }))
]

const withPhp = canRun(
  'Web PaaS fault cases',
  phpAvailable(),
  'PHP with the curl extension is missing'
)
const pharCases: Case[] = (
  withPhp ? ['../../outside.phar', 'http://127.0.0.2:9/webpaas.phar'] : []
).map((url) => ({
  fault: `Web PaaS manifest url ${url}`,
  expect: 'refused',
  message: /points outside the site.*refused/,
  inputs: () => ({ cli: 'webpaas', 'releases-url': site.url }),
  inject: () =>
    site.setManifest((entries: Array<Record<string, string>>) =>
      entries.map((e) => ({ ...e, url }))
    )
}))

const authCases: Case[] = [
  {
    fault: 'auth 5xx burst (500 ×3)',
    expect: 'survived',
    inputs: withToken,
    inject: () => api.fault(/^\/oauth2\/token$/, { status: 500 }, 3)
  },
  {
    fault: 'auth connection reset',
    expect: 'survived',
    inputs: withToken,
    inject: () => api.fault(/^\/oauth2\/token$/, { kind: 'reset' })
  },
  {
    fault: 'auth 400 invalid_grant',
    expect: 'refused',
    message: /rejected .*HTTP 400, invalid_grant.*invalid, revoked or expired/,
    inputs: () => ({ ...withToken(), token: 'not-a-valid-token-123' })
  },
  {
    fault: 'auth 401',
    expect: 'refused',
    message: /rejected .*HTTP 401/,
    inputs: withToken,
    inject: () => api.fault(/^\/oauth2\/token$/, { status: 401 })
  },
  {
    fault: 'auth 403',
    expect: 'refused',
    message: /HTTP 403 Forbidden/,
    inputs: withToken,
    inject: () => api.fault(/^\/oauth2\/token$/, { status: 403 })
  },
  {
    fault: 'auth answers non-JSON',
    expect: 'refused',
    message: /not a JSON object/,
    inputs: withToken,
    inject: () => api.fault(/^\/oauth2\/token$/, { kind: 'garbage' })
  },
  {
    fault: '/users/me 5xx burst',
    expect: 'survived',
    inputs: withToken,
    inject: () => api.fault(/^\/users\/me$/, { status: 502 }, 2)
  },
  {
    fault: 'slow auth server (1 s, under the timeout)',
    expect: 'survived',
    inputs: withToken,
    inject: () => api.fault(/^\/oauth2\/token$/, { kind: 'slow', delayMs: 1000 })
  }
]

const inputCases: Case[] = [
  {
    fault: 'empty token (install only)',
    expect: 'survived',
    inputs: () => ({ ...withToken(), token: '' }),
    check: (s) => expect(s.notices.join()).toMatch(/not authenticated/)
  },
  {
    fault: 'whitespace-only token (install only)',
    expect: 'survived',
    inputs: () => ({ ...withToken(), token: ' \t ' }),
    check: (s) => expect(s.exported.UPSUN_CLI_TOKEN).toBeUndefined()
  },
  {
    fault: 'token with a newline',
    expect: 'refused',
    message: /contains a line break/,
    inputs: () => ({ ...withToken(), token: `${TOKEN}\nX=1` })
  },
  {
    fault: 'token with \\r',
    expect: 'refused',
    message: /contains a line break/,
    inputs: () => ({ ...withToken(), token: `${TOKEN}\rX` })
  },
  {
    fault: 'token with non-ASCII',
    expect: 'refused',
    message: /control or non-ASCII/,
    inputs: () => ({ ...withToken(), token: `${TOKEN}é` })
  },
  {
    fault: '100 kB token',
    expect: 'refused',
    message: /is 102400 characters long/,
    inputs: () => ({ ...withToken(), token: 'a'.repeat(102400) })
  },
  {
    fault: 'version ../../x',
    expect: 'refused',
    message: /Input `version` must be/,
    inputs: () => ({ ...base(), version: '../../x' })
  },
  {
    fault: 'version "5.11.1; rm -rf /"',
    expect: 'refused',
    message: /Input `version` must be/,
    inputs: () => ({ ...base(), version: '5.11.1; rm -rf /' })
  },
  {
    fault: 'unknown cli',
    expect: 'refused',
    message: /Input `cli` must be one of upsun, platform, webpaas/,
    inputs: () => ({ ...base(), cli: 'heroku' })
  },
  {
    fault: 'non-boolean ssh-cert',
    expect: 'refused',
    message: /Input `ssh-cert` must be true or false/,
    inputs: () => ({ ...base(), 'ssh-cert': 'yes' })
  },
  {
    fault: 'http auth-url to a non-loopback host',
    expect: 'refused',
    message: /Input `auth-url` must use https/,
    inputs: () => ({ ...withToken(), 'auth-url': 'http://auth.example.com' })
  }
]

const environmentCases: Case[] = [
  {
    fault: 'HTTPS_PROXY/HTTP_PROXY to a loopback proxy',
    expect: 'survived',
    env: async () => {
      proxy = await startProxy()
      return { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: '' }
    },
    inputs: withToken,
    check: () => expect(proxy?.seen.length).toBeGreaterThanOrEqual(4)
  },
  {
    fault: 'proxy that is down',
    expect: 'refused',
    message: /Could not reach 127\.0\.0\.1:\d+\. Proxy settings in force: HTTP_PROXY=/,
    env: async () => ({ HTTP_PROXY: `http://127.0.0.1:${await deadPort()}`, NO_PROXY: '' })
  },
  {
    fault: 'UPSUN_CLI_DEBUG=1 set',
    expect: 'survived',
    env: () => ({ UPSUN_CLI_DEBUG: '1' }),
    inputs: withToken,
    check: (s) => expect(s.warnings.join()).toMatch(/UPSUN_CLI_DEBUG is set/)
  }
]
let proxy: Awaited<ReturnType<typeof startProxy>> | undefined

describe('faults', () => {
  afterAll(async () => {
    await proxy?.close()
  })
  beforeEach(() => {
    server().clearFaults()
    server().restore()
  })

  it.each([...releaseCases, ...pharCases].map((c) => [c.fault, c] as const))(
    'releases: %s',
    async (_f, c) => expectCaseOutcome('releases', c)
  )
  it.each(authCases.map((c) => [c.fault, c] as const))('auth/API: %s', async (_f, c) =>
    expectCaseOutcome('auth/API', c)
  )
  it.each(inputCases.map((c) => [c.fault, c] as const))('inputs: %s', async (_f, c) =>
    expectCaseOutcome('inputs', c)
  )
  it.each(environmentCases.map((c) => [c.fault, c] as const))('environment: %s', async (_f, c) =>
    expectCaseOutcome('environment', c)
  )

  it('inputs: a NUL in the token is refused (a NUL cannot travel in an environment variable, so this is checked on the function)', () => {
    expect(() => checkTokenText(`${TOKEN}\0x`)).toThrow(/control or non-ASCII/)
    figures.push({
      group: 'inputs',
      fault: 'token with NUL (function level)',
      outcome: 'refused',
      detail: 'Input `token` contains control or non-ASCII characters.'
    })
  })

  it.each([['dotdot'], ['symlink']] as const)(
    'releases: zip with %s entries is refused before extraction',
    async (kind) => {
      const body = hostileZip(kind)
      const zipAsset = `upsun_${real}_windows_amd64.zip`
      server().replace(objectPath(zipAsset), body)
      server().replace(
        objectPath('checksums.txt'),
        `${cryptoModule.createHash('sha256').update(body).digest('hex')}  ${zipAsset}\n`
      )
      const parent = mkdtempSync(path.join(os.tmpdir(), 'zip-fault-'))
      const staging = path.join(parent, 'staging')
      const release = gitHubRelease(real, `v${real}`, server().releasesUrl('upsun/cli'))
      const target = { assetSuffix: 'windows_amd64', archive: 'zip' as const, exeSuffix: '.exe' }
      const { mkdir } = await import('node:fs/promises')
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
      figures.push({
        group: 'releases',
        fault: `zip with ${kind === 'dotdot' ? '../ paths' : 'symlinks out'} (download module, Windows path)`,
        outcome: 'refused',
        detail: 'refused before extraction'
      })
    }
  )

  it.each([[2], [8]])(
    'environment: %i concurrent jobs install the same version into one tool cache',
    async (n) => {
      const first = new Job({ env: FAST })
      const all = [
        first,
        ...Array.from({ length: n - 1 }, () => new Job({ toolCache: first.toolCache, env: FAST }))
      ]
      jobs.push(...all)
      const steps = await Promise.all(all.map((j) => j.main(base())))
      expect(steps.map((s) => s.exitCode)).toEqual(all.map(() => 0))
      expect(readdirSync(path.join(first.toolCache, 'upsun', real)).sort()).toEqual([
        'x64',
        'x64.complete'
      ])
      expectCacheWhole(first.toolCache)
      for (const job of all)
        expect((await job.run('upsun --version')).stdout.trim()).toBe(`Upsun CLI ${real}`)
      figures.push({
        group: 'environment',
        fault: `${n} concurrent installs, one tool cache`,
        outcome: 'survived',
        detail: 'one entry, all jobs run it'
      })
    }
  )

  it('environment: a tool-cache entry tampered after install is replaced, not run', async () => {
    const first = new Job({ env: FAST })
    const second = new Job({ toolCache: first.toolCache, env: FAST })
    jobs.push(first, second)
    const installed = await first.main(base())
    writeFileSync(installed.outputs['cli-path'], '#!/bin/sh\necho tampered\n')
    const step = await second.main(base())
    expect(step.exitCode).toBe(0)
    expect(step.warnings.join()).toMatch(/no longer matches the digest/)
    expect((await second.run('upsun --version')).stdout.trim()).toBe(`Upsun CLI ${real}`)
    figures.push({
      group: 'environment',
      fault: 'tool-cache entry tampered after install',
      outcome: 'survived',
      detail: 'detected, removed, reinstalled'
    })
  })

  const readOnlyHome = canRun(
    'read-only HOME case',
    sshSandboxAvailable(),
    'it needs root (to run as the test user)'
  )
    ? it
    : it.skip
  readOnlyHome(
    'environment: a read-only HOME (token, no ssh-cert) still installs and authenticates',
    async () => {
      const user = ensureTestUser()
      const job = new Job({ user, env: FAST })
      jobs.push(job)
      chmodSync(job.home, 0o555)
      const step = await job.main(withToken())
      expect(step.errors).toEqual([])
      expect(step.outputs['user-email']).not.toBe('')
      chmodSync(job.home, 0o755)
      figures.push({
        group: 'environment',
        fault: 'read-only HOME',
        outcome: 'survived',
        detail: 'installs and authenticates; nothing written to HOME'
      })
    }
  )

  it('leaks nothing in any of these runs, and writes the figures', () => {
    const secrets = [TOKEN, ...api.accessTokens]
    const leaks = jobs.flatMap((job) => findLeaks(job, secrets, { allowCliCredentials: true }))
    expect(leaks).toEqual([])
    const survived = figures.filter((f) => f.outcome === 'survived').length
    const refused = figures.filter((f) => f.outcome === 'refused').length
    const line = `Faults injected: ${figures.length}; survived: ${survived}; refused cleanly: ${refused}; leaks found: ${leaks.length} (in ${jobs.length} end-to-end runs).`
    writeFigures(line)
    expect(survived + refused).toBe(figures.length)
    expect(figures.length).toBeGreaterThanOrEqual(withPhp ? 40 : 35)
  })
})

function writeFigures(line: string): void {
  // Ports and digests change from run to run; the document should not.
  const stable = (text: string): string =>
    text
      .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')
      .replace(/\b[0-9a-f]{64}\b/g, '<sha256>')
      .replace(/\|/g, '\\|')
      .replace(/\n/g, ' ')
  const rows = figures.map(
    (f) => `| ${f.group} | ${stable(f.fault)} | ${f.outcome} | ${stable(f.detail).slice(0, 200)} |`
  )
  const doc = [
    '# Faults and leaks',
    '',
    'Written by the fault suite (`__tests__/e2e/faults.test.ts`, run by `npm test` and `.ci/run`). Each case runs the bundled action end to end under Node 24 through the runner-faithful harness, with one fault injected on loopback. **Survived**: the step succeeded (retried or handled). **Refused**: a clear error, nothing half-installed in the tool cache, nothing added to PATH, nothing exported. Every run is searched for the token, the access tokens and private key material after masks are applied.',
    '',
    line,
    '',
    '| Group | Fault | Outcome | What the step said |',
    '| --- | --- | --- | --- |',
    ...rows,
    ''
  ].join('\n')
  writeFileSync(path.join(ROOT, 'docs', 'faults.md'), doc)
  writeFileSync(path.join(ROOT, '.fixtures', 'fault-figures.txt'), `${line}\n`)
  const readmePath = path.join(ROOT, 'README.md')
  const readme = readFileSync(readmePath, 'utf8')
  const next = readme.replace(
    /(<!-- BEGIN_FAULT_FIGURES -->)[\s\S]*?(<!-- END_FAULT_FIGURES -->)/,
    `$1\n${line} Every case and what the step said: [docs/faults.md](docs/faults.md).\n$2`
  )
  if (next !== readme) writeFileSync(readmePath, next)
}
