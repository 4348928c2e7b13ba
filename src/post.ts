import * as core from '@actions/core'
import { rm, rmdir } from 'node:fs/promises'
import { removeNewCliFiles, type CliFilesSnapshot } from './cliFiles.js'
import { errorMessage } from './errors.js'
import { SSH_STATE, type SshState } from './ssh.js'
import { restoreConfig } from './sshconfig.js'

/**
 * The post step: removes every credential the action caused. It reads only
 * what main saved in state (never inputs: a nested composite action's post
 * step can get the wrong ones), runs even when main failed half way, and its
 * own failures are warnings. The tool cache stays.
 */
export async function runPost(): Promise<void> {
  if (core.getState('cleanup') === 'false') {
    core.info('cleanup is false: leaving the CLI session, SSH key and certificate in place.')
    return
  }
  const cliFiles = readState<CliFilesSnapshot>('cli-files')
  const ssh = readState<SshState>(SSH_STATE)
  if (!cliFiles && !ssh) {
    core.info('Nothing to clean up: the action created no credentials.')
    return
  }
  if (cliFiles) {
    await attempt('removing the CLI session and SSH files', async () => {
      for (const removed of await removeNewCliFiles(cliFiles)) core.info(`Removed ${removed}`)
    })
  }
  if (ssh) {
    for (const record of ssh.configs) {
      await attempt(`restoring ${record.file}`, async () => {
        const outcome = await restoreConfig(record)
        if (outcome !== 'untouched') core.info(`${record.file}: ${outcome}`)
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

function readState<T>(name: string): T | undefined {
  const raw = core.getState(name)
  if (!raw) return undefined
  try {
    return JSON.parse(raw) as T
  } catch {
    core.warning(`Saved state ${name} is unreadable; that part of cleanup was skipped.`)
    return undefined
  }
}

async function attempt(what: string, work: () => Promise<unknown>): Promise<void> {
  try {
    await work()
  } catch (error) {
    core.warning(`Cleanup: ${what} failed: ${errorMessage(error)}`)
  }
}

function ignoreNotEmpty(error: unknown): void {
  const code = (error as { code?: string }).code
  if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOENT') throw error
}
