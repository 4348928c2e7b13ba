// Native stand-ins for the CLI releases the npm registry does not carry
// (other platforms, older versions): small programs that answer `--version`
// as the CLI does, compiled here with Debian's compilers, and the archives
// packed as GoReleaser packs the upsun/cli release (files only, no directory
// entries; tar.gz at level 9; Deflate zip; README.md and completions beside
// the binary; one universal Mach-O for macOS).
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { crc32, deflateRawSync } from 'node:zlib'

/** The compiler for each release suffix, and the Debian package that has it. */
export const COMPILERS = {
  linux_amd64: { cc: 'gcc', pkg: 'gcc', flags: ['-static'] },
  linux_arm64: { cc: 'aarch64-linux-gnu-gcc', pkg: 'gcc-aarch64-linux-gnu', flags: ['-static'] },
  windows_amd64: { cc: 'x86_64-w64-mingw32-gcc', pkg: 'gcc-mingw-w64-x86-64', flags: [] }
}

const STUB_C = `#include <stdio.h>
#include <string.h>
/* A stand-in for a CLI release: answers --version as the CLI does. */
int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "--version") == 0) {
    puts(TITLE " " VERSION);
    return 0;
  }
  fprintf(stderr, "%s %s (test stand-in): only --version is answered\\n", TITLE, VERSION);
  return 1;
}
`

/**
 * Compiles the stand-in for `suffix` into `out`. darwin_all has no compiler
 * here: see universalMachO.
 */
