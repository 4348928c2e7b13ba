import http from 'node:http'
import https from 'node:https'
import type { Duplex } from 'node:stream'
import type { Dispatcher } from 'undici'
import { IdleTimeout } from './failures.js'
import { proxyFor } from './proxy.js'
import { TIMEOUT_MS } from './settings.js'

/*
 * Sends one request and gives back its status, headers and a body stream.
 * The rules every request keeps (redirects, https-or-loopback, deadlines,
 * body caps) live above this, in http.ts's send(), so they hold whichever
 * way a request leaves.
 *
 * A direct request (loopback always; any host no proxy variable applies to)
 * goes through node:http / node:https. Why not undici, which does the rest:
 * Node has node:http compiled in, while the bundled undici chunk is 650 KB of
 * JavaScript to parse first. Measured on a 2-core VM (CPU by
 * process.cpuUsage, medians of 21 alternating runs), loading it costs about
 * 60 ms before the first request can leave; a first request through
 * node:http about 13 ms. Every cold install and every online token check paid
 * that (issue 14). undici is loaded, with import(), only for a request that
 * goes through a proxy or through a dispatcher a caller injected (tests).
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

let undici: Promise<typeof import('./undiciTransport.js')> | undefined

export async function transmit(exchange: Exchange): Promise<RawResponse> {
  const proxy = exchange.dispatcher ? undefined : proxyFor(exchange.url)
  if (!exchange.dispatcher && !proxy) return sendDirect(exchange)
  undici ??= import('./undiciTransport.js')
  return (await undici).sendThroughUndici(exchange, proxy)
}

/** Closes every pooled connection, in use or idle, so that Node can exit at once. */
export async function closeTransports(): Promise<void> {
  const agents = [httpAgent, httpsAgent]
  httpAgent = httpsAgent = undefined
  for (const agent of agents) agent?.destroy()
  const loaded = undici
  undici = undefined
  if (loaded) await (await loaded).closeUndici()
}

/**
 * How long an idle pooled connection is kept for the next request to the
 * same host (`version: latest` makes three in a row: the latest redirect,
 * checksums.txt, the asset). Short, so that a server never finds it half
 * closed; Node's agent also unrefs idle sockets, so they never hold the
 * process open.
 */
const KEEP_ALIVE_MS = 1_000

/** Sets an idle pooled socket's timeout to KEEP_ALIVE_MS (the agent destroys it then). */
function keepBriefly(
  kept: unknown,
  socket: Duplex & { setTimeout?: (ms: number) => void }
): boolean {
  if (kept === false) return false
  socket.setTimeout?.(KEEP_ALIVE_MS)
  return true
}

class HttpAgent extends http.Agent {
  override keepSocketAlive(socket: Duplex): boolean {
    return keepBriefly(super.keepSocketAlive(socket), socket)
  }
}

class HttpsAgent extends https.Agent {
  override keepSocketAlive(socket: Duplex): boolean {
    return keepBriefly(super.keepSocketAlive(socket), socket)
  }
}

let httpAgent: HttpAgent | undefined
let httpsAgent: HttpsAgent | undefined

/**
 * One request through node:http(s). TLS is verified against Node's CA store
 * plus NODE_EXTRA_CA_CERTS, as undici does. The socket's idle timeout
 * (TIMEOUT_MS) covers connecting (the TLS handshake included), waiting for
 * the headers and every pause in the body, as undici's three timeouts did.
 */
function sendDirect({ url, method, headers, body, signal }: Exchange): Promise<RawResponse> {
  return new Promise<RawResponse>((resolve, reject) => {
    signal.throwIfAborted()
    const secure = url.protocol === 'https:'
    const payload = body === undefined ? undefined : Buffer.from(body)
    const options: https.RequestOptions = {
      method,
      headers: payload ? { ...headers, 'content-length': String(payload.length) } : headers,
      // Set on the socket when it is made, so that it also bounds the connect.
      timeout: TIMEOUT_MS
    }
    const req = secure
      ? https.request(url, {
          ...options,
          agent: (httpsAgent ??= new HttpsAgent({ keepAlive: true }))
        })
      : http.request(url, { ...options, agent: (httpAgent ??= new HttpAgent({ keepAlive: true })) })

    let connected = false
    let response: http.IncomingMessage | undefined
    const fail = (error: Error): void => {
      // The body first: its reader must see this error, not the socket's "aborted".
      response?.destroy(error)
      req.destroy(error)
    }
    const onAbort = (): void => fail(reasonOf(signal))
    signal.addEventListener('abort', onAbort, { once: true })
    const settled = (): void => signal.removeEventListener('abort', onAbort)

    req.on('socket', (socket) => {
      if (req.reusedSocket) connected = true
      else socket.once(secure ? 'secureConnect' : 'connect', () => (connected = true))
    })
    req.on('timeout', () =>
      fail(new IdleTimeout(connected ? (response ? 'body' : 'headers') : 'connect', TIMEOUT_MS))
    )
    req.on('error', (error) => {
      settled()
      reject(error)
    })
    req.on('response', (res) => {
      response = res
      // An error while nobody reads yet must not crash the step; a reader
      // still gets it from the body's iterator.
      res.on('error', () => undefined)
      res.on('close', settled)
      resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: res })
    })
    req.end(payload)
  })
}

function reasonOf(signal: AbortSignal): Error {
  const reason: unknown = signal.reason
  return reason instanceof Error ? reason : new Error(String(reason))
}
