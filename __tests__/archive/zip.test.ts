// The policy checked on a zip's whole directory (read by yauzl) before a byte
// is written: names that climb out, symbolic links and other non-files, and
// more than the unpacked-size cap are refused, and so is a zip yauzl cannot
// read, in words that say so.
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { hostileZip } from '../../sandbox/hostile.mjs'
import { ArchiveTooLarge } from '../../src/archive/entry.js'
import { checkZipEntries } from '../../src/archive/zip.js'

const tmp = (): string => mkdtempSync(path.join(os.tmpdir(), 'zip-test-'))

/** A zip made by zip(1) of a 10 000-byte file and a small one. */
function realZip(): string {
  const dir = tmp()
  writeFileSync(path.join(dir, 'upsun.exe'), Buffer.alloc(10_000, 7))
  writeFileSync(path.join(dir, 'README.md'), 'readme')
  execFileSync('zip', ['-q', 'out.zip', 'upsun.exe', 'README.md'], { cwd: dir })
  return path.join(dir, 'out.zip')
}

/** Writes `body` as a zip file and checks it against a fresh destination. */
async function check(body: Buffer): Promise<string[]> {
  const dir = tmp()
  const file = path.join(dir, 'a.zip')
  writeFileSync(file, body)
  return checkZipEntries(file, path.join(dir, 'out'))
}

/** A release-shaped zip with a directory, as bytes. */
function goodZip(): Buffer {
  const dir = tmp()
  writeFileSync(path.join(dir, 'upsun.exe'), 'MZ upsun')
  mkdirSync(path.join(dir, 'completion'))
  writeFileSync(path.join(dir, 'completion', 'upsun.ps1'), '# completion')
  execFileSync('zip', ['-q', '-r', 'a.zip', 'upsun.exe', 'completion'], { cwd: dir })
  return readFileSync(path.join(dir, 'a.zip'))
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
    const checked = checkZipEntries(zip, path.join(path.dirname(zip), 'out'), 8000)
    await expect(checked).rejects.toThrow(ArchiveTooLarge)
    await expect(checked).rejects.toThrow(/unpacks to more than .*nothing was installed/)
  })

  it('lists directories too', async () => {
    expect((await check(goodZip())).sort()).toEqual([
      'completion/',
      'completion/upsun.ps1',
      'upsun.exe'
    ])
  })

  it('refuses a ../ name', async () => {
    await expect(check(hostileZip('dotdot'))).rejects.toThrow(/"\.\.\/escaped\.txt" points outside/)
  })

  it('refuses a symbolic link', async () => {
    await expect(check(hostileZip('symlink'))).rejects.toThrow(
      /"README\.md" is a symbolic link; release archives hold only files and directories/
    )
  })

  it('refuses what has no central directory', async () => {
    await expect(check(Buffer.from('not a zip at all'))).rejects.toThrow(
      /could not be read \(End of central directory record signature not found.*\); refused, nothing was installed/
    )
  })

  it('refuses a directory that points past the end of the file', async () => {
    const zip = goodZip()
    const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
    zip.writeUInt32LE(zip.length, eocd + 16)
    await expect(check(zip)).rejects.toThrow(/zip archive could not be read \(.+\); refused/)
  })

  it('refuses a directory whose records are corrupt', async () => {
    const zip = goodZip()
    const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
    const cdOffset = zip.readUInt32LE(eocd + 16)
    zip.writeUInt32LE(0, cdOffset)
    await expect(check(zip)).rejects.toThrow(
      /could not be read \(invalid central directory file header signature.*\); refused/
    )
  })

  it('refuses an entry whose Unix type is not a plain file (a FIFO)', async () => {
    const zip = goodZip()
    const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
    const cdOffset = zip.readUInt32LE(eocd + 16)
    // The first directory record: made on Unix, its type bits made a FIFO's.
    expect(zip.readUInt8(cdOffset + 5)).toBe(3)
    zip.writeUInt32LE((0o010644 << 16) >>> 0, cdOffset + 38)
    await expect(check(zip)).rejects.toThrow(
      /is not a plain file; release archives hold only files and directories/
    )
  })

  it('refuses more than the entry cap from the directory’s count alone', async () => {
    const zip = goodZip()
    const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
    zip.writeUInt16LE(0xfffe, eocd + 8)
    zip.writeUInt16LE(0xfffe, eocd + 10)
    await expect(check(zip)).rejects.toThrow(/holds more than 10000 entries/)
  })
})
