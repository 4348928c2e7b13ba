// The step's entries run their work through runStep: a step that ends with
// its work still pending (Node had nothing left to wait for) must say so,
// never pass silently as a CommonJS script would.
import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { onShutdown, runStep, shutdown } from '../src/shutdown.js'

/** Captures the exit listener runStep registers, instead of adding it to jest's process. */
function captureExitListener(): { fire: () => void; restore: () => void } {
  let listener: (() => void) | undefined
  const spy = jest.spyOn(process, 'on').mockImplementation(((event: string, fn: () => void) => {
    if (event === 'exit') listener = fn
    return process
  }) as typeof process.on)
  return { fire: () => listener?.(), restore: () => spy.mockRestore() }
}

let restore: (() => void) | undefined
afterEach(() => restore?.())

describe('runStep', () => {
  it('says so when the process exits with the work still pending', () => {
    const exit = captureExitListener()
    restore = exit.restore
    const unfinished = jest.fn()
    runStep(() => new Promise<void>(() => undefined), unfinished)
    exit.fire()
    expect(unfinished).toHaveBeenCalledTimes(1)
  })

  it('says nothing once the work has finished', async () => {
    const exit = captureExitListener()
    restore = exit.restore
    const unfinished = jest.fn()
    let done: () => void = () => undefined
    runStep(() => new Promise<void>((resolve) => (done = resolve)), unfinished)
    done()
    await new Promise((resolve) => setImmediate(resolve))
    exit.fire()
    expect(unfinished).not.toHaveBeenCalled()
  })
})

describe('shutdown', () => {
  it('runs every hook once, even when one fails', async () => {
    const calls: string[] = []
    onShutdown(async () => void calls.push('a'))
    onShutdown(async () => {
      calls.push('b')
      throw new Error('b failed')
    })
    await shutdown()
    await shutdown()
    expect(calls.sort()).toEqual(['a', 'b'])
  })
})
