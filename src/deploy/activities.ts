import { record, text } from '../project/api.js'

/*
 * The platform's activities and an environment's deploy state, read into
 * the facts the wait uses (sandbox/deploys.mjs serves the same shapes).
 * Answers are read defensively: a missing field is empty, never a crash.
 */

export interface Activity {
  readonly id: string
  readonly type: string
  /** pending, in_progress, complete, cancelled, scheduled or staged. */
  readonly state: string
  /** success or failure once over; '' before. */
  readonly result: string
  /** `parameters.new_commit`: the commit a push (or the integration) brought. */
  readonly commit: string
  readonly percent: number
  readonly createdAt: string
  readonly completedAt: string
  readonly failureReason: string
  /** Commands (deploy hooks among them) that exited non-zero: a `success` can hide them. */
  readonly failedCommands: readonly { app: string; type: string; exitCode: number }[]
  /** `_links.log.href`, as the API gave it (relative). */
  readonly logHref: string
}

export interface EnvironmentState {
  readonly id: string
  readonly type: string
  /** active, inactive, paused, dirty or deleting. */
  readonly status: string
  readonly headCommit: string
  /** An activity is pending on it. */
  readonly dirty: boolean
  /** `deployment_state.last_deployment_successful`, when the API says. */
  readonly lastSuccessful?: boolean
  readonly lastFailedCommands: Activity['failedCommands']
}

// Activity types that deploy code or configuration; crons, backups,
// operations, deactivation and integration notices do not.
const DEPLOYING = new Set([
  'environment.push',
  'environment.activate',
  'environment.redeploy',
  'environment.branch',
  'environment.merge',
  'environment.merge-pr',
  'environment.synchronize',
  'environment.deploy',
  'environment.resume',
  'environment.restore',
  'environment.initialize',
  'environment.source-operation',
  'environment.resources.update'
])
const DEPLOYING_FAMILIES = [
  'environment.variable.',
  'environment.domain.',
  'environment.route.',
  'environment.update.'
]

/** Does an activity of this type deploy the environment? */
export function deploys(type: string): boolean {
  return DEPLOYING.has(type) || DEPLOYING_FAMILIES.some((family) => type.startsWith(family))
}

/** Over: complete (at 100 %), cancelled or staged; the CLI's --wait stops on these too. */
export function isOver(activity: Activity): boolean {
  return ['complete', 'cancelled', 'staged'].includes(activity.state)
}

/** Reads a list of activities (newest first, as the API sends them). */
export function readActivities(answer: unknown): Activity[] {
  return Array.isArray(answer) ? answer.map(readActivity).filter((a) => a.id !== '') : []
}

export function readActivity(answer: unknown): Activity {
  const a = record(answer)
  const percent = Number(a.completion_percent)
  return {
    id: text(a.id),
    type: text(a.type),
    state: text(a.state),
    result: text(a.result),
    commit: text(record(a.parameters).new_commit).toLowerCase(),
    percent: Number.isFinite(percent) ? percent : 0,
    createdAt: text(a.created_at),
    completedAt: text(a.completed_at),
    failureReason: text(a.failure_reason),
    failedCommands: failedCommands(a.commands),
    logHref: text(record(record(a._links).log).href)
  }
}

/** Reads `GET …/environments/{id}`. */
export function readEnvironmentState(answer: unknown): EnvironmentState {
  const e = record(answer)
  const state = record(e.deployment_state)
  const successful = state.last_deployment_successful
  return {
    id: text(e.id),
    type: text(e.type),
    status: text(e.status),
    headCommit: text(e.head_commit).toLowerCase(),
    dirty: e.is_dirty === true,
    lastSuccessful: typeof successful === 'boolean' ? successful : undefined,
    lastFailedCommands: failedCommands(state.last_deployment_commands)
  }
}

function failedCommands(value: unknown): Activity['failedCommands'] {
  if (!Array.isArray(value)) return []
  return value
    .map(record)
    .map((c) => ({ app: text(c.app), type: text(c.type), exitCode: Number(c.exit_code) }))
    .filter((c) => Number.isFinite(c.exitCode) && c.exitCode > 0)
}

/**
 * The deploy of `commit`: the newest activity that deploys and
 * brought that commit. Another commit's deploy never matches, even when it
 * finishes first.
 */
export function deployOf(activities: readonly Activity[], commit: string): Activity | undefined {
  return activities.find((a) => deploys(a.type) && a.commit === commit)
}

/** What is still running on the environment and deploys (for progress and the timeout). */
export function running(activities: readonly Activity[]): Activity[] {
  return activities.filter((a) => deploys(a.type) && !isOver(a))
}
