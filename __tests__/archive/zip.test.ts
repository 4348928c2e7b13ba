import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ArchiveTooLarge } from '../../src/archive/entry.js'
import { checkZipEntries } from '../../src/archive/zip.js'

/** A zip made by zip(1) of a 10 000-byte file and a small one. */
function realZip(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zip-'))
  writeFileSync(path.join(dir, 'upsun.exe'), Buffer.alloc(10_000, 7))
  writeFileSync(path.join(dir, 'README.md'), 'readme')
  execFileSync('zip', ['-q', 'out.zip', 'upsun.exe', 'README.md'], { cwd: dir })
  return path.join(dir, 'out.zip')
}

describe('checkZipEntries', () => {
  it('lists the entries of a zip within the unpacked-size cap', async () => {
    const zip = realZip()
    await expect(checkZipEntries(zip, path.join(path.dirname(zip), 'out'))).resolves.toEqual([
      'upsun.exe',
      'README.md'
    ])
  })

  it('refuses a zip whose entries declare more than the cap, before any extractor runs', async () => {
    const zip = realZip()
    const check = checkZipEntries(zip, path.join(path.dirname(zip), 'out'), 8000)
    await expect(check).rejects.toThrow(ArchiveTooLarge)
    await expect(check).rejects.toThrow(/unpacks to more than .*nothing was installed/)
  })
})
