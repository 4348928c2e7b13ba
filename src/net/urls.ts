/*
 * Which URLs the action may fetch, in one rule shared by input parsing and by
 * every request (redirects included): https anywhere, plain http only to a
 * loopback address. Plain http elsewhere can be read and changed on the way,
 * and a checksums.txt served by the same server would then prove nothing.
 */

/** True for 127.0.0.0/8, ::1 (also IPv4-mapped) and localhost: where plain http is acceptable. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase()
  if (host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)) return true
  // ::ffff:127.x.y.z, which the URL parser writes as ::ffff:7fxx:yyzz.
  return /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host)
}

/**
 * Why the action refuses to fetch this URL (a sentence for an error
 * message), or undefined when it may.
 */
export function urlRefusal(url: URL): string | undefined {
  // node:http would send them as an Authorization header the redirect rule
  // cannot see (undici dropped them): credentials go only in headers we set.
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
