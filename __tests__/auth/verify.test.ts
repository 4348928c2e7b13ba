// The online token check against an undici MockAgent: no socket is opened
// (disableNetConnect), retries do not wait, and @actions/core is the typed
// fixture so no log line reaches the test output.
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import { noWait, useMockAgent } from '../../__fixtures__/network.js'
import * as core from '../../__fixtures__/core.js'

jest.unstable_mockModule('@actions/core', () => core)
const { verifyToken } = await import('../../src/auth/verify.js')
const { CLIS } = await import('../../src/clis.js')

const AUTH = 'https://auth.example.test'
const API = 'https://api.example.test'
const TOKEN = 'unit-test-api-token-0123456789'
const ACCESS = 'unit-test-access-token-abcdef'

const agent = useMockAgent()
beforeEach(() => {
  jest.resetAllMocks()
  core.resetCore()
})

const options = { cli: CLIS.upsun, token: TOKEN, authUrl: AUTH, apiUrl: API }
const verify = () => verifyToken(options, { dispatcher: agent(), sleep: noWait })

function tokenExchange() {
  return agent().get(AUTH).intercept({ path: '/oauth2/token', method: 'POST' })
}
function usersMe() {
  return agent().get(API).intercept({ path: '/users/me', method: 'GET' })
}

describe('verifyToken', () => {
  it('exchanges the token as the CLI does, masks the access token, and reads the user', async () => {
    let form = new URLSearchParams()
    tokenExchange().reply(200, (opts) => {
      form = new URLSearchParams(String(opts.body))
      return { access_token: ACCESS, token_type: 'bearer' }
    })
    let authorization = ''
    usersMe().reply(200, (opts) => {
      authorization = String((opts.headers as Record<string, string>).authorization)
      return { id: 'u-1', email: 'ci@example.test' }
    })

    await expect(verify()).resolves.toEqual({
      user: { id: 'u-1', email: 'ci@example.test' },
      accessToken: ACCESS
    })
    expect(form.get('grant_type')).toBe('api_token')
    expect(form.get('api_token')).toBe(TOKEN)
    expect(form.get('client_id')).toBe(CLIS.upsun.oauthClientId)
    expect(authorization).toBe(`Bearer ${ACCESS}`)
    expect(core.setSecret).toHaveBeenCalledWith(ACCESS)
    agent().assertNoPendingInterceptors()
  })

  it('a numeric user id is kept as text', async () => {
    tokenExchange().reply(200, { access_token: ACCESS })
    usersMe().reply(200, { id: 42, email: 'ci@example.test' })
    await expect(verify()).resolves.toMatchObject({ user: { id: '42', email: 'ci@example.test' } })
  })

  it.each([
    [
      400,
      'invalid_grant',
      /rejected by auth\.example\.test \(HTTP 400, invalid_grant\).*My profile > API tokens/
    ],
    [401, '', /rejected by auth\.example\.test \(HTTP 401\)/],
    [403, '', /refused the API token \(HTTP 403 Forbidden\)/]
  ])(
    'HTTP %i on the exchange says the token was refused and what to do',
    async (status, code, message) => {
      tokenExchange().reply(status, code ? { error: code } : 'nope')
      await expect(verify()).rejects.toThrow(message)
      expect(core.setSecret).not.toHaveBeenCalled()
    }
  )

  it('a 5xx is retried, without waiting in the test, and then succeeds', async () => {
    tokenExchange().reply(503, 'busy')
    tokenExchange().reply(200, { access_token: ACCESS })
    usersMe().reply(200, { id: 'u-1', email: '' })
    await expect(verify()).resolves.toMatchObject({ user: { id: 'u-1', email: '' } })
    expect(core.info).toHaveBeenCalledWith(expect.stringMatching(/HTTP 503.*retrying/))
  })

  it('a 5xx that lasts is reported after the retries', async () => {
    tokenExchange().reply(502, 'bad gateway').times(4)
    await expect(verify()).rejects.toThrow(/HTTP 502 \(after retries\)\. Try again later\./)
  })

  it('an answer that is not JSON names the URL and suggests a proxy', async () => {
    tokenExchange().reply(200, '<html>captive portal</html>')
    await expect(verify()).rejects.toThrow(
      /auth\.example\.test answered \/oauth2\/token with something that is not a JSON object \(HTTP 200\)/
    )
  })

  it('an exchange without an access token is an error', async () => {
    tokenExchange().reply(200, { token_type: 'bearer' })
    await expect(verify()).rejects.toThrow(/without an access token/)
  })

  it('/users/me refusing the access token points at mismatched URLs', async () => {
    tokenExchange().reply(200, { access_token: ACCESS })
    usersMe().reply(401, { error: 'invalid_token' })
    await expect(verify()).rejects.toThrow(
      /refused the access token .*HTTP 401 on \/users\/me.*`api-url` and `auth-url`/
    )
  })

  it('/users/me without an id is an error', async () => {
    tokenExchange().reply(200, { access_token: ACCESS })
    usersMe().reply(200, { email: 'ci@example.test' })
    await expect(verify()).rejects.toThrow(/without a user id/)
  })

  it('a refused connection is retried, then explained with the host, never as a rejected token', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
    tokenExchange().replyWithError(refused).times(4)
    const error = (await verify().catch((e: unknown) => e)) as Error
    expect(error.message).not.toMatch(/rejected/)
    expect(error.message).toMatch(/Could not check the API token \(ECONNREFUSED, after retries\)/)
    expect(error.message).toMatch(/Could not reach auth\.example\.test\./)
    expect(core.info).toHaveBeenCalledTimes(3)
  })
})
