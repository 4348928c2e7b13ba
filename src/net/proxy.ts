import { ActionError } from '../errors.js'
import { redactProxy } from './failures.js'
import { isLoopbackHost } from './urls.js'

/**
 * Which proxy, if any, a request goes through: HTTPS_PROXY (for https; it
 * falls back to HTTP_PROXY), HTTP_PROXY (for http), NO_PROXY, each in either
 * case with the lower case first. These are the rules of undici's
 * EnvHttpProxyAgent, which made this choice before transport.ts sent direct
 * requests through node:http; deciding here, before any undici code loads,
 * keeps every host routed as it was. Loopback is never proxied, whatever
 * NO_PROXY says: a proxy would read the token in clear (http.ts rule 3).
 */
export function proxyFor(url: URL): string | undefined {
  if (isLoopbackHost(url.hostname)) return undefined
  const proxy =
    url.protocol === 'https:'
      ? (proxyVariable('https_proxy', 'HTTPS_PROXY') ?? proxyVariable('http_proxy', 'HTTP_PROXY'))
      : proxyVariable('http_proxy', 'HTTP_PROXY')
  if (!proxy || bypassed(url)) return undefined
  return proxy
}

/** A proxy variable (lower case first), with http:// added when it has no scheme, as curl does. */
function proxyVariable(...names: string[]): string | undefined {
  for (const name of names) {
    const value = process.env[name]?.trim()
    if (!value) continue
    const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`
    try {
      new URL(url)
    } catch {
      throw new ActionError(
        `${name} is not a valid proxy URL (${redactProxy(value)}); set it to http://host:port.`
      )
    }
    return url
  }
  return undefined
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 }

/**
 * Does NO_PROXY name this host? Entries are separated by commas or spaces;
 * `host`, `.host` and `*.host` match the host and its subdomains, `host:port`
 * only that port, and a NO_PROXY of exactly `*` matches every host.
 */
function bypassed(url: URL): boolean {
  const noProxy = process.env.no_proxy ?? process.env.NO_PROXY ?? ''
  if (noProxy === '*') return true
  // url.host keeps an IPv6 address's brackets; only the port is cut off.
  const host = url.host.replace(/:\d*$/, '').toLowerCase()
  const port = Number.parseInt(url.port, 10) || DEFAULT_PORTS[url.protocol] || 0
  return noProxy
    .split(/[,\s]/)
    .filter(Boolean)
    .some((entry) => {
      const withPort = /^(.+):(\d+)$/.exec(entry)
      const name = (withPort ? withPort[1] : entry).replace(/^\*?\./, '').toLowerCase()
      const only = withPort ? Number.parseInt(withPort[2], 10) : 0
      if (only && only !== port) return false
      return host === name || host.endsWith(`.${name}`)
    })
}
