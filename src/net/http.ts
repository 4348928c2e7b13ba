import { EnvHttpProxyAgent, interceptors, request, type Dispatcher } from 'undici'
import { onShutdown } from '../shutdown.js'
import { HttpError } from './failures.js'
import { TIMEOUT_MS } from './settings.js'

/**
 * One place for every HTTP request the action makes: proxy variables
 * honoured (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, upper or lower case), a
 * timeout on every phase, redirects followed where asked (retries: retry.ts).
 */

let direct: Dispatcher | undefined
let following: Dispatcher | undefined

function agent(followRedirects: boolean): Dispatcher {
  if (!direct) onShutdown(closeHttp)
  direct ??= new EnvHttpProxyAgent({
    connectTimeout: TIMEOUT_MS,
    headersTimeout: TIMEOUT_MS,
    bodyTimeout: TIMEOUT_MS,
    // Short keep-alive so that idle sockets never hold the process open.
    keepAliveTimeout: 1_000
  })
  following ??= direct.compose(interceptors.redirect({ maxRedirections: 5 }))
  return followRedirects ? following : direct
}

/** An injected dispatcher gets the same redirect handling as the shared agent. */
function dispatcherFor(options: GetOptions): Dispatcher {
  const follow = options.followRedirects ?? true
  if (!options.dispatcher) return agent(follow)
  return follow
    ? options.dispatcher.compose(interceptors.redirect({ maxRedirections: 5 }))
    : options.dispatcher
}

/** Closes pooled connections so that Node can exit at once. */
export async function closeHttp(): Promise<void> {
  const d = direct
  direct = following = undefined
  await d?.close()
}

export interface GetOptions {
  headers?: Record<string, string>
  method?: 'GET' | 'POST'
  body?: string
  /** Follow 3xx (default); false returns the redirect itself. */
  followRedirects?: boolean
  signal?: AbortSignal
  /** Where the request goes (tests inject a MockAgent); default: the shared agent. */
  dispatcher?: Dispatcher
}

/**
 * Sends one request. Throws HttpError for 4xx/5xx (after reading a bounded
 * part of the body for the message); returns 2xx and, if not following, 3xx.
 */
export async function send(
  url: string,
  options: GetOptions = {}
): Promise<Dispatcher.ResponseData> {
  const response = await request(url, {
    method: options.method ?? 'GET',
    headers: { 'user-agent': 'setup-upsun-cli', ...options.headers },
    body: options.body,
    dispatcher: dispatcherFor(options),
    signal: options.signal
  })
  if (response.statusCode >= 400) {
    const text = await readBounded(response.body, 16 * 1024)
    throw new HttpError(url, response.statusCode, response.headers, text)
  }
  return response
}

async function readBounded(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      if (size < limit) chunks.push(chunk.subarray(0, limit - size))
      size += chunk.length
    }
  } catch {
    // A body cut while we read an error is still the same error.
  }
  return Buffer.concat(chunks).toString('utf8')
}
