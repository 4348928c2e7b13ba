import * as core from '@actions/core'

/*
 * What the main step hands to the post step, in one place (setup-go's
 * constants.ts): the state keys and the shape saved under each. Post reads
 * only this, never inputs (a nested composite action's post step can get the
 * wrong ones). Paths and flags only: never a secret.
 */

export enum State {
  /** 'false' when the workflow asked to keep the credentials. */
  Cleanup = 'cleanup',
  /** CliSessionState: the job's CLI session, and the shared files as they were before. */
  CliSession = 'cli-session',
  /** SshState: what loading the SSH certificate changed. */
  Ssh = 'ssh',
  /** The job's own directory for the CLI's unpacked PHP and phar ({P}TMP). */
  CliTmp = 'cli-tmp'
}

/** The job's CLI session ({P}SESSION_ID) and what post needs to undo it. */
export interface CliSessionState {
  /** The CLI's user directory (`~/.upsun-cli`). */
  readonly userDir: string
  readonly userDirExisted: boolean
  readonly sessionId: string
  /** The workflow set {P}SESSION_ID itself: the session is not the action's to remove whole. */
  readonly chosenByWorkflow: boolean
  /** Files in a workflow-chosen session before the job (relative, `/`-separated). */
  readonly sessionBefore: readonly string[]
  /** `sess-api-token-<hash>`: where the CLI keeps the token's access tokens. */
  readonly tokenSession: string
  /**
   * The files under `ssh/` shared by all sessions, before the job: null when
   * absent; session.config's content (paths only), '' for the others.
   */
  readonly sharedSsh: Partial<
    Record<'session.config' | 'host-keys' | 'host-keys.config', string | null>
  >
}

/** What post needs to restore one OpenSSH config file. */
export interface ConfigRecord {
  readonly file: string
  readonly existed: boolean
  /** Copy of the original bytes, when the file existed. */
  readonly backup?: string
}

/** What post needs to undo the SSH wiring. */
export interface SshState {
  configs: ConfigRecord[]
  createdDirs: string[]
  backupDir: string
}

interface Saved {
  [State.Cleanup]: boolean
  [State.CliSession]: CliSessionState
  [State.Ssh]: SshState
  [State.CliTmp]: string
}

export function saveState<K extends State>(key: K, value: Saved[K]): void {
  core.saveState(key, JSON.stringify(value))
}

/** The saved value, or undefined (with a warning when it cannot be read). */
export function readState<K extends State>(key: K): Saved[K] | undefined {
  const raw = core.getState(key)
  if (!raw) return undefined
  try {
    return JSON.parse(raw) as Saved[K]
  } catch {
    core.warning(`Saved state ${key} is unreadable; that part of cleanup was skipped.`)
    return undefined
  }
}
