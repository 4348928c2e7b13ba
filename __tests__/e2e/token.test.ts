// End to end: the token is masked, checked online against the loopback API
// stand-in, exported, and used by the real CLI in a later step. Every run in
// this file is searched for leaks at the end. Happy paths only: every failure
// case lives in the fault suites (./faults/).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { SANDBOX_USER, startApiServer } from '../../sandbox/api.mjs'
import { startSandboxReleases } from '../../sandbox/index.mjs'
import { findLeaks } from '../../sandbox/leaks.mjs'
import { Job } from '../../sandbox/runner.mjs'

const TOKEN = 'sandbox-api-token-5f0c2a9e7b41d38c'
const OTHER = 'revoked-api-token-000000000000'
const FAST = { SETUP_UPSUN_CLI_RETRY_BASE_MS: '50', SETUP_UPSUN_CLI_HTTP_TIMEOUT_MS: '3000' }

let releases: Awaited<ReturnType<typeof startSandboxReleases>>
let api: Awaited<ReturnType<typeof startApiServer>>
const jobs: Job[] = []

beforeAll(async () => {
  releases = await startSandboxReleases()
  api = await startApiServer({ tokens: [TOKEN] })
}, 300_000)
afterAll(async () => {
  await releases.server.close()
  await api.close()
})
beforeEach(() => api.clearFaults())

/** A job sharing one tool cache (the install is not what is tested here). */
let sharedCache: string | undefined
function newJob(env: Record<string, string> = {}): Job {
  const job = new Job({ toolCache: sharedCache, env: { ...FAST, ...env } })
  sharedCache ??= job.toolCache
  jobs.push(job)
  return job
}
const withApi = (extra: Record<string, string> = {}): Record<string, string> => ({
  version: releases.version,
  'releases-url': releases.server.releasesUrl('upsun/cli'),
  'auth-url': api.origin,
  'api-url': api.origin,
  ...extra
})

