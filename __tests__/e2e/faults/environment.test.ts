// Fault suite, environment: what the runner around the step can be like
// (debug variables, concurrent jobs sharing a tool cache, a tampered
// cache entry, a read-only HOME). Each case runs the bundled action end to
// end; see ./harness.ts for the checks and where the figures go (.fixtures/,
// never a tracked file: `npm run figures` writes the docs).
import { describe, expect, it } from '@jest/globals'
import { chmodSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { canRun } from '../../../sandbox/availability.mjs'
import { ensureTestUser, sshSandboxAvailable } from '../../../sandbox/sshd.mjs'
import { FaultSandbox, FaultSuite, expectCacheWhole, type Case } from './harness.js'

const suite = new FaultSuite(import.meta.url)
const sb = new FaultSandbox(suite)

const environmentCases: Case[] = [
  {
    fault: 'UPSUN_CLI_DEBUG=1 set',
    expect: 'survived',
    env: () => ({ UPSUN_CLI_DEBUG: '1' }),
    inputs: () => sb.withToken(),
    check: (s) =>
      expect(s.warnings.join()).toMatch(
        /UPSUN_CLI_DEBUG is set.*prints HTTP requests including tokens/
      )
  }
]

const concurrency = [2, 8]

// Counted whether or not it can run here: a skipped case keeps `npm run figures` from writing.
const asRoot = canRun(
  'read-only HOME case',
  sshSandboxAvailable(),
  'it needs root (to run as the test user)'
)
if (!asRoot) suite.skipped('environment', 'read-only HOME', 'needs root')

describe('faults: environment', () => {
  it.each(environmentCases.map((c) => [c.fault, c] as const))('%s', async (_f, c) => {
    await suite.expectOutcome('environment', c)
  })

  it.each(concurrency.map((n) => [n]))(
    '%i concurrent jobs install the same version into one tool cache',
    async (n) => {
      const first = suite.job()
      const all = [
        first,
        ...Array.from({ length: n - 1 }, () => suite.job({ toolCache: first.toolCache }))
      ]
      const steps = await Promise.all(all.map((j) => j.main(sb.base())))
      expect(steps.map((s) => s.exitCode)).toEqual(all.map(() => 0))
      expect(readdirSync(path.join(first.toolCache, 'upsun', sb.real)).sort()).toEqual([
        'x64',
        'x64.complete'
      ])
      expectCacheWhole(first.toolCache)
      for (const job of all)
        expect((await job.run('upsun --version')).stdout.trim()).toBe(`Upsun CLI ${sb.real}`)
      suite.record({
        group: 'environment',
        fault: `${n} concurrent installs, one tool cache`,
        outcome: 'survived',
        detail: 'one entry, all jobs run it'
      })
    }
  )

  it('a tool-cache entry tampered after install is replaced, not run', async () => {
    const first = suite.job()
    const second = suite.job({ toolCache: first.toolCache })
    const installed = await first.main(sb.base())
    writeFileSync(installed.outputs['cli-path'], '#!/bin/sh\necho tampered\n')
    const step = await second.main(sb.base())
    expect(step.exitCode).toBe(0)
    expect(step.warnings.join()).toMatch(/no longer matches the digest/)
    expect(step.outputs['cache-hit']).toBe('false')
    expect((await second.run('upsun --version')).stdout.trim()).toBe(`Upsun CLI ${sb.real}`)
    suite.record({
      group: 'environment',
      fault: 'tool-cache entry tampered after install',
      outcome: 'survived',
      detail: 'detected, removed, reinstalled'
    })
  })

  if (asRoot) {
    it('a read-only HOME (token, no ssh-cert) still installs and authenticates', async () => {
      const job = suite.job({ user: ensureTestUser() })
      chmodSync(job.home, 0o555)
      const step = await job.main(sb.withToken())
      expect(step.errors).toEqual([])
      expect(step.outputs['user-email']).not.toBe('')
      chmodSync(job.home, 0o755)
      suite.record({
        group: 'environment',
        fault: 'read-only HOME',
        outcome: 'survived',
        detail: 'installs and authenticates; nothing written to HOME'
      })
    })
  }

  it('leaks nothing in any of these runs, and records its figures', () => {
    suite.expectNoLeaks(environmentCases.length + concurrency.length + 2)
  })
})
