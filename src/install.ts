import * as core from '@actions/core'
import * as os from 'node:os'
import { ciSettings, type CliSpec } from './clis.js'
import { ActionError } from './errors.js'
import { githubChannel } from './github.js'
import type { ActionInputs, VersionSpec } from './inputs.js'
import type { Target } from './platform.js'
import { commit, findVerified, stagingDir, type VerifiedRecord } from './toolcache.js'

/** The CLI, installed and verified, ready to be put on PATH. */
export interface Installed {
  readonly version: string
  readonly dir: string
  /** What later steps run (the binary, or the phar's launcher). */
  readonly executablePath: string
  readonly cacheHit: boolean
  /** How the install was verified, in words, for the log and summary. */
  readonly verification: string
}

/** A verified download in a staging directory, ready for the tool cache. */
export interface Fetched {
  readonly dir: string
  readonly bytes: number
  readonly record: Omit<VerifiedRecord, 'fingerprint'>
}

/**
 * Where a CLI is published. Both channels resolve a version, then download
 * and verify it into a staging directory; the tool-cache flow is shared.
 */
export interface ReleaseChannel {
  /** Checks what the CLI needs on the runner (e.g. PHP), before any download. */
  preflight?(): Promise<void>
  /** Resolves `latest` or a range to one published version. */
  resolve(spec: Exclude<VersionSpec, { kind: 'exact' }>, inputs: ActionInputs): Promise<string>
  /** Downloads and verifies `version` into a fresh staging directory. */
  fetch(
    version: string,
    inputs: ActionInputs,
    target: Target,
    staging: () => Promise<string>
  ): Promise<Fetched>
  /** Where this channel publishes, for the log. */
  describe(version: string, inputs: ActionInputs): string
}

async function channelFor(cli: CliSpec): Promise<ReleaseChannel> {
  return cli.channel.kind === 'phar-manifest'
    ? (await import('./phar.js')).pharChannel
    : githubChannel
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
  const channel = await channelFor(cli)
  await channel.preflight?.()
  const version = await core.group(`Resolving ${cli.title} version`, () =>
    resolveVersion(channel, inputs)
  )
  const cached = await findVerified(cli.binary, version, arch)
  if (cached) {
    const { asset, archiveSha256 } = cached.record
    core.info(`Found ${cli.title} ${version} in the tool cache: ${cached.dir}`)
    core.info(`Verified: SHA-256 ${archiveSha256} of ${asset} at install; unchanged since.`)
    return {
      version,
      dir: cached.dir,
      executablePath: cached.executablePath,
      cacheHit: true,
      verification: `cached entry unchanged since ${asset} was verified (SHA-256 ${archiveSha256})`
    }
  }
  return core.group(`Downloading ${cli.title} ${version}`, async () => {
    const started = Date.now()
    const fetched = await channel.fetch(version, inputs, target, () => stagingDir(cli.binary))
    const { asset, source, archiveSha256 } = fetched.record
    core.info(
      `Verified: SHA-256 ${archiveSha256} of ${asset} matches ${source} (${(fetched.bytes / 1e6).toFixed(1)} MB in ${elapsed(started)}).`
    )
    const entry = await commit(fetched.dir, cli.binary, version, arch, fetched.record)
    core.info(`Cached in ${entry.dir}`)
    await checkReportedVersion(entry.executablePath, version, cli)
    return {
      version,
      dir: entry.dir,
      executablePath: entry.executablePath,
      cacheHit: false,
      verification: `${asset} matched ${source} (SHA-256 ${archiveSha256})`
    }
  })
}

async function resolveVersion(channel: ReleaseChannel, inputs: ActionInputs): Promise<string> {
  const spec = inputs.version
  if (spec.kind === 'exact') {
    core.info(`Version ${spec.version} was given exactly.`)
    core.info(`Published at ${channel.describe(spec.version, inputs)}`)
    return spec.version
  }
  const started = Date.now()
  const version = await channel.resolve(spec, inputs)
  const how = spec.kind === 'latest' ? 'latest' : `range ${spec.range}`
  core.info(`Resolved ${how} to ${version} in ${elapsed(started)}.`)
  core.info(`Published at ${channel.describe(version, inputs)}`)
  return version
}

/**
 * Runs `<cli> --version` once after a fresh install: proves the CLI runs on
 * this runner and is the version we meant to install.
 */
async function checkReportedVersion(
  executable: string,
  version: string,
  cli: CliSpec
): Promise<void> {
  const { getExecOutput } = await import('@actions/exec')
  const result = await getExecOutput(executable, ['--version'], {
    silent: true,
    ignoreReturnCode: true,
    env: cliEnv(cli)
  })
  const out = `${result.stdout}\n${result.stderr}`.trim()
  const reported = new RegExp(`(^|\\s)v?${version.replace(/\./g, '\\.')}(\\s|$)`, 'm')
  if (result.exitCode !== 0 || !reported.test(out)) {
    throw new ActionError(
      `${executable} --version did not report ${version} (exit code ${result.exitCode}, output: ${JSON.stringify(out.slice(0, 200))}).`
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
