import * as core from '@actions/core'
import type { TokenUser } from '../auth/verify.js'
import type { CheckedProject } from './check.js'
import { printable } from '../text.js'
import { adminNotice } from './messages.js'

/*
 * Binds later CLI steps to the project: the variables the CLI itself reads
 * for its default project and environment, the log, and the outputs.
 *
 * The prefix is the platform's service prefix, `PLATFORM_`, for all three
 * CLIs (`service.env_prefix` in each CLI's config), not the CLI's own
 * `UPSUN_CLI_`-style prefix: no `UPSUN_PROJECT` exists. The action never
 * exports PLATFORM_TREE_ID, PLATFORM_ROUTES, PLATFORM_APPLICATION or
 * PLATFORM_RELATIONSHIPS: they make the CLI believe it runs inside an app
 * container and act on localhost.
 */
export const PROJECT_VARIABLE = 'PLATFORM_PROJECT'
export const ENVIRONMENT_VARIABLE = 'PLATFORM_BRANCH'

/** What the online check found: the token's user, and the project when one was named. */
export interface CheckedOnline {
  readonly user: TokenUser
  readonly project?: CheckedProject
}

/**
 * Exports the binding, says what it is, and sets the outputs. Called only
 * once everything else succeeded, so that a failed step exports nothing.
 * `online` is undefined when nothing was checked online, for the reason
 * `uncheckedBecause` gives.
 */
export function bindProject(
  inputs: { readonly project: string; readonly environment: string },
  online: CheckedOnline | undefined,
  uncheckedBecause: string
): void {
  const projectId = inputs.project
  const checked = online?.project
  if (projectId) {
    // Checked: the environment's own ID (the input may be its machine name).
    // Unchecked: the input as given (the CLI matches ID, then machine name).
    const branch = checked ? (checked.environment?.id ?? '') : inputs.environment
    core.exportVariable(PROJECT_VARIABLE, projectId)
    if (branch) core.exportVariable(ENVIRONMENT_VARIABLE, branch)
    const names = `${PROJECT_VARIABLE}=${projectId}${branch ? `, ${ENVIRONMENT_VARIABLE}=${printable(branch)}` : ''}`
    if (online && checked) {
      report(checked, online.user)
      core.info(
        `Later steps use this project${branch ? ' and environment' : ''} by default: ${names}.`
      )
    } else {
      core.info(
        `${names} exported unchecked (${uncheckedBecause}): ` +
          'later steps fail there if the project or environment is not accessible.'
      )
    }
    warnInheritedBranch(projectId, branch)
  }
  setOutputs(checked)
}

/** What the check found, in the log. */
function report(checked: CheckedProject, user: TokenUser): void {
  const { project, environment } = checked
  core.info(
    `Project ${printable(project.id)}: ${printable(project.title)} (region ${printable(project.region)}).`
  )
  if (environment) {
    const where = environment.url
      ? `, ${printable(environment.url)}`
      : environment.status === 'active'
        ? ', no current deployment'
        : ', so it has no URL'
    core.info(
      `Environment ${printable(environment.id)}: ${printable(environment.type)}, ${printable(environment.status)}${where}.`
    )
  }
  if (checked.permissions) {
    core.info(
      `Permissions of ${printable(user.email || user.id)}: ${printable(checked.permissions.join(', ') || 'none')}.`
    )
    if (checked.permissions.includes('admin')) core.notice(adminNotice(user, project))
  } else if (checked.permissionsRefused) {
    core.info(
      `The API did not show the user's permissions on the project (HTTP ${checked.permissionsRefused}); the permissions output is empty.`
    )
  }
}

/** The CLI applies PLATFORM_BRANCH to whatever project is selected: a stale one misleads. */
function warnInheritedBranch(projectId: string, branch: string): void {
  const inherited = process.env[ENVIRONMENT_VARIABLE]
  if (branch || !inherited) return
  core.warning(
    `${ENVIRONMENT_VARIABLE}=${printable(inherited)} is set in the job's environment, so later steps use that environment of project ${projectId}. ` +
      'Set the `environment` input instead (it is then checked), or remove the variable.'
  )
}

/** Every value is the server's: a later `run: echo "${{ … }}"` must not print a command either. */
function setOutputs(checked: CheckedProject | undefined): void {
  const environment = checked?.environment
  const shown = (value = ''): string => printable(value)
  core.setOutput('project-title', shown(checked?.project.title))
  core.setOutput('project-region', shown(checked?.project.region))
  core.setOutput('git-url', shown(checked?.project.gitUrl))
  core.setOutput('environment-type', shown(environment?.type))
  core.setOutput('environment-status', shown(environment?.status))
  core.setOutput('environment-url', shown(environment?.url))
  core.setOutput('permissions', shown(checked?.permissions?.join(',')))
}
