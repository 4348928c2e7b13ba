// The network of unit tests: a fresh undici MockAgent for every test, which
// opens no socket (disableNetConnect) and is closed after it, and retries
// that do not wait. Call useMockAgent() at the top of a file or describe
// block; pass `{ dispatcher: agent(), sleep: noWait }` to the function under test.
import { afterEach, beforeEach } from '@jest/globals'
import { MockAgent } from 'undici'

export const noWait = async (): Promise<void> => undefined

/** Registers the per-test agent; returns a getter for the current test's agent. */
export function useMockAgent(): () => MockAgent {
  let agent: MockAgent | undefined
  beforeEach(() => {
    agent = new MockAgent()
    agent.disableNetConnect()
  })
  afterEach(async () => {
    await agent?.close()
  })
  return () => {
    if (!agent) throw new Error('useMockAgent(): the agent exists only inside a test')
    return agent
  }
}
