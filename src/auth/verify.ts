import * as core from '@actions/core'
import type { CliSpec } from '../clis.js'
import { ActionError } from '../errors.js'
import type { Network } from '../net/network.js'

/** The token's user, as the API reports it. */
export interface TokenUser {
  readonly id: string
  readonly email: string
}

/** A token that passed the check: its user, and the access token it was exchanged for. */
export interface CheckedToken {
  readonly user: TokenUser
  /** Masked; for further API reads of this step only, never exported or saved. */
  readonly accessToken: string
}

export interface VerifyOptions {
  readonly cli: CliSpec
  readonly token: string
  readonly authUrl: string
  readonly apiUrl: string
}

/**
 * Checks the token online the way the CLI uses it: exchange it for an
 * access token, then ask who it belongs to.
 */
export async function verifyToken(
  options: VerifyOptions,
  network: Network = {}
): Promise<CheckedToken> {
  const { HttpError, explainFailure } = await import('../net/failures.js')
  const { RedirectRefused, send } = await import('../net/http.js')
  const { withRetry } = await import('../net/retry.js')
  const tokenUrl = `${options.authUrl}/oauth2/token`
  const authHost = new URL(options.authUrl).host

  core.debug(`Token exchange: POST ${tokenUrl}`)
  const exchange = await withRetry(
    `Exchanging the API token at ${authHost}`,
    async () => {
      const response = await send(tokenUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json'
        },
        body: new URLSearchParams({
          client_id: options.cli.oauthClientId,
          client_secret: '',
          grant_type: 'api_token',
          api_token: options.token
        }).toString(),
        dispatcher: network.dispatcher
      })
      return readJson(response.body, tokenUrl, response.statusCode)
    },
    network.sleep
  ).catch((error: unknown) => {
    if (error instanceof HttpError) throw tokenRejection(error, authHost)
    if (error instanceof RedirectRefused)
      throw new ActionError(`${error.message} Check \`auth-url\`.`, { cause: error })
    throw explainFailure(error, tokenUrl, 'check the API token')
  })
  const accessToken = typeof exchange.access_token === 'string' ? exchange.access_token : ''
  if (accessToken === '')
    throw new ActionError(`${authHost} answered the token exchange without an access token.`)
  // Masked the moment it exists.
  core.setSecret(accessToken)

  const meUrl = `${options.apiUrl}/users/me`
  const apiHost = new URL(options.apiUrl).host
  core.debug(`The token's user: GET ${meUrl}`)
  const me = await withRetry(
    `Reading the token's user from ${apiHost}`,
    async () => {
      const response = await send(meUrl, {
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
        dispatcher: network.dispatcher
      })
      return readJson(response.body, meUrl, response.statusCode)
    },
    network.sleep
  ).catch((error: unknown) => {
    if (error instanceof RedirectRefused)
      throw new ActionError(`${error.message} Check \`api-url\`.`, { cause: error })
    if (error instanceof HttpError) {
      throw new ActionError(
        `${apiHost} refused the access token issued for the API token (HTTP ${error.status} on /users/me). ` +
          'Check that `api-url` and `auth-url` belong to the same platform.',
        { cause: error }
      )
    }
    throw explainFailure(error, meUrl, "read the token's user")
  })
  const id = typeof me.id === 'string' || typeof me.id === 'number' ? String(me.id) : ''
  const email = typeof me.email === 'string' ? me.email : ''
  if (!id) throw new ActionError(`${apiHost} answered /users/me without a user id.`)
  return { user: { id, email }, accessToken }
}

async function readJson(
  body: { text(): Promise<string> },
  url: string,
  status: number
): Promise<Record<string, unknown>> {
  const text = await body.text()
  try {
    const value: unknown = JSON.parse(text)
    if (value && typeof value === 'object' && !Array.isArray(value))
      return value as Record<string, unknown>
  } catch {
    // fall through
  }
  throw new ActionError(
    `${new URL(url).host} answered ${new URL(url).pathname} with something that is not a JSON object (HTTP ${status}). ` +
      'Is the URL right, or is a proxy answering in its place?'
  )
}

function tokenRejection(error: { status: number; body: string }, host: string): ActionError {
  let code = ''
  try {
    const parsed = JSON.parse(error.body) as { error?: unknown }
    code = typeof parsed.error === 'string' ? parsed.error : ''
  } catch {
    // not JSON; the status decides
  }
  if (error.status === 400 || error.status === 401) {
    return new ActionError(
      `The API token was rejected by ${host} (HTTP ${error.status}${code ? `, ${code}` : ''}): it is invalid, revoked or expired. ` +
        'Create a new one in the console under My profile > API tokens, store it as a secret, and pass it in `token`.'
    )
  }
  if (error.status === 403) {
    return new ActionError(
      `${host} refused the API token (HTTP 403 Forbidden). The token's user may be blocked, or the organization may restrict API tokens.`
    )
  }
  return new ActionError(
    `${host} answered the token exchange with HTTP ${error.status} (after retries). Try again later.`
  )
}
