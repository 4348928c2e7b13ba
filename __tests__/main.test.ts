// main.ts with its collaborators mocked (jest ESM: unstable_mockModule, then
// a dynamic import). The real modules are covered by their own tests and the
// end-to-end suites; this pins down main's ordering and failure handling.
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '../__fixtures__/core.js'

const calls: string[] = []
let installDone = false
let envAtInstall: NodeJS.ProcessEnv = {}
const install = jest.fn(async () => {
  envAtInstall = { ...process.env }
  calls.push('install:start')
  await new Promise((r) => setTimeout(r, 200))
  installDone = true
  calls.push('install:end')
  return {
    version: '5.11.1',
    dir: '/cache/upsun',
    executablePath: '/cache/upsun/upsun',
    cacheHit: false,
    verification: 'ok'
  }
})
type Checked = { user: { id: string; email: string }; accessToken: string }
const verifyToken = jest.fn(async (): Promise<Checked> => {
  calls.push('verify')
  throw new Error('The API token was rejected by auth.upsun.com (HTTP 400, invalid_grant)')
})
const checkProject = jest.fn(async (options: { accessToken: string; projectId: string }) => {
  calls.push(`checkProject:${options.projectId}:${options.accessToken}`)
  return {
    project: {
      id: options.projectId,
      title: 'Shop',
      region: 'eu-5.platform.sh',
      gitUrl: 'g',
      suspension: ''
    },
    permissions: ['production:viewer']
  }
})

jest.unstable_mockModule('@actions/core', () => core)
jest.unstable_mockModule('../src/install/install.js', () => ({ install }))
// The real token checks (masking first, auth/token.ts), with only the network check mocked.
jest.unstable_mockModule('../src/auth/verify.js', () => ({ verifyToken }))
jest.unstable_mockModule('../src/project/check.js', () => ({ checkProject }))
jest.unstable_mockModule('../src/summary.js', () => ({ writeSummary: jest.fn() }))
jest.unstable_mockModule('../src/auth/cliFiles.js', () => ({
  homes: () => ({ home: '/home/runner', sshHome: '/home/runner' }),
  openCliSession: jest.fn(async () => ({
    userDir: '/home/runner/.upsun-cli',
    userDirExisted: false,
    sessionId: 'gha-1-1-abcdef01',
    chosenByWorkflow: false,
    sessionBefore: [],
    tokenSession: 'sess-api-token-0',
    sharedSsh: {}
  }))
}))

const { run } = await import('../src/main.js')
const TOKEN = 'unit-test-token-0123456789'
const accepted = async (): Promise<Checked> => ({
  user: { id: 'u1', email: 'bot@example.com' },
  accessToken: 'access-token-for-unit-tests'
})
function withInputs(inputs: Record<string, string>): void {
  core.getInput.mockImplementation((name: string) => inputs[name] ?? '')
}

