// End to end: ssh-cert: true with the real CLI, a certifier signing with a
// test CA, and a real OpenSSH server holding a bare git repository. The action
// and later steps run as a dedicated test user, so that OpenSSH reads that
// user's passwd home and the machine's real home is never touched.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import {
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import path from 'node:path'
import { SANDBOX_USER, makeCa, startApiServer } from '../../sandbox/api.mjs'
import { startSandboxReleases } from '../../sandbox/index.mjs'
import { findLeaks } from '../../sandbox/leaks.mjs'
import { canRun } from '../../sandbox/availability.mjs'
import { Job } from '../../sandbox/runner.mjs'
import { ensureTestUser, resetHome, sshSandboxAvailable, startSshd } from '../../sandbox/sshd.mjs'

const TOKEN = 'sandbox-ssh-token-9a8b7c6d5e4f3a2b'
const FAST = { SETUP_UPSUN_CLI_RETRY_BASE_MS: '50', SETUP_UPSUN_CLI_HTTP_TIMEOUT_MS: '5000' }
const available = canRun('SSH suite', sshSandboxAvailable(), 'it needs root and /usr/sbin/sshd')

let releases: Awaited<ReturnType<typeof startSandboxReleases>>
let api: Awaited<ReturnType<typeof startApiServer>>
let sshd: Awaited<ReturnType<typeof startSshd>>
let user: ReturnType<typeof ensureTestUser>
let toolCache: string | undefined
const jobs: Job[] = []
const privateKeys: string[] = []

