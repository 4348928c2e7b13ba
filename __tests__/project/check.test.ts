// The online project check against an undici MockAgent (no socket, retries
// do not wait), and the binding it leads to, with the typed @actions/core fixture.
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import { noWait, useMockAgent } from '../../__fixtures__/network.js'
import * as core from '../../__fixtures__/core.js'

jest.unstable_mockModule('@actions/core', () => core)
const { checkProject } = await import('../../src/project/check.js')
const { bindProject } = await import('../../src/project/bind.js')
const { readPrimaryUrl, readProject } = await import('../../src/project/model.js')
const { CLIS } = await import('../../src/clis.js')

const API = 'https://api.example.test'
const USER = { id: 'u-1', email: 'ci@example.test' }

const agent = useMockAgent()
beforeEach(() => {
  jest.resetAllMocks()
  core.resetCore()
})

const api = (path: string) => agent().get(API).intercept({ path, method: 'GET' })
const check = (projectId: string, environment = '') =>
  checkProject(
    { cli: CLIS.upsun, apiUrl: API, accessToken: 'access', user: USER, projectId, environment },
    { dispatcher: agent(), sleep: noWait }
  )
const project = {
  id: 'abc123',
  title: 'Shop',
  region: 'eu-5.platform.sh',
  repository: { url: 'abc123@git.eu-5.platform.sh:abc123.git' },
  status: { code: 'provisioned' },
  subscription: { suspended: false }
}

describe('checkProject', () => {
  it('reads project, environments and permissions with the access token, then the primary URL', async () => {
    let authorization = ''
    api('/projects/abc123').reply(200, (opts) => {
      authorization = String((opts.headers as Record<string, string>).authorization)
      return project
    })
    api('/projects/abc123/environments').reply(200, [
      { id: 'main', machine_name: 'main-x1', type: 'production', status: 'active' },
      { id: 'feature/a', machine_name: 'feature-a-y2', type: 'development', status: 'active' }
    ])
    api('/projects/abc123/user-access/u-1').reply(200, { permissions: ['admin'] })
    api('/projects/abc123/environments/feature%2Fa/deployments/current').reply(200, {
      routes: {
        'http://a.example/': { primary: false },
        'https://a.example/': { primary: true }
      }
    })
    await expect(check('abc123', 'feature-a-y2')).resolves.toEqual({
      project: {
        id: 'abc123',
        title: 'Shop',
        region: 'eu-5.platform.sh',
        gitUrl: 'abc123@git.eu-5.platform.sh:abc123.git',
        suspension: ''
      },
      environment: {
        id: 'feature/a',
        machineName: 'feature-a-y2',
        type: 'development',
        status: 'active',
        url: 'https://a.example/'
      },
      permissions: ['admin']
    })
    expect(authorization).toBe('Bearer access')
    agent().assertNoPendingInterceptors()
  })

  it('403 and 404 on the project are one message: who, which project, how to invite', async () => {
    for (const status of [403, 404]) {
      api('/projects/abc123').reply(status, { message: 'no' })
      api('/projects/abc123/user-access/u-1').reply(status, { message: 'no' })
      await expect(check('abc123')).rejects.toThrow(
        `The token's user ci@example.test cannot access project abc123 (HTTP ${status})`
      )
    }
  })

  it('a 401 on the project points at mismatched endpoints', async () => {
    api('/projects/abc123').reply(401, {})
    api('/projects/abc123/user-access/u-1').reply(401, {})
    await expect(check('abc123')).rejects.toThrow(
      /refused the access token .*HTTP 401.*Check that `api-url` and `auth-url` belong to the same platform/
    )
  })

  it('a refused environment list, on a readable project, says which role is missing', async () => {
    api('/projects/abc123').reply(200, project)
    api('/projects/abc123/environments').reply(403, {})
    api('/projects/abc123/user-access/u-1').reply(200, { permissions: [] })
    await expect(check('abc123', 'main')).rejects.toThrow(
      /refused to list the environments of project abc123 \(HTTP 403\) to ci@example\.test/
    )
  })

  it('unreadable permissions are tolerated and reported', async () => {
    api('/projects/abc123').reply(200, project)
    api('/projects/abc123/user-access/u-1').reply(404, {})
    await expect(check('abc123')).resolves.toMatchObject({ permissionsRefused: 404 })
  })

  it('a 5xx on the permissions after retries fails the step', async () => {
    api('/projects/abc123').reply(200, project)
    api('/projects/abc123/user-access/u-1').reply(502, {}).times(4)
    await expect(check('abc123')).rejects.toThrow(/Could not read the user's permissions/)
  })

  it('a missing environment lists what the user can see, at most 20', async () => {
    api('/projects/abc123').reply(200, project)
    api('/projects/abc123/environments').reply(
      200,
      Array.from({ length: 25 }, (_, i) => ({ id: `e${i}`, machine_name: `e${i}` }))
    )
    api('/projects/abc123/user-access/u-1').reply(200, { permissions: [] })
    await expect(check('abc123', 'nope')).rejects.toThrow(
      /can see: e0, e1, .*, e19, and 5 more\. Check the name/
    )
  })

  it('no current deployment gives an empty URL', async () => {
    api('/projects/abc123').reply(200, project)
    api('/projects/abc123/environments').reply(200, [{ id: 'main', status: 'active' }])
    api('/projects/abc123/user-access/u-1').reply(200, { permissions: [] })
    api('/projects/abc123/environments/main/deployments/current').reply(404, {})
    await expect(check('abc123', 'main')).resolves.toMatchObject({ environment: { url: '' } })
  })
})

describe('model', () => {
  it.each([
    [{ status: 'suspended' }, 'its status is suspended'],
    [{ status: { code: 'suspended', message: 'x' } }, 'its status is suspended'],
    [{ subscription: { suspended: true } }, 'its subscription is suspended'],
    [{ status: { code: 'provisioned' } }, ''],
    [null, '']
  ])('suspension of %j', (answer, why) => {
    expect(readProject(answer).suspension).toBe(why)
  })

  it('takes only an http(s) primary route', () => {
    expect(readPrimaryUrl({ routes: { 'javascript:x': { primary: true } } })).toBe('')
  })
})

describe('bindProject', () => {
  it('exports nothing and sets empty outputs without a project', () => {
    bindProject({ project: '', environment: '' }, undefined, 'no API token to check it with')
    expect(core.exportVariable).not.toHaveBeenCalled()
    expect(core.setOutput).toHaveBeenCalledWith('project-title', '')
  })

  it('unchecked without a token says why', () => {
    bindProject({ project: 'abc123', environment: '' }, undefined, 'no API token to check it with')
    expect(core.exportVariable).toHaveBeenCalledWith('PLATFORM_PROJECT', 'abc123')
    expect(core.info).toHaveBeenCalledWith(
      'PLATFORM_PROJECT=abc123 exported unchecked (no API token to check it with): later steps fail there if the project or environment is not accessible.'
    )
  })

  it('a project admin gets a notice; its permissions are logged and given as output', () => {
    bindProject(
      { project: 'abc123', environment: '' },
      {
        user: USER,
        project: { project: readProject(project), permissions: ['admin'] }
      },
      ''
    )
    expect(core.notice).toHaveBeenCalledWith(
      expect.stringMatching(
        /^ci@example\.test is an admin of project abc123\. The platform advises/
      )
    )
    expect(core.setOutput).toHaveBeenCalledWith('permissions', 'admin')
    expect(core.setOutput).toHaveBeenCalledWith('git-url', 'abc123@git.eu-5.platform.sh:abc123.git')
  })
})
