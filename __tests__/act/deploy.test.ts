// The shipped reusable workflows (.github/workflows/deploy.yml, preview.yml)
// run under nektos/act (host mode) against the sandbox API and the GitHub
// stand-in: a push to main deploys and reports; a pull request opened gets
// a preview URL (one comment, a GitHub Deployment); closed removes the
// environment. They call the action as `upsun/setup-cli@v1`, as a user's
// repository gets them; act maps that to this tree (--local-repository).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ACT_PATH, actAvailable, findActLeaks, runAct, stageAct } from '../../sandbox/act.mjs'
import { startApiServer } from '../../sandbox/api.mjs'
import { canRun } from '../../sandbox/availability.mjs'
import { startGithubApi } from '../../sandbox/github.mjs'
import { startSandboxReleases } from '../../sandbox/index.mjs'
import { SANDBOX_PROJECT } from '../../sandbox/projects.mjs'
import { runReusable } from './reusable.js'

const TOKEN = 'act-deploy-token-9e8d7c6b5a4f3e2d'
const GITHUB_TOKEN = 'ghs_actdeploywriter000000000000000001'
const PROJECT = SANDBOX_PROJECT.id
const available = canRun(
  'act deploy suite',
  actAvailable(),
  `nektos/act is not at ${ACT_PATH}`,
  'it is shared/tools/act beside the clone; or set SETUP_UPSUN_CLI_ACT to its path'
)

let releases: Awaited<ReturnType<typeof startSandboxReleases>>
let api: Awaited<ReturnType<typeof startApiServer>>
let github: Awaited<ReturnType<typeof startGithubApi>>
let vars: Record<string, string>
let checkoutStandIn: string

/**
 * act fetches every remote action of a job up front, even one whose step is
 * skipped; preview.yml's checkout of the pull request's head (used only
 * without the integration, never in these runs) is mapped to a stand-in that
 * fails if it ever runs.
 */
function standInForCheckout(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'checkout-stand-in-'))
  writeFileSync(
    path.join(dir, 'action.yml'),
    'name: stand-in\ndescription: never runs in these tests\nruns:\n  using: composite\n  steps:\n    - run: exit 1\n      shell: bash\n'
  )
  return dir
}

beforeAll(async () => {
  if (!available) return
  releases = await startSandboxReleases()
  api = await startApiServer({ tokens: [TOKEN] })
  github = await startGithubApi({ tokens: [GITHUB_TOKEN] })
  checkoutStandIn = standInForCheckout()
  vars = {
    CLI_VERSION: releases.version,
    RELEASES_URL: releases.server.releasesUrl('upsun/cli'),
    API_URL: api.origin,
    PROJECT
  }
}, 300_000)
afterAll(async () => {
  if (!available) return
  await releases.server.close()
  await api.close()
  await github.close()
})

type Run = Awaited<ReturnType<typeof runAct>>
const act = (workflow: string, extra: Partial<Parameters<typeof runAct>[0]> = {}) =>
  runReusable(
    { token: TOKEN, githubToken: GITHUB_TOKEN, vars, githubOrigin: github.origin, checkoutStandIn },
    workflow,
    extra
  )
const noLeaks = (run: Run) =>
  expect(findActLeaks(run, [TOKEN, GITHUB_TOKEN, ...api.accessTokens])).toEqual([])

const describeAct = available ? describe : describe.skip

