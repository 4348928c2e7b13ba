import type { TokenUser } from '../auth/verify.js'
import type { CliSpec } from '../clis.js'
import { ActionError } from '../errors.js'
import { HttpError } from '../net/failures.js'
import type { Network } from '../net/network.js'
import { printable } from '../text.js'
import { apiReader, type ApiReader } from './api.js'
import {
  environmentNotFound,
  projectIdMismatch,
  projectNotAccessible,
  projectSuspended
} from './messages.js'
import {
  findEnvironment,
  readEnvironments,
  readPermissions,
  readPrimaryUrl,
  readProject,
  type EnvironmentFacts,
  type ProjectFacts
} from './model.js'

/** What the check found, for the exports, outputs and summary. */
export interface CheckedProject {
  readonly project: ProjectFacts
  /** Present when `environment` was given (a missing one fails the check). */
  readonly environment?: EnvironmentFacts & {
    /** The primary route; '' when the environment is not active or has no deployment. */
    readonly url: string
  }
  /** The user's permissions; undefined when the user may not read them. */
  readonly permissions?: readonly string[]
  /** The HTTP status that kept the permissions from being read, if one did. */
  readonly permissionsRefused?: number
}

export interface CheckOptions {
  readonly cli: CliSpec
  readonly apiUrl: string
  /** The access token the token exchange issued (already masked). */
  readonly accessToken: string
  readonly user: TokenUser
  readonly projectId: string
  /** An environment ID or machine name; '' for none. */
  readonly environment: string
}

/**
 * Checks that the token's user can reach the project (and environment) the
 * workflow names: the project, its environments and the user's permissions
 * are read at once, then the environment's primary URL.
 */
export async function checkProject(
  options: CheckOptions,
  network: Network = {}
): Promise<CheckedProject> {
  const { projectId, user } = options
  const api = apiReader(options.apiUrl, options.accessToken, network)
  const base = `/projects/${encodeURIComponent(projectId)}`
  const [project, environments, permissions] = await Promise.allSettled([
    api.get(base, `project ${projectId}`).then(readProject),
    options.environment
      ? api
          // A project may have hundreds of environments: more than one answer's default cap.
          .get(`${base}/environments`, `the environments of ${projectId}`, { maxBytes: 32 << 20 })
          .then(readEnvironments)
      : Promise.resolve([]),
    readOwnPermissions(api, base, user)
  ])
  // The project's answer explains a failure best (a 404 there is a 404 on its environments too).
  if (project.status === 'rejected') throw explainProjectFailure(options, project.reason)
  if (environments.status === 'rejected') throw explainListFailure(options, environments.reason)
  if (permissions.status === 'rejected') throw permissions.reason
  const facts = project.value
  if (facts.id !== projectId) throw projectIdMismatch(options.apiUrl, projectId, facts.id)
  if (facts.suspension) throw projectSuspended(facts)
  const access = permissions.value

  if (!options.environment) return { project: facts, ...access }
  const found = findEnvironment(environments.value, options.environment)
  if (!found)
    throw environmentNotFound(options.cli, user, facts, options.environment, environments.value)
  const url = found.status === 'active' ? await primaryUrl(api, base, found) : ''
  return { project: facts, environment: { ...found, url }, ...access }
}

/** The user's own permissions, or the status with which the API would not say. */
async function readOwnPermissions(
  api: ApiReader,
  base: string,
  user: TokenUser
): Promise<{ permissions?: string[]; permissionsRefused?: number }> {
  try {
    const path = `${base}/user-access/${encodeURIComponent(user.id)}`
    return { permissions: readPermissions(await api.get(path, "the user's permissions")) }
  } catch (error) {
    // Whether a non-admin may read its own access is not settled (the CLI
    // tolerates a refusal too): the permissions output is then empty.
    if (error instanceof HttpError && (error.status === 403 || error.status === 404))
      return { permissionsRefused: error.status }
    throw error
  }
}

/** The environment's primary URL; '' when it has no current deployment. */
async function primaryUrl(
  api: ApiReader,
  base: string,
  environment: EnvironmentFacts
): Promise<string> {
  try {
    return readPrimaryUrl(
      await api.get(
        `${base}/environments/${encodeURIComponent(environment.id)}/deployments/current`,
        `the current deployment of ${environment.id}`
      )
    )
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) return ''
    throw error
  }
}

function explainProjectFailure(options: CheckOptions, error: unknown): unknown {
  if (error instanceof HttpError && (error.status === 403 || error.status === 404))
    return projectNotAccessible(options.cli, options.user, options.projectId, error.status)
  if (error instanceof HttpError && error.status === 401) return accessTokenRefused(options, error)
  return error
}

/** The project was readable, its environments were not. */
function explainListFailure(options: CheckOptions, error: unknown): unknown {
  if (error instanceof HttpError && error.status === 401) return accessTokenRefused(options, error)
  if (error instanceof HttpError) {
    return new ActionError(
      `The API refused to list the environments of project ${options.projectId} (HTTP ${error.status}) to ${printable(options.user.email || options.user.id)}. ` +
        'Give the machine user a role on the environment types it needs (for example --role development:contributor).'
    )
  }
  return error
}

function accessTokenRefused(options: CheckOptions, error: HttpError): ActionError {
  return new ActionError(
    `${new URL(options.apiUrl).host} refused the access token issued for the API token (HTTP ${error.status}) when reading project ${options.projectId}. ` +
      'Check that `api-url` and `auth-url` belong to the same platform.'
  )
}
