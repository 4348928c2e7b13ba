// Typed stand-ins for @actions/core, as actions/typescript-action does: each
// is a jest.fn with the real function's signature, so a test that calls one
// wrongly fails to typecheck. Use with
//   jest.unstable_mockModule('@actions/core', () => core)
// and reset between tests (`jest.resetAllMocks()` then `resetCore()`), which
// also keeps the test output free of the action's log lines (retries, …).
import type * as actionsCore from '@actions/core'
import { jest } from '@jest/globals'

export const debug = jest.fn<typeof actionsCore.debug>()
export const info = jest.fn<typeof actionsCore.info>()
export const notice = jest.fn<typeof actionsCore.notice>()
export const warning = jest.fn<typeof actionsCore.warning>()
export const error = jest.fn<typeof actionsCore.error>()
export const isDebug = jest.fn<typeof actionsCore.isDebug>()
export const getInput = jest.fn<typeof actionsCore.getInput>()
export const getBooleanInput = jest.fn<typeof actionsCore.getBooleanInput>()
export const getMultilineInput = jest.fn<typeof actionsCore.getMultilineInput>()
export const getState = jest.fn<typeof actionsCore.getState>()
export const saveState = jest.fn<typeof actionsCore.saveState>()
export const setOutput = jest.fn<typeof actionsCore.setOutput>()
export const setSecret = jest.fn<typeof actionsCore.setSecret>()
export const setFailed = jest.fn<typeof actionsCore.setFailed>()
export const exportVariable = jest.fn<typeof actionsCore.exportVariable>()
export const addPath = jest.fn<typeof actionsCore.addPath>()
export const startGroup = jest.fn<typeof actionsCore.startGroup>()
export const endGroup = jest.fn<typeof actionsCore.endGroup>()
export const group = jest.fn<typeof actionsCore.group>()

/** The job summary: every builder method returns the summary, as the real one does. */
type Summary = typeof actionsCore.summary
export const summary = {
  addHeading: jest.fn<Summary['addHeading']>(),
  addRaw: jest.fn<Summary['addRaw']>(),
  addTable: jest.fn<Summary['addTable']>(),
  addList: jest.fn<Summary['addList']>(),
  addEOL: jest.fn<Summary['addEOL']>(),
  write: jest.fn<Summary['write']>()
}
const chained = summary as unknown as Summary

/** Gives the stand-ins the behaviour most tests want (after jest.resetAllMocks). */
export function resetCore(): void {
  getInput.mockImplementation(() => '')
  getState.mockImplementation(() => '')
  isDebug.mockImplementation(() => false)
  group.mockImplementation(async (_name, fn) => fn())
  for (const builder of [
    summary.addHeading,
    summary.addRaw,
    summary.addTable,
    summary.addList,
    summary.addEOL
  ]) {
    ;(builder as jest.Mock<() => Summary>).mockImplementation(() => chained)
  }
  summary.write.mockImplementation(async () => chained)
}
resetCore()
