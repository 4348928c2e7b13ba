// End to end for the other two CLIs the platform documents: Platform.sh
// (`cli: platform`, the real binary as the Platform.sh CLI) and OVHcloud Web
// PaaS (`cli: webpaas`, a phar built here with the real PHP, from a manifest).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { SANDBOX_USER, startApiServer } from '../../sandbox/api.mjs'
import { startSandboxReleases } from '../../sandbox/index.mjs'
import { findLeaks } from '../../sandbox/leaks.mjs'
import { canRun, phpAvailable } from '../../sandbox/availability.mjs'
import { Job } from '../../sandbox/runner.mjs'
import { startPharSite } from '../../sandbox/webpaas.mjs'

const TOKEN = 'sandbox-clis-token-1b2c3d4e5f607182'
const FAST = { SETUP_UPSUN_CLI_RETRY_BASE_MS: '50', SETUP_UPSUN_CLI_HTTP_TIMEOUT_MS: '3000' }
type Entry = { version: string; sha256: string; name: string; url: string }

let releases: Awaited<ReturnType<typeof startSandboxReleases>>
let api: Awaited<ReturnType<typeof startApiServer>>
let site: Awaited<ReturnType<typeof startPharSite>>
const jobs: Job[] = []

beforeAll(async () => {
  releases = await startSandboxReleases()
  api = await startApiServer({ tokens: [TOKEN] })
  site = await startPharSite({ versions: ['3.87.0', '3.88.1', '4.0.0-beta1'] })
}, 300_000)
afterAll(async () => {
  await releases.server.close()
  await api.close()
  await site.close()
})
beforeEach(() => site.setManifest((e: Entry[]) => e))

function newJob(env: Record<string, string> = {}): Job {
  const job = new Job({ env: { ...FAST, ...env } })
  jobs.push(job)
  return job
}
const endpoints = { 'auth-url': '', 'api-url': '' }
beforeAll(() => {
  endpoints['auth-url'] = api.origin
  endpoints['api-url'] = api.origin
})

describe('cli: platform', () => {
  it('installs the Platform.sh build, exports only PLATFORMSH_CLI_*, and a later platform command is authenticated', async () => {
    const job = newJob()
    const step = await job.main({
      cli: 'platform',
      version: releases.version,
      'releases-url': releases.server.releasesUrl('upsun/cli'),
      token: TOKEN,
      ...endpoints
    })
    expect(step.errors).toEqual([])
    expect(step.outputs['cli-path']).toBe(
      path.join(job.toolCache, 'platform', releases.version, 'x64', 'platform')
    )
    expect(Object.keys(step.exported).sort()).toEqual([
      'PLATFORMSH_CLI_API_AUTH_URL',
      'PLATFORMSH_CLI_API_BASE_URL',
      'PLATFORMSH_CLI_API_DISABLE_CREDENTIAL_HELPERS',
      'PLATFORMSH_CLI_CERTIFIER_URL',
      'PLATFORMSH_CLI_NO_INTERACTION',
      'PLATFORMSH_CLI_OAUTH2_AUTH_URL',
      'PLATFORMSH_CLI_OAUTH2_REVOKE_URL',
      'PLATFORMSH_CLI_OAUTH2_TOKEN_URL',
      'PLATFORMSH_CLI_SESSION_ID',
      'PLATFORMSH_CLI_TMP',
      'PLATFORMSH_CLI_TOKEN',
      'PLATFORMSH_CLI_UPDATES_CHECK'
    ])
    const exchange = api.requests.filter((r) => r.path === '/oauth2/token').at(-1)
    expect(new URLSearchParams(exchange?.body).get('client_id')).toBe('platform-cli')
    const later = await job.run(
      'platform --version && platform auth:info -P email --no-interaction'
    )
    expect(later.stdout.trim().split('\n')).toEqual([
      `Platform.sh CLI ${releases.version}`,
      SANDBOX_USER.email
    ])
    expect(existsSync(path.join(job.home, '.platformsh'))).toBe(true)
    expect(existsSync(path.join(job.home, '.upsun-cli'))).toBe(false)
    // The Go build reads PLATFORMSH_CLI_TMP: it unpacked there, not in ~/.cache.
    const unpacked = step.exported.PLATFORMSH_CLI_TMP
    expect(readdirSync(unpacked)).toEqual(['platformsh-cli-tmp'])
    expect(existsSync(path.join(job.home, '.cache'))).toBe(false)
    await job.post()
    expect(existsSync(path.join(job.home, '.platformsh'))).toBe(false)
    expect(existsSync(unpacked)).toBe(false)
  })

  it('5.9.0 comes from the platformsh/cli channel with its bare tag', async () => {
    const job = newJob()
    const step = await job.main({
      cli: 'platform',
      version: '5.9.0',
      'releases-url': releases.server.releasesUrl('platformsh/cli')
    })
    expect(step.errors).toEqual([])
    expect((await job.run('platform --version')).stdout.trim()).toBe('Platform.sh CLI 5.9.0')
  })
})

