import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { extractZip } from '../../src/archive/zip.js'

const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex')

/** Files of every kind a release zip could hold, and a zip of them made by zip(1). */
function fixture(zipFlags: string[] = []) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zip-extract-'))
  const src = path.join(dir, 'src')
  mkdirSync(path.join(src, 'completion', 'bash'), { recursive: true })
  const files: Record<string, Buffer> = {
    'upsun.exe': Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251)),
    'README.md': Buffer.from('readme\n'.repeat(1000)),
    'completion/bash/upsun': Buffer.from('complete -F _upsun upsun\n'),
    'empty.txt': Buffer.alloc(0)
  }
  for (const [name, data] of Object.entries(files)) writeFileSync(path.join(src, name), data)
  chmodSync(path.join(src, 'upsun.exe'), 0o755)
  const zip = path.join(dir, 'out.zip')
  execFileSync('zip', ['-q', '-r', ...zipFlags, zip, '.'], { cwd: src })
  return { dir, zip, files }
}

describe('extractZip (in process, no child)', () => {
  it.each([
    ['deflated', []],
    ['stored', ['-0']]
  ])('unpacks a %s zip made by zip(1) byte for byte, modes kept', async (_kind, flags) => {
    const { dir, zip, files } = fixture(flags)
    const out = path.join(dir, 'out')
    await extractZip(zip, out)
    for (const [name, data] of Object.entries(files))
      expect(sha(readFileSync(path.join(out, name)))).toBe(sha(data))
    expect(statSync(path.join(out, 'upsun.exe')).mode & 0o777).toBe(0o755)
  })

  it('refuses an entry whose bytes do not match its CRC-32, naming it', async () => {
    const { dir, zip } = fixture(['-0'])
    const bytes = readFileSync(zip)
    // The first local header's data: flip one byte of it.
    const start = 30 + bytes.readUInt16LE(26) + bytes.readUInt16LE(28)
    bytes[start + 10] ^= 0xff
    writeFileSync(zip, bytes)
    await expect(extractZip(zip, path.join(dir, 'out'))).rejects.toThrow(
      /The zip entry ".*" does not match its CRC-32; the archive is corrupt/
    )
  })

  it('refuses to unpack into an existing directory (files are created exclusively)', async () => {
    const { dir, zip } = fixture()
    mkdirSync(path.join(dir, 'out'))
    await expect(extractZip(zip, path.join(dir, 'out'))).rejects.toThrow(/EEXIST/)
  })
})
