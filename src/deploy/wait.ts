import { HttpError } from '../net/failures.js'
import type { ApiReader } from '../project/api.js'
import { printable } from '../text.js'
import {
  deployOf,
  isOver,
  readActivities,
  readEnvironmentState,
  running,
  type Activity,
  type EnvironmentState
} from './activities.js'

/** How the wait ended. */
export type Outcome =
  | { kind: 'deployed'; environment: EnvironmentState; activity?: Activity }
  | {
      kind: 'failed' | 'hook-failed' | 'cancelled' | 'staged'
      environment: EnvironmentState
      activity?: Activity
    }
  | { kind: 'inactive' | 'paused'; environment: EnvironmentState }
  | {
      kind: 'timeout'
      environment?: EnvironmentState
      /** Deploys still running on the environment when time ran out. */
      running: readonly Activity[]
      /** The commit's own deploy, if it had started. */
      activity?: Activity
    }

export interface WaitOptions {
  readonly api: ApiReader
  readonly project: string
  readonly environment: string
  readonly commit: string
  readonly timeoutMs: number
  readonly pollMs: number
  /** One progress line (called only when there is news, or after a quiet minute). */
  readonly progress: (line: string) => void
  readonly sleep?: (ms: number) => Promise<void>
  readonly now?: () => number
}

/** Activities per read: a deploy window holds far fewer, crons and backups included. */
const PAGE = 50
const QUIET_MS = 60_000

/**
 * Polls the environment and its activities until the deploy of the commit
 * is over, the environment cannot deploy, or the time is up. Each poll is
 * two bounded reads (the HTTP layer's deadline and retries).
 */
export async function waitForDeploy(options: WaitOptions): Promise<Outcome> {
  const now = options.now ?? Date.now
  const sleep = options.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms)))
  const start = now()
  const deadline = start + options.timeoutMs
  const base = `/projects/${encodeURIComponent(options.project)}/environments/${encodeURIComponent(options.environment)}`
  let said = ''
  let saidAt = start
  for (;;) {
    const [environment, activities] = await Promise.all([
      readEnvironment(options.api, base, options.environment),
      options.api
        .get(`${base}/activities?count=${PAGE}`, `the activities of ${options.environment}`)
        .then(readActivities)
        .catch((error: unknown) => {
          // An environment that does not exist yet has no activities either.
          if (error instanceof HttpError && error.status === 404) return []
          throw error
        })
    ])
    const mine = deployOf(activities, options.commit)
    const busy = running(activities)
    if (environment && mine && isOver(mine)) return ended(environment, mine)
    if (environment && !mine && environment.headCommit === options.commit && !environment.dirty)
      return fromDeploymentState(environment)
    if (environment && ['inactive', 'paused'].includes(environment.status) && !mine && !busy.length)
      return { kind: environment.status as 'inactive' | 'paused', environment }

    const line = describe(options, environment, mine, busy)
    const at = now()
    if (line !== said || at - saidAt >= QUIET_MS) {
      options.progress(at - start >= 1000 ? `${line} (${elapsed(at - start)})` : line)
      said = line
      saidAt = at
    }
    if (at >= deadline) return { kind: 'timeout', environment, running: busy, activity: mine }
    await sleep(Math.min(options.pollMs, Math.max(0, deadline - at)))
  }
}

async function readEnvironment(
  api: ApiReader,
  base: string,
  id: string
): Promise<EnvironmentState | undefined> {
  try {
    return readEnvironmentState(await api.get(base, `environment ${id}`))
  } catch (error) {
    // Not there yet: a branch pushed to GitHub reaches the platform later.
    if (error instanceof HttpError && error.status === 404) return undefined
    throw error
  }
}

function ended(environment: EnvironmentState, activity: Activity): Outcome {
  if (activity.state === 'cancelled') return { kind: 'cancelled', environment, activity }
  if (activity.state === 'staged') return { kind: 'staged', environment, activity }
  if (activity.result !== 'success') return { kind: 'failed', environment, activity }
  if (activity.failedCommands.length) return { kind: 'hook-failed', environment, activity }
  return { kind: 'deployed', environment, activity }
}

/** The environment is at the commit and idle, its activity out of sight: its deployment state says. */
function fromDeploymentState(environment: EnvironmentState): Outcome {
  if (environment.lastSuccessful === false) return { kind: 'failed', environment }
  if (environment.lastFailedCommands.length) return { kind: 'hook-failed', environment }
  return { kind: 'deployed', environment }
}

function describe(
  options: WaitOptions,
  environment: EnvironmentState | undefined,
  mine: Activity | undefined,
  busy: readonly Activity[]
): string {
  const commit = options.commit.slice(0, 12)
  const where = printable(options.environment)
  if (!environment) return `Waiting for environment ${where} to exist (commit ${commit}).`
  if (mine) {
    const percent = mine.state === 'in_progress' ? `, ${Math.floor(mine.percent / 10) * 10}%` : ''
    return `Deploy of ${commit} on ${where}: activity ${printable(mine.id)} (${printable(mine.type)}) ${printable(mine.state)}${percent}.`
  }
  const others = busy.length
    ? `; running: ${busy.map((a) => `${printable(a.type)} ${printable(a.id)} (${printable(a.state)})`).join(', ')}`
    : ''
  return `Waiting for commit ${commit} to reach ${where}${others}.`
}

/** `2m 05s`. */
export function elapsed(ms: number): string {
  const seconds = Math.round(ms / 1000)
  return seconds < 60
    ? `${seconds}s`
    : `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`
}
