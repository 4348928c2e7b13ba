// Shared machinery of the fault suites (__tests__/e2e/faults/*.test.ts).
//
// Each suite file runs the bundled action end to end through the
// runner-faithful harness with one fault injected per case, searches every
// run for leaks, and records what it measured in the untracked
// .fixtures/faults/<suite>.json (never a tracked file). `npm run figures`
// turns those records into README's figures line and docs/faults.md; `.ci/run`
// fails when the committed text differs from what the suites measured.
//
// To add cases: add them to the suite file of your topic, or create a new
// `__tests__/e2e/faults/<topic>.test.ts` with a `new FaultSuite(import.meta.url)`
// and `suite.expectNoLeaks(n)` as its last test. A case that cannot run here (no
// PHP, not root) is recorded as skipped, and `npm run figures` then refuses
// to write: the committed figures always count every case.
import { afterAll, beforeAll, beforeEach, expect } from '@jest/globals'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startApiServer } from '../../../sandbox/api.mjs'
import { SANDBOX_OUTSIDER } from '../../../sandbox/projects.mjs'
import { startSandboxReleases } from '../../../sandbox/index.mjs'
import { findLeaks } from '../../../sandbox/leaks.mjs'
import { Job, ROOT } from '../../../sandbox/runner.mjs'
import { startPharSite } from '../../../sandbox/webpaas.mjs'

export const TOKEN = 'sandbox-fault-token-7e6d5c4b3a291807'
/** A token of SANDBOX_OUTSIDER, a user the API knows but no project has invited. */
export const OUTSIDER_TOKEN = 'sandbox-outsider-token-2c4e6a8b0d1f3e5a'
/** Short retries and timeouts, so that a case that retries takes seconds. */
export const FAST = { SETUP_UPSUN_CLI_RETRY_BASE_MS: '50', SETUP_UPSUN_CLI_HTTP_TIMEOUT_MS: '1500' }
/** Where the suites record their figures (git-ignored). */
export const FIGURES_DIR = path.join(ROOT, '.fixtures', 'faults')

export type Outcome = 'survived' | 'refused' | 'skipped'
export interface Figure {
  group: string
  fault: string
  outcome: Outcome
  /** What the step said (a refusal's error), or what survived. */
  detail: string
}

export type Step = Awaited<ReturnType<Job['main']>>

/** One fault injected into one end-to-end run of the action. */
export interface Case {
  fault: string
  expect: 'survived' | 'refused'
  /** For refusals: what the error must say. */
  message?: RegExp
  inject?: () => void | Promise<void>
  inputs: () => Record<string, string>
  env?: () => Record<string, string> | Promise<Record<string, string>>
  /** Extra checks on the step (survived or refused). */
  check?: (step: Step, job: Job) => void | Promise<void>
  /** For a survived case: what the step printed that shows it (the docs show it). */
  said?: (step: Step) => string
}

/** Every tool-cache entry is whole (marked complete, with its record); no staging left. */
export function expectCacheWhole(toolCache: string): void {
  for (const tool of existsSync(toolCache) ? readdirSync(toolCache) : []) {
    const toolDir = path.join(toolCache, tool)
    expect(readdirSync(toolDir).filter((n) => n.startsWith('.'))).toEqual([])
    for (const version of readdirSync(toolDir)) {
      for (const arch of readdirSync(path.join(toolDir, version)).filter(
        (n) => !n.endsWith('.complete')
      )) {
        expect(existsSync(path.join(toolDir, version, `${arch}.complete`))).toBe(true)
        expect(existsSync(path.join(toolDir, version, arch, '.setup-upsun-cli.json'))).toBe(true)
      }
    }
  }
}

/** The figures and jobs of one suite file, written when its last test passes. */
export class FaultSuite {
  readonly name: string
  private readonly file: string
  readonly figures: Figure[] = []
  readonly jobs: Job[] = []
  /** Secrets the leak search looks for, besides TOKEN (e.g. issued access tokens). */
  secrets: () => string[] = () => []

  constructor(moduleUrl: string) {
    this.file = fileURLToPath(moduleUrl)
    this.name = path.basename(this.file, '.test.ts')
  }

  /** A job whose run is searched for leaks at the end of the suite. */
  job(options: ConstructorParameters<typeof Job>[0] = {}): Job {
    const job = new Job({ ...options, env: { ...FAST, ...options.env } })
    this.jobs.push(job)
    return job
  }

