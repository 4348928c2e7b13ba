import * as core from '@actions/core'
import { EnvHttpProxyAgent, interceptors, request, type Dispatcher } from 'undici'
import { ActionError } from './errors.js'
import { onShutdown } from './shutdown.js'

/**
 * One place for every HTTP request the action makes: proxy variables
 * honoured (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, upper or lower case), a
 * timeout on every phase, redirects followed where asked, and retries with
 * exponential backoff and jitter on what can heal by itself.
 */

/** Tunable for slow networks (and made short by the test suite). */
const TIMEOUT_MS = positive(process.env.SETUP_UPSUN_CLI_HTTP_TIMEOUT_MS, 30_000)
const RETRY_BASE_MS = positive(process.env.SETUP_UPSUN_CLI_RETRY_BASE_MS, 1_000)
const ATTEMPTS = 4

function positive(raw: string | undefined, fallback: number): number {
  const n = Number(raw)
  return Number.isFinite(n) && n > 0 ? n : fallback
}

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

/** Closes pooled connections so that Node can exit at once. */
export async function closeHttp(): Promise<void> {
  const d = direct
  direct = following = undefined
  await d?.close()
}

/** An HTTP answer that is not a success. */
export class HttpError extends ActionError {
  constructor(
    readonly url: string,
    readonly status: number,
    readonly headers: Record<string, string | string[] | undefined>,
    readonly body: string
  ) {
    super(`${redact(url)} answered HTTP ${status}`)
    this.name = 'HttpError'
  }
}

export interface GetOptions {
  headers?: Record<string, string>
  method?: 'GET' | 'POST'
  body?: string
  /** Follow 3xx (default); false returns the redirect itself. */
  followRedirects?: boolean
  signal?: AbortSignal
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
    dispatcher: agent(options.followRedirects ?? true),
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

const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH'
])

/** Is this a failure that may heal by itself (5xx, 429, 408, network)? */
export function isRetryable(error: unknown): boolean {
  if (error instanceof HttpError) {
    return error.status >= 500 || error.status === 429 || error.status === 408
  }
  if (error instanceof RetryableError) return true
  if (error instanceof ActionError) return false
  return isNetworkError(error)
}

/** Wraps a failure that happened while streaming and is worth another try. */
export class RetryableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'RetryableError'
  }
}

/** The errno-style code of a network error, looking through causes. */
export function networkCode(error: unknown): string | undefined {
  for (
    let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    e = e.cause as typeof e, depth++
  ) {
    if (typeof e.code === 'string') return e.code
  }
  if (error instanceof Error && /terminated|other side closed/i.test(error.message))
    return 'UND_ERR_SOCKET'
  return undefined
}

/** Delay before the given retry: Retry-After when the server sent one. */
export function retryDelay(attempt: number, error: unknown, random = Math.random): number {
  if (error instanceof HttpError) {
    const after = retryAfterMs(error.headers['retry-after'])
    if (after !== undefined) return Math.min(after, 60_000)
  }
  const exponential = RETRY_BASE_MS * 2 ** (attempt - 1)
  return Math.round(Math.min(exponential, 30_000) * (0.5 + random()))
}

function retryAfterMs(value: string | string[] | undefined): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value
  if (!raw) return undefined
  const seconds = Number(raw)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const date = Date.parse(raw)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

/**
 * Runs `attempt` until it succeeds, a non-retryable error occurs, or the
 * attempts are used up; logs each retry with its reason.
 */
export async function withRetry<T>(
  what: string,
  attempt: (n: number) => Promise<T>,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n)
    } catch (error) {
      if (n >= ATTEMPTS || !isRetryable(error)) throw error
      const delay = retryDelay(n, error)
      core.info(
        `${what}: ${describe(error)}; retrying in ${(delay / 1000).toFixed(1)} s (attempt ${n + 1} of ${ATTEMPTS}).`
      )
      await sleep(delay)
    }
  }
}

/** A short, secret-free description of a failure for logs and errors. */
export function describe(error: unknown): string {
  if (error instanceof HttpError) return `HTTP ${error.status}`
  if (error instanceof RetryableError) return error.message
  if (isNetworkError(error)) {
    const code = networkCode(error)
    return code === 'UND_ERR_SOCKET' ? 'connection closed mid-transfer' : String(code)
  }
  // Not the network (a full disk, a permission): its own message says more.
  return error instanceof Error ? error.message : String(error)
}

/** A failure to talk to a host (as opposed to a file-system or logic error). */
export function isNetworkError(error: unknown): boolean {
  return RETRYABLE_CODES.has(networkCode(error) ?? '')
}

/** Removes query strings and credentials from a URL before it is logged. */
export function redact(url: string): string {
  try {
    const u = new URL(url)
    u.username = ''
    u.password = ''
    u.search = ''
    return u.toString()
  } catch {
    return '<invalid URL>'
  }
}

/**
 * Explains a network failure to a person: which host, and which proxy
 * settings were in force (without their credentials). Empty for failures
 * that are not the network's, so a disk error never reads as a proxy problem.
 */
export function networkHint(url: string, error: unknown): string {
  if (!isNetworkError(error) && !(error instanceof RetryableError)) return ''
  const host = (() => {
    try {
      return new URL(url).host
    } catch {
      return url
    }
  })()
  const proxies = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy']
    .filter((name) => process.env[name])
    .map(
      (name) =>
        `${name}=${name.toUpperCase() === 'NO_PROXY' ? process.env[name] : redact(process.env[name] ?? '')}`
    )
  const proxyText = proxies.length
    ? `Proxy settings in force: ${proxies.join(', ')}.`
    : 'No proxy is set; if this runner needs one, set HTTPS_PROXY (and NO_PROXY) for the job.'
  return `Could not reach ${host}. ${proxyText}`
}

/**
 * Why `doing` failed at `url`, for a person: the HTTP status, or the network
 * failure with the host and proxy settings, or a non-network error's own
 * message. "After retries" is said only of what was retried. An ActionError
 * (already written for the workflow's author) passes through unchanged.
 */
export function explainFailure(error: unknown, url: string, doing: string): Error {
  if (error instanceof ActionError && !(error instanceof HttpError)) return error
  const retried = isRetryable(error)
  if (error instanceof HttpError) {
    return new ActionError(
      `Could not ${doing}: ${redact(url)} answered HTTP ${error.status}${retried ? ' (after retries)' : ''}.`,
      { cause: error }
    )
  }
  const hint = networkHint(url, error)
  return new ActionError(
    `Could not ${doing} (${describe(error)}${retried ? ', after retries' : ''}).${hint ? ` ${hint}` : ''}`,
    { cause: error }
  )
}
