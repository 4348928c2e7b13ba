// End to end: `project` and `environment` are checked online with the token,
// exported as the variables the CLI itself reads (PLATFORM_PROJECT,
// PLATFORM_BRANCH), and a later step runs the real CLI with no --project or
// --environment. Failures are in the fault suite (faults/project.test.ts).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { SANDBOX_USER, startApiServer } from '../../sandbox/api.mjs'
import { canRun, phpAvailable } from '../../sandbox/availability.mjs'
import { startSandboxReleases } from '../../sandbox/index.mjs'
import { findLeaks } from '../../sandbox/leaks.mjs'
import { SANDBOX_PROJECT } from '../../sandbox/projects.mjs'
import { Job } from '../../sandbox/runner.mjs'
import { startPharSite } from '../../sandbox/webpaas.mjs'

const TOKEN = 'sandbox-project-token-4a5b6c7d8e9f0a1b'
const FAST = { SETUP_UPSUN_CLI_RETRY_BASE_MS: '50', SETUP_UPSUN_CLI_HTTP_TIMEOUT_MS: '3000' }
const PROJECT = SANDBOX_PROJECT.id
/** Variables that would make the CLI act as if inside an app container. */
const CONTAINER_ONLY = [
  'PLATFORM_TREE_ID',
  'PLATFORM_ROUTES',
  'PLATFORM_APPLICATION',
  'PLATFORM_RELATIONSHIPS'
]

let releases: Awaited<ReturnType<typeof startSandboxReleases>>
let api: Awaited<ReturnType<typeof startApiServer>>
let site: Awaited<ReturnType<typeof startPharSite>>
const jobs: Job[] = []

beforeAll(async () => {
  releases = await startSandboxReleases()
  api = await startApiServer({ tokens: [TOKEN] })
  site = await startPharSite({ versions: ['3.88.1'] })
}, 300_000)
afterAll(async () => {
  await releases.server.close()
  await api.close()
  await site.close()
})

/** Jobs share one tool cache per CLI (the install is not what is tested here). */
const caches: Record<string, string> = {}
function newJob(cli = 'upsun', env: Record<string, string> = {}): Job {
  const job = new Job({ toolCache: caches[cli], env: { ...FAST, ...env } })
  caches[cli] ??= job.toolCache
  jobs.push(job)
  return job
}
const inputs = (extra: Record<string, string> = {}): Record<string, string> => ({
  version: releases.version,
  'releases-url': releases.server.releasesUrl('upsun/cli'),
  token: TOKEN,
  'auth-url': api.origin,
  'api-url': api.origin,
  project: PROJECT,
  ...extra
})
/** Which endpoints were called since `from`, as "METHOD /path". */
const calledSince = (from: number): string[] =>
  api.requests.slice(from).map((r) => `${r.method} ${r.path}`)