  record(figure: Figure): void {
    this.figures.push(figure)
  }

  /** A case that cannot run on this machine; it still counts, as skipped. */
  skipped(group: string, fault: string, why: string): void {
    this.figures.push({ group, fault, outcome: 'skipped', detail: why })
  }

  /** Runs one case and checks its outcome: survived, or refused cleanly. */
  async expectOutcome(group: string, c: Case): Promise<Step> {
    await c.inject?.()
    const job = this.job({ env: (await c.env?.()) ?? {} })
    const step = await job.main(c.inputs(), { timeoutMs: 60_000 })
    const error = step.errors.join('\n')
    if (c.expect === 'survived') {
      expect(error).toBe('')
      expect(step.exitCode).toBe(0)
    } else {
      expect(step.exitCode).toBe(1)
      expect(error).toMatch(c.message ?? /./)
      // Refused cleanly: nothing on PATH, nothing exported, no half entry.
      expect(step.paths).toEqual([])
      expect(step.exported).toEqual({})
    }
    await c.check?.(step, job)
    expectCacheWhole(job.toolCache)
    expect(step.timedOut).toBe(false)
    this.record({
      group,
      fault: c.fault,
      outcome: c.expect,
      detail:
        c.expect === 'refused'
          ? error.replace(/^setup-upsun-cli failed: /, '')
          : (c.said?.(step) ?? 'step succeeded')
    })
    return step
  }

  /**
   * The suite's last test: no run leaked a secret, every case recorded a
   * figure; then the figures go to .fixtures/faults/<suite>.json.
   */
  expectNoLeaks(expectedCases: number): void {
    const leaks = this.jobs.flatMap((job) =>
      findLeaks(job, [TOKEN, OUTSIDER_TOKEN, ...this.secrets()], { allowCliCredentials: true })
    )
    expect(leaks).toEqual([])
    expect(this.figures).toHaveLength(expectedCases)
    mkdirSync(FIGURES_DIR, { recursive: true })
    const record = {
      suite: this.name,
      // Lets `npm run figures` tell a record from an older version of the suite.
      sourceSha256: createHash('sha256').update(readFileSync(this.file)).digest('hex'),
      runs: this.jobs.length,
      leaks: leaks.length,
      figures: this.figures
    }
    writeFileSync(
      path.join(FIGURES_DIR, `${this.name}.json`),
      `${JSON.stringify(record, null, 2)}\n`
    )
  }
}

/**
 * The loopback world of a suite, started once for its file: the release
 * server (the real CLI as release assets), the API, and the Web PaaS site.
 * Faults are cleared before every case.
 */
export class FaultSandbox {
  releases!: Awaited<ReturnType<typeof startSandboxReleases>>
  api!: Awaited<ReturnType<typeof startApiServer>>
  site!: Awaited<ReturnType<typeof startPharSite>>

  constructor(suite: FaultSuite) {
    beforeAll(async () => {
      this.releases = await startSandboxReleases()
      this.api = await startApiServer({
        tokens: [TOKEN],
        users: { [OUTSIDER_TOKEN]: SANDBOX_OUTSIDER }
      })
      this.site = await startPharSite({ versions: ['3.88.1'] })
    }, 300_000)
    afterAll(async () => {
      await this.releases.server.close()
      await this.api.close()
      await this.site.close()
    })
    beforeEach(() => {
      this.server.clearFaults()
      this.server.restore()
      this.api.clearFaults()
      this.site.setManifest((e: object[]) => e)
    })
    suite.secrets = () => [...this.api.accessTokens]
  }

  get server(): Awaited<ReturnType<typeof startSandboxReleases>>['server'] {
    return this.releases.server
  }
  /** The real CLI's version, as served. */
  get real(): string {
    return this.releases.version
  }
  /** Inputs that install the real CLI from the sandbox, without a token. */
  base(): Record<string, string> {
    return { version: this.real, 'releases-url': this.server.releasesUrl('upsun/cli') }
  }
  /** The same, with a token checked against the sandbox API. */
  withToken(): Record<string, string> {
    return { ...this.base(), token: TOKEN, 'auth-url': this.api.origin, 'api-url': this.api.origin }
  }
  /** Where the release server keeps one of the real release's files. */
  objectPath(file: string): string {
    return `/objects/upsun/cli/v${this.real}/${file}`
  }
  /** The real release's Linux x64 archive name. */
  asset(): string {
    return `upsun_${this.real}_linux_amd64.tar.gz`
  }
}
