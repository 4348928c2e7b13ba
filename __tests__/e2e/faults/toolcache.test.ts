// Fault suite, tool cache: what a process that can write the runner's tool
// cache could leave there, and what a later run of
// the action does with it. Each case runs the bundled action end to end; see
// ./harness.ts for the checks and where the figures go.
import { describe, expect, it } from '@jest/globals'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  utimesSync,
  writeFileSync
} from 'node:fs'
import path from 'node:path'
import { canRun, phpAvailable } from '../../../sandbox/availability.mjs'
import type { Job } from '../../../sandbox/runner.mjs'
import { FaultSandbox, FaultSuite, expectCacheWhole } from './harness.js'

const suite = new FaultSuite(import.meta.url)
const sb = new FaultSandbox(suite)
const RECORD = '.setup-upsun-cli.json'

const withPhp = canRun('Web PaaS tool-cache case', phpAvailable(), 'PHP with curl is missing')
if (!withPhp) suite.skipped('tool cache', 'Web PaaS launcher rewritten', 'needs PHP')

/** Installs the real CLI into a fresh tool cache; returns the job and the entry. */
async function installed(): Promise<{ job: Job; entry: string }> {
  const job = suite.job()
  const step = await job.main(sb.base())
  expect(step.exitCode).toBe(0)
  return { job, entry: path.dirname(step.outputs['cli-path']) }
}

/** A second job on the same tool cache: discards the entry, reinstalls, runs the real CLI. */
async function expectReplaced(first: Job, warning: RegExp, fault: string): Promise<Job> {
  const second = suite.job({ toolCache: first.toolCache })
  const step = await second.main(sb.base())
  expect(step.errors).toEqual([])
  expect(step.outputs['cache-hit']).toBe('false')
  expect(step.warnings.join('\n')).toMatch(warning)
  expectCacheWhole(second.toolCache)
  expect((await second.run('upsun --version')).stdout.trim()).toBe(`Upsun CLI ${sb.real}`)
  suite.record({
    group: 'tool cache',
    fault,
    outcome: 'survived',
    detail: step.warnings.join(' ').replace(/^.*? was discarded: /, 'discarded: ')
  })
  return second
}

function rewriteRecord(entry: string, change: (r: Record<string, unknown>) => void): void {
  const file = path.join(entry, RECORD)
  const record = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
  change(record)
  writeFileSync(file, JSON.stringify(record))
}

/** A program outside the entry that must never run. */
function planted(dir: string): { program: string; marker: string } {
  mkdirSync(dir, { recursive: true })
  const marker = path.join(dir, 'ran')
  const program = path.join(dir, 'evil')
  writeFileSync(program, `#!/bin/sh\ntouch '${marker}'\necho 'Upsun CLI 0.0.0'\n`)
  chmodSync(program, 0o755)
  return { program, marker }
}

