import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { removeNewCliFiles, snapshotCliFiles } from '../src/auth/cliFiles.js'
import { certificateExpiry } from '../src/ssh/certificate.js'
import { appendBlock, backupConfig, restoreConfig } from '../src/ssh/config.js'

const tmp = (): string => mkdtempSync(path.join(os.tmpdir(), 'cleanup-'))
const CLI_BLOCK =
  '# BEGIN: Upsun certificate configuration\nHost *.platform.sh *.upsun.com\n  Include /h/.upsun-cli/ssh/*.config\nHost *\n# END: Upsun certificate configuration\n'

/** What the CLI does to ~/.ssh/config (observed with the real binary). */
const cliEdit = (text: string): string => (text.trim() ? `${text.trimEnd()}\n\n` : '') + CLI_BLOCK

describe('restoreConfig', () => {
  it.each(['Host a\n  User b\n', 'Host a\n  User b', 'Host *\n  X 1\n\n\n', '  \n'])(
    'gives back %j byte for byte after the CLI’s edit',
    async (original) => {
      const dir = tmp()
      const file = path.join(dir, 'config')
      writeFileSync(file, original)
      const record = await backupConfig(file, path.join(dir, 'backup'))
      writeFileSync(file, cliEdit(original))
      expect(await restoreConfig(record)).toBe('restored')
      expect(readFileSync(file, 'utf8')).toBe(original)
    }
  )

  it('removes a file it created, and our include block too', async () => {
    const dir = tmp()
    const file = path.join(dir, 'config')
    const record = await backupConfig(file, path.join(dir, 'backup'))
    expect(record.existed).toBe(false)
    await appendBlock(
      file,
      'setup-upsun-cli include of the CLI SSH configuration',
      'Match all\nInclude /x\n'
    )
    expect(await restoreConfig(record)).toBe('removed')
    expect(existsSync(file)).toBe(false)
  })

  it('keeps another step’s later edits, removing only the blocks', async () => {
    const dir = tmp()
    const file = path.join(dir, 'config')
    writeFileSync(file, 'Host a\n')
    const record = await backupConfig(file, path.join(dir, 'backup'))
    writeFileSync(file, cliEdit('Host a\n') + '\nHost added-later\n  User c\n')
    expect(await restoreConfig(record)).toBe('edited')
    const text = readFileSync(file, 'utf8')
    expect(text).toContain('Host a\n')
    expect(text).toContain('Host added-later\n')
    expect(text).not.toContain('BEGIN')
  })

  it('leaves a file without our blocks untouched', async () => {
    const dir = tmp()
    const file = path.join(dir, 'config')
    writeFileSync(file, 'Host a\n')
    const record = await backupConfig(file, path.join(dir, 'backup'))
    expect(await restoreConfig(record)).toBe('untouched')
  })
})

describe('certificateExpiry', () => {
  it('reads valid-before from a certificate made by ssh-keygen', () => {
    const dir = tmp()
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'ca')])
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'key')])
    execFileSync(
      'ssh-keygen',
      [
        '-q',
        '-s',
        path.join(dir, 'ca'),
        '-I',
        'id',
        '-n',
        'git',
        '-V',
        '20300102030405:20300102040506',
        path.join(dir, 'key.pub')
      ],
      {
        env: { ...process.env, TZ: 'UTC' }
      }
    )
    const cert = readFileSync(path.join(dir, 'key-cert.pub'), 'utf8')
    expect(certificateExpiry(cert)).toBe('2030-01-02T04:05:06Z')
  })

  it('refuses what is not a certificate', () => {
    expect(() => certificateExpiry('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJ4 comment')).toThrow(
      /Not an OpenSSH certificate|truncated/
    )
  })
})

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
