// Fault suite, emulated runners: what the action does on a runner that
// emulates another CPU but cannot run that CPU's programs. Each case runs the
// bundled action end to end; see ./harness.ts for the checks and the figures.
import { describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { arm64Runner } from '../../../sandbox/arm64.mjs'
import { canRun } from '../../../sandbox/availability.mjs'
import { FaultSandbox, FaultSuite, expectCacheWhole } from './harness.js'

const suite = new FaultSuite(import.meta.url)
const sb = new FaultSandbox(suite)
const NO_BINFMT =
  'Linux arm64 Node under qemu-user with no binfmt_misc handler: the arm64 CLI cannot be started'

const runner = arm64Runner()
const available = canRun('The arm64 fault cases (qemu)', !runner.why, runner.why ?? '')
if (!available) suite.skipped('emulated runners', NO_BINFMT, runner.why ?? '')
const describeIf = available ? describe : describe.skip

describeIf('faults: emulated runners', () => {
  it(`${NO_BINFMT}`, async () => {
    const job = suite.job({ node: runner.node, wrap: runner.wrapWithoutBinfmt, env: runner.env })
    const step = await job.main(sb.base(), { timeoutMs: 240_000 })
    expect(step.exitCode).toBe(1)
    const error = step.errors.join('\n')
    // The cause, named: the system refused the program; binfmt_misc is the fix.
    expect(error).toMatch(/exec format error/)
    expect(error).toMatch(/machine cannot run arm64 programs.*binfmt_misc/)
    expect(step.paths).toEqual([])
    expect(step.exported).toEqual({})
    // No cache entry is left: a later job with binfmt downloads it again.
    expect(existsSync(path.join(job.toolCache, 'upsun', sb.real, 'arm64'))).toBe(false)
    expect(existsSync(path.join(job.toolCache, 'upsun', sb.real, 'arm64.complete'))).toBe(false)
    expectCacheWhole(job.toolCache)
    suite.record({
      group: 'emulated runners',
      fault: NO_BINFMT,
      outcome: 'refused',
      detail: error.replace(/^setup-upsun-cli failed: /, '').replace(/\/tmp\/\S+\/upsun:/, 'upsun:')
    })
  }, 300_000)

  it('leaks nothing in any of these runs, and records its figures', () => {
    suite.expectNoLeaks(1)
  })
})
