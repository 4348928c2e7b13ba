// Whether a suite that needs something outside npm (sshd and root, PHP) can
// run here. Where it cannot, the suite skips with a notice, except when
// SETUP_UPSUN_CLI_REQUIRE_SANDBOX=1 (set by .ci/run): then it is an error,
// so that CI can never pass on suites that silently did not run.
import { spawnSync } from 'node:child_process'

/**
 * @param {string} what the suite, for the message
 * @param {boolean} ok whether its needs are met
 * @param {string} why what is missing
 * @param {string} [fix] how to get it
 */
export function canRun(what, ok, why, fix = 'bash scripts/test-deps.sh installs it as root') {
  if (ok) return true
  if (process.env.SETUP_UPSUN_CLI_REQUIRE_SANDBOX === '1') {
    throw new Error(`${what} must run here (SETUP_UPSUN_CLI_REQUIRE_SANDBOX=1), but ${why}.`)
  }
  console.warn(`${what} skipped: ${why} (${fix}).`)
  return false
}

/** PHP with the curl extension, as the Web PaaS CLI needs. */
export function phpAvailable() {
  const r = spawnSync('php', ['-m'], { encoding: 'utf8' })
  return r.status === 0 && r.stdout.split('\n').includes('curl')
}