describe('project and environment', () => {
  it('are checked, exported and given as outputs; later steps run the real CLI with no flags', async () => {
    const job = newJob()
    const before = api.requests.length
    const step = await job.main(inputs({ environment: 'feature/login' }))
    expect(step.errors).toEqual([])
    expect(step.exitCode).toBe(0)
    // The action's own reads: the exchange and /users/me, then the project,
    // its environments and the user's access at once, then the deployment.
    expect(calledSince(before).sort()).toEqual(
      [
        'POST /oauth2/token',
        'GET /users/me',
        `GET /projects/${PROJECT}`,
        `GET /projects/${PROJECT}/environments`,
        `GET /projects/${PROJECT}/user-access/${SANDBOX_USER.id}`,
        `GET /projects/${PROJECT}/environments/feature%2Flogin/deployments/current`
      ].sort()
    )
    expect(step.exported).toMatchObject({
      PLATFORM_PROJECT: PROJECT,
      PLATFORM_BRANCH: 'feature/login',
      UPSUN_CLI_TOKEN: TOKEN
    })
    for (const name of CONTAINER_ONLY) expect(step.exported[name]).toBeUndefined()
    expect(step.outputs).toMatchObject({
      'project-title': 'Storefront',
      'project-region': 'eu-5.platform.sh',
      'git-url': `${PROJECT}@git.eu-5.platform.sh:${PROJECT}.git`,
      'environment-type': 'development',
      'environment-status': 'active',
      'environment-url': `https://feature-login-q3x7lda-${PROJECT}.eu-5.platformsh.site/`,
      permissions: 'production:viewer,staging:contributor,development:contributor'
    })
    expect(step.log).toContain('Project storefront2026: Storefront (region eu-5.platform.sh).')
    expect(step.log).toContain(
      `Environment feature/login: development, active, https://feature-login-q3x7lda-${PROJECT}.eu-5.platformsh.site/.`
    )
    expect(step.log).toContain(
      'Later steps use this project and environment by default: PLATFORM_PROJECT=storefront2026, PLATFORM_BRANCH=feature/login.'
    )
    expect(step.notices).toEqual([]) // not an admin: no least-access notice
    expect(step.summary).toContain(`Storefront (<code>${PROJECT}</code>, eu-5.platform.sh)`)
    expect(step.summary).toContain('<code>feature/login</code> (development, active, https://')

    // The real CLI, no flags: it finds project and environment through the variables.
    const cliFrom = api.requests.length
    const later = await job.run('upsun project:info title && upsun environment:info type')
    expect(later.stderr).toBe('')
    expect(later.stdout.trim().split('\n')).toEqual(['Storefront', 'development'])
    const url = await job.run('upsun url --primary --pipe')
    expect(url.stdout.trim()).toBe(step.outputs['environment-url'])
    // What the real CLI called to find them (recorded for the README and the report).
    expect(new Set(calledSince(cliFrom))).toEqual(
      new Set([
        'POST /oauth2/token',
        `GET /projects/${PROJECT}`,
        `GET /projects/${PROJECT}/environments`,
        `GET /projects/${PROJECT}/environments/feature%2Flogin/deployments/current`
      ])
    )
  })

  it('an environment named by its machine name exports its ID', async () => {
    const job = newJob()
    const step = await job.main(inputs({ environment: 'feature-login-q3x7lda' }))
    expect(step.errors).toEqual([])
    expect(step.exported.PLATFORM_BRANCH).toBe('feature/login')
    const later = await job.run('upsun environment:info id')
    expect(later.stdout.trim()).toBe('feature/login')
  })

  it('an inactive environment is bound, with an empty environment-url', async () => {
    const job = newJob()
    const before = api.requests.length
    const step = await job.main(inputs({ environment: 'old-demo' }))
    expect(step.errors).toEqual([])
    expect(step.exported.PLATFORM_BRANCH).toBe('old-demo')
    expect(step.outputs['environment-status']).toBe('inactive')
    expect(step.outputs['environment-type']).toBe('development')
    expect(step.outputs['environment-url']).toBe('')
    expect(step.log).toContain('Environment old-demo: development, inactive, so it has no URL.')
    // An inactive environment has no deployment to ask about.
    expect(calledSince(before).filter((c) => c.includes('/deployments/'))).toEqual([])
  })

  it('a project without environment exports PLATFORM_PROJECT only', async () => {
    const job = newJob()
    const before = api.requests.length
    const step = await job.main(inputs())
    expect(step.errors).toEqual([])
    expect(step.exported.PLATFORM_PROJECT).toBe(PROJECT)
    expect(step.exported.PLATFORM_BRANCH).toBeUndefined()
    expect(step.outputs['project-title']).toBe('Storefront')
    expect(step.outputs['environment-type']).toBe('')
    expect(step.outputs['environment-url']).toBe('')
    expect(calledSince(before)).not.toContain(`GET /projects/${PROJECT}/environments`)
    const later = await job.run('upsun project:info title')
    expect(later.stdout.trim()).toBe('Storefront')
  })

  it('a PLATFORM_BRANCH already in the job is warned about when `environment` is not set', async () => {
    const step = await newJob('upsun', { PLATFORM_BRANCH: 'staging' }).main(inputs())
    expect(step.exitCode).toBe(0)
    expect(step.warnings.join('\n')).toMatch(
      /PLATFORM_BRANCH=staging is set in the job's environment, so later steps use that environment of project storefront2026/
    )
  })

  it('a project admin gets a least-access notice, not a failure', async () => {
    const step = await newJob().main(inputs({ project: 'backoffice2026' }))
    expect(step.exitCode).toBe(0)
    expect(step.outputs.permissions).toBe('admin')
    expect(step.notices).toEqual([
      `${SANDBOX_USER.email} is an admin of project backoffice2026. The platform advises giving a machine user the least access each task needs ` +
        '(a viewer or contributor role per environment type; admin only where it is needed, such as for backups).'
    ])
  })

  it('verify-token: false exports project and environment unchecked, says so, and sends nothing', async () => {
    const job = newJob()
    const before = api.requests.length
    const step = await job.main(inputs({ environment: 'staging', 'verify-token': 'false' }))
    expect(step.exitCode).toBe(0)
    expect(api.requests.length).toBe(before)
    expect(step.exported).toMatchObject({ PLATFORM_PROJECT: PROJECT, PLATFORM_BRANCH: 'staging' })
    expect(step.log).toContain(
      'PLATFORM_PROJECT=storefront2026, PLATFORM_BRANCH=staging exported unchecked (verify-token is false): ' +
        'later steps fail there if the project or environment is not accessible.'
    )
    expect(step.outputs['project-title']).toBe('')
    expect(step.summary).toContain(`<code>${PROJECT}</code> (not checked online)`)
    // Unchecked, but the variables are still the CLI's own: it finds them.
    const later = await job.run('upsun environment:info type')
    expect(later.stdout.trim()).toBe('staging')
  })

  it('a token from the job’s environment with verify-token false is exported unchecked too', async () => {
    const step = await newJob('upsun', { UPSUN_CLI_TOKEN: TOKEN }).main(
      inputs({ token: '', 'verify-token': 'false' })
    )
    expect(step.exitCode).toBe(0)
    expect(step.exported.PLATFORM_PROJECT).toBe(PROJECT)
    expect(step.log).toContain(
      'PLATFORM_PROJECT=storefront2026 exported unchecked (verify-token is false)'
    )
  })
})

