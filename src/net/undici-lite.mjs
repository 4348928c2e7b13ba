// The parts of undici the action uses, from undici's own files, for the
// bundle only (rollup.config.mjs maps `undici` here; tests use the package).
//
// Why: undici's index loads everything it has (fetch, WebSocket, caches,
// mocks, SQLite) and parsing that 1.3 MB costs about 90 ms of CPU before the
// first request can leave (npm run bench, issue 14). Since direct requests go
// through node:http (src/net/transport.ts), only a request through a proxy
// loads this, with import(). Every export below is undici's own object;
// nothing is reimplemented except the url → { origin, path } step of its
// `request(url, options)` shortcut.
import { URL } from 'node:url'
import api from 'undici/lib/api/index.js'
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js'
import Pool from 'undici/lib/dispatcher/pool.js'
import ProxyAgent from 'undici/lib/dispatcher/proxy-agent.js'
import globalDispatcher from 'undici/lib/global.js'

// As undici's index does: every dispatcher gets request(), stream(), …
Object.assign(Dispatcher.prototype, api)

/** undici's `request(url, options)`: the same call on the given (or global) dispatcher. */
export function request(url, options = {}) {
  const { dispatcher = globalDispatcher.getGlobalDispatcher(), ...rest } = options
  const parsed = new URL(url)
  return dispatcher.request({
    ...rest,
    origin: parsed.origin,
    path: `${parsed.pathname}${parsed.search}`,
    method: rest.method || (rest.body ? 'PUT' : 'GET')
  })
}

export { Dispatcher, Pool, ProxyAgent }
