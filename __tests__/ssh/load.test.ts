// Loading the SSH certificate, with the CLI's `ssh-cert:load` as a stand-in
// that writes what the real CLI writes (a key, a certificate made by
// ssh-keygen, its block in ~/.ssh/config). Everything post must undo is in
// the saved state before it is done.
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import { makeCertificate } from '../../__fixtures__/sshCertificate.js'
import type * as actionsExec from '@actions/exec'
import type * as actionsIo from '@actions/io'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as core from '../../__fixtures__/core.js'

const which = jest.fn<typeof actionsIo.which>()
const getExecOutput = jest.fn<typeof actionsExec.getExecOutput>()
jest.unstable_mockModule('@actions/core', () => core)
jest.unstable_mockModule('@actions/io', () => ({ which }))
jest.unstable_mockModule('@actions/exec', () => ({ getExecOutput }))
const { loadSshCert } = await import('../../src/ssh/load.js')
const { CLIS } = await import('../../src/clis.js')

const tmp = (): string => mkdtempSync(path.join(os.tmpdir(), 'ssh-load-'))

/** A key and a certificate valid until 2030-01-02T04:05:06Z. */
const certificate = makeCertificate('20300102030405:20300102040506')

let home: string
let saved: Record<string, string>
beforeEach(() => {
  jest.resetAllMocks()
  core.resetCore()
  home = tmp()
  process.env.RUNNER_TEMP = tmp()
  saved = {}
  core.saveState.mockImplementation((key, value) => void (saved[key] = String(value)))
  which.mockResolvedValue('/usr/bin/ssh-keygen')
})

const SESSION = 'gha-1-1-0123abcd'

/** What the real CLI does on ssh-cert:load: key + certificate in its session, a config block. */
function cliWritesCertificate(exitCode = 0, key = 'id_ed25519'): void {
  getExecOutput.mockImplementation(async () => {
    if (exitCode === 0) {
      const keyDir = path.join(home, '.upsun-cli', '.session', `sess-cli-${SESSION}`, 'ssh')
      mkdirSync(keyDir, { recursive: true })
      writeFileSync(path.join(keyDir, key), certificate.key, { mode: 0o644 })
      writeFileSync(path.join(keyDir, `${key}-cert.pub`), certificate.cert, { mode: 0o644 })
      writeFileSync(
        path.join(home, '.ssh', 'config'),
        '# BEGIN: Upsun certificate configuration\nHost *.upsun.com\n# END: Upsun certificate configuration\n'
      )
    }
    return {
      exitCode,
      stdout: exitCode === 0 ? 'The SSH certificate was loaded.' : 'Access denied',
      stderr: ''
    }
  })
}

const options = (overrides: Partial<Parameters<typeof loadSshCert>[0]> = {}) => ({
  cli: CLIS.upsun,
  binaryPath: '/cache/upsun',
  version: '5.11.1',
  env: { UPSUN_CLI_TOKEN: 'token-in-the-environment', UPSUN_CLI_SESSION_ID: SESSION },
  home,
  sshHome: home,
  ...overrides
})

