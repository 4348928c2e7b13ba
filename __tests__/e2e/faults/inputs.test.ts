// Fault suite, inputs: what a workflow can pass wrong (tokens with line
// breaks, hostile versions, unknown names). Each case runs the bundled action
// end to end; see ./harness.ts for the checks and where the figures go
// (.fixtures/, never a tracked file: `npm run figures` writes the docs).
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { checkTokenText } from '../../../src/auth/token.js'
import { FaultSandbox, FaultSuite, TOKEN, type Case } from './harness.js'

const suite = new FaultSuite(import.meta.url)
const sb = new FaultSandbox(suite)
const withToken = () => sb.withToken()

/** Checks that a case sent no request to the release server nor the API. */
function noRequest(): Pick<Case, 'inject' | 'check'> {
  let before = 0
  const count = () => sb.server.requests.length + sb.api.requests.length
  return {
    inject: () => {
      before = count()
    },
    check: () => expect(count()).toBe(before)
  }
}

const inputCases: Case[] = [
  {
    fault: 'empty token (install only)',
    expect: 'survived',
    inputs: () => ({ ...withToken(), token: '' }),
    check: (s) => expect(s.notices.join()).toMatch(/not authenticated/)
  },
  {
    fault: 'whitespace-only token (install only)',
    expect: 'survived',
    inputs: () => ({ ...withToken(), token: ' \t ' }),
    check: (s) => expect(s.exported.UPSUN_CLI_TOKEN).toBeUndefined()
  },
  {
    fault: 'token with a newline',
    expect: 'refused',
    message: /Input `token` contains a line break/,
    inputs: () => ({ ...withToken(), token: `${TOKEN}\nINJECTED=1` }),
    check: (step) => {
      expect(readFileSync(step.files.GITHUB_ENV, 'utf8')).toBe('')
      expect(sb.api.requests.filter((r: { body: string }) => r.body.includes('INJECTED'))).toEqual(
        []
      )
    }
  },
  {
    fault: 'token with \\r',
    expect: 'refused',
    message: /contains a line break/,
    inputs: () => ({ ...withToken(), token: `${TOKEN}\rX` })
  },
  {
    fault: 'token with non-ASCII',
    expect: 'refused',
    message: /control or non-ASCII/,
    inputs: () => ({ ...withToken(), token: `${TOKEN}é` })
  },
  {
    fault: '100 kB token',
    expect: 'refused',
    message: /is 102400 characters long/,
    inputs: () => ({ ...withToken(), token: 'a'.repeat(102400) })
  },
  {
    fault: 'version ../../x',
    expect: 'refused',
    message: /Input `version` must be/,
    inputs: () => ({ ...sb.base(), version: '../../x' }),
    ...noRequest()
  },
  {
    fault: 'version "5.11.1; rm -rf /"',
    expect: 'refused',
    message: /Input `version` must be/,
    inputs: () => ({ ...sb.base(), version: '5.11.1; rm -rf /' }),
    ...noRequest()
  },
  {
    fault: 'unknown cli',
    expect: 'refused',
    message: /Input `cli` must be one of upsun, platform, webpaas/,
    inputs: () => ({ ...sb.base(), cli: 'heroku' }),
    ...noRequest()
  },
  {
    fault: 'non-boolean ssh-cert',
    expect: 'refused',
    message: /Input `ssh-cert` must be true or false/,
    inputs: () => ({ ...sb.base(), 'ssh-cert': 'yes' })
  },
  {
    fault: 'http auth-url to a non-loopback host',
    expect: 'refused',
    message: /Input `auth-url` must use https/,
    inputs: () => ({ ...withToken(), 'auth-url': 'http://auth.example.com' }),
    ...noRequest()
  }
]

describe('faults: inputs', () => {
  it.each(inputCases.map((c) => [c.fault, c] as const))('%s', async (_f, c) => {
    await suite.expectOutcome('inputs', c)
  })

  it('a NUL in the token is refused (a NUL cannot travel in an environment variable, so this is checked on the function)', () => {
    expect(() => checkTokenText(`${TOKEN}\0x`)).toThrow(/control or non-ASCII/)
    suite.record({
      group: 'inputs',
      fault: 'token with NUL (function level)',
      outcome: 'refused',
      detail: 'Input `token` contains control or non-ASCII characters.'
    })
  })

  it('leaks nothing in any of these runs, and records its figures', () => {
    suite.expectNoLeaks(inputCases.length + 1)
  })
})