beforeAll(async () => {
  if (!available) return
  user = ensureTestUser()
  const ca = makeCa()
  releases = await startSandboxReleases()
  api = await startApiServer({ tokens: [TOKEN], ca, principals: [user.name] })
  sshd = await startSshd({ caPub: ca.pub, user })
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

function newJob(options: { containerHome?: boolean } = {}): Job {
  const job = new Job({
    user,
    toolCache,
    home: options.containerHome ? undefined : user.home,
    env: FAST
  })
  toolCache ??= job.toolCache
  jobs.push(job)
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
const target = (): string => `${user.name}@git.eu-5.platform.sh`
const sshRun = (job: Job, command: string, options = sshd.sshOptions) =>
  job.run(`ssh ${options} ${target()} ${command}`)
const gitSsh = (options = sshd.sshOptions): Record<string, string> => ({
  GIT_SSH_COMMAND: `ssh ${options}`
})
const remote = (): string => `${target()}:${sshd.repo}`

/** ssh and git push work; `options` picks how ssh reaches the sandbox's sshd. */
async function expectSshWorks(job: Job, options = sshd.sshOptions): Promise<void> {
  const hello = await sshRun(job, 'echo hello-from-sshd', options)
  expect(hello.stderr).not.toMatch(/Permission denied/)
  expect(hello.stdout.trim()).toBe('hello-from-sshd')
  const branch = `deploy-${job.steps.length}-${path.basename(job.root)}`
  const push = await job.run(
    [
      'rm -rf work && git init -q -b main work && cd work',
      'git -c user.name=ci -c user.email=ci@example.com commit -q --allow-empty -m deploy',
      `git push -q ${remote()} main:${branch}`,
      `git ls-remote ${remote()}`
    ].join(' && '),
    { env: gitSsh(options) }
  )
  expect(push.stderr).toBe('')
  expect(push.stdout).toMatch(new RegExp(`^[0-9a-f]{40}\\trefs/heads/${branch}$`, 'm'))
}

async function expectSshRefused(job: Job): Promise<void> {
  const denied = await sshRun(job, 'echo should-not-run')
  expect(denied.exitCode).toBe(255)
  expect(denied.stdout).not.toContain('should-not-run')
  expect(denied.stderr).toMatch(/Permission denied \(publickey\)/)
}

const describeSsh = available ? describe : describe.skip

describeSsh('ssh-cert', () => {
  it('loads a certificate: later ssh and git push work; post removes it all and restores ~/.ssh/config byte for byte', async () => {
    // A user config that the CLI would normalise (no final newline).
    mkdirSync(path.join(user.home, '.ssh'), { mode: 0o700 })
    const original = 'Host example.org\n  User someone\n  ServerAliveInterval 30'
    writeFileSync(path.join(user.home, '.ssh', 'config'), original)
    chownSync(path.join(user.home, '.ssh'), user.uid, user.gid)
    chownSync(path.join(user.home, '.ssh', 'config'), user.uid, user.gid)

    const job = newJob()
    const before = Date.now()
    const step = await job.main(inputs())
    expect(step.errors).toEqual([])
    expect(step.exitCode).toBe(0)
    const certPath = step.outputs['ssh-cert-path']
    // The job's own CLI session, exported for later steps: run, attempt, random part.
    const session = step.exported.UPSUN_CLI_SESSION_ID
    expect(session).toMatch(/^gha-9000000001-1-[0-9a-f]{8}$/)
    expect(certPath).toBe(
      path.join(user.home, `.upsun-cli/.session/sess-cli-${session}/ssh/id_ed25519-cert.pub`)
    )
    expect(step.log).toMatch(/no has-mfa@platform\.sh extension: it is not MFA-verified/)
    const expires = Date.parse(step.outputs['ssh-cert-expires-at'])
    expect(step.outputs['ssh-cert-expires-at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(expires).toBeGreaterThan(before + 55 * 60_000)
    expect(expires).toBeLessThan(before + 61 * 60_000)
    expect(statSync(path.join(user.home, '.ssh')).mode & 0o777).toBe(0o700)
    for (const f of [certPath, certPath.replace('-cert.pub', '')])
      expect(statSync(f).mode & 0o777).toBe(0o600)
    expect(step.summary).toContain('SSH certificate expires')
    privateKeys.push(readFileSync(certPath.replace('-cert.pub', ''), 'utf8').trim())

    await expectSshWorks(job)

    const post = await job.post()
    expect(post.exitCode).toBe(0)
    expect(post.warnings).toEqual([])
    expect(existsSync(path.join(user.home, '.upsun-cli'))).toBe(false)
    expect(readFileSync(path.join(user.home, '.ssh', 'config'), 'utf8')).toBe(original)
    await expectSshRefused(job)
  })

  it('works when HOME is not the passwd home (container jobs), and post leaves neither home changed', async () => {
    const job = newJob({ containerHome: true })
    expect(job.home).not.toBe(user.home)
    const step = await job.main(inputs())
    expect(step.errors).toEqual([])
    expect(step.log).toMatch(/is not the home OpenSSH reads/)
    const passwdConfig = readFileSync(path.join(user.home, '.ssh', 'config'), 'utf8')
    expect(passwdConfig).toContain(`Include ${path.join(job.home, '.ssh', 'config')}`)
    privateKeys.push(
      readFileSync(step.outputs['ssh-cert-path'].replace('-cert.pub', ''), 'utf8').trim()
    )

    // Plain ssh and git, no -F: OpenSSH reads the passwd home's config.
    await expectSshWorks(job)

    const post = await job.post()
    expect(post.warnings).toEqual([])
    expect(existsSync(path.join(user.home, '.ssh'))).toBe(false)
    expect(existsSync(path.join(job.home, '.ssh'))).toBe(false)
    expect(existsSync(path.join(job.home, '.upsun-cli'))).toBe(false)
    await expectSshRefused(job)
  })

  it('works the same with cli: platform (PLATFORMSH_CLI_*, ~/.platformsh)', async () => {
    const job = newJob()
    const step = await job.main(inputs({ cli: 'platform' }))
    expect(step.errors).toEqual([])
    const session = step.exported.PLATFORMSH_CLI_SESSION_ID
    expect(step.outputs['ssh-cert-path']).toBe(
      path.join(user.home, `.platformsh/.session/sess-cli-${session}/ssh/id_ed25519-cert.pub`)
    )
    expect(readFileSync(path.join(user.home, '.ssh', 'config'), 'utf8')).toContain(
      '# BEGIN: Platform.sh certificate configuration'
    )
    privateKeys.push(
      readFileSync(step.outputs['ssh-cert-path'].replace('-cert.pub', ''), 'utf8').trim()
    )
    await expectSshWorks(job)
    await job.post()
    expect(existsSync(path.join(user.home, '.platformsh'))).toBe(false)
    expect(existsSync(path.join(user.home, '.ssh'))).toBe(false)
    await expectSshRefused(job)
  })

  it('adds no trust on first use: an unknown host key is refused', async () => {
    const job = newJob()
    expect((await job.main(inputs())).exitCode).toBe(0)
    const tofu = await job.run(
      `ssh -o HostName=127.0.0.1 -p ${sshd.port} -o BatchMode=yes ${target()} echo should-not-run`
    )
    expect(tofu.exitCode).toBe(255)
    expect(tofu.stderr).toMatch(/Host key verification failed/)
    await job.post()
  })

  it('needs a token: fails before downloading anything', async () => {
    const before = releases.server.requests.length
    const step = await newJob().main(inputs({ token: '' }))
    expect(step.exitCode).toBe(1)
    expect(step.errors.join('\n')).toMatch(
      /Input `token` is empty, but `ssh-cert: true` needs an API token.*fork/
    )
    expect(releases.server.requests.length).toBe(before)
  })

  it('a refused certificate fails with the CLI’s message; post still cleans up', async () => {
    api.fault(/^\/ssh$/, { status: 403, body: JSON.stringify({ error: 'forbidden' }) }, 10)
    const job = newJob()
    const step = await job.main(inputs())
    expect(step.exitCode).toBe(1)
    expect(step.errors.join('\n')).toMatch(
      /upsun ssh-cert:load failed \(exit code \d+\): .*may get SSH certificates/
    )
    const post = await job.post()
    expect(post.warnings).toEqual([])
    expect(existsSync(path.join(user.home, '.upsun-cli'))).toBe(false)
    expect(existsSync(path.join(user.home, '.ssh'))).toBe(false)
  })

  it('later ssh and git steps refresh the certificate in the job’s session, not the default one', async () => {
    const job = newJob()
    const step = await job.main(inputs())
    expect(step.errors).toEqual([])
    const certPath = step.outputs['ssh-cert-path']
    const first = readFileSync(certPath, 'utf8')
    privateKeys.push(readFileSync(certPath.replace('-cert.pub', ''), 'utf8').trim())
    // The certificate is gone (as good as expired): the next ssh must get a new one.
    // Through a ProxyCommand, ssh keeps the platform name, so the CLI's `Match host … exec` runs.
    rmSync(certPath)
    const issued = api.certificates
    await expectSshWorks(job, sshd.proxiedSshOptions)
    expect(api.certificates).toBeGreaterThan(issued)
    const refreshed = readFileSync(certPath, 'utf8')
    expect(refreshed).not.toBe(first)
    expect(existsSync(path.join(user.home, '.upsun-cli/.session/sess-cli-default'))).toBe(false)
    await job.post()
    expect(existsSync(path.join(user.home, '.upsun-cli'))).toBe(false)
    await expectSshRefused(job)
  })

  it('after post, no key or certificate of the job is left anywhere under either home', async () => {
    const job = newJob()
    const step = await job.main(inputs())
    expect(step.errors).toEqual([])
    const key = readFileSync(step.outputs['ssh-cert-path'].replace('-cert.pub', ''), 'utf8').trim()
    const cert = readFileSync(step.outputs['ssh-cert-path'], 'utf8').trim().split(/\s+/)[1]
    privateKeys.push(key)
    await expectSshWorks(job)
    await job.post()
    const keyLine = key.split('\n')[1]
    // grep exits 1 when no file holds either: nothing of this job's is left on disk.
    const search = spawnSync('grep', ['-rlF', '-e', keyLine, '-e', cert, user.home, job.root], {
      encoding: 'utf8'
    })
    expect(search.stdout).toBe('')
    expect(search.status).toBe(1)
  })

  it('cleanup: false keeps the certificate for later jobs on this runner', async () => {
    const job = newJob()
    const step = await job.main(inputs({ cleanup: 'false' }))
    expect(step.exitCode).toBe(0)
    const post = await job.post()
    expect(post.log).toMatch(/cleanup is false/)
    expect(existsSync(step.outputs['ssh-cert-path'])).toBe(true)
  })

  it('the token alone (no ssh-cert) leaves no CLI session behind after post', async () => {
    const job = newJob()
    expect((await job.main(inputs({ 'ssh-cert': 'false' }))).exitCode).toBe(0)
    const info = await job.run('upsun auth:info -P email --no-interaction')
    expect(info.stdout.trim()).toBe(SANDBOX_USER.email)
    expect(existsSync(path.join(user.home, '.upsun-cli', '.session'))).toBe(true)
    await job.post()
    expect(existsSync(path.join(user.home, '.upsun-cli'))).toBe(false)
  })

  it('leaks nothing: no token, access token or private key in any log, output, state, summary or file', () => {
    expect(privateKeys.length).toBe(5)
    const secrets = [
      TOKEN,
      ...api.accessTokens,
      ...privateKeys.flatMap((k) =>
        k.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'))
      )
    ]
    for (const job of jobs)
      expect(findLeaks(job, secrets, { allowCliCredentials: true })).toEqual([])
  })
})
