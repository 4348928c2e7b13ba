// The job summary: facts only (CLI, version, cache, verification, who), never
// a secret, server text escaped, and nothing at all outside a runner. Written
// to a real file, as the runner's GITHUB_STEP_SUMMARY is.
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { inputsFor } from '../__fixtures__/inputs.js'
import { writeSummary } from '../src/summary.js'

const installed = {
  version: '5.11.1',
  dir: '/cache/upsun/5.11.1/x64',
  executablePath: '/cache/upsun/5.11.1/x64/upsun',
  cacheHit: false,
  verification: 'upsun_5.11.1_linux_amd64.tar.gz matched checksums.txt (SHA-256 abc)'
}
const TOKEN = 'summary-test-token-0123456789'

// One file for the whole suite: core.summary keeps the first path it was given,
// as a step has one summary file.
const dir = mkdtempSync(path.join(os.tmpdir(), 'summary-'))
const file = path.join(dir, 'step_summary')
beforeEach(() => {
  writeFileSync(file, '')
  process.env.GITHUB_STEP_SUMMARY = file
})
afterEach(() => {
  delete process.env.GITHUB_STEP_SUMMARY
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The table's rows as written, [what, value] pairs. */
function rows(): string[][] {
  return [...readFileSync(file, 'utf8').matchAll(/<tr><td>(.*?)<\/td><td>(.*?)<\/td><\/tr>/g)].map(
    (m) => [m[1] ?? '', m[2] ?? '']
  )
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
    const written = readFileSync(file, 'utf8')
    expect(written).toMatch(
      /^<h3>Upsun CLI set up<\/h3>\n<table><tr><th>What<\/th><th>Value<\/th><\/tr>/
    )
    expect(rows()).toEqual([
      ['CLI', 'Upsun CLI (<code>upsun</code>)'],
      ['Version', '5.11.1'],
      ['Tool cache', 'miss (downloaded)'],
      ['Verification', installed.verification],
      ['Authenticated as', 'ci@example.test (u-1)'],
      ['SSH certificate expires', '2030-01-02T04:05:06Z']
    ])
    expect(written).not.toContain(TOKEN)
  })

  it('escapes what the server says about the user', async () => {
    await writeSummary({
      inputs: inputsFor('upsun', { token: TOKEN }),
      installed,
      user: { id: 'u-1', email: '<img src=x onerror=alert(1)>' },
      authenticated: true
    })
    expect(rows()).toContainEqual([
      'Authenticated as',
      '&#60;img src=x onerror=alert(1)&#62; (u-1)'
    ])
  })

  it('escapes what a manifest, a cache record or the API says, in every cell', async () => {
    await writeSummary({
      inputs: inputsFor('upsun', { token: TOKEN, project: 'storefront2026' }),
      installed: { ...installed, verification: 'asset <b>bold</b> matched' },
      user: { id: 'u-1', email: 'ci@example.test' },
      project: {
        project: {
          id: '<script>x</script>',
          title: 'Shop & Co',
          region: 'eu-5',
          gitUrl: '',
          suspension: ''
        }
      },
      authenticated: true
    })
    const written = readFileSync(file, 'utf8')
    expect(written).not.toMatch(/<(b|script)>/)
    expect(rows()).toContainEqual(['Verification', 'asset &#60;b&#62;bold&#60;/b&#62; matched'])
    expect(rows()).toContainEqual([
      'Project',
      'Shop &#38; Co (<code>&#60;script&#62;x&#60;/script&#62;</code>, eu-5)'
    ])
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

  it('appends to what earlier steps wrote', async () => {
    writeFileSync(file, '## an earlier step\n')
    await writeSummary({ inputs: inputsFor('upsun'), installed, authenticated: false })
    expect(readFileSync(file, 'utf8')).toMatch(/^## an earlier step\n<h3>/)
  })

  it('writes nothing outside a runner (no GITHUB_STEP_SUMMARY)', async () => {
    delete process.env.GITHUB_STEP_SUMMARY
    await writeSummary({ inputs: inputsFor('upsun'), installed, authenticated: false })
    expect(readFileSync(file, 'utf8')).toBe('')
  })
})
