// End to end on Linux arm64, under qemu-user: Node 24 for arm64 runs the
// bundle, which installs the arm64 release (a native arm64 stand-in: the npm
// registry carries only the x64 CLI) and runs it through binfmt_misc, as an
// arm64 runner would. Without binfmt: faults/emulated.test.ts.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { SANDBOX_USER, startApiServer } from '../../sandbox/api.mjs'
import { arm64Runner } from '../../sandbox/arm64.mjs'
import { canRun } from '../../sandbox/availability.mjs'
import { startSandboxReleases } from '../../sandbox/index.mjs'
import { findLeaks } from '../../sandbox/leaks.mjs'
import { Job } from '../../sandbox/runner.mjs'

const TOKEN = 'sandbox-arm64-token-3a5c7e9b1d2f4608'
const FAST = { SETUP_UPSUN_CLI_RETRY_BASE_MS: '50', SETUP_UPSUN_CLI_HTTP_TIMEOUT_MS: '10000' }
const runner = arm64Runner()
const available = canRun('The Linux arm64 suite (qemu)', !runner.why, runner.why ?? '')
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

function arm64Job(toolCache?: string): Job {
  const job = new Job({
    toolCache,
    node: runner.node,
    wrap: runner.wrap,
    env: { ...FAST, ...runner.env }
  })
  jobs.push(job)
  return job
}

/** ELF e_machine of a file: 183 is AArch64. */
const elfMachine = (file: string): number => readFileSync(file).readUInt16LE(18)

describeIf('Linux arm64 under qemu', () => {
  it('installs the arm64 build, verified, runs it in a later step, hits the cache, and post cleans up', async () => {
    const job = arm64Job()
    const inputs = {
      version: releases.version,
      'releases-url': releases.server.releasesUrl('upsun/cli'),
      token: TOKEN,
      'auth-url': api.origin,
      'api-url': api.origin
    }
    const step = await job.main(inputs, { timeoutMs: 240_000 })
    expect(step.errors).toEqual([])
    expect(step.exitCode).toBe(0)
    const dir = path.join(job.toolCache, 'upsun', releases.version, 'arm64')
    expect(step.outputs).toMatchObject({
      version: releases.version,
      'cache-hit': 'false',
      'cli-path': path.join(dir, 'upsun'),
      'user-email': SANDBOX_USER.email
    })
    expect(step.paths).toEqual([dir])
    expect(step.log).toMatch(
      /Verified: SHA-256 [0-9a-f]{64} of upsun_[\d.]+_linux_arm64\.tar\.gz matches checksums\.txt/
    )
    expect(step.log).toContain(`upsun --version: Upsun CLI ${releases.version}`)
    expect(elfMachine(step.outputs['cli-path'])).toBe(183)

    // A later step runs the arm64 binary from PATH, through binfmt.
    const later = await job.run('upsun --version; uname -m')
    expect(later.stdout.split('\n').slice(0, 2)).toEqual([
      `Upsun CLI ${releases.version}`,
      'x86_64' // the host's kernel: the CLI ran under emulation
    ])

    // The node that ran the action was arm64 (the tool-cache arch says so too).
    const arch = await job.run(`"${runner.node}" -p process.arch`)
    expect(arch.stdout.trim()).toBe('arm64')

    const second = arm64Job(job.toolCache)
    const before = releases.server.requests.length
    const hit = await second.main(
      { version: releases.version, 'releases-url': inputs['releases-url'] },
      { timeoutMs: 240_000 }
    )
    expect(hit.errors).toEqual([])
    expect(hit.outputs['cache-hit']).toBe('true')
    expect(releases.server.requests.length).toBe(before)

    const post = await job.post({ timeoutMs: 240_000 })
    expect(post.exitCode).toBe(0)
    expect(post.errors).toEqual([])
    expect(findLeaks(job, [TOKEN, ...api.accessTokens], { allowCliCredentials: true })).toEqual([])
  }, 600_000)
})
