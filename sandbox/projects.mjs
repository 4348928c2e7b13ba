// The project side of the Upsun API stand-in, with the shapes the CLI's source
// reads (__tests__/e2e/project.test.ts runs the real CLI against them):
//   GET /projects/{id}                                  the project
//   GET /projects/{id}/environments                     its environments
//   GET /projects/{id}/environments/{urlencoded id}     one environment
//   GET /projects/{id}/environments/{id}/deployments/current   routes (primary URL)
//   GET /projects/{id}/user-access/{userId}             the user's permissions
// Activities and environment operations: deploys.mjs (through `world`).
// Who sees what: SANDBOX_USER is invited to every project below, with the
// permissions listed; SANDBOX_OUTSIDER (a second user) to none, so it gets 403
// on a project that exists; an unknown project ID is 404 for everyone.

import { answerDeploys } from './deploys.mjs'

/** The user the API knows but no project has invited. */
export const SANDBOX_OUTSIDER = {
  id: '3f9a1b2c-0000-4000-8000-0000000057e1',
  username: 'outsider-bot',
  email: 'outsider-bot@example.com',
  first_name: 'Outsider',
  last_name: 'Bot',
  phone_number_verified: true
}

const REGION = 'eu-5.platform.sh'

/**
 * The main project: environments of the three types, one inactive, one whose
 * ID is a branch name with a slash (its machine name differs).
 */
export const SANDBOX_PROJECT = {
  id: 'storefront2026',
  title: 'Storefront',
  region: REGION,
  permissions: ['production:viewer', 'staging:contributor', 'development:contributor'],
  environments: [
    { id: 'main', machine_name: 'main-bvxea6i', type: 'production', status: 'active' },
    { id: 'staging', machine_name: 'staging-5ye5ytq', type: 'staging', status: 'active' },
    {
      id: 'feature/login',
      machine_name: 'feature-login-q3x7lda',
      type: 'development',
      status: 'active'
    },
    { id: 'old-demo', machine_name: 'old-demo-k2mnp4a', type: 'development', status: 'inactive' }
  ]
}

/** Projects for the edge cases: admin access, unreadable permissions, suspended. */
export const SANDBOX_PROJECTS = [
  SANDBOX_PROJECT,
  {
    id: 'backoffice2026',
    title: 'Back office',
    region: REGION,
    permissions: ['admin'],
    environments: [
      { id: 'main', machine_name: 'main-a1b2c3d', type: 'production', status: 'active' }
    ]
  },
  {
    // The user may not read its own user-access here (the CLI tolerates that too).
    id: 'reports2026',
    title: 'Reports',
    region: REGION,
    permissions: null,
    environments: [
      { id: 'main', machine_name: 'main-r3p0rt5', type: 'production', status: 'active' }
    ]
  },
  {
    // The SDK's shape of `status` ({code, message}).
    id: 'frozen2026',
    title: 'Frozen',
    region: REGION,
    permissions: ['production:viewer'],
    status: { code: 'suspended', message: 'Suspended for non-payment' },
    environments: []
  },
  {
    // The string the CLI compares `status` to.
    id: 'unpaid2026',
    title: 'Unpaid',
    region: REGION,
    permissions: ['production:viewer'],
    status: 'suspended',
    environments: []
  },
  {
    // Only the subscription's flag says so.
    id: 'lapsed2026',
    title: 'Lapsed',
    region: REGION,
    permissions: ['production:viewer'],
    suspended: true,
    environments: []
  },
  {
    // Server text that tries to become workflow commands when printed.
    id: 'hostile2026',
    title: 'Shop\n::warning::injected by the project title',
    region: 'eu-5.platform.sh\r\n::error::injected by the region',
    permissions: ['production:viewer'],
    environments: [
      { id: 'main', machine_name: 'main\n::notice::injected', type: 'production', status: 'active' }
    ]
  },
  {
    // Answers for another id than the one asked for, with a workflow command
    // in it (a post step that read this state would remove the workspace).
    id: 'imposter2026',
    answersAs:
      'imposter2026\n::save-state name=ssh::{"configs":[],"createdDirs":[],"backupDir":"/home/runner/work"}',
    title: 'Imposter',
    region: 'eu-5.platform.sh',
    permissions: ['production:viewer'],
    environments: []
  }
]

/**
 * Answers a project request, or returns false when the path is not one.
 * @param {{ method?: string, headers: Record<string, string|string[]|undefined> }} req
 * @param {URL} url
 * @param {{ id: string } | undefined} user the access token's user
 * @param {(status: number, value: unknown, type?: string) => void} reply
 * @param {ReturnType<import('./deploys.mjs').createWorld>} world this server's environments and activities
 * @param {string} body the request's body
 */
