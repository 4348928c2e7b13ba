// main.ts with its collaborators mocked (jest ESM: unstable_mockModule, then
// a dynamic import). The real modules are covered by their own tests and the
// end-to-end suites; this pins down main's ordering and failure handling.
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '../__fixtures__/core.js'

const calls: string[] = []
let installDone = false
const install = jest.fn(async () => {
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
const verifyToken = jest.fn(async (): Promise<{ id: string; email: string }> => {
  calls.push('verify')
  throw new Error('The API token was rejected by auth.upsun.com (HTTP 400, invalid_grant)')
})

jest.unstable_mockModule('@actions/core', () => core)
jest.unstable_mockModule('../src/install/install.js', () => ({ install }))
// The real token checks (masking first, auth/token.ts), with only the network check mocked.
jest.unstable_mockModule('../src/auth/verify.js', () => ({ verifyToken }))
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
    verifyToken.mockImplementationOnce(async () => ({ id: 'u1', email: 'bot@example.com' }))
    await run()
    expect(core.setFailed).not.toHaveBeenCalled()
    const exported = calls.indexOf('export:UPSUN_CLI_TOKEN')
    expect(exported).toBeGreaterThan(calls.indexOf('install:end'))
    expect(calls.indexOf('export:UPSUN_CLI_SESSION_ID')).toBeGreaterThan(
      calls.indexOf('install:end')
    )
    expect(core.setOutput).toHaveBeenCalledWith('user-email', 'bot@example.com')
  })
})
