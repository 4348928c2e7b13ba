import { ActionError } from '../errors.js'
import type { RawBody } from './client.js'
import { DeadlineError, redact } from './failures.js'

/*
 * The body caps and the overall deadline of one request (http.ts rules 4
 * and 5): a body that enforces both as it is read.
 */

/** Error bodies are read for their message only. */
export const MAX_ERROR_BYTES = 16 * 1024

export interface CappedBody extends AsyncIterable<Buffer> {
  text(): Promise<string>
  json(): Promise<unknown>
  /** Reads a short body out (keeping the connection), or drops a long one. */
  dump(): Promise<void>
  /** Drops the body unread (and ends its deadline). */
  destroy(): void
}

/** A body over its cap: refused, never drained. */
export class BodyTooLarge extends ActionError {
  constructor(url: string, limit: number, declared?: number) {
    super(
      `${redact(url)} sent ${declared === undefined ? 'more than' : `a ${declared}-byte answer, more than`} ${limit} bytes, ` +
        `far more than this request ever needs; it was refused ${declared === undefined ? 'there, not read further' : 'unread'}. ` +
        'Is the URL right, or is a proxy answering in its place?'
    )
    this.name = 'BodyTooLarge'
  }
}

/** The first `limit` bytes of a body; the rest is not read (the connection is dropped). */
export async function readPrefix(body: RawBody, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      chunks.push(chunk.subarray(0, limit - size))
      size += chunk.length
      if (size >= limit) {
        body.destroy()
        break
      }
    }
  } catch {
    // A body cut while we read an error is still the same error.
  }
  return Buffer.concat(chunks)
}

export function cappedBody(
  body: RawBody,
  url: string,
  limit: number,
  deadline: Deadline
): CappedBody {
  async function* chunks(): AsyncGenerator<Buffer> {
    let size = 0
    let complete = false
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        size += chunk.length
        if (size > limit) throw new BodyTooLarge(url, limit)
        yield chunk
      }
      complete = true
    } catch (error) {
      throw deadline.explain(error)
    } finally {
      deadline.clear()
      if (!complete) body.destroy()
    }
  }
  const text = async (): Promise<string> => {
    const parts: Buffer[] = []
    for await (const chunk of chunks()) parts.push(chunk)
    return Buffer.concat(parts).toString('utf8')
  }
  return {
    [Symbol.asyncIterator]: chunks,
    text,
    json: async () => JSON.parse(await text()) as unknown,
    async dump() {
      deadline.clear()
      await readPrefix(body, MAX_ERROR_BYTES)
    },
    destroy() {
      deadline.clear()
      body.destroy()
    }
  }
}

/**
 * The overall deadline of one request. It aborts the request through its
 * signal, and also rejects on its own: undici does not abort a CONNECT to a
 * proxy that never answers when the signal fires.
 */
export class Deadline {
  private readonly controller = new AbortController()
  private readonly started = Date.now()
  private timer: NodeJS.Timeout | undefined
  private ms: number
  private expired = false
  private readonly expiry: Promise<never>
  private rejectExpiry: (error: Error) => void = () => undefined

  constructor(
    private readonly url: string,
    ms: number
  ) {
    this.ms = ms
    this.expiry = new Promise<never>((_, reject) => (this.rejectExpiry = reject))
    this.expiry.catch(() => undefined)
    this.arm()
  }

  get signal(): AbortSignal {
    return this.controller.signal
  }

  /** Gives the whole request `ms` from its start instead. */
  extend(ms: number): void {
    this.ms = ms
    this.arm()
  }

  clear(): void {
    clearTimeout(this.timer)
  }

  /** The deadline's own error when it is what ended the request. */
  explain(error: unknown): unknown {
    return this.expired && !(error instanceof ActionError) ? this.error(error) : error
  }

  /** Waits for `pending` unless the deadline passes first. */
  async race<T extends { body: RawBody }>(pending: Promise<T>): Promise<T> {
    // If the deadline wins, whatever arrives later is dropped, never left open.
    pending.then((late) => this.expired && late.body.destroy()).catch(() => undefined)
    return Promise.race([pending, this.expiry])
  }

  private arm(): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(
      () => {
        this.expired = true
        const error = this.error()
        this.controller.abort(error)
        this.rejectExpiry(error)
      },
      Math.max(0, this.started + this.ms - Date.now())
    )
    // A pending request keeps the process alive by itself; the timer need not.
    this.timer.unref()
  }

  private error(cause?: unknown): DeadlineError {
    return new DeadlineError(this.url, this.ms, cause)
  }
}
