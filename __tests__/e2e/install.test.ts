// End to end: the bundled action under Node 24, driven like the runner, against
// the loopback GitHub-Releases stand-in serving archives of the real CLI.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, writeFileSync, chmodSync } from 'node:fs'
import path from 'node:path'
import { startSandboxReleases } from '../../sandbox/index.mjs'
import { deadPort, startProxy } from '../../sandbox/proxy.mjs'
import { Job } from '../../sandbox/runner.mjs'

type Sandbox = Awaited<ReturnType<typeof startSandboxReleases>>
let sandbox: Sandbox
let server: Sandbox['server']
let real: string

// Short timeouts and backoff so that fault cases run in seconds.
const FAST = { SETUP_UPSUN_CLI_RETRY_BASE_MS: '50', SETUP_UPSUN_CLI_HTTP_TIMEOUT_MS: '3000' }

beforeAll(async () => {
  sandbox = await startSandboxReleases()
  server = sandbox.server
  real = sandbox.version
}, 300_000)
afterAll(async () => server.close())
beforeEach(() => {
  server.clearFaults()
  server.restore()
})

const upsunReleases = (): string => server.releasesUrl('upsun/cli')
const newJob = (toolCache?: string): Job => new Job({ toolCache, env: FAST })

/** Nothing of this version in the tool cache, and no staging leftovers. */
function expectNothingInstalled(job: Job, step: { paths: string[]; exported: object }): void {
  const toolDir = path.join(job.toolCache, 'upsun')
  const leftovers = existsSync(toolDir)
    ? readdirSync(toolDir).filter((n) => n.startsWith('.staging'))
    : []
  expect(leftovers).toEqual([])
  expect(existsSync(path.join(toolDir, real, 'x64.complete'))).toBe(false)
  expect(existsSync(path.join(toolDir, real, 'x64'))).toBe(false)
  expect(step.paths).toEqual([])
  expect(step.exported).toEqual({})
}

