// Activities and environment operations of the Upsun API stand-in, with the
// shapes the CLI and the action read (one world per API server, so
// that an operation in one suite never shows in another):
//   GET    /projects/{p}/environments/{e}/activities     newest first (?count, ?type, ?state)
//   GET    /projects/{p}/activities                       the same for the whole project
//   GET    /projects/{p}/activities/{id}                  one activity
//   GET    [/api]/projects/{p}/activities/{id}/log        NDJSON, ending {"seal":true} once complete
//   POST   /projects/{p}/environments/{e}/branch          {name, title, type, clone_parent}
//   POST   /projects/{p}/environments/{e}/activate | deactivate
//   PATCH  /projects/{p}/environments/{e}                 {title}
//   DELETE /projects/{p}/environments/{e}                 only when inactive
// Scripted deploys (script()) move one step each time the environment's (or
// the project's) activity list is read, so a case plays out the same on
// every run whatever the machine's speed.
import { createHash } from 'node:crypto'

/** States a scripted deploy walks through; the last one ends it. */
const ENDS = {
  success: { state: 'complete', result: 'success' },
  failure: { state: 'complete', result: 'failure', failure_reason: 'error' },
  // The deploy hook failed, and the activity still says success.
  'hook-failure': { state: 'complete', result: 'success', hookExit: 1 },
  cancelled: { state: 'cancelled', result: 'failure' },
  staged: { state: 'staged', result: null }
}

/** A deterministic commit id for seeded pushes. */
export const seededCommit = (project, environment) =>
  createHash('sha1').update(`${project}/${environment}`).digest('hex')

/**
 * @param {{ id: string, environments: object[] }[]} projects the fixtures (copied, never changed)
 */
