import * as core from '@actions/core'
import { errorMessage } from './errors.js'

/**
 * The post step. It reads only what the main step saved in state (never
 * inputs: a nested composite action's post step can get the wrong ones) and
 * its own failures are warnings, so it never fails a job that succeeded.
 */
export function runPost(): Promise<void> {
  try {
    if (core.getState('cleanup') === 'false') {
      core.info('cleanup is false: leaving credentials in place.')
      return Promise.resolve()
    }
    core.info('Nothing to clean up.')
  } catch (error) {
    core.warning(`Cleanup did not finish: ${errorMessage(error)}`)
  }
  return Promise.resolve()
}
