import { ActionError } from '../errors.js'
import { TIMEOUT_MS } from './network.js'

/*
 * What went wrong on the network, in words a person can act on: which
 * failures may heal by themselves (and so are retried), and secret-free
 * descriptions of them for logs and errors.
 */

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

/** Wraps a failure that happened while streaming and is worth another try. */
export class RetryableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'RetryableError'
  }
}

/** A request's overall deadline passed (http.ts); may heal, so it is retried. */
export class DeadlineError extends RetryableError {
  constructor(
    readonly url: string,
    readonly ms: number,
    cause?: unknown
  ) {
    super(`no complete answer from ${hostOf(url)} within ${(ms / 1000).toFixed(1)} s`, { cause })
    this.name = 'DeadlineError'
  }
}

/** Where a connection went silent for the idle timeout. */
export type IdlePhase = 'connect' | 'headers' | 'body'

function idleText(phase: IdlePhase, ms: number): string {
  const seconds = `${(ms / 1000).toFixed(1)} s`
  if (phase === 'connect') return `no connection within ${seconds}`
  if (phase === 'headers') return `no answer within ${seconds}`
  return `the answer stalled for ${seconds} mid-body`
}

/** undici's idle timeouts (client.ts gives all three TIMEOUT_MS). */
const IDLE: Record<string, IdlePhase> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  UND_ERR_HEADERS_TIMEOUT: 'headers',
  UND_ERR_BODY_TIMEOUT: 'body'
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return '<invalid URL>'
  }
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
  'UND_ERR_PRX_CONN',
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

/** The errno-style code of a network error, looking through causes. */
export function networkCode(error: unknown): string | undefined {
  return coded(error)?.code
}

/** An error and the causes under it, five deep at most (undici nests them). */
function* causeChain(
  error: unknown
): Generator<{ code?: unknown; cause?: unknown; message?: unknown }> {
  let e = error as { code?: unknown; cause?: unknown; message?: unknown } | undefined
  for (let depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) yield e
}

function coded(error: unknown): { code: string; message: string } | undefined {
  for (const e of causeChain(error)) {
    if (typeof e.code === 'string') return { code: e.code, message: String(e.message) }
  }
  if (error instanceof Error && /terminated|other side closed/i.test(error.message))
    return { code: 'UND_ERR_SOCKET', message: error.message }
  return undefined
}

/** The server closed the connection before its answer was complete (undici: "other side closed"). */
function closedEarly(error: unknown): boolean {
  return coded(error)?.code === 'UND_ERR_SOCKET'
}

/** The idle phase of one of undici's timeouts. */
function idlePhase(error: unknown): IdlePhase | undefined {
  for (const e of causeChain(error)) {
    if (typeof e.code === 'string' && e.code in IDLE) return IDLE[e.code]
  }
  return undefined
}

/** The status a proxy refused a tunnel with (undici: "Proxy response (403) !== 200 …"). */
function proxyRefusal(error: unknown): number | undefined {
  for (const e of causeChain(error)) {
    const m = /^Proxy response \((\d{3})\) !== 200/.exec(String(e.message))
    if (m) return Number(m[1])
  }
  return undefined
}

/** A failure to talk to a host (as opposed to a file-system or logic error). */
export function isNetworkError(error: unknown): boolean {
  return RETRYABLE_CODES.has(networkCode(error) ?? '')
}

/** A short, secret-free description of a failure for logs and errors. */
export function describeFailure(error: unknown): string {
  if (error instanceof HttpError) return `HTTP ${error.status}`
  if (error instanceof RetryableError) return error.message
  const refused = proxyRefusal(error)
  if (refused) return `the proxy refused the tunnel with HTTP ${refused}`
  const tls = TLS_REFUSALS.test(networkCode(error) ?? '') ? coded(error) : undefined
  // Node's own words without its advice (--use-system-ca); networkHint gives ours.
  if (tls) return tls.message.replace(/^Error: /, '').replace(/;.*$/s, '')
  if (isNetworkError(error)) {
    const phase = idlePhase(error)
    if (phase) return idleText(phase, TIMEOUT_MS)
    if (closedEarly(error)) return 'connection closed mid-transfer'
    return String(networkCode(error))
  }
  // Not the network (a full disk, a permission): its own message says more.
  return error instanceof Error ? error.message : String(error)
}