describe('install from releases', () => {
  it.each([
    ['exact', 'REAL'],
    ['v-prefixed', 'vREAL'],
    ['latest', 'latest']
  ])(
    '%s version: installs the real CLI, exports CI settings, later steps run it',
    async (_name, version) => {
      const job = newJob()
      const step = await job.main({
        version: version.replace('REAL', real),
        'releases-url': upsunReleases()
      })
      expect(step.errors).toEqual([])
      expect(step.exitCode).toBe(0)
      expect(step.outputs).toMatchObject({
        version: real,
        'cache-hit': 'false',
        'cli-path': path.join(job.toolCache, 'upsun', real, 'x64', 'upsun')
      })
      expect(step.paths).toEqual([path.join(job.toolCache, 'upsun', real, 'x64')])
      expect(step.exported).toEqual({
        UPSUN_CLI_NO_INTERACTION: '1',
        UPSUN_CLI_UPDATES_CHECK: '0',
        UPSUN_CLI_API_DISABLE_CREDENTIAL_HELPERS: '1'
      })
      expect(step.log).toMatch(
        /Verified: SHA-256 [0-9a-f]{64} of upsun_.*_linux_amd64\.tar\.gz matches checksums\.txt/
      )
      expect(step.log).toContain('::group::')
      expect(step.summary).toContain('Upsun CLI set up')
      const later = await job.run('upsun --version')
      expect(later.stdout.trim()).toBe(`Upsun CLI ${real}`)
    }
  )

  it('latest is resolved without the REST API', async () => {
    const before = server.requests.length
    const step = await newJob().main({ 'releases-url': upsunReleases() })
    expect(step.exitCode).toBe(0)
    const urls = server.requests.slice(before).map((r) => r.url)
    expect(urls.some((u) => u.startsWith('/api/'))).toBe(false)
    expect(urls).toContain('/upsun/cli/releases/latest')
  })

  it('a 5.9.0-style release: bare tag on the second repository', async () => {
    const job = newJob()
    const step = await job.main({
      version: '5.9.0',
      'releases-url': server.releasesUrl('platformsh/cli')
    })
    expect(step.errors).toEqual([])
    expect(step.outputs.version).toBe('5.9.0')
    const downloads = server.requests
      .map((r) => r.url)
      .filter((u) => u.includes('/download/5.9.0/'))
    expect(downloads).toEqual(
      expect.arrayContaining([
        '/platformsh/cli/releases/download/5.9.0/upsun_5.9.0_linux_amd64.tar.gz',
        '/platformsh/cli/releases/download/5.9.0/checksums.txt'
      ])
    )
  })

  it('a semver range resolves through the API of the run’s GitHub server, with github-token', async () => {
    const job = new Job({
      env: { ...FAST, GITHUB_SERVER_URL: server.origin, GITHUB_API_URL: server.apiUrl }
    })
    const before = server.requests.length
    const step = await job.main({
      version: '^5.10',
      'releases-url': upsunReleases(),
      'github-token': 'ghs_sandboxtoken123'
    })
    expect(step.errors).toEqual([])
    expect(step.outputs.version).toBe(real)
    const api = server.requests
      .slice(before)
      .filter((r) => r.url.startsWith('/api/v3/repos/upsun/cli/releases'))
    expect(api).toHaveLength(1)
    expect(api[0].headers.authorization).toBe('Bearer ghs_sandboxtoken123')
    // The token goes to the API only, never to downloads.
    const others = server.requests.slice(before).filter((r) => !r.url.startsWith('/api/'))
    expect(others.every((r) => r.headers.authorization === undefined)).toBe(true)
  })

  it('a range that only older releases satisfy picks the highest of them', async () => {
    const job = new Job({
      env: { ...FAST, GITHUB_SERVER_URL: server.origin, GITHUB_API_URL: server.apiUrl }
    })
    const step = await job.main({ version: '~5.10.0', 'releases-url': upsunReleases() })
    expect(step.errors).toEqual([])
    expect(step.outputs.version).toBe('5.10.0')
  })

  it('a rate-limited API answer fails naming github-token, with no fallback version', async () => {
    const job = new Job({
      env: { ...FAST, GITHUB_SERVER_URL: server.origin, GITHUB_API_URL: server.apiUrl }
    })
    server.fault(/^\/api\//, { status: 403, headers: { 'x-ratelimit-remaining': '0' } })
    const step = await job.main({ version: '5.x', 'releases-url': upsunReleases() })
    expect(step.exitCode).toBe(1)
    expect(step.errors.join('\n')).toMatch(/rate limit.*`github-token`/)
    expectNothingInstalled(job, step)
  })

  it('a second job on the same tool cache is a verified cache hit with no download', async () => {
    const first = newJob()
    expect((await first.main({ version: real, 'releases-url': upsunReleases() })).exitCode).toBe(0)
    const before = server.requests.length
    const second = newJob(first.toolCache)
    const step = await second.main({ version: real, 'releases-url': upsunReleases() })
    expect(step.exitCode).toBe(0)
    expect(step.outputs['cache-hit']).toBe('true')
    expect(server.requests.length).toBe(before)
    expect((await second.run('upsun --version')).stdout).toContain(real)
  })

  it('a tool-cache entry tampered after install is not used, and is replaced', async () => {
    const first = newJob()
    const step1 = await first.main({ version: real, 'releases-url': upsunReleases() })
    const binary = step1.outputs['cli-path']
    writeFileSync(binary, '#!/bin/sh\necho "Upsun CLI ' + real + '"\necho pwned\n')
    chmodSync(binary, 0o755)
    const second = newJob(first.toolCache)
    const step = await second.main({ version: real, 'releases-url': upsunReleases() })
    expect(step.exitCode).toBe(0)
    expect(step.warnings.join('\n')).toMatch(/no longer matches the digest/)
    expect(step.outputs['cache-hit']).toBe('false')
    expect((await second.run('upsun --version')).stdout.trim()).toBe(`Upsun CLI ${real}`)
  })

  it('survives 500, 500, then success', async () => {
    server.fault(/\/download\/.*\.tar\.gz$/, { status: 500 }, 2)
    const step = await newJob().main({ version: real, 'releases-url': upsunReleases() })
    expect(step.exitCode).toBe(0)
    expect(step.log.match(/HTTP 500; retrying/g)).toHaveLength(2)
  })

  it('survives a body cut mid-stream, restarting cleanly', async () => {
    server.fault(/^\/objects\/.*\.tar\.gz$/, { kind: 'cut' })
    const job = newJob()
    const step = await job.main({ version: real, 'releases-url': upsunReleases() })
    expect(step.exitCode).toBe(0)
    expect(step.log).toMatch(/was cut after \d+ bytes \(connection closed mid-transfer\); retrying/)
    expect(readdirSync(path.join(job.toolCache, 'upsun')).filter((n) => n.startsWith('.'))).toEqual(
      []
    )
  })

  it('refuses a checksum mismatch with both digests, caching nothing', async () => {
    server.replace(
      `/objects/upsun/cli/v${real}/checksums.txt`,
      `${'0'.repeat(64)}  upsun_${real}_linux_amd64.tar.gz\n`
    )
    const job = newJob()
    const step = await job.main({ version: real, 'releases-url': upsunReleases() })
    expect(step.exitCode).toBe(1)
    expect(step.errors.join('\n')).toMatch(
      new RegExp(
        `SHA-256 mismatch for upsun_${real.replace(/\./g, '\\.')}_linux_amd64\\.tar\\.gz: checksums\\.txt says 0{64}, the download is [0-9a-f]{64}`
      )
    )
    expectNothingInstalled(job, step)
  })

  it('a 404 names the version, the asset and the releases URL, without retrying', async () => {
    const before = server.requests.length
    const job = newJob()
    // The release exists, but holds no asset of that name.
    const step = await job.main({ version: '5.12.0-alpha1', 'releases-url': upsunReleases() })
    expect(step.exitCode).toBe(1)
    expect(step.errors.join('\n')).toContain(
      `Version 5.12.0-alpha1 has no asset upsun_5.12.0-alpha1_linux_amd64.tar.gz`
    )
    expect(step.errors.join('\n')).toContain(upsunReleases())
    const archiveRequests = server.requests.slice(before).filter((r) => r.url.endsWith('.tar.gz'))
    expect(archiveRequests).toHaveLength(1)
    expect(job.paths).toEqual([])
  })

  it('two concurrent installs into one tool cache both succeed and leave one good entry', async () => {
    const a = newJob()
    const b = newJob(a.toolCache)
    const [stepA, stepB] = await Promise.all([
      a.main({ version: real, 'releases-url': upsunReleases() }),
      b.main({ version: real, 'releases-url': upsunReleases() })
    ])
    expect([stepA.exitCode, stepB.exitCode]).toEqual([0, 0])
    expect(readdirSync(path.join(a.toolCache, 'upsun')).sort()).toEqual([real])
    expect(readdirSync(path.join(a.toolCache, 'upsun', real)).sort()).toEqual([
      'x64',
      'x64.complete'
    ])
    for (const job of [a, b]) expect((await job.run('upsun --version')).stdout).toContain(real)
  })

  it('goes through HTTP_PROXY when one is set', async () => {
    const proxy = await startProxy()
    try {
      const job = new Job({
        env: { ...FAST, HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: '' }
      })
      const step = await job.main({ version: 'latest', 'releases-url': upsunReleases() })
      expect(step.errors).toEqual([])
      // undici tunnels through the proxy with CONNECT, for http targets too:
      // the lookup, checksums.txt and the archive each opened a tunnel.
      const host = new URL(server.origin).host
      expect(proxy.seen.length).toBeGreaterThanOrEqual(3)
      expect(proxy.seen.every((s) => s === `CONNECT ${host}`)).toBe(true)
    } finally {
      await proxy.close()
    }
  })

  it('a dead proxy fails with a message naming the host and the proxy settings', async () => {
    const dead = `http://127.0.0.1:${await deadPort()}`
    const job = new Job({ env: { ...FAST, HTTP_PROXY: dead, NO_PROXY: '' } })
    const step = await job.main({ version: real, 'releases-url': upsunReleases() })
    expect(step.exitCode).toBe(1)
    expect(step.errors.join('\n')).toMatch(
      new RegExp(
        `Could not reach 127\\.0\\.0\\.1:\\d+\\. Proxy settings in force: HTTP_PROXY=${dead}`
      )
    )
    expectNothingInstalled(job, step)
  })

  it('an unknown cli and a bad version fail before anything is downloaded', async () => {
    const before = server.requests.length
    const bad = await newJob().main({ cli: 'heroku', 'releases-url': upsunReleases() })
    expect(bad.errors.join('\n')).toMatch(/Input `cli` must be one of upsun, platform/)
    const injection = await newJob().main({
      version: '5.11.1; rm -rf /',
      'releases-url': upsunReleases()
    })
    expect(injection.errors.join('\n')).toMatch(/Input `version` must be/)
    expect(server.requests.length).toBe(before)
  })
})
