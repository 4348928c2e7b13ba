import type { Dispatcher } from 'undici'
import { ActionError } from '../errors.js'
import { onShutdown } from '../shutdown.js'
import {
  BodyTooLarge,
  Deadline,
  MAX_ERROR_BYTES,
  cappedBody,
  readPrefix,
  type CappedBody
} from './body.js'
import { closeClient, transmit, type ResponseHeaders } from './client.js'
import { DeadlineError, HttpError, redact } from './failures.js'
import { DEADLINE_MS, urlRefusal } from './network.js'

export { BodyTooLarge, DeadlineError, type CappedBody }

/**
 * One place for every HTTP request the action makes, and for the rules every
 * request keeps whoever calls it (__tests__/net/http.test.ts proves each one
 * against real loopback servers, so a change that breaks one fails loudly):
 *
 * 1. A request that carries a credential (an authorization or cookie header,
 *    or a body: the token exchange) follows no redirect: a 3xx is an error
 *    naming the status and the URL. The credential goes only where it was sent.
 * 2. Every URL, each redirect hop included, is https, or plain http to a
 *    loopback address (network.ts), checked before the hop is requested.
 * 3. Loopback addresses are reached directly, never through HTTP(S)_PROXY,
 *    whatever NO_PROXY says: a proxy would read the token in clear. Other
 *    hosts honour HTTPS_PROXY, HTTP_PROXY and NO_PROXY (either case; a proxy
 *    variable without a scheme is taken as http://, as curl does; client.ts).
 * 4. Every request has an overall deadline, headers and body (DEADLINE_MS;
 *    downloads get more in proportion to their size, see downloadDeadlineMs),
 *    on top of the idle timeout; a proxy that never answers CONNECT times out.
 * 5. Every body has a size cap: an answer read into memory 1 MiB, an error
 *    body 16 KiB (the rest is not read), a download MAX_DOWNLOAD_BYTES. A
 *    larger body is an error, refused as soon as it is declared or passed.
 * 6. Every connection has an idle timeout (TIMEOUT_MS) while connecting,
 *    waiting for headers and between body bytes; idle pooled connections are
 *    kept briefly and never hold the process open; closeHttp() drops them all.
 * How a request leaves (undici, directly or through a proxy) is client.ts's
 * concern. Redirects are followed here, not by undici's redirect
 * interceptor, which has no hook to refuse a hop before it is requested nor
 * a cap on a hop's body. Retries live in retry.ts (each attempt the whole
 * request); failures are explained in failures.ts.
 */

/** Answers read into memory: checksums.txt (~2 kB), token and API answers (~2 kB), manifest.json. */
export const MAX_ANSWER_BYTES = 1024 * 1024
/** A streamed download (the CLI archive, the Web PaaS phar), with room for them to grow. */
export const MAX_DOWNLOAD_BYTES = 128 * 1024 * 1024
/**
 * The slowest link a slow but healthy runner has: 1 Mbit/s. A download's
 * deadline is DEADLINE_MS plus its size at this rate, and a server that
 * never says its size gets what MAX_DOWNLOAD_BYTES would need (about 17
 * minutes) before the step stops. A silent connection is dropped much
 * sooner, by the idle timeout.
 */
export const MIN_DOWNLOAD_RATE = 128 * 1024
const MAX_REDIRECTS = 5

/** The overall deadline of a download of `bytes` (undefined: its size was not declared). */
export function downloadDeadlineMs(bytes: number | undefined): number {
  return (
    DEADLINE_MS +
    (Math.min(bytes ?? MAX_DOWNLOAD_BYTES, MAX_DOWNLOAD_BYTES) / MIN_DOWNLOAD_RATE) * 1000
  )
}

export interface GetOptions {
  headers?: Record<string, string>
  method?: 'GET' | 'POST'
  body?: string
  /**
   * Follow 3xx (default); false returns the redirect itself. A request that
   * carries a credential never follows one, whatever this says.
   */
  followRedirects?: boolean
  signal?: AbortSignal
  /** A streamed download: a larger size cap, and a deadline that grows with its size. */
  download?: boolean
  /** Overrides the size cap of the body (e.g. a paged API list). */
  maxBytes?: number
  /** Tests: send through this dispatcher (e.g. undici's MockAgent) instead of the network. */
  dispatcher?: Dispatcher
}

/** A response whose body enforces the size cap and the deadline as it is read. */
export interface HttpResponse {
  /** The URL that answered (after redirects). */
  readonly url: string
  readonly statusCode: number
  readonly headers: ResponseHeaders
  readonly body: CappedBody
}