export function answerProjects(req, url, user, reply, world, body = '') {
  const match = /^(?:\/api)?\/projects\/([^/]+)(?:\/(.*))?$/.exec(url.pathname)
  if (!match) return false
  if (!user) return (reply(401, { error: 'invalid_token' }), true)
  const project = SANDBOX_PROJECTS.find((p) => p.id === decodeURIComponent(match[1]))
  if (!project) return (reply(404, notFound('Project not found')), true)
  if (user.id === SANDBOX_OUTSIDER.id) return (reply(403, forbidden()), true)

  const origin = `http://${req.headers.host}`
  const rest = match[2] ?? ''
  if (answerDeploys(req, url, project, rest, reply, world, body)) return true
  if (req.method !== 'GET')
    return (reply(405, { status: 'error', code: 405, message: 'Method not allowed' }), true)
  if (rest === '') return (reply(200, projectBody(project, origin, world)), true)
  if (rest === `user-access/${user.id}`) {
    if (!project.permissions) return (reply(403, forbidden()), true)
    return (reply(200, userAccess(project, user)), true)
  }
  if (rest === 'environments') {
    return (
      reply(
        200,
        world.environmentsOf(project.id).map((e) => environmentBody(project, e, origin, world))
      ),
      true
    )
  }
  const one = /^environments\/([^/]+)(?:\/(.*))?$/.exec(rest)
  if (one) {
    const environment = world
      .environmentsOf(project.id)
      .find((e) => e.id === decodeURIComponent(one[1]))
    if (!environment) return (reply(404, notFound('Environment not found')), true)
    if (!one[2]) return (reply(200, environmentBody(project, environment, origin, world)), true)
    if (one[2] === 'deployments/current') {
      if (environment.status !== 'active') return (reply(404, notFound('No deployment')), true)
      return (reply(200, deployment(project, environment, origin)), true)
    }
  }
  reply(404, notFound('Not found'))
  return true
}

function projectBody(project, origin, world) {
  const self = `${origin}/projects/${project.id}`
  return {
    id: project.answersAs ?? project.id,
    title: project.title,
    region: project.region,
    organization: '01JSANDBOX0RGAN1ZAT10N0000',
    vendor: 'upsun',
    default_branch: 'main',
    default_domain: null,
    status: project.status ?? { code: 'provisioned', message: 'ok' },
    subscription: {
      license_uri: `${origin}/licenses/${project.id}`,
      plan: 'upsun/flexible',
      suspended: project.suspended ?? false
    },
    repository: {
      url:
        world.repositoryOf(project.id) ?? `${project.id}@git.${project.region}:${project.id}.git`,
      client_ssh_key: null
    },
    created_at: '2026-01-05T10:00:00+00:00',
    updated_at: '2026-11-01T10:00:00+00:00',
    _links: {
      self: { href: self },
      environments: { href: `${self}/environments` },
      'user-access': { href: `${self}/user-access` }
    }
  }
}

function environmentBody(project, environment, origin, world) {
  const self = `${origin}/projects/${project.id}/environments/${encodeURIComponent(environment.id)}`
  const host = publicHost(project, environment)
  const active = environment.status === 'active'
  // HAL operations: an absent link means not allowed now.
  const operations = {
    ...(active ? { '#deactivate': { href: `${self}/deactivate` } } : {}),
    ...(active ? { '#branch': { href: `${self}/branch` } } : {}),
    ...(!active ? { '#activate': { href: `${self}/activate` } } : {}),
    ...(environment.status === 'inactive' ? { '#delete': { href: self } } : {}),
    '#edit': { href: self }
  }
  return {
    id: environment.id,
    name: environment.id,
    machine_name: environment.machine_name,
    title: environment.title ?? environment.id,
    type: environment.type,
    status: environment.status,
    is_main: environment.type === 'production',
    has_code: true,
    ...world.decorate(project.id, environment),
    parent: environment.parent ?? (environment.type === 'production' ? null : 'main'),
    project: project.id,
    default_domain: null,
    edge_hostname: host,
    created_at: '2026-01-05T10:00:00+00:00',
    updated_at: '2026-11-01T10:00:00+00:00',
    _links: {
      self: { href: self },
      'public-url': { href: `https://${host}/` },
      ...operations,
      'pf:ssh:app': {
        href: `ssh://${project.id}-${environment.machine_name}--app@ssh.${project.region}`
      }
    }
  }
}

/** The environment's public host name, as the platform derives it. */
function publicHost(project, environment) {
  const region = project.region.replace(/\.platform\.sh$/, '')
  return `${environment.machine_name}-${project.id}.${region}.platformsh.site`
}

/** A current deployment's routes: an https primary and its http redirect. */
function deployment(project, environment, origin) {
  const host = publicHost(project, environment)
  const environmentUrl = `${origin}/projects/${project.id}/environments/${encodeURIComponent(environment.id)}`
  return {
    id: 'current',
    environment_info: {
      name: environment.id,
      status: environment.status,
      is_main: environment.type === 'production',
      is_production: environment.type === 'production',
      reference: `refs/heads/${environment.id}`,
      machine_name: environment.machine_name,
      environment_type: environment.type
    },
    _links: { self: { href: `${environmentUrl}/deployments/current` } },
    routes: {
      [`https://${host}/`]: {
        primary: true,
        id: null,
        type: 'upstream',
        upstream: 'app',
        original_url: 'https://{default}/'
      },
      [`http://${host}/`]: {
        primary: false,
        id: null,
        type: 'redirect',
        to: `https://${host}/`,
        original_url: 'http://{default}/'
      }
    }
  }
}

function userAccess(project, user) {
  return {
    project_id: project.id,
    user_id: user.id,
    permissions: project.permissions,
    granted_at: '2026-01-05T10:00:00+00:00',
    updated_at: '2026-01-05T10:00:00+00:00'
  }
}

const notFound = (message) => ({ status: 'error', code: 404, message, detail: {} })
const forbidden = () => ({ status: 'error', code: 403, message: 'Forbidden', detail: {} })
