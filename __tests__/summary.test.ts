// The job summary: facts only (CLI, version, cache, verification, who), never
// a secret, and nothing at all outside a runner.
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '../__fixtures__/core.js'
import { inputsFor } from '../__fixtures__/inputs.js'

jest.unstable_mockModule('@actions/core', () => core)
const { writeSummary } = await import('../src/summary.js')

const installed = {
  version: '5.11.1',
  dir: '/cache/upsun/5.11.1/x64',
  executablePath: '/cache/upsun/5.11.1/x64/upsun',
  cacheHit: false,
  verification: 'upsun_5.11.1_linux_amd64.tar.gz matched checksums.txt (SHA-256 abc)'
}
const TOKEN = 'summary-test-token-0123456789'

beforeEach(() => {
  jest.resetAllMocks()
  core.resetCore()
  process.env.GITHUB_STEP_SUMMARY = '/tmp/summary.md'
})

/** The rows written, as [what, value] pairs. */
function rows(): string[][] {
  const [table] = core.summary.addTable.mock.calls[0]
  return table.slice(1) as string[][]
}

describe('writeSummary', () => {
  it('writes the facts of an authenticated run with a certificate, and never the token', async () => {
    await writeSummary({
      inputs: inputsFor('upsun', { token: TOKEN }),
      installed,
      user: { id: 'u-1', email: 'ci@example.test' },
      authenticated: true,
      sshCertExpiresAt: '2030-01-02T04:05:06Z'
    })
    expect(core.summary.addHeading).toHaveBeenCalledWith('Upsun CLI set up', 3)
    expect(rows()).toEqual([
      ['CLI', 'Upsun CLI (`upsun`)'],
      ['Version', '5.11.1'],
      ['Tool cache', 'miss (downloaded)'],
      ['Verification', installed.verification],
      ['Authenticated as', 'ci@example.test (u-1)'],
      ['SSH certificate expires', '2030-01-02T04:05:06Z']
    ])
    expect(JSON.stringify(core.summary.addTable.mock.calls)).not.toContain(TOKEN)
    expect(core.summary.write).toHaveBeenCalled()
  })

  it.each([
    [false, undefined, 'no token (install only)'],
    [true, undefined, 'token exported, not checked online']
  ])('authenticated %s without a user reads %j', async (authenticated, user, text) => {
    await writeSummary({
      inputs: inputsFor('platform'),
      installed: { ...installed, cacheHit: true },
      user,
      authenticated
    })
    expect(rows()).toContainEqual(['Authenticated as', text])
    expect(rows()).toContainEqual(['Tool cache', 'hit'])
  })

  it('writes nothing outside a runner (no GITHUB_STEP_SUMMARY)', async () => {
    delete process.env.GITHUB_STEP_SUMMARY
    await writeSummary({ inputs: inputsFor('upsun'), installed, authenticated: false })
    expect(core.summary.write).not.toHaveBeenCalled()
  })
})
