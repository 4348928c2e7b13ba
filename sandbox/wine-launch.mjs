// Runs inside Wine under node.exe: starts one step of a Windows job with
// exactly the environment the request gives (Wine rewrites PATH and
// USERPROFILE of the process it starts itself, not of a child started with
// CreateProcess), stdout and stderr to files (node.exe dies with EBADF on a
// Unix pipe), and writes the exit status. A holder (wine-holder.mjs), if the
// request has one, runs beside the step in the same Wine session, and is
// stopped when the step ends.
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'

const request = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))
const out = fs.openSync(request.stdout, 'w')
const err = fs.openSync(request.stderr, 'w')
const holder = request.holder && startHolder(request.holder)
const result = spawnSync(request.command, request.args, {
  env: request.env,
  cwd: request.cwd,
  stdio: ['ignore', out, err],
  windowsHide: true,
  windowsVerbatimArguments: Boolean(request.verbatim),
  timeout: request.timeoutMs
})
const held = holder && (await holder.stop())
fs.writeFileSync(
  request.result,
  JSON.stringify({
    status: result.status,
    signal: result.signal,
    error: result.error ? String(result.error) : undefined,
    holder: held
  })
)

function startHolder({ command, args, stdout }) {
  const child = spawn(command, args, {
    stdio: ['ignore', fs.openSync(stdout, 'w'), 'ignore'],
    windowsHide: true
  })
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)))
  return {
    // Whether it had let go by itself when the step ended, or was stopped.
    async stop() {
      // An exit during spawnSync is seen only once the event loop runs again.
      await new Promise((resolve) => setTimeout(resolve, 200))
      const running = child.exitCode === null
      if (running) child.kill()
      return { stopped: running, code: await exited }
    }
  }
}
