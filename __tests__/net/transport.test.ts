// How a request leaves (src/net/transport.ts): node:http(s) for a direct
// request, undici only through a proxy or an injected dispatcher. Proved
// against real loopback servers: connection reuse and its end, the idle
// timeouts, failures that read the same whichever transport met them, and
// in the bundle (dist/, under Node 24 as the runner runs it) that a direct
// request never loads undici. The rules above the transport (redirects,
// deadlines, caps) are http.test.ts's.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { once } from 'node:events'
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import net, { type AddressInfo } from 'node:net'
import path from 'node:path'
import { Agent } from 'undici'
import { withoutProxyVariables } from '../../__fixtures__/network.js'
import { node24Path } from '../../sandbox/fixtures.mjs'
import { deadPort, startProxy } from '../../sandbox/proxy.mjs'
import { spawnCapture } from '../../sandbox/runner.mjs'
import { makeTestCertificates } from '../../sandbox/tls.mjs'

// Short settings, read by settings.ts when the modules are first imported.
process.env.SETUP_UPSUN_CLI_HTTP_TIMEOUT_MS = '300'
process.env.SETUP_UPSUN_CLI_HTTP_DEADLINE_MS = '5000'

type HttpModule = typeof import('../../src/net/http.js')
type FailuresModule = typeof import('../../src/net/failures.js')
type ProxyModule = typeof import('../../src/net/proxy.js')
let send: HttpModule['send']
let closeHttp: HttpModule['closeHttp']
let failures: FailuresModule
let proxyFor: ProxyModule['proxyFor']

withoutProxyVariables()

const closers: Array<() => Promise<void>> = []
const certs = makeTestCertificates(['localhost', 'releases.foreign.test'])

beforeAll(async () => {
  ;({ send, closeHttp } = await import('../../src/net/http.js'))
  failures = await import('../../src/net/failures.js')
  ;({ proxyFor } = await import('../../src/net/proxy.js'))
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

describe('connections (node:http, keep-alive)', () => {
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
    expect(error).toBeInstanceOf(failures.IdleTimeout)
    expect(String(error)).toMatch(/no answer within 0\.3 s/)
  })

  it('a body that stops: the answer stalled mid-body', async () => {
    const site = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '100' })
      res.write('x')
    })
    const response = await send(`${site.origin}/x`)
    await expect(response.body.text()).rejects.toThrow(/stalled for 0\.3 s mid-body/)
  })

  it('a TLS handshake that never completes: no connection', async () => {
    const port = await silent()
    const error = await send(`https://localhost:${port}/x`).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(failures.IdleTimeout)
    expect(String(error)).toMatch(/no connection within 0\.3 s/)
  })
})

/** The message a person reads for a request that failed, through node:http or an injected undici Agent. */
async function failureText(url: string, dispatcher?: Agent): Promise<string> {
  try {
    const response = await send(url, dispatcher ? { dispatcher } : {})
    await response.body.text()
  } catch (error) {
    return failures.explainFailure(error, url, 'download x').message
  }
  throw new Error(`${url} did not fail`)
}

describe('a failure reads the same through node:http and through undici', () => {
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
      /\((Error: )?unable to verify the first certificate.*\)\. The TLS certificate of localhost:\d+ was not accepted\. .*NODE_EXTRA_CA_CERTS=/
    ]
  ]
  it.each(cases)('%s', async (_name, makeUrl, expected) => {
    const url = await makeUrl()
    const direct = await failureText(url)
    await closeHttp()
    const agent = new Agent({ connectTimeout: 300, headersTimeout: 300, bodyTimeout: 300 })
    try {
      expect(await failureText(url, agent)).toBe(direct)
    } finally {
      await agent.destroy()
    }
    expect(direct).toMatch(expected)
  })
})