/** Removes credentials, the query string and the fragment (where tokens travel) from a URL before it is logged. */
export function redact(url: string): string {
  try {
    const u = new URL(url)
    u.username = ''
    u.password = ''
    u.search = ''
    u.hash = ''
    return u.toString()
  } catch {
    return '<invalid URL>'
  }
}

/**
 * A proxy variable's value without its user-info, in every form it comes in:
 * `http://user:secret@proxy:3128`, `user:secret@proxy:3128` (no scheme: the
 * URL parser would read `user:` as the scheme and keep the secret), a
 * password holding `@` or `/`. Everything up to the last `@` goes.
 */
export function redactProxy(value: string): string {
  const at = value.lastIndexOf('@')
  if (at === -1) return value
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(value)?.[0] ?? ''
  return `${scheme}***@${value.slice(at + 1)}`
}

/**
 * Explains a network failure to a person: which host, and which proxy
 * settings were in force (without their credentials). Empty for failures
 * that are not the network's, so a disk error never reads as a proxy problem.
 */
export function networkHint(url: string, error: unknown): string {
  const untrusted = TLS_REFUSALS.test(networkCode(error) ?? '')
  const dns = unresolved(error)
  const refused = proxyRefusal(error)
  if (
    !isNetworkError(error) &&
    !(error instanceof RetryableError) &&
    !untrusted &&
    !dns &&
    !refused
  )
    return ''
  const host = hostOf(url)
  const proxies = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy']
    .filter((name) => process.env[name])
    .map(
      (name) =>
        `${name}=${name.toUpperCase() === 'NO_PROXY' ? process.env[name] : redactProxy(process.env[name] ?? '')}`
    )
  const proxyText = proxies.length
    ? `Proxy settings in force: ${proxies.join(', ')}.`
    : 'No proxy is set; if this runner needs one, set HTTPS_PROXY (and NO_PROXY) for the job.'
  const phase = idlePhase(error)
  const tooSlow =
    error instanceof DeadlineError ||
    (error as { cause?: unknown }).cause instanceof DeadlineError ||
    (phase !== undefined && phase !== 'connect')
  const what = untrusted
    ? `The TLS certificate of ${host} was not accepted. If this runner reaches it through a ` +
      'TLS-inspecting proxy, or it is a mirror with a private CA, give the job that CA: ' +
      'NODE_EXTRA_CA_CERTS=/path/to/ca.pem in its env.'
    : refused
      ? `The proxy would not open a tunnel to ${host} (HTTP ${refused}): check its access rules, and its credentials in the proxy variable.`
      : dns
        ? `${host} did not resolve (DNS).`
        : tooSlow
          ? `${host} (or a proxy on the way) was too slow to answer in full.`
          : `Could not reach ${host}.`
  return `${what} ${proxyText}`
}

/** A name that did not resolve: no such host, or no DNS answer now (EAI_AGAIN, retried). */
function unresolved(error: unknown): boolean {
  const code = networkCode(error)
  return code === 'ENOTFOUND' || code === 'EAI_AGAIN'
}

/**
 * Node's codes for a certificate it did not accept: an unknown CA, a self-signed or expired
 * certificate, or one for another name.
 */
const TLS_REFUSALS =
  /^(ERR_TLS_CERT_ALTNAME_INVALID|CERT_[A-Z_]+|[A-Z_]*SELF_SIGNED[A-Z_]*|UNABLE_TO_[A-Z_]+)$/

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
    `Could not ${doing} (${describeFailure(error)}${retried ? ', after retries' : ''}).${hint ? ` ${hint}` : ''}`,
    { cause: error }
  )
}
