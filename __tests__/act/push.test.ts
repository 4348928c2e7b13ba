// The push paths of the shipped reusable workflows under nektos/act (host
// mode): deploy.yml with `push: true` and preview.yml with
// `integration: false` run the real CLI's `upsun push` to the sandbox's git
// host. The project's repository.url names git.eu-5.platform.sh, the
// platform's host, so the CLI adds its certificate and host keys; the test
// user's ~/.ssh/config sends that name to the sandbox sshd (loopback has no
// DNS for it), whose post-receive hook tells the sandbox API what arrived.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ACT_PATH, actAvailable, findActLeaks, runAct, stageAct } from '../../sandbox/act.mjs'
import { makeCa, startApiServer } from '../../sandbox/api.mjs'
import { canRun } from '../../sandbox/availability.mjs'
import { startGithubApi } from '../../sandbox/github.mjs'
import { startSandboxReleases } from '../../sandbox/index.mjs'
import { SANDBOX_PROJECT } from '../../sandbox/projects.mjs'
import { runReusable } from './reusable.js'
import {
  chownTree,
  ensureTestUser,
  resetHome,
  sshSandboxAvailable,
  startSshd
} from '../../sandbox/sshd.mjs'

const TOKEN = 'act-push-token-1a2b3c4d5e6f7a8b'
const GITHUB_TOKEN = 'ghs_actpushwriter00000000000000000001'
const PROJECT = SANDBOX_PROJECT.id
const available =
  canRun(
    'act push suite',
    actAvailable(),
    `nektos/act is not at ${ACT_PATH}`,
    'it is shared/tools/act beside the clone; or set SETUP_UPSUN_CLI_ACT to its path'
  ) && canRun('act push suite', sshSandboxAvailable(), 'it needs root and /usr/sbin/sshd')

let releases: Awaited<ReturnType<typeof startSandboxReleases>>
let api: Awaited<ReturnType<typeof startApiServer>>
let github: Awaited<ReturnType<typeof startGithubApi>>
let sshd: Awaited<ReturnType<typeof startSshd>>
let user: ReturnType<typeof ensureTestUser>
let vars: Record<string, string>
let checkoutStandIn: string

/**
 * preview.yml checks out the pull request's head by ref, which act does not
 * skip; with no network here, the stand-in does what checkout does from act's
 * repository (this tree, staged): clone it and check that ref out.
 */
function standInForCheckout(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'checkout-stand-in-'))
  writeFileSync(
    path.join(dir, 'action.yml'),
    [
      'name: stand-in',
      'description: checks out a ref of the staged repository',
      'inputs:',
      '  ref: {}',
      '  fetch-depth: {}',
      '  persist-credentials: {}',
      'runs:',
      '  using: composite',
      '  steps:',
      // The staged repository is root's and the job the test user's: git 2.39
      // reads safe.directory only from global config, so a throwaway one.
      '    - run: |',
      '        export GIT_CONFIG_GLOBAL="$RUNNER_TEMP/checkout.gitconfig"',
      '        git config --global safe.directory "$SOURCE/.git"',
      '        git clone -q --no-checkout "$SOURCE" . && git checkout -q --detach "$REF"',
      '      shell: bash',
      '      env:',
      '        REF: ${{ inputs.ref }}',
      `        SOURCE: ${stageAct().repo}`,
      ''
    ].join('\n')
  )
  chownTree(dir, user)
  return dir
}

beforeAll(async () => {
  if (!available) return
  user = ensureTestUser()
  const ca = makeCa()
  releases = await startSandboxReleases()
  api = await startApiServer({ tokens: [TOKEN], ca, principals: [user.name] })
  github = await startGithubApi({ tokens: [GITHUB_TOKEN] })
  sshd = await startSshd({ caPub: ca.pub, user })
  sshd.notifyPushes(`${api.origin}/__sandbox/received/${PROJECT}`)
  api.world.setRepository(PROJECT, `${user.name}@git.eu-5.platform.sh:${sshd.repo}`)
  checkoutStandIn = standInForCheckout()
  vars = {
    CLI_VERSION: releases.version,
    RELEASES_URL: releases.server.releasesUrl('upsun/cli'),
    API_URL: api.origin,
    PROJECT
  }
}, 300_000)
afterAll(async () => {
  if (!available) return
  resetHome(user)
  await releases.server.close()
  await api.close()
  await github.close()
  await sshd.close()
})

