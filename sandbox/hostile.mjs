// Hostile archives for the fault suite and the tar tests: entries no release
// holds (paths climbing out, links pointing out), crafted byte by byte so that
// any entry can be made, and zips made with the real zip tool.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { gzipSync } from 'node:zlib'

/**
 * One ustar header + body + padding.
 * @param {string} name @param {string} type tar typeflag ('0' file, '2' symlink, …)
 * @param {Buffer} [body] @param {string} [linkname] @param {number} [mode]
 */
export function tarEntry(name, type, body = Buffer.alloc(0), linkname = '', mode = 0o644) {
  const h = Buffer.alloc(512)
  h.write(name, 0, 100, 'utf8')
  h.write(mode.toString(8).padStart(7, '0'), 100)
  h.write('0000000', 108)
  h.write('0000000', 116)
  h.write(body.length.toString(8).padStart(11, '0'), 124)
  h.write('00000000000', 136)
  h.write(type, 156)
  h.write(linkname, 157, 100)
  h.write('ustar\0', 257)
  h.write('00', 263)
  seal(h)
  const pad = Buffer.alloc((512 - (body.length % 512)) % 512)
  return Buffer.concat([h, body, pad])
}

/** Writes a header's checksum (the sum of its bytes, the checksum field as spaces). */
function seal(h) {
  h.fill(' ', 148, 156)
  let sum = 0
  for (const b of h) sum += b
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148)
}

/** The end-of-archive marker. */
export const TAR_END = Buffer.alloc(1024)

/** A release-named tar.gz whose entries are hostile. */
export function hostileTarGz(kind, binary = 'upsun') {
  const exe = tarEntry(binary, '0', Buffer.from('#!/bin/sh\necho hostile\n'), '', 0o755)
  const entries =
    kind === 'dotdot'
      ? [exe, tarEntry('../../escaped', '0', Buffer.from('escaped'))]
      : [
          tarEntry(binary, '2', Buffer.alloc(0), '/etc/passwd'),
          tarEntry('completion', '2', Buffer.alloc(0), '../..')
        ]
  return gzipSync(Buffer.concat([...entries, TAR_END]))
}

/**
 * A gzip bomb: about 1 MB that inflates to a tar of one 1 GiB file of zeros.
 * Built as concatenated gzip members (gunzip reads them as one stream), so
 * making it never holds the gigabyte in memory.
 */
export function gzipBombTarGz(binary = 'upsun') {
  const GiB = 1024 * 1024 * 1024
  const header = tarEntry(binary, '0', Buffer.alloc(0), '', 0o755)
  // tarEntry wrote size 0; declare the gigabyte (and fix the checksum).
  header.write(GiB.toString(8).padStart(11, '0'), 124)
  seal(header)
  const zeros = gzipSync(Buffer.alloc(16 * 1024 * 1024))
  return Buffer.concat([
    gzipSync(header),
    ...Array.from({ length: GiB / (16 * 1024 * 1024) }, () => zeros),
    gzipSync(TAR_END)
  ])
}

/** A zip with a `../` entry, or with a symlink pointing out, made by zip(1). */
export function hostileZip(kind, binary = 'upsun') {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hostile-zip-'))
  const sub = path.join(dir, 'sub')
  mkdirSync(sub)
  writeFileSync(path.join(sub, `${binary}.exe`), 'MZ hostile')
  const out = path.join(dir, 'out.zip')
  if (kind === 'dotdot') {
    writeFileSync(path.join(dir, 'escaped.txt'), 'escaped')
    execFileSync('zip', ['-q', out, `${binary}.exe`, '../escaped.txt'], { cwd: sub })
  } else {
    symlinkSync('/etc/passwd', path.join(sub, 'README.md'))
    execFileSync('zip', ['-q', '-y', out, `${binary}.exe`, 'README.md'], { cwd: sub })
  }
  return readFileSync(out)
}

/**
 * A stand-in CLI release (tar.gz, as the real asset): a shell script that
 * records the environment each run gets (`env -0` into `recordDir/env-<first
 * argument>`), answers `--version` with the version plus lines that try to be
 * workflow commands, and fails `ssh-cert:load` printing more of them, as a CLI
 * relaying a hostile server's text would.
 * @param {string} version @param {string} recordDir
 */
export function standInCliTarGz(version, recordDir, binary = 'upsun') {
  const hostile = [
    '::set-output name=injected::1',
    '  ::add-mask::Generating',
    'text ##[set-output name=injected-old;]1',
    'carriage\r::save-state name=injected::1'
  ].join('\\n')
  const script = `#!/bin/sh
env -0 > '${recordDir}/env-'"$1"
case "$1" in
  --version) printf 'Upsun CLI ${version} ##[set-output name=injected-old;]1\\n${hostile}\\n' ;;
  ssh-cert:load) printf 'Generating a key\\n${hostile}\\n' >&2; exit 1 ;;
esac
`
  const exe = tarEntry(binary, '0', Buffer.from(script), '', 0o755)
  return gzipSync(Buffer.concat([exe, TAR_END]))
}

/** Parses a file written by `env -0`. @param {string} file @returns {Record<string, string>} */
export function readEnvRecord(file) {
  /** @type {Record<string, string>} */
  const env = {}
  for (const entry of readFileSync(file, 'utf8').split('\0')) {
    const eq = entry.indexOf('=')
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1)
  }
  return env
}
