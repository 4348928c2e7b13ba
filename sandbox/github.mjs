// A loopback stand-in for GitHub's REST API, the parts the deploy and preview
// work uses, reached through
// GITHUB_API_URL as on GitHub Enterprise:
//   POST  /repos/{o}/{r}/deployments                  → 201 {id, …}; 403 without deployments: write
//   GET   /repos/{o}/{r}/deployments?environment=&sha= the deployments made so far
//   POST  /repos/{o}/{r}/deployments/{id}/statuses     → 201
//   GET   /repos/{o}/{r}/deployments/{id}/statuses
//   GET   /repos/{o}/{r}/issues/{n}/comments           PR comments
//   POST  /repos/{o}/{r}/issues/{n}/comments
//   PATCH /repos/{o}/{r}/issues/comments/{id}
// It records every request (the token replaced by which one it was), for
// assertions on what was sent.
import http from 'node:http'
import { answerWithFault, faultQueue, listenLoopback, trackSockets } from './faults.mjs'

/**
 * @param {{ tokens?: string[], readOnlyTokens?: string[] }} [options]
 *   tokens: tokens with `deployments: write` and `pull-requests: write`;
 *   readOnlyTokens: tokens GitHub knows but lets only read (403 on writes).
 */
export async function startGithubApi(options = {}) {
  const writers = new Set(options.tokens ?? [])
  const readers = new Set(options.readOnlyTokens ?? [])
  const faults = faultQueue()
  /** @type {{ method: string, path: string, query: string, token: string, body: any }[]} */
  const requests = []
  const deployments = []
  const statuses = new Map()
  const comments = []
  let ids = 1000

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const raw = await new Promise((resolve) => {
      let data = ''
      req.on('data', (c) => (data += c))
      req.on('end', () => resolve(data))
    })
    let body
    try {
      body = raw ? JSON.parse(raw) : undefined
    } catch {
      body = raw
    }
    const presented = (req.headers.authorization ?? '').replace(/^(Bearer|token) /i, '')
    const token = writers.has(presented)
      ? 'writer'
      : readers.has(presented)
        ? 'reader'
        : presented
          ? 'unknown'
          : 'none'
    requests.push({ method: req.method ?? '', path: url.pathname, query: url.search, token, body })
    const fault = faults.take(url.pathname)
    if (fault && answerWithFault(fault, req, res)) return

    const send = (status, value) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
      res.end(JSON.stringify(value))
    }
    if (token === 'none' || token === 'unknown')
      return send(401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest'
      })
    if (req.method !== 'GET' && token === 'reader')
      return send(403, {
        message: 'Resource not accessible by integration',
        documentation_url:
          'https://docs.github.com/rest/deployments/deployments#create-a-deployment',
        status: '403'
      })
    const repo = /^\/repos\/([^/]+)\/([^/]+)\/(.*)$/.exec(url.pathname)
    if (!repo) return send(404, { message: 'Not Found' })
    const [, owner, name, rest] = repo
    const base = `http://${req.headers.host}/repos/${owner}/${name}`
    if (rest === 'deployments' && req.method === 'POST') {
      if (!body?.ref) return send(422, { message: 'Validation Failed' })
      const deployment = {
        id: ++ids,
        url: `${base}/deployments/${ids}`,
        sha: body.ref,
        ref: body.ref,
        task: body.task ?? 'deploy',
        payload: body.payload ?? {},
        environment: body.environment ?? 'production',
        description: body.description ?? null,
        transient_environment: body.transient_environment ?? false,
        production_environment: body.production_environment ?? body.environment === 'production',
        created_at: new Date().toISOString()
      }
      deployments.unshift(deployment)
      statuses.set(deployment.id, [])
      return send(201, deployment)
    }
    if (rest === 'deployments' && req.method === 'GET') {
      const environment = url.searchParams.get('environment')
      const sha = url.searchParams.get('sha')
      return send(
        200,
        deployments.filter(
          (d) => (!environment || d.environment === environment) && (!sha || d.sha === sha)
        )
      )
    }
    const status = /^deployments\/(\d+)\/statuses$/.exec(rest)
    if (status) {
      const list = statuses.get(Number(status[1]))
      if (!list) return send(404, { message: 'Not Found' })
      if (req.method === 'GET') return send(200, list)
      if (req.method !== 'POST') return send(404, { message: 'Not Found' })
      const states = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success']
      if (!states.includes(body?.state)) return send(422, { message: 'Validation Failed' })
      if (typeof body.description === 'string' && body.description.length > 140)
        return send(422, {
          message: 'Validation Failed: description is too long (maximum is 140 characters)'
        })
      const entry = { id: ++ids, ...body, created_at: new Date().toISOString() }
      list.unshift(entry)
      return send(201, entry)
    }
    const issue = /^issues\/(\d+)\/comments$/.exec(rest)
    if (issue && req.method === 'GET')
      return send(
        200,
        comments.filter((c) => c.issue === Number(issue[1]))
      )
    if (issue && req.method === 'POST') {
      const comment = {
        id: ++ids,
        issue: Number(issue[1]),
        body: body?.body ?? '',
        user: { login: 'github-actions[bot]', type: 'Bot' }
      }
      comments.push(comment)
      return send(201, comment)
    }
    const edit = /^issues\/comments\/(\d+)$/.exec(rest)
    if (edit && req.method === 'PATCH') {
      const comment = comments.find((c) => c.id === Number(edit[1]))
      if (!comment) return send(404, { message: 'Not Found' })
      comment.body = body?.body ?? comment.body
      return send(200, comment)
    }
    send(404, { message: 'Not Found' })
  })
  const close = trackSockets(server)
  const origin = await listenLoopback(server)
  return {
    origin,
    requests,
    deployments,
    /** Statuses of one deployment, oldest first. */
    statusesOf: (id) => [...(statuses.get(id) ?? [])].reverse(),
    comments,
    fault: (pattern, fault, times = 1) => faults.add(pattern, fault, times),
    clearFaults: () => faults.clear(),
    close
  }
}
