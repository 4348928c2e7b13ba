// Fault suite, deploy: `wait-for-deployment` and `github-deployment` when the
// platform or GitHub misbehave (a GitHub token without deployments: write, a
// log that never seals, another commit's deploy finishing first, a flaky
// activity list). Each case runs the bundled action end to end; see
// ./harness.ts for the checks and where the figures go.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startGithubApi } from '../../../sandbox/github.mjs'
import { SANDBOX_PROJECT } from '../../../sandbox/projects.mjs'
import { FaultSandbox, FaultSuite, type Case, type Step } from './harness.js'

const suite = new FaultSuite(import.meta.url)
const sb = new FaultSandbox(suite)
const WRITER = 'ghs_faultsdeploywriter00000000000000001'
const READER = 'ghs_faultsdeployreader00000000000000002'
const PROJECT = SANDBOX_PROJECT.id
let github: Awaited<ReturnType<typeof startGithubApi>>
beforeAll(async () => {
  github = await startGithubApi({ tokens: [WRITER], readOnlyTokens: [READER] })
})
afterAll(async () => {
  await github.close()
})
const secrets = suite.secrets
suite.secrets = () => [...secrets(), WRITER, READER]

let commits = 0x5000
/** A commit per case, so that no case sees another's deploy. */
const commit = (): string => (++commits).toString(16).padStart(8, '0').repeat(5)
const env = (sha: string) => ({
  GITHUB_SHA: sha,
  GITHUB_EVENT_NAME: 'push',
  GITHUB_REPOSITORY: 'acme/storefront',
  GITHUB_API_URL: github.origin,
  SETUP_UPSUN_CLI_POLL_MS: '40'
})
const waiting = (extra: Record<string, string> = {}) => ({
  ...sb.withToken(),
  project: PROJECT,
  environment: 'staging',
  'wait-for-deployment': 'true',
  ...extra
})
type Steps = Parameters<typeof sb.api.world.script>[0]['steps']
const script = (sha: string, steps: Steps, extra: Record<string, unknown> = {}) =>
  sb.api.world.script({ project: PROJECT, environment: 'staging', commit: sha, steps, ...extra })

const cases: Case[] = (() => {
  const shas = Array.from({ length: 4 }, commit)
  return [
    {
      fault: 'GitHub refuses the deployment (token without deployments: write, HTTP 403)',
      expect: 'refused',
      message:
        /GitHub refused to create a GitHub deployment: HTTP 403 \(Resource not accessible by integration\)\. The token lacks the permission `deployments: write`/,
      env: () => env(shas[0]),
      inject: () => script(shas[0], ['in_progress', 'success']),
      inputs: () => waiting({ 'github-deployment': 'true', 'github-token': READER }),
      check: (s) => expect(s.outputs['deployment-result']).toBeUndefined()
    },
    {
      fault: 'the failed deploy’s log never seals',
      expect: 'refused',
      message: /The deploy of [0-9a-f]{12} to environment staging failed \(activity act\d+/,
      env: () => env(shas[1]),
      inject: () => script(shas[1], ['pending', 'failure'], { seal: false }),
      inputs: () => waiting(),
      check: (s) => {
        expect(s.log).toContain('E: Error building project')
        expect(s.log).toMatch(
          /The log was not read to its end \(the log ended 3 times without its seal\)/
        )
      }
    },
    {
      fault: 'a deploy of another commit finishes first',
      expect: 'survived',
      env: () => env(shas[2]),
      inject: () => {
        script(commit(), ['in_progress', 'success'])
        script(shas[2], ['pending', 'in_progress', 'in_progress', 'success'], { appearAfter: 2 })
      },
      inputs: () => waiting({ 'github-deployment': 'true', 'github-token': WRITER }),
      check: (s) =>
        expect(ownDeployReported(s)).toEqual({
          commit: shas[2],
          states: ['in_progress', 'success'],
          logUrlNamesItsActivity: true,
          sawTheOtherRunning: true
        }),
      said: () => "waited past the other commit's deploy, then reported its own"
    },
    {
      fault: 'the activity list answers HTTP 503 twice',
      expect: 'survived',
      env: () => env(shas[3]),
      inject: () => {
        script(shas[3], ['in_progress', 'success'])
        sb.api.fault(/\/environments\/staging\/activities$/, { status: 503 }, 2)
      },
      inputs: () => waiting(),
      check: (s) => expect(s.outputs['deployment-result']).toBe('success'),
      said: (s) =>
        (s.log.match(/retrying in/g) ?? []).length + ' retries, then deployment-result success'
    }
  ]
})()

/** What the run reported when another commit's deploy finished first. */
function ownDeployReported(s: Step) {
  const statuses = github.statusesOf(github.deployments[0].id)
  return {
    commit: s.outputs['deployed-commit'],
    states: statuses.map((x) => x.state),
    logUrlNamesItsActivity: String(statuses[1]?.log_url).endsWith(`/${s.outputs['activity-id']}`),
    // The other commit's deploy was seen running, and not taken for ours.
    sawTheOtherRunning:
      /Waiting for commit [0-9a-f]{12} to reach staging; running: environment\.push act\d+/.test(
        s.log
      )
  }
}

describe('faults: deploy', () => {
  it.each(cases.map((c) => [c.fault, c] as const))('%s', async (_f, c) => {
    await suite.expectOutcome('deploy', c)
  })

  it('leaks nothing in any of these runs, and records its figures', () => {
    suite.expectNoLeaks(cases.length)
  })
})
