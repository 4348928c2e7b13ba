// Fault suite, CLI sessions: what a
// persistent self-hosted runner can hold when a job starts (a session kept by
// `cleanup: false`, a job killed before its post step, a token stored by
// `auth:api-token-login`), and settings the action must refuse. Each case runs
// the bundled action end to end, as the test user, with the real CLI, a
// certifier signing with a test CA and a real sshd; see ./harness.ts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { OTHER_USER, SANDBOX_USER, makeCa, startApiServer } from '../../../sandbox/api.mjs'
import { canRun } from '../../../sandbox/availability.mjs'
import { startSandboxReleases } from '../../../sandbox/index.mjs'
import type { Job } from '../../../sandbox/runner.mjs'
import {
  ensureTestUser,
  resetHome,
  sshSandboxAvailable,
  startSshd
} from '../../../sandbox/sshd.mjs'
import { FaultSuite, TOKEN, expectCacheWhole } from './harness.js'

const OTHER_TOKEN = 'sandbox-other-user-token-5a4b3c2d1e0f'
const suite = new FaultSuite(import.meta.url)
const CASES = [
  'a session kept by an earlier job (cleanup: false), another user',
  'a session left by a job killed before its post step, another user',
  'a token stored in the default session by auth:api-token-login, another user',
  'UPSUN_CLI_SESSION_ID set by the workflow to a session holding a stored token',
  'UPSUN_CLI_SESSION_ID set by the workflow to an id the CLI rejects',
  'ssh-cert: true with a CLI older than 5.0.6'
]
const available = canRun('sessions fault suite', sshSandboxAvailable(), 'it needs root and sshd')
if (!available) for (const c of CASES) suite.skipped('sessions', c, 'needs root and sshd')

let releases: Awaited<ReturnType<typeof startSandboxReleases>>
let api: Awaited<ReturnType<typeof startApiServer>>
let sshd: Awaited<ReturnType<typeof startSshd>>
let user: ReturnType<typeof ensureTestUser>
let toolCache: string | undefined
const privateKeys: string[] = []

beforeAll(async () => {
  if (!available) return
  user = ensureTestUser()
  const ca = makeCa()
  releases = await startSandboxReleases()
  api = await startApiServer({
    tokens: [TOKEN],
    users: { [OTHER_TOKEN]: OTHER_USER },
    ca,
    principals: [user.name]
  })
  sshd = await startSshd({ caPub: ca.pub, user })
  suite.secrets = () => [
    OTHER_TOKEN,
    ...api.accessTokens,
    ...privateKeys.flatMap((k) =>
      k.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'))
    )
  ]
}, 300_000)
afterAll(async () => {
  if (!available) return
  await releases.server.close()
  await api.close()
  await sshd.close()
})
beforeEach(() => {
  if (!available) return
  api.clearFaults()
  resetHome(user)
})

/** A job on this runner: the test user's home, one tool cache for the suite. */
function newJob(): Job {
  const job = suite.job({ user, toolCache, home: user.home })
  toolCache ??= job.toolCache
  return job
}
const inputs = (extra: Record<string, string> = {}): Record<string, string> => ({
  version: releases.version,
  'releases-url': releases.server.releasesUrl('upsun/cli'),
  'auth-url': api.origin,
  'api-url': api.origin,
  token: TOKEN,
  'ssh-cert': 'true',
  ...extra
})
const userDir = (): string => path.join(user.home, '.upsun-cli')

/** Key id of the certificate a step loaded: the user the certifier signed it for. */
function certificateUser(certPath: string): string {
  const text = execFileSync('ssh-keygen', ['-L', '-f', certPath], { encoding: 'utf8' })
  return /Key ID: "([^"]+)"/.exec(text)?.[1] ?? ''
}

/**
 * The job acts as its own token's user everywhere: the check, a later CLI
 * command, the certificate, and ssh; after its post its session is gone and
 * what it found is still there.
 */
async function expectOwnUser(
  job: Job,
  leftBehind: string,
  control?: () => Promise<void>
): Promise<string> {
  const step = await job.main(inputs())
  expect(step.errors).toEqual([])
  await control?.()
  expect(step.outputs['user-email']).toBe(SANDBOX_USER.email)
  const later = await job.run('upsun auth:info -P email --no-interaction')
  expect(later.stdout.trim()).toBe(SANDBOX_USER.email)
  const certPath = step.outputs['ssh-cert-path']
  expect(certificateUser(certPath)).toBe(SANDBOX_USER.id)
  privateKeys.push(readFileSync(certPath.replace('-cert.pub', ''), 'utf8').trim())
  const hello = await job.run(`ssh ${sshd.sshOptions} ${user.name}@git.eu-5.platform.sh echo hi`)
  expect(hello.stdout.trim()).toBe('hi')
  const post = await job.post()
  expect(post.warnings).toEqual([])
  expect(existsSync(path.dirname(path.dirname(certPath)))).toBe(false)
  expect(existsSync(leftBehind)).toBe(true)
  expectCacheWhole(job.toolCache)
  return step.exported.UPSUN_CLI_SESSION_ID
}

