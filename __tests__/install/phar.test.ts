// The Web PaaS phar channel: the manifest (parsed, picked from, its URLs
// kept inside the site), the PHP check, and resolve + fetch against an undici
// MockAgent, with PHP and @actions/core as typed stand-ins.
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import { noWait, useMockAgent } from '../../__fixtures__/network.js'
import type * as actionsExec from '@actions/exec'
import type * as actionsIo from '@actions/io'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as core from '../../__fixtures__/core.js'
import { inputsFor } from '../../__fixtures__/inputs.js'

const which = jest.fn<typeof actionsIo.which>()
const getExecOutput = jest.fn<typeof actionsExec.getExecOutput>()
jest.unstable_mockModule('@actions/core', () => core)
jest.unstable_mockModule('@actions/io', () => ({ which }))
jest.unstable_mockModule('@actions/exec', () => ({ getExecOutput }))
const { checkPhp, entryUrl, loadManifest, parseManifest, pharChannel, pickEntry } =
  await import('../../src/install/phar.js')
type ManifestEntry = import('../../src/install/phar.js').ManifestEntry

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

describe('checkPhp', () => {
  beforeEach(() => {
    jest.resetAllMocks()
    which.mockResolvedValue('/usr/bin/php')
  })
  const php = (stdout: string, exitCode = 0) =>
    getExecOutput.mockResolvedValue({ stdout, stderr: '', exitCode })

  it('accepts a recent PHP with every extension, without printing the probe', async () => {
    php('8.2.7')
    await expect(checkPhp()).resolves.toBe('8.2.7')
    expect(getExecOutput).toHaveBeenCalledWith(
      '/usr/bin/php',
      ['-r', expect.stringContaining('extension_loaded')],
      expect.objectContaining({ silent: true })
    )
  })

  it('says how to set PHP up when it is missing', async () => {
    which.mockResolvedValue('')
    await expect(checkPhp()).rejects.toThrow(/PHP was not found on PATH.*shivammathur\/setup-php/)
  })

  it('refuses a PHP that is too old', async () => {
    php('5.4.0')
    await expect(checkPhp()).rejects.toThrow(/is PHP 5\.4\.0\. .*version 5\.5\.9 or later/)
  })

  it('names the missing extensions', async () => {
    php('8.2.7 missing:curl missing:phar')
    await expect(checkPhp()).rejects.toThrow(/PHP 8\.2\.7 lacks the curl, phar extension\(s\)/)
  })
})

describe('the channel, against a MockAgent', () => {
  const SITE = 'https://webpaas.example.test'
  const PHAR = Buffer.from('<?php echo "webpaas 3.88.1";')
  const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex')
  const agent = useMockAgent()
  let parent: string

  beforeEach(() => {
    jest.resetAllMocks()
    core.resetCore()
    parent = mkdtempSync(path.join(os.tmpdir(), 'phar-test-'))
  })

  const manifest = (entries: object) =>
    agent().get(SITE).intercept({ path: '/cli/manifest.json' }).reply(200, JSON.stringify(entries))
  const phar = () => agent().get(SITE).intercept({ path: '/cli/webpaas-3.88.1.phar' })
  const listed = (digest = sha256(PHAR)) => [
    { version: '3.87.0', sha256: 'b'.repeat(64), name: 'webpaas.phar', url: 'webpaas-3.87.0.phar' },
    { version: '3.88.1', sha256: digest, name: 'webpaas.phar', url: 'webpaas-3.88.1.phar' }
  ]
  const channel = () =>
    pharChannel(inputsFor('webpaas', { releasesUrl: `${SITE}/cli` }), {
      dispatcher: agent(),
      sleep: noWait
    })
  const staging = async (): Promise<string> => mkdtempSync(path.join(parent, '.staging-'))
  const target = { assetSuffix: 'linux_amd64', archive: 'tar.gz' as const, exeSuffix: '' }

  it('loadManifest retries a 5xx, then parses', async () => {
    agent().get(SITE).intercept({ path: '/cli/manifest.json' }).reply(503, 'busy')
    manifest(listed())
    await expect(
      loadManifest(`${SITE}/cli/manifest.json`, { dispatcher: agent(), sleep: noWait })
    ).resolves.toHaveLength(2)
  })

  it('loadManifest explains a 404', async () => {
    agent().get(SITE).intercept({ path: '/cli/manifest.json' }).reply(404, 'no')
    await expect(
      loadManifest(`${SITE}/cli/manifest.json`, { dispatcher: agent() })
    ).rejects.toThrow(
      /Could not read the Web PaaS CLI manifest: .*manifest\.json answered HTTP 404/
    )
  })

  it('resolves latest from the manifest, then fetches, verifies and adds launchers', async () => {
    manifest(listed())
    phar().reply(200, PHAR)
    const ch = channel()
    const release = await ch.resolve({ kind: 'latest' })
    expect(release).toMatchObject({ version: '3.88.1', where: `${SITE}/cli/manifest.json` })
    const fetched = await ch.fetch(release, target, staging)
    expect(readFileSync(path.join(fetched.dir, 'webpaas.phar'))).toEqual(PHAR)
    expect(readFileSync(path.join(fetched.dir, 'webpaas'), 'utf8')).toMatch(
      /exec php .*webpaas\.phar/
    )
    expect(statSync(path.join(fetched.dir, 'webpaas')).mode & 0o111).not.toBe(0)
    expect(readdirSync(fetched.dir).sort()).toEqual(['webpaas', 'webpaas.cmd', 'webpaas.phar'])
    expect(fetched.record).toMatchObject({
      source: 'manifest.json',
      archiveSha256: sha256(PHAR),
      binary: 'webpaas.phar',
      executable: 'webpaas'
    })
  })

  it('an exact version needs the manifest only when it must be downloaded', async () => {
    const ch = channel()
    const release = await ch.resolve({ kind: 'exact', version: '3.88.1' })
    expect(release).toEqual({
      version: '3.88.1',
      where: `${SITE}/cli/manifest.json`,
      manifestUrl: `${SITE}/cli/manifest.json`
    })
    manifest(listed())
    phar().reply(200, PHAR)
    const fetched = await ch.fetch(release, { ...target, exeSuffix: '.exe' }, staging)
    expect(fetched.record.executable).toBe('webpaas.cmd')
  })

  it('a phar whose digest differs from the manifest installs nothing', async () => {
    manifest(listed('c'.repeat(64)))
    phar().reply(200, PHAR)
    const ch = channel()
    const release = await ch.resolve({ kind: 'latest' })
    await expect(ch.fetch(release, target, staging)).rejects.toThrow(
      /SHA-256 mismatch for webpaas\.phar 3\.88\.1: manifest\.json says c{64}/
    )
    expect(readdirSync(parent)).toEqual([])
  })

  it('the default site is the CLI’s own, and preflight checks PHP', async () => {
    which.mockResolvedValue('')
    const ch = pharChannel(inputsFor('webpaas'))
    await expect(ch.resolve({ kind: 'exact', version: '3.88.1' })).resolves.toMatchObject({
      manifestUrl: 'https://eu.cli.webpaas.ovhcloud.com/manifest.json'
    })
    await expect(ch.preflight?.()).rejects.toThrow(/PHP was not found/)
  })
})
