// The wait loop against an undici MockAgent: each poll is two reads, and the
// outcome follows the commit's own activity (no socket, no real sleep).
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import { noWait, useMockAgent } from '../../__fixtures__/network.js'
import * as core from '../../__fixtures__/core.js'

jest.unstable_mockModule('@actions/core', () => core)
const { waitForDeploy, elapsed } = await import('../../src/deploy/wait.js')
const { apiReader } = await import('../../src/project/api.js')

const API = 'https://api.example.test'
const ENV = '/projects/p1/environments/pr-5'
const A = 'a'.repeat(40)
const B = 'b'.repeat(40)
const agent = useMockAgent()
beforeEach(() => {
  jest.resetAllMocks()
  core.resetCore()
})

const push = (
  id: string,
  commit: string,
  state: string,
  result: string | null = null,
  extra = {}
) => ({
  id,
  type: 'environment.push',
  state,
  result,
  completion_percent: state === 'complete' ? 100 : 50,
  parameters: { new_commit: commit },
  ...extra
})
const environment = (extra = {}) => ({
  id: 'pr-5',
  status: 'active',
  head_commit: B,
  is_dirty: false,
  ...extra
})

/** Queues one poll's two answers. */
function poll(env: unknown, activities: unknown[], envStatus = 200): void {
  agent()
    .get(API)
    .intercept({ path: ENV, method: 'GET' })
    .reply(envStatus, env as object)
  agent()
    .get(API)
    .intercept({ path: `${ENV}/activities?count=50`, method: 'GET' })
    .reply(envStatus === 404 ? 404 : 200, activities)
}

async function wait(timeoutMs = 60_000, clock?: () => number) {
  const lines: string[] = []
  const outcome = await waitForDeploy({
    api: apiReader(API, 'access', { dispatcher: agent(), sleep: noWait }),
    project: 'p1',
    environment: 'pr-5',
    commit: A,
    timeoutMs,
    pollMs: 10,
    progress: (line) => lines.push(line),
    sleep: noWait,
    now: clock
  })
  return { outcome, lines }
}

describe('waitForDeploy', () => {
  it('waits through a late environment, another commit’s deploy finishing first, then its own', async () => {
    poll({ message: 'Not found' }, [], 404)
    poll(environment({ is_dirty: true }), [push('o1', B, 'in_progress')])
    poll(environment({ is_dirty: true }), [push('o1', B, 'complete', 'success')])
    poll(environment({ head_commit: A, is_dirty: true }), [
      push('m1', A, 'pending'),
      push('o1', B, 'complete', 'success')
    ])
    poll(environment({ head_commit: A }), [
      push('m1', A, 'complete', 'success'),
      push('o1', B, 'complete', 'success')
    ])
    const { outcome, lines } = await wait()
    expect(outcome.kind).toBe('deployed')
    expect('activity' in outcome && outcome.activity?.id).toBe('m1')
    expect(lines).toEqual([
      'Waiting for environment pr-5 to exist (commit aaaaaaaaaaaa).',
      'Waiting for commit aaaaaaaaaaaa to reach pr-5; running: environment.push o1 (in_progress).',
      'Waiting for commit aaaaaaaaaaaa to reach pr-5.',
      'Deploy of aaaaaaaaaaaa on pr-5: activity m1 (environment.push) pending.'
    ])
  })

  it('complete with result failure is a failure; success with a failed command is a hook failure', async () => {
    poll(environment(), [push('m1', A, 'complete', 'failure')])
    expect((await wait()).outcome.kind).toBe('failed')
    poll(environment(), [push('m1', A, 'complete', 'success', { commands: [{ exit_code: 1 }] })])
    expect((await wait()).outcome.kind).toBe('hook-failed')
    poll(environment(), [push('m1', A, 'cancelled', 'failure')])
    expect((await wait()).outcome.kind).toBe('cancelled')
    poll(environment(), [push('m1', A, 'staged')])
    expect((await wait()).outcome.kind).toBe('staged')
  })

  it('an environment at the commit, idle, with its activity out of sight: the deployment state decides', async () => {
    poll(
      environment({ head_commit: A, deployment_state: { last_deployment_successful: false } }),
      []
    )
    expect((await wait()).outcome.kind).toBe('failed')
    poll(
      environment({ head_commit: A, deployment_state: { last_deployment_successful: true } }),
      []
    )
    expect((await wait()).outcome.kind).toBe('deployed')
  })

  it('inactive or paused with nothing running ends at once; an activation under way is waited for', async () => {
    poll(environment({ status: 'inactive' }), [])
    expect((await wait()).outcome.kind).toBe('inactive')
    poll(environment({ status: 'paused' }), [])
    expect((await wait()).outcome.kind).toBe('paused')
    poll(environment({ status: 'inactive' }), [
      { id: 'a1', type: 'environment.activate', state: 'in_progress' }
    ])
    poll(environment({ head_commit: A }), [push('m1', A, 'complete', 'success')])
    expect((await wait()).outcome.kind).toBe('deployed')
  })

  it('times out with what is still running, and says so only when something changes or a minute passed', async () => {
    let t = 0
    const clock = () => (t += 20_000)
    for (let i = 0; i < 6; i++) poll(environment(), [push('o1', B, 'in_progress')])
    const { outcome, lines } = await wait(100_000, clock)
    expect(outcome).toMatchObject({ kind: 'timeout', running: [{ id: 'o1' }] })
    // Six polls, 20 s apart: the line, then again once a minute had passed.
    expect(lines.length).toBe(2)
    expect(lines[1]).toMatch(/\(1m 20s\)$/)
  })

  it('elapsed() reads as a person would', () => {
    expect(elapsed(4_000)).toBe('4s')
    expect(elapsed(125_000)).toBe('2m 05s')
  })
})
