import { readFileSync } from 'node:fs'
import { InputError } from '../errors.js'

/** What the workflow asked of the deploy wait (parsed with every other input, before any side effect). */
export interface DeployInputs {
  /** `wait-for-deployment`. */
  readonly wait: boolean
  /** The full commit id to wait for: the input, the PR head, or GITHUB_SHA ('' when not waiting). */
  readonly commit: string
  /** Where the commit came from, for the log. */
  readonly commitFrom: string
  readonly timeoutMs: number
  /** `github-deployment`. */
  readonly githubDeployment: boolean
}

export interface RawDeployInputs {
  readonly wait: boolean
  readonly commit: string
  readonly timeout: string
  readonly githubDeployment: boolean
}

/** The longest wait a job can use: GitHub stops a job after 6 hours anyway. */
const MAX_TIMEOUT_MS = 6 * 3600_000
const UNITS: Record<string, number> = { '': 1000, s: 1000, m: 60_000, h: 3600_000 }

/**
 * Checks the deploy inputs against the rest (`project`, `environment`,
 * `verify-token`) and finds the commit to wait for.
 */
export function parseDeployInputs(
  raw: RawDeployInputs,
  context: { project: string; environment: string; verifyToken: boolean; githubToken: string }
): DeployInputs {
  const timeoutMs = parseTimeout(raw.timeout)
  if (!raw.wait) {
    if (raw.githubDeployment)
      throw new InputError('Input `github-deployment: true` needs `wait-for-deployment: true`.')
    return { wait: false, commit: '', commitFrom: '', timeoutMs, githubDeployment: false }
  }
  if (!context.project || !context.environment)
    throw new InputError(
      '`wait-for-deployment: true` needs `project` and `environment`: the environment whose deploy to wait for.'
    )
  if (!context.verifyToken)
    throw new InputError(
      '`wait-for-deployment: true` reads the platform API with the token: it cannot be combined with `verify-token: false`.'
    )
  if (raw.githubDeployment && !context.githubToken)
    throw new InputError(
      '`github-deployment: true` needs a GitHub token, and `github-token` is empty (its default is empty on GitHub Enterprise). ' +
        'Pass `github-token: ${{ github.token }}` and give the job `permissions: deployments: write`.'
    )
  const { commit, from } = raw.commit
    ? { commit: raw.commit, from: 'deployment-commit' }
    : workflowCommit()
  if (!/^([0-9a-f]{40}|[0-9a-f]{64})$/i.test(commit))
    throw new InputError(
      `Input \`deployment-commit\` must be a full commit id (40 hex digits); got ${JSON.stringify(commit.slice(0, 80))}. ` +
        'The platform records full ids: pass `${{ github.sha }}` or the output of `git rev-parse HEAD`.'
    )
  return {
    wait: true,
    commit: commit.toLowerCase(),
    commitFrom: from,
    timeoutMs,
    githubDeployment: raw.githubDeployment
  }
}

/** `600`, `600s`, `10m`, `1h`: at least 10 s, at most 6 h. */
function parseTimeout(raw: string): number {
  const match = /^(\d{1,6})\s*([smh]?)$/.exec(raw.trim() || '20m')
  const ms = match ? Number(match[1]) * UNITS[match[2]] : NaN
  if (!(ms >= 10_000 && ms <= MAX_TIMEOUT_MS))
    throw new InputError(
      `Input \`wait-timeout\` must be a duration from 10s to 6h, such as 600, 15m or 1h; got ${JSON.stringify(raw.trim().slice(0, 40))}.`
    )
  return ms
}

/**
 * The workflow's commit: a pull request's head (GITHUB_SHA is then a merge
 * commit the platform never sees), otherwise GITHUB_SHA.
 */
function workflowCommit(): { commit: string; from: string } {
  const event = process.env.GITHUB_EVENT_NAME ?? ''
  if (event.startsWith('pull_request') && process.env.GITHUB_EVENT_PATH) {
    let head: unknown
    try {
      const payload = JSON.parse(readFileSync(process.env.GITHUB_EVENT_PATH, 'utf8')) as {
        pull_request?: { head?: { sha?: unknown } }
      }
      head = payload.pull_request?.head?.sha
    } catch {
      // An unreadable event file: the error below says what to pass.
    }
    if (typeof head === 'string' && head) return { commit: head, from: `the pull request's head` }
    throw new InputError(
      `The ${event} event file holds no pull request head commit: pass \`deployment-commit\`.`
    )
  }
  const sha = process.env.GITHUB_SHA ?? ''
  if (!sha) throw new InputError('GITHUB_SHA is not set: pass `deployment-commit`.')
  return { commit: sha, from: 'GITHUB_SHA' }
}
