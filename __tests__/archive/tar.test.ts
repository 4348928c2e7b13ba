import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync
} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { TAR_END, tarEntry } from '../../sandbox/hostile.mjs'
import { ArchiveTooLarge, MAX_UNPACKED_BYTES } from '../../src/archive/entry.js'
import { TarExtractor } from '../../src/archive/tar.js'

const END = TAR_END
const entry = tarEntry

async function extract(
  archive: Buffer,
  chunkSize = 700,
  maxBytes?: number
): Promise<{ dir: string; tar: TarExtractor }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tar-'))
  const tar = new TarExtractor(dir, maxBytes)
  const chunks: Buffer[] = []
  for (let i = 0; i < archive.length; i += chunkSize)
    chunks.push(archive.subarray(i, i + chunkSize))
  await pipeline(Readable.from(chunks), tar)
  return { dir, tar }
}

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex')

describe('TarExtractor', () => {
  it('unpacks files and directories, keeps the executable bit and hashes each file', async () => {
    const bin = Buffer.from('#!/bin/sh\necho hi\n'.repeat(100))
    const archive = Buffer.concat([
      entry('upsun', '0', bin, '', 0o755),
      entry('completion/', '5'),
      entry('completion/bash/upsun.bash', '0', Buffer.from('complete')),
      entry('empty', '0'),
      END
    ])
    for (const size of [1, 511, 512, 4096, archive.length]) {
      const { dir, tar } = await extract(archive, size)
      expect(readFileSync(path.join(dir, 'upsun'))).toEqual(bin)
      expect(statSync(path.join(dir, 'upsun')).mode & 0o777).toBe(0o755)
      expect(statSync(path.join(dir, 'completion/bash/upsun.bash')).mode & 0o777).toBe(0o644)
      expect(readFileSync(path.join(dir, 'empty'), 'utf8')).toBe('')
      expect(tar.files.get('upsun')).toBe(sha(bin))
      expect([...tar.files.keys()].sort()).toEqual(['completion/bash/upsun.bash', 'empty', 'upsun'])
    }
  })

  it.each([
    ['../evil', '0'],
    ['a/../../evil', '0'],
    ['/etc/evil', '0'],
    ['C:/evil', '0'],
    ['a\\..\\evil', '0']
  ])('refuses the path %j and writes nothing outside', async (name, type) => {
    const archive = Buffer.concat([entry(name, type, Buffer.from('x')), END])
    await expect(extract(archive)).rejects.toThrow(/points outside the directory/)
  })

  it.each([
    ['2', 'a symbolic link'],
    ['1', 'a hard link'],
    ['3', "of type '3'"],
    ['6', "of type '6'"]
  ])('refuses an entry of type %s (%s)', async (type, words) => {
    const archive = Buffer.concat([entry('upsun', type, Buffer.alloc(0), '/etc/passwd'), END])
    await expect(extract(archive)).rejects.toThrow(
      new RegExp(`"upsun" is ${words}; release archives hold only`)
    )
  })

  it('refuses a symlink out of the directory followed by a write through it', async () => {
    const archive = Buffer.concat([
      entry('link', '2', Buffer.alloc(0), '..'),
      entry('link/evil', '0', Buffer.from('x')),
      END
    ])
    const parent = mkdtempSync(path.join(os.tmpdir(), 'tar-parent-'))
    const dir = path.join(parent, 'dest')
    mkdirSync(dir)
    await expect(pipeline(Readable.from([archive]), new TarExtractor(dir))).rejects.toThrow(
      /symbolic link/
    )
    expect(readdirSync(parent)).toEqual(['dest'])
  })

  it('rejects a corrupt header and a file cut short', async () => {
    const good = entry('upsun', '0', Buffer.alloc(2000, 1))
    const corrupt = Buffer.from(good)
    corrupt[10] ^= 0xff
    await expect(extract(Buffer.concat([corrupt, END]))).rejects.toThrow(/checksum mismatch/)
    await expect(extract(good.subarray(0, 1500))).rejects.toThrow(/ends in the middle of a file/)
  })

  it.each(['gnu', 'pax', 'ustar'])(
    'reads archives written by GNU tar in %s format, long names included',
    async (format) => {
      const src = mkdtempSync(path.join(os.tmpdir(), 'tar-src-'))
      const long = `${'d'.repeat(60)}/${'e'.repeat(60)}/${'f'.repeat(40)}.txt`
      mkdirSync(path.join(src, path.dirname(long)), { recursive: true })
      writeFileSync(path.join(src, long), 'long')
      writeFileSync(path.join(src, 'upsun'), 'binary')
      const archive = execFileSync('tar', [
        `--format=${format}`,
        '-C',
        src,
        '-cf',
        '-',
        'upsun',
        long.split('/')[0]
      ])
      const { dir, tar } = await extract(archive, 333)
      expect(readFileSync(path.join(dir, long), 'utf8')).toBe('long')
      expect(tar.files.get('upsun')).toBe(sha('binary'))
      expect(existsSync(path.join(dir, 'upsun'))).toBe(true)
    }
  )

  it('refuses a file whose declared size passes the cap before writing any of it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tar-'))
    const archive = Buffer.concat([
      entry('small', '0', Buffer.alloc(3000, 1)),
      entry('big', '0', Buffer.alloc(6000, 2)),
      END
    ])
    // Only the first 4 KiB arrive (the small file and the big one's header),
    // so the stream itself stays under the cap: the header alone must stop it.
    const tar = new TarExtractor(dir, 8000)
    await expect(pipeline(Readable.from([archive.subarray(0, 4096)]), tar)).rejects.toThrow(
      ArchiveTooLarge
    )
    // The first file fits; the second was refused at its header.
    expect(readdirSync(dir)).toEqual(['small'])
  })

  it('stops at the cap even when no entry declares much (a stream of padding)', async () => {
    // 64 KiB of zero blocks after one small file: nothing to write, but it
    // still counts, so an endless inflated stream is cut at the cap.
    const archive = Buffer.concat([entry('upsun', '0', Buffer.from('bin')), Buffer.alloc(65536)])
    await expect(extract(archive, 4096, 16384)).rejects.toThrow(
      /unpacks to more than .*Unpacking stopped there/
    )
    // The same archive under the real cap unpacks.
    const { tar } = await extract(archive, 4096, MAX_UNPACKED_BYTES)
    expect(tar.files.get('upsun')).toBe(sha('bin'))
  })
})
