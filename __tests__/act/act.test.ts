// End to end under nektos/act, an independent implementation of the GitHub
// Actions runner (not our sandbox/runner.mjs): act runs the workflows in
// __tests__/act/workflows/ in host mode, `uses: ./` with the committed
// action.yml and dist/, against the loopback sandbox (releases serving the
// real CLI, the API stand-in, sshd with a test CA). act runs as the dedicated
// test user, so ssh and git read that user's passwd home.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, existsSync, mkdtempSync, readdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ACT_PATH, actAvailable, findActLeaks, newCachePath, runAct } from '../../sandbox/act.mjs'
import { SANDBOX_USER, makeCa, startApiServer } from '../../sandbox/api.mjs'
import { canRun } from '../../sandbox/availability.mjs'
import { standInCliTarGz } from '../../sandbox/hostile.mjs'
import { startSandboxReleases } from '../../sandbox/index.mjs'
import { SANDBOX_PROJECT } from '../../sandbox/projects.mjs'
import { ensureTestUser, resetHome, sshSandboxAvailable, startSshd } from '../../sandbox/sshd.mjs'

const TOKEN = 'act-suite-token-5f4e3d2c1b0a9f8e'
const WRONG_TOKEN = 'act-suite-wrong-token-0a1b2c3d4e5f'
const available =
  canRun(
    'act suite',
    actAvailable(),
    `nektos/act is not at ${ACT_PATH}`,
    'it is shared/tools/act beside the clone; or set SETUP_UPSUN_CLI_ACT to its path'
  ) && canRun('act suite', sshSandboxAvailable(), 'it needs root and /usr/sbin/sshd')

let releases: Awaited<ReturnType<typeof startSandboxReleases>>
let api: Awaited<ReturnType<typeof startApiServer>>
let sshd: Awaited<ReturnType<typeof startSshd>>
let user: ReturnType<typeof ensureTestUser>
let vars: Record<string, string>

beforeAll(async () => {
  if (!available) return
  user = ensureTestUser()
  const ca = makeCa()
  releases = await startSandboxReleases()
  api = await startApiServer({ tokens: [TOKEN], ca, principals: [user.name] })
  sshd = await startSshd({ caPub: ca.pub, user })
  vars = {
    CLI_VERSION: releases.version,
    RELEASES_URL: releases.server.releasesUrl('upsun/cli'),
    API_URL: api.origin,
    PROJECT: SANDBOX_PROJECT.id,
    ENVIRONMENT: 'staging',
    SSH_CERT: 'true',
    SSH_OPTIONS: sshd.sshOptions,
    SSH_USER: user.name,
    SSH_REPO: sshd.repo
  }
}, 300_000)
afterAll(async () => {
  if (!available) return
  await releases.server.close()
  await api.close()
  await sshd.close()
})
beforeEach(() => {
  if (available) resetHome(user)
})

const workflow = (name: string): string => `__tests__/act/workflows/${name}.yml`
type Run = Awaited<ReturnType<typeof runAct>>

/** Step results in order, as `id:stage:result` (act's ids: numbers for steps without one). */
const results = (run: Run): string[] =>
  run.steps.filter((s) => s.result).map((s) => `${s.stepId}:${s.stage}:${s.result}`)

/** Nothing secret in anything act printed: the API token and every access token the API gave. */
function expectNoLeaks(run: Run, token = TOKEN): void {
  expect(findActLeaks(run, [token, ...api.accessTokens])).toEqual([])
  expect(run.log).not.toContain(token)
}

/** The CLI's credentials left in the test user's home. */
function credentialsLeft(): string[] {
  const left = [path.join(user.home, '.ssh', 'config')].filter((p) => existsSync(p))
  const sessions = path.join(user.home, '.upsun-cli', '.session')
  if (existsSync(sessions)) left.push(...readdirSync(sessions).map((n) => path.join(sessions, n)))
  return left
}

/** ssh to the sandbox as the test user, after act is done (the post step removed the certificate). */
function sshAfterwards(): ReturnType<typeof spawnSync> {
  return spawnSync(
    'sh',
    ['-c', `ssh ${sshd.sshOptions} ${user.name}@git.eu-5.platform.sh echo should-not-run`],
    {
      uid: user.uid,
      gid: user.gid,
      env: { HOME: user.home, PATH: '/usr/bin:/bin' },
      encoding: 'utf8',
      timeout: 30_000
    }
  )
}

const describeAct = available ? describe : describe.skip

