// Retries: backoff with jitter, Retry-After honoured, only what can heal is
// retried. The sleep is injected and @actions/core is the typed fixture, so
// the retry lines are asserted on, not printed.
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '../../__fixtures__/core.js'

jest.unstable_mockModule('@actions/core', () => core)
const { HttpError } = await import('../../src/net/failures.js')
const { retryDelay, withRetry } = await import('../../src/net/retry.js')

const httpError = (status: number, headers: Record<string, string> = {}) =>
  new HttpError('https://example.com/x?sig=secret', status, headers, '')

beforeEach(() => {
  jest.resetAllMocks()
  core.resetCore()
})

describe('retryDelay', () => {
  it('honours Retry-After in seconds', () => {
    expect(retryDelay(1, httpError(429, { 'retry-after': '3' }))).toBe(3000)
  })

  it('backs off exponentially with jitter between 0.5x and 1.5x', () => {
    expect(retryDelay(1, httpError(500), () => 0)).toBe(500)
    expect(retryDelay(1, httpError(500), () => 1)).toBe(1500)
    expect(retryDelay(3, httpError(500), () => 0.5)).toBe(4000)
  })
})

describe('withRetry', () => {
  it('retries what can heal and returns the first success', async () => {
    const sleep = jest.fn(() => Promise.resolve())
    let calls = 0
    const result = await withRetry(
      'test',
      () => {
        calls++
        return calls < 3 ? Promise.reject(httpError(503)) : Promise.resolve('ok')
      },
      sleep
    )
    expect(result).toBe('ok')
    expect(calls).toBe(3)
    expect(sleep).toHaveBeenCalledTimes(2)
    // Each retry is logged once, with its reason and the attempt it starts.
    expect(core.info).toHaveBeenCalledTimes(2)
    expect(core.info).toHaveBeenLastCalledWith(
      expect.stringMatching(/^test: HTTP 503; retrying in \d+\.\d s \(attempt 3 of 4\)\.$/)
    )
  })

  it('does not retry a 404 and gives up after four attempts', async () => {
    const sleep = jest.fn(() => Promise.resolve())
    await expect(withRetry('t', () => Promise.reject(httpError(404)), sleep)).rejects.toThrow(
      'HTTP 404'
    )
    expect(sleep).not.toHaveBeenCalled()
    let calls = 0
    await expect(
      withRetry(
        't',
        () => {
          calls++
          return Promise.reject(httpError(500))
        },
        sleep
      )
    ).rejects.toThrow('HTTP 500')
    expect(calls).toBe(4)
  })
})
