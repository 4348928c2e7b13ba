import { afterEach, describe, expect, it } from '@jest/globals'
import {
  isLoopbackHost,
  parseCli,
  parseReleasesUrl,
  parseSecureUrl,
  parseVersion,
  readInputs,
  describeInputs,
  refuseControlCharacters
} from '../src/inputs.js'

describe('parseVersion', () => {
  it.each([
    ['', { kind: 'latest' }],
    ['latest', { kind: 'latest' }],
    [' LATEST ', { kind: 'latest' }],
    ['5.11.1', { kind: 'exact', version: '5.11.1' }],
    ['v5.11.1', { kind: 'exact', version: '5.11.1' }],
    ['5.10.0-alpha1', { kind: 'exact', version: '5.10.0-alpha1' }],
    ['5.x', { kind: 'range', range: '5.x' }],
    ['^5.10', { kind: 'range', range: '^5.10' }],
    ['>=5.9.0 <6', { kind: 'range', range: '>=5.9.0 <6' }],
    ['5', { kind: 'range', range: '5' }]
  ])('%j → %j', (raw, expected) => {
    expect(parseVersion(raw)).toEqual(expected)
  })

  it.each([
    '../../x',
    '5.11.1; rm -rf /',
    'v5.11.1/../..',
    '$(id)',
    'main',
    '5.11.1\n5.0.0',
    'x'.repeat(300)
  ])('refuses %j, naming the input', (raw) => {
    expect(() => parseVersion(raw)).toThrow(/Input `version` must be/)
  })
})

// readInputs through the real @actions/core, with the variables the runner
// sets: INPUT_ + the name upper-cased, hyphens kept.
describe('readInputs (real @actions/core)', () => {
  const saved = { ...process.env }
  afterEach(() => {
    process.env = { ...saved }
  })
  function withInputs(inputs: Record<string, string>): void {
    for (const key of Object.keys(process.env))
      if (key.startsWith('INPUT_')) delete process.env[key]
    for (const [name, value] of Object.entries(inputs))
      process.env[`INPUT_${name.toUpperCase()}`] = value
  }

  it('reads hyphenated names, trims, and applies the defaults of empty booleans', () => {
    withInputs({ 'api-url': ' https://api.example.test/ \n', token: ' tok ', cli: 'platform' })
    const inputs = readInputs()
    expect(inputs.apiUrl).toBe('https://api.example.test')
    expect(inputs.authUrl).toBe('https://auth.upsun.com')
    expect(inputs.token).toBe('tok')
    expect(inputs.cli.binary).toBe('platform')
    expect([inputs.verifyToken, inputs.sshCert, inputs.cleanup]).toEqual([true, false, true])
  })

  it('describes what it read for a debug line, never the token', () => {
    withInputs({ token: 'debug-line-secret-token', 'api-url': 'https://api.example.test' })
    const line = describeInputs(readInputs())
    expect(line).toMatch(
      /^Inputs: cli upsun, .*api-url https:\/\/api\.example\.test, .*token given\.$/
    )
    expect(line).not.toContain('debug-line-secret-token')
  })

  it.each([
    ['true', true],
    ['TRUE', true],
    ['False', false],
    [' false ', false]
  ])('ssh-cert %j reads as %j (YAML 1.2 core schema)', (raw, expected) => {
    withInputs({ 'ssh-cert': raw })
    expect(readInputs().sshCert).toBe(expected)
  })

  it.each(['yes', '1', 'on', 'tru'])(
    'refuses the boolean %j, naming the input and value',
    (raw) => {
      withInputs({ cleanup: raw })
      expect(() => readInputs()).toThrow(`Input \`cleanup\` must be true or false; got "${raw}".`)
    }
  )
})

describe('parseCli', () => {
  it('defaults to upsun and knows platform', () => {
    expect(parseCli('').binary).toBe('upsun')
    expect(parseCli('platform').envPrefix).toBe('PLATFORMSH_CLI_')
  })

  it('lists the valid values for anything else', () => {
    expect(() => parseCli('heroku')).toThrow(/must be one of upsun, platform.*"heroku"/)
    expect(() => parseCli('constructor')).toThrow(/must be one of/)
  })
})