describe('the same variables for every CLI', () => {
  it('cli: platform exports PLATFORM_PROJECT and PLATFORM_BRANCH, and a later platform command uses them', async () => {
    const job = newJob('platform')
    const step = await job.main(inputs({ cli: 'platform', environment: 'staging' }))
    expect(step.errors).toEqual([])
    expect(step.exported).toMatchObject({ PLATFORM_PROJECT: PROJECT, PLATFORM_BRANCH: 'staging' })
    expect(Object.keys(step.exported).filter((k) => k.startsWith('UPSUN_'))).toEqual([])
    expect(step.outputs['environment-type']).toBe('staging')
    const later = await job.run('platform project:info title && platform environment:info type')
    expect(later.stdout.trim().split('\n')).toEqual(['Storefront', 'staging'])
  })
})

const describeWebpaas = canRun(
  'Project binding for webpaas',
  phpAvailable(),
  'PHP with the curl extension is missing'
)
  ? describe
  : describe.skip

describeWebpaas('the same variables for cli: webpaas', () => {
  it('cli: webpaas exports the same PLATFORM_PROJECT and PLATFORM_BRANCH', async () => {
    const job = newJob('webpaas')
    const step = await job.main(
      inputs({ cli: 'webpaas', version: 'latest', 'releases-url': site.url, environment: 'main' })
    )
    expect(step.errors).toEqual([])
    expect(step.exported).toMatchObject({
      PLATFORM_PROJECT: PROJECT,
      PLATFORM_BRANCH: 'main',
      OVHCLOUD_WEBPAAS_CLI_TOKEN: TOKEN
    })
    expect(step.outputs['project-title']).toBe('Storefront')
    for (const name of CONTAINER_ONLY) expect(step.exported[name]).toBeUndefined()
  })
})

describe('leaks', () => {
  it('no token or access token anywhere in these runs', () => {
    expect(jobs.length).toBeGreaterThan(8)
    const secrets = [TOKEN, ...api.accessTokens]
    for (const job of jobs)
      expect(findLeaks(job, secrets, { allowCliCredentials: true })).toEqual([])
  })
})
