import * as os from 'node:os'
import * as path from 'node:path'
import { CLIS } from './clis.js'
import { firstControlCharacter } from './text.js'
import type { CliSessionState, SshState } from './state.js'

/*
 * Post removes and rewrites what saved state names, and saved state is only
 * as trustworthy as the main step's log: a line of it that the runner read as
 * `::save-state` would hand post any path. So post acts only on state main
 * could have produced: the shapes of the paths main builds, under the homes
 * it builds them in (the CLI's home, HOME, the passwd home) and RUNNER_TEMP.
 */

/** Where main puts a CLI user directory or `.ssh`: every home the CLI or OpenSSH may use. */
function homes(): string[] {
  const env = process.env
  const found = [os.homedir(), env.HOME, env.USERPROFILE]
  for (const cli of Object.values(CLIS)) found.push(env[`${cli.envPrefix}HOME`])
  try {
    found.push(os.userInfo().homedir)
  } catch {
    // no passwd entry: main had none either
  }
  return found.filter((h): h is string => !!h).map((h) => path.resolve(h))
}

/** An absolute, normalised path with no control character (a line break above all). */
function plainPath(p: unknown): p is string {
  return (
    typeof p === 'string' &&
    path.isAbsolute(p) &&
    path.resolve(p) === p &&
    firstControlCharacter(p) === undefined
  )
}

const USER_DIRS = new Set(Object.values(CLIS).map((c) => c.userDir))
const SESSION_ID = /^[a-z0-9_-]+$/
const TOKEN_SESSION = /^sess-api-token-[0-9a-f]{32}$/

/** Why main could not have saved this CLI session state, or undefined. */
export function cliSessionProblem(state: CliSessionState): string | undefined {
  const { userDir, sessionId, tokenSession, sessionBefore } = state
  if (
    !plainPath(userDir) ||
    !USER_DIRS.has(path.basename(userDir)) ||
    !homes().includes(path.dirname(userDir))
  )
    return 'its CLI directory is not a CLI directory in a home of this runner user'
  if (typeof sessionId !== 'string' || !SESSION_ID.test(sessionId))
    return 'its session id is not one the CLI accepts'
  if (typeof tokenSession !== 'string' || !TOKEN_SESSION.test(tokenSession))
    return 'its token session is not named as the CLI names them'
  if (
    !Array.isArray(sessionBefore) ||
    !sessionBefore.every((rel) => typeof rel === 'string' && !rel.split('/').includes('..'))
  )
    return 'its list of session files is not relative'
  return undefined
}

const BACKUP_DIR = /^setup-upsun-cli-ssh-[A-Za-z0-9]{6}$/
const BACKUP_NAMES = new Set(['config', 'config.passwd-home'])

/** Why main could not have saved this SSH state, or undefined. */
export function sshProblem(state: SshState): string | undefined {
  const { backupDir, configs, createdDirs } = state
  const temp = path.resolve(process.env.RUNNER_TEMP || os.tmpdir())
  if (!plainPath(backupDir) || path.dirname(backupDir) !== temp)
    return 'its backup directory is not in RUNNER_TEMP'
  if (!BACKUP_DIR.test(path.basename(backupDir)))
    return 'its backup directory is not named as main names it'
  if (!Array.isArray(configs) || !Array.isArray(createdDirs)) return 'it is not SSH state'
  const sshDirs = homes().map((home) => path.join(home, '.ssh'))
  for (const { file, backup } of configs) {
    if (!plainPath(file) || path.basename(file) !== 'config')
      return 'it names an OpenSSH config that is not ~/.ssh/config'
    if (!sshDirs.includes(path.dirname(file)))
      return 'it names an OpenSSH config outside the homes of this runner user'
    if (
      backup !== undefined &&
      (!plainPath(backup) ||
        path.dirname(backup) !== backupDir ||
        !BACKUP_NAMES.has(path.basename(backup)))
    )
      return 'it names a backup outside its backup directory'
  }
  if (!createdDirs.every((dir) => plainPath(dir) && sshDirs.includes(dir)))
    return 'it names a directory to remove that is not ~/.ssh'
  return undefined
}