describeAct('the reusable workflows under nektos/act', () => {
  it('deploy: a push to main waits for the deploy of its commit and reports it', async () => {
    const sha = stageAct().sha
    api.world.script({
      project: PROJECT,
      environment: 'main',
      commit: sha,
      steps: ['pending', 'in_progress', 'success']
    })
    const before = github.requests.length
    const run = await act('deploy-caller')
    expect(run.timedOut).toBe(false)
    expect({ exitCode: run.exitCode, jobs: run.jobs }).toMatchObject({ exitCode: 0 })
    expect(run.outputs).toEqual({
      url: `https://main-bvxea6i-${PROJECT}.eu-5.platformsh.site/`,
      'deployment-result': 'success'
    })
    const created = github.requests.slice(before).filter((r) => r.path.endsWith('/deployments'))
    expect(created.map((r) => r.body)).toEqual([
      expect.objectContaining({
        ref: sha,
        environment: 'main',
        production_environment: true,
        transient_environment: false
      })
    ])
    noLeaks(run)
  }, 300_000)

  it('preview: opened gets the URL of pr-N (one comment, edited on synchronize), closed removes the environment', async () => {
    const sha = 'feedbeef'.repeat(5)
    api.world.create(PROJECT, { id: 'pr-7', title: 'pr-7' })
    api.world.script({
      project: PROJECT,
      environment: 'pr-7',
      commit: sha,
      steps: ['pending', 'in_progress', 'success'],
      appearAfter: 1
    })
    const payload = (action: string, head = sha) => ({
      action,
      number: 7,
      pull_request: {
        number: 7,
        title: 'Checkout flow',
        head: { sha: head, ref: 'feature/checkout', repo: { full_name: 'example-org/storefront' } },
        base: { ref: 'main', repo: { full_name: 'example-org/storefront' } }
      },
      repository: { full_name: 'example-org/storefront' }
    })
    const url = `https://${api.world.environmentsOf(PROJECT).find((e: { id: string }) => e.id === 'pr-7')?.machine_name}-${PROJECT}.eu-5.platformsh.site/`
    const opened = await act('preview-caller', {
      event: 'pull_request',
      payload: payload('opened')
    })
    expect({ exitCode: opened.exitCode, outputs: opened.outputs }).toEqual({
      exitCode: 0,
      outputs: { url, 'deployment-result': 'success' }
    })
    expect(github.comments.filter((c) => c.issue === 7)).toEqual([
      expect.objectContaining({ body: expect.stringContaining(`on \`pr-7\`: ${url}`) })
    ])
    const deployment = github.deployments.find((d) => d.environment === 'pr-7')
    expect(deployment).toMatchObject({ sha, transient_environment: true })

    // A new push to the pull request: the same comment, edited.
    const next = 'cafebabe'.repeat(5)
    api.world.script({
      project: PROJECT,
      environment: 'pr-7',
      commit: next,
      steps: ['in_progress', 'success']
    })
    const synced = await act('preview-caller', {
      event: 'pull_request',
      payload: payload('synchronize', next)
    })
    expect(synced.exitCode).toBe(0)
    const comments = github.comments.filter((c) => c.issue === 7)
    expect(comments).toHaveLength(1)
    expect(comments[0].body).toContain(next.slice(0, 12))

    const closed = await act('preview-caller', {
      event: 'pull_request',
      payload: payload('closed', next)
    })
    expect(closed.exitCode).toBe(0)
    expect(api.world.environmentsOf(PROJECT).map((e: { id: string }) => e.id)).not.toContain('pr-7')
    // Deactivated before it was deleted (delete needs an inactive environment).
    const calls = api.requests.map((r) => `${r.method} ${r.path}`)
    expect(calls.indexOf(`POST /projects/${PROJECT}/environments/pr-7/deactivate`)).toBeLessThan(
      calls.indexOf(`DELETE /projects/${PROJECT}/environments/pr-7`)
    )
    expect(calls).toContain(`DELETE /projects/${PROJECT}/environments/pr-7`)
    for (const d of github.deployments.filter((x) => x.environment === 'pr-7'))
      expect(github.statusesOf(d.id).at(-1)?.state).toBe('inactive')
    for (const run of [opened, synced, closed]) noLeaks(run)
  }, 600_000)

  it('preview from a fork: no secret, a notice, not a failure', async () => {
    const run = await act('preview-caller', {
      event: 'pull_request',
      secrets: { GITHUB_TOKEN },
      payload: {
        action: 'opened',
        number: 8,
        pull_request: {
          number: 8,
          title: 'From a fork',
          head: {
            sha: 'f0f0f0f0'.repeat(5),
            ref: 'main',
            repo: { full_name: 'someone/storefront' }
          },
          base: { ref: 'main', repo: { full_name: 'example-org/storefront' } }
        }
      }
    })
    expect(run.exitCode).toBe(0)
    expect(run.log).toContain('Pull requests from forks get no secrets')
    expect(api.world.environmentsOf(PROJECT).map((e: { id: string }) => e.id)).not.toContain('pr-8')
  }, 300_000)
})
