import { send } from '../net/http.js'
import type { Network } from '../net/network.js'
import { record, text } from '../project/api.js'

/*
 * An activity's log: NDJSON, one
 * `{"_id", "data": {"message"}}` a line, ending with `{"seal": true}` once
 * the activity is over. Read only when a deploy failed, for its last lines.
 */

/** A log's last lines, and whether it was read to its seal. */
export interface LogTail {
  readonly lines: readonly string[]
  readonly sealed: boolean
  /** Why the log could not be read whole, when it was not. */
  readonly problem?: string
}

const MAX_LOG_BYTES = 16 << 20
/** Reads before giving up on a log that never seals (the CLI reopens on EOF too). */
const OPENINGS = 3

export interface LogSource {
  readonly apiUrl: string
  readonly accessToken: string
  /** `_links.log.href` of the activity (relative to the API host). */
  readonly href: string
  /** Built from `api-url` when the link is missing or points elsewhere. */
  readonly fallbackPath: string
}

/**
 * The log's URL: the link's path on `api-url`'s own host (never another host:
 * the request carries the access token), without its query string, since a
 * `count` inherited from the list gets HTTP 400 (as the CLI strips it).
 */
export function logUrl(source: LogSource): string {
  const api = new URL(source.apiUrl)
  const linked = source.href ? new URL(source.href, api) : undefined
  if (linked && linked.origin === api.origin) return `${api.origin}${linked.pathname}`
  return `${source.apiUrl}${source.fallbackPath}`
}

/**
 * Reads the log to its seal, reopening it when it ends early, and keeps the
 * last `keep` lines. Each opening is one bounded request; a log that never
 * seals is returned as far as it came, with `sealed: false`.
 */
export async function readLogTail(
  source: LogSource,
  keep: number,
  network: Network & { pauseMs?: number } = {}
): Promise<LogTail> {
  const url = logUrl(source)
  const seen = new Set<string>()
  const lines: string[] = []
  let problem: string | undefined
  for (let opening = 1; opening <= OPENINGS; opening++) {
    try {
      const response = await send(url, {
        headers: {
          authorization: `Bearer ${source.accessToken}`,
          accept: 'application/x-ndjson, application/json'
        },
        maxBytes: MAX_LOG_BYTES,
        dispatcher: network.dispatcher
      })
      let rest = ''
      let sealed = false
      for await (const chunk of response.body) {
        rest += chunk.toString('utf8')
        const parts = rest.split('\n')
        rest = parts.pop() ?? ''
        for (const part of parts) sealed = take(part, seen, lines, keep) || sealed
        if (sealed) break
      }
      if (!sealed && rest) sealed = take(rest, seen, lines, keep)
      if (sealed) {
        response.body.destroy()
        return { lines, sealed: true }
      }
      problem = `the log ended ${OPENINGS} times without its seal`
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error)
    }
    if (opening < OPENINGS) await (network.sleep ?? sleep)(network.pauseMs ?? 1000)
  }
  return { lines, sealed: false, problem }
}

/** Adds one NDJSON line's message (once per `_id`); true for the seal. */
function take(line: string, seen: Set<string>, lines: string[], keep: number): boolean {
  if (!line.trim()) return false
  let item: Record<string, unknown>
  try {
    item = record(JSON.parse(line))
  } catch {
    return false
  }
  if (item.seal === true) return true
  const id = text(item._id)
  if (id && seen.has(id)) return false
  if (id) seen.add(id)
  for (const message of text(record(item.data).message).split(/\r?\n/)) {
    if (message.trim() === '') continue
    lines.push(message)
    if (lines.length > keep) lines.shift()
  }
  return false
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
