// Typed stand-ins for the parts of @actions/core the action uses, as
// actions/typescript-action does: each is a jest.fn with the real function's
// signature, so a test that calls one wrongly fails to typecheck. Use with
//   jest.unstable_mockModule('@actions/core', () => core)
// before importing the module under test, and reset between tests
// (`jest.resetAllMocks()` then `resetCore()`), which also keeps the test
// output free of the action's log lines (retries, …).
import type * as real from '@actions/core'
import { jest } from '@jest/globals'

export const getInput = jest.fn<typeof real.getInput>()
export const getBooleanInput = jest.fn<typeof real.getBooleanInput>()
export const getState = jest.fn<typeof real.getState>()
export const isDebug = jest.fn<typeof real.isDebug>()
export const debug = jest.fn<typeof real.debug>()
export const info = jest.fn<typeof real.info>()
export const notice = jest.fn<typeof real.notice>()
export const warning = jest.fn<typeof real.warning>()
export const error = jest.fn<typeof real.error>()
export const setFailed = jest.fn<typeof real.setFailed>()
export const setSecret = jest.fn<typeof real.setSecret>()
export const group = jest.fn<typeof real.group>()
export const setOutput = jest.fn<typeof real.setOutput>()
export const exportVariable = jest.fn<typeof real.exportVariable>()
export const saveState = jest.fn<typeof real.saveState>()
export const addPath = jest.fn<typeof real.addPath>()

type Summary = typeof real.summary
/** The job summary's builder: each add* returns the summary, write() resolves to it. */
export const summary = {
  addHeading: jest.fn<Summary['addHeading']>(),
  addTable: jest.fn<Summary['addTable']>(),
  addRaw: jest.fn<Summary['addRaw']>(),
  write: jest.fn<Summary['write']>()
}

/** Gives the stand-ins the behaviour most tests want (after jest.resetAllMocks). */
export function resetCore(): void {
  // '' when not given, never undefined (the runner passes every input as a string).
  getInput.mockImplementation(() => '')
  getBooleanInput.mockImplementation((name) => /^(true|True|TRUE)$/.test(getInput(name)))
  getState.mockImplementation(() => '')
  isDebug.mockImplementation(() => false)
  group.mockImplementation(async (_name, fn) => fn())
  const self = summary as unknown as Summary
  for (const add of [summary.addHeading, summary.addTable, summary.addRaw])
    add.mockImplementation(() => self)
  summary.write.mockImplementation(async () => self)
}
resetCore()
