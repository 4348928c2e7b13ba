// The post step on real temporary files, with the saved state handed in
// through the typed @actions/core fixture: it restores what main changed and
// removes what the token caused, and its own failures are only warnings.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as core from '../__fixtures__/core.js'

jest.unstable_mockModule('@actions/core', () => core)
const { runPost } = await import('../src/post.js')
const { openCliSession, sessionDir } = await import('../src/auth/cliFiles.js')
const { CLIS } = await import('../src/clis.js')
const { openCliTmp } = await import('../src/auth/cliTmp.js')
const TOKEN = 'post-test-token-0123456789'
const { appendBlock, backupConfig } = await import('../src/ssh/config.js')

let saved: Record<string, string>
/** This runner user's home and RUNNER_TEMP, fresh for each test (post checks paths against them). */
let home: string
const env = { ...process.env }
beforeEach(() => {
  jest.resetAllMocks()
  core.resetCore()
  saved = {}
  core.getState.mockImplementation((key) => saved[key] ?? '')
  home = tmp()
  process.env.HOME = home
  process.env.RUNNER_TEMP = tmp()
})
afterEach(() => {
  process.env = { ...env }
})
const tmp = (): string => mkdtempSync(path.join(os.tmpdir(), 'post-test-'))
/** A backup directory as main makes it. */
const backups = (): string =>
  mkdtempSync(path.join(process.env.RUNNER_TEMP ?? '', 'setup-upsun-cli-ssh-'))

describe('runPost', () => {
  it('with cleanup: false, leaves everything in place and says so', async () => {
    saved.cleanup = 'false'
    saved['cli-session'] = JSON.stringify(
      await openCliSession(CLIS.upsun, '/nonexistent', TOKEN, {})
    )
    await runPost()
    expect(core.info).toHaveBeenCalledWith(expect.stringMatching(/cleanup is false/))
  })

  it('with nothing saved, says there is nothing to clean up', async () => {
    await runPost()
    expect(core.info).toHaveBeenCalledWith(expect.stringMatching(/Nothing to clean up/))
    expect(core.warning).not.toHaveBeenCalled()
  })

  it('removes the job’s CLI session, and keeps the rest (another session included)', async () => {
    const userDir = path.join(home, '.upsun-cli')
    const other = sessionDir(userDir, 'default')
    mkdirSync(other, { recursive: true })
    writeFileSync(path.join(other, 'keep.json'), 'keep')
    writeFileSync(path.join(userDir, 'config.yaml'), 'keep')
    const state = await openCliSession(CLIS.upsun, userDir, TOKEN, {})
    saved['cli-session'] = JSON.stringify(state)
    const session = sessionDir(userDir, state.sessionId)
    mkdirSync(path.join(session, 'ssh'), { recursive: true })
    writeFileSync(path.join(session, 'ssh', 'id_ed25519'), 'key')
    await runPost()
    expect(existsSync(session)).toBe(false)
    expect(existsSync(path.join(other, 'keep.json'))).toBe(true)
    expect(existsSync(path.join(userDir, 'config.yaml'))).toBe(true)
    expect(core.info).toHaveBeenCalledWith(`Removed ${session}`)
  })

  it('restores ~/.ssh/config byte for byte, removes the directories main created and the backups', async () => {
    const sshDir = path.join(home, '.ssh')
    mkdirSync(sshDir)
    const config = path.join(sshDir, 'config')
    writeFileSync(config, 'Host a\n  User b')
    const backupDir = backups()
    const record = await backupConfig(config, path.join(backupDir, 'config'))
    await appendBlock(config, 'setup-upsun-cli include of the CLI SSH configuration', 'Match all\n')
    // The CLI's home differs from HOME (UPSUN_CLI_HOME): main created its .ssh.
    const cliHome = tmp()
    process.env.UPSUN_CLI_HOME = cliHome
    const created = path.join(cliHome, '.ssh')
    mkdirSync(created, { recursive: true })
    saved.ssh = JSON.stringify({ configs: [record], createdDirs: [created], backupDir })

    await runPost()
    expect(readFileSync(config, 'utf8')).toBe('Host a\n  User b')
    expect(existsSync(created)).toBe(false)
    expect(existsSync(backupDir)).toBe(false)
    expect(core.info).toHaveBeenCalledWith(`${config}: restored`)
    expect(core.warning).not.toHaveBeenCalled()
  })

  it('keeps a directory main created once another step put something in it', async () => {
    const dir = path.join(home, '.ssh')
    mkdirSync(dir)
    writeFileSync(path.join(dir, 'known_hosts'), 'added by a later step')
    saved.ssh = JSON.stringify({ configs: [], createdDirs: [dir], backupDir: backups() })
    await runPost()
    expect(existsSync(path.join(dir, 'known_hosts'))).toBe(true)
    expect(core.warning).not.toHaveBeenCalled()
  })

  it('a part that fails is a warning, and the other parts still run', async () => {
    const userDir = path.join(home, '.upsun-cli')
    saved['cli-session'] = JSON.stringify(await openCliSession(CLIS.upsun, userDir, TOKEN, {}))
    mkdirSync(userDir)
    const file = path.join(home, '.ssh', 'config')
    mkdirSync(path.dirname(file))
    await appendBlock(file, 'setup-upsun-cli include of the CLI SSH configuration', 'Match all\n')
    const backupDir = backups()
    saved.ssh = JSON.stringify({
      configs: [{ file, existed: true, backup: path.join(backupDir, 'config') }],
      createdDirs: [],
      backupDir
    })
    await runPost()
    expect(core.warning).toHaveBeenCalledWith(
      expect.stringMatching(/^Cleanup: restoring .* failed: /)
    )
    expect(existsSync(userDir)).toBe(false)
  })

  it('removes the job’s unpack directory ({P}TMP), with cleanup: false too', async () => {
    const runnerTemp = tmp()
    process.env.RUNNER_TEMP = runnerTemp
    try {
      const dir = openCliTmp(CLIS.upsun, { RUNNER_TEMP: runnerTemp })?.dir ?? ''
      mkdirSync(path.join(dir, 'upsun-tmp', 'legacy-5.11.1'), { recursive: true })
      writeFileSync(path.join(dir, 'upsun-tmp', 'legacy-5.11.1', 'php'), 'php')
      saved['cli-tmp'] = JSON.stringify(dir)
      saved.cleanup = 'false'
      await runPost()
      expect(existsSync(dir)).toBe(false)
      expect(core.info).toHaveBeenCalledWith(`Removed the job's unpack directory ${dir}`)
    } finally {
      delete process.env.RUNNER_TEMP
    }
  })

  it('leaves a saved unpack directory this action could not have made, and warns', async () => {
    const home = tmp()
    process.env.RUNNER_TEMP = tmp()
    try {
      saved['cli-tmp'] = JSON.stringify(home)
      await runPost()
      expect(existsSync(home)).toBe(true)
      expect(core.warning).toHaveBeenCalledWith(
        `Cleanup: the saved unpack directory ${home} is not one this action makes; left alone.`
      )
    } finally {
      delete process.env.RUNNER_TEMP
    }
  })

  it('unreadable saved state is a warning, not a crash', async () => {
    saved.ssh = '{ not json'
    await runPost()
    expect(core.warning).toHaveBeenCalledWith(
      'Saved state ssh is unreadable; that part of cleanup was skipped.'
    )
  })
})

