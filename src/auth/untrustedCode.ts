import { readFileSync } from 'node:fs'
import { printable } from '../text.js'

/**
 * Runs on `pull_request_target`, and `workflow_run` runs triggered from a
 * fork, have the base repository's secrets while the code they are about may
 * come from anyone. The action puts the token in the environment of every
 * later step of the job, so a later step that checks out and runs that code
 * (a build, tests, an install hook) can read it. The action cannot see what
 * later steps do: it says so, once, as a warning.
 */

interface EventPayload {
  repository?: { full_name?: unknown; id?: unknown }
  workflow_run?: { event?: unknown; head_repository?: { full_name?: unknown; id?: unknown } | null }
}

/** The warning for this run, or undefined when its trigger is not one of these. */
export function untrustedCodeWarning(
  tokenVariable: string,
  env: NodeJS.ProcessEnv = process.env
): string | undefined {
  const event = env.GITHUB_EVENT_NAME
  const advice =
    `The API token is in ${tokenVariable} for every later step of this job: a later step that checks out and runs the pull request's code ` +
    '(a build, tests, an install script) can read it. Run that code in a separate job without the token, or trigger on `pull_request`, which gets no secrets from forks.'
  if (event === 'pull_request_target') {
    return `This run was triggered by \`pull_request_target\`, which has this repository's secrets. ${advice}`
  }
  if (event !== 'workflow_run') return undefined
  const payload = readPayload(env.GITHUB_EVENT_PATH)
  if (!payload) {
    return `This run was triggered by \`workflow_run\` and its event payload (GITHUB_EVENT_PATH) could not be read, so it may come from a fork. ${advice}`
  }
  const head = payload.workflow_run?.head_repository
  const base = payload.repository
  const fromFork =
    !head ||
    (head.id !== undefined && base?.id !== undefined
      ? head.id !== base.id
      : head.full_name !== base?.full_name)
  if (!fromFork) return undefined
  const name = typeof head?.full_name === 'string' ? ` ${printable(head.full_name)}` : ''
  return `This run was triggered by \`workflow_run\` for code from the fork${name}, with this repository's secrets. ${advice}`
}

function readPayload(file: string | undefined): EventPayload | undefined {
  if (!file) return undefined
  try {
    const data: unknown = JSON.parse(readFileSync(file, 'utf8'))
    return data && typeof data === 'object' ? data : undefined
  } catch {
    return undefined
  }
}