describe('parseSecureUrl', () => {
  it.each([
    ['', 'https://auth.upsun.com'],
    ['https://auth.example.com/', 'https://auth.example.com'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://localhost:1', 'http://localhost:1'],
    ['http://[::1]:9', 'http://[::1]:9']
  ])('%j → %j', (raw, expected) => {
    expect(parseSecureUrl('auth-url', raw, 'https://auth.upsun.com')).toBe(expected)
  })

  it.each([
    'http://auth.example.com',
    'http://10.0.0.1',
    'ftp://x',
    'not a url',
    'https://u:p@x.com'
  ])('refuses %j', (raw) => {
    expect(() => parseSecureUrl('auth-url', raw, '')).toThrow(/Input `auth-url` must/)
  })
})

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.255.3.4', true],
    ['localhost', true],
    ['[::1]', true],
    ['128.0.0.1', false],
    ['127.0.0.1.evil.com', false],
    ['localhost.evil.com', false],
    // A name, not `localhost` itself: resolved through DNS, which may answer anything.
    ['localhost.', false],
    ['LOCALHOST', true],
    ['[::ffff:7f00:1]', true],
    ['[::ffff:808:808]', false]
  ])('%s → %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected)
  })
})

describe('parseReleasesUrl', () => {
  it('keeps empty empty and trims a trailing slash', () => {
    expect(parseReleasesUrl('')).toBe('')
    expect(parseReleasesUrl('https://mirror.example.com/upsun/cli/releases/')).toBe(
      'https://mirror.example.com/upsun/cli/releases'
    )
  })

  it('refuses a non-URL', () => {
    expect(() => parseReleasesUrl('github.com/upsun/cli')).toThrow(/releases-url/)
  })

  it('accepts plain http only on loopback, and says why', () => {
    expect(parseReleasesUrl('http://127.0.0.1:8080/upsun/cli/releases')).toBe(
      'http://127.0.0.1:8080/upsun/cli/releases'
    )
    expect(() => parseReleasesUrl('http://mirror.example.com/upsun/cli/releases')).toThrow(
      /^Input `releases-url` must use https; got "http:\/\/mirror\.example\.com\/upsun\/cli\/releases"\. Plain http is accepted only for a loopback address such as http:\/\/127\.0\.0\.1: .*a checksum served the same way would prove nothing\.$/
    )
  })
})

describe('parseVersion ranges without the semver library', () => {
  it.each(['5.x || 6', '1.2 - 2.3', '*', 'x', '>=5.9.0 <6.0.0-0', '~5.10.0-alpha1'])(
    '%j is a range',
    (raw) => {
      expect(parseVersion(raw).kind).toBe('range')
    }
  )

  it.each(['latest-ish', '5.11.1.1', '- 5', '5 -', '5..6', 'v5.x/..'])('%j is refused', (raw) => {
    expect(() => parseVersion(raw)).toThrow(/Input `version` must be/)
  })
})

describe('control characters in URL and name inputs', () => {
  it.each([
    ['releases-url', 'https://mirror.example/releases\n::set-output name=x::1'],
    ['releases-url', 'https://mirror.example/\r::warning::x'],
    ['auth-url', 'https://auth.example\t.com'],
    ['api-url', 'https://api.example/\u0000']
  ])('refuses %s %j before the URL parser drops them, naming the input', (name, raw) => {
    const parse = () =>
      name === 'releases-url' ? parseReleasesUrl(raw) : parseSecureUrl(name, raw, '')
    expect(parse).toThrow(new RegExp(`^Input \`${name}\` contains .* at character \\d+`))
  })

  it('refuses them in cli and version too', () => {
    expect(() => refuseControlCharacters('cli', 'upsun\n')).toThrow(
      /Input `cli` contains a line break/
    )
    expect(() => refuseControlCharacters('version', '5.x\u2028')).toThrow(
      /Input `version` contains U\+2028/
    )
  })
})