export function buildStub({ suffix, title, version, out, work }) {
  if (suffix === 'darwin_all') return writeFileSync(out, universalMachO(`${title} ${version}`))
  const compiler = COMPILERS[suffix]
  if (!compiler) throw new Error(`no stand-in for ${suffix}`)
  mkdirSync(work, { recursive: true })
  const source = path.join(work, 'stub.c')
  writeFileSync(source, STUB_C)
  try {
    execFileSync(
      compiler.cc,
      [
        ...compiler.flags,
        '-Os',
        '-s',
        `-DTITLE="${title}"`,
        `-DVERSION="${version}"`,
        '-o',
        out,
        source
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] }
    )
  } catch (error) {
    const missing = /ENOENT/.test(String(error))
    throw new Error(
      missing
        ? `${compiler.cc} is not installed (Debian package ${compiler.pkg}; scripts/test-deps.sh installs it)`
        : `${compiler.cc} failed: ${String(error.stderr ?? error)}`,
      { cause: error }
    )
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/**
 * A universal ("fat") Mach-O as `lipo` makes it: the fat header, then one
 * thin slice per architecture (x86_64, arm64), each page-aligned. No Mac
 * toolchain is at hand, so the slices are Mach-O headers with no load
 * commands: `file` names them, nothing here runs them (macOS is tested
 * statically). The text is stored in each slice as a marker.
 */
export function universalMachO(text) {
  const CPU_X86_64 = 0x01000007
  const CPU_ARM64 = 0x0100000c
  const slice = (cputype, subtype) => {
    const header = Buffer.alloc(32)
    header.writeUInt32LE(0xfeedfacf, 0) // MH_MAGIC_64
    header.writeUInt32LE(cputype, 4)
    header.writeUInt32LE(subtype, 8)
    header.writeUInt32LE(2, 12) // MH_EXECUTE
    header.writeUInt32LE(0, 16) // ncmds
    header.writeUInt32LE(0, 20) // sizeofcmds
    header.writeUInt32LE(0x00200085, 24) // NOUNDEFS | DYLDLINK | TWOLEVEL | PIE
    return Buffer.concat([header, Buffer.from(`${text}\n`)])
  }
  const slices = [slice(CPU_X86_64, 3), slice(CPU_ARM64, 0)]
  const ALIGN = 14 // 2^14: arm64's page size, as lipo aligns
  const fat = Buffer.alloc(8 + 20 * slices.length)
  fat.writeUInt32BE(0xcafebabe, 0) // FAT_MAGIC, big-endian as on disk
  fat.writeUInt32BE(slices.length, 4)
  const parts = [fat]
  let offset = 1 << ALIGN
  slices.forEach((s, i) => {
    const at = 8 + 20 * i
    fat.writeUInt32BE(s.readUInt32LE(4), at)
    fat.writeUInt32BE(s.readUInt32LE(8), at + 4)
    fat.writeUInt32BE(offset, at + 8)
    fat.writeUInt32BE(s.length, at + 12)
    fat.writeUInt32BE(ALIGN, at + 16)
    offset += 1 << ALIGN
  })
  let size = fat.length
  for (const s of slices) {
    const pad = (1 << ALIGN) - (size % (1 << ALIGN))
    parts.push(Buffer.alloc(pad % (1 << ALIGN)), s)
    size += (pad % (1 << ALIGN)) + s.length
  }
  return Buffer.concat(parts)
}

/**
 * Packs `files` (paths relative to `work`, files only) into `out` as
 * GoReleaser does: tar.gz with gzip -9 and no directory entries, or a
 * Deflate zip with no directory entries.
 */
export function packArchive({ work, files, out, zip }) {
  if (zip) return writeFileSync(out, goZip(work, files))
  const tar = execFileSync(
    'tar',
    ['--owner=0', '--group=0', '--numeric-owner', '--no-recursion', '-cf', '-', ...files],
    { cwd: work, maxBuffer: 1 << 30 }
  )
  writeFileSync(out, execFileSync('gzip', ['-9', '-n'], { input: tar, maxBuffer: 1 << 30 }))
}

/**
 * A zip as Go's archive/zip writes one for GoReleaser: every entry Deflate
 * (zip(1) would store small files), a data descriptor after each entry
 * (flag 8: sizes are not in the local header), Unix modes in the external
 * attributes, no directory entries.
 */
function goZip(work, files) {
  const locals = []
  const central = []
  let offset = 0
  for (const name of files) {
    const data = readFileSync(path.join(work, name))
    const packed = deflateRawSync(data)
    const crc = crc32(data)
    const nameBytes = Buffer.from(name)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4) // version needed: 2.0
    local.writeUInt16LE(0x0008, 6) // sizes and CRC in the data descriptor
    local.writeUInt16LE(8, 8) // Deflate
    local.writeUInt32LE(0x5b860000, 10) // a fixed DOS date and time
    local.writeUInt16LE(nameBytes.length, 26)
    const descriptor = Buffer.alloc(16)
    descriptor.writeUInt32LE(0x08074b50, 0)
    descriptor.writeUInt32LE(crc, 4)
    descriptor.writeUInt32LE(packed.length, 8)
    descriptor.writeUInt32LE(data.length, 12)
    const entry = Buffer.alloc(46)
    entry.writeUInt32LE(0x02014b50, 0)
    entry.writeUInt16LE(0x0314, 4) // made by: Unix, 2.0
    entry.writeUInt16LE(20, 6)
    entry.writeUInt16LE(0x0008, 8)
    entry.writeUInt16LE(8, 10)
    entry.writeUInt32LE(0x5b860000, 12)
    entry.writeUInt32LE(crc, 16)
    entry.writeUInt32LE(packed.length, 20)
    entry.writeUInt32LE(data.length, 24)
    entry.writeUInt16LE(nameBytes.length, 28)
    const mode = statSync(path.join(work, name)).mode & 0o777
    entry.writeUInt32LE(((0o100000 | mode) << 16) >>> 0, 38) // regular file + permissions
    entry.writeUInt32LE(offset, 42)
    locals.push(local, nameBytes, packed, descriptor)
    central.push(entry, nameBytes)
    offset += 30 + nameBytes.length + packed.length + 16
  }
  const cd = Buffer.concat(central)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(files.length, 8)
  end.writeUInt16LE(files.length, 10)
  end.writeUInt32LE(cd.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, cd, end])
}
