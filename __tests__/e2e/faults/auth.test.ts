// Fault suite, token check: what the platform's auth server and API can get
// wrong. Each case runs the bundled action end to end with a token; see
// ./harness.ts for the checks and where the figures go (.fixtures/, never a
// tracked file: `npm run figures` writes the docs).
import { describe, expect, it } from '@jest/globals'
import { SANDBOX_USER } from '../../../sandbox/api.mjs'
import { FaultSandbox, FaultSuite, type Case, type Step } from './harness.js'

const suite = new FaultSuite(import.meta.url)
const sb = new FaultSandbox(suite)
const withToken = () => sb.withToken()

/** /users/me answers this user (a 200 with the given fields). */
const meAnswers = (user: Record<string, string>) => () =>
  sb.api.fault(/^\/users\/me$/, { status: 200, body: JSON.stringify({ ...SANDBOX_USER, ...user }) })

// Just under the 1 MiB cap on an answer: ghadelimiter_0ghadelimiter_1…, every
// delimiter a writer that picks the first one absent would try (quadratic).
const DELIMITERS = (() => {
  let text = ''
  for (let n = 0; text.length < 2 ** 20 - 512 - 20; n++) text += `ghadelimiter_${n}`
  return text
})()
// Line breaks, a heredoc of its own and workflow commands, in the email and the id.
const INJECTION =
  'bot@example.com\nghadelimiter_0\nINJECTED<<EOF\nboo\nEOF\n::set-output name=injected::1\n##[set-env name=INJECTED;]1'

/** Nothing but the action's own outputs and variables, each once. */
function onlyOurs(step: Step): void {
  for (const found of [step.outputs, step.exported, step.state])
    expect(Object.keys(found).filter((k) => /inject/i.test(k))).toEqual([])
  expect(step.commands.map((c) => c.name)).not.toContain('set-env')
  expect(step.commands.map((c) => c.name)).not.toContain('set-output')
}

const authCases: Case[] = [
  {
    fault: 'auth 5xx burst (500 ×3)',
    expect: 'survived',
    inputs: withToken,
    inject: () => sb.api.fault(/^\/oauth2\/token$/, { status: 500 }, 3),
    check: (step) =>
      expect(step.log.match(/Exchanging the API token at .*: HTTP 500; retrying/g)).toHaveLength(3)
  },
  {
    fault: 'auth connection reset',
    expect: 'survived',
    inputs: withToken,
    inject: () => sb.api.fault(/^\/oauth2\/token$/, { kind: 'reset' })
  },
  {
    fault: 'auth 400 invalid_grant',
    expect: 'refused',
    message:
      /The API token was rejected by 127\.0\.0\.1:\d+ \(HTTP 400, invalid_grant\): it is invalid, revoked or expired\. Create a new one in the console under My profile > API tokens/,
    inputs: () => ({ ...withToken(), token: 'not-a-valid-token-123' })
  },
  {
    fault: 'auth 401',
    expect: 'refused',
    message: /rejected by .*HTTP 401, request_unauthorized/,
    inputs: withToken,
    inject: () =>
      sb.api.fault(/^\/oauth2\/token$/, {
        status: 401,
        body: JSON.stringify({ error: 'request_unauthorized' })
      })
  },
  {
    fault: 'auth 403',
    expect: 'refused',
    message: /refused the API token \(HTTP 403 Forbidden\)/,
    inputs: withToken,
    inject: () =>
      sb.api.fault(/^\/oauth2\/token$/, {
        status: 403,
        body: JSON.stringify({ error: 'forbidden' })
      })
  },
  {
    fault: 'auth answers non-JSON',
    expect: 'refused',
    message: /answered \/oauth2\/token with something that is not a JSON object/,
    inputs: withToken,
    inject: () => sb.api.fault(/^\/oauth2\/token$/, { kind: 'garbage' })
  },
  {
    fault: '/users/me 5xx burst',
    expect: 'survived',
    inputs: withToken,
    inject: () => sb.api.fault(/^\/users\/me$/, { status: 502 }, 2)
  },
  {
    fault: '/users/me email: 1 MiB of file-command delimiters (ghadelimiter_0, _1, …)',
    expect: 'survived',
    inputs: withToken,
    inject: meAnswers({ email: DELIMITERS }),
    check: (step) => {
      expect(step.outputs['user-email']).toBe(DELIMITERS)
      expect(step.outputs['user-id']).toBe(SANDBOX_USER.id)
      onlyOurs(step)
      // Linear time: the whole step, 1 MiB written to the log, the summary and GITHUB_OUTPUT.
      expect(step.ms).toBeLessThan(30_000)
    },
    said: () => "user-email is the 1 MiB value, one output among the action's own, in linear time"
  },
  {
    fault: '/users/me email and id with line breaks, a heredoc and workflow commands',
    expect: 'survived',
    inputs: withToken,
    inject: meAnswers({ email: INJECTION, id: INJECTION }),
    check: (step) => {
      const shown = INJECTION.replace(/\n/g, '').replace(/##\[/g, '## [')
      expect(step.outputs['user-email']).toBe(shown)
      expect(step.outputs['user-id']).toBe(shown)
      onlyOurs(step)
    },
    said: (step) => `user-email is one line: ${step.outputs['user-email']}`
  },
  {
    fault: 'slow auth server (1 s, under the timeout)',
    expect: 'survived',
    inputs: withToken,
    inject: () => sb.api.fault(/^\/oauth2\/token$/, { kind: 'slow', delayMs: 1000 })
  }
]

describe('faults: auth/API', () => {
  it.each(authCases.map((c) => [c.fault, c] as const))('%s', async (_f, c) => {
    await suite.expectOutcome('auth/API', c)
  })

  it('leaks nothing in any of these runs, and records its figures', () => {
    suite.expectNoLeaks(authCases.length)
  })
})
