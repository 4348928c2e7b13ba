import type { Dispatcher } from 'undici'

/*
 * The network policy in one place: which URLs may be fetched, the time every
 * request gets, and what a caller may inject. Read by input parsing (on the
 * start-up path: nothing here loads undici) and by every request.
 */

/**
 * What a caller may inject into every function that reaches the network.
 * The action itself passes nothing; unit tests pass an undici `MockAgent`
 * (so no socket is opened) and an instant `sleep` (so retries do not wait).
 */
export interface Network {
  /** The dispatcher requests go through; default: client.ts's (direct, or a proxy). */
  readonly dispatcher?: Dispatcher
  /** The wait between retries; default: a real timer. */
  readonly sleep?: (ms: number) => Promise<void>
}

/** Idle timeout: how long a connection may stay silent (connect, headers, between body bytes). */
export const TIMEOUT_MS = positive(process.env.SETUP_UPSUN_CLI_HTTP_TIMEOUT_MS, 30_000)
/**
 * Overall deadline of one request, headers and whole body: a server that
 * sends one byte a second never trips the idle timeout, but trips this.
 * Downloads get more time in proportion to their size (http.ts).
 */
export const DEADLINE_MS = positive(process.env.SETUP_UPSUN_CLI_HTTP_DEADLINE_MS, 2 * TIMEOUT_MS)
export const RETRY_BASE_MS = positive(process.env.SETUP_UPSUN_CLI_RETRY_BASE_MS, 1_000)

function positive(raw: string | undefined, fallback: number): number {
  const n = Number(raw)
  return Number.isFinite(n) && n > 0 ? n : fallback
}

/**
 * True for an IP literal in 127.0.0.0/8 (also IPv4-mapped), ::1, and the
 * exact name `localhost`: where plain http is acceptable and no proxy is
 * used. Any other name, `localhost.` included, is resolved through DNS,
 * which may answer with any address.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)) return true
  // ::ffff:127.x.y.z, which the URL parser writes as ::ffff:7fxx:yyzz.
  return /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host)
}

/**
 * Why the action refuses to fetch this URL (a sentence for an error
 * message), or undefined when it may: https anywhere, plain http only to a
 * loopback address (plain http elsewhere can be read and changed on the way,
 * and a checksums.txt served by the same server would then prove nothing).
 * Input parsing and every request, redirect hops included, apply it.
 */
export function urlRefusal(url: URL): string | undefined {
  // Credentials go only in headers we set, where the redirect rule sees them.
  if (url.username || url.password)
    return 'A URL that holds a user name or password is not fetched: the action sends credentials only in headers of its own.'
  if (url.protocol === 'https:') return undefined
  if (url.protocol === 'http:') {
    if (isLoopbackHost(url.hostname)) return undefined
    return (
      'Plain http is accepted only for a loopback address such as http://127.0.0.1: an answer over ' +
      'plain http can be read and changed on the way, and a checksum served the same way would prove nothing.'
    )
  }
  return `Only https (or http to a loopback address) is fetched, not ${url.protocol.replace(/:$/, '')}.`
}
