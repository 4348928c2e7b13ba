// The leak check: after masks are applied, no secret may appear in a step's
// stdout, stderr, outputs, saved state or job summary, nor in any file under
// the job's temp, tool cache and home, except where the CLI must keep them
// (its session and SSH key files, which the post step removes).
import { existsSync, lstatSync, readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'

/** CLI-owned places under HOME that legitimately hold credentials until post. */
const CLI_CREDENTIAL_DIRS = ['.upsun-cli/.session', '.platformsh/.session', '.webpaas-cli/.session']

/**
 * @param {import('./runner.mjs').Job} job
 * @param {string[]} secrets values that must never show (tokens, access tokens, private keys)
 * @param {{ allowCliCredentials?: boolean }} [options] true while the post step has not run
 * @returns {string[]} where each leak was found
 */
export function findLeaks(job, secrets, options = {}) {
  const wanted = secrets.filter((s) => s && s.length >= 8)
  if (wanted.length === 0) return []
  const leaks = []
  const scan = (where, text) => {
    for (const secret of wanted)
      if (text.includes(secret)) leaks.push(`${where} (secret …${secret.slice(-4)})`)
  }
  for (const step of job.steps) {
    scan(`${step.id} stdout`, step.log)
    scan(`${step.id} stderr`, step.stderr)
    scan(`${step.id} outputs`, JSON.stringify(step.outputs))
    scan(`${step.id} state`, JSON.stringify(step.state))
    scan(`${step.id} summary`, step.summary)
  }
  // The raw file-command files too, except GITHUB_ENV: that is where the token is meant to go.
  for (const step of job.steps) {
    for (const [name, file] of Object.entries(step.files)) {
      if (name !== 'GITHUB_ENV' && existsSync(file))
        scan(`${step.id} ${name}`, readFileSync(file, 'latin1'))
    }
  }
  for (const root of [job.temp, job.toolCache, job.home]) {
    walk(root, (file) => {
      const rel = path.relative(job.home, file)
      if (
        options.allowCliCredentials &&
        CLI_CREDENTIAL_DIRS.some((d) => rel.startsWith(d + path.sep))
      )
        return
      scan(file, readFileSync(file, 'latin1'))
    })
  }
  return [...new Set(leaks)]
}

function walk(dir, visit) {
  if (!existsSync(dir)) return
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name)
    const info = lstatSync(p)
    if (info.isDirectory()) walk(p, visit)
    else if (info.isFile() && info.size < 64 * 1024 * 1024) visit(p)
  }
}
