// GitHub Deployments against an undici MockAgent: what is sent, and the
// error that names the missing permission.
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import { noWait, useMockAgent } from '../../__fixtures__/network.js'
import * as core from '../../__fixtures__/core.js'

jest.unstable_mockModule('@actions/core', () => core)
const { createDeployment } = await import('../../src/deploy/github.js')

const GH = 'https://ghe.example.test'
const agent = useMockAgent()
beforeEach(() => {
  jest.resetAllMocks()
  core.resetCore()
})
const target = (environmentType: string) => ({
  apiUrl: `${GH}/api/v3`,
  repository: 'acme/shop',
  token: 'ghs_token',
  commit: 'a'.repeat(40),
  environment: 'pr-5',
  environmentType,
  description: 'Upsun p1/pr-5'
})

describe('GitHub deployments', () => {
  it('creates a transient deployment for a development environment, then posts statuses', async () => {
    const sent: { path: string; body: unknown; auth: string }[] = []
    const record =
      (status: number, value: object) =>
      (opts: { path: string; body?: unknown; headers?: unknown }) => {
        sent.push({
          path: opts.path,
          body: JSON.parse(String(opts.body)),
          auth: (opts.headers as Record<string, string>).authorization
        })
        return { statusCode: status, data: value }
      }
    agent()
      .get(GH)
      .intercept({ path: '/api/v3/repos/acme/shop/deployments', method: 'POST' })
      .reply(record(201, { id: 42 }))
    agent()
      .get(GH)
      .intercept({ path: '/api/v3/repos/acme/shop/deployments/42/statuses', method: 'POST' })
      .reply(record(201, { id: 1 }))
    const deployment = await createDeployment(target('development'), {
      dispatcher: agent(),
      sleep: noWait
    })
    await deployment.status('success', {
      description: 'Deployed',
      environmentUrl: 'https://pr-5.example/',
      logUrl: 'https://console/log'
    })
    expect(sent).toEqual([
      {
        path: '/api/v3/repos/acme/shop/deployments',
        auth: 'Bearer ghs_token',
        body: {
          ref: 'a'.repeat(40),
          environment: 'pr-5',
          auto_merge: false,
          required_contexts: [],
          transient_environment: true,
          production_environment: false,
          description: 'Upsun p1/pr-5',
          payload: { environment: 'pr-5' }
        }
      },
      {
        path: '/api/v3/repos/acme/shop/deployments/42/statuses',
        auth: 'Bearer ghs_token',
        body: {
          state: 'success',
          environment: 'pr-5',
          description: 'Deployed',
          environment_url: 'https://pr-5.example/',
          log_url: 'https://console/log',
          auto_inactive: true
        }
      }
    ])
  })

  it('a 403 names the missing permission', async () => {
    agent()
      .get(GH)
      .intercept({ path: '/api/v3/repos/acme/shop/deployments', method: 'POST' })
      .reply(403, { message: 'Resource not accessible by integration' })
    await expect(
      createDeployment(target('production'), { dispatcher: agent(), sleep: noWait })
    ).rejects.toThrow(
      /GitHub refused to create a GitHub deployment: HTTP 403 \(Resource not accessible by integration\)\. The token lacks the permission `deployments: write`: add `permissions: \{ deployments: write \}` to the job/
    )
  })

  it('a 202 without an id (GitHub merged instead) is an error, not a deployment', async () => {
    agent()
      .get(GH)
      .intercept({ path: '/api/v3/repos/acme/shop/deployments', method: 'POST' })
      .reply(202, { message: 'Auto-merged master into topic-branch on deployment.' })
    await expect(
      createDeployment(target('production'), { dispatcher: agent(), sleep: noWait })
    ).rejects.toThrow(/without a deployment id/)
  })
})
