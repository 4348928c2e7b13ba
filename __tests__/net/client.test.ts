// How a request leaves (src/net/client.ts): undici, through an Agent, or an
// EnvHttpProxyAgent when a proxy variable is set, loopback always direct.
// Proved against real loopback servers and a real CONNECT proxy: connection
// reuse and its end, the idle timeouts, how each failure reads, which
// requests take the proxy, and in the bundle (dist/, under Node 24 as the
// runner runs it) that undici loads only when a request is sent. The rules
// above the client (redirects, deadlines, caps) are http.test.ts's.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import net, { type AddressInfo } from 'node:net'
import path from 'node:path'
import { withoutProxyVariables } from '../../__fixtures__/network.js'
import { node24Path } from '../../sandbox/fixtures.mjs'
import { deadPort, startProxy } from '../../sandbox/proxy.mjs'
import { spawnCapture } from '../../sandbox/runner.mjs'
import { makeTestCertificates } from '../../sandbox/tls.mjs'

// Short settings, read by network.ts when the modules are first imported.
process.env.SETUP_UPSUN_CLI_HTTP_TIMEOUT_MS = '300'
process.env.SETUP_UPSUN_CLI_HTTP_DEADLINE_MS = '5000'

type HttpModule = typeof import('../../src/net/http.js')
type FailuresModule = typeof import('../../src/net/failures.js')
let send: HttpModule['send']
let closeHttp: HttpModule['closeHttp']
let failures: FailuresModule

withoutProxyVariables()

const closers: Array<() => Promise<void>> = []
const certs = makeTestCertificates(['localhost', 'releases.foreign.test'])

beforeAll(async () => {
  ;({ send, closeHttp } = await import('../../src/net/http.js'))
  failures = await import('../../src/net/failures.js')
})
afterEach(async () => {
  await closeHttp()
})
afterAll(async () => {
  for (const close of closers.splice(0)) await close()
  certs.remove()
})
type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void
interface Served {
  origin: string
  /** Every connection the server accepted, in order. */
  sockets: net.Socket[]
}

/** A loopback server (https with the test certificate for `localhost` when asked). */
async function serve(handler: Handler, secure = false): Promise<Served> {
  const server = secure
    ? https.createServer({ key: certs.key, cert: certs.cert }, handler)
    : http.createServer(handler)
  const sockets: net.Socket[] = []
  server.on(secure ? 'secureConnection' : 'connection', (s: net.Socket) => sockets.push(s))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closers.push(async () => {
    for (const s of sockets) s.destroy()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })
  const { port } = server.address() as AddressInfo
  return { origin: `${secure ? 'https://localhost' : 'http://127.0.0.1'}:${port}`, sockets }
}

/** A TCP server that accepts and never says a word (no TLS handshake, no HTTP answer). */
async function silent(): Promise<number> {
  const sockets = new Set<net.Socket>()
  const server = net.createServer((s) => sockets.add(s))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closers.push(async () => {
    for (const s of sockets) s.destroy()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return (server.address() as AddressInfo).port
}

describe('connections (undici Agent, keep-alive)', () => {
  it('three requests in a row to one host share one connection (the `latest` path makes three)', async () => {
    const site = await serve((req, res) => res.end(req.url))
    for (const p of ['/releases/latest', '/checksums.txt', '/asset.tar.gz']) {
      const response = await send(`${site.origin}${p}`, { followRedirects: false })
      expect(await response.body.text()).toBe(p)
    }
    expect(site.sockets).toHaveLength(1)
  })

  it('an idle pooled connection is closed after about a second', async () => {
    const site = await serve((_req, res) => res.end('ok'))
    await (await send(`${site.origin}/x`)).body.text()
    const started = Date.now()
    await once(site.sockets[0], 'close')
    expect(Date.now() - started).toBeLessThan(3000)
  })

  it('closeHttp() drops a connection in use, and its reader hears of it', async () => {
    const site = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '100' })
      res.write('x')
    })
    const response = await send(`${site.origin}/x`)
    const reading = response.body.text()
    await closeHttp()
    await expect(reading).rejects.toThrow()
    await once(site.sockets[0], 'close')
  })

  it('a POST sends its body with its length (the token exchange)', async () => {
    const site = await serve((req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => res.end(`${req.headers['content-length']} ${body}`))
    })
    const response = await send(`${site.origin}/oauth2/token`, {
      method: 'POST',
      body: 'grant_type=api_token&api_token=é'
    })
    expect(await response.body.text()).toBe('33 grant_type=api_token&api_token=é')
  })
})

