import type { CliSpec } from '../clis.js'
import { ActionError } from '../errors.js'
import type { TokenUser } from '../auth/verify.js'
import { printable } from '../text.js'
import type { EnvironmentFacts, ProjectFacts } from './model.js'

/*
 * What the user reads when the project or environment is not what the
 * workflow expects: each message names the input, the user and the project,
 * and says what to do next. Text from the API is made printable first.
 */

/** The token's user as a person reads it: the email, or the id without one. */
function who(user: TokenUser): string {
  return user.email ? printable(user.email) : `user ${printable(user.id)}`
}

/**
 * 403 and 404 on a project cannot be told apart reliably (the CLI treats
 * them alike), so one message covers both: not there, or never invited.
 */
export function projectNotAccessible(
  cli: CliSpec,
  user: TokenUser,
  projectId: string,
  status: number
): ActionError {
  const invitee = user.email ? printable(user.email) : 'EMAIL'
  return new ActionError(
    `The token's user ${who(user)} cannot access project ${projectId} (HTTP ${status}): ` +
      'the project may not exist, or the user was never invited to it. ' +
      'Check input `project`; to invite a machine user, run ' +
      `\`${cli.binary} user:add ${invitee} -p ${projectId} --role viewer --role development:contributor\` ` +
      "as a project admin, or add it in the console under the project's settings > Access."
  )
}

/**
 * The API answered for another project id than the one asked for: nothing
 * it says may stand for the workflow's project (its id would be printed,
 * exported and summarised as if it were).
 */
export function projectIdMismatch(apiUrl: string, asked: string, answered: string): ActionError {
  return new ActionError(
    `${new URL(apiUrl).host} answered GET /projects/${asked} with a project whose id is ${JSON.stringify(printable(answered).slice(0, 80))}, not ${asked}. ` +
      'Check `api-url`: it must be the API of the platform that holds the project.'
  )
}

export function projectSuspended(project: ProjectFacts): ActionError {
  return new ActionError(
    `Project ${project.id} (${printable(project.title)}) is suspended (${project.suspension}): the platform neither runs nor deploys it. ` +
      "Check the organization's billing and the project's plan in the console, then run the job again."
  )
}

/** Shown at most this many environments in an error. */
const LISTED = 20

export function environmentNotFound(
  cli: CliSpec,
  user: TokenUser,
  project: ProjectFacts,
  wanted: string,
  environments: readonly EnvironmentFacts[]
): ActionError {
  const names = environments.slice(0, LISTED).map((e) => {
    const notes = [
      e.machineName && e.machineName !== e.id ? `machine name ${e.machineName}` : '',
      e.status && e.status !== 'active' ? e.status : ''
    ].filter(Boolean)
    return printable(notes.length ? `${e.id} (${notes.join(', ')})` : e.id)
  })
  const more = environments.length > LISTED ? `, and ${environments.length - LISTED} more` : ''
  const seen = environments.length
    ? `The environments ${who(user)} can see: ${names.join(', ')}${more}.`
    : `${who(user)} can see no environment in it.`
  return new ActionError(
    `Input \`environment\`: project ${project.id} (${printable(project.title)}) has no environment ${JSON.stringify(wanted)} ` +
      `(by ID or machine name) that ${who(user)} can see. ${seen} ` +
      `Check the name, or create the environment by pushing its branch: \`${cli.binary} push --target ${wanted} --activate\`.`
  )
}

/** Admin is more than most jobs need, but backups need it: a notice, not a failure. */
export function adminNotice(user: TokenUser, project: ProjectFacts): string {
  return (
    `${who(user)} is an admin of project ${project.id}. The platform advises giving a machine user the least access each task needs ` +
    '(a viewer or contributor role per environment type; admin only where it is needed, such as for backups).'
  )
}
