// Typed stand-ins for src/runner.ts (the action's side of the runner: inputs,
// log, workflow and file commands), as actions/typescript-action does for
// @actions/core: each is a jest.fn with the real function's signature, so a
// test that calls one wrongly fails to typecheck. Use with
//   jest.unstable_mockModule('<relative path>/src/runner.js', () => runner)
// and reset between tests (`jest.resetAllMocks()` then `resetRunner()`), which
// also keeps the test output free of the action's log lines (retries, …).
import type * as real from '../src/runner.js'
import { jest } from '@jest/globals'

export const getInput = jest.fn<typeof real.getInput>()
export const getState = jest.fn<typeof real.getState>()
export const info = jest.fn<typeof real.info>()
export const notice = jest.fn<typeof real.notice>()
export const warning = jest.fn<typeof real.warning>()
export const setFailed = jest.fn<typeof real.setFailed>()
export const setSecret = jest.fn<typeof real.setSecret>()
export const group = jest.fn<typeof real.group>()
export const setOutput = jest.fn<typeof real.setOutput>()
export const exportVariable = jest.fn<typeof real.exportVariable>()
export const saveState = jest.fn<typeof real.saveState>()
export const addPath = jest.fn<typeof real.addPath>()
export const appendSummary = jest.fn<typeof real.appendSummary>()

/** Gives the stand-ins the behaviour most tests want (after jest.resetAllMocks). */
export function resetRunner(): void {
  getInput.mockImplementation(() => '')
  getState.mockImplementation(() => '')
  group.mockImplementation(async (_name, fn) => fn())
}
resetRunner()
