import { describe, expect, it } from '@jest/globals'
import { entryUrl, parseManifest, pickEntry, type ManifestEntry } from '../../src/install/phar.js'

const sha = 'a'.repeat(64)
const entry = (version: string, url = `webpaas-${version}.phar`): ManifestEntry => ({
  version,
  sha256: sha,
  name: 'webpaas.phar',
  url
})

describe('parseManifest', () => {
  it('keeps well-formed entries and drops the rest', () => {
    const text = JSON.stringify([
      { version: 'v3.88.1', sha256: sha.toUpperCase(), name: 'webpaas.phar', url: 'webpaas.phar' },
      { version: 'nope', sha256: sha, url: 'x' },
      { version: '3.1.0', sha256: 'short', url: 'x' },
      null
    ])
    expect(parseManifest(text, 'm')).toEqual([
      { version: '3.88.1', sha256: sha, name: 'webpaas.phar', url: 'webpaas.phar' }
    ])
  })

  it.each(['<html>', '{}', '[]'])('refuses %j', (text) => {
    expect(() => parseManifest(text, 'https://x/manifest.json')).toThrow(
      /https:\/\/x\/manifest\.json/
    )
  })
})

describe('pickEntry', () => {
  const entries = [entry('3.87.0'), entry('3.88.1'), entry('4.0.0-beta1')]
  it('latest is the highest stable version', () => {
    expect(pickEntry(entries, { kind: 'latest' }).version).toBe('3.88.1')
  })
  it('exact and range', () => {
    expect(pickEntry(entries, { kind: 'exact', version: '3.87.0' }).version).toBe('3.87.0')
    expect(pickEntry(entries, { kind: 'range', range: '~3.87' }).version).toBe('3.87.0')
  })
  it('an unknown version lists what exists, newest first', () => {
    expect(() => pickEntry(entries, { kind: 'exact', version: '9.9.9' })).toThrow(
      'The Web PaaS manifest has no release matching 9.9.9. It lists: 4.0.0-beta1, 3.88.1, 3.87.0.'
    )
  })
})

describe('entryUrl', () => {
  const manifest = 'https://eu.cli.webpaas.ovhcloud.com/cli/manifest.json'
  it.each([
    ['webpaas.phar', 'https://eu.cli.webpaas.ovhcloud.com/cli/webpaas.phar'],
    ['./v/webpaas.phar', 'https://eu.cli.webpaas.ovhcloud.com/cli/v/webpaas.phar'],
    [
      'https://eu.cli.webpaas.ovhcloud.com/cli/x.phar',
      'https://eu.cli.webpaas.ovhcloud.com/cli/x.phar'
    ]
  ])('%s → %s', (url, expected) => {
    expect(entryUrl(entry('3.88.1', url), manifest)).toBe(expected)
  })

  it.each([
    '../webpaas.phar',
    '%2e%2e/webpaas.phar',
    '/webpaas.phar',
    'https://evil.example.com/cli/webpaas.phar',
    'http://eu.cli.webpaas.ovhcloud.com/cli/webpaas.phar',
    '//evil.example.com/cli/x.phar',
    'https://user:pw@eu.cli.webpaas.ovhcloud.com/cli/x.phar'
  ])('refuses %s', (url) => {
    expect(() => entryUrl(entry('3.88.1', url), manifest)).toThrow(/points outside the site/)
  })
})
