// The rules src/net/http.ts keeps for every request, proved against real
// loopback servers (not a mock dispatcher: which socket a request takes, and
// when it gives up, is the point). If a change to how requests are sent
// breaks one of them, a test here fails.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync, readdirSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { withoutProxyVariables } from '../../__fixtures__/network.js'
import { startProxy } from '../../sandbox/proxy.mjs'

// Short settings, read by settings.ts when http.ts is first imported.
process.env.SETUP_UPSUN_CLI_HTTP_TIMEOUT_MS = '10000'
process.env.SETUP_UPSUN_CLI_HTTP_DEADLINE_MS = '1000'

type HttpModule = typeof import('../../src/net/http.js')
type FailuresModule = typeof import('../../src/net/failures.js')
let net: HttpModule
let failures: FailuresModule

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void
interface TestServer {
  origin: string
  requests: string[]
  close(): Promise<void>
}
const servers: TestServer[] = []

async function serve(handler: Handler): Promise<TestServer> {
  const requests: string[] = []
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`)
    handler(req, res)
  })
  const sockets = new Set<import('node:net').Socket>()
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const s: TestServer = {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
  servers.push(s)
  return s
}

/** A body that never ends: it proves a reader stopped instead of draining. */
function endless(res: http.ServerResponse, status = 200): void {
  res.writeHead(status, { 'content-type': 'text/plain' })
  const chunk = Buffer.alloc(64 * 1024, 0x61)
  const pump = (): void => {
    while (!res.destroyed && res.write(chunk));
  }
  res.on('drain', pump)
  pump()
}

withoutProxyVariables()

beforeAll(async () => {
  net = await import('../../src/net/http.js')
  failures = await import('../../src/net/failures.js')
})
afterEach(async () => {
  // Agents read the proxy variables when made: start each test afresh.
  await net.closeHttp()
})
afterAll(async () => {
  for (const s of servers.splice(0)) await s.close()
})

describe('redirects on a request that carries a credential', () => {
  it.each([
    [
      'the token exchange (POST with a body)',
      { method: 'POST' as const, body: 'api_token=secret' }
    ],
    ['an API call with a Bearer token', { headers: { Authorization: 'Bearer secret' } }]
  ])(
    '%s: a 307 is an error naming the status and URL, and the target sees nothing',
    async (_name, options) => {
      const thief = await serve((_req, res) => res.end('{}'))
      const auth = await serve((_req, res) => {
        res.writeHead(307, { location: `${thief.origin}/steal?code=abc` })
        res.end()
      })
      await expect(net.send(`${auth.origin}/oauth2/token`, options)).rejects.toThrow(
        new RegExp(
          `^http://127\\.0\\.0\\.1:\\d+/oauth2/token answered HTTP 307 \\(a redirect to ${thief.origin}/steal\\) to a request that carries a credential`
        )
      )
      expect(thief.requests).toEqual([])
    }
  )

  it('is not followed even when the caller asks to follow', async () => {
    const auth = await serve((_req, res) => {
      res.writeHead(302, { location: '/elsewhere' })
      res.end()
    })
    await expect(
      net.send(`${auth.origin}/users/me`, {
        headers: { authorization: 'Bearer x' },
        followRedirects: true
      })
    ).rejects.toBeInstanceOf(net.RedirectRefused)
    expect(auth.requests).toEqual(['GET /users/me'])
  })
})

