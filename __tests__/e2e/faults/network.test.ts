// Fault suite, network: where tokens go, which URLs are fetched, proxies,
// deadlines and body caps (the rules themselves live in src/net/http.ts and are unit-tested in __tests__/net/http.test.ts).
// Each case runs the bundled action end to end; see ./harness.ts for the
// checks and where the figures go. "Foreign" https hosts exist only behind
// our CONNECT proxy (sandbox/tls.mjs), as github.com does behind a corporate
// one; the job trusts a CA made for this run, through NODE_EXTRA_CA_CERTS.
import { afterAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { canRun, phpAvailable } from '../../../sandbox/availability.mjs'
import { deadPort } from '../../../sandbox/proxy.mjs'
import { makeTestCertificates, startForeignSites, startTlsFront } from '../../../sandbox/tls.mjs'
import { FaultSandbox, FaultSuite, type Case } from './harness.js'

const suite = new FaultSuite(import.meta.url)
const sb = new FaultSandbox(suite)

type Step = Awaited<ReturnType<FaultSuite['expectOutcome']>>
/** A case with checks that run whatever the outcome (what the servers saw, what the log holds). */
interface NetworkCase extends Case {
  after?: (step: Step) => void
}

const withPhp = canRun(
  'Web PaaS network cases',
  phpAvailable(),
  'PHP with the curl extension is missing'
)

const PROXY_SECRET = 'proxy-password-3f9a1c'
const FOREIGN_RELEASES = 'https://releases.foreign.test/upsun/cli/releases'
const foreignSites: Array<Awaited<ReturnType<typeof startForeignSites>>> = []
let foreign: Awaited<ReturnType<typeof startForeignSites>> | undefined
async function startForeign(
  options: { hangConnect?: boolean } = {}
): Promise<Record<string, string>> {
  foreign = await startForeignSites({ 'releases.foreign.test': sb.server.origin }, options)
  foreignSites.push(foreign)
  return foreign.env
}
/**
 * The release server over https on localhost (reached directly, through
 * node:https), with a certificate from a CA made for the run and not given
 * to the job: what a runner sees behind a TLS-inspecting proxy it was not
 * told about.
 */
let untrusted: { origin: string; close(): Promise<void> } | undefined
async function untrustedSite(): Promise<void> {
  const certs = makeTestCertificates(['localhost'])
  const front = await startTlsFront({
    upstream: sb.server.origin,
    publicOrigin: 'https://localhost',
    key: certs.key,
    cert: certs.cert
  })
  untrusted = {
    origin: `https://localhost:${front.address.split(':')[1]}`,
    async close() {
      await front.close()
      certs.remove()
    }
  }
}
let thief: { origin: string; seen: string[] } | undefined
/** A server that must never be asked anything: where hostile redirects point. */
async function thiefServer(): Promise<{ origin: string; seen: string[] }> {
  if (thief) return thief
  const seen: string[] = []
  const s = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`)
    res.end('{}')
  })
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  s.unref()
  thief = { origin: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, seen }
  return thief
}
const MIB = 1024 * 1024
const apiPaths = (): string[] => sb.api.requests.map((r: { path: string }) => r.path)
const smallArchive = Buffer.alloc(2048, 0x20)

const networkCases: NetworkCase[] = [
  {
    fault: 'token exchange answered 307 to another origin',
    expect: 'refused',
    message:
      /answered HTTP 307 \(a redirect to http:\/\/127\.0\.0\.1:\d+\/oauth2\/token\) to a request that carries a credential\. Such requests never follow a redirect.*Check `auth-url`/,
    inputs: () => sb.withToken(),
    inject: async () => {
      const t = await thiefServer()
      sb.api.fault(/^\/oauth2\/token$/, {
        status: 307,
        headers: { location: `${t.origin}/oauth2/token` }
      })
    },
    after: () => expect(thief?.seen).toEqual([])
  },
  {
    fault: '/users/me (Bearer token) answered 302 to another origin',
    expect: 'refused',
    message:
      /\/users\/me answered HTTP 302 \(a redirect to http:\/\/127\.0\.0\.1:\d+\/me\).*Check `api-url`/,
    inputs: () => sb.withToken(),
    inject: async () => {
      const t = await thiefServer()
      sb.api.fault(/^\/users\/me$/, { status: 302, headers: { location: `${t.origin}/me` } })
    },
    after: () => expect(thief?.seen).toEqual([])
  },
  {
    fault: 'releases-url over plain http to a remote host',
    expect: 'refused',
    message:
      /Input `releases-url` must use https; got "http:\/\/mirror\.example\.com\/upsun\/cli\/releases"\. Plain http is accepted only for a loopback address/,
    inputs: () => ({ ...sb.base(), 'releases-url': 'http://mirror.example.com/upsun/cli/releases' })
  },
  {
    fault: 'Web PaaS site over plain http to a remote host',
    expect: 'refused',
    message: /Input `releases-url` must use https; got "http:\/\/cli\.example\.com"/,
    inputs: () => ({ cli: 'webpaas', 'releases-url': 'http://cli.example.com' })
  },
  {
    fault: 'releases-url over plain http to `localhost.` (a DNS name, not loopback)',
    expect: 'refused',
    message:
      /Input `releases-url` must use https; got "http:\/\/localhost\.:\d+\/upsun\/cli\/releases"\. Plain http is accepted only for a loopback address/,
    inputs: () => ({
      ...sb.base(),
      'releases-url': `http://localhost.:${new URL(sb.server.origin).port}/upsun/cli/releases`
    })
  },
  {
    fault: 'https download redirected to plain http',
    expect: 'refused',
    message:
      /redirected to http:\/\/releases\.foreign\.test\/objects\/x\.tar\.gz, which was refused\. Plain http is accepted only for a loopback address/,
    env: () => startForeign(),
    inputs: () => ({ ...sb.base(), 'releases-url': FOREIGN_RELEASES }),
    inject: () =>
      sb.server.fault(/\/releases\/download\/.*\.tar\.gz$/, {
        status: 302,
        headers: { location: 'http://releases.foreign.test/objects/x.tar.gz' }
      }),
    // Nothing was ever asked for over plain http, through the proxy or not.
    after: () => expect(foreign?.proxy.seen.every((s) => s.startsWith('CONNECT '))).toBe(true)
  },
  {
    fault: 'HTTPS_PROXY set: https download through it, loopback token check direct',
    expect: 'survived',
    env: () => startForeign(),
    inputs: () => ({ ...sb.withToken(), 'releases-url': FOREIGN_RELEASES }),
    check: (step) => {
      expect(step.outputs['user-email']).not.toBe('')
      // The proxy carried the release site's tunnels and nothing else: the
      // token and access token went straight to the loopback API.
      const tunnels = foreign?.proxy.seen ?? []
      expect(tunnels.length).toBeGreaterThanOrEqual(1)
      expect(new Set(tunnels)).toEqual(new Set(['CONNECT releases.foreign.test:443']))
      expect(apiPaths()).toContain('/oauth2/token')
    }
  },
  {
    fault: 'proxy that is down',
    expect: 'refused',
    message:
      /Could not reach releases\.foreign\.test\. Proxy settings in force: HTTPS_PROXY=http:\/\/127\.0\.0\.1:\d+/,
    env: async () => ({ HTTPS_PROXY: `http://127.0.0.1:${await deadPort()}`, NO_PROXY: '' }),
    inputs: () => ({ ...sb.base(), 'releases-url': FOREIGN_RELEASES })
  },
  {
    fault: 'proxy with credentials and no scheme (user:secret@host:port), down',
    expect: 'refused',
    message: /Proxy settings in force: HTTPS_PROXY=\*\*\*@127\.0\.0\.1:\d+/,
    env: async () => ({
      HTTPS_PROXY: `proxyuser:${PROXY_SECRET}@127.0.0.1:${await deadPort()}`,
      NO_PROXY: ''
    }),
    inputs: () => ({ ...sb.base(), 'releases-url': FOREIGN_RELEASES }),
    after: (step) => expect(step.log).not.toContain('proxyuser')
  },
  {
    fault: 'proxy that never answers CONNECT',
    expect: 'refused',
    message:
      /Could not download .*\(no answer within 1\.5 s, after retries\).*Proxy settings in force: HTTPS_PROXY=http:\/\/127\.0\.0\.1:\d+/,
    // A deadline far past the idle timeout, so that the idle timeout is what
    // ends the tunnel however late a loaded machine fires timers (the figure stays stable).
    env: async () => ({
      ...(await startForeign({ hangConnect: true })),
      SETUP_UPSUN_CLI_HTTP_DEADLINE_MS: '20000'
    }),
    inputs: () => ({ ...sb.base(), 'releases-url': FOREIGN_RELEASES })
  },
  {
    fault: 'https release site whose certificate no CA the job trusts signed',
    expect: 'refused',
    message:
      /Could not download checksums\.txt \(unable to verify the first certificate.*\)\. The TLS certificate of localhost:\d+ was not accepted\. .*NODE_EXTRA_CA_CERTS=/,
    inject: untrustedSite,
    inputs: () => ({ ...sb.base(), 'releases-url': `${untrusted?.origin}/upsun/cli/releases` })
  },
  {
    fault: 'checksums.txt sent one byte a second',
    inputs: () => sb.base(),
    expect: 'refused',
    message:
      /Could not download checksums\.txt \(no complete answer from 127\.0\.0\.1:\d+ within 3\.0 s, after retries\)\. 127\.0\.0\.1:\d+ \(or a proxy on the way\) was too slow/,
    inject: () =>
      sb.server.fault(/^\/objects\/.*checksums\.txt$/, { kind: 'drip', delayMs: 1000 }, 10)
  },
  {
    fault: 'archive sent one byte every 0.1 s (its deadline grows with its size)',
    inputs: () => sb.base(),
    expect: 'refused',
    message:
      /Could not download upsun_.*\.tar\.gz \(the download was cut after \d+ bytes \(no complete answer from 127\.0\.0\.1:\d+ within 3\.0 s\), after retries\)/,
    inject: () => {
      sb.server.replace(sb.objectPath(sb.asset()), smallArchive)
      sb.server.replace(
        sb.objectPath('checksums.txt'),
        `${createHash('sha256').update(smallArchive).digest('hex')}  ${sb.asset()}\n`
      )
      sb.server.fault(/^\/objects\/.*\.tar\.gz$/, { kind: 'drip', delayMs: 100 }, 10)
    }
  },
  {
    fault: 'checksums.txt of 2 MiB',
    inputs: () => sb.base(),
    expect: 'refused',
    message: /checksums\.txt sent a 2097152-byte answer, more than 1048576 bytes, .*refused unread/,
    inject: () => sb.server.replace(sb.objectPath('checksums.txt'), Buffer.alloc(2 * MIB, 0x30))
  },
  {
    fault: '/users/me answers 2 MiB',
    expect: 'refused',
    message: /\/users\/me sent more than 1048576 bytes, far more than this request ever needs/,
    inputs: () => sb.withToken(),
    inject: () => sb.api.fault(/^\/users\/me$/, { status: 200, body: 'x'.repeat(2 * MIB) })
  },
  {
    fault: 'token exchange error with a 20 MB body',
    expect: 'refused',
    message: /The API token was rejected by 127\.0\.0\.1:\d+ \(HTTP 400\)/,
    inputs: () => sb.withToken(),
    inject: () =>
      sb.api.fault(/^\/oauth2\/token$/, { status: 400, body: 'x'.repeat(20 * 1000 * 1000) })
  },
  ...(withPhp
    ? [
        {
          fault: 'Web PaaS manifest.json of over 1 MiB',
          expect: 'refused' as const,
          message: /manifest\.json sent more than 1048576 bytes/,
          inputs: () => ({ cli: 'webpaas', 'releases-url': sb.site.url }),
          inject: () =>
            sb.site.setManifest((entries: Array<Record<string, string>>) =>
              Array.from({ length: 8000 }, () => entries).flat()
            )
        }
      ]
    : [])
]

const sandboxSecrets = suite.secrets
suite.secrets = () => [...sandboxSecrets(), PROXY_SECRET]
if (!withPhp) suite.skipped('network', 'Web PaaS manifest.json of over 1 MiB', 'needs PHP')

describe('faults: network', () => {
  afterAll(async () => {
    for (const f of foreignSites.splice(0)) await f.close()
    await untrusted?.close()
  })

  it.each(networkCases.map((c) => [c.fault, c] as const))('%s', async (_f, c) => {
    const step = await suite.expectOutcome('network', c)
    c.after?.(step)
  })

  it('leaks nothing in any of these runs (the proxy password included), and records its figures', () => {
    suite.expectNoLeaks(networkCases.length + (withPhp ? 0 : 1))
  })
})
