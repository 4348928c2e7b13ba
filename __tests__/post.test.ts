// The post step on real temporary files, with the saved state handed in
// through the typed @actions/core fixture: it restores what main changed and
// removes what the token caused, and its own failures are only warnings.
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as core from '../__fixtures__/core.js'

jest.unstable_mockModule('@actions/core', () => core)
const { runPost } = await import('../src/post.js')
const { snapshotCliFiles } = await import('../src/auth/cliFiles.js')
const { appendBlock, backupConfig } = await import('../src/ssh/config.js')

let saved: Record<string, string>
beforeEach(() => {
  jest.resetAllMocks()
  core.resetCore()
  saved = {}
  core.getState.mockImplementation((key) => saved[key] ?? '')
})
const tmp = (): string => mkdtempSync(path.join(os.tmpdir(), 'post-test-'))

describe('runPost', () => {
  it('with cleanup: false, leaves everything in place and says so', async () => {
    saved.cleanup = 'false'
    saved['cli-files'] = JSON.stringify({ userDir: '/nonexistent', existed: false, before: [] })
    await runPost()
    expect(core.info).toHaveBeenCalledWith(expect.stringMatching(/cleanup is false/))
  })

  it('with nothing saved, says there is nothing to clean up', async () => {
    await runPost()
    expect(core.info).toHaveBeenCalledWith(expect.stringMatching(/Nothing to clean up/))
    expect(core.warning).not.toHaveBeenCalled()
  })

  it('removes the CLI files the token caused, and keeps the rest', async () => {
    const userDir = path.join(tmp(), '.upsun-cli')
    mkdirSync(path.join(userDir, '.session'), { recursive: true })
    writeFileSync(path.join(userDir, 'config.yaml'), 'keep')
    saved['cli-files'] = JSON.stringify(await snapshotCliFiles(userDir))
    const session = path.join(userDir, '.session', 'sess-cli-default')
    mkdirSync(session)
    writeFileSync(path.join(session, 'token.json'), 'access token')
    await runPost()
    expect(existsSync(session)).toBe(false)
    expect(existsSync(path.join(userDir, 'config.yaml'))).toBe(true)
    expect(core.info).toHaveBeenCalledWith(`Removed ${session}`)
  })

  it('restores ~/.ssh/config byte for byte, removes the directories main created and the backups', async () => {
    const home = tmp()
    const sshDir = path.join(home, '.ssh')
    mkdirSync(sshDir)
    const config = path.join(sshDir, 'config')
    writeFileSync(config, 'Host a\n  User b')
    const backupDir = path.join(home, 'backups')
    mkdirSync(backupDir)
    const record = await backupConfig(config, path.join(backupDir, 'config'))
    await appendBlock(config, 'setup-upsun-cli include of the CLI SSH configuration', 'Match all\n')
    const created = path.join(home, 'passwd-home', '.ssh')
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
    const dir = path.join(tmp(), '.ssh')
    mkdirSync(dir)
    writeFileSync(path.join(dir, 'known_hosts'), 'added by a later step')
    saved.ssh = JSON.stringify({ configs: [], createdDirs: [dir], backupDir: path.join(dir, 'x') })
    await runPost()
    expect(existsSync(path.join(dir, 'known_hosts'))).toBe(true)
    expect(core.warning).not.toHaveBeenCalled()
  })

  it('a part that fails is a warning, and the other parts still run', async () => {
    const userDir = path.join(tmp(), '.upsun-cli')
    saved['cli-files'] = JSON.stringify(await snapshotCliFiles(userDir))
    mkdirSync(userDir)
    const file = path.join(tmp(), 'config')
    await appendBlock(file, 'setup-upsun-cli include of the CLI SSH configuration', 'Match all\n')
    saved.ssh = JSON.stringify({
      configs: [{ file, existed: true, backup: path.join(tmp(), 'missing-backup') }],
      createdDirs: [],
      backupDir: path.join(tmp(), 'b')
    })
    await runPost()
    expect(core.warning).toHaveBeenCalledWith(
      expect.stringMatching(/^Cleanup: restoring .* failed: /)
    )
    expect(existsSync(userDir)).toBe(false)
  })

  it('unreadable saved state is a warning, not a crash', async () => {
    saved.ssh = '{ not json'
    await runPost()
    expect(core.warning).toHaveBeenCalledWith(
      'Saved state ssh is unreadable; that part of cleanup was skipped.'
    )
  })
})
