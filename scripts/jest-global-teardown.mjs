// jest globalTeardown: removes the folder that held every e2e job of this run
// (made by jest-global-setup.mjs), after the suites' own leak checks read it.
import { rmSync } from 'node:fs'

export default function teardown() {
  const dir = process.env.SETUP_UPSUN_CLI_JOBS_DIR
  if (dir) rmSync(dir, { recursive: true, force: true })
}
