// `npm run sandbox`: serves the loopback sandbox until Ctrl-C, for
// `npm run local-action` (@github/local-action running src/main.ts): a
// GitHub-Releases stand-in with the real CLI, and the Upsun API stand-in. The
// ports and the token come from .env (or .env.example when there is none), so
// the two commands agree.
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { parseEnv } from 'node:util'
import { SANDBOX_USER, startApiServer } from '../sandbox/api.mjs'
import { startSandboxReleases } from '../sandbox/index.mjs'

const file = existsSync('.env') ? '.env' : '.env.example'
const env = parseEnv(readFileSync(file, 'utf8'))
/** The loopback port of an input's URL; the sandbox serves only loopback. */
function portOf(name) {
  const url = new URL(env[name] ?? '')
  if (url.hostname !== '127.0.0.1' || !url.port)
    throw new Error(`${file}: ${name} must be http://127.0.0.1:PORT/… to use the sandbox`)
  return Number(url.port)
}

// The runner's folders exist before a step starts, as on a runner.
for (const name of ['RUNNER_TOOL_CACHE', 'RUNNER_TEMP', 'HOME'])
  if (env[name]) mkdirSync(env[name], { recursive: true })

const { server, version } = await startSandboxReleases({ port: portOf('INPUT_RELEASES-URL') })
const api = await startApiServer({
  tokens: [env.INPUT_TOKEN ?? ''],
  port: portOf('INPUT_API-URL')
})
console.log(`Sandbox up (ports from ${file}), until Ctrl-C:`)
console.log(`  releases of the real Upsun CLI ${version}: ${server.releasesUrl('upsun/cli')}`)
console.log(`  Upsun API, token user ${SANDBOX_USER.email}: ${api.origin}`)
console.log('Now, in another terminal: npm run local-action')

for (const signal of ['SIGINT', 'SIGTERM'])
  process.once(signal, async () => {
    await server.close()
    await api.close()
    process.exit(0)
  })