describe('run', () => {
  beforeEach(() => {
    calls.length = 0
    installDone = false
    jest.clearAllMocks()
    core.resetCore()
    process.env['INPUT_TOKEN'] = TOKEN
    core.getInput.mockImplementation((name: string) => (name === 'token' ? TOKEN : ''))
    core.setSecret.mockImplementation((v: string) => void calls.push(`setSecret:${v}`))
    core.setFailed.mockImplementation((m) => void calls.push(`setFailed:${String(m)}`))
    core.addPath.mockImplementation(() => void calls.push('addPath'))
    core.exportVariable.mockImplementation((name: string) => void calls.push(`export:${name}`))
  })

  it('masks the token before anything else uses it (and the mocks apply)', async () => {
    await run()
    expect(core.setSecret).toHaveBeenCalledWith(TOKEN)
    expect(calls.indexOf(`setSecret:${TOKEN}`)).toBeLessThan(calls.indexOf('install:start'))
    expect(calls.indexOf(`setSecret:${TOKEN}`)).toBeLessThan(calls.indexOf('verify'))
  })

  it('forgets the token inputs and the runner credentials before any work', async () => {
    Object.assign(process.env, {
      'INPUT_GITHUB-TOKEN': 'ghs_input',
      ACTIONS_RUNTIME_TOKEN: 'runtime',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc'
    })
    await run()
    expect(calls).toContain('install:start')
    for (const name of [
      'INPUT_TOKEN',
      'INPUT_GITHUB-TOKEN',
      'ACTIONS_RUNTIME_TOKEN',
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN'
    ])
      expect(envAtInstall).not.toHaveProperty(name)
  })

  it('a token rejected early still waits for the install, then fails with the token’s message and exports nothing', async () => {
    await run()
    expect(installDone).toBe(true)
    const failed = calls.findIndex((c) => c.startsWith('setFailed:'))
    expect(failed).toBeGreaterThan(calls.indexOf('install:end'))
    expect(calls[failed]).toBe(
      'setFailed:setup-upsun-cli failed: The API token was rejected by auth.upsun.com (HTTP 400, invalid_grant)'
    )
    expect(calls.filter((c) => c.startsWith('export:') || c === 'addPath')).toEqual([])
  })

  it('when both fail, both are reported', async () => {
    install.mockImplementationOnce(async () => {
      throw new Error('SHA-256 mismatch for upsun.tar.gz')
    })
    await run()
    expect(core.setFailed).toHaveBeenCalledWith(
      'setup-upsun-cli failed: The API token was rejected by auth.upsun.com (HTTP 400, invalid_grant)\nAlso: SHA-256 mismatch for upsun.tar.gz'
    )
  })

  it('on success, exports the token after the install and check, never before', async () => {
    verifyToken.mockImplementationOnce(accepted)
    await run()
    expect(core.setFailed).not.toHaveBeenCalled()
    const exported = calls.indexOf('export:UPSUN_CLI_TOKEN')
    expect(exported).toBeGreaterThan(calls.indexOf('install:end'))
    expect(calls.indexOf('export:UPSUN_CLI_SESSION_ID')).toBeGreaterThan(
      calls.indexOf('install:end')
    )
    expect(core.setOutput).toHaveBeenCalledWith('user-email', 'bot@example.com')
    expect(checkProject).not.toHaveBeenCalled()
  })

  it('with `project`, checks it with the exchanged access token while the install still runs, then exports PLATFORM_PROJECT', async () => {
    withInputs({ token: TOKEN, project: 'shop2026' })
    verifyToken.mockImplementationOnce(accepted)
    await run()
    expect(core.setFailed).not.toHaveBeenCalled()
    const checked = calls.indexOf('checkProject:shop2026:access-token-for-unit-tests')
    expect(checked).toBeGreaterThan(calls.indexOf('verify'))
    expect(checked).toBeLessThan(calls.indexOf('install:end'))
    expect(calls.indexOf('export:PLATFORM_PROJECT')).toBeGreaterThan(calls.indexOf('install:end'))
    expect(calls).not.toContain('export:PLATFORM_BRANCH')
    expect(core.setOutput).toHaveBeenCalledWith('project-title', 'Shop')
    expect(core.setOutput).toHaveBeenCalledWith('permissions', 'production:viewer')
  })

  it('a failed project check fails the step after the install, and exports nothing', async () => {
    withInputs({ token: TOKEN, project: 'shop2026' })
    verifyToken.mockImplementationOnce(accepted)
    checkProject.mockImplementationOnce(async () => {
      throw new Error('cannot access project shop2026')
    })
    await run()
    expect(installDone).toBe(true)
    expect(core.setFailed).toHaveBeenCalledWith(
      'setup-upsun-cli failed: cannot access project shop2026'
    )
    expect(calls.filter((c) => c.startsWith('export:') || c === 'addPath')).toEqual([])
  })

  it('with verify-token false, exports the project and environment unchecked and says so', async () => {
    withInputs({ token: TOKEN, project: 'shop2026', environment: 'main', 'verify-token': 'false' })
    await run()
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(verifyToken).not.toHaveBeenCalled()
    expect(checkProject).not.toHaveBeenCalled()
    expect(core.exportVariable).toHaveBeenCalledWith('PLATFORM_PROJECT', 'shop2026')
    expect(core.exportVariable).toHaveBeenCalledWith('PLATFORM_BRANCH', 'main')
    expect(core.info).toHaveBeenCalledWith(
      'PLATFORM_PROJECT=shop2026, PLATFORM_BRANCH=main exported unchecked (verify-token is false): later steps fail there if the project or environment is not accessible.'
    )
    expect(core.setOutput).toHaveBeenCalledWith('project-title', '')
  })
})
