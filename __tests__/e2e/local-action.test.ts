// `npm run local-action` (GitHub's @github/local-action running src/main.ts)
// with the inputs of .env.example, against the loopback sandbox: what
// CONTRIBUTING.md tells a contributor to run. Only the sandbox's addresses
// (free ports here, fixed ones for `npm run sandbox`) and the runner's folders
// are replaced.
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseEnv } from 'node:util'
import { startApiServer } from '../../sandbox/api.mjs'
import { node24Path } from '../../sandbox/fixtures.mjs'
import { startSandboxReleases } from '../../sandbox/index.mjs'
import { ROOT, spawnCapture } from '../../sandbox/runner.mjs'

const example = parseEnv(readFileSync(path.join(ROOT, '.env.example'), 'utf8'))
const TOKEN = example.INPUT_TOKEN ?? ''
let releases: Awaited<ReturnType<typeof startSandboxReleases>>
let api: Awaited<ReturnType<typeof startApiServer>>

beforeAll(async () => {
  releases = await startSandboxReleases()
  api = await startApiServer({ tokens: [TOKEN] })
}, 300_000)
afterAll(async () => {
  await releases.server.close()
  await api.close()
})

it('runs the main step with .env.example against the sandbox', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'local-action-'))
  const env: Record<string, string> = {
    ...(example as Record<string, string>),
    'INPUT_RELEASES-URL': releases.server.releasesUrl('upsun/cli'),
    'INPUT_AUTH-URL': api.origin,
    'INPUT_API-URL': api.origin,
    RUNNER_TOOL_CACHE: path.join(dir, 'toolcache'),
    RUNNER_TEMP: path.join(dir, 'temp'),
    HOME: path.join(dir, 'home')
  }
  for (const name of ['RUNNER_TOOL_CACHE', 'RUNNER_TEMP', 'HOME'])
    mkdirSync(env[name], { recursive: true })
  const file = path.join(dir, '.env')
  writeFileSync(
    file,
    Object.entries(env)
      .map(([k, v]) => `${k}=${v}\n`)
      .join('')
  )
  // package.json's script, with this test's file in place of .env.
  const script = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts[
    'local-action'
  ] as string
  const [command, ...args] = script.split(' ').map((a) => (a === '.env' ? file : a))
  const run = await spawnCapture(path.join(ROOT, 'node_modules', '.bin', command), args, {
    cwd: ROOT,
    // Node 24 first, as the runner runs the action.
    env: {
      PATH: [path.dirname(node24Path()), process.env.PATH].join(path.delimiter),
      HOME: env.HOME,
      TMPDIR: dir
    },
    input: undefined,
    timeoutMs: 120_000
  })
  const output = run.stdout + run.stderr
  expect(output).toContain('Authenticated as deploy-bot@example.com')
  expect(output).toContain(`::set-output name=version::${releases.version}`)
  expect(output).toContain('::set-output name=environment-type::staging')
  expect(output).not.toContain(TOKEN)
  expect(run.code).toBe(0)
})
