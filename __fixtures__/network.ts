// The network of unit tests: a fresh undici MockAgent for every test, which
// opens no socket (disableNetConnect) and is closed after it, and retries
// that do not wait. Call useMockAgent() at the top of a file or describe
// block; pass `{ dispatcher: agent(), sleep: noWait }` to the function under test.
import { afterAll, afterEach, beforeEach } from '@jest/globals'
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

/** The proxy variables http.ts reads, in both cases. */
const PROXY_VARIABLES = [
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'http_proxy',
  'https_proxy',
  'NO_PROXY',
  'no_proxy'
]

/**
 * Keeps this machine's proxy variables out of a file's tests: every test
 * starts without any (and sets what it needs), and the machine's are put
 * back once the file is done.
 */
export function withoutProxyVariables(): void {
  const saved = Object.fromEntries(PROXY_VARIABLES.map((name) => [name, process.env[name]]))
  beforeEach(() => {
    for (const name of PROXY_VARIABLES) delete process.env[name]
  })
  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  })
}
