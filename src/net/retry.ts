import * as core from '@actions/core'
import { HttpError, describeFailure, isRetryable } from './failures.js'
import { RETRY_BASE_MS } from './network.js'
import { printable } from '../text.js'

/*
 * Retries with exponential backoff and jitter, honouring Retry-After. Each
 * attempt is the whole request (a download restarts from its first byte), so
 * that a retried stream is never stitched together from two answers (undici's
 * retry interceptor resumes a body with a Range request instead).
 */

const ATTEMPTS = 4

/** Delay before the given retry: Retry-After when the server sent one. */
export function retryDelay(attempt: number, error: unknown, random = Math.random): number {
  if (error instanceof HttpError) {
    const after = retryAfterMs(error.headers['retry-after'])
    if (after !== undefined) return Math.min(after, 60_000)
  }
  const exponential = RETRY_BASE_MS * 2 ** (attempt - 1)
  return Math.round(Math.min(exponential, 30_000) * (0.5 + random()))
}

function retryAfterMs(value: string | string[] | undefined): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value
  if (!raw) return undefined
  const seconds = Number(raw)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const date = Date.parse(raw)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

/**
 * Runs `attempt` until it succeeds, a non-retryable error occurs, or the
 * attempts are used up; logs each retry with its reason.
 */
export async function withRetry<T>(
  what: string,
  attempt: (n: number) => Promise<T>,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n)
    } catch (error) {
      if (n >= ATTEMPTS || !isRetryable(error)) throw error
      const delay = retryDelay(n, error)
      core.info(
        printable(
          `${what}: ${describeFailure(error)}; retrying in ${(delay / 1000).toFixed(1)} s (attempt ${n + 1} of ${ATTEMPTS}).`
        )
      )
      await sleep(delay)
    }
  }
}
