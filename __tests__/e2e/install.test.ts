// End to end: the bundled action under Node 24, driven like the runner, against
// the loopback GitHub-Releases stand-in serving archives of the real CLI. Happy
// paths only: every failure case lives in the fault suites (./faults/).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { startSandboxReleases } from '../../sandbox/index.mjs'
import { startForeignSites } from '../../sandbox/tls.mjs'
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
        UPSUN_CLI_API_DISABLE_CREDENTIAL_HELPERS: '1',
        // The job's own unpack directory, and every endpoint (defaults included).
        UPSUN_CLI_TMP: expect.stringMatching(/\/temp\/setup-upsun-cli-tmp-\w{6}$/),
        UPSUN_CLI_API_AUTH_URL: 'https://auth.upsun.com',
        UPSUN_CLI_API_BASE_URL: 'https://api.upsun.com',
        UPSUN_CLI_OAUTH2_TOKEN_URL: 'https://auth.upsun.com/oauth2/token',
        UPSUN_CLI_OAUTH2_AUTH_URL: 'https://auth.upsun.com/oauth2/authorize',
        UPSUN_CLI_OAUTH2_REVOKE_URL: 'https://auth.upsun.com/oauth2/revoke',
        UPSUN_CLI_CERTIFIER_URL: 'https://auth.upsun.com'
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

  it('goes through HTTPS_PROXY to an https releases site, verified against the CA it trusts', async () => {
    // releases.foreign.test exists only for the proxy, which tunnels it to an
    // https front of the sandbox server; the job trusts the test CA.
    const foreign = await startForeignSites({ 'releases.foreign.test': server.origin })
    try {
      const job = new Job({ env: { ...FAST, ...foreign.env } })
      const step = await job.main({
        version: 'latest',
        'releases-url': 'https://releases.foreign.test/upsun/cli/releases'
      })
      expect(step.errors).toEqual([])
      // The name resolves nowhere but in the proxy, so every request went
      // through its tunnels (how many depends on connection reuse).
      expect(foreign.proxy.seen.length).toBeGreaterThanOrEqual(1)
      expect(new Set(foreign.proxy.seen)).toEqual(new Set(['CONNECT releases.foreign.test:443']))
      expect((await job.run('upsun --version')).stdout).toContain(real)
    } finally {
      await foreign.close()
    }
  })
})
