// Fault suite, what the action hands to others:
//   - workflow commands: inputs and server text that try to become one, and
//     the CLI's output (a stand-in CLI prints would-be commands);
//   - untrusted code: the warning on pull_request_target and a fork's
//     workflow_run;
//   - child environments: a stand-in CLI and a php shim record the
//     environment the action gave them.
// The runner stand-in acts on commands as the runner does (leading space,
// `##[` anywhere, a bare \r, stop-commands, set-output), so these checks can
// fail. See ./harness.ts for the checks and where the figures go.
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { SANDBOX_USER, makeCa, startApiServer } from '../../../sandbox/api.mjs'
import { canRun, phpAvailable } from '../../../sandbox/availability.mjs'
import { FIXTURES_DIR } from '../../../sandbox/fixtures.mjs'
import { readEnvRecord, standInCliTarGz } from '../../../sandbox/hostile.mjs'
import { ensureTestUser, resetHome, sshSandboxAvailable } from '../../../sandbox/sshd.mjs'
import type { Job } from '../../../sandbox/runner.mjs'
import { gitHubRelease } from '../../../src/install/github/releases.js'
import { downloadVerified } from '../../../src/install/download.js'
import { FaultSandbox, FaultSuite, TOKEN, type Case, type Step } from './harness.js'

const PHP_CASE = 'runner tokens, raw inputs and a workflow secret in the job (php shim records)'
const REAL_CLI_CASE =
  'runner tokens, raw inputs and a workflow secret in the job (real CLI, ssh-keygen shim records)'
const suite = new FaultSuite(import.meta.url)
const sb = new FaultSandbox(suite)
const withSsh = canRun(
  'real-CLI child-environment case',
  sshSandboxAvailable(),
  'it needs root and /usr/sbin/sshd'
)
// Counted whether or not PHP is here: skipped cases keep `npm run figures` from writing.
const withPhp = canRun(
  'Web PaaS child-environment cases',
  phpAvailable(),
  'PHP with the curl extension is missing'
)

/** No injected command took effect: no output, state, mask or annotation of the attacker's. */
function expectNoInjection(step: Step, job: Job): void {
  const acted = step.commands.filter((c) =>
    ['set-output', 'save-state', 'set-env', 'add-path'].includes(c.name)
  )
  expect(acted).toEqual([])
  expect(Object.keys(step.outputs).filter((k) => k.startsWith('injected'))).toEqual([])
  expect(Object.keys(step.state).filter((k) => k.startsWith('injected'))).toEqual([])
  expect(job.masks).not.toContain('Generating')
  expect([...step.warnings, ...step.errors, ...step.notices].join()).not.toMatch(/^injected$/m)
}

const INJECTION = '::set-output name=injected::1'
/** The first log line matching `pattern`, for the docs. */
const logLine = (step: Step, pattern: RegExp): string => pattern.exec(step.log)?.[0] ?? '(none)'

