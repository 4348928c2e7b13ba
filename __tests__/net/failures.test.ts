import { describe, expect, it } from '@jest/globals'
import { errors } from 'undici'
import { ActionError } from '../../src/errors.js'
import {
  HttpError,
  RetryableError,
  describeFailure as describeError,
  explainFailure,
  isRetryable,
  networkHint,
  redact,
  redactProxy
} from '../../src/net/failures.js'

const httpError = (status: number, headers: Record<string, string> = {}): HttpError =>
  new HttpError('https://example.com/x?sig=secret', status, headers, '')

describe('isRetryable', () => {
  it.each([
    [httpError(500), true],
    [httpError(502), true],
    [httpError(429), true],
    [httpError(408), true],
    [httpError(404), false],
    [httpError(401), false],
    [httpError(403), false],
    [Object.assign(new Error('x'), { code: 'ECONNRESET' }), true],
    [Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), true],
    [
      new Error('wrapped', { cause: Object.assign(new Error('y'), { code: 'UND_ERR_SOCKET' }) }),
      true
    ],
    [new TypeError('terminated'), true],
    [new RetryableError('cut'), true],
    [new ActionError('SHA-256 mismatch'), false],
    [new Error('something else'), false]
  ])('%s → %s', (error, expected) => {
    expect(isRetryable(error)).toBe(expected)
  })
})

describe('redact', () => {
  it('drops query strings and credentials', () => {
    expect(redact('https://u:p@example.com/a?X-Amz-Signature=s')).toBe('https://example.com/a')
    expect(redact('https://example.com/cb#access_token=secret')).toBe('https://example.com/cb')
  })
})

describe('proxy credentials are never printed', () => {
  it.each([
    ['http://user:secret@proxy:3128', 'http://***@proxy:3128'],
    ['user:secret@proxy:3128', '***@proxy:3128'],
    ['https://user:p%40ss@proxy.corp:8443/', 'https://***@proxy.corp:8443/'],
    ['http://user:p@ss/word@proxy:3128', 'http://***@proxy:3128'],
    ['user:p@ss:word@proxy', '***@proxy'],
    ['socks5://user:secret@proxy:1080', 'socks5://***@proxy:1080'],
    ['token@proxy:3128', '***@proxy:3128'],
    ['http://proxy:3128', 'http://proxy:3128'],
    ['proxy:3128', 'proxy:3128']
  ])('%s → %s', (value, shown) => {
    expect(redactProxy(value)).toBe(shown)
  })

  it('the network hint shows each proxy variable without its user-info, in every form', () => {
    const saved = { ...process.env }
    try {
      process.env.HTTPS_PROXY = 'user:secret@proxy:3128'
      process.env.http_proxy = 'http://other:secret2@proxy:3128'
      process.env.NO_PROXY = 'internal.example'
      const hint = networkHint(
        'https://example.com/a',
        Object.assign(new Error('x'), { code: 'ECONNREFUSED' })
      )
      expect(hint).toContain('HTTPS_PROXY=***@proxy:3128')
      expect(hint).toContain('http_proxy=http://***@proxy:3128')
      expect(hint).toContain('NO_PROXY=internal.example')
      expect(hint).not.toMatch(/secret|user|other/)
    } finally {
      process.env = saved
    }
  })
})

