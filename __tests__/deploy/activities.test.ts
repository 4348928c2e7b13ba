// Reading activities and telling the commit's deploy apart (pure functions).
import { describe, expect, it } from '@jest/globals'
import {
  deployOf,
  deploys,
  readActivities,
  readEnvironmentState,
  running
} from '../../src/deploy/activities.js'

const A = 'a'.repeat(40)
const B = 'b'.repeat(40)
const activity = (id: string, type: string, state: string, commit?: string, extra = {}) => ({
  id,
  type,
  state,
  result: state === 'complete' ? 'success' : null,
  completion_percent: state === 'complete' ? 100 : 40,
  parameters: commit ? { new_commit: commit, old_commit: B } : {},
  _links: { log: { href: `/api/projects/p/activities/${id}/log` } },
  ...extra
})

describe('activities', () => {
  it('deploying types: pushes, activations, variables; not crons, backups, deactivation, integrations', () => {
    for (const type of [
      'environment.push',
      'environment.activate',
      'environment.redeploy',
      'environment.merge-pr',
      'environment.variable.update',
      'environment.domain.create',
      'environment.resources.update'
    ])
      expect(deploys(type)).toBe(true)
    for (const type of [
      'environment.cron',
      'environment.backup',
      'environment.backup.delete',
      'environment.deactivate',
      'environment.delete',
      'environment.pause',
      'integration.github.fetch',
      'project.modify.title',
      'maintenance.upgrade'
    ])
      expect(deploys(type)).toBe(false)
  })

  it('the commit’s deploy is the newest deploying activity that brought it; another commit’s never matches', () => {
    const list = readActivities([
      activity('c1', 'environment.cron', 'in_progress'),
      activity('o1', 'environment.push', 'complete', B),
      activity('m2', 'environment.redeploy', 'pending', A),
      activity('m1', 'environment.push', 'complete', A.toUpperCase())
    ])
    expect(deployOf(list, A)?.id).toBe('m2')
    expect(deployOf(list, 'c'.repeat(40))).toBeUndefined()
    expect(running(list).map((a) => a.id)).toEqual(['m2'])
  })

  it('reads failed commands (a success can hide them) and the log link; bad answers are empty, not a crash', () => {
    const [one] = readActivities([
      activity('x', 'environment.push', 'complete', A, {
        commands: [
          { app: 'app', type: 'deploy', exit_code: 0 },
          { app: 'worker', type: 'post_deploy', exit_code: 2 }
        ]
      })
    ])
    expect(one.failedCommands).toEqual([{ app: 'worker', type: 'post_deploy', exitCode: 2 }])
    expect(one.logHref).toBe('/api/projects/p/activities/x/log')
    expect(readActivities({ not: 'a list' })).toEqual([])
    expect(readActivities([null, 'x', { id: 'ok' }]).map((a) => a.id)).toEqual(['ok'])
    expect(readEnvironmentState(null)).toMatchObject({ status: '', headCommit: '', dirty: false })
  })

  it('environment state: head commit, dirty, last deployment', () => {
    expect(
      readEnvironmentState({
        id: 'main',
        status: 'active',
        head_commit: A,
        is_dirty: true,
        deployment_state: {
          last_deployment_successful: true,
          last_deployment_commands: [{ app: 'app', type: 'deploy', exit_code: 1 }]
        }
      })
    ).toEqual({
      id: 'main',
      type: '',
      status: 'active',
      headCommit: A,
      dirty: true,
      lastSuccessful: true,
      lastFailedCommands: [{ app: 'app', type: 'deploy', exitCode: 1 }]
    })
  })
})