describe('saved state main could not have produced (a forged ::save-state line)', () => {
  /** A directory an attacker wants removed, with a file in it. */
  function victim(): string {
    const dir = path.join(tmp(), 'important')
    mkdirSync(dir)
    writeFileSync(path.join(dir, 'keep'), 'keep')
    return dir
  }
  const validSsh = () => ({ configs: [], createdDirs: [], backupDir: backups() })

  it.each([
    ['a backup directory outside RUNNER_TEMP', (v: string) => ({ ...validSsh(), backupDir: v })],
    [
      'a backup directory in RUNNER_TEMP but not named as main names it',
      () => ({ ...validSsh(), backupDir: path.join(process.env.RUNNER_TEMP ?? '', 'important') })
    ],
    [
      'a directory to remove that is not ~/.ssh',
      (v: string) => ({ ...validSsh(), createdDirs: [v] })
    ],
    [
      'a config that is not ~/.ssh/config',
      (v: string) => ({ ...validSsh(), configs: [{ file: path.join(v, 'keep'), existed: false }] })
    ],
    [
      'a backup directory with a line break',
      () => ({ ...validSsh(), backupDir: `${backups()}\n::stop-commands::x` })
    ]
  ])('refuses SSH state with %s, and removes nothing', async (_what, forge) => {
    const target = victim()
    saved.ssh = JSON.stringify(forge(target))
    await runPost()
    expect(existsSync(path.join(target, 'keep'))).toBe(true)
    expect(core.warning).toHaveBeenCalledWith(
      expect.stringMatching(/^Saved state ssh was refused: .*; that part of cleanup was skipped\.$/)
    )
  })

  it.each([
    [
      'a user directory outside every home',
      (v: string) => ({ userDir: path.join(v, '.upsun-cli') })
    ],
    ['a user directory not named as the CLI names it', () => ({ userDir: home })],
    ['a session id that climbs out', () => ({ sessionId: '../../important' })],
    ['a token session that climbs out', () => ({ tokenSession: '../../important' })]
  ])('refuses a CLI session state with %s, and removes nothing', async (_what, forge) => {
    const target = victim()
    const real = await openCliSession(CLIS.upsun, path.join(home, '.upsun-cli'), TOKEN, {})
    saved['cli-session'] = JSON.stringify({ ...real, ...forge(target) })
    await runPost()
    expect(existsSync(path.join(target, 'keep'))).toBe(true)
    expect(core.warning).toHaveBeenCalledWith(
      expect.stringMatching(/^Saved state cli-session was refused: /)
    )
  })
})
