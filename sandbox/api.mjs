// A loopback stand-in for the Upsun API, enough for the action and the real
// CLI (which reaches it through UPSUN_CLI_API_AUTH_URL / UPSUN_CLI_API_BASE_URL):
//   POST /oauth2/token   grant_type=api_token → a JWT-shaped access token
//   GET  /users/me       Bearer access token → the token's user
//   POST /ssh            {"key": "<public key>"} → {"certificate": …}, signed by
//                        a test CA with the real ssh-keygen
//   GET  /projects/…     projects, environments, deployments, user access
//                        (projects.mjs); activities, logs and environment
//                        operations, with scripted deploys (deploys.mjs)
// Faults can be queued per path, as on the releases server.
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { answerWithFault, faultQueue, listenLoopback, trackSockets } from './faults.mjs'
import { createWorld } from './deploys.mjs'
import { SANDBOX_PROJECTS, answerProjects } from './projects.mjs'

export const SANDBOX_USER = {
  id: '7d2b3c4e-0000-4000-8000-00000000c0de',
  username: 'deploy-bot',
  email: 'deploy-bot@example.com',
  first_name: 'Deploy',
  last_name: 'Bot',
  phone_number_verified: true
}

/** A second user, for cases where two tokens must act as two different people. */
export const OTHER_USER = {
  id: '5e1f0a9b-0000-4000-8000-0000000f00d5',
  username: 'other-bot',
  email: 'other-bot@example.com',
  first_name: 'Other',
  last_name: 'Bot',
  phone_number_verified: true
}

const b64url = (value) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')

/**
 * @param {{ tokens?: string[], users?: Record<string, typeof SANDBOX_USER>,
 *   ca?: { key: string, pub: string }, principals?: string[], port?: number }} [options]
 *   tokens: API tokens the server accepts, as SANDBOX_USER. users: more tokens, each
 *   with its own user. ca: a CA key pair to sign SSH keys with. port: a fixed
 *   loopback port (`npm run sandbox`); a free one by default.
 */
export async function startApiServer(options = {}) {
  const usersByToken = new Map(Object.entries(options.users ?? {}))
  const validTokens = new Set([...(options.tokens ?? []), ...usersByToken.keys()])
  const accessTokens = new Map()
  const faults = faultQueue()
  /** Requests, with secrets replaced by their kind, for assertions. */
  const requests = []
  let certificates = 0
  const world = createWorld(SANDBOX_PROJECTS)

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const body = await readBody(req)
    requests.push({
      method: req.method,
      path: url.pathname,
      headers: req.headers,
      body,
      at: Date.now()
    })
    const fault = faults.take(url.pathname)
    if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs ?? 1000))
    else if (fault?.kind === 'garbage') {
      res.writeHead(200, { 'content-type': 'text/html' })
      return res.end('<html>captive portal</html>')
    } else if (fault && answerWithFault(fault, req, res)) return

    if (req.method === 'POST' && url.pathname === '/oauth2/token') {
      const form = new URLSearchParams(body)
      const token = form.get('api_token') ?? ''
      if (form.get('grant_type') !== 'api_token' || !validTokens.has(token)) {
        return json(res, 400, { error: 'invalid_grant', error_description: 'Invalid API token' })
      }
      const now = Math.floor(Date.now() / 1000)
      const who = usersByToken.get(token) ?? SANDBOX_USER
      const access = [
        b64url({ alg: 'RS256', typ: 'JWT' }),
        b64url({
          sub: who.id,
          iat: now,
          exp: now + 900,
          jti: randomBytes(8).toString('hex'),
          scp: ['account']
        }),
        randomBytes(32).toString('base64url')
      ].join('.')
      accessTokens.set(access, who)
      return json(res, 200, { access_token: access, expires_in: 900, token_type: 'bearer' })
    }
    // The sandbox git host's post-receive hook (loopback only): ref, commit, then push options.
    const received = /^\/__sandbox\/received\/([^/]+)$/.exec(url.pathname)
    if (req.method === 'POST' && received) {
      const [ref, commit, ...options] = body.split('\n')
      world.received(decodeURIComponent(received[1]), {
        ref,
        commit,
        options: Object.fromEntries(
          options.filter(Boolean).map((o) => o.split(/=(.*)/s).slice(0, 2))
        )
      })
      return json(res, 200, { received: ref })
    }
    const user = accessTokens.get((req.headers.authorization ?? '').replace(/^Bearer /i, ''))
    if (req.method === 'GET' && url.pathname === '/users/me') {
      return user ? json(res, 200, user) : json(res, 401, { error: 'invalid_token' })
    }
    if (req.method === 'GET' && /^\/(api\/)?users\/[^/]+$/.test(url.pathname)) {
      return user ? json(res, 200, user) : json(res, 401, { error: 'invalid_token' })
    }
    if (req.method === 'POST' && url.pathname === '/ssh') {
      if (!user) return json(res, 401, { error: 'invalid_token' })
      if (!options.ca) return json(res, 404, { error: 'no certifier in this sandbox' })
      let key
      try {
        key = JSON.parse(body).key
      } catch {
        return json(res, 400, { error: 'bad request' })
      }
      certificates++
      return json(res, 200, {
        certificate: signKey(options.ca, key, user.id, options.principals ?? ['git'])
      })
    }
    const reply = (status, value, type) =>
      type
        ? (res.writeHead(status, { 'content-type': type }), res.end(value))
        : json(res, status, value)
    if (answerProjects(req, url, user, reply, world, body)) return
    json(res, 404, { error: 'not found' })
  })
  const close = trackSockets(server)
  const origin = await listenLoopback(server, options.port)
  return {
    origin,
    requests,
    get certificates() {
      return certificates
    },
    /** Access tokens issued so far (for leak checks). */
    get accessTokens() {
      return [...accessTokens.keys()]
    },
    /** Scripted deploys and the environments' state (deploys.mjs). */
    world,
    fault: (pattern, fault, times = 1) => faults.add(pattern, fault, times),
    clearFaults: () => faults.clear(),
    close
  }
}

function readBody(req) {
  return new Promise((resolve) => {
    let data = ''
    req.on('data', (c) => (data += c))
    req.on('end', () => resolve(data))
    req.on('error', () => resolve(data))
  })
}

function json(res, status, value) {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(value))
}

/** A test certificate authority (ed25519), made with the real ssh-keygen. */
export function makeCa(dir = mkdtempSync(path.join(os.tmpdir(), 'sandbox-ca-'))) {
  const key = path.join(dir, 'ca')
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'sandbox-ca', '-f', key])
  return { key, pub: `${key}.pub` }
}

/** Signs a public key as a one-hour user certificate, as the platform's certifier does. */
function signKey(ca, publicKey, keyId, principals) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sandbox-sign-'))
  const pub = path.join(dir, 'key.pub')
  writeFileSync(pub, publicKey.trim() + '\n')
  execFileSync('ssh-keygen', [
    '-q',
    '-s',
    ca.key,
    '-I',
    keyId,
    '-n',
    principals.join(','),
    '-V',
    '-1m:+1h',
    pub
  ])
  return readFileSync(path.join(dir, 'key-cert.pub'), 'utf8').trim()
}