const describeWebpaas = canRun(
  'Web PaaS suite',
  phpAvailable(),
  'PHP with the curl extension is missing'
)
  ? describe
  : describe.skip

describeWebpaas('cli: webpaas', () => {
  const webpaas = (extra: Record<string, string> = {}): Record<string, string> => ({
    cli: 'webpaas',
    'releases-url': site.url,
    ...extra
  })

  it('installs the newest stable phar from the manifest with a launcher; a later webpaas command is authenticated', async () => {
    const job = newJob()
    const step = await job.main(webpaas({ token: TOKEN, ...endpoints }))
    expect(step.errors).toEqual([])
    expect(step.outputs.version).toBe('3.88.1')
    expect(step.outputs['cli-path']).toBe(
      path.join(job.toolCache, 'webpaas', '3.88.1', 'x64', 'webpaas')
    )
    expect(step.log).toMatch(
      /Verified: SHA-256 [0-9a-f]{64} of webpaas\.phar 3\.88\.1 matches manifest\.json/
    )
    expect(step.exported).toMatchObject({
      OVHCLOUD_WEBPAAS_CLI_TOKEN: TOKEN,
      OVHCLOUD_WEBPAAS_CLI_API_AUTH_URL: api.origin,
      OVHCLOUD_WEBPAAS_CLI_NO_INTERACTION: '1'
    })
    expect(Object.keys(step.exported).some((k) => k.startsWith('UPSUN_'))).toBe(false)
    // A phar run by the runner's php: nothing is unpacked, so no directory for it.
    expect(step.exported).not.toHaveProperty('OVHCLOUD_WEBPAAS_CLI_TMP')
    const exchange = api.requests.filter((r) => r.path === '/oauth2/token').at(-1)
    expect(new URLSearchParams(exchange?.body).get('client_id')).toBe('ovh-eu-cli')
    const later = await job.run('webpaas --version && webpaas auth:info')
    expect(later.stdout.trim().split('\n')).toEqual([
      'OVHcloud Web PaaS CLI 3.88.1',
      SANDBOX_USER.email
    ])
  })

  it('an exact version is taken from the manifest; a second job is a cache hit with no request', async () => {
    const first = newJob()
    expect((await first.main(webpaas({ version: '3.87.0' }))).outputs.version).toBe('3.87.0')
    const before = site.requests.length
    const second = new Job({ toolCache: first.toolCache, env: FAST })
    jobs.push(second)
    const step = await second.main(webpaas({ version: '3.87.0' }))
    expect(step.outputs['cache-hit']).toBe('true')
    expect(site.requests.length).toBe(before)
    expect((await second.run('webpaas --version')).stdout.trim()).toBe(
      'OVHcloud Web PaaS CLI 3.87.0'
    )
  })
})

describe('leaks', () => {
  it('no token or access token anywhere in these runs', () => {
    const secrets = [TOKEN, ...api.accessTokens]
    for (const job of jobs)
      expect(findLeaks(job, secrets, { allowCliCredentials: true })).toEqual([])
  })
})