export function createWorld(projects) {
  /** @type {Map<string, any[]>} */
  const environments = new Map()
  /** @type {Map<string, any[]>} newest first */
  const activities = new Map()
  /** Scripted deploys not yet shown or not yet finished. */
  const scripts = []
  /** Repository URLs the project answers, where a test serves one. */
  const repositories = new Map()
  let sequence = 0
  let clock = Date.parse('2026-12-01T10:00:00Z')
  const now = () => new Date((clock += 1000)).toISOString()
  const newId = () => `act${String(++sequence).padStart(9, '0')}`

  function environmentsOf(projectId) {
    if (!environments.has(projectId)) {
      const project = projects.find((p) => p.id === projectId)
      const list = (project?.environments ?? []).map((e) => ({
        ...e,
        title: e.title ?? e.id,
        head_commit: e.status === 'inactive' ? null : seededCommit(projectId, e.id),
        deployment: { successful: true, failure_reason: null, commands: [] }
      }))
      environments.set(projectId, list)
      const seeded = []
      for (const e of list.filter((x) => x.head_commit)) {
        seeded.push(
          activity(projectId, e, 'environment.push', e.head_commit, { ...ENDS.success }),
          activity(projectId, e, 'environment.cron', null, { ...ENDS.success })
        )
      }
      activities.set(projectId, seeded.reverse())
    }
    return environments.get(projectId) ?? []
  }

  function activity(projectId, environment, type, commit, end, extra = {}) {
    const at = now()
    const complete = end.state === 'complete'
    return {
      id: newId(),
      type,
      project: projectId,
      environments: [environment.id],
      state: end.state,
      result: end.result ?? null,
      failure_reason: end.failure_reason ?? null,
      completion_percent: complete ? 100 : 0,
      created_at: at,
      started_at: at,
      completed_at: complete ? at : null,
      cancelled_at: end.state === 'cancelled' ? at : null,
      updated_at: at,
      parameters: commit
        ? {
            user: 'deploy-bot',
            environment: environment.id,
            old_commit: environment.head_commit,
            new_commit: commit
          }
        : { environment: environment.id },
      payload: commit ? { commits: [{ sha: commit }], environment: { head_commit: commit } } : {},
      commands: commit ? [{ app: 'app', type: 'deploy', exit_code: end.hookExit ?? 0 }] : [],
      text: `${type} on ${environment.id}`,
      description: `<user>deploy-bot</user> ran ${type}`,
      log: '',
      _links: {
        self: { href: `/api/projects/${projectId}/activities/${sequence}` },
        log: { href: '' }
      },
      // Sandbox bookkeeping, removed from answers.
      _log: extra.log ?? defaultLog(type, end),
      _seal: extra.seal ?? true,
      ...extra.fields
    }
  }

  function add(projectId, a) {
    a._links.self.href = `/api/projects/${projectId}/activities/${a.id}`
    a._links.log.href = `/api/projects/${projectId}/activities/${a.id}/log`
    activities.get(projectId).unshift(a)
    return a
  }

  /** Moves every scripted deploy of the project one step. */
  function tick(projectId) {
    for (const s of scripts.filter((x) => x.project === projectId && !x.done)) {
      const environment = environmentsOf(projectId).find((e) => e.id === s.environment)
      if (!environment) continue
      if (s.onPush && !s.pushed) continue
      if (s.appearAfter-- > 0) continue
      if (!s.activity) {
        s.activity = add(
          projectId,
          activity(projectId, environment, s.type, s.commit, { state: 'pending' }, s)
        )
        if (s.type === 'environment.push') environment.head_commit = s.commit
        s.index = 0
      } else s.index++
      const step = s.steps[Math.min(s.index, s.steps.length - 1)]
      const a = s.activity
      a.updated_at = now()
      if (ENDS[step]) {
        const end = ENDS[step]
        Object.assign(a, {
          state: end.state,
          result: end.result,
          failure_reason: end.failure_reason ?? null,
          completion_percent: end.state === 'complete' ? 100 : a.completion_percent,
          completed_at: end.state === 'complete' ? a.updated_at : null,
          cancelled_at: end.state === 'cancelled' ? a.updated_at : null,
          commands: [{ app: 'app', type: 'deploy', exit_code: end.hookExit ?? 0 }]
        })
        if (!s.logGiven) a._log = defaultLog(s.type, end)
        if (end.state === 'complete') {
          environment.head_commit = s.commit
          environment.deployment = {
            successful: end.result === 'success' && !end.hookExit,
            failure_reason: end.failure_reason ?? null,
            commands: a.commands
          }
        }
        s.done = true
      } else {
        a.state = step
        if (step === 'in_progress') a.completion_percent = Math.min(90, a.completion_percent + 30)
      }
    }
  }

  function dirty(projectId, environment) {
    return (activities.get(projectId) ?? []).some(
      (a) =>
        a.environments.includes(environment.id) &&
        ['pending', 'in_progress', 'scheduled'].includes(a.state) &&
        !a.type.startsWith('environment.cron')
    )
  }

  return {
    environmentsOf,
    /** The environment as the API shows it. */
    decorate(projectId, environment) {
      environmentsOf(projectId)
      const busy = dirty(projectId, environment)
      return {
        head_commit: environment.head_commit,
        is_dirty: busy,
        has_deployment: environment.status === 'active' && Boolean(environment.head_commit),
        has_staged_activities: (activities.get(projectId) ?? []).some(
          (a) => a.state === 'staged' && a.environments.includes(environment.id)
        ),
        is_pr: /^pr-\d+$/.test(environment.id),
        deployment_state: {
          last_deployment_successful: environment.deployment.successful,
          last_deployment_failure_reason: environment.deployment.failure_reason,
          last_deployment_commands: environment.deployment.commands,
          last_deployment_at: '2026-12-01T10:00:00Z'
        }
      }
    },
    /**
     * Scripts a deploy. steps: states in order, the last one of success,
     * failure, hook-failure, cancelled or staged. appearAfter: list reads
     * before it shows (a push that arrives late). onPush: shows only once
     * the sandbox's git host received that commit (received()).
     * @param {{ project: string, environment: string, commit: string, steps: string[],
     *   type?: string, appearAfter?: number, log?: string[], seal?: boolean, onPush?: boolean }} s
     */
    script(s) {
      environmentsOf(s.project)
      scripts.push({
        type: 'environment.push',
        appearAfter: 0,
        ...s,
        logGiven: Boolean(s.log),
        log: s.log
      })
    },
    /** The list, newest first, after one tick; filters as the PHP client sends them. */
    list(projectId, environmentId, query) {
      environmentsOf(projectId)
      tick(projectId)
      const types = query.getAll('type')
      const states = query.getAll('state')
      const count = Number(query.get('count') || 100)
      return (activities.get(projectId) ?? [])
        .filter((a) => !environmentId || a.environments.includes(environmentId))
        .filter((a) => types.length === 0 || types.includes(a.type))
        .filter((a) => states.length === 0 || states.includes(a.state))
        .slice(0, count)
        .map(shown)
    },
    one(projectId, id) {
      environmentsOf(projectId)
      const a = (activities.get(projectId) ?? []).find((x) => x.id === id)
      return a && shown(a)
    },
    /** The log as NDJSON; sealed once the activity is over (unless scripted not to). */
    log(projectId, id) {
      environmentsOf(projectId)
      const a = (activities.get(projectId) ?? []).find((x) => x.id === id)
      if (!a) return undefined
      const lines = a._log.map((message, i) =>
        JSON.stringify({
          _id: `${a.id}-${i}`,
          data: { timestamp: a.created_at, message: `${message}\n` }
        })
      )
      const over = !['pending', 'in_progress', 'scheduled'].includes(a.state)
      if (over && a._seal) lines.push(JSON.stringify({ seal: true }))
      return lines.join('\n') + '\n'
    },
    /** An operation finished at once: the activity it made, complete and successful. */
    operation(projectId, environment, type) {
      return shown(add(projectId, activity(projectId, environment, type, null, ENDS.success)))
    },
    branch(projectId, parent, body) {
      const list = environmentsOf(projectId)
      const created = {
        id: body.name,
        machine_name: `${body.name}-${createHash('sha1').update(body.name).digest('hex').slice(0, 7)}`,
        type: body.type ?? 'development',
        status: 'active',
        title: body.title ?? body.name,
        parent: parent.id,
        head_commit: parent.head_commit,
        deployment: { successful: true, failure_reason: null, commands: [] }
      }
      list.push(created)
      return {
        environment: created,
        activity: this.operation(projectId, created, 'environment.branch')
      }
    },
    /** An environment made outside the API (the GitHub integration's pr-N, say), active, without a deploy yet. */
    create(projectId, fields) {
      const created = {
        machine_name: `${fields.id}-${createHash('sha1').update(fields.id).digest('hex').slice(0, 7)}`,
        type: 'development',
        status: 'active',
        title: fields.id,
        parent: 'main',
        head_commit: null,
        deployment: { successful: true, failure_reason: null, commands: [] },
        ...fields
      }
      environmentsOf(projectId).push(created)
      return created
    },
    /** Serves the project's git repository at this URL (the sandbox sshd's bare repository). */
    setRepository(projectId, url) {
      repositories.set(projectId, url)
    },
    repositoryOf(projectId) {
      return repositories.get(projectId)
    },
    /**
     * A push the git host received (its post-receive hook): creates the
     * environment as the platform does (push options environment.parent and
     * environment.status=active), then starts the scripted deploy of that
     * commit, or a successful one when none was scripted.
     * @param {string} projectId
     * @param {{ ref: string, commit: string, options: Record<string, string> }} push
     */
    received(projectId, { ref, commit, options }) {
      const id = ref.replace(/^refs\/heads\//, '')
      const list = environmentsOf(projectId)
      if (!list.some((e) => e.id === id)) {
        const parent = list.find((e) => e.id === (options['environment.parent'] || 'main'))
        this.create(projectId, {
          id,
          parent: parent?.id ?? null,
          status: options['environment.status'] === 'active' ? 'active' : 'inactive',
          head_commit: parent?.head_commit ?? null
        })
      }
      const waiting = scripts.filter(
        (x) => x.project === projectId && x.environment === id && x.commit === commit && x.onPush
      )
      for (const x of waiting) x.pushed = true
      if (waiting.length === 0)
        this.script({
          project: projectId,
          environment: id,
          commit,
          steps: ['in_progress', 'success']
        })
    },
    remove(projectId, environment) {
      const list = environmentsOf(projectId)
      list.splice(list.indexOf(environment), 1)
    }
  }
}

function shown(a) {
  const copy = { ...a }
  for (const key of Object.keys(copy)) if (key.startsWith('_') && key !== '_links') delete copy[key]
  return copy
}

function defaultLog(type, end) {
  if (type !== 'environment.push' && type !== 'environment.redeploy') return [`${type}: done`]
  const lines = [
    'Found 1 new commit',
    "Building application 'app' (runtime type: nodejs:22)",
    '  Running build hook',
    '  npm ci: added 412 packages'
  ]
  if (end.result === 'failure' && end.state === 'complete')
    return [
      ...lines,
      '  npm run build: exit status 1',
      'E: Error building project: Step failed with status code 1.'
    ]
  if (end.state === 'cancelled') return [...lines, 'Activity cancelled']
  lines.push('Provisioning certificates', 'Redeploying environment main', '  Running deploy hook')
  if (end.hookExit)
    lines.push(
      '  php artisan migrate: SQLSTATE[42S01] table already exists',
      '  Deploy hook failed with exit code 1'
    )
  return [...lines, 'Environment configuration', '  app (type: nodejs:22, cpu: 0.5, memory: 224)']
}

/** Activities, their logs, and the environment operations; false when `rest` is none. */
export function answerDeploys(req, url, project, rest, reply, world, body) {
  if (req.method === 'GET' && rest === 'activities')
    return (reply(200, world.list(project.id, '', url.searchParams)), true)
  const act = /^activities\/([^/]+)(\/log)?$/.exec(rest)
  if (req.method === 'GET' && act) {
    if (act[2]) {
      // The CLI strips the query string: a count inherited from the list is refused.
      if (url.searchParams.has('count'))
        return (
          reply(400, { status: 'error', code: 400, message: 'Unknown parameter count' }),
          true
        )
      const log = world.log(project.id, act[1])
      return (
        log === undefined
          ? reply(404, notFound('Activity not found'))
          : reply(200, log, 'application/x-ndjson'),
        true
      )
    }
    const one = world.one(project.id, act[1])
    return (one ? reply(200, one) : reply(404, notFound('Activity not found')), true)
  }
  const env = /^environments\/([^/]+)(?:\/(activities|branch|activate|deactivate))?$/.exec(rest)
  if (!env) return false
  const environment = world
    .environmentsOf(project.id)
    .find((e) => e.id === decodeURIComponent(env[1]))
  const op = env[2]
  if (req.method === 'GET' && op === 'activities') {
    if (!environment) return (reply(404, notFound('Environment not found')), true)
    return (reply(200, world.list(project.id, environment.id, url.searchParams)), true)
  }
  if (req.method === 'GET') return false
  if (!environment) return (reply(404, notFound('Environment not found')), true)
  const result = (activity, code = 200) =>
    reply(code, { status: 'ok', code, _embedded: { activities: activity ? [activity] : [] } })
  const input = parseBody(body)
  if (req.method === 'POST' && op === 'branch') {
    if (environment.status !== 'active')
      return (reply(400, badRequest('The environment is not active.')), true)
    if (world.environmentsOf(project.id).some((e) => e.id === input.name))
      return (
        reply(409, {
          status: 'error',
          code: 409,
          message: 'An environment with that name already exists'
        }),
        true
      )
    return (result(world.branch(project.id, environment, input).activity, 201), true)
  }
  if (req.method === 'POST' && op === 'activate') {
    if (environment.status === 'active')
      return (reply(400, badRequest('The environment is already active.')), true)
    environment.status = 'active'
    return (result(world.operation(project.id, environment, 'environment.activate'), 202), true)
  }
  if (req.method === 'POST' && op === 'deactivate') {
    if (environment.status !== 'active' && environment.status !== 'paused')
      return (reply(400, badRequest('The environment is not active.')), true)
    environment.status = 'inactive'
    return (result(world.operation(project.id, environment, 'environment.deactivate'), 202), true)
  }
  if (req.method === 'PATCH' && !op) {
    if (typeof input.title === 'string') environment.title = input.title
    return (result(undefined), true)
  }
  if (req.method === 'DELETE' && !op) {
    if (environment.status !== 'inactive')
      return (
        reply(
          400,
          badRequest('The Git branch cannot be deleted until the environment has been deactivated.')
        ),
        true
      )
    world.remove(project.id, environment)
    return (result(world.operation(project.id, environment, 'environment.delete')), true)
  }
  return (reply(405, { status: 'error', code: 405, message: 'Method not allowed' }), true)
}

function parseBody(body) {
  try {
    const value = JSON.parse(body || '{}')
    return value && typeof value === 'object' ? value : {}
  } catch {
    return {}
  }
}

const badRequest = (message) => ({ status: 'error', code: 400, message, detail: {} })

const notFound = (message) => ({ status: 'error', code: 404, message, detail: {} })