describe('error descriptions', () => {
  it('a network failure names the host and the proxy settings', () => {
    const reset = Object.assign(new Error('x'), { code: 'ECONNREFUSED' })
    expect(describeError(reset)).toBe('ECONNREFUSED')
    expect(networkHint('https://example.com/a', reset)).toMatch(/^Could not reach example\.com\./)
  })

  // undici's own errors (the one client), each read as one sentence.
  const coded = (message: string, code: string): Error =>
    Object.assign(new Error(message), { code })
  it.each([
    [new errors.ConnectTimeoutError(), 'no connection within 30.0 s', 'Could not reach'],
    [new errors.HeadersTimeoutError(), 'no answer within 30.0 s', 'was too slow'],
    [new errors.BodyTimeoutError(), 'the answer stalled for 30.0 s mid-body', 'was too slow'],
    [
      new errors.SocketError('other side closed'),
      'connection closed mid-transfer',
      'Could not reach'
    ],
    [
      new Error('wrapped', { cause: new errors.SocketError('other side closed') }),
      'connection closed mid-transfer',
      'Could not reach'
    ],
    [new TypeError('terminated'), 'connection closed mid-transfer', 'Could not reach'],
    [coded('read ECONNRESET', 'ECONNRESET'), 'ECONNRESET', 'Could not reach'],
    [
      coded('getaddrinfo EAI_AGAIN example.com', 'EAI_AGAIN'),
      'EAI_AGAIN',
      'example.com did not resolve (DNS)'
    ]
  ])('%s reads "%s"', (error, described, hint) => {
    expect(describeError(error)).toBe(described)
    expect(isRetryable(error)).toBe(true)
    expect(networkHint('https://example.com/a', error)).toContain(hint)
  })

  it('a proxy that refuses the tunnel is named, and not retried', () => {
    const refused = new errors.RequestAbortedError(
      'Proxy response (403) !== 200 when HTTP Tunneling'
    )
    process.env.HTTPS_PROXY = 'http://user:secret@proxy.internal:3128'
    try {
      expect(describeError(refused)).toBe('the proxy refused the tunnel with HTTP 403')
      expect(isRetryable(refused)).toBe(false)
      expect(networkHint('https://example.com/a', refused)).toBe(
        'The proxy would not open a tunnel to example.com (HTTP 403): check its access rules, and its credentials in the proxy variable. ' +
          'Proxy settings in force: HTTPS_PROXY=http://***@proxy.internal:3128.'
      )
    } finally {
      delete process.env.HTTPS_PROXY
    }
  })

  // Not retried (they do not heal by themselves), but explained: a name that
  // does not resolve (DNS: a runner that needs a proxy), a certificate Node
  // did not accept (a TLS-inspecting proxy or a private CA). undici passes
  // Node's codes through.
  it.each([
    [
      coded('getaddrinfo ENOTFOUND example.com', 'ENOTFOUND'),
      /^example\.com did not resolve \(DNS\)\. No proxy is set/
    ],
    [
      coded('unable to verify the first certificate', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'),
      /^The TLS certificate of example\.com was not accepted\. .*NODE_EXTRA_CA_CERTS=/
    ],
    [
      coded('self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN'),
      /^The TLS certificate of example\.com was not accepted/
    ],
    [
      coded("Hostname/IP does not match certificate's altnames", 'ERR_TLS_CERT_ALTNAME_INVALID'),
      /^The TLS certificate of example\.com was not accepted/
    ],
    [
      coded('certificate has expired', 'CERT_HAS_EXPIRED'),
      /^The TLS certificate of example\.com was not accepted/
    ]
  ])('%s is explained, not retried', (error, hint) => {
    expect(isRetryable(error)).toBe(false)
    expect(networkHint('https://example.com/a', error)).toMatch(hint)
  })

  it('a file-system failure is not dressed up as a network problem', () => {
    const eacces = Object.assign(new Error("EACCES: permission denied, mkdtemp '/x/.staging-'"), {
      code: 'EACCES'
    })
    expect(describeError(eacces)).toBe("EACCES: permission denied, mkdtemp '/x/.staging-'")
    expect(networkHint('https://example.com/a', eacces)).toBe('')
    expect(isRetryable(eacces)).toBe(false)
  })
})

describe('explainFailure', () => {
  it('says "after retries" only of what was retried', () => {
    expect(
      explainFailure(httpError(503), 'https://example.com/x?sig=s', 'download x').message
    ).toBe('Could not download x: https://example.com/x answered HTTP 503 (after retries).')
    expect(explainFailure(httpError(403), 'https://example.com/x', 'download x').message).toBe(
      'Could not download x: https://example.com/x answered HTTP 403.'
    )
  })

  it('a network failure gets the host and proxy hint; a disk failure only its own message', () => {
    const refused = Object.assign(new Error('x'), { code: 'ECONNREFUSED' })
    expect(explainFailure(refused, 'https://example.com/a', 'check the API token').message).toMatch(
      /^Could not check the API token \(ECONNREFUSED, after retries\)\. Could not reach example\.com\./
    )
    const eacces = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })
    expect(explainFailure(eacces, 'https://example.com/a', 'download x').message).toBe(
      'Could not download x (EACCES: permission denied).'
    )
  })

  it('passes a message already written for the user through unchanged', () => {
    const written = new ActionError('SHA-256 mismatch')
    expect(explainFailure(written, 'https://example.com/a', 'download x')).toBe(written)
  })
})