describe('redirects of a plain download', () => {
  it('are followed to loopback, and the answer says where it came from', async () => {
    const objects = await serve((_req, res) => res.end('file'))
    const site = await serve((_req, res) => {
      res.writeHead(302, { location: `${objects.origin}/object` })
      res.end()
    })
    const response = await net.send(`${site.origin}/download`)
    expect(await response.body.text()).toBe('file')
    expect(response.url).toBe(`${objects.origin}/object`)
  })

  it('to plain http on another host are refused before any connection, saying why', async () => {
    const site = await serve((_req, res) => {
      res.writeHead(302, { location: 'http://objects.example.com/file?X-Amz-Signature=s' })
      res.end()
    })
    await expect(net.send(`${site.origin}/download`)).rejects.toThrow(
      /redirected to http:\/\/objects\.example\.com\/file, which was refused\. Plain http is accepted only for a loopback address/
    )
  })

  it('to plain http on `localhost.` are refused: a name with a dot is resolved through DNS, not loopback', async () => {
    const site = await serve((req, res) => {
      res.writeHead(302, { location: `http://localhost.:${req.socket.localPort}/file` })
      res.end()
    })
    await expect(net.send(`${site.origin}/download`)).rejects.toThrow(
      /redirected to http:\/\/localhost\.:\d+\/file, which was refused\. Plain http is accepted only for a loopback address/
    )
    expect(site.requests).toEqual(['GET /download'])
  })

  it('to a URL with a user name and password are refused (credentials go only in our own headers)', async () => {
    let seen = 0
    const site = await serve((req, res) => {
      seen++
      res.writeHead(302, { location: `http://user:secret@${req.headers.host}/z` })
      res.end()
    })
    await expect(net.send(`${site.origin}/start`)).rejects.toThrow(
      /redirected to http:\/\/127\.0\.0\.1:\d+\/z, which was refused\. A URL that holds a user name or password is not fetched/
    )
    expect(seen).toBe(1)
  })

  it('to another scheme are refused', async () => {
    const site = await serve((_req, res) => {
      res.writeHead(301, { location: 'file:///etc/passwd' })
      res.end()
    })
    await expect(net.send(`${site.origin}/x`)).rejects.toThrow(/Only https .* not file/)
  })

  it('stop after five hops', async () => {
    const loop = await serve((req, res) => {
      res.writeHead(302, { location: `/hop${req.url?.length ?? 0}` })
      res.end()
    })
    await expect(net.send(`${loop.origin}/`)).rejects.toThrow(/redirected more than 5 times/)
    expect(loop.requests).toHaveLength(6)
  })

  it('are returned as they are when the caller asks (the `latest` lookup)', async () => {
    const site = await serve((_req, res) => {
      res.writeHead(302, { location: '/releases/tag/v1.2.3' })
      res.end()
    })
    const response = await net.send(`${site.origin}/releases/latest`, { followRedirects: false })
    expect(response.statusCode).toBe(302)
    expect(response.headers.location).toBe('/releases/tag/v1.2.3')
  })
})

describe('the URL rule', () => {
  it.each([
    [
      'http://releases.example.com/x',
      /Refused to fetch http:\/\/releases\.example\.com\/x\. Plain http is accepted only for a loopback address/
    ],
    ['ftp://127.0.0.1/x', /not ftp/]
  ])('%s is refused without a request', async (url, message) => {
    await expect(net.send(url)).rejects.toThrow(message)
  })
})

describe('proxies', () => {
  it('loopback is reached directly even when every proxy variable points elsewhere and NO_PROXY is empty', async () => {
    const proxy = await startProxy()
    try {
      const api = await serve((_req, res) => res.end('{}'))
      Object.assign(process.env, {
        HTTP_PROXY: proxy.url,
        HTTPS_PROXY: proxy.url,
        http_proxy: proxy.url,
        NO_PROXY: ''
      })
      const response = await net.send(`${api.origin}/users/me`, {
        headers: { authorization: 'Bearer x' }
      })
      expect(await response.body.text()).toBe('{}')
      expect(api.requests).toEqual(['GET /users/me'])
      expect(proxy.seen).toEqual([])
    } finally {
      await proxy.close()
    }
  })

  it('other hosts go through HTTPS_PROXY, also when it has no scheme (user:secret@host:port)', async () => {
    const proxy = await startProxy()
    try {
      process.env.HTTPS_PROXY = `user:s3cret@127.0.0.1:${proxy.port}`
      // The proxy knows no such host and refuses the tunnel: what matters is that it was asked.
      const error = await net.send('https://releases.foreign.test/x').catch((e: unknown) => e)
      expect(error).toBeInstanceOf(Error)
      expect(proxy.seen).toEqual(['CONNECT releases.foreign.test:443'])
      expect(proxy.headers[0]['proxy-authorization']).toBe(
        `Basic ${Buffer.from('user:s3cret').toString('base64')}`
      )
      expect(String(error)).not.toContain('s3cret')
    } finally {
      await proxy.close()
    }
  })
})

