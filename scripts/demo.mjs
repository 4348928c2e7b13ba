// `npm run demo`: runs the bundled action as a workflow would, against the
// built-in loopback sandbox (a GitHub-Releases stand-in serving the real CLI,
// and an Upsun API stand-in), and prints the log a workflow run would show.
import { rmSync } from 'node:fs'
import { SANDBOX_USER, makeCa, startApiServer } from '../sandbox/api.mjs'
import { startSandboxReleases } from '../sandbox/index.mjs'
import { SANDBOX_PROJECT } from '../sandbox/projects.mjs'
import { Job } from '../sandbox/runner.mjs'
import { ensureTestUser, resetHome, sshSandboxAvailable, startSshd } from '../sandbox/sshd.mjs'

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
// The SSH part needs a real sshd and root (to run the job as the sandbox's
// test user, so that this machine's own ~/.ssh is never touched).
const withSsh = sshSandboxAvailable()
const user = withSsh ? ensureTestUser() : undefined
const ca = withSsh ? makeCa() : undefined
const api = await startApiServer({
  tokens: [TOKEN],
  ca,
  principals: user ? [user.name] : undefined
})
const sshd = user && ca ? await startSshd({ caPub: ca.pub, user }) : undefined
if (user) resetHome(user)
const job = user ? new Job({ user, home: user.home }) : new Job()
const jobs = [job]
try {
  const inputs = {
    version: 'latest',
    'releases-url': server.releasesUrl('upsun/cli'),
    token: TOKEN,
    'auth-url': api.origin,
    'api-url': api.origin,
    // Binds later steps to the sandbox's project and environment (checked first).
    project: SANDBOX_PROJECT.id,
    environment: 'staging',
    ...(sshd ? { 'ssh-cert': 'true' } : {})
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
  if (later.exitCode !== 0) process.exitCode = 1

  // No --project, no --environment: the CLI reads PLATFORM_PROJECT and PLATFORM_BRANCH.
  const bound = await job.run(
    'echo "PLATFORM_PROJECT=$PLATFORM_PROJECT PLATFORM_BRANCH=$PLATFORM_BRANCH" && upsun project:info title && upsun environment:info type && upsun url --primary --pipe'
  )
  show(
    'Run upsun project:info title && upsun environment:info type && upsun url --primary --pipe',
    bound.stdout + bound.stderr
  )
  if (bound.exitCode !== 0) process.exitCode = 1

  if (sshd) {
    // git.eu-5.platform.sh is sent to the sandbox's sshd on loopback.
    const ssh = `ssh ${sshd.sshOptions}`
    const target = `${user.name}@git.eu-5.platform.sh`
    const git = await job.run(
      [
        'set -o pipefail',
        `${ssh} ${target} echo "hello from sshd, as \\$(whoami)"`,
        'rm -rf work && git init -q -b main work && cd work',
        'git -c user.name=ci -c user.email=ci@example.com commit -q --allow-empty -m deploy',
        `git push ${target}:${sshd.repo} main 2>&1 | tail -2`
      ].join(' && '),
      { env: { GIT_SSH_COMMAND: ssh } }
    )
    show('Run ssh and git push to git.eu-5.platform.sh (the sandbox sshd)', git.stdout + git.stderr)
    if (git.exitCode !== 0) process.exitCode = 1
  } else {
    console.log(
      '\n(SSH part skipped: it needs root and /usr/sbin/sshd; bash .ci/run installs openssh-server.)'
    )
  }

  const second = new Job({ toolCache: job.toolCache, user, home: user?.home })
  jobs.push(second)
  const again = await second.main({
    ...inputs,
    version,
    'ssh-cert': 'false'
  })
  show('A second job on the same runner (tool-cache hit)', again.log)
  console.log(`  outputs: ${JSON.stringify(again.outputs)}`)
  if (again.exitCode !== 0 || again.outputs['cache-hit'] !== 'true') process.exitCode = 1

  const post = await job.post()
  show('Post Run setup-upsun-cli', post.log)
  if (post.exitCode !== 0) process.exitCode = 1
  if (sshd) {
    const after = await job.run(
      `${'ssh'} ${sshd.sshOptions} ${user.name}@git.eu-5.platform.sh true 2>&1 || true`
    )
    show('After the post step, ssh is refused', after.stdout)
    if (!after.stdout.includes('Permission denied')) process.exitCode = 1
  }
  if (process.exitCode) console.log('\nA step above did not do what it should: the demo failed.')
  console.log(
    `\nThe token's user in the sandbox is ${SANDBOX_USER.email}; the token itself shows as *** above.`
  )
} finally {
  // Each job's folder holds a tool cache of its own (tens of MB).
  for (const j of jobs) rmSync(j.root, { recursive: true, force: true })
  await server.close()
  await api.close()
  await sshd?.close()
}
