import { getExecOutput } from '@actions/exec'
import { which } from '@actions/io'
import { chmod, rm, writeFile } from 'node:fs/promises'
import * as path from 'node:path'
import semver from 'semver'
import { childEnv } from '../childEnv.js'
import { ActionError } from '../errors.js'
import { printable } from '../text.js'
import type { ActionInputs } from '../inputs.js'
import type { Network } from '../net/network.js'
import type { Release, ReleaseChannel } from './channel.js'

/**
 * The OVHcloud Web PaaS CLI: the legacy PHP phar, listed in the site's
 * `manifest.json` (`[{version, sha256, name, url}]`, `url` relative to the
 * manifest). The phar is checked against the manifest's SHA-256 and cached
 * with a `webpaas` launcher that runs it with PHP.
 */

export interface ManifestEntry {
  readonly version: string
  readonly sha256: string
  readonly name: string
  readonly url: string
}

const PHP_MIN = '5.5.9'
const PHP_EXTENSIONS = ['json', 'phar', 'openssl', 'curl']
const PHAR = 'webpaas.phar'

function manifestUrl(inputs: ActionInputs): string {
  const base =
    inputs.releasesUrl ||
    (inputs.cli.channel.kind === 'phar-manifest' ? inputs.cli.channel.defaultUrl : '')
  return `${base}/manifest.json`
}

/** Parses manifest.json, keeping well-formed entries only. */
export function parseManifest(text: string, source: string): ManifestEntry[] {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    throw new ActionError(`${source} is not JSON; is \`releases-url\` the Web PaaS CLI site?`)
  }
  if (!Array.isArray(data)) throw new ActionError(`${source} is not a list of releases.`)
  const entries: ManifestEntry[] = []
  for (const raw of data as Array<Record<string, unknown>>) {
    if (!raw || typeof raw !== 'object') continue
    const version =
      typeof raw.version === 'string' ? semver.valid(raw.version.replace(/^v/, '')) : null
    const sha256 = typeof raw.sha256 === 'string' ? raw.sha256.toLowerCase() : ''
    if (!version || !/^[0-9a-f]{64}$/.test(sha256) || typeof raw.url !== 'string') continue
    entries.push({
      version,
      sha256,
      // Only ever printed: made printable once, here, and kept short.
      name: typeof raw.name === 'string' ? printable(raw.name).slice(0, 100) || PHAR : PHAR,
      url: raw.url
    })
  }
  if (entries.length === 0) throw new ActionError(`${source} lists no usable release.`)
  return entries
}

/**
 * Resolves an entry's URL against the manifest and refuses one that leaves
 * the manifest's directory on the same origin (`../`, another host).
 */
export function entryUrl(entry: ManifestEntry, manifest: string): string {
  const base = new URL(manifest)
  let target: URL
  try {
    target = new URL(entry.url, base)
  } catch {
    throw new ActionError(`The manifest entry for ${entry.version} has an invalid url; refused.`)
  }
  const dir = base.pathname.replace(/[^/]*$/, '')
  if (
    target.origin !== base.origin ||
    !target.pathname.startsWith(dir) ||
    target.username ||
    target.password
  ) {
    throw new ActionError(
      `The manifest entry for ${entry.version} points outside the site (${JSON.stringify(entry.url)}); refused.`
    )
  }
  return target.toString()
}

/** Picks the entry for `latest` (highest stable), an exact version or a range. */
export function pickEntry(
  entries: ManifestEntry[],
  wanted: { kind: 'latest' } | { kind: 'exact'; version: string } | { kind: 'range'; range: string }
): ManifestEntry {
  const versions = entries.map((e) => e.version)
  let version: string | null
  if (wanted.kind === 'exact') version = versions.includes(wanted.version) ? wanted.version : null
  else if (wanted.kind === 'range') version = semver.maxSatisfying(versions, wanted.range)
  else
    version = semver.maxSatisfying(
      versions.filter((v) => !semver.prerelease(v)),
      '*'
    )
  const entry = entries.find((e) => e.version === version)
  if (!entry) {
    const listed = semver
      .rsort([...versions])
      .slice(0, 20)
      .join(', ')
    const asked =
      wanted.kind === 'exact' ? wanted.version : wanted.kind === 'range' ? wanted.range : 'latest'
    throw new ActionError(
      `The Web PaaS manifest has no release matching ${asked}. It lists: ${listed}.`
    )
  }
  return entry
}

