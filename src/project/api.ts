import { ActionError } from '../errors.js'
import { HttpError, explainFailure } from '../net/failures.js'
import { send } from '../net/http.js'
import type { Network } from '../net/network.js'
import { withRetry } from '../net/retry.js'

/*
 * Reads the platform's API with the exchanged access token: GET only, JSON
 * only, retried like every request. URLs are always built from `api-url`,
 * never from links in an answer, so the access token goes nowhere else.
 */

export interface ApiReader {
  /**
   * GETs `{api-url}{path}` and parses its JSON. `what` names it for the log
   * ("project abc123"). A 401, 403 or 404 is thrown as the HttpError, for the
   * caller to explain (it knows what a 404 means there); other failures are
   * explained here.
   */
  get(path: string, what: string, options?: { maxBytes?: number }): Promise<unknown>
}

/** A reader bound to one API and one access token. */
export function apiReader(apiUrl: string, accessToken: string, network: Network = {}): ApiReader {
  const host = new URL(apiUrl).host
  return {
    async get(path, what, options = {}) {
      const url = `${apiUrl}${path}`
      return withRetry(
        `Reading ${what} from ${host}`,
        async () => {
          const response = await send(url, {
            headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
            maxBytes: options.maxBytes,
            dispatcher: network.dispatcher
          })
          const text = await response.body.text()
          try {
            return JSON.parse(text) as unknown
          } catch {
            throw new ActionError(
              `${host} answered ${new URL(url).pathname} with something that is not JSON (HTTP ${response.statusCode}). ` +
                'Is `api-url` right, or is a proxy answering in its place?'
            )
          }
        },
        network.sleep
      ).catch((error: unknown) => {
        if (error instanceof HttpError && [401, 403, 404].includes(error.status)) throw error
        throw explainFailure(error, url, `read ${what}`)
      })
    }
  }
}

/** The object at `value`, or an empty one (answers are read defensively). */
export function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}
}

/** The string at `value`, or ''. */
export function text(value: unknown): string {
  return typeof value === 'string' ? value : ''
}
