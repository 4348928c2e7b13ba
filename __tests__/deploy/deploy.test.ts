// awaitDeployment end to end in-process (the e2e suites run dist/, which
// coverage does not see): the platform and GitHub are undici MockAgents.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { noWait, useMockAgent } from '../../__fixtures__/network.js'
import * as core from '../../__fixtures__/core.js'

jest.unstable_mockModule('@actions/core', () => core)
const { awaitDeployment } = await import('../../src/deploy/deploy.js')
const { CLIS } = await import('../../src/clis.js')

const API = 'https://api.example.test'
const GH = 'https://gh.example.test'
const SHA = 'a'.repeat(40)
const P = '/projects/p1'
const ENV = `${P}/environments/pr-5`
const agent = useMockAgent()
const saved = { ...process.env }
beforeEach(() => {
  jest.resetAllMocks()
  core.resetCore()
  process.env.GITHUB_API_URL = GH
  process.env.GITHUB_REPOSITORY = 'acme/shop'
  // The summary is written only on a runner (the fixture's summary writes nothing).
  process.env.GITHUB_STEP_SUMMARY = '/dev/null'
})
afterEach(() => {
  process.env = { ...saved }
})

const get = (path: string, body: unknown, status = 200) =>
  agent()
    .get(API)
    .intercept({ path, method: 'GET' })
    .reply(status, body as object)
const post = (path: string, body: object, status = 201) => {
  const sent: unknown[] = []
  agent()
    .get(GH)
    .intercept({ path, method: 'POST' })
    .reply(status, (opts) => (sent.push(JSON.parse(String(opts.body))), body))
  return sent
}
const context = (githubDeployment = false) => ({
  cli: CLIS.upsun,
  apiUrl: API,
  accessToken: 'access',
  user: { id: 'u1', email: 'ci@example.test' },
  project: 'p1',
  environment: 'pr-5-machine',
  deploy: {
    wait: true,
    commit: SHA,
    commitFrom: 'GITHUB_SHA',
    timeoutMs: 60_000,
    githubDeployment
  },
  githubToken: 'ghs'
})
const run = (githubDeployment = false) =>
  awaitDeployment(context(githubDeployment), { dispatcher: agent(), sleep: noWait })
const located = () => {
  get(P, { id: 'p1', organization: 'org1' })
  get(`${P}/environments`, [
    { id: 'pr-5', machine_name: 'pr-5-machine', type: 'development', status: 'active' }
  ])
}
const activity = (state: string, result: string | null, extra = {}) => ({
  id: 'act1',
  type: 'environment.push',
  state,
  result,
  completion_percent: 100,
  created_at: '2026-12-01T10:00:00Z',
  completed_at: '2026-12-01T10:02:05Z',
  parameters: { new_commit: SHA },
  _links: { log: { href: '/api/projects/p1/activities/act1/log' } },
  ...extra
})

describe('awaitDeployment', () => {
  it('success: outputs, summary, GitHub statuses in_progress then success with the URL and console log', async () => {
    located()
    const created = post('/repos/acme/shop/deployments', { id: 9 })
    const statuses = post('/repos/acme/shop/deployments/9/statuses', { id: 1 })
    const finished = post('/repos/acme/shop/deployments/9/statuses', { id: 2 })
    get(ENV, { id: 'pr-5', status: 'active', head_commit: SHA })
    get(`${ENV}/activities?count=50`, [activity('complete', 'success')])
    get(`${ENV}/deployments/current`, { routes: { 'https://pr-5.example/': { primary: true } } })
    await run(true)
    expect(created[0]).toMatchObject({ ref: SHA, environment: 'pr-5', transient_environment: true })
    expect(statuses[0]).toMatchObject({ state: 'in_progress' })
    expect(finished[0]).toMatchObject({
      state: 'success',
      environment_url: 'https://pr-5.example/',
      log_url: 'https://console.upsun.com/org1/p1/-/log/act1'
    })
    const outputs = Object.fromEntries(core.setOutput.mock.calls)
    expect(outputs).toEqual({
      'deployment-result': 'success',
      'activity-id': 'act1',
      'deployed-commit': SHA,
      'environment-url': 'https://pr-5.example/'
    })
    expect(core.summary.addHeading).toHaveBeenCalledWith('Deploy to pr-5', 3)
    const rows = JSON.stringify(core.summary.addTable.mock.calls[0][0])
    expect(rows).toContain('2m 05s')
  })

  it('failure: the log in a group, a failure status, an error with the activity and what to do', async () => {
    located()
    get(ENV, { id: 'pr-5', status: 'active', head_commit: SHA })
    get(`${ENV}/activities?count=50`, [
      activity('complete', 'failure', { failure_reason: 'error' })
    ])
    agent()
      .get(API)
      .intercept({ path: '/api/projects/p1/activities/act1/log', method: 'GET' })
      .reply(
        200,
        [JSON.stringify({ _id: '1', data: { message: 'E: boom\n' } }), '{"seal":true}'].join('\n')
      )
    await expect(run()).rejects.toThrow(
      /The deploy of aaaaaaaaaaaa to environment pr-5 failed \(activity act1, environment\.push\), reason: error\..*https:\/\/console\.upsun\.com\/org1\/p1\/-\/log\/act1 or `upsun activity:log act1 -p p1`/
    )
    expect(core.group).toHaveBeenCalledWith(
      'Last lines of the deploy log (activity act1, environment.push)',
      expect.any(Function)
    )
    expect(core.info.mock.calls.map((c) => c[0])).toContain('  E: boom')
    expect(Object.fromEntries(core.setOutput.mock.calls)['deployment-result']).toBe('failure')
  })

  it('an inaccessible project is explained like the project check does', async () => {
    get(P, { message: 'no' }, 404)
    get(`${P}/environments`, [], 404)
    await expect(run()).rejects.toThrow(/cannot access project p1 \(HTTP 404\)/)
  })

  it('a GitHub failure at the end is reported with the deploy’s own error', async () => {
    located()
    post('/repos/acme/shop/deployments', { id: 9 })
    post('/repos/acme/shop/deployments/9/statuses', { id: 1 })
    get(ENV, { id: 'pr-5', status: 'inactive', head_commit: SHA.replace(/a/g, 'b') })
    get(`${ENV}/activities?count=50`, [])
    post('/repos/acme/shop/deployments/9/statuses', { message: 'Validation Failed' }, 422)
    await expect(run(true)).rejects.toThrow(
      /Environment pr-5 is inactive[\s\S]*\nAlso: Could not set the GitHub deployment's status to failure: GitHub answered HTTP 422/
    )
  })
})
