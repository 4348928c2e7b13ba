// jest globalTeardown: removes the run's temporary folder made by
// jest-global-setup.mjs (every e2e job, tool cache and test temporary file),
// after the suites' own leak checks have read it.
import { rmSync } from 'node:fs'

export default function teardown() {
  const dir = process.env.SETUP_UPSUN_CLI_RUN_TEMP
  if (dir) rmSync(dir, { recursive: true, force: true })
}
