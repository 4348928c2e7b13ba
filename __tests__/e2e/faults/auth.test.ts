// Fault suite, token check: what the platform's auth server and API can get
// wrong. Each case runs the bundled action end to end with a token; see
// ./harness.ts for the checks and where the figures go (.fixtures/, never a
// tracked file: `npm run figures` writes the docs).
import { describe, expect, it } from '@jest/globals'
import { FaultSandbox, FaultSuite, type Case } from './harness.js'

const suite = new FaultSuite(import.meta.url)
const sb = new FaultSandbox(suite)
const withToken = () => sb.withToken()

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