describe('which requests take a proxy (the rules undici’s EnvHttpProxyAgent applied)', () => {
  const url = (u: string): URL => new URL(u)
  it.each([
    ['no proxy variable', {}, 'https://github.com/x', undefined],
    [
      'HTTPS_PROXY without a scheme',
      { HTTPS_PROXY: 'proxy:3128' },
      'https://github.com/x',
      'http://proxy:3128'
    ],
    [
      'lower case first',
      { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:1' },
      'https://github.com/x',
      'http://lower:1'
    ],
    [
      'https falls back to HTTP_PROXY',
      { HTTP_PROXY: 'http://p:1' },
      'https://github.com/x',
      'http://p:1'
    ],
    [
      'loopback never, whatever NO_PROXY says',
      { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1', NO_PROXY: '' },
      'http://127.0.0.1:8080/x',
      undefined
    ],
    [
      'NO_PROXY names the host',
      { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'example.com,github.com' },
      'https://github.com/x',
      undefined
    ],
    [
      'NO_PROXY names a parent domain (.domain)',
      { HTTPS_PROXY: 'http://p:1', no_proxy: '.github.com' },
      'https://objects.github.com/x',
      undefined
    ],
    [
      'NO_PROXY names a parent domain (*.domain)',
      { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'other *.github.com' },
      'https://objects.github.com/x',
      undefined
    ],
    [
      'NO_PROXY suffix is not a domain boundary',
      { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'hub.com' },
      'https://github.com/x',
      'http://p:1'
    ],
    [
      'NO_PROXY with another port',
      { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'github.com:8443' },
      'https://github.com/x',
      'http://p:1'
    ],
    [
      'NO_PROXY with the default port',
      { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'github.com:443' },
      'https://github.com/x',
      undefined
    ],
    ['NO_PROXY=*', { HTTPS_PROXY: 'http://p:1', NO_PROXY: '*' }, 'https://github.com/x', undefined]
  ])('%s', (_name, env: Record<string, string>, target, expected) => {
    Object.assign(process.env, env)
    expect(proxyFor(url(target))).toBe(expected)
  })

  it('an invalid proxy variable is an error that names it, without its credentials', () => {
    process.env.HTTPS_PROXY = 'http://user:s3cret@[bad'
    expect(() => proxyFor(url('https://github.com/x'))).toThrow(
      /^HTTPS_PROXY is not a valid proxy URL \(http:\/\/\*\*\*@\[bad\); set it to http:\/\/host:port\.$/
    )
  })
})

describe('the bundle (dist/ under Node 24, as the runner runs it)', () => {
  it('names undici’s chunk in one place only: a require() inside a promise, run for a proxied request', () => {
    const dist = path.resolve(import.meta.dirname, '../../dist')
    const mentions = readdirSync(dist, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.cjs') && !f.endsWith('undiciTransport.cjs'))
      .flatMap((f) =>
        readFileSync(path.join(dist, f), 'utf8')
          .split('\n')
          .filter((line) => line.includes('undiciTransport'))
          .map((line) => `${f}: ${line.trim()}`)
      )
    expect(mentions).toEqual([
      `${path.join('chunks', 'http.cjs')}: undici ??= Promise.resolve().then(() => require('./undiciTransport.cjs'));`
    ])
    // And the chunk that sends direct requests loads node:http, not undici.
    const http = readFileSync(path.join(dist, 'chunks', 'http.cjs'), 'utf8')
    expect(http).toMatch(/^const [\w$]+ = require\('node:http'\);$/m)
    expect(http).not.toMatch(/^(const \w+ = )?require\('\.\/undiciTransport\.cjs'\);$/m)
  })

  it('a direct https request never loads undici and trusts NODE_EXTRA_CA_CERTS; a proxied one loads it', async () => {
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
const undici = () => loaded.some((u) => u.includes('undiciTransport'))
const direct = await (await send(${JSON.stringify(`${site.origin}/direct`)})).body.text()
const afterDirect = undici()
process.env.HTTPS_PROXY = ${JSON.stringify(proxy.url)}
const proxied = await (await send('https://releases.foreign.test/proxied')).body.text()
await closeHttp()
console.log(JSON.stringify({ direct, afterDirect, proxied, afterProxied: undici() }))
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
      direct: 'hello /direct',
      afterDirect: false,
      proxied: 'hello /proxied',
      afterProxied: true
    })
    expect(proxy.seen).toEqual([`CONNECT releases.foreign.test:443`])
  })
})