describe('faults: tool cache', () => {
  it.each([
    ['executable', '../../../../elsewhere/evil'],
    ['binary', '../../../../elsewhere/evil'],
    ['executable', '/absolute/evil']
  ])('a record whose %s field is %s is discarded, never run', async (field, value) => {
    const { job, entry } = await installed()
    const { marker } = planted(path.join(job.root, 'elsewhere'))
    rewriteRecord(entry, (r) => (r[field] = value))
    await expectReplaced(
      job,
      new RegExp(`names "${value.replace(/[./]/g, '\\$&')}" as the ${field}, which is not a plain`),
      `record field ${field} rewritten to ${value}`
    )
    expect(existsSync(marker)).toBe(false)
  })

  it('an extra executable dropped into the entry (a `git` that would shadow the real one on PATH) is discarded', async () => {
    const { job, entry } = await installed()
    const { program } = planted(path.join(job.root, 'elsewhere'))
    writeFileSync(path.join(entry, 'git'), readFileSync(program))
    chmodSync(path.join(entry, 'git'), 0o755)
    const second = await expectReplaced(
      job,
      /holds files that were not installed: git/,
      'extra executable `git` added to the entry'
    )
    expect(existsSync(path.join(entry, 'git'))).toBe(false)
    expect((await second.run('command -v git || true')).stdout).not.toContain(entry)
  })

  it('a symbolic link planted in the entry is discarded', async () => {
    const { job, entry } = await installed()
    symlinkSync('/bin/sh', path.join(entry, 'completion', 'sh'))
    await expectReplaced(
      job,
      /completion\/sh is a link or special file/,
      'symlink added to the entry'
    )
  })

  it('a changed small file (README in the entry) is discarded', async () => {
    const { job, entry } = await installed()
    writeFileSync(path.join(entry, 'README.md'), 'changed\n')
    await expectReplaced(
      job,
      /README\.md no longer matches the digest recorded at install/,
      'README.md in the entry changed'
    )
  })

  if (withPhp) {
    it('Web PaaS: a rewritten launcher is discarded, not run (the phar is not all that is checked)', async () => {
      const inputs = { cli: 'webpaas', 'releases-url': sb.site.url }
      const first = suite.job()
      const step = await first.main(inputs)
      expect(step.exitCode).toBe(0)
      const launcher = step.outputs['cli-path']
      const { marker } = planted(path.join(first.root, 'elsewhere'))
      writeFileSync(
        launcher,
        `#!/bin/sh\ntouch '${marker}'\nexec php "$(dirname "$0")/webpaas.phar" "$@"\n`
      )
      const second = suite.job({ toolCache: first.toolCache })
      const again = await second.main(inputs)
      expect(again.errors).toEqual([])
      expect(again.outputs['cache-hit']).toBe('false')
      expect(again.warnings.join()).toMatch(
        /webpaas no longer matches the digest recorded at install/
      )
      expect((await second.run('webpaas --version')).stdout).toMatch(/Web PaaS CLI 3\.88\.1/)
      expect(existsSync(marker)).toBe(false)
      suite.record({
        group: 'tool cache',
        fault: 'Web PaaS launcher rewritten',
        outcome: 'survived',
        detail: 'discarded: the launcher no longer matches its digest; reinstalled'
      })
    })
  }

  it('a step killed mid-download leaves its staging directory; a later run removes it once a day old, a live job’s stays', async () => {
    // The archive stalls; the runner kills the step (SIGKILL) mid-download.
    sb.server.fault(/^\/objects\/.*\.tar\.gz$/, { kind: 'stall' }, 10)
    const killed = suite.job({ env: { SETUP_UPSUN_CLI_HTTP_TIMEOUT_MS: '60000' } })
    const step = await killed.main(sb.base(), { timeoutMs: 4000 })
    expect(step.timedOut).toBe(true)
    const toolDir = path.join(killed.toolCache, 'upsun')
    const left = readdirSync(toolDir).filter((n) => n.startsWith('.staging-'))
    expect(left).toEqual([expect.stringMatching(/^\.staging-[0-9a-f]{12}$/)])
    sb.server.clearFaults()
    // A day later: abandoned. Beside it, a concurrent job's live download.
    const twoDaysAgo = Date.now() / 1000 - 2 * 86400
    utimesSync(path.join(toolDir, left[0]), twoDaysAgo, twoDaysAgo)
    const live = '.staging-0123456789ab'
    mkdirSync(path.join(toolDir, live))

    const next = suite.job({ toolCache: killed.toolCache })
    const ok = await next.main(sb.base())
    expect(ok.errors).toEqual([])
    expect(ok.log).toContain(
      `Removed 1 staging directory left in the tool cache by a step that was stopped: ${left[0]}`
    )
    expect(readdirSync(toolDir).filter((n) => n.startsWith('.staging-'))).toEqual([live])
    suite.record({
      group: 'tool cache',
      fault: 'step killed mid-download (staging left behind)',
      outcome: 'survived',
      detail:
        'a later run removed the staging directory once it was a day old; a live job’s (younger) stayed'
    })
  })

  it('names planted in the tool cache by an earlier job become no workflow command; post deletes nothing they chose', async () => {
    const { job: earlier, entry } = await installed()
    const toolDir = path.join(earlier.toolCache, 'upsun')
    // What an earlier job on the runner plants: names with line breaks that
    // would be commands if printed (stop the runner's command processing, so
    // the access token's add-mask is ignored; save state that post removes).
    const later = suite.job({ toolCache: earlier.toolCache })
    const victim = path.join(later.workspace, 'important')
    mkdirSync(victim)
    writeFileSync(path.join(victim, 'keep'), 'the attacker wants this gone')
    const forged = JSON.stringify({ configs: [], createdDirs: [], backupDir: 'important' })
    const planted = [
      '.staging-0\n::stop-commands::pwn',
      `.staging-1\n::save-state name=ssh::${forged}`,
      '.staging-2\n::save-state name=cli-session::{}'
    ]
    const twoDaysAgo = Date.now() / 1000 - 2 * 86400
    for (const name of planted) {
      mkdirSync(path.join(toolDir, name))
      utimesSync(path.join(toolDir, name), twoDaysAgo, twoDaysAgo)
    }
    // And one inside the entry, which is then discarded, naming it.
    writeFileSync(path.join(entry, `x\n::stop-commands::pwn`), '')

    const step = await later.main(sb.withToken())
    expect(step.errors).toEqual([])
    expect(step.warnings.join('\n')).toMatch(
      /holds files that were not installed: x::stop-commands::pwn/
    )
    // No line became a command: no stop, no state but the action's own.
    expect(step.commands.filter((c) => c.value === 'pwn' || c.name === 'pwn')).toEqual([])
    expect(step.commands.filter((c) => c.name === 'save-state')).toEqual([])
    expect(step.state).not.toHaveProperty('ssh')
    expect(JSON.parse(step.state['cli-session'])).toMatchObject({ sessionId: expect.any(String) })
    expect(step.rawStdout).not.toMatch(/^\s*::(stop-commands|save-state)[^\n]*(pwn|important)/m)
    // The exchanged access token was masked (the leak check below searches every log for it).
    expect(sb.api.accessTokens.length).toBeGreaterThan(0)
    // The sweep touched none of the planted names.
    for (const name of planted) expect(existsSync(path.join(toolDir, name))).toBe(true)

    const post = await later.post()
    expect(post.exitCode).toBe(0)
    expect(readFileSync(path.join(victim, 'keep'), 'utf8')).toBe('the attacker wants this gone')
    suite.record({
      group: 'tool cache',
      fault: 'names with `::stop-commands::` and `::save-state` lines planted in the tool cache',
      outcome: 'survived',
      detail:
        'no line became a command (masks held); the sweep left names it could not have made; post removed nothing they named'
    })
  })

  it('post refuses saved state main could not have produced (a forged backup directory), and removes nothing', async () => {
    const job = suite.job()
    const step = await job.main(sb.withToken())
    expect(step.exitCode).toBe(0)
    const victim = path.join(job.root, 'important')
    mkdirSync(victim)
    writeFileSync(path.join(victim, 'keep'), 'keep')
    // As the runner would have saved it from a forged `::save-state` line.
    job.state.main = {
      ...job.state.main,
      ssh: JSON.stringify({ configs: [], createdDirs: [victim], backupDir: victim })
    }
    const post = await job.post()
    expect(post.exitCode).toBe(0)
    expect(existsSync(path.join(victim, 'keep'))).toBe(true)
    expect(post.warnings.join('\n')).toMatch(
      /Saved state ssh was refused: its backup directory is not in RUNNER_TEMP/
    )
    suite.record({
      group: 'tool cache',
      fault: 'forged saved state names a directory outside RUNNER_TEMP',
      outcome: 'refused',
      detail: 'post refused that state with a warning and removed nothing it named'
    })
  })

  it('a failed download leaves no staging directory nor owner file', async () => {
    sb.server.fault(/^\/objects\/.*\.tar\.gz$/, { status: 503 }, 20)
    const job = suite.job()
    const step = await job.main(sb.base())
    expect(step.exitCode).toBe(1)
    expect(readdirSync(path.join(job.toolCache, 'upsun'))).toEqual([])
    suite.record({
      group: 'tool cache',
      fault: 'download fails after retries',
      outcome: 'refused',
      detail: 'no staging directory or owner file left'
    })
  })

  it('leaks nothing in any of these runs, and records its figures', () => {
    // 3 record fields, extra file, symlink, README, launcher (or skipped), killed,
    // planted names, forged state, failed.
    suite.expectNoLeaks(11)
  })
})