const injectionCases: Case[] = [
  {
    fault: 'releases-url holding a line break and ::set-output',
    expect: 'refused',
    message: /Input `releases-url` contains a line break \(\\n\) at character \d+/,
    inputs: () => ({
      ...sb.base(),
      'releases-url': `${sb.server.releasesUrl('upsun/cli')}\n${INJECTION}`
    }),
    check: expectNoInjection
  },
  {
    fault: 'api-url holding a bare \\r and ::warning',
    expect: 'refused',
    message: /Input `api-url` contains a carriage return \(\\r\)/,
    inputs: () => ({ ...sb.withToken(), 'api-url': `${sb.api.origin}\r::warning::injected` }),
    check: expectNoInjection
  },
  {
    fault: 'version holding U+2028 and ::set-output',
    expect: 'refused',
    message: /Input `version` contains U\+2028/,
    inputs: () => ({ ...sb.base(), version: `${sb.real}\u2028${INJECTION}` }),
    check: expectNoInjection
  },
  {
    fault: '/users/me email holding \\n, \\r and ##[ commands',
    expect: 'survived',
    inputs: () => sb.withToken(),
    inject: () =>
      sb.api.fault(/^\/users\/me$/, {
        status: 200,
        body: JSON.stringify({
          ...SANDBOX_USER,
          email: `bot@example.com\n${INJECTION}\r::warning::injected ##[set-output name=injected-old;]1`
        })
      }),
    said: (step) => `printed: ${logLine(step, /^Authenticated as .*/m)}`,
    check: (step, job) => {
      expectNoInjection(step, job)
      expect(step.log).toMatch(
        /^Authenticated as bot@example\.com::set-output name=injected::1::warning::injected ## \[set-output/m
      )
      expect(step.outputs['user-email']).toBe(
        'bot@example.com::set-output name=injected::1::warning::injected ## [set-output name=injected-old;]1'
      )
    }
  },
  {
    fault: "the CLI's --version output holding commands (stand-in CLI)",
    expect: 'survived',
    inputs: () => sb.base(),
    inject: () => serveStandInCli(),
    said: (step) => `printed: ${logLine(step, /^upsun --version: .*/m)}`,
    check: (step, job) => {
      expectNoInjection(step, job)
      expect(step.log).toMatch(/^upsun --version: Upsun CLI \S+ ## \[set-output/m)
    }
  },
  ...(withPhp
    ? [
        {
          fault: 'Web PaaS manifest name holding a line break and ::set-output',
          expect: 'survived',
          inputs: () => ({ cli: 'webpaas', 'releases-url': sb.site.url }),
          inject: () =>
            sb.site.setManifest((entries: Array<Record<string, string>>) =>
              entries.map((e) => ({ ...e, name: `webpaas.phar\n${INJECTION}` }))
            ),
          said: (step) => `printed: ${logLine(step, /^Verified: .* matches manifest\.json/m)}`,
          check: (step, job) => {
            expectNoInjection(step, job)
            expect(step.log).toMatch(
              /of webpaas\.phar::set-output name=injected::1 3\.88\.1 matches/
            )
          }
        } satisfies Case
      ]
    : [])
]

/** An event payload file for GITHUB_EVENT_PATH. */
function eventFile(payload: object): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'event-')), 'event.json')
  writeFileSync(file, JSON.stringify(payload))
  return file
}
const baseRepo = { id: 1, full_name: 'acme/site' }
const untrustedCodeCases: Case[] = [
  {
    fault: 'pull_request_target run with a token',
    expect: 'survived',
    inputs: () => sb.withToken(),
    env: () => ({
      GITHUB_EVENT_NAME: 'pull_request_target',
      GITHUB_EVENT_PATH: eventFile({ repository: baseRepo })
    }),
    said: (step) => `warned: ${step.warnings.join(' ')}`,
    check: (s) =>
      expect(s.warnings.join()).toMatch(
        /`pull_request_target`.*UPSUN_CLI_TOKEN for every later step of this job: a later step that checks out and runs the pull request's code/
      )
  },
  {
    fault: "workflow_run from a fork's pull request, with a token",
    expect: 'survived',
    inputs: () => sb.withToken(),
    env: () => ({
      GITHUB_EVENT_NAME: 'workflow_run',
      GITHUB_EVENT_PATH: eventFile({
        repository: baseRepo,
        workflow_run: {
          event: 'pull_request',
          head_repository: { id: 2, full_name: 'mallory/site' }
        }
      })
    }),
    said: (step) => `warned: ${step.warnings.join(' ')}`,
    check: (s) =>
      expect(s.warnings.join()).toMatch(/`workflow_run` for code from the fork mallory\/site/)
  },
  {
    fault: 'workflow_run from the repository itself (no warning)',
    expect: 'survived',
    inputs: () => sb.withToken(),
    env: () => ({
      GITHUB_EVENT_NAME: 'workflow_run',
      GITHUB_EVENT_PATH: eventFile({
        repository: baseRepo,
        workflow_run: { event: 'push', head_repository: baseRepo }
      })
    }),
    said: (step) => `no warning (${step.warnings.length} warnings)`,
    check: (s) => expect(s.warnings.join()).not.toMatch(/later step/)
  }
]

/** Where the stand-in CLI records the environment of each run. */
let standInRecords = ''
/** Serves a stand-in CLI (records its environment, prints would-be commands) as the release asset. */
function serveStandInCli(): void {
  standInRecords = mkdtempSync(path.join(os.tmpdir(), 'stand-in-env-'))
  const body = standInCliTarGz(sb.real, standInRecords)
  sb.server.replace(sb.objectPath(sb.asset()), body)
  sb.server.replace(
    sb.objectPath('checksums.txt'),
    `${createHash('sha256').update(body).digest('hex')}  ${sb.asset()}\n`
  )
}

