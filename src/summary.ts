import * as core from '@actions/core'
import type { TokenUser } from './auth/verify.js'
import type { ActionInputs } from './inputs.js'
import type { Installed } from './install/install.js'

export interface SummaryFacts {
  readonly inputs: ActionInputs
  readonly installed: Installed
  readonly user?: TokenUser
  readonly authenticated: boolean
  readonly sshCertExpiresAt?: string
}

/** A job summary table: facts only, never a secret. */
export async function writeSummary(facts: SummaryFacts): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const { inputs, installed, user } = facts
  const auth = !facts.authenticated
    ? 'no token (install only)'
    : user
      ? `${user.email || 'user'} (${user.id})`
      : 'token exported, not checked online'
  const rows: string[][] = [
    ['CLI', `${inputs.cli.title} (\`${inputs.cli.binary}\`)`],
    ['Version', installed.version],
    ['Tool cache', installed.cacheHit ? 'hit' : 'miss (downloaded)'],
    ['Verification', installed.verification],
    ['Authenticated as', auth]
  ]
  if (facts.sshCertExpiresAt) rows.push(['SSH certificate expires', facts.sshCertExpiresAt])
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
