// Runs a caller of the shipped reusable workflows under act, the way a
// user's repository gets them: `upsun/setup-cli@v1` is this tree (staged),
// and preview.yml's pinned checkout is mapped to the suite's stand-in.
import { readFileSync } from 'node:fs'
import { runAct, stageAct } from '../../sandbox/act.mjs'

/** preview.yml's pinned checkout, which act fetches up front even when its step is skipped. */
export const CHECKOUT = /uses: (actions\/checkout@[0-9a-f]{40})/.exec(
  readFileSync('.github/workflows/preview.yml', 'utf8')
)?.[1]

type ActOptions = Parameters<typeof runAct>[0]

/** What a suite's runs share: secrets, the sandbox's variables, the GitHub stand-in, the checkout stand-in. */
export interface ReusableSetup {
  token: string
  githubToken: string
  vars: Record<string, string>
  githubOrigin: string
  checkoutStandIn: string
  user?: ActOptions['user']
}

/** Runs `__tests__/act/workflows/<workflow>.yml` with the suite's setup. */
export function runReusable(
  setup: ReusableSetup,
  workflow: string,
  extra: Partial<ActOptions> = {}
): ReturnType<typeof runAct> {
  return runAct({
    workflow: `__tests__/act/workflows/${workflow}.yml`,
    secrets: { UPSUN_CLI_TOKEN: setup.token, GITHUB_TOKEN: setup.githubToken },
    vars: setup.vars,
    ...(setup.user ? { user: setup.user } : {}),
    env: {
      GITHUB_API_URL: setup.githubOrigin,
      GITHUB_REPOSITORY: 'example-org/storefront',
      SETUP_UPSUN_CLI_POLL_MS: '200'
    },
    // What a user's repository gets from `uses: upsun/setup-cli@v1`: this tree.
    args: [
      '--local-repository',
      `upsun/setup-cli@v1=${stageAct().repo}`,
      '--local-repository',
      `${CHECKOUT}=${setup.checkoutStandIn}`
    ],
    ...extra
  })
}
