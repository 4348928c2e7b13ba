// A small forward proxy on loopback (absolute-form requests and CONNECT), to
// prove that every request honours HTTP(S)_PROXY, and that loopback is never
// sent through it. It records what it carried. It resolves no name itself:
// `hosts` maps the "foreign" names only this proxy knows (e.g.
// releases.foreign.test) to loopback servers; any other name is refused, so
// that nothing a test does can reach past this machine.
import http from 'node:http'
import net from 'node:net'

/**
 * @param {{ hosts?: Record<string, string>, hangConnect?: boolean }} [options]
 *   hosts: name → 'host:port' on loopback, for CONNECT and absolute-form requests.
 *   hangConnect: accept CONNECT and never answer (a proxy that hangs).
 */
export async function startProxy(options = {}) {
  const hosts = options.hosts ?? {}
  /** @type {string[]} */
  const seen = []
  /** @type {Record<string, string | string[] | undefined>[]} */
  const headers = []
  const sockets = new Set()

  /** Where a name goes: a mapped foreign name, or loopback as is; anything else nowhere. */
  function resolve(hostname, port) {
    const mapped = hosts[hostname]
    if (mapped) {
      const [h, p] = mapped.split(':')
      return { host: h, port: Number(p) }
    }
    if (hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '::1')
      return { host: hostname, port: Number(port) }
    return undefined
  }

  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`)
    headers.push(req.headers)
    let target
    try {
      target = new URL(req.url ?? '')
    } catch {
      res.writeHead(400)
      return res.end('absolute URL expected')
    }
    const to = resolve(target.hostname.replace(/^\[|\]$/g, ''), target.port || '80')
    if (!to) {
      res.writeHead(502)
      return res.end('unknown host')
    }
    const upstream = http.request(
      { host: to.host, port: to.port, path: target.pathname + target.search, method: req.method },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers)
        up.pipe(res)
      }
    )
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && name !== 'proxy-authorization') upstream.setHeader(name, value)
    }
    upstream.setHeader('host', target.host)
    upstream.on('error', () => {
      res.writeHead(502)
      res.end()
    })
    req.pipe(upstream)
  })
  server.on('connect', (req, client, head) => {
    seen.push(`CONNECT ${req.url}`)
    headers.push(req.headers)
    if (options.hangConnect) return
    const url = req.url ?? ''
    const colon = url.lastIndexOf(':')
    const to = resolve(url.slice(0, colon).replace(/^\[|\]$/g, ''), url.slice(colon + 1))
    if (!to) {
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n')
      return
    }
    const upstream = net.connect(to.port, to.host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)))
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address())
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    /** The request headers of what it carried, in order (proxy-authorization included). */
    headers,
    async close() {
      for (const s of sockets) s.destroy()
      await new Promise((resolve) => server.close(() => resolve(undefined)))
    }
  }
}

/** A port on which nothing listens (for a dead proxy). */
export async function deadPort() {
  const server = net.createServer()
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)))
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address())
  await new Promise((resolve) => server.close(() => resolve(undefined)))
  return port
}
