import { Pool, ProxyAgent, request, type Dispatcher } from 'undici'
import { TIMEOUT_MS } from './settings.js'
import type { Exchange, RawResponse } from './transport.js'

/*
 * The requests transport.ts does not send through node:http: those that go
 * through an HTTP(S) proxy (undici's ProxyAgent tunnels them with CONNECT and
 * verifies the host's certificate inside the tunnel) and those sent through
 * a dispatcher a caller injected (unit tests' MockAgent). Loaded with
 * import() only then, so a direct request never pays for parsing undici.
 */

const TIMEOUTS = {
  connectTimeout: TIMEOUT_MS,
  headersTimeout: TIMEOUT_MS,
  bodyTimeout: TIMEOUT_MS,
  // Short keep-alive so that idle sockets never hold the process open.
  keepAliveTimeout: 1_000
}

/** One agent per proxy URL (HTTPS_PROXY and HTTP_PROXY may differ). */
const proxies = new Map<string, Dispatcher>()

/** Sends `exchange` through the proxy at `proxy`, or through `exchange.dispatcher` when one was injected. */
export async function sendThroughUndici(exchange: Exchange, proxy?: string): Promise<RawResponse> {
  const dispatcher = exchange.dispatcher ?? proxyAgent(proxy ?? '')
  const { statusCode, headers, body } = await request(exchange.url, {
    method: exchange.method,
    headers: exchange.headers,
    body: exchange.body,
    dispatcher,
    signal: exchange.signal
  })
  return { statusCode, headers, body }
}

function proxyAgent(uri: string): Dispatcher {
  let agent = proxies.get(uri)
  if (!agent) {
    agent = new ProxyAgent({
      ...TIMEOUTS,
      uri,
      // The connection to the proxy itself (its CONNECT answer included) gets
      // the same timeouts; undici's default would wait five minutes.
      clientFactory: (origin: URL, options: object) => new Pool(origin, { ...options, ...TIMEOUTS })
    })
    proxies.set(uri, agent)
  }
  return agent
}

/** Drops every proxy connection, a hung CONNECT included. */
export async function closeUndici(): Promise<void> {
  const all = [...proxies.values()]
  proxies.clear()
  await Promise.allSettled(all.map(async (agent) => agent.destroy()))
}
