// Runs inside Wine under node.exe: starts one step of a Windows job with
// exactly the environment the request gives (Wine rewrites PATH and
// USERPROFILE of the process it starts itself, not of a child started with
// CreateProcess), stdout and stderr to files (node.exe dies with EBADF on a
// Unix pipe), and writes the exit status.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'

const request = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))
const out = fs.openSync(request.stdout, 'w')
const err = fs.openSync(request.stderr, 'w')
const result = spawnSync(request.command, request.args, {
  env: request.env,
  cwd: request.cwd,
  stdio: ['ignore', out, err],
  windowsHide: true,
  windowsVerbatimArguments: Boolean(request.verbatim),
  timeout: request.timeoutMs
})
fs.writeFileSync(
  request.result,
  JSON.stringify({
    status: result.status,
    signal: result.signal,
    error: result.error ? String(result.error) : undefined
  })
)