export async function loadManifest(url: string, network: Network = {}): Promise<ManifestEntry[]> {
  const { explainFailure } = await import('../net/failures.js')
  const { send } = await import('../net/http.js')
  const { withRetry } = await import('../net/retry.js')
  const text = await withRetry(
    'Reading manifest.json',
    async () => (await send(url, { dispatcher: network.dispatcher })).body.text(),
    network.sleep
  ).catch((error: unknown) => {
    throw explainFailure(error, url, 'read the Web PaaS CLI manifest')
  })
  return parseManifest(text, url)
}

/** PHP on PATH, recent enough, with the extensions the phar uses. */
export async function checkPhp(): Promise<string> {
  const help =
    'cli: webpaas runs the Web PaaS CLI, a PHP phar: set PHP up in an earlier step (for example with shivammathur/setup-php), ' +
    `version ${PHP_MIN} or later with the ${PHP_EXTENSIONS.join(', ')} extensions.`
  const php = await which('php', false)
  if (!php) throw new ActionError(`PHP was not found on PATH. ${help}`)
  const probe = `echo PHP_VERSION; foreach (array(${PHP_EXTENSIONS.map((e) => `'${e}'`).join(',')}) as $e) { if (!extension_loaded($e)) echo ' missing:', $e; }`
  const result = await getExecOutput(php, ['-r', probe], {
    silent: true,
    ignoreReturnCode: true,
    env: childEnv()
  })
  const [version, ...rest] = result.stdout.trim().split(/\s+/)
  const missing = rest.filter((w) => w.startsWith('missing:')).map((w) => w.slice(8))
  const coerced = semver.coerce(version)
  if (result.exitCode !== 0 || !coerced || semver.lt(coerced, PHP_MIN)) {
    throw new ActionError(`${php} is PHP ${version || 'of unknown version'}. ${help}`)
  }
  if (missing.length)
    throw new ActionError(`PHP ${version} lacks the ${missing.join(', ')} extension(s). ${help}`)
  return version
}

/** A phar release: the manifest entry, once the manifest has been read. */
export interface PharRelease extends Release {
  readonly manifestUrl: string
  readonly entry?: ManifestEntry
}

export function pharChannel(
  inputs: ActionInputs,
  network: Network = {}
): ReleaseChannel<PharRelease> {
  const manifest = manifestUrl(inputs)
  return {
    async preflight() {
      await checkPhp()
    },

    async resolve(spec) {
      // An exact version is looked up in the manifest only if it must be downloaded.
      if (spec.kind === 'exact')
        return { version: spec.version, where: manifest, manifestUrl: manifest }
      const entry = pickEntry(await loadManifest(manifest, network), spec)
      return { version: entry.version, where: manifest, manifestUrl: manifest, entry }
    },

    async fetch(release, target, staging) {
      const { version } = release
      const entry =
        release.entry ??
        pickEntry(await loadManifest(manifest, network), { kind: 'exact', version })
      const url = entryUrl(entry, manifest)
      const { downloadToFile } = await import('./download.js')
      const dir = await staging()
      try {
        const got = await downloadToFile(url, path.join(dir, PHAR), entry.name, network)
        if (got.sha256 !== entry.sha256) {
          throw new ActionError(
            `SHA-256 mismatch for ${entry.name} ${version}: manifest.json says ${entry.sha256}, the download is ${got.sha256}. Nothing was installed.`
          )
        }
        // Launchers: POSIX shell, and a .cmd for Windows.
        await writeFile(
          path.join(dir, 'webpaas'),
          `#!/bin/sh\nexec php "$(dirname "$0")/${PHAR}" "$@"\n`
        )
        await chmod(path.join(dir, 'webpaas'), 0o755)
        await writeFile(path.join(dir, 'webpaas.cmd'), `@php "%~dp0${PHAR}" %*\r\n`)
        return {
          dir,
          bytes: got.bytes,
          record: {
            asset: `${entry.name} ${version}`,
            source: 'manifest.json',
            archiveSha256: got.sha256,
            binary: PHAR,
            binarySha256: got.sha256,
            executable: target.exeSuffix ? 'webpaas.cmd' : 'webpaas'
          }
        }
      } catch (error) {
        await rm(dir, { recursive: true, force: true })
        throw error
      }
    }
  }
}