/** What a job's environment holds that no child of the action needs. */
const RUNNER_SECRETS = {
  ACTIONS_RUNTIME_TOKEN: 'runtime-token-4f3e2d1c0b',
  ACTIONS_RUNTIME_URL: 'https://pipelines.example/runtime/',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token-9a8b7c',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://pipelines.example/oidc?audience=x',
  ACTIONS_CACHE_URL: 'https://artifactcache.example/',
  ACTIONS_RESULTS_URL: 'https://results.example/',
  AWS_SECRET_ACCESS_KEY: 'workflow-level-secret-5e6f'
}
const GITHUB_TOKEN_INPUT = 'ghs_inputgithubtoken0123456789'
/** What every child needs, set in the job so that their passing is checked too. */
const CHILD_NEEDS = { https_proxy: 'http://proxy.invalid:3128', LC_ALL: 'C.UTF-8' }
/** What the CLI needs besides (its own variables; PLATFORM_* name the default project). */
const CLI_NEEDS = { PLATFORM_PROJECT: 'abcdefgh123456' }

/** A recorded child environment holds no runner secret, no raw input, and what the child needs. */
function expectCleanChildEnv(env: Record<string, string>, home: string): void {
  for (const name of Object.keys(RUNNER_SECRETS)) expect(env).not.toHaveProperty(name)
  expect(Object.keys(env).filter((n) => n.startsWith('INPUT_'))).toEqual([])
  const values = Object.values(env).join('\n')
  for (const secret of [...Object.values(RUNNER_SECRETS), GITHUB_TOKEN_INPUT])
    expect(values).not.toContain(secret)
  expect(env).toMatchObject({ HOME: home, LANG: 'C.UTF-8', ...CHILD_NEEDS })
  expect(env.PATH).toBeTruthy()
}

