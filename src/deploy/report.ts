import * as core from '@actions/core'
import type { CliSpec } from '../clis.js'
import { ActionError } from '../errors.js'
import { echoUntrusted, printable } from '../text.js'
import type { Activity } from './activities.js'
import type { LogTail } from './log.js'
import { elapsed, type Outcome } from './wait.js'

/*
 * What the workflow sees of a deploy: outputs, the job summary, and for
 * every way it can go wrong an error that says what happened and what to do.
 */

/** `deployment-result`: success, or the way it did not succeed. */
export const RESULTS: Record<Outcome['kind'], string> = {
  deployed: 'success',
  failed: 'failure',
  'hook-failed': 'hook-failure',
  cancelled: 'cancelled',
  staged: 'staged',
  inactive: 'inactive',
  paused: 'paused',
  timeout: 'timeout'
}

export interface Facts {
  readonly cli: CliSpec
  readonly project: string
  /** The environment's ID (the input may have been its machine name). */
  readonly environment: string
  readonly commit: string
  readonly outcome: Outcome
  readonly url: string
  readonly waitedMs: number
  readonly timeoutMs: number
  /** A console page for the activity's log, or '' when there is none to link. */
  readonly consoleLink: string
}

export function setDeployOutputs(facts: Facts): void {
  const activity = 'activity' in facts.outcome ? facts.outcome.activity : undefined
  core.setOutput('deployment-result', RESULTS[facts.outcome.kind])
  core.setOutput('activity-id', printable(activity?.id ?? ''))
  // The commit the environment runs once deployed (ours); otherwise what it runs now.
  const at =
    facts.outcome.kind === 'deployed' ? facts.commit : facts.outcome.environment?.headCommit
  core.setOutput('deployed-commit', printable(at ?? ''))
  core.setOutput('environment-url', printable(facts.url))
}

/** The deploy in the job summary: environment, commit, result, duration, URL. */
export async function writeDeploySummary(facts: Facts): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const activity = 'activity' in facts.outcome ? facts.outcome.activity : undefined
  const rows = [
    [
      'Environment',
      `<code>${cell(facts.environment)}</code> (project <code>${cell(facts.project)}</code>)`
    ],
    ['Commit', `<code>${cell(facts.commit)}</code>`],
    ['Result', cell(RESULTS[facts.outcome.kind])],
    ['Duration', cell(duration(activity) ?? `${elapsed(facts.waitedMs)} waited`)],
    ['URL', facts.url ? `<a href="${cell(facts.url)}">${cell(facts.url)}</a>` : '—']
  ]
  if (activity)
    rows.push([
      'Activity',
      `<code>${cell(activity.id)}</code> (${cell(activity.type)})${facts.consoleLink ? `, <a href="${cell(facts.consoleLink)}">log</a>` : ''}`
    ])
  // core.summary writes cells as given: every server value went through cell().
  await core.summary
    .addHeading(`Deploy to ${cell(facts.environment)}`, 3)
    .addTable([
      [
        { data: 'What', header: true },
        { data: 'Value', header: true }
      ],
      ...rows
    ])
    .write()
}

/** The last lines of the activity's log, in a collapsed group. */
export async function showLog(activity: Activity, tail: LogTail): Promise<void> {
  const title = `Last lines of the deploy log (activity ${printable(activity.id)}, ${printable(activity.type)})`
  await core.group(title, () => {
    if (tail.lines.length) echoUntrusted(tail.lines.join('\n'))
    else core.info('  (the log is empty)')
    if (!tail.sealed)
      core.info(
        `  The log was not read to its end${tail.problem ? ` (${printable(tail.problem)})` : ''}; these are the lines that arrived.`
      )
    return Promise.resolve()
  })
}