const describeIf = available ? describe : describe.skip

describeIf('faults: sessions', () => {
  it(`${CASES[0]}`, async () => {
    const earlier = newJob()
    const kept = await earlier.main(inputs({ token: OTHER_TOKEN, cleanup: 'false' }))
    expect(kept.outputs['user-email']).toBe(OTHER_USER.email)
    privateKeys.push(readFileSync(kept.outputs['ssh-cert-path'].replace('-cert.pub', ''), 'utf8'))
    await earlier.post()
    const id = await expectOwnUser(newJob(), kept.outputs['ssh-cert-path'])
    expect(id).not.toBe(kept.exported.UPSUN_CLI_SESSION_ID)
    suite.record({
      group: 'sessions',
      fault: CASES[0],
      outcome: 'survived',
      detail:
        'the next job used a session of its own and acted as its own user; the kept session was left as it was'
    })
  })

  it(`${CASES[1]}`, async () => {
    const killed = newJob()
    const step = await killed.main(inputs({ token: OTHER_TOKEN }))
    expect(step.errors).toEqual([])
    privateKeys.push(readFileSync(step.outputs['ssh-cert-path'].replace('-cert.pub', ''), 'utf8'))
    // No post step: the runner was stopped.
    await expectOwnUser(newJob(), step.outputs['ssh-cert-path'])
    suite.record({
      group: 'sessions',
      fault: CASES[1],
      outcome: 'survived',
      detail: 'the next job acted as its own user'
    })
  })

  it(`${CASES[2]}`, async () => {
    // What `auth:api-token-login` leaves: the token, as text, in the default session.
    const stored = path.join(userDir(), '.session', 'sess-cli-default', 'api-token')
    mkdirSync(path.dirname(stored), { recursive: true })
    writeFileSync(stored, OTHER_TOKEN, { mode: 0o600 })
    execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, userDir()])
    await expectOwnUser(newJob(), stored, async () => {
      // The control: with the job's token exported, the default session would still act as the stored token's user.
      const job = suite.jobs[suite.jobs.length - 1]
      const control = await job.run('upsun auth:info -P email --no-interaction', {
        env: { UPSUN_CLI_SESSION_ID: 'default' }
      })
      expect(control.stdout.trim()).toBe(OTHER_USER.email)
    })
    suite.record({
      group: 'sessions',
      fault: CASES[2],
      outcome: 'survived',
      detail: 'the job’s own session ignores it: the job acted as its own user'
    })
  })

  it(`${CASES[3]}`, async () => {
    const stored = path.join(userDir(), '.session', 'sess-cli-shared', 'api-token')
    mkdirSync(path.dirname(stored), { recursive: true })
    writeFileSync(stored, OTHER_TOKEN, { mode: 0o600 })
    execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, userDir()])
    const job = newJob()
    const step = await job.main(inputs(), { env: { UPSUN_CLI_SESSION_ID: 'shared' } })
    expect(step.exitCode).toBe(1)
    const error = step.errors.join('\n')
    expect(error).toMatch(
      /UPSUN_CLI_SESSION_ID=shared names a CLI session that holds a stored API token .*act as another user/
    )
    expect(step.exported).toEqual({})
    expect(step.paths).toEqual([])
    await job.post()
    expect(readFileSync(stored, 'utf8')).toBe(OTHER_TOKEN)
    suite.record({ group: 'sessions', fault: CASES[3], outcome: 'refused', detail: error })
  })

  it(`${CASES[4]}`, async () => {
    const job = newJob()
    const step = await job.main(inputs(), { env: { UPSUN_CLI_SESSION_ID: 'api-token-x' } })
    expect(step.exitCode).toBe(1)
    const error = step.errors.join('\n')
    expect(error).toMatch(
      /UPSUN_CLI_SESSION_ID is set to "api-token-x", which the CLI does not accept/
    )
    expect(step.exported).toEqual({})
    suite.record({ group: 'sessions', fault: CASES[4], outcome: 'refused', detail: error })
  })

  it(`${CASES[5]}`, async () => {
    const before = releases.server.requests.length
    const job = newJob()
    const step = await job.main(inputs({ version: '5.0.5' }))
    expect(step.exitCode).toBe(1)
    const error = step.errors.join('\n')
    expect(error).toMatch(
      /`ssh-cert: true` needs Upsun CLI 5\.0\.6 or later, and `version` is 5\.0\.5/
    )
    expect(releases.server.requests.length).toBe(before)
    expect(step.exported).toEqual({})
    suite.record({ group: 'sessions', fault: CASES[5], outcome: 'refused', detail: error })
  })
})

describe('faults: sessions (figures)', () => {
  it('leaks nothing in any of these runs, and records its figures', () => {
    suite.expectNoLeaks(CASES.length)
  })
})
