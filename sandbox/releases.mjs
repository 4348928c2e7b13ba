// A loopback server that behaves like GitHub Releases for the sandbox:
//   GET /{owner}/{repo}/releases/latest              302 → …/releases/tag/{tag}
//   GET /{owner}/{repo}/releases/download/{tag}/{f}  302 → /objects/… (another
//                                                     path, as GitHub answers
//                                                     with an object-store URL)
//   GET /objects/…                                   200 the file, Content-Length set
//   GET /api/v3/repos/{owner}/{repo}/releases        the REST release list
// Faults can be queued per path pattern to test what the action survives, and
// the network can be shaped (a latency per request, a bandwidth cap per
// response) so that the benchmark feels round trips as a real network does.
import { once } from 'node:events'
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { answerWithFault, faultQueue, listenLoopback, trackSockets } from './faults.mjs'

/** @typedef {{ tag: string, dir: string, prerelease?: boolean }} ReleaseFixture */

/**
 * @param {{ repos: Record<string, ReleaseFixture[]>, port?: number }} options
 *   repos: 'owner/repo' → releases, newest first (the first non-prerelease is "latest").
 *   port: a fixed loopback port (`npm run sandbox`); a free one by default.
 */
export async function startReleaseServer({ repos, port = 0 }) {
  const faults = faultQueue()
  /** @type {{ method: string, url: string, headers: import('node:http').IncomingHttpHeaders, at: number, finishedAt: number }[]} */
  const requests = []
  /** @type {Map<string, Buffer>} replaced object bodies, by object path */
  const replaced = new Map()
  /** Network shaping, off by default. @type {{ latencyMs: number, bytesPerSecond: number }} */
  let shaping = { latencyMs: 0, bytesPerSecond: 0 }

  const server = http.createServer((req, res) => {
    // The latency is paid before the answer starts, once per request: what a
    // round trip to a distant server costs (redirect hops included).
    if (shaping.latencyMs > 0) setTimeout(() => handle(req, res), shaping.latencyMs)
    else handle(req, res)
  })

  function handle(req, res) {
    const entry = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      at: Date.now(),
      finishedAt: 0
    }
    requests.push(entry)
    res.on('finish', () => (entry.finishedAt = Date.now()))
    const url = new URL(req.url ?? '/', 'http://x')
    const fault = faults.take(url.pathname)
    if (fault && answerWithFault(fault, req, res)) return
    route(url, req, res, fault)
  }
  const close = trackSockets(server)
  const origin = await listenLoopback(server, port)

  function route(url, req, res, fault) {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent)
    // REST API
    if (
      parts[0] === 'api' &&
      parts[1] === 'v3' &&
      parts[2] === 'repos' &&
      parts[5] === 'releases'
    ) {
      const list = repos[`${parts[3]}/${parts[4]}`]
      if (!list) return notFound(res)
      const perPage = Number(url.searchParams.get('per_page') ?? 30)
      const page = Number(url.searchParams.get('page') ?? 1)
      const items = list.slice((page - 1) * perPage, page * perPage).map((r) => ({
        tag_name: r.tag,
        draft: false,
        prerelease: Boolean(r.prerelease),
        html_url: `${origin}/${parts[3]}/${parts[4]}/releases/tag/${r.tag}`
      }))
      res.writeHead(200, { 'content-type': 'application/json', 'x-ratelimit-remaining': '59' })
      return res.end(JSON.stringify(items))
    }
    if (parts[0] === 'objects') return serveObject(url.pathname, parts.slice(1), res, fault)
    const [owner, repo, releases, action, tag, file] = parts
    const list = repos[`${owner}/${repo}`]
    if (!list || releases !== 'releases') return notFound(res)
    if (action === 'latest' && parts.length === 4) {
      const latest = list.find((r) => !r.prerelease)
      if (!latest) return notFound(res)
      res.writeHead(302, {
        location: `${origin}/${owner}/${repo}/releases/tag/${encodeURIComponent(latest.tag)}`
      })
      return res.end()
    }
    if (action === 'tag' && tag) {
      res.writeHead(200, { 'content-type': 'text/html' })
      return res.end(`<html><body>Release ${tag}</body></html>`)
    }
    if (action === 'download' && tag && file && parts.length === 6) {
      const release = list.find((r) => r.tag === tag)
      const object = `/objects/${owner}/${repo}/${encodeURIComponent(tag)}/${encodeURIComponent(file)}`
      if (!release || (!replaced.has(object) && !existsSync(path.join(release.dir, file))))
        return notFound(res)
      res.writeHead(302, {
        location: `${origin}/objects/${owner}/${repo}/${encodeURIComponent(tag)}/${encodeURIComponent(file)}?X-Amz-Signature=sandbox`
      })
      return res.end()
    }
    return notFound(res)
  }

  function serveObject(pathname, [owner, repo, tag, file], res, fault) {
    const release = repos[`${owner}/${repo}`]?.find((r) => r.tag === tag)
    const filePath = release && file && !file.includes('/') ? path.join(release.dir, file) : ''
    const replacement = replaced.get(pathname)
    if (!replacement && (!filePath || !existsSync(filePath))) return notFound(res)
    const size = replacement ? replacement.length : statSync(filePath).size
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(size)
    })
    if (fault?.kind === 'cut' || fault?.kind === 'truncate') {
      // Send part of the body, then close: 'cut' resets, 'truncate' ends politely.
      const stream = replacement ? null : createReadStream(filePath, { end: Math.floor(size / 3) })
      const finish = () => (fault.kind === 'cut' ? res.socket?.destroy() : res.socket?.end())
      if (!stream) {
        res.write(replacement.subarray(0, Math.floor(size / 3)))
        return finish()
      }
      stream.on('data', (c) => res.write(c))
      stream.on('end', finish)
      return
    }
    if (fault?.kind === 'drip') {
      // The whole body, one byte every delayMs: never idle long enough to trip an idle timeout.
      const body = replacement ?? readFileSync(filePath)
      let i = 0
      const timer = setInterval(() => {
        if (i >= body.length) {
          clearInterval(timer)
          return res.end()
        }
        res.write(body.subarray(i, ++i))
      }, fault.delayMs ?? 1000)
      res.on('close', () => clearInterval(timer))
      return
    }
    if (fault?.kind === 'garbage') {
      return res.end(Buffer.alloc(size, 0x41))
    }
    const body = replacement ? [replacement] : createReadStream(filePath)
    if (shaping.bytesPerSecond > 0) return void paced(body, res, shaping.bytesPerSecond)
    if (replacement) return res.end(replacement)
    body.pipe(res)
  }

  /** Sends a body no faster than `rate` bytes per second (in 16 KiB slices). */
  async function paced(body, res, rate) {
    const SLICE = 16 * 1024
    const start = performance.now()
    let sent = 0
    try {
      for await (const chunk of body) {
        for (let i = 0; i < chunk.length; i += SLICE) {
          const part = chunk.subarray(i, i + SLICE)
          const wait = start + (sent / rate) * 1000 - performance.now()
          if (wait >= 1) await sleep(wait)
          sent += part.length
          if (!res.write(part)) await once(res, 'drain')
        }
      }
      res.end()
    } catch {
      res.destroy()
    }
  }

  function notFound(res) {
    res.writeHead(404, { 'content-type': 'text/plain' })
    res.end('Not Found')
  }

  return {
    origin,
    /** `{origin}/{owner}/{repo}/releases`, a value for `releases-url`. */
    releasesUrl: (repo) => `${origin}/${repo}/releases`,
    /** GITHUB_API_URL for a run whose GITHUB_SERVER_URL is `origin`. */
    apiUrl: `${origin}/api/v3`,
    requests,
    /** Queue a fault for the next `times` requests whose path matches. */
    fault(pattern, fault, times = 1) {
      faults.add(pattern, fault, times)
    },
    clearFaults() {
      faults.clear()
    },
    /** Serve other bytes at one object path, e.g. `/objects/upsun/cli/v5.11.1/checksums.txt`. */
    replace(objectPath, body) {
      replaced.set(objectPath, Buffer.from(body))
    },
    restore() {
      replaced.clear()
    },
    /**
     * Shape the network: `latencyMs` before every answer, object bodies sent at
     * most `bytesPerSecond`. `shape()` turns it off.
     */
    shape({ latencyMs = 0, bytesPerSecond = 0 } = {}) {
      shaping = { latencyMs, bytesPerSecond }
    },
    close
  }
}