describeAct('the action under nektos/act', () => {
  it('installs, authenticates, binds the project and environment, loads the certificate; a second run is a cache hit', async () => {
    const cachePath = newCachePath(user)
    const first = await runAct({
      workflow: workflow('setup'),
      secrets: { UPSUN_CLI_TOKEN: TOKEN },
      vars,
      user,
      cachePath
    })
    expect(first.timedOut).toBe(false)
    expect({ exitCode: first.exitCode, jobs: first.jobs }).toEqual({
      exitCode: 0,
      jobs: { setup: 'success' }
    })
    // Every step ran and passed, the post step last.
    expect(results(first)).toEqual([
      '--setup-job::success',
      '0:Main:success',
      'cli:Main:success',
      '2:Main:success',
      '3:Main:success',
      '4:Main:success',
      'cli:Post:success',
      '--complete-job::success'
    ])
    const toolCache = path.join(cachePath, 'tool_cache')
    expect(first.outputs).toMatchObject({
      version: releases.version,
      'cache-hit': 'false',
      'cli-path': path.join(toolCache, 'upsun', releases.version, 'x64', 'upsun'),
      'user-id': SANDBOX_USER.id,
      'user-email': SANDBOX_USER.email,
      'project-title': SANDBOX_PROJECT.title,
      'project-region': SANDBOX_PROJECT.region,
      'environment-type': 'staging',
      'environment-status': 'active',
      // act's repository: the clone's files in a fresh commit on main.
      commit: `${first.sha} refs/heads/main`,
      // A later step: the CLI on PATH, with no --project / --environment.
      which: path.join(toolCache, 'upsun', releases.version, 'x64', 'upsun'),
      'cli-version': `Upsun CLI ${releases.version}`,
      'token-set': 'yes',
      bound: `${SANDBOX_PROJECT.id}/staging`,
      'auth-email': SANDBOX_USER.email,
      // (the later step's `project-title` overrides the action output of the same name: equal)
      // ssh and git push with the loaded certificate.
      ssh: 'hello-from-sshd',
      pushed: 'refs/heads/act-1'
    })
    expect(first.outputs['ssh-cert-expires-at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    // The token's add-mask is printed as *** by act, and the post step removed everything.
    expect(first.log).toContain('***')
    expect(first.log).toMatch(/\[setup\] Removed .*sess-cli-/)
    expectNoLeaks(first)
    expect(credentialsLeft()).toEqual([])
    const refused = sshAfterwards()
    expect(refused.status).toBe(255)
    expect(refused.stderr).toMatch(/Permission denied \(publickey\)/)

    // The same runner again (the same --action-cache-path): a tool-cache hit.
    resetHome(user)
    const second = await runAct({
      workflow: workflow('setup'),
      secrets: { UPSUN_CLI_TOKEN: TOKEN },
      vars: { ...vars, SSH_CERT: 'false' },
      user,
      cachePath
    })
    expect({ exitCode: second.exitCode, jobs: second.jobs }).toEqual({
      exitCode: 0,
      jobs: { setup: 'success' }
    })
    expect(second.outputs).toMatchObject({
      'cache-hit': 'true',
      version: releases.version,
      'cli-version': `Upsun CLI ${releases.version}`,
      bound: `${SANDBOX_PROJECT.id}/staging`
    })
    // ssh-cert was false: the ssh step was skipped.
    expect(second.outputs.ssh).toBeUndefined()
    expect(results(second)).not.toContain('4:Main:success')
    expectNoLeaks(second)
  }, 300_000)

  it('a pull_request event: the action in a reusable workflow, the token passed down, outputs through needs', async () => {
    const head = 'c0ffee'.padEnd(40, '0')
    const run = await runAct({
      workflow: workflow('pull-request'),
      event: 'pull_request',
      payload: {
        action: 'opened',
        number: 7,
        pull_request: {
          number: 7,
          head: { sha: head, ref: 'feature/login' },
          base: { ref: 'main' }
        }
      },
      secrets: { UPSUN_CLI_TOKEN: TOKEN },
      vars,
      user
    })
    expect(run.timedOut).toBe(false)
    expect({ exitCode: run.exitCode, jobs: run.jobs }).toEqual({
      exitCode: 0,
      jobs: { setup: 'success', report: 'success' }
    })
    expect(run.outputs).toEqual({
      event: 'pull_request refs/pull/7/merge',
      head,
      bound: `${SANDBOX_PROJECT.id}/feature/login`,
      'machine-name': 'feature-login-q3x7lda',
      'needs-user-email': SANDBOX_USER.email,
      'needs-environment-type': 'development'
    })
    expectNoLeaks(run)
    expect(credentialsLeft()).toEqual([])
  }, 300_000)

  it('a wrong token fails the job; later steps are skipped, `if: always()` runs, and post still runs', async () => {
    const run = await runAct({
      workflow: workflow('failure'),
      job: 'wrong-token',
      secrets: { UPSUN_CLI_TOKEN: WRONG_TOKEN },
      vars,
      user
    })
    expect(run.timedOut).toBe(false)
    expect(run.exitCode).not.toBe(0)
    expect(run.jobs).toEqual({ 'wrong-token': 'failure' })
    expect(results(run)).toEqual([
      '--setup-job::success',
      '0:Main:success',
      'cli:Main:failure',
      '3:Main:success',
      'cli:Post:success',
      '--complete-job::success'
    ])
    expect(run.log).toMatch(/::error::setup-upsun-cli failed: The API token was rejected/)
    // Nothing was exported for later steps, and the skipped step printed nothing.
    expect(run.outputs).toEqual({ outcome: 'failure', 'token-set': '' })
    expectNoLeaks(run, WRONG_TOKEN)
    expect(credentialsLeft()).toEqual([])
  }, 300_000)

  it('a job that fails after the certificate was loaded: post removes the session and the SSH configuration', async () => {
    const run = await runAct({
      workflow: workflow('failure'),
      job: 'later-step-fails',
      secrets: { UPSUN_CLI_TOKEN: TOKEN },
      vars,
      user
    })
    expect(run.exitCode).not.toBe(0)
    expect(run.jobs).toEqual({ 'later-step-fails': 'failure' })
    expect(results(run)).toEqual([
      '--setup-job::success',
      '0:Main:success',
      'cli:Main:success',
      '2:Main:success',
      '3:Main:failure',
      'cli:Post:success',
      '--complete-job::success'
    ])
    // Before post: a session and the SSH configuration were there.
    expect(run.outputs).toEqual({ sessions: '1', 'ssh-config': 'present' })
    expect(run.log).toMatch(/\[later-step-fails\] Removed .*sess-cli-/)
    expectNoLeaks(run)
    expect(credentialsLeft()).toEqual([])
    expect(sshAfterwards().status).toBe(255)
  }, 300_000)

  it("the CLI's output holding workflow commands: act acts on none of them", async () => {
    // The real release's asset and checksum replaced by a stand-in CLI that
    // prints would-be commands from --version and a failing ssh-cert:load.
    const records = mkdtempSync(path.join(os.tmpdir(), 'act-stand-in-'))
    chmodSync(records, 0o1777)
    const body = standInCliTarGz(releases.version, records)
    const asset = `upsun_${releases.version}_linux_amd64.tar.gz`
    const objects = `/objects/upsun/cli/v${releases.version}`
    releases.server.replace(`${objects}/${asset}`, body)
    const sum = createHash('sha256').update(body).digest('hex')
    releases.server.replace(`${objects}/checksums.txt`, `${sum}  ${asset}\n`)
    let run: Run
    try {
      run = await runAct({
        workflow: workflow('hostile-cli'),
        secrets: { UPSUN_CLI_TOKEN: TOKEN },
        vars,
        user
      })
    } finally {
      releases.server.restore()
    }
    expect(run.jobs).toEqual({ 'hostile-cli': 'failure' })
    expect(run.log).toMatch(/::error::setup-upsun-cli failed: upsun ssh-cert:load failed/)
    // act saw the CLI's lines, and took none of them as a command: no output,
    // state or mask of the stand-in's, nothing exported or put on PATH.
    expect(run.log).toContain('Generating a key')
    const commands = run.raw
      .split('\n')
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as { command?: string; arg?: string; name?: string }]
        } catch {
          return []
        }
      })
      .filter((entry) => entry.command && entry.command !== 'stop-commands')
    expect(commands.filter((c) => /injected|Generating/.test(`${c.arg} ${c.name}`))).toEqual([])
    expect(run.outputs).toEqual({
      outcome: 'failure',
      outputs: '',
      'cli-on-path': 'no',
      'token-set': ''
    })
    expectNoLeaks(run)
  }, 300_000)

  it('vars, env and secrets reach the job as given: $, #, quotes and spaces kept', async () => {
    const value = ' a$HOME b #c "d" \\n '
    const run = await runAct({
      workflow: workflow('values'),
      vars: { VALUE: value },
      env: { VALUE: value },
      secrets: { VALUE: `secret:${value}` }
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toEqual({ vars: value, env: value, 'secret-matches': 'yes' })
    await expect(runAct({ workflow: workflow('values'), vars: { VALUE: "it's" } })).rejects.toThrow(
      /VALUE: act cannot be given a value with '/
    )
  }, 300_000)
})
