import type { Dispatcher } from 'undici'
import { ActionError } from '../errors.js'
import { redactProxy } from './failures.js'
import { TIMEOUT_MS, isLoopbackHost } from './network.js'

/*
 * How a request leaves: undici's `request`, through an `Agent`, or an
 * `EnvHttpProxyAgent` when a proxy variable is set (undici's NO_PROXY rules),
 * with our one rule on top: loopback is never proxied, whatever NO_PROXY
 * says, since a proxy would read the token in clear. The rules every request
 * keeps (redirects, https-or-loopback, deadlines, body caps) live above this,
 * in http.ts's send(). undici is loaded with import() when the first request
 * is sent, so a step that sends none (a cache hit) never parses it.
 */

/** One request, as send() hands it down. */
export interface Exchange {
  readonly url: URL
  readonly method: 'GET' | 'POST'
  readonly headers: Record<string, string>
  readonly body?: string
  /** Aborts the request, or its body while it is read, with the signal's reason. */
  readonly signal: AbortSignal
  /** Tests: send through this undici dispatcher (e.g. MockAgent) instead. */
  readonly dispatcher?: Dispatcher
}

export interface RawBody extends AsyncIterable<Buffer> {
  /** Drops the body unread (and its connection, unless it was read to its end). */
  destroy(): void
}

/** Response headers by lower-case name (set-cookie and the like as arrays). */
export type ResponseHeaders = Record<string, string | string[] | undefined>

export interface RawResponse {
  readonly statusCode: number
  readonly headers: ResponseHeaders
  readonly body: RawBody
}

type Undici = typeof import('undici')
let undici: Promise<Undici> | undefined
/** The dispatchers made from the proxy variables at the first request (closeClient() forgets them). */
let made: { dispatcher: Dispatcher; all: Dispatcher[] } | undefined

export async function transmit(exchange: Exchange): Promise<RawResponse> {
  const lib = await (undici ??= import('undici'))
  // undici's pool frees a connection one macrotask after its body ended; a
  // request sent sooner (the next redirect hop) would open another.
  await new Promise<void>((resolve) => setImmediate(resolve))
  const dispatcher = exchange.dispatcher ?? (made ??= dispatchers(lib)).dispatcher
  const { statusCode, headers, body } = await lib.request(exchange.url, {
    method: exchange.method,
    headers: exchange.headers,
    body: exchange.body,
    signal: exchange.signal,
    dispatcher
  })
  return { statusCode, headers, body }
}

/** Closes every pooled connection, in use or idle (a hung CONNECT included), so that Node can exit at once. */
export async function closeClient(): Promise<void> {
  const all = made?.all ?? []
  made = undefined
  await Promise.allSettled(all.map((d) => d.destroy()))
}

/**
 * One idle timeout for connecting (TLS included), waiting for the headers
 * and every pause in the body; idle pooled connections are kept a second
 * (`version: latest` makes three requests in a row to one host) and undici
 * unrefs them, so they never hold the process open.
 */
const TIMEOUTS = {
  connectTimeout: TIMEOUT_MS,
  headersTimeout: TIMEOUT_MS,
  bodyTimeout: TIMEOUT_MS,
  keepAliveTimeout: 1_000,
  keepAliveMaxTimeout: 1_000
}

function dispatchers({ Agent, EnvHttpProxyAgent, Pool }: Undici): {
  dispatcher: Dispatcher
  all: Dispatcher[]
} {
  const direct = new Agent(TIMEOUTS)
  const httpProxy = proxyVariable('http_proxy', 'HTTP_PROXY')
  const httpsProxy = proxyVariable('https_proxy', 'HTTPS_PROXY')
  if (!httpProxy && !httpsProxy) return { dispatcher: direct, all: [direct] }
  const proxied = new EnvHttpProxyAgent({
    ...TIMEOUTS,
    // Given here (undici would read them too) so that a value without a
    // scheme is taken as http://, as curl does; '' means none.
    httpProxy: httpProxy ?? '',
    httpsProxy: httpsProxy ?? '',
    // The connection to the proxy itself (its CONNECT answer included) gets
    // the same timeouts; undici's default would wait five minutes.
    clientFactory: (origin: URL, options: object) => new Pool(origin, { ...options, ...TIMEOUTS })
  })
  const loopbackDirect: Dispatcher.DispatcherComposeInterceptor =
    (dispatch) => (options, handler) =>
      isLoopbackHost(new URL(String(options.origin)).hostname)
        ? direct.dispatch(options, handler)
        : dispatch(options, handler)
  return { dispatcher: proxied.compose(loopbackDirect), all: [direct, proxied] }
}

/** A proxy variable (lower case first), with http:// added when it has no scheme, as curl does. */
function proxyVariable(...names: string[]): string | undefined {
  for (const name of names) {
    const value = process.env[name]?.trim()
    if (!value) continue
    const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`
    try {
      new URL(url)
    } catch {
      throw new ActionError(
        `${name} is not a valid proxy URL (${redactProxy(value)}); set it to http://host:port.`
      )
    }
    return url
  }
  return undefined
}
