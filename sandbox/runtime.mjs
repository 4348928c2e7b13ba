// What a job's processes run: Node 24 and the bundled dist/, plus the ssh
// ProxyCommand script. Root's own jobs use them in place. A test user's jobs
// (sshd.mjs) use a copy in a world-readable temporary folder: the clone may
// live where that user cannot enter (root's home is mode 0700), and the test
// user exists so that OpenSSH reads its passwd home, never root's ~/.ssh.
import { execFileSync } from 'node:child_process'
import { chmodSync, copyFileSync, cpSync, linkSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { node24Path } from './fixtures.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** @typedef {{ node: string, dist: string, tcpPipe: string }} Runtime */

/** @type {Runtime} */
const IN_PLACE = {
  node: node24Path(),
  dist: path.join(ROOT, 'dist'),
  tcpPipe: path.join(ROOT, 'sandbox', 'tcp-pipe.mjs')
}

/** @type {Runtime | undefined} */
let staged

/**
 * The runtime for a job run as `user` (or as this process's user when none).
 * @param {{ uid: number } | undefined} user
 * @returns {Runtime}
 */
export function jobRuntime(user) {
  if (!user || user.uid === process.getuid?.()) return IN_PLACE
  staged ??= stage()
  return staged
}

/**
 * Copies the runtime once per process, after dist/ is built (jest's globalSetup
 * and `npm run demo` build it first), into the run's temporary folder, which
 * jest's globalTeardown removes; outside jest it goes when this process exits.
 */
function stage() {
  const base = process.env.SETUP_UPSUN_CLI_RUN_TEMP || os.tmpdir()
  const dir = mkdtempSync(path.join(base, 'runtime-'))
  if (!process.env.SETUP_UPSUN_CLI_RUN_TEMP)
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
  chmodSync(dir, 0o755)
  const node = path.join(dir, 'node')
  try {
    // A hard link costs nothing on the same file system, but shares the
    // original's mode: only when anyone may already run it.
    if ((statSync(IN_PLACE.node).mode & 0o005) !== 0o005) throw new Error('private')
    linkSync(IN_PLACE.node, node)
  } catch {
    copyFileSync(IN_PLACE.node, node)
  }
  const dist = path.join(dir, 'dist')
  cpSync(IN_PLACE.dist, dist, { recursive: true })
  const tcpPipe = path.join(dir, 'tcp-pipe.mjs')
  copyFileSync(IN_PLACE.tcpPipe, tcpPipe)
  // Readable by anyone, whatever the umask or the clone's modes were.
  execFileSync('chmod', ['-R', 'a+rX', dir])
  return { node, dist, tcpPipe }
}
