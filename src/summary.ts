import * as core from '@actions/core'
import type { TokenUser } from './auth/verify.js'
import type { ActionInputs } from './inputs.js'
import type { Installed } from './install/install.js'
import type { CheckedProject } from './project/check.js'
import { printable } from './text.js'

export interface SummaryFacts {
  readonly inputs: ActionInputs
  readonly installed: Installed
  readonly user?: TokenUser
  /** The project (and environment) checked online, if any. */
  readonly project?: CheckedProject
  readonly authenticated: boolean
  readonly sshCertExpiresAt?: string
}

/** A job summary table: facts only, never a secret; nothing outside a runner. */
export async function writeSummary(facts: SummaryFacts): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const { inputs, installed, user } = facts
  const auth = !facts.authenticated
    ? 'no token (install only)'
    : user
      ? `${cell(user.email || 'user')} (${cell(user.id)})`
      : 'token exported, not checked online'
  const rows: string[][] = [
    ['CLI', `${inputs.cli.title} (<code>${inputs.cli.binary}</code>)`],
    ['Version', cell(installed.version)],
    ['Tool cache', installed.cacheHit ? 'hit' : 'miss (downloaded)'],
    // Holds the asset's name (from a manifest, or a cache record on a hit).
    ['Verification', cell(installed.verification)],
    ['Authenticated as', auth]
  ]
  rows.push(...projectRows(inputs, facts.project))
  if (facts.sshCertExpiresAt) rows.push(['SSH certificate expires', cell(facts.sshCertExpiresAt)])
  // core.summary writes cells as given: every server value went through cell().
  await core.summary
    .addHeading(`${inputs.cli.title} set up`, 3)
    .addTable([
      [
        { data: 'What', header: true },
        { data: 'Value', header: true }
      ],
      ...rows
    ])
    .write()
}

/** Project and environment rows: what later steps are bound to, checked or not. */
function projectRows(inputs: ActionInputs, checked?: CheckedProject): string[][] {
  if (!inputs.project) return []
  if (!checked) {
    const rows = [['Project', `<code>${cell(inputs.project)}</code> (not checked online)`]]
    if (inputs.environment)
      rows.push(['Environment', `<code>${cell(inputs.environment)}</code> (not checked online)`])
    return rows
  }
  const { project, environment } = checked
  const rows = [
    [
      'Project',
      `${cell(project.title)} (<code>${cell(project.id)}</code>, ${cell(project.region)})`
    ]
  ]
  if (environment) {
    const url = environment.url ? `, ${cell(environment.url)}` : ''
    rows.push([
      'Environment',
      `<code>${cell(environment.id)}</code> (${cell(environment.type)}, ${cell(environment.status)}${url})`
    ])
  }
  if (checked.permissions) rows.push(['Permissions', cell(checked.permissions.join(', '))])
  return rows
}

/** Server text in an HTML table cell: printable, with markup escaped. */
function cell(value: string): string {
  return printable(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
