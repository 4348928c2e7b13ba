// `npm run demo`: runs the bundled action as a workflow would, against the
// built-in loopback sandbox (a GitHub-Releases stand-in serving the real CLI,
// and an Upsun API stand-in), and prints the log a workflow run would show.
import { SANDBOX_USER, makeCa, startApiServer } from '../sandbox/api.mjs'
import { startSandboxReleases } from '../sandbox/index.mjs'
import { Job } from '../sandbox/runner.mjs'

const TOKEN = 'demo-api-token-7c1f0e2d9b8a4365'
const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s)

/** Renders a step's log like the Actions UI: groups folded open, commands shown. */
function show(title, text) {
  console.log(`\n${bold(`▶ ${title}`)}`)
  for (const line of text.split('\n')) {
    if (!line) continue
    const group = /^::group::(.*)$/.exec(line)
    if (group) console.log(`  ▾ ${group[1]}`)
    else if (line === '::endgroup::') continue
    else if (line.startsWith('::debug::')) continue
    else {
      const cmd = /^::(error|warning|notice)[^:]*::(.*)$/.exec(line)
      console.log(cmd ? `  ${cmd[1].toUpperCase()}: ${cmd[2]}` : `    ${line}`)
    }
  }
}

console.log('Starting the loopback sandbox (packing the real CLI on first run)…')
const { server, version } = await startSandboxReleases()
let ca
try {
  ca = makeCa()
} catch {
  ca = undefined // no ssh-keygen: the demo skips the SSH part
}
const api = await startApiServer({ tokens: [TOKEN], ca })
const job = new Job()
try {
  const inputs = {
    version: 'latest',
    'releases-url': server.releasesUrl('upsun/cli'),
    token: TOKEN,
    'auth-url': api.origin,
    'api-url': api.origin
  }
  console.log(
    `\nworkflow step:\n  - uses: upsun/setup-cli@v1\n    with:\n${Object.entries(inputs)
      .map(([k, v]) => `      ${k}: ${k === 'token' ? '${{ secrets.UPSUN_CLI_TOKEN }}' : v}`)
      .join('\n')}`
  )
  const step = await job.main(inputs)
  show('Run setup-upsun-cli', step.log)
  console.log(`  outputs: ${JSON.stringify(step.outputs)}`)
  if (step.exitCode !== 0) process.exitCode = 1

  const later = await job.run('upsun --version && upsun auth:info -P email --no-interaction')
  show('Run upsun --version && upsun auth:info -P email', later.stdout + later.stderr)

  const again = await new Job({ toolCache: job.toolCache }).main({ ...inputs, version })
  show('A second job on the same runner (tool-cache hit)', again.log)
  console.log(`  outputs: ${JSON.stringify(again.outputs)}`)

  const post = await job.post()
  show('Post Run setup-upsun-cli', post.log)
  console.log(
    `\nThe token's user in the sandbox is ${SANDBOX_USER.email}; the token itself shows as *** above.`
  )
} finally {
  await server.close()
  await api.close()
}