describe('idle timeouts (TIMEOUT_MS = 0.3 s in this file)', () => {
  it('headers that never come: no answer within the idle timeout', async () => {
    const site = await serve(() => undefined)
    const error = await send(`${site.origin}/x`).catch((e: unknown) => e)
    expect(failures.describeFailure(error)).toBe('no answer within 0.3 s')
  })

  it('a body that stops: the answer stalled mid-body', async () => {
    const site = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '100' })
      res.write('x')
    })
    const response = await send(`${site.origin}/x`)
    const error = await response.body.text().catch((e: unknown) => e)
    expect(failures.describeFailure(error)).toBe('the answer stalled for 0.3 s mid-body')
  })

  it('a TLS handshake that never completes: no connection', async () => {
    const port = await silent()
    const error = await send(`https://localhost:${port}/x`).catch((e: unknown) => e)
    expect(failures.describeFailure(error)).toBe('no connection within 0.3 s')
  })
})

/** The message a person reads for a request that failed. */
async function failureText(url: string): Promise<string> {
  try {
    const response = await send(url)
    await response.body.text()
  } catch (error) {
    return failures.explainFailure(error, url, 'download x').message
  }
  throw new Error(`${url} did not fail`)
}

describe('each failure reads as one sentence that says what to do', () => {
  const cases: Array<[string, () => Promise<string>, RegExp]> = [
    [
      'connection refused',
      async () => `http://127.0.0.1:${await deadPort()}/x`,
      /^Could not download x \(ECONNREFUSED, after retries\)\. Could not reach 127\.0\.0\.1:\d+\. No proxy is set/
    ],
    [
      'closed before answering',
      async () => (await serve((req) => req.socket.destroy())).origin,
      /\(connection closed mid-transfer, after retries\)\. Could not reach/
    ],
    [
      'closed mid-body',
      async () =>
        (
          await serve((_req, res) => {
            res.writeHead(200, { 'content-length': '100' })
            res.write('x', () => res.socket?.destroy())
          })
        ).origin,
      /\(connection closed mid-transfer, after retries\)/
    ],
    [
      'headers that never come',
      async () => (await serve(() => undefined)).origin,
      /\(no answer within 0\.3 s, after retries\)\. 127\.0\.0\.1:\d+ \(or a proxy on the way\) was too slow/
    ],
    [
      'a body that stops',
      async () =>
        (
          await serve((_req, res) => {
            res.writeHead(200, { 'content-length': '100' })
            res.write('x')
          })
        ).origin,
      /\(the answer stalled for 0\.3 s mid-body, after retries\)\. .* was too slow/
    ],
    [
      'a certificate no CA in the store signed',
      async () => `${(await serve((_req, res) => res.end('{}'), true)).origin}/x`,
      /\(unable to verify the first certificate\)\. The TLS certificate of localhost:\d+ was not accepted\. .*NODE_EXTRA_CA_CERTS=/
    ]
  ]
  it.each(cases)('%s', async (_name, makeUrl, expected) => {
    expect(await failureText(await makeUrl())).toMatch(expected)
  })
})
describe('which requests take a proxy (undici’s EnvHttpProxyAgent, loopback always direct)', () => {
  /**
   * Sends one request to https://releases.foreign.test (a name only the
   * proxy knows: a direct attempt fails in DNS) with `env` set, and says
   * which proxy carried it: 'a', 'b', or 'direct'.
   */
  async function route(env: (a: string, b: string) => Record<string, string>): Promise<string> {
    const site = await serve((_req, res) => res.end('ok'), true)
    const hosts = { 'releases.foreign.test': `127.0.0.1:${new URL(site.origin).port}` }
    const a = await startProxy({ hosts })
    const b = await startProxy({ hosts })
    closers.push(
      () => a.close(),
      () => b.close()
    )
    Object.assign(process.env, env(a.url, b.url))
    const failure = await send('https://releases.foreign.test/x').then(
      async (r) => void (await r.body.text()),
      (e: unknown) => e
    )
    if (a.seen.length) return 'a'
    if (b.seen.length) return 'b'
    // Not proxied: then the request went to DNS, which knows no such name.
    expect(['ENOTFOUND', 'EAI_AGAIN']).toContain(failures.networkCode(failure))
    return 'direct'
  }

  it.each([
    ['HTTPS_PROXY', (a: string) => ({ HTTPS_PROXY: a }), 'a'],
    [
      'a proxy variable without a scheme',
      (a: string) => ({ HTTPS_PROXY: a.replace('http://', '') }),
      'a'
    ],
    ['lower case first', (a: string, b: string) => ({ https_proxy: a, HTTPS_PROXY: b }), 'a'],
    ['https falls back to HTTP_PROXY', (a: string) => ({ HTTP_PROXY: a }), 'a'],
    [
      'HTTPS_PROXY before HTTP_PROXY',
      (a: string, b: string) => ({ HTTP_PROXY: b, HTTPS_PROXY: a }),
      'a'
    ],
    [
      'NO_PROXY names the host',
      (a: string) => ({ HTTPS_PROXY: a, NO_PROXY: 'x.test,releases.foreign.test' }),
      'direct'
    ],
    [
      'NO_PROXY names a parent domain',
      (a: string) => ({ HTTPS_PROXY: a, no_proxy: '.foreign.test' }),
      'direct'
    ],
    [
      'NO_PROXY with a trailing dot',
      (a: string) => ({ HTTPS_PROXY: a, NO_PROXY: 'releases.foreign.test.' }),
      'direct'
    ],
    ['NO_PROXY=*', (a: string) => ({ HTTPS_PROXY: a, NO_PROXY: '*' }), 'direct'],
    [
      'NO_PROXY with the default port',
      (a: string) => ({ HTTPS_PROXY: a, NO_PROXY: 'releases.foreign.test:443' }),
      'direct'
    ],
    [
      'NO_PROXY with another port',
      (a: string) => ({ HTTPS_PROXY: a, NO_PROXY: 'releases.foreign.test:8443' }),
      'a'
    ],
    [
      'NO_PROXY suffix that is not a domain boundary',
      (a: string) => ({ HTTPS_PROXY: a, NO_PROXY: 'foreign.test.x,eign.test' }),
      'a'
    ],
    [
      'NO_PROXY *.domain is not the domain itself',
      (a: string) => ({ HTTPS_PROXY: a, NO_PROXY: '*.releases.foreign.test' }),
      'a'
    ]
  ])('%s', async (_name, env, expected) => {
    expect(await route(env)).toBe(expected)
  })

  it('loopback is never proxied, even by NO_PROXY that names nothing', async () => {
    const site = await serve((_req, res) => res.end('here'))
    const proxy = await startProxy()
    closers.push(() => proxy.close())
    Object.assign(process.env, {
      HTTP_PROXY: proxy.url,
      HTTPS_PROXY: proxy.url,
      NO_PROXY: 'x.test'
    })
    for (const host of ['127.0.0.1', 'localhost']) {
      const origin = site.origin.replace('127.0.0.1', host)
      expect(await (await send(`${origin}/x`)).body.text()).toBe('here')
    }
    expect(proxy.seen).toEqual([])
  })

  it('an invalid proxy variable is an error that names it, without its credentials', async () => {
    process.env.HTTPS_PROXY = 'http://user:s3cret@[bad'
    await expect(send('https://releases.foreign.test/x')).rejects.toThrow(
      /^HTTPS_PROXY is not a valid proxy URL \(http:\/\/\*\*\*@\[bad\); set it to http:\/\/host:port\.$/
    )
  })
})

describe('the bundle (dist/ under Node 24, as the runner runs it)', () => {
  it('loads undici at the first request, not before; trusts NODE_EXTRA_CA_CERTS; proxies through it', async () => {
    const site = await serve((req, res) => res.end(`hello ${req.url}`), true)
    const { port } = new URL(site.origin)
    const proxy = await startProxy({ hosts: { 'releases.foreign.test': `127.0.0.1:${port}` } })
    closers.push(() => proxy.close())
    // Records every module the bundle loads, then makes one request of each kind.
    const script = path.join(certs.dir, 'probe.mjs')
    const chunks = path.resolve(import.meta.dirname, '../../dist/chunks')
    writeFileSync(
      script,
      `import { registerHooks } from 'node:module'
const loaded = []
registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); loaded.push(r.url); return r } })
const { send, closeHttp } = await import(${JSON.stringify(`${chunks}/http.cjs`)})
const undici = () => loaded.some((u) => u.endsWith('/undici.cjs'))
const beforeRequest = undici()
const direct = await (await send(${JSON.stringify(`${site.origin}/direct`)})).body.text()
const afterDirect = undici()
await closeHttp()
process.env.HTTPS_PROXY = ${JSON.stringify(proxy.url)}
const proxied = await (await send('https://releases.foreign.test/proxied')).body.text()
await closeHttp()
console.log(JSON.stringify({ beforeRequest, direct, afterDirect, proxied }))
`
    )
    const child = await spawnCapture(node24Path(), [script], {
      env: { PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: certs.caFile },
      cwd: certs.dir,
      input: undefined,
      timeoutMs: 30_000
    })
    expect(child.stderr).toBe('')
    expect(JSON.parse(child.stdout)).toEqual({
      beforeRequest: false,
      direct: 'hello /direct',
      afterDirect: true,
      proxied: 'hello /proxied'
    })
    expect(proxy.seen).toEqual([`CONNECT releases.foreign.test:443`])
  })
})