describe('deadlines', () => {
  it('a body sent one byte at a time ends at the overall deadline, not the idle timeout', async () => {
    const drip = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '100' })
      const timer = setInterval(() => res.write('x'), 50)
      res.on('close', () => clearInterval(timer))
    })
    const started = Date.now()
    const response = await net.send(`${drip.origin}/checksums.txt`)
    await expect(response.body.text()).rejects.toThrow(
      /^no complete answer from 127\.0\.0\.1:\d+ within 1\.0 s$/
    )
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('headers that never come end at the deadline', async () => {
    const stall = await serve(() => undefined)
    await expect(net.send(`${stall.origin}/x`)).rejects.toBeInstanceOf(net.DeadlineError)
  })

  it('a proxy that never answers CONNECT ends at the deadline', async () => {
    const proxy = await startProxy({ hangConnect: true })
    try {
      process.env.HTTPS_PROXY = proxy.url
      const started = Date.now()
      const error = await net.send('https://releases.foreign.test/x').catch((e: unknown) => e)
      expect(error).toBeInstanceOf(net.DeadlineError)
      expect(String(error)).toMatch(/no complete answer from releases\.foreign\.test within 1\.0 s/)
      expect(proxy.seen).toEqual(['CONNECT releases.foreign.test:443'])
      expect(Date.now() - started).toBeLessThan(5000)
      // And it is explained with the proxy settings in force.
      expect(
        failures.explainFailure(error, 'https://releases.foreign.test/x', 'download x').message
      ).toMatch(/Proxy settings in force: HTTPS_PROXY=http:\/\/127\.0\.0\.1:\d+/)
    } finally {
      await proxy.close()
    }
  })

  it('a download gets more time in proportion to its declared size', async () => {
    const size = 256 * 1024 // 2 s at the minimum rate: deadline 1 s + 2 s
    const slow = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(size) })
      let sent = 0
      const timer = setInterval(() => {
        res.write(Buffer.alloc(size / 8))
        sent += size / 8
        if (sent >= size) {
          clearInterval(timer)
          res.end()
        }
      }, 200)
      res.on('close', () => clearInterval(timer))
    })
    // 1.6 s in all: past the plain deadline, within the download's.
    const download = await net.send(`${slow.origin}/a.tar.gz`, { download: true })
    let bytes = 0
    for await (const chunk of download.body) bytes += chunk.length
    expect(bytes).toBe(size)
    const answer = await net.send(`${slow.origin}/a.tar.gz`)
    await expect(answer.body.text()).rejects.toBeInstanceOf(net.DeadlineError)
  })

  it('the download deadline follows the stated rule', () => {
    expect(net.downloadDeadlineMs(0)).toBe(1000)
    expect(net.downloadDeadlineMs(19 * 1024 * 1024)).toBeCloseTo(1000 + 152_000, -3)
    expect(net.downloadDeadlineMs(undefined)).toBe(1000 + 1024_000)
    expect(net.downloadDeadlineMs(10 * net.MAX_DOWNLOAD_BYTES)).toBe(1000 + 1024_000)
  })
})

describe('body caps', () => {
  it('a declared size over the cap is refused before the body is read', async () => {
    const big = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(2 * 1024 * 1024) })
      res.write('x') // and then nothing: reading would wait for the deadline
    })
    await expect(net.send(`${big.origin}/checksums.txt`)).rejects.toThrow(
      /sent a 2097152-byte answer, more than 1048576 bytes, .*refused unread/
    )
  })

  it('an endless answer is refused at the cap, not drained', async () => {
    const big = await serve((_req, res) => endless(res))
    const response = await net.send(`${big.origin}/manifest.json`)
    await expect(response.body.text()).rejects.toBeInstanceOf(net.BodyTooLarge)
  })

  it('an endless error body gives the HTTP error at once, with 16 KiB of the body', async () => {
    const big = await serve((_req, res) => endless(res, 500))
    const error = (await net.send(`${big.origin}/x`).catch((e: unknown) => e)) as InstanceType<
      FailuresModule['HttpError']
    >
    expect(error).toBeInstanceOf(failures.HttpError)
    expect(error.status).toBe(500)
    expect(error.body.length).toBe(16 * 1024)
  })

  it('a download has its own, larger cap', async () => {
    const big = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(net.MAX_DOWNLOAD_BYTES + 1) })
      res.write('x')
    })
    await expect(net.send(`${big.origin}/a.tar.gz`, { download: true })).rejects.toThrow(
      new RegExp(`more than ${net.MAX_DOWNLOAD_BYTES} bytes`)
    )
    const fine = await serve((_req, res) => res.end(Buffer.alloc(2 * 1024 * 1024)))
    const response = await net.send(`${fine.origin}/a.tar.gz`, { download: true })
    expect((await response.body.text()).length).toBe(2 * 1024 * 1024)
  })
})

describe('one place', () => {
  it('no module but src/net/http.ts and its client sends a request of its own (undici, fetch, node:http(s))', () => {
    const src = path.resolve(import.meta.dirname, '../../src')
    // send() keeps the rules; the client under it only carries its requests.
    const allowed = ['http.ts', 'client.ts'].map((f) => path.join('net', f))
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && !allowed.includes(path.normalize(f))
    )
    expect(files.length).toBeGreaterThan(20)
    const offenders = files.filter((f) => {
      const text = readFileSync(path.join(src, f), 'utf8')
      return (
        /^import (?!type\b)[^;]*from ['"](undici|node:https?|https?)['"]/m.test(text) ||
        /\b(import|getBuiltinModule)\(['"](undici|node:https?|https?)['"]\)/.test(text) ||
        // A call of the global fetch (a channel's own `fetch(release…)` method is not one).
        /(\bawait|=|\breturn|\(|globalThis\.)\s*fetch\(/.test(text)
      )
    })
    expect(offenders).toEqual([])
  })
})
