// Byte-exact backup and restore of ~/.ssh/config around the CLI's edits.
import { describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { appendBlock, backupConfig, restoreConfig } from '../../src/ssh/config.js'

const tmp = (): string => mkdtempSync(path.join(os.tmpdir(), 'ssh-config-'))
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
