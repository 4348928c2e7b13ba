// The job's own unpack directory for the Go CLI ({P}TMP): fresh, private, and
// the only directory post will remove under that name.
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { isCliTmp, openCliTmp } from '../../src/auth/cliTmp.js'
import { CLIS } from '../../src/clis.js'

const runnerTemp = (): string => mkdtempSync(path.join(os.tmpdir(), 'runner-temp-'))

describe('openCliTmp', () => {
  it('makes a fresh 0700 directory under RUNNER_TEMP and names it in {P}TMP', () => {
    const env: NodeJS.ProcessEnv = { RUNNER_TEMP: runnerTemp() }
    const a = openCliTmp(CLIS.upsun, env)
    expect(a?.variable).toBe('UPSUN_CLI_TMP')
    expect(env.UPSUN_CLI_TMP).toBe(a?.dir)
    expect(path.dirname(a?.dir ?? '')).toBe(env.RUNNER_TEMP)
    expect(statSync(a?.dir ?? '').mode & 0o777).toBe(0o700)
    const b = openCliTmp(CLIS.platform, env)
    expect(b?.variable).toBe('PLATFORMSH_CLI_TMP')
    expect(b?.dir).not.toBe(a?.dir)
  })

  it('reports a value the workflow set, and still uses a fresh directory', () => {
    const env: NodeJS.ProcessEnv = { RUNNER_TEMP: runnerTemp(), UPSUN_CLI_TMP: '/shared/cache' }
    const tmp = openCliTmp(CLIS.upsun, env)
    expect(tmp?.workflowValue).toBe('/shared/cache')
    expect(env.UPSUN_CLI_TMP).toBe(tmp?.dir)
  })

  it('makes nothing for the Web PaaS phar, which unpacks nothing', () => {
    const env: NodeJS.ProcessEnv = { RUNNER_TEMP: runnerTemp() }
    expect(openCliTmp(CLIS.webpaas, env)).toBeUndefined()
    expect(env).toEqual({ RUNNER_TEMP: env.RUNNER_TEMP })
  })
})

describe('isCliTmp', () => {
  it('accepts what openCliTmp made, and nothing else', () => {
    const env: NodeJS.ProcessEnv = { RUNNER_TEMP: runnerTemp() }
    const made = openCliTmp(CLIS.upsun, env)?.dir
    expect(isCliTmp(made, env)).toBe(true)
    for (const other of [
      env.RUNNER_TEMP,
      os.homedir(),
      path.join(env.RUNNER_TEMP ?? '', 'setup-upsun-cli-tmp-abc'),
      path.join(env.RUNNER_TEMP ?? '', 'x', path.basename(made ?? '')),
      `${made}/..`,
      'setup-upsun-cli-tmp-abcdef',
      42
    ])
      expect(isCliTmp(other, env)).toBe(false)
  })
})
