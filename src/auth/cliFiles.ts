// fs.promises, not node:fs/promises: loaded on first use, never on a cache hit
// without a token (see toolcache.ts).
import { promises as fsp, realpathSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { cliVar, type CliSpec } from '../clis.js'
import { InputError } from '../errors.js'
import { lazyCrypto } from '../lazy.js'
import type { CliSessionState } from '../state.js'

/*
 * The CLI keeps its sessions under its user directory (`~/.upsun-cli`):
 * `.session/sess-cli-<id>/` holds the SSH key, certificate and their config,
 * and a token stored by `auth:api-token-login` (which, inside that session,
 * beats the token in the environment); `.session/sess-api-token-<hash>/`
 * holds the access tokens of one API token. `ssh/`, `cache/`, `locks/` and a
 * block in `~/.ssh/config` are shared by all sessions.
 *
 * Every job gets a session of its own ({P}SESSION_ID, exported for later
 * steps), so that nothing a previous job left on a persistent runner (a
 * session kept with `cleanup: false`, a job killed before its post step, a
 * person's `auth:api-token-login`) is used, and post can remove exactly what
 * this job caused, even with other jobs running on the same machine.
 */

/**
 * The CLI's home, found as the CLI finds it (its Config::getHomeDirectory, and
 * the Go wrapper's HomeDir): `{P}HOME`, then `HOME`, then `USERPROFILE`, the
 * first one set and not empty; the OS's home only when none is. Not
 * os.homedir(): on Windows that is USERPROFILE even where a workflow (or
 * MSYS2, Cygwin) sets HOME, and post would clean a directory the CLI never
 * used. Windows reads variable names case-insensitively.
 */
export function cliHome(
  prefix: string,
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  osHome: () => string
): string {
  const read = (name: string): string | undefined => {
    if (platform !== 'win32') return env[name]
    const key = Object.keys(env).find((k) => k.toUpperCase() === name.toUpperCase())
    return key === undefined ? undefined : env[key]
  }
  for (const name of [`${prefix}HOME`, 'HOME', 'USERPROFILE']) {
    const value = read(name)
    if (value) return value
  }
  return osHome()
}

/** The CLI's home and the home OpenSSH uses, from this process's environment. */
export function homes(cli: CliSpec): { home: string; sshHome: string } {
  const found = cliHome(cli.envPrefix, process.platform, process.env, os.homedir)
  let home = found
  try {
    // The PHP CLI resolves its home (realpath): its files name the resolved path.
    home = realpathSync(found)
  } catch {
    // not there (yet): the CLI would refuse it; keep the name for the messages
  }
  let sshHome = home
  try {
    sshHome = os.userInfo().homedir || home
  } catch {
    // no passwd entry (arbitrary uid in a container): ssh falls back to HOME
  }
  return { home, sshHome }
}

/** The CLI's rule for session ids (its Config.php): lowercase, digits, `_`, `-`. */
const SESSION_ID = /^[a-z0-9_-]+$/
/** Names the CLI reserves for the sessions of API tokens. */
const RESERVED_PREFIX = 'api-token-'

/**
 * A session id unique to this job: the run, its attempt (so a re-run does
 * not find the first attempt's session), and a random part (so matrix legs
 * and several jobs of one run do not share one).
 */
export function newSessionId(env: NodeJS.ProcessEnv = process.env): string {
  const part = (value: string | undefined, fallback: string): string =>
    (value ?? '').toLowerCase().replace(/[^a-z0-9]/g, '') || fallback
  const run = part(env.GITHUB_RUN_ID, 'local')
  const attempt = part(env.GITHUB_RUN_ATTEMPT, '1')
  return `gha-${run}-${attempt}-${lazyCrypto().randomBytes(4).toString('hex')}`
}

/** Where a session's files live. */
export function sessionDir(userDir: string, sessionId: string): string {
  return path.join(userDir, '.session', `sess-cli-${sessionId}`)
}

/** The directory of an API token's access tokens (the CLI's Api::getClient naming). */
export function tokenSessionName(token: string): string {
  return `sess-api-token-${lazyCrypto().createHash('sha256').update(token).digest('hex').slice(0, 32)}`
}

/** Files under `ssh/` shared by every session: they are restored, not removed whole. */
const SHARED_SSH = ['session.config', 'host-keys', 'host-keys.config'] as const

/**
 * Decides the job's session and notes what post needs to undo it. A session
 * id set by the workflow is used as it is (later steps see the workflow's
 * value whatever the action exports), after checking it; any other job gets a
 * fresh one.
 */
export async function openCliSession(
  cli: CliSpec,
  userDir: string,
  token: string,
  env: NodeJS.ProcessEnv = process.env
): Promise<CliSessionState> {
  const name = cliVar(cli, 'SESSION_ID')
  const given = env[name]
  const sessionId = given || newSessionId(env)
  if (given) checkGivenSession(name, given)
  const dir = sessionDir(userDir, sessionId)
  if (given) await refuseStoredToken(name, given, dir)
  const shared: CliSessionState['sharedSsh'] = {}
  for (const file of SHARED_SSH) {
    const text = await readText(path.join(userDir, 'ssh', file))
    // Only session.config is put back by content; the others only by existence.
    shared[file] = text === undefined ? null : file === 'session.config' ? text : ''
  }
  return {
    userDir,
    userDirExisted: await isDir(userDir),
    sessionId,
    chosenByWorkflow: Boolean(given),
    sessionBefore: given ? await filesUnder(dir) : [],
    tokenSession: tokenSessionName(token),
    sharedSsh: shared
  }
}

function checkGivenSession(name: string, value: string): void {
  if (!SESSION_ID.test(value) || value.startsWith(RESERVED_PREFIX)) {
    throw new InputError(
      `${name} is set to ${JSON.stringify(value.slice(0, 80))}, which the CLI does not accept as a session id: ` +
        `use only lowercase letters, digits, "_" and "-", not starting with "${RESERVED_PREFIX}". ` +
        `Or remove ${name} from the workflow: the action then gives the job a session of its own.`
    )
  }
}

/**
 * Inside one session a stored token beats the `token` input: the outputs
 * would name one user while later steps act as another. Refused.
 */
async function refuseStoredToken(name: string, value: string, dir: string): Promise<void> {
  const stored = path.join(dir, 'api-token')
  if ((await readText(stored)) === undefined) return
  throw new InputError(
    `${name}=${value} names a CLI session that holds a stored API token (${stored}, from auth:api-token-login). ` +
      'Inside that session the stored token beats the `token` input, so later steps would act as another user. ' +
      `Remove ${name} from the workflow so that the job gets a session of its own, or delete that file.`
  )
}

export interface CloseOptions {
  /** The job loaded a certificate into a workflow-chosen session: remove its SSH files too. */
  readonly certificateLoaded: boolean
}

/**
 * Post: removes the job's session (whole when the action made it), the
 * token's access tokens, and puts the files shared by all sessions back as
 * they were, unless another job has changed them since. A user directory
 * the job created goes entirely when no other session is left in it.
 * Returns what was removed or restored, one line each, for the log.
 */
export async function closeCliSession(
  state: CliSessionState,
  options: CloseOptions
): Promise<string[]> {
  const { userDir } = state
  const done: string[] = []
  const remove = async (p: string): Promise<void> => {
    if (!(await exists(p))) return
    await fsp.rm(p, { recursive: true, force: true })
    done.push(`Removed ${p}`)
  }
  const dir = sessionDir(userDir, state.sessionId)
  if (!state.chosenByWorkflow) {
    await remove(dir)
    await remove(path.join(userDir, 'locks', `ssh-cert--sess-cli-${state.sessionId}.lock`))
  } else {
    const before = new Set(state.sessionBefore)
    for (const rel of await filesUnder(dir)) {
      const inSsh = rel.startsWith('ssh/')
      if (!before.has(rel) || (inSsh && options.certificateLoaded))
        await remove(path.join(dir, ...rel.split('/')))
    }
    await removeEmptyDirs(dir, false)
  }
  await remove(path.join(userDir, '.session', state.tokenSession))

  // ssh/session.config includes the most recently configured session: put
  // it back only while it still points to ours.
  const sessionConfig = path.join(userDir, 'ssh', 'session.config')
  const current = await readText(sessionConfig)
  if (current !== undefined && current.includes(dir)) {
    const before = state.sharedSsh['session.config']
    if (before === null || before === undefined) await remove(sessionConfig)
    else {
      await fsp.writeFile(sessionConfig, before)
      done.push(`Restored ${sessionConfig}`)
    }
  }
  const others = await otherSessions(userDir)
  if (others.length === 0) {
    for (const file of ['host-keys', 'host-keys.config'] as const) {
      if (state.sharedSsh[file] === null) await remove(path.join(userDir, 'ssh', file))
    }
    if (!state.userDirExisted) {
      // Created for this job, and no other session lives in it: cache and locks go too.
      await remove(userDir)
      return done
    }
  }
  for (const sub of ['ssh', 'locks', '.session'])
    await removeEmptyDirs(path.join(userDir, sub), true)
  return done
}

/** Sessions in the user directory, other than a removed one. */
async function otherSessions(userDir: string): Promise<string[]> {
  try {
    return (await fsp.readdir(path.join(userDir, '.session'))).filter((n) => n.startsWith('sess-'))
  } catch {
    return []
  }
}

/** Files under dir, relative and `/`-separated ([] when it does not exist). */
async function filesUnder(dir: string): Promise<string[]> {
  try {
    const entries = await fsp.readdir(dir, { recursive: true, withFileTypes: true })
    return entries
      .filter((e) => !e.isDirectory())
      .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
  } catch {
    return []
  }
}

/** Removes empty directories under (and, if asked, including) dir, deepest first. */
async function removeEmptyDirs(dir: string, includeSelf: boolean): Promise<void> {
  let entries
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true })
  } catch {
    return
  }
  for (const e of entries) if (e.isDirectory()) await removeEmptyDirs(path.join(dir, e.name), true)
  if (includeSelf) await fsp.rmdir(dir).catch(() => undefined)
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await fsp.readFile(file, 'utf8')
  } catch {
    return undefined
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await fsp.stat(p)
    return true
  } catch {
    return false
  }
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await fsp.stat(p)).isDirectory()
  } catch {
    return false
  }
}