describe('token', () => {
  it('is checked online, exported, and authenticates the real CLI in a later step', async () => {
    const job = newJob()
    const step = await job.main(withApi({ token: TOKEN }))
    expect(step.errors).toEqual([])
    expect(step.exitCode).toBe(0)
    expect(step.outputs['user-id']).toBe(SANDBOX_USER.id)
    expect(step.outputs['user-email']).toBe(SANDBOX_USER.email)
    expect(step.log).toContain(
      `Authenticated as ${SANDBOX_USER.email} (user id ${SANDBOX_USER.id}).`
    )
    expect(step.exported).toMatchObject({
      UPSUN_CLI_TOKEN: TOKEN,
      UPSUN_CLI_API_AUTH_URL: api.origin,
      UPSUN_CLI_API_BASE_URL: api.origin
    })
    // Masked before anything else was printed.
    expect(step.rawStdout.split('\n')[0]).toBe(`::add-mask::${TOKEN}`)
    const exchange = api.requests.find((r) => r.path === '/oauth2/token')
    expect(Object.fromEntries(new URLSearchParams(exchange?.body ?? ''))).toEqual({
      client_id: 'upsun-cli',
      client_secret: '',
      grant_type: 'api_token',
      api_token: TOKEN
    })
    const later = await job.run('upsun auth:info -P email --no-interaction')
    expect(later.stderr).toBe('')
    expect(later.stdout.trim()).toBe(SANDBOX_USER.email)
    expect(step.summary).toContain(SANDBOX_USER.email)
  })

  it('leaves no token input or runner credential in its own environment, for any child', async () => {
    const job = newJob()
    // Preloaded into the step's Node: writes the names left in process.env at exit.
    const probe = path.join(job.root, 'env-probe.cjs')
    const seen = path.join(job.root, 'env-at-exit.json')
    writeFileSync(
      probe,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(seen)}, JSON.stringify(Object.keys(process.env))))`
    )
    const step = await job.main(withApi({ token: TOKEN, 'github-token': 'ghs_e2e_input_token' }), {
      env: {
        NODE_OPTIONS: `--require=${probe}`,
        ACTIONS_RUNTIME_TOKEN: 'e2e-runtime-token',
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'e2e-oidc-token',
        ACTIONS_ID_TOKEN_REQUEST_URL: 'https://pipelines.example/oidc'
      }
    })
    expect(step.exitCode).toBe(0)
    const names = JSON.parse(readFileSync(seen, 'utf8')) as string[]
    expect(names).toContain('INPUT_VERSION')
    for (const name of [
      'INPUT_TOKEN',
      'INPUT_GITHUB-TOKEN',
      'ACTIONS_RUNTIME_TOKEN',
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
      'ACTIONS_ID_TOKEN_REQUEST_URL'
    ])
      expect(names).not.toContain(name)
  })

  it('masks the exchanged access token the moment it exists', async () => {
    const job = newJob()
    const step = await job.main(withApi({ token: TOKEN }))
    const issued = api.accessTokens.at(-1) ?? ''
    expect(issued).not.toBe('')
    expect(step.rawStdout).toContain(`::add-mask::${issued}`)
  })

  it('without a token installs only, with a notice', async () => {
    const job = newJob()
    const step = await job.main(withApi())
    expect(step.exitCode).toBe(0)
    expect(step.notices.join('\n')).toMatch(
      /No API token given: Upsun CLI is installed but not authenticated/
    )
    expect(step.exported.UPSUN_CLI_TOKEN).toBeUndefined()
    expect(step.outputs['user-id']).toBe('')
  })

  it('an empty input falls back to UPSUN_CLI_TOKEN from the environment, masked', async () => {
    const job = newJob({ UPSUN_CLI_TOKEN: TOKEN })
    const step = await job.main(withApi())
    expect(step.exitCode).toBe(0)
    expect(step.rawStdout).toContain(`::add-mask::${TOKEN}`)
    expect(step.outputs['user-email']).toBe(SANDBOX_USER.email)
  })

  it('verify-token: false sends nothing to the API and still exports the token', async () => {
    const before = api.requests.length
    const step = await newJob().main(withApi({ token: TOKEN, 'verify-token': 'false' }))
    expect(step.exitCode).toBe(0)
    expect(api.requests.length).toBe(before)
    expect(step.exported.UPSUN_CLI_TOKEN).toBe(TOKEN)
  })

  it('the token check runs alongside the download, not after it', async () => {
    const cold = new Job({ env: FAST })
    jobs.push(cold)
    const apiBefore = api.requests.length
    const relBefore = releases.server.requests.length
    const step = await cold.main(withApi({ token: TOKEN }))
    expect(step.exitCode).toBe(0)
    const exchange = api.requests.slice(apiBefore).find((r) => r.path === '/oauth2/token')
    const archive = releases.server.requests
      .slice(relBefore)
      .find((r) => r.url.includes('/objects/') && r.url.includes('.tar.gz'))
    // The exchange reached the API while the archive was still being sent.
    expect(exchange && archive).toBeTruthy()
    expect(exchange!.at).toBeLessThan(archive!.finishedAt)
  })

  it('leaks nothing: no token or access token in any log, output, state, summary or file', () => {
    expect(jobs.length).toBeGreaterThanOrEqual(5)
    const secrets = [TOKEN, OTHER, ...api.accessTokens]
    for (const job of jobs)
      expect(findLeaks(job, secrets, { allowCliCredentials: true })).toEqual([])
    // The check can fail: a file holding the token is found.
    const probe = jobs[0]
    const planted = path.join(probe.temp, 'planted.txt')
    writeFileSync(planted, `x${TOKEN}x`)
    expect(findLeaks(probe, [TOKEN])).toEqual([expect.stringContaining('planted.txt')])
    expect(existsSync(planted)).toBe(true)
  })
})