/** The error for every outcome but success. */
export function failure(facts: Facts): ActionError {
  const { cli, project, environment, outcome } = facts
  const env = printable(environment)
  const commit = facts.commit.slice(0, 12)
  const bin = cli.binary
  const activity = 'activity' in outcome ? outcome.activity : undefined
  const where = activity ? ` (activity ${printable(activity.id)}, ${printable(activity.type)})` : ''
  const logs = activity
    ? ` Full log: ${facts.consoleLink ? `${facts.consoleLink} or ` : ''}\`${bin} activity:log ${printable(activity.id)} -p ${project}\`.`
    : ''
  switch (outcome.kind) {
    case 'failed':
      return new ActionError(
        `The deploy of ${commit} to environment ${env} failed${where}${activity?.failureReason ? `, reason: ${printable(activity.failureReason)}` : ''}. ` +
          `Its last log lines are in the group above; fix the build or deploy error and push again.${logs}`
      )
    case 'hook-failed': {
      const commands = activity?.failedCommands ?? outcome.environment.lastFailedCommands
      const list = commands
        .map(
          (c) => `${printable(c.app) || 'app'} ${printable(c.type) || 'hook'} exited ${c.exitCode}`
        )
        .join(', ')
      return new ActionError(
        `The deploy of ${commit} to environment ${env} reported success, but a command failed: ${list}${where}. ` +
          `The new code runs with an unfinished deploy hook: fix the hook and redeploy (\`${bin} redeploy -p ${project} -e ${env}\`).${logs}`
      )
    }
    case 'cancelled':
      return new ActionError(
        `The deploy of ${commit} to environment ${env} was cancelled${where}: a person, or a newer push, stopped it. ` +
          `Push again, or run \`${bin} redeploy -p ${project} -e ${env}\`.${logs}`
      )
    case 'staged':
      return new ActionError(
        `The deploy of ${commit} to environment ${env} was staged, not deployed${where}: the environment holds changes for a manual deployment. ` +
          `Release them with \`${bin} environment:deploy -p ${project} -e ${env}\`, or switch the environment to automatic deployments.`
      )
    case 'inactive':
      return new ActionError(
        `Environment ${env} is inactive, so nothing deploys there. It may be that the project has no free environment slot ` +
          '(active and paused environments count: deactivate one or raise the limit), or that the GitHub integration created it inactive ' +
          `(it activates pull request environments only). Activate it with \`${bin} environment:activate -p ${project} -e ${env}\`, or push with \`--activate\`.`
      )
    case 'paused':
      return new ActionError(
        `Environment ${env} is paused (the platform pauses a development environment after 15 days without a deploy), so nothing deploys there. ` +
          `Resume it with \`${bin} environment:resume -p ${project} -e ${env}\`.`
      )
    case 'timeout':
      return new ActionError(
        `\`wait-timeout\` (${elapsed(facts.timeoutMs)}) passed before the deploy of ${commit} to environment ${env} ended. ${stillRunning(outcome)} ` +
          `Raise \`wait-timeout\`, or see \`${bin} activity:list -p ${project} -e ${env}\`.`
      )
    default:
      return new ActionError(`The deploy of ${commit} to environment ${env} did not succeed.`)
  }
}

function stillRunning(outcome: Extract<Outcome, { kind: 'timeout' }>): string {
  if (!outcome.environment)
    return 'The environment never appeared: was the branch pushed, and (with the GitHub integration) is the pull request built?'
  if (outcome.activity)
    return `Its activity ${printable(outcome.activity.id)} is still ${printable(outcome.activity.state)} (${outcome.activity.percent}%).`
  if (outcome.running.length)
    return `The commit's deploy has not started; still running: ${outcome.running
      .map((a) => `${printable(a.type)} ${printable(a.id)} (${printable(a.state)})`)
      .join(', ')}.`
  return `Nothing is running there and the commit never arrived (the environment is at ${printable(outcome.environment.headCommit.slice(0, 12)) || 'no commit'}): was it pushed to this environment?`
}

function duration(activity?: Activity): string | undefined {
  const from = Date.parse(activity?.createdAt ?? '')
  const to = Date.parse(activity?.completedAt ?? '')
  return Number.isFinite(from) && Number.isFinite(to) && to >= from ? elapsed(to - from) : undefined
}

/** Server text in an HTML table cell: printable, with markup escaped. */
function cell(value: string): string {
  return printable(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
