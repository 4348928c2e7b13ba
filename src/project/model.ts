import { record, text } from './api.js'

/*
 * The API's answers about a project, read into the few facts the action
 * uses (the field names the CLI itself reads). Answers are read
 * defensively: a missing field is empty, never a crash.
 */

export interface ProjectFacts {
  readonly id: string
  readonly title: string
  readonly region: string
  /** `repository.url`: what `git push` and `upsun push` push to. */
  readonly gitUrl: string
  /** Why the project counts as suspended, or '' when it does not. */
  readonly suspension: string
}

export interface EnvironmentFacts {
  readonly id: string
  readonly machineName: string
  /** production, staging or development. */
  readonly type: string
  /** active, inactive, paused, dirty or deleting. */
  readonly status: string
}

/** Reads `GET /projects/{id}`. */
export function readProject(answer: unknown): ProjectFacts {
  const project = record(answer)
  return {
    id: text(project.id),
    title: text(project.title),
    region: text(project.region),
    gitUrl: text(record(project.repository).url),
    suspension: suspension(project)
  }
}

/**
 * The SDK types `status` as `{code, message}` while the CLI compares it to
 * the string `suspended`: both are read, and so is `subscription.suspended`.
 */
function suspension(project: Record<string, unknown>): string {
  const status = project.status
  const code = typeof status === 'string' ? status : text(record(status).code)
  if (code === 'suspended') return 'its status is suspended'
  if (record(project.subscription).suspended === true) return 'its subscription is suspended'
  return ''
}

/** Reads `GET /projects/{id}/environments` (a list). */
export function readEnvironments(answer: unknown): EnvironmentFacts[] {
  if (!Array.isArray(answer)) return []
  return answer.map((item) => {
    const environment = record(item)
    return {
      id: text(environment.id),
      machineName: text(environment.machine_name),
      type: text(environment.type),
      status: text(environment.status)
    }
  })
}

/** The environment the input names: by ID first, then by machine name, as the CLI matches. */
export function findEnvironment(
  environments: readonly EnvironmentFacts[],
  wanted: string
): EnvironmentFacts | undefined {
  return (
    environments.find((e) => e.id === wanted) ??
    environments.find((e) => e.machineName !== '' && e.machineName === wanted)
  )
}

/**
 * The primary URL from `GET …/deployments/current`: the route marked
 * `primary: true` (routes are keyed by URL), as `upsun url --primary` picks it.
 */
export function readPrimaryUrl(answer: unknown): string {
  const routes = record(record(answer).routes)
  for (const [url, route] of Object.entries(routes)) {
    if (record(route).primary === true && /^https?:\/\//.test(url)) return url
  }
  return ''
}

/** Reads `GET /projects/{id}/user-access/{userId}`: the user's permission list. */
export function readPermissions(answer: unknown): string[] {
  const permissions = record(answer).permissions
  return Array.isArray(permissions)
    ? permissions.filter((p): p is string => typeof p === 'string')
    : []
}