describe('faults: workflow commands, untrusted code, child environments', () => {
  it.each(injectionCases.map((c) => [c.fault, c] as const))(
    'workflow commands: %s',
    async (_f, c) => {
      await suite.expectOutcome('workflow commands', c)
    }
  )
  it.each(untrustedCodeCases.map((c) => [c.fault, c] as const))(
    'untrusted code: %s',
    async (_f, c) => {
      await suite.expectOutcome('untrusted code', c)
    }
  )

  it("the CLI's own runs get no runner token, raw input or workflow secret, and the API token only for ssh-cert:load; their output is echoed with commands stopped", async () => {
    serveStandInCli()
    const job = suite.job({ env: { ...RUNNER_SECRETS, ...CHILD_NEEDS, ...CLI_NEEDS } })
    const step = await job.main(
      { ...sb.withToken(), 'github-token': GITHUB_TOKEN_INPUT, 'ssh-cert': 'true' },
      { timeoutMs: 60_000 }
    )
    // The stand-in fails ssh-cert:load on purpose, printing would-be commands.
    expect(step.exitCode).toBe(1)
    // A refused certificate exports nothing: no token, no session, nothing on PATH.
    expect(step.exported).toEqual({})
    expect(step.paths).toEqual([])
    expect(step.errors.join()).toMatch(
      /upsun ssh-cert:load failed \(exit code 1\): text ## \[set-output .* \/ ::save-state name=injected::1\./
    )
    const version = readEnvRecord(path.join(standInRecords, 'env---version'))
    const load = readEnvRecord(path.join(standInRecords, 'env-ssh-cert:load'))
    for (const env of [version, load]) {
      expectCleanChildEnv(env, job.home)
      expect(env).toMatchObject({
        ...CLI_NEEDS,
        UPSUN_CLI_NO_INTERACTION: '1',
        UPSUN_CLI_UPDATES_CHECK: '0'
      })
    }
    expect(version).not.toHaveProperty('UPSUN_CLI_TOKEN')
    expect(load).toMatchObject({ UPSUN_CLI_TOKEN: TOKEN, UPSUN_CLI_API_BASE_URL: sb.api.origin })
    // The runner saw the CLI's output between ::stop-commands::T and ::T::.
    expectNoInjection(step, job)
    expect(step.log).toMatch(
      /^::stop-commands::([0-9a-f]{32})\n {2}Generating a key\n(?:.*\n)*?::\1::$/m
    )
    suite.record({
      group: 'child environments',
      fault:
        'runner tokens, raw inputs and a workflow secret in the job; CLI output holding commands',
      outcome: 'refused',
      detail: `none reached --version or ssh-cert:load; output echoed between ::stop-commands:: and ::<token>::; ${step.errors.join(' ').replace(/^setup-upsun-cli failed: /, '')}`
    })
  })

  if (withPhp) {
    it('php -r gets no runner token, raw input or workflow secret', async () => {
      const shims = mkdtempSync(path.join(os.tmpdir(), 'php-shim-'))
      const realPhp = execFileSync('sh', ['-c', 'command -v php'], { encoding: 'utf8' }).trim()
      writeFileSync(
        path.join(shims, 'php'),
        `#!/bin/sh\nenv -0 > '${shims}/env-'$$\nexec '${realPhp}' "$@"\n`
      )
      chmodSync(path.join(shims, 'php'), 0o755)
      const job = suite.job({
        env: {
          ...RUNNER_SECRETS,
          ...CHILD_NEEDS,
          ...CLI_NEEDS,
          PATH: `${shims}:${process.env.PATH}`
        }
      })
      const step = await job.main(
        { cli: 'webpaas', 'releases-url': sb.site.url, 'github-token': GITHUB_TOKEN_INPUT },
        { timeoutMs: 60_000 }
      )
      expect(step.errors).toEqual([])
      const records = readdirSync(shims).filter((n) => n.startsWith('env-'))
      // php -r (the preflight), then the launcher's `webpaas --version`.
      expect(records.length).toBeGreaterThanOrEqual(2)
      const envs = records.map((record) => readEnvRecord(path.join(shims, record)))
      for (const env of envs) expectCleanChildEnv(env, job.home)
      const isCliRun = (env: Record<string, string>): boolean =>
        env.OVHCLOUD_WEBPAAS_CLI_NO_INTERACTION === '1'
      // php -r gets nothing of the CLI's; the CLI run through php gets its own.
      const phpProbes = envs.filter((env) => !isCliRun(env))
      const cliRuns = envs.filter(isCliRun)
      expect([phpProbes.length >= 1, cliRuns.length >= 1]).toEqual([true, true])
      for (const env of phpProbes) expect(env).not.toHaveProperty('PLATFORM_PROJECT')
      for (const env of cliRuns) expect(env).toMatchObject(CLI_NEEDS)
      suite.record({
        group: 'child environments',
        fault: PHP_CASE,
        outcome: 'survived',
        detail: `php ran ${records.length} times; none of them in its environment`
      })
    })
  } else {
    suite.skipped('child environments', PHP_CASE, 'PHP is missing')
  }

  // The real CLI: its ssh-cert:load runs ssh-keygen by name, so a shim first on
  // PATH sees the environment the CLI itself was given (and passed on).
  if (withSsh) {
    it("the real CLI's ssh-cert:load (seen through its ssh-keygen child) gets no runner token, raw input or workflow secret", async () => {
      const user = ensureTestUser()
      resetHome(user)
      const caApi = await startApiServer({ tokens: [TOKEN], ca: makeCa(), principals: [user.name] })
      try {
        const shims = mkdtempSync(path.join(os.tmpdir(), 'ssh-keygen-shim-'))
        const realKeygen = execFileSync('sh', ['-c', 'command -v ssh-keygen'], {
          encoding: 'utf8'
        }).trim()
        writeFileSync(
          path.join(shims, 'ssh-keygen'),
          `#!/bin/sh\nenv -0 > '${shims}/env-'$$\nexec '${realKeygen}' "$@"\n`
        )
        chmodSync(path.join(shims, 'ssh-keygen'), 0o755)
        chmodSync(shims, 0o777) // the test user's CLI writes its records here
        const job = suite.job({
          user,
          home: user.home,
          env: {
            ...RUNNER_SECRETS,
            LC_ALL: 'C.UTF-8',
            ...CLI_NEEDS,
            PATH: `${shims}:${(process.env.PATH ?? '')
              .split(':')
              .filter((d) => !d.startsWith('/root'))
              .join(':')}`
          }
        })
        const step = await job.main(
          {
            ...sb.base(),
            token: TOKEN,
            'auth-url': caApi.origin,
            'api-url': caApi.origin,
            'github-token': GITHUB_TOKEN_INPUT,
            'ssh-cert': 'true'
          },
          { timeoutMs: 90_000 }
        )
        expect(step.errors).toEqual([])
        expect(caApi.certificates).toBe(1)
        const envs = readdirSync(shims)
          .filter((n) => n.startsWith('env-'))
          .map((record) => readEnvRecord(path.join(shims, record)))
        expect(envs.length).toBeGreaterThanOrEqual(1)
        for (const env of envs) {
          for (const name of Object.keys(RUNNER_SECRETS)) expect(env).not.toHaveProperty(name)
          expect(Object.keys(env).filter((n) => n.startsWith('INPUT_'))).toEqual([])
          const values = Object.values(env).join('\n')
          for (const secret of [...Object.values(RUNNER_SECRETS), GITHUB_TOKEN_INPUT])
            expect(values).not.toContain(secret)
          expect(env).toMatchObject({ HOME: user.home, LC_ALL: 'C.UTF-8', ...CLI_NEEDS })
        }
        const post = await job.post()
        expect(post.exitCode).toBe(0)
        suite.record({
          group: 'child environments',
          fault: REAL_CLI_CASE,
          outcome: 'survived',
          detail: `certificate loaded; ssh-keygen ran ${envs.length} time(s) under the real CLI, with none of them in its environment`
        })
      } finally {
        await caApi.close()
        resetHome(user)
      }
    })
  } else {
    suite.skipped('child environments', REAL_CLI_CASE, 'it needs root and sshd (a test user)')
  }

  // Windows assets are zips: unpacked in this process, so no unzip or
  // PowerShell child can get the job's environment. Shims first on PATH record
  // any call (the previous extractor, tool-cache's, ran `unzip` from PATH here).
  it('the Windows zip is unpacked without a child process: no unzip, pwsh or powershell runs (download module, Windows path)', async () => {
    const shims = mkdtempSync(path.join(os.tmpdir(), 'unzip-shims-'))
    for (const name of ['unzip', 'pwsh', 'powershell']) {
      writeFileSync(
        path.join(shims, name),
        `#!/bin/sh\nenv -0 > '${shims}/called-${name}'\nexit 1\n`
      )
      chmodSync(path.join(shims, name), 0o755)
    }
    // What unzip(1) itself makes of the same zip, as the reference (run before the shims).
    const version = '5.10.0' // the sandbox release that publishes a Windows zip
    const zipAsset = `upsun_${version}_windows_amd64.zip`
    const zipFile = path.join(FIXTURES_DIR, 'upsun-5.10.0-stub-linux_amd64+windows_amd64', zipAsset)
    const unzip = execFileSync('sh', ['-c', 'command -v unzip'], { encoding: 'utf8' }).trim()
    const expected = new Map(
      execFileSync(unzip, ['-Z1', zipFile], { encoding: 'utf8' })
        .split('\n')
        .filter((name) => name && !name.endsWith('/'))
        .map((name) => [
          name,
          createHash('sha256')
            .update(execFileSync(unzip, ['-p', zipFile, name]))
            .digest('hex')
        ])
    )
    const savedPath = process.env.PATH
    process.env.PATH = `${shims}:${savedPath}`
    const parent = mkdtempSync(path.join(os.tmpdir(), 'zip-staging-'))
    try {
      const release = gitHubRelease(version, `v${version}`, sb.server.releasesUrl('upsun/cli'))
      const target = { assetSuffix: 'windows_amd64', archive: 'zip' as const, exeSuffix: '.exe' }
      const got = await downloadVerified(release, zipAsset, target, async () => {
        const staging = path.join(parent, 'staging')
        mkdirSync(staging)
        return staging
      })
      expect(new Map(got.files)).toEqual(expected)
      expect(expected.has('upsun.exe')).toBe(true)
    } finally {
      process.env.PATH = savedPath
    }
    expect(readdirSync(shims).filter((n) => n.startsWith('called-'))).toEqual([])
    suite.record({
      group: 'child environments',
      fault: 'Windows zip unpacked with unzip, pwsh and powershell shims on PATH (download module)',
      outcome: 'survived',
      detail: 'unpacked in process, every file as unzip(1) reads it; none of the shims ran'
    })
  })

  it('leaks nothing in any of these runs, and records its figures', () => {
    suite.expectNoLeaks(injectionCases.length + untrustedCodeCases.length + 4)
  })
})
