// jest globalSetup, before any test file runs:
// 1. The end-to-end suites run the bundled dist/, so a bundle older than its
//    sources would test yesterday's code. Rebuild it when any file it is built
//    from is newer than the oldest file in dist/. (Whether the committed dist/
//    is what the sources build is a separate check: .ci/run's "dist is fresh".)
// 2. Every temporary file of the run goes under one folder of its own, removed
//    by jest-global-teardown.mjs: each e2e job (with a tool cache of its own) in
//    SETUP_UPSUN_CLI_JOBS_DIR, and whatever tests make with os.tmpdir() (TMPDIR,
//    which the test processes inherit). Runs never pile up in /tmp.
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const INPUTS = ['src', 'rollup.config.mjs', 'tsconfig.json', 'package-lock.json']

/** Modification times of every file under `entry` (a file or a folder). */
function mtimes(entry) {
  const full = path.join(ROOT, entry)
  if (!existsSync(full)) return []
  if (!statSync(full).isDirectory()) return [statSync(full).mtimeMs]
  return readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => statSync(path.join(d.parentPath, d.name)).mtimeMs)
}

export default function setup() {
  buildDistIfStale()
  const runTemp = mkdtempSync(path.join(os.tmpdir(), 'setup-upsun-cli-tests-'))
  // Like /tmp itself: some jobs run as the unprivileged test user.
  chmodSync(runTemp, 0o1777)
  process.env.SETUP_UPSUN_CLI_RUN_TEMP = runTemp
  process.env.SETUP_UPSUN_CLI_JOBS_DIR = runTemp
  process.env.TMPDIR = runTemp
}

function buildDistIfStale() {
  const built = mtimes('dist')
  const sources = INPUTS.flatMap(mtimes)
  if (built.length > 0 && Math.max(...sources) <= Math.min(...built)) return
  console.log(`\ndist/ is ${built.length ? 'older than its sources' : 'missing'}: npm run package`)
  const result = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: 'inherit' })
  if (result.status !== 0)
    throw new Error('npm run package failed; the end-to-end suites need dist/')
}
