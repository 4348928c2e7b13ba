import { ActionError } from '../errors.js'
import { HttpError, explainFailure } from '../net/failures.js'
import { send } from '../net/http.js'
import type { Network } from '../net/network.js'
import { withRetry } from '../net/retry.js'
import { record } from '../project/api.js'
import { printable } from '../text.js'

/*
 * A GitHub Deployment for the platform environment, its status kept in step
 * with the wait, through GITHUB_API_URL
 * so that GitHub Enterprise works too. The GitHub token goes in these
 * requests only.
 */

export interface GithubTarget {
  /** GITHUB_API_URL. */
  readonly apiUrl: string
  /** owner/name (GITHUB_REPOSITORY). */
  readonly repository: string
  readonly token: string
  readonly commit: string
  /** The platform environment's ID: the GitHub environment's name. */
  readonly environment: string
  /** production, staging or development. */
  readonly environmentType: string
  readonly description: string
}

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error' | 'inactive'

export interface StatusDetails {
  readonly environmentUrl?: string
  readonly logUrl?: string
  readonly description: string
}

export interface GithubDeployment {
  readonly id: number
  status(state: DeploymentState, details: StatusDetails): Promise<void>
}

/** The GitHub repository and API from the runner's variables, or why they are missing. */
export function githubFromEnvironment(): { apiUrl: string; repository: string } {
  const apiUrl = (process.env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '')
  const repository = process.env.GITHUB_REPOSITORY ?? ''
  if (!/^[\w.-]+\/[\w.-]+$/.test(repository))
    throw new ActionError(
      'GITHUB_REPOSITORY is not set to owner/name: `github-deployment` needs the repository.'
    )
  return { apiUrl, repository }
}

/**
 * Creates the deployment: transient for development environments,
 * production for production ones, never merging the default branch in
 * (`auto_merge: false`) nor waiting on commit statuses (`required_contexts: []`).
 */
export async function createDeployment(
  target: GithubTarget,
  network: Network = {}
): Promise<GithubDeployment> {
  const base = `${target.apiUrl}/repos/${target.repository}/deployments`
  const created = record(
    await post(target, base, 'create a GitHub deployment', network, {
      ref: target.commit,
      environment: target.environment,
      auto_merge: false,
      required_contexts: [],
      transient_environment: target.environmentType === 'development',
      production_environment: target.environmentType === 'production',
      description: target.description.slice(0, 140),
      payload: { environment: target.environment }
    })
  )
  const id = Number(created.id)
  if (!Number.isSafeInteger(id))
    throw new ActionError(
      `${new URL(base).host} answered the deployment request without a deployment id (did GitHub merge the default branch instead?).`
    )
  return {
    id,
    async status(state, details) {
      await post(
        target,
        `${base}/${id}/statuses`,
        `set the GitHub deployment's status to ${state}`,
        network,
        {
          state,
          environment: target.environment,
          description: details.description.slice(0, 140),
          ...(details.environmentUrl ? { environment_url: details.environmentUrl } : {}),
          ...(details.logUrl ? { log_url: details.logUrl } : {}),
          auto_inactive: true
        }
      )
    }
  }
}

async function post(
  target: GithubTarget,
  url: string,
  doing: string,
  network: Network,
  body: Record<string, unknown>
): Promise<unknown> {
  return withRetry(
    `GitHub: ${doing}`,
    async () => {
      const response = await send(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${target.token}`,
          accept: 'application/vnd.github+json',
          'content-type': 'application/json',
          'x-github-api-version': '2022-11-28'
        },
        body: JSON.stringify(body),
        dispatcher: network.dispatcher
      })
      return JSON.parse(await response.body.text()) as unknown
    },
    network.sleep
  ).catch((error: unknown) => {
    throw explainGithubFailure(error, url, doing, target)
  })
}

function explainGithubFailure(
  error: unknown,
  url: string,
  doing: string,
  target: GithubTarget
): Error {
  if (!(error instanceof HttpError)) {
    if (error instanceof SyntaxError)
      return new ActionError(`Could not ${doing}: GitHub's answer was not JSON.`)
    return explainFailure(error, url, doing)
  }
  const said = githubMessage(error.body)
  const why = said ? ` (${said})` : ''
  if (error.status === 403)
    return new ActionError(
      `GitHub refused to ${doing}: HTTP 403${why}. The token lacks the permission \`deployments: write\`: ` +
        'add `permissions: { deployments: write }` to the job (a personal token needs the repo_deployment scope).',
      { cause: error }
    )
  if (error.status === 401)
    return new ActionError(
      `GitHub refused the token in \`github-token\` when asked to ${doing} (HTTP 401${why}): it is invalid or expired.`,
      { cause: error }
    )
  if (error.status === 404)
    return new ActionError(
      `GitHub answered HTTP 404 when asked to ${doing} in ${target.repository}: the token in \`github-token\` cannot see the repository, or GITHUB_API_URL is not its API.`,
      { cause: error }
    )
  return new ActionError(`Could not ${doing}: GitHub answered HTTP ${error.status}${why}.`, {
    cause: error
  })
}

/** GitHub's `message`, short and printable. */
function githubMessage(body: string): string {
  try {
    const message = record(JSON.parse(body)).message
    return typeof message === 'string' ? printable(message).slice(0, 200) : ''
  } catch {
    return ''
  }
}
