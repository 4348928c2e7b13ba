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
  /** CliFilesSnapshot: the CLI's credential files before the token was handed out. */
  CliFiles = 'cli-files',
  /** SshState: what loading the SSH certificate changed. */
  Ssh = 'ssh'
}

/** The CLI's credential files as they were before the token was handed out. */
export interface CliFilesSnapshot {
  readonly userDir: string
  readonly existed: boolean
  /** Every path under `.session/` and `ssh/` before (relative, `/`-separated). */
  readonly before: readonly string[]
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
  [State.CliFiles]: CliFilesSnapshot
  [State.Ssh]: SshState
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