/** A 3xx to a request that carries a credential, or a redirect the URL rule refuses. */
export class RedirectRefused extends ActionError {
  constructor(message: string) {
    super(message)
    this.name = 'RedirectRefused'
  }
}

/**
 * Sends one request under the rules above. Throws HttpError for 4xx/5xx
 * (with at most 16 KiB of its body for the message); returns 2xx and, when
 * not following, 3xx.
 */
export async function send(url: string, options: GetOptions = {}): Promise<HttpResponse> {
  const method = options.method ?? 'GET'
  const headers = { 'user-agent': 'setup-upsun-cli', ...options.headers }
  const credential = carriesCredential(method, headers, options.body)
  const follow = !credential && (options.followRedirects ?? true)
  const limit = options.maxBytes ?? (options.download ? MAX_DOWNLOAD_BYTES : MAX_ANSWER_BYTES)
  const deadline = new Deadline(url, DEADLINE_MS)
  const signal = options.signal
    ? AbortSignal.any([options.signal, deadline.signal])
    : deadline.signal

  let current = checkedUrl(url)
  closeOnShutdown()
  try {
    for (let hops = 0; ; hops++) {
      const response = await deadline.race(
        transmit({
          url: current,
          method,
          headers,
          body: options.body,
          signal,
          dispatcher: options.dispatcher
        })
      )
      const status = response.statusCode
      if (status >= 300 && status < 400 && (credential || follow)) {
        const location = firstHeader(response.headers.location)
        await readPrefix(response.body, MAX_ERROR_BYTES)
        current = nextHop(current.toString(), status, location, credential, hops)
        continue
      }
      if (status >= 400) {
        const text = (await readPrefix(response.body, MAX_ERROR_BYTES)).toString('utf8')
        throw new HttpError(current.toString(), status, response.headers, text)
      }
      const declared = Number(firstHeader(response.headers['content-length']))
      const size = Number.isSafeInteger(declared) && declared >= 0 ? declared : undefined
      if (size !== undefined && size > limit) {
        response.body.destroy()
        throw new BodyTooLarge(current.toString(), limit, size)
      }
      if (options.download) deadline.extend(downloadDeadlineMs(size))
      return {
        url: current.toString(),
        statusCode: status,
        headers: response.headers,
        body: cappedBody(response.body, current.toString(), limit, deadline)
      }
    }
  } catch (error) {
    deadline.clear()
    throw deadline.explain(error)
  }
}

function carriesCredential(
  method: string,
  headers: Record<string, string>,
  body: unknown
): boolean {
  if (method !== 'GET' || body !== undefined) return true
  return Object.keys(headers).some((name) =>
    ['authorization', 'cookie', 'proxy-authorization'].includes(name.toLowerCase())
  )
}

function checkedUrl(raw: string): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ActionError(`Refused to fetch an invalid URL (${redact(raw)}).`)
  }
  const why = urlRefusal(url)
  if (why) throw new ActionError(`Refused to fetch ${redact(raw)}. ${why}`)
  return url
}

/** Where a redirect leads, if it may be followed at all. */
function nextHop(
  from: string,
  status: number,
  location: string | undefined,
  credential: boolean,
  hops: number
): URL {
  let target: URL | undefined
  try {
    target = location ? new URL(location, from) : undefined
  } catch {
    target = undefined
  }
  const to = target ? ` to ${redact(target.toString())}` : ''
  if (credential) {
    throw new RedirectRefused(
      `${redact(from)} answered HTTP ${status} (a redirect${to}) to a request that carries a credential. ` +
        'Such requests never follow a redirect, so the credential reaches only the host it was sent to; ' +
        'use the service’s own current address.'
    )
  }
  if (!target) {
    throw new RedirectRefused(
      `${redact(from)} answered HTTP ${status} without a usable Location; nothing to follow.`
    )
  }
  if (hops >= MAX_REDIRECTS) {
    throw new RedirectRefused(
      `${redact(from)} redirected more than ${MAX_REDIRECTS} times; refused.`
    )
  }
  const why = urlRefusal(target)
  if (why) throw new RedirectRefused(`${redact(from)} redirected${to}, which was refused. ${why}`)
  return target
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

let registered = false

/** Pooled connections are dropped when the step shuts down (main.ts), so Node exits at once. */
function closeOnShutdown(): void {
  if (registered) return
  registered = true
  onShutdown(closeHttp)
}

/** Closes pooled connections so that Node can exit at once (a hung CONNECT included). */
export async function closeHttp(): Promise<void> {
  registered = false
  await closeClient()
}
