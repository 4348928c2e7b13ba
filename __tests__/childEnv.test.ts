import { afterEach, describe, expect, it } from '@jest/globals'
import { childEnv, forgetJobSecrets } from '../src/childEnv.js'
import { CLIS, cliEnv } from '../src/clis.js'

// What a job's environment holds that no child of the action needs.
const RUNNER_SECRETS = {
  ACTIONS_RUNTIME_TOKEN: 'runtime-token-secret',
  ACTIONS_RUNTIME_URL: 'https://pipelines.example/runtime',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-secret',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://pipelines.example/oidc',
  ACTIONS_CACHE_URL: 'https://artifactcache.example/',
  ACTIONS_RESULTS_URL: 'https://results.example/',
  INPUT_TOKEN: 'input-token-secret',
  'INPUT_GITHUB-TOKEN': 'input-github-token-secret',
  GITHUB_TOKEN: 'github-token-secret',
  AWS_SECRET_ACCESS_KEY: 'a-workflow-secret'
}
// What they do need.
const NEEDED = {
  PATH: '/usr/bin:/bin',
  HOME: '/home/runner',
  LANG: 'C.UTF-8',
  LC_ALL: 'C.UTF-8',
  TMPDIR: '/tmp/job',
  https_proxy: 'http://proxy.internal:3128',
  NO_PROXY: 'localhost',
  SSL_CERT_FILE: '/etc/ssl/proxy-ca.pem',
  SystemRoot: 'C:\\Windows'
}

const saved = { ...process.env }
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key]
  Object.assign(process.env, saved)
})

describe('childEnv (php -r and every other child)', () => {
  it('passes what programs need and none of the runner secrets, raw inputs or workflow secrets', () => {
    Object.assign(process.env, RUNNER_SECRETS, NEEDED, { UPSUN_CLI_SESSION_ID: 's' })
    const env = childEnv()
    expect(env).toMatchObject(NEEDED)
    for (const name of Object.keys(RUNNER_SECRETS)) expect(env).not.toHaveProperty(name)
    expect(env).not.toHaveProperty('UPSUN_CLI_SESSION_ID')
  })
})

describe('cliEnv (the CLI runs of the action)', () => {
  it("passes the CLI's own variables and PLATFORM_*, CI settings, and no token unless asked", () => {
    Object.assign(process.env, RUNNER_SECRETS, NEEDED, {
      UPSUN_CLI_SESSION_ID: 'gh-123-1-abc',
      UPSUN_CLI_API_BASE_URL: 'https://api.example',
      UPSUN_CLI_TOKEN: 'job-level-token',
      UPSUN_CLI_DEBUG: '1',
      PLATFORM_PROJECT: 'abcdefgh',
      PLATFORM_BRANCH: 'main',
      PLATFORMSH_CLI_TOKEN: 'another-cli-token'
    })
    const env = cliEnv(CLIS.upsun)
    expect(env).toMatchObject({
      ...NEEDED,
      UPSUN_CLI_SESSION_ID: 'gh-123-1-abc',
      UPSUN_CLI_API_BASE_URL: 'https://api.example',
      PLATFORM_PROJECT: 'abcdefgh',
      PLATFORM_BRANCH: 'main',
      UPSUN_CLI_NO_INTERACTION: '1',
      UPSUN_CLI_UPDATES_CHECK: '0'
    })
    for (const name of [
      ...Object.keys(RUNNER_SECRETS),
      'UPSUN_CLI_TOKEN',
      'UPSUN_CLI_DEBUG',
      'PLATFORMSH_CLI_TOKEN'
    ])
      expect(env).not.toHaveProperty(name)
  })

  it('puts the token in only when the run needs it', () => {
    expect(cliEnv(CLIS.webpaas, { token: 'the-token-1234' })).toMatchObject({
      OVHCLOUD_WEBPAAS_CLI_TOKEN: 'the-token-1234'
    })
  })
})

describe('forgetJobSecrets (right after the inputs are read)', () => {
  it('removes the token inputs and every ACTIONS_* variable from this process, and nothing else', () => {
    Object.assign(process.env, RUNNER_SECRETS, NEEDED, {
      Actions_Odd_Case: 'x',
      INPUT_VERSION: '5.x',
      INPUT_TOKENS: 'not an input of ours'
    })
    forgetJobSecrets()
    for (const name of [
      'ACTIONS_RUNTIME_TOKEN',
      'ACTIONS_RUNTIME_URL',
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
      'ACTIONS_ID_TOKEN_REQUEST_URL',
      'ACTIONS_CACHE_URL',
      'ACTIONS_RESULTS_URL',
      'Actions_Odd_Case',
      'INPUT_TOKEN',
      'INPUT_GITHUB-TOKEN'
    ])
      expect(process.env).not.toHaveProperty(name)
    expect(process.env).toMatchObject({
      ...NEEDED,
      INPUT_VERSION: '5.x',
      INPUT_TOKENS: 'not an input of ours',
      GITHUB_TOKEN: 'github-token-secret',
      AWS_SECRET_ACCESS_KEY: 'a-workflow-secret'
    })
  })
})
