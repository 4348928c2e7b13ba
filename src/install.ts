import * as core from '@actions/core'
import { getExecOutput } from '@actions/exec'
import * as os from 'node:os'
import { ciSettings, type CliSpec } from './clis.js'
import { ActionError } from './errors.js'
import type { ActionInputs } from './inputs.js'
import { assetName, type Target } from './platform.js'
import { exactRelease, type Release } from './release.js'
import { commit, findVerified, stagingDir } from './toolcache.js'

/** The CLI, installed and verified, ready to be put on PATH. */
export interface Installed {
  readonly version: string
  readonly dir: string
  readonly binaryPath: string
  readonly cacheHit: boolean
  /** How the binary was verified, in words, for the log and summary. */
  readonly verification: string
}

/**
 * Finds the requested version in the tool cache, or downloads, verifies and
 * caches it. Network code is loaded only when it is needed: a cache hit for
 * an exact version touches nothing but the file system.
 */
export async function install(
  inputs: ActionInputs,
  target: Target,
  arch = os.arch()
): Promise<Installed> {
  const cli = inputs.cli
  const release = await core.group(`Resolving ${cli.title} version`, () => resolve(inputs))
  const cached = await findVerified(cli.binary, release.version, arch)
  if (cached) {
    core.info(`Found ${cli.title} ${release.version} in the tool cache: ${cached.dir}`)
    core.info(
      `Verified: SHA-256 ${cached.record.archiveSha256} of ${cached.record.asset} at install; the binary is unchanged since.`
    )
    return {
      version: release.version,
      dir: cached.dir,
      binaryPath: cached.binaryPath,
      cacheHit: true,
      verification: `cached entry unchanged since ${cached.record.asset} matched checksums.txt (SHA-256 ${cached.record.archiveSha256})`
    }
  }
  return core.group(`Downloading ${cli.title} ${release.version}`, () =>
    downloadAndCache(cli, release, target, arch)
  )
}

async function resolve(inputs: ActionInputs): Promise<Release> {
  const started = Date.now()
  let release: Release
  if (inputs.version.kind === 'exact') {
    release = exactRelease(inputs.version.version, inputs.releasesUrl)
    core.info(`Version ${release.version} was given exactly (tag ${release.tag}).`)
  } else {
    const { resolveRelease } = await import('./lookup.js')
    release = await resolveRelease(inputs.version, {
      releasesUrl: inputs.releasesUrl,
      githubToken: inputs.githubToken,
      serverUrl: process.env.GITHUB_SERVER_URL,
      apiUrl: process.env.GITHUB_API_URL
    })
    const how = inputs.version.kind === 'latest' ? 'latest' : `range ${inputs.version.range}`
    core.info(`Resolved ${how} to ${release.version} (tag ${release.tag}) in ${elapsed(started)}.`)
  }
  core.info(`Releases: ${release.releasesUrl}`)
  return release
}

async function downloadAndCache(
  cli: CliSpec,
  release: Release,
  target: Target,
  arch: string
): Promise<Installed> {
  const started = Date.now()
  const { downloadVerified } = await import('./download.js')
  const asset = assetName(cli.binary, release.version, target)
  core.info(
    `Downloading ${asset} and checksums.txt from ${release.releasesUrl}/download/${release.tag}/`
  )
  const download = await downloadVerified(release, asset, target, () => stagingDir(cli.binary))
  const binary = `${cli.binary}${target.exeSuffix}`
  const binarySha256 = download.files.get(binary)
  if (!binarySha256) {
    const { rm } = await import('node:fs/promises')
    await rm(download.dir, { recursive: true, force: true })
    throw new ActionError(`${asset} does not contain ${binary}; nothing was installed.`)
  }
  core.info(
    `Verified: SHA-256 ${download.sha256} of ${asset} matches checksums.txt (${(download.bytes / 1e6).toFixed(1)} MB in ${elapsed(started)}).`
  )
  const entry = await commit(download.dir, cli.binary, release.version, arch, {
    asset,
    source: release.releasesUrl,
    archiveSha256: download.sha256,
    binary,
    binarySha256
  })
  core.info(`Cached in ${entry.dir}`)
  await checkReportedVersion(entry.binaryPath, release.version, cli)
  return {
    version: release.version,
    dir: entry.dir,
    binaryPath: entry.binaryPath,
    cacheHit: false,
    verification: `${asset} matched checksums.txt (SHA-256 ${download.sha256})`
  }
}

/**
 * Runs `<cli> --version` once after a fresh install: proves the binary runs
 * on this runner and is the version we meant to install.
 */
async function checkReportedVersion(
  binaryPath: string,
  version: string,
  cli: CliSpec
): Promise<void> {
  const result = await getExecOutput(binaryPath, ['--version'], {
    silent: true,
    ignoreReturnCode: true,
    env: cliEnv(cli)
  })
  const out = `${result.stdout}\n${result.stderr}`.trim()
  if (
    result.exitCode !== 0 ||
    !new RegExp(`(^|\\s)v?${version.replace(/\./g, '\\.')}(\\s|$)`, 'm').test(out)
  ) {
    throw new ActionError(
      `${binaryPath} --version did not report ${version} (exit code ${result.exitCode}, output: ${JSON.stringify(out.slice(0, 200))}).`
    )
  }
  core.info(`${cli.binary} --version: ${out.split('\n')[0]}`)
}

/**
 * The environment for CLI runs made by the action itself: the job's, with
 * CI-safe settings, and never the CLI's debug switch (it prints tokens).
 */
export function cliEnv(cli: CliSpec, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value
  delete env[`${cli.envPrefix}DEBUG`]
  return { ...env, ...ciSettings(cli), ...extra }
}

function elapsed(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(2)} s`
}
