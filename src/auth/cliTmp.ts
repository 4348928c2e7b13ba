import { mkdtempSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { cliVar, unpacksRuntime, type CliSpec } from '../clis.js'

/*
 * The Go build of the CLI unpacks PHP, the phar and its config into
 * `~/.cache/<slug>-tmp/legacy-<version>/` and runs them with the token in
 * their environment. Before reusing them it compares only each file's size
 * and last 32 KiB, so on a persistent runner an earlier job can swap in a
 * `php` of its own. Each job therefore gets a directory of its own, made
 * fresh under RUNNER_TEMP with mode 0700 (mkdtemp), named in `{P}TMP` for
 * the action's CLI runs and later steps, and removed by post.
 */

const PREFIX = 'setup-upsun-cli-tmp-'

/** Where the job's directory goes: the runner's per-job temp, else the OS's. */
function parentDir(env: NodeJS.ProcessEnv): string {
  return path.resolve(env.RUNNER_TEMP || os.tmpdir())
}

/**
 * Makes the job's unpack directory and names it in `{P}TMP` for this
 * process's CLI runs (their environment passes the CLI's own variables on).
 * Undefined for a CLI that unpacks nothing.
 */
export function openCliTmp(
  cli: CliSpec,
  env: NodeJS.ProcessEnv = process.env
): { dir: string; variable: string; workflowValue?: string } | undefined {
  if (!unpacksRuntime(cli)) return undefined
  const variable = cliVar(cli, 'TMP')
  const workflowValue = env[variable] || undefined
  const dir = mkdtempSync(path.join(parentDir(env), PREFIX))
  env[variable] = dir
  return { dir, variable, workflowValue }
}

/** True when `dir` is one openCliTmp could have made: post removes nothing else. */
export function isCliTmp(dir: unknown, env: NodeJS.ProcessEnv = process.env): dir is string {
  return (
    typeof dir === 'string' &&
    path.isAbsolute(dir) &&
    path.dirname(dir) === parentDir(env) &&
    new RegExp(`^${PREFIX}[A-Za-z0-9]{6}$`).test(path.basename(dir))
  )
}
