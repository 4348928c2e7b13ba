import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import type { CliSpec } from '../clis.js'
import { ActionError, errorMessage } from '../errors.js'
import { printable } from '../text.js'

/*
 * The CLI merges `<user dir>/config.yaml` over its whole configuration
 * (legacy Config::applyUserConfigOverrides, in every CLI run): where it
 * exchanges the token and has certificates signed (`api.*`), where it keeps
 * sessions (`application.writable_user_dir`), the prefix of the variables it
 * reads (`application.env_prefix`, so no variable of ours could outvote the
 * file), SSH options. On a persistent runner an earlier job can leave one.
 * Refused rather than neutralised: variables cannot outvote a file that can
 * rename them, and a file nobody in this workflow wrote is worth a look.
 */

/** Above this the file is refused unread (a user's settings are a few lines). */
const MAX_BYTES = 64 * 1024
/** How many of its keys the error names. */
const MAX_KEYS = 12

/** The file the CLI reads its user settings from. */
export function userConfigFile(userDir: string): string {
  return path.join(userDir, 'config.yaml')
}

/**
 * Throws, naming the file and its keys, when the CLI's user config sets
 * anything; returns when there is none, or it is empty (the CLI then ignores
 * it too).
 */
export async function refuseUserConfig(cli: CliSpec, userDir: string): Promise<void> {
  const file = userConfigFile(userDir)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw refusal(cli, file, `cannot be read (${errorMessage(error)})`)
  }
  if (text.length > MAX_BYTES) throw refusal(cli, file, `holds ${text.length} characters`)
  // Only on this rare path: YAML's parser is not loaded by a job without the file.
  const { parse } = await import('yaml')
  let value: unknown
  try {
    value = parse(text)
  } catch {
    throw refusal(cli, file, 'is not valid YAML (the CLI would stop on it)')
  }
  if (value === null || value === undefined) return
  if (typeof value === 'object' && Object.keys(value).length === 0) return
  throw refusal(cli, file, `sets ${keysOf(value)}`)
}

/** `api.auth_url, application.env_prefix, …`: keys two levels deep, printable. */
function keysOf(value: unknown): string {
  if (typeof value !== 'object' || value === null) return `a ${typeof value} at the top level`
  const keys: string[] = []
  for (const [key, sub] of Object.entries(value as Record<string, unknown>)) {
    const inner = sub && typeof sub === 'object' && !Array.isArray(sub) ? Object.keys(sub) : []
    if (inner.length > 0) for (const k of inner) keys.push(`${key}.${k}`)
    else keys.push(key)
  }
  const shown = keys.slice(0, MAX_KEYS).map((k) => printable(k).slice(0, 60))
  return shown.join(', ') + (keys.length > MAX_KEYS ? ` and ${keys.length - MAX_KEYS} more` : '')
}

function refusal(cli: CliSpec, file: string, what: string): ActionError {
  return new ActionError(
    `${printable(file)} ${what}. ${cli.title} takes any setting from this file in every run, ` +
      'including where it sends the token (api.*), where it keeps sessions and which variables it reads; ' +
      'on a self-hosted runner an earlier job may have left it. Delete it, and find out how it got there. ' +
      `Settings a job needs belong in the workflow: the auth-url and api-url inputs, or ${cli.envPrefix}* variables.`
  )
}
