import { rm, rmdir } from 'node:fs/promises'
import * as core from '@actions/core'
import { closeCliSession } from './auth/cliFiles.js'
import { isCliTmp } from './auth/cliTmp.js'
import { errorMessage } from './errors.js'
import { restoreConfig } from './ssh/config.js'
import { State, readState } from './state.js'
import { cliSessionProblem, sshProblem } from './stateGuard.js'
import { printable } from './text.js'

/**
 * The post step: removes every credential the action caused. It reads only
 * what main saved in state (never inputs: a nested composite action's post
 * step can get the wrong ones), runs even when main failed half way, and its
 * own failures are warnings. The tool cache stays.
 */
export async function runPost(): Promise<void> {
  // Not a credential, but code an earlier job could have swapped: it goes whatever `cleanup` says.
  await removeCliTmp()
  if (readState(State.Cleanup) === false) {
    core.info('cleanup is false: leaving the CLI session, SSH key and certificate in place.')
    return
  }
  const session = trusted(State.CliSession, readState(State.CliSession), cliSessionProblem)
  const ssh = trusted(State.Ssh, readState(State.Ssh), sshProblem)
  core.debug(
    printable(
      `Saved state: CLI session ${session ? `${session.sessionId} in ${session.userDir}` : 'none'}; SSH ${ssh ? `${ssh.configs.length} config file(s), backups in ${ssh.backupDir}` : 'none'}.`
    )
  )
  if (!session && !ssh) {
    core.info('Nothing to clean up: the action created no credentials.')
    return
  }
  if (session) {
    await attempt(`removing the CLI session ${session.sessionId}`, async () => {
      const done = await closeCliSession(session, { certificateLoaded: Boolean(ssh) })
      for (const line of done) core.info(printable(line))
    })
  }
  if (ssh) {
    for (const record of ssh.configs) {
      await attempt(`restoring ${record.file}`, async () => {
        const outcome = await restoreConfig(record)
        if (outcome !== 'untouched') core.info(`${printable(record.file)}: ${outcome}`)
      })
    }
    for (const dir of [...ssh.createdDirs].reverse()) {
      // Only if empty: anything another step put there stays.
      await attempt(`removing ${dir}`, () => rmdir(dir).catch(ignoreNotEmpty))
    }
    await attempt('removing the backup copies', () =>
      rm(ssh.backupDir, { recursive: true, force: true })
    )
  }
}

/** The job's unpack directory ({P}TMP), if main made one; nothing else. */
async function removeCliTmp(): Promise<void> {
  const dir = readState(State.CliTmp)
  if (dir === undefined) return
  if (!isCliTmp(dir)) {
    core.warning(
      `Cleanup: the saved unpack directory ${printable(String(dir))} is not one this action makes; left alone.`
    )
    return
  }
  await attempt(`removing ${dir}`, async () => {
    await rm(dir, { recursive: true, force: true })
    core.info(`Removed the job's unpack directory ${printable(dir)}`)
  })
}

/** The saved state, unless main could not have saved it (stateGuard.ts): then a warning. */
function trusted<T>(key: State, value: T | undefined, problem: (v: T) => string | undefined) {
  const why = value === undefined ? undefined : problem(value)
  if (why === undefined) return value
  core.warning(
    `Saved state ${key} was refused: ${why}, so the action did not write it; that part of cleanup was skipped.`
  )
  return undefined
}

async function attempt(what: string, work: () => Promise<unknown>): Promise<void> {
  try {
    await work()
  } catch (error) {
    core.warning(`Cleanup: ${printable(what)} failed: ${printable(errorMessage(error))}`)
  }
}

function ignoreNotEmpty(error: unknown): void {
  const code = (error as { code?: string }).code
  if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOENT') throw error
}
