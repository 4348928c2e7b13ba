// End to end through the bundled action: `wait-for-deployment` waits for the
// environment's deploy of the workflow's commit on the sandbox API (scripted
// deploys, deploys.mjs), reports it (outputs, summary, a GitHub Deployment on
// the loopback GitHub stand-in), and fails with what to do for each way a
// deploy can go wrong. Failure paths with injected faults are in
// faults/deploy.test.ts.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startApiServer } from '../../sandbox/api.mjs'
import { startGithubApi } from '../../sandbox/github.mjs'
import { startSandboxReleases } from '../../sandbox/index.mjs'
import { findLeaks } from '../../sandbox/leaks.mjs'
import { SANDBOX_PROJECT } from '../../sandbox/projects.mjs'
import { Job } from '../../sandbox/runner.mjs'

const TOKEN = 'sandbox-deploy-token-5d4c3b2a19080706'
const GITHUB_TOKEN = 'ghs_sandboxdeploywriter000000000000001'
const FAST = {
  SETUP_UPSUN_CLI_RETRY_BASE_MS: '50',
  SETUP_UPSUN_CLI_HTTP_TIMEOUT_MS: '3000',
  SETUP_UPSUN_CLI_POLL_MS: '40'
}
const PROJECT = SANDBOX_PROJECT.id
const STAGING_URL = `https://staging-5ye5ytq-${PROJECT}.eu-5.platformsh.site/`

let releases: Awaited<ReturnType<typeof startSandboxReleases>>
let api: Awaited<ReturnType<typeof startApiServer>>
let github: Awaited<ReturnType<typeof startGithubApi>>
const jobs: Job[] = []
let cache: string | undefined
let commits = 0

beforeAll(async () => {
  releases = await startSandboxReleases()
  api = await startApiServer({ tokens: [TOKEN] })
  github = await startGithubApi({ tokens: [GITHUB_TOKEN] })
}, 300_000)
afterAll(async () => {
  await releases.server.close()
  await api.close()
  await github.close()
})

/** A fresh commit id per case, so that no case sees another's deploy. */
const newCommit = (): string => (++commits).toString(16).padStart(8, '0').repeat(5)

function newJob(env: Record<string, string> = {}): Job {
  const job = new Job({
    toolCache: cache,
    env: {
      ...FAST,
      GITHUB_REPOSITORY: 'acme/storefront',
      GITHUB_API_URL: github.origin,
      GITHUB_EVENT_NAME: 'push',
      ...env
    }
  })
  cache ??= job.toolCache
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
  environment: 'staging',
  'wait-for-deployment': 'true',
  ...extra
})
type Steps = Parameters<typeof api.world.script>[0]['steps']
const script = (commit: string, steps: Steps, extra: Record<string, unknown> = {}): void =>
  api.world.script({ project: PROJECT, environment: 'staging', commit, steps, ...extra })

