// https to "foreign" hosts, on loopback: a test CA and a server certificate
// made at run time with openssl (the keys live in a temporary directory and
// are never committed), and an https front that serves an http sandbox server
// under a foreign name. Only our proxy resolves those names (proxy.mjs), so a
// job reaches them the way a runner reaches github.com through a corporate
// proxy: CONNECT, then TLS verified against NODE_EXTRA_CA_CERTS.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import os from 'node:os'
import path from 'node:path'
import { trackSockets } from './faults.mjs'
import { startProxy } from './proxy.mjs'

/** The foreign names the test certificate holds. */
export const FOREIGN_HOSTS = ['releases.foreign.test', 'api.foreign.test']

/**
 * A throwaway CA and a certificate it signed for `names`.
 * @returns {{ dir: string, caFile: string, key: Buffer, cert: Buffer, remove(): void }}
 */
export function makeTestCertificates(names = FOREIGN_HOSTS) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'test-ca-'))
  const file = (name) => path.join(dir, name)
  const openssl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' })
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes']
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=setup-upsun-cli test CA (run time only)',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign'
  )
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${names[0]}`)
  writeFileSync(
    file('server.ext'),
    `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}\nextendedKeyUsage=serverAuth\n`
  )
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '1',
    '-extfile',
    'server.ext'
  )
  // The CA's key has signed what it had to; nothing else may use it.
  rmSync(file('ca.key'))
  return {
    dir,
    caFile: file('ca.pem'),
    key: readFileSync(file('server.key')),
    cert: readFileSync(file('server.pem')),
    remove: () => rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Serves the http server at `upstream` over https as `publicOrigin`
 * (redirects rewritten to it), on a loopback port.
 * @param {{ upstream: string, publicOrigin: string, key: Buffer, cert: Buffer }} options
 */
export async function startTlsFront({ upstream, publicOrigin, key, cert }) {
  const up = new URL(upstream)
  const server = https.createServer({ key, cert }, (req, res) => {
    const forward = http.request(
      {
        host: up.hostname,
        port: up.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: up.host }
      },
      (answer) => {
        const headers = { ...answer.headers }
        if (typeof headers.location === 'string' && headers.location.startsWith(up.origin))
          headers.location = publicOrigin + headers.location.slice(up.origin.length)
        res.writeHead(answer.statusCode ?? 502, headers)
        answer.pipe(res)
      }
    )
    forward.on('error', () => res.destroy())
    req.pipe(forward)
  })
  const close = trackSockets(server)
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)))
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address())
  return { address: `127.0.0.1:${port}`, close }
}

/**
 * The sandbox's http servers under foreign https names, behind a CONNECT
 * proxy: `fronts` maps a foreign name to the http origin it serves.
 * `env` is what a job needs (proxy variables, the test CA).
 * @param {Record<string, string>} fronts
 * @param {{ hangConnect?: boolean }} [options]
 */
export async function startForeignSites(fronts, options = {}) {
  const certs = makeTestCertificates()
  const started = []
  const hosts = {}
  for (const [name, upstream] of Object.entries(fronts)) {
    const front = await startTlsFront({
      upstream,
      publicOrigin: `https://${name}`,
      key: certs.key,
      cert: certs.cert
    })
    started.push(front)
    hosts[name] = front.address
  }
  const proxy = await startProxy({ hosts, hangConnect: options.hangConnect })
  return {
    proxy,
    caFile: certs.caFile,
    /** For a job: every request through the proxy, the test CA trusted. */
    env: {
      HTTPS_PROXY: proxy.url,
      HTTP_PROXY: proxy.url,
      NO_PROXY: '',
      NODE_EXTRA_CA_CERTS: certs.caFile
    },
    async close() {
      await proxy.close()
      for (const front of started) await front.close()
      certs.remove()
    }
  }
}
