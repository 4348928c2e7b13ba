// The CLI's user config (`~/.upsun-cli/config.yaml`): the CLI takes any setting
// from it, so a file that sets anything is refused, naming the file and keys.
import { describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { refuseUserConfig, userConfigFile } from '../../src/auth/userConfig.js'
import { CLIS } from '../../src/clis.js'

const userDirWith = (text?: string): string => {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'user-config-')), '.upsun-cli')
  mkdirSync(dir)
  if (text !== undefined) writeFileSync(userConfigFile(dir), text)
  return dir
}

describe('refuseUserConfig', () => {
  it('accepts no file, and a file that sets nothing (the CLI ignores it too)', async () => {
    for (const text of [undefined, '', '# a comment\n\n', '---\n', '{}\n', 'null\n']) {
      await expect(refuseUserConfig(CLIS.upsun, userDirWith(text))).resolves.toBeUndefined()
    }
  })

  it('refuses endpoints planted by an earlier job, naming the file and every key', async () => {
    const dir = userDirWith(
      'api:\n  auth_url: http://127.0.0.1:9\n  base_url: http://127.0.0.1:9\n  oauth2_token_url: http://127.0.0.1:9/t\n'
    )
    await expect(refuseUserConfig(CLIS.upsun, dir)).rejects.toThrow(
      `${userConfigFile(dir)} sets api.auth_url, api.base_url, api.oauth2_token_url. Upsun CLI takes any setting from this file`
    )
  })

  it('refuses the settings that would rename the variables or move the sessions', async () => {
    const dir = userDirWith(
      'application: {env_prefix: X_, writable_user_dir: /tmp/w}\nssh:\n  options: [ProxyCommand x]\n'
    )
    await expect(refuseUserConfig(CLIS.platform, dir)).rejects.toThrow(
      /sets application\.env_prefix, application\.writable_user_dir, ssh\.options\. Platform\.sh CLI .* auth-url and api-url inputs, or PLATFORMSH_CLI_\* variables\./
    )
  })

  it('refuses a file it cannot parse or read, and a huge one unread', async () => {
    await expect(refuseUserConfig(CLIS.upsun, userDirWith('api: [\n'))).rejects.toThrow(
      /is not valid YAML/
    )
    const dirAsFile = userDirWith()
    mkdirSync(userConfigFile(dirAsFile))
    await expect(refuseUserConfig(CLIS.upsun, dirAsFile)).rejects.toThrow(/cannot be read/)
    await expect(
      refuseUserConfig(CLIS.upsun, userDirWith(`# ${'x'.repeat(70_000)}\n`))
    ).rejects.toThrow(/holds 70003 characters/)
  })

  it('prints keys through printable(), and at most twelve of them', async () => {
    const many = Array.from({ length: 15 }, (_, i) => `k${i}: 1`).join('\n')
    await expect(refuseUserConfig(CLIS.upsun, userDirWith(many))).rejects.toThrow(
      /sets k0, k1, .*k11 and 3 more\./
    )
    const hostile = '"a\\n::set-output name=x::1\\u202e": 1\n'
    const error = await refuseUserConfig(CLIS.upsun, userDirWith(hostile)).catch((e: Error) => e)
    expect(String(error)).toContain('sets a::set-output name=x::1.')
  })
})