describe('wait-for-deployment', () => {
  it('waits for the commit’s deploy, then outputs its result and the new URL, with a GitHub Deployment in step', async () => {
    const commit = newCommit()
    script(commit, ['pending', 'in_progress', 'in_progress', 'in_progress', 'success'])
    const before = github.requests.length
    const step = await newJob({ GITHUB_SHA: commit }).main(
      inputs({ 'github-deployment': 'true', 'github-token': GITHUB_TOKEN })
    )
    expect(step.errors).toEqual([])
    expect(step.exitCode).toBe(0)
    expect(step.outputs).toMatchObject({
      'deployment-result': 'success',
      'deployed-commit': commit,
      'environment-url': STAGING_URL
    })
    expect(step.outputs['activity-id']).toMatch(/^act\d+$/)
    const activity = step.outputs['activity-id']
    // Progress: one line per change, not one per poll.
    const progress = step.log
      .split('\n')
      .filter((l) => l.includes(`Deploy of ${commit.slice(0, 12)}`))
    expect(progress.length).toBeGreaterThanOrEqual(2)
    expect(progress.length).toBeLessThanOrEqual(4)
    expect(step.log).toContain(
      `Deployed ${commit} to staging (activity ${activity}): ${STAGING_URL}.`
    )
    expect(step.summary).toContain('<h3>Deploy to staging</h3>')
    for (const cell of [commit, 'success', STAGING_URL, activity])
      expect(step.summary).toContain(cell)

    // GitHub: one deployment for the commit, statuses in_progress then success.
    const sent = github.requests.slice(before)
    expect(sent.map((r) => `${r.method} ${r.path} ${r.token}`)).toEqual([
      'POST /repos/acme/storefront/deployments writer',
      expect.stringMatching(/^POST \/repos\/acme\/storefront\/deployments\/\d+\/statuses writer$/),
      expect.stringMatching(/^POST \/repos\/acme\/storefront\/deployments\/\d+\/statuses writer$/)
    ])
    expect(sent[0].body).toEqual({
      ref: commit,
      environment: 'staging',
      auto_merge: false,
      required_contexts: [],
      transient_environment: false,
      production_environment: false,
      description: `Upsun ${PROJECT}/staging`,
      payload: { environment: 'staging' }
    })
    const statuses = github.statusesOf(github.deployments[0].id)
    expect(statuses.map((s) => s.state)).toEqual(['in_progress', 'success'])
    expect(statuses[1]).toMatchObject({
      environment_url: STAGING_URL,
      log_url: `https://console.upsun.com/01JSANDBOX0RGAN1ZAT10N0000/${PROJECT}/-/log/${activity}`
    })
    // The platform's access token went to the platform only; GitHub's token to GitHub only.
    expect(api.requests.some((r) => JSON.stringify(r.headers).includes(GITHUB_TOKEN))).toBe(false)
    expect(github.requests.some((r) => JSON.stringify(r).includes(TOKEN))).toBe(false)
  })

  it('a pull_request event waits for the PR head, not the merge commit in GITHUB_SHA', async () => {
    const head = newCommit()
    script(head, ['in_progress', 'success'])
    const event = path.join(mkdtempSync(path.join(os.tmpdir(), 'event-')), 'event.json')
    writeFileSync(
      event,
      JSON.stringify({ number: 7, pull_request: { number: 7, head: { sha: head } } })
    )
    const step = await newJob({
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event,
      GITHUB_SHA: newCommit()
    }).main(inputs())
    expect(step.errors).toEqual([])
    expect(step.outputs['deployed-commit']).toBe(head)
    expect(step.log).toContain(`for the deploy of ${head} (the pull request's head)`)
  })

  it('a failed deploy fails the step with the end of its log in a group, the activity id and a console link', async () => {
    const commit = newCommit()
    script(commit, ['pending', 'in_progress', 'failure'])
    const before = github.requests.length
    const step = await newJob({ GITHUB_SHA: commit }).main(
      inputs({ 'github-deployment': 'true', 'github-token': GITHUB_TOKEN })
    )
    expect(step.exitCode).toBe(1)
    const activity = step.outputs['activity-id']
    expect(step.errors.join('\n')).toMatch(
      new RegExp(
        `The deploy of ${commit.slice(0, 12)} to environment staging failed \\(activity ${activity}, environment.push\\), reason: error\\. ` +
          `Its last log lines are in the group above.*Full log: https://console\\.upsun\\.com/01JSANDBOX0RGAN1ZAT10N0000/${PROJECT}/-/log/${activity} or \`upsun activity:log ${activity} -p ${PROJECT}\``
      )
    )
    const groups = step.commands.filter((c) => c.name === 'group').map((c) => c.value)
    expect(groups).toContain(
      `Last lines of the deploy log (activity ${activity}, environment.push)`
    )
    expect(step.log).toContain('E: Error building project: Step failed with status code 1.')
    expect(step.outputs['deployment-result']).toBe('failure')
    expect(step.summary).toContain('failure')
    const deployment = github.deployments[0]
    expect(github.requests.length).toBeGreaterThan(before)
    expect(github.statusesOf(deployment.id).map((s) => s.state)).toEqual(['in_progress', 'failure'])
  })

  it('a deploy that says success with a failed deploy hook fails, naming the command', async () => {
    const commit = newCommit()
    script(commit, ['in_progress', 'hook-failure'])
    const step = await newJob({ GITHUB_SHA: commit }).main(inputs())
    expect(step.exitCode).toBe(1)
    expect(step.errors.join('\n')).toMatch(
      /reported success, but a command failed: app deploy exited 1 .*fix the hook and redeploy \(`upsun redeploy -p storefront2026 -e staging`\)/
    )
    expect(step.log).toContain('Deploy hook failed with exit code 1')
    expect(step.outputs['deployment-result']).toBe('hook-failure')
  })

  it('a cancelled deploy fails and says so', async () => {
    const commit = newCommit()
    script(commit, ['pending', 'cancelled'])
    const step = await newJob({ GITHUB_SHA: commit }).main(inputs())
    expect(step.exitCode).toBe(1)
    expect(step.errors.join('\n')).toMatch(
      /was cancelled \(activity act\d+, environment.push\): a person, or a newer push, stopped it/
    )
    expect(step.outputs['deployment-result']).toBe('cancelled')
  })

  it('a staged deploy fails with how to release it', async () => {
    const commit = newCommit()
    script(commit, ['pending', 'staged'])
    const step = await newJob({ GITHUB_SHA: commit }).main(inputs())
    expect(step.exitCode).toBe(1)
    expect(step.errors.join('\n')).toMatch(
      /was staged, not deployed .*`upsun environment:deploy -p storefront2026 -e staging`/
    )
    expect(step.outputs['deployment-result']).toBe('staged')
  })

  it('an inactive environment fails at once, with the reasons it may be inactive', async () => {
    const step = await newJob({ GITHUB_SHA: newCommit() }).main(inputs({ environment: 'old-demo' }))
    expect(step.exitCode).toBe(1)
    expect(step.errors.join('\n')).toMatch(
      /Environment old-demo is inactive, so nothing deploys there\. .*environment slot .*GitHub integration created it inactive .*`upsun environment:activate -p storefront2026 -e old-demo`/
    )
    expect(step.outputs['deployment-result']).toBe('inactive')
  })

  it('a paused environment fails with how to resume it', async () => {
    const staging = api.world
      .environmentsOf(PROJECT)
      .find((e: { id: string }) => e.id === 'staging') as { status: string }
    staging.status = 'paused'
    try {
      const step = await newJob({ GITHUB_SHA: newCommit() }).main(inputs())
      expect(step.exitCode).toBe(1)
      expect(step.errors.join('\n')).toMatch(
        /Environment staging is paused .*15 days.*`upsun environment:resume -p storefront2026 -e staging`/
      )
      expect(step.outputs['deployment-result']).toBe('paused')
    } finally {
      staging.status = 'active'
    }
  })

  it('wait-timeout fails with what is still running', async () => {
    const other = newCommit()
    script(other, Array(10_000).fill('in_progress'))
    const started = Date.now()
    const step = await newJob({ GITHUB_SHA: newCommit() }).main(inputs({ 'wait-timeout': '10s' }))
    expect(step.exitCode).toBe(1)
    expect(Date.now() - started).toBeLessThan(60_000)
    expect(step.errors.join('\n')).toMatch(
      /`wait-timeout` \(10s\) passed before the deploy of [0-9a-f]{12} to environment staging ended\. The commit's deploy has not started; still running: environment\.push act\d+ \(in_progress\)\./
    )
    expect(step.outputs['deployment-result']).toBe('timeout')
    // Quiet while nothing changes: a handful of lines over 10 s of polls.
    expect(
      step.log.split('\n').filter((l) => l.startsWith('Waiting for commit')).length
    ).toBeLessThanOrEqual(3)
  }, 90_000)

  it('inputs: waiting needs an environment, and a full commit id', async () => {
    const noEnv = await newJob().main(inputs({ environment: '' }))
    expect(noEnv.errors.join('\n')).toMatch(
      /`wait-for-deployment: true` needs `project` and `environment`/
    )
    const short = await newJob().main(inputs({ 'deployment-commit': 'abc1234' }))
    expect(short.errors.join('\n')).toMatch(/Input `deployment-commit` must be a full commit id/)
  })

  it('leaks nothing', () => {
    const secrets = [TOKEN, GITHUB_TOKEN, ...api.accessTokens]
    expect(jobs.flatMap((job) => findLeaks(job, secrets, { allowCliCredentials: true }))).toEqual(
      []
    )
  })
})
