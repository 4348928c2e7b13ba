// The CLI's credential files: a snapshot before the token is used, and the
// removal of exactly what appeared after it.
import { describe, expect, it } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { removeNewCliFiles, snapshotCliFiles } from '../../src/auth/cliFiles.js'

const tmp = (): string => mkdtempSync(path.join(os.tmpdir(), 'cli-files-'))

describe('CLI files snapshot', () => {
  it('removes only what appeared after the snapshot', async () => {
    const userDir = path.join(tmp(), '.upsun-cli')
    mkdirSync(path.join(userDir, '.session', 'sess-cli-old'), { recursive: true })
    writeFileSync(path.join(userDir, '.session', 'sess-cli-old', 'keep.json'), '{}')
    writeFileSync(path.join(userDir, 'config.yaml'), 'keep')
    const snapshot = await snapshotCliFiles(userDir)
    mkdirSync(path.join(userDir, '.session', 'sess-cli-default', 'ssh'), { recursive: true })
    writeFileSync(path.join(userDir, '.session', 'sess-cli-default', 'ssh', 'id_ed25519'), 'key')
    writeFileSync(path.join(userDir, '.session', 'sess-cli-old', 'new-token.json'), 'token')
    mkdirSync(path.join(userDir, 'ssh'))
    writeFileSync(path.join(userDir, 'ssh', 'session.config'), 'x')
    await removeNewCliFiles(snapshot)
    expect(existsSync(path.join(userDir, '.session', 'sess-cli-old', 'keep.json'))).toBe(true)
    expect(existsSync(path.join(userDir, 'config.yaml'))).toBe(true)
    expect(existsSync(path.join(userDir, '.session', 'sess-cli-default'))).toBe(false)
    expect(existsSync(path.join(userDir, '.session', 'sess-cli-old', 'new-token.json'))).toBe(false)
    expect(existsSync(path.join(userDir, 'ssh'))).toBe(false)
  })

  it('removes a user directory the job created, whole', async () => {
    const userDir = path.join(tmp(), '.upsun-cli')
    const snapshot = await snapshotCliFiles(userDir)
    mkdirSync(path.join(userDir, 'cache'), { recursive: true })
    expect(await removeNewCliFiles(snapshot)).toEqual([userDir])
    expect(existsSync(userDir)).toBe(false)
  })
})