describe('loadSshCert', () => {
  it('runs ssh-cert:load with the token in its environment only, and reads the expiry', async () => {
    cliWritesCertificate()
    const cert = await loadSshCert(options())
    expect(cert.expiresAt).toBe('2030-01-02T04:05:06Z')
    expect(cert.path).toBe(
      path.join(home, '.upsun-cli', '.session', `sess-cli-${SESSION}`, 'ssh', 'id_ed25519-cert.pub')
    )
    const [binary, args, execOptions] = getExecOutput.mock.calls[0]
    expect(binary).toBe('/cache/upsun')
    expect(args).toEqual(['ssh-cert:load', '--no-interaction'])
    expect(JSON.stringify(args)).not.toContain('token-in-the-environment')
    expect(execOptions?.env).toEqual({
      UPSUN_CLI_TOKEN: 'token-in-the-environment',
      UPSUN_CLI_SESSION_ID: SESSION
    })
    // Private files are tightened; ~/.ssh was created and recorded for post.
    expect(statSync(path.join(path.dirname(cert.path), 'id_ed25519')).mode & 0o077).toBe(0)
    const state = JSON.parse(saved.ssh) as { createdDirs: string[]; configs: { file: string }[] }
    expect(state.createdDirs).toEqual([path.join(home, '.ssh')])
    expect(state.configs.map((c) => c.file)).toEqual([path.join(home, '.ssh', 'config')])
    expect(core.info).toHaveBeenCalledWith('  The SSH certificate was loaded.')
  })

  it('in a container job, includes the CLI’s config from the home OpenSSH reads', async () => {
    cliWritesCertificate()
    const sshHome = tmp()
    await loadSshCert(options({ sshHome }))
    const config = readFileSync(path.join(sshHome, '.ssh', 'config'), 'utf8')
    expect(config).toContain(`Include ${path.join(home, '.ssh', 'config')}`)
    const state = JSON.parse(saved.ssh) as { configs: { file: string }[] }
    expect(state.configs.map((c) => c.file)).toContain(path.join(sshHome, '.ssh', 'config'))
  })

  it('a failed ssh-cert:load says what the CLI said and what to check, with state saved first', async () => {
    cliWritesCertificate(1)
    await expect(loadSshCert(options())).rejects.toThrow(
      /upsun ssh-cert:load failed \(exit code 1\): Access denied\. .*may get SSH certificates/
    )
    // What post needs to restore ~/.ssh/config, saved before the CLI ran.
    const state = JSON.parse(saved.ssh) as { configs: { file: string }[] }
    expect(state.configs.map((c) => c.file)).toContain(path.join(home, '.ssh', 'config'))
  })

  it('finds the certificate by id_*-cert.pub (a key named after its algorithm), and says it is not MFA-verified', async () => {
    cliWritesCertificate(0, 'id_rsa')
    const cert = await loadSshCert(options())
    expect(path.basename(cert.path)).toBe('id_rsa-cert.pub')
    expect(statSync(path.join(path.dirname(cert.path), 'id_rsa')).mode & 0o077).toBe(0)
    expect(core.info).toHaveBeenCalledWith(
      expect.stringMatching(/no has-mfa@platform\.sh extension: it is not MFA-verified/)
    )
  })

  it('refuses a CLI older than 5.0.6 (no bundled host keys) before running it', async () => {
    cliWritesCertificate()
    await expect(loadSshCert(options({ version: '5.0.5' }))).rejects.toThrow(
      /needs Upsun CLI 5\.0\.6 or later, and `version` is 5\.0\.5/
    )
    expect(getExecOutput).not.toHaveBeenCalled()
  })

  it('success without a certificate on disk is an error', async () => {
    getExecOutput.mockResolvedValue({ exitCode: 0, stdout: '', stderr: '' })
    await expect(loadSshCert(options())).rejects.toThrow(
      /reported success, but wrote no certificate/
    )
  })

  it('needs OpenSSH on the runner', async () => {
    which.mockResolvedValue('')
    await expect(loadSshCert(options())).rejects.toThrow(/needs OpenSSH/)
    expect(getExecOutput).not.toHaveBeenCalled()
  })

  it('warns about the Web PaaS CLI’s missing host keys', async () => {
    which.mockResolvedValue('')
    await expect(loadSshCert(options({ cli: CLIS.webpaas }))).rejects.toThrow(/needs OpenSSH/)
    expect(core.warning).toHaveBeenCalledWith(String(CLIS.webpaas.sshCaveat))
  })

  it('keeps an existing ~/.ssh (not recorded as created)', async () => {
    mkdirSync(path.join(home, '.ssh'))
    cliWritesCertificate()
    await loadSshCert(options())
    expect(existsSync(path.join(home, '.ssh', 'config'))).toBe(true)
    expect((JSON.parse(saved.ssh) as { createdDirs: string[] }).createdDirs).toEqual([])
  })
})