/** The test user's ssh: the platform's git host name goes to the sandbox sshd, its key pinned. */
function sshHome() {
  resetHome(user)
  const dir = path.join(user.home, '.ssh')
  mkdirSync(dir, { mode: 0o700 })
  writeFileSync(
    path.join(dir, 'config'),
    `Host git.eu-5.platform.sh\n  HostName 127.0.0.1\n  Port ${sshd.port}\n  HostKeyAlias git.eu-5.platform.sh\n`
  )
  writeFileSync(path.join(dir, 'known_hosts'), readFileSync(sshd.knownHosts))
  chownTree(user.home, user)
}
const branchHead = (branch: string) =>
  execFileSync('git', ['--git-dir', sshd.repo, 'rev-parse', `refs/heads/${branch}`], {
    encoding: 'utf8'
  }).trim()
const calls = () => api.requests.map((r) => `${r.method} ${r.path}`)

type Run = Awaited<ReturnType<typeof runAct>>
const act = (workflow: string, extra: Partial<Parameters<typeof runAct>[0]> = {}) =>
  runReusable(
    {
      token: TOKEN,
      githubToken: GITHUB_TOKEN,
      vars,
      githubOrigin: github.origin,
      checkoutStandIn,
      user
    },
    workflow,
    extra
  )
const noLeaks = (run: Run) =>
  expect(findActLeaks(run, [TOKEN, GITHUB_TOKEN, ...api.accessTokens])).toEqual([])

const describeAct = available ? describe : describe.skip

describeAct('the reusable workflows push with the real CLI under nektos/act', () => {
  it('deploy with push: true pushes the commit to its environment and reports its deploy', async () => {
    sshHome()
    const sha = stageAct().sha
    // Shows only once the git host has received the commit.
    api.world.script({
      project: PROJECT,
      environment: 'main',
      commit: sha,
      steps: ['pending', 'in_progress', 'success'],
      onPush: true
    })
    const run = await act('deploy-push-caller')
    expect(run.timedOut).toBe(false)
    expect({ exitCode: run.exitCode, outputs: run.outputs }).toEqual({
      exitCode: 0,
      outputs: {
        url: `https://main-bvxea6i-${PROJECT}.eu-5.platformsh.site/`,
        'deployment-result': 'success'
      }
    })
    expect(branchHead('main')).toBe(sha)
    expect(calls()).toContain('POST /ssh')
    expect(calls()).toContain(`POST /__sandbox/received/${PROJECT}`)
    noLeaks(run)
  }, 300_000)

  it('preview with integration: false pushes the head to pr-N branched from the base; closed removes it', async () => {
    sshHome()
    const sha = stageAct().sha
    api.world.script({
      project: PROJECT,
      environment: 'pr-9',
      commit: sha,
      steps: ['pending', 'in_progress', 'success'],
      onPush: true
    })
    const payload = (action: string) => ({
      action,
      number: 9,
      pull_request: {
        number: 9,
        title: 'Gift cards',
        head: { sha, ref: 'feature/gift-cards', repo: { full_name: 'example-org/storefront' } },
        base: { ref: 'main', repo: { full_name: 'example-org/storefront' } }
      },
      repository: { full_name: 'example-org/storefront' }
    })
    const opened = await act('preview-push-caller', {
      event: 'pull_request',
      payload: payload('opened')
    })
    expect(opened.timedOut).toBe(false)
    const environment = api.world
      .environmentsOf(PROJECT)
      .find((e: { id: string }) => e.id === 'pr-9')
    // Created by the push (the CLI's push options), active, from the base, titled after the PR.
    expect(environment).toMatchObject({
      parent: 'main',
      status: 'active',
      title: 'PR #9: Gift cards'
    })
    expect(branchHead('pr-9')).toBe(sha)
    const url = `https://${environment?.machine_name}-${PROJECT}.eu-5.platformsh.site/`
    expect({ exitCode: opened.exitCode, outputs: opened.outputs }).toEqual({
      exitCode: 0,
      outputs: { url, 'deployment-result': 'success' }
    })
    expect(github.comments.filter((c) => c.issue === 9)).toEqual([
      expect.objectContaining({ body: expect.stringContaining(`on \`pr-9\`: ${url}`) })
    ])

    const closed = await act('preview-push-caller', {
      event: 'pull_request',
      payload: payload('closed')
    })
    expect(closed.exitCode).toBe(0)
    expect(api.world.environmentsOf(PROJECT).map((e: { id: string }) => e.id)).not.toContain('pr-9')
    expect(calls().indexOf(`POST /projects/${PROJECT}/environments/pr-9/deactivate`)).toBeLessThan(
      calls().indexOf(`DELETE /projects/${PROJECT}/environments/pr-9`)
    )
    for (const run of [opened, closed]) noLeaks(run)
  }, 600_000)
})
