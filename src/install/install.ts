import * as os from 'node:os'
import * as core from '@actions/core'
import { cliEnv, type CliSpec } from '../clis.js'
import { ActionError } from '../errors.js'
import { printable } from '../text.js'
import type { ActionInputs, VersionSpec } from '../inputs.js'
import type { Network } from '../net/network.js'
import type { Fetched, Release, ReleaseChannel } from './channel.js'
import { githubChannel } from './github/channel.js'
import type { Target } from './target.js'
import {
  cachedVersionFor,
  commit,
  discard,
  findVerified,
  stagingArea,
  type CacheEntry
} from './toolcache.js'

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

async function channelFor(inputs: ActionInputs, network: Network): Promise<ReleaseChannel> {
  return inputs.cli.channel.kind === 'phar-manifest'
    ? (await import('./phar.js')).pharChannel(inputs, network)
    : githubChannel(inputs, network)
}

/**
 * Finds the requested version in the tool cache, or downloads, verifies and
 * caches it. Network code is loaded only when it is needed: a cache hit for
 * an exact version touches nothing but the file system.
 */
export async function install(
  inputs: ActionInputs,
  target: Target,
  arch = os.arch(),
  network: Network = {}
): Promise<Installed> {
  const cli = inputs.cli
  const channel = await channelFor(inputs, network)
  await channel.preflight?.()
  const spec = inputs.version
  if (spec.kind === 'range') {
    // Met by an intact cached version: no release listing, as setup-node does.
    const version = await cachedVersionFor(cli.binary, spec.range, arch)
    const cached = version && (await findVerified(cli.binary, version, arch))
    if (cached) {
      core.info(`Range ${printable(spec.range)} is met by ${version} in the tool cache.`)
      return cacheHit(cli, version, cached)
    }
  }
  const release = await core.group(`Resolving ${cli.title} version`, () =>
    resolveRelease(channel, spec)
  )
  const version = release.version
  core.debug(
    `Looking for ${cli.binary} ${version} (${arch}) in the tool cache at ${process.env.RUNNER_TOOL_CACHE ?? '(unset)'}`
  )
  const cached = await findVerified(cli.binary, version, arch)
  if (cached) return cacheHit(cli, version, cached)
  return core.group(`Downloading ${cli.title} ${version}`, async () => {
    const started = Date.now()
    // What runs `--version` after the download loads during it, a macrotask
    // later, once the first request has left: import() of a CommonJS chunk
    // loads it at once, and would delay that request.
    const exec = new Promise((resolve) => setImmediate(resolve)).then(() => import('@actions/exec'))
    exec.catch(() => undefined) // awaited below; never an unhandled rejection
    // Staging directories not committed (a failed or retried download) are
    // removed whatever happens; one left by a killed step is swept later.
    const staging = stagingArea(cli.binary)
    let fetched: Fetched
    let entry: CacheEntry
    try {
      fetched = await channel.fetch(release, target, staging.create)
      const { asset, source, archiveSha256 } = fetched.record
      core.info(
        `Verified: SHA-256 ${archiveSha256} of ${printable(asset)} matches ${printable(source)} (${(fetched.bytes / 1e6).toFixed(1)} MB in ${elapsed(started)}).`
      )
      entry = await commit(fetched.dir, cli.binary, version, arch, fetched.record)
    } finally {
      await staging.close()
    }
    const { asset, source, archiveSha256 } = fetched.record
    core.info(`Cached in ${printable(entry.dir)}`)
    // After the commit, so that the record's stats describe the files before
    // the CLI ever ran (a run that changed one is caught by the next hit), and
    // no directory is renamed right after its binary ran (Windows may still
    // hold it open). A binary that fails is taken out of the cache again:
    // later hits skip this check.
    try {
      await checkReportedVersion(entry.executablePath, version, cli, exec)
    } catch (error) {
      await discard(entry.dir)
      throw error
    }
    return {
      version,
      dir: entry.dir,
      executablePath: entry.executablePath,
      cacheHit: false,
      verification: `${asset} matched ${source} (SHA-256 ${archiveSha256})`
    }
  })
}

function cacheHit(cli: CliSpec, version: string, cached: CacheEntry): Installed {
  const { asset, archiveSha256 } = cached.record
  core.info(`Found ${cli.title} ${version} in the tool cache: ${printable(cached.dir)}`)
  // The record is a file in the tool cache: printed as outside text.
  core.info(
    `Verified: SHA-256 ${printable(archiveSha256)} of ${printable(asset)} at install; unchanged since.`
  )
  return {
    version,
    dir: cached.dir,
    executablePath: cached.executablePath,
    cacheHit: true,
    verification: `cached entry unchanged since ${asset} was verified (SHA-256 ${archiveSha256})`
  }
}

async function resolveRelease(channel: ReleaseChannel, spec: VersionSpec): Promise<Release> {
  const started = Date.now()
  const release = await channel.resolve(spec)
  if (spec.kind === 'exact') core.info(`Version ${release.version} was given exactly.`)
  else {
    const how = spec.kind === 'latest' ? 'latest' : `range ${spec.range}`
    core.info(`Resolved ${how} to ${release.version} in ${elapsed(started)}.`)
  }
  core.info(`Published at ${printable(release.where)}`)
  return release
}

/**
 * Runs `<cli> --version` once after a fresh install: proves the CLI runs on
 * this runner and is the version we meant to install.
 */
async function checkReportedVersion(
  executable: string,
  version: string,
  cli: CliSpec,
  exec: Promise<typeof import('@actions/exec')>
): Promise<void> {
  const { getExecOutput } = await exec
  const result = await getExecOutput(executable, ['--version'], {
    silent: true,
    ignoreReturnCode: true,
    // Go's garbage collector runs during the CLI's start-up; for this one
    // short run it only costs time (docs/benchmarks.md, the cold rows).
    // Ignored by the Web PaaS launcher (PHP); `--version` starts nothing else
    // that would inherit it.
    env: { ...cliEnv(cli), GOGC: 'off' }
  })
  const out = `${result.stdout}\n${result.stderr}`.trim()
  const reported = new RegExp(`(^|\\s)v?${version.replace(/\./g, '\\.')}(\\s|$)`, 'm')
  if (result.exitCode !== 0 || !reported.test(out)) {
    const said = `exit code ${result.exitCode}, output: ${JSON.stringify(out.slice(0, 200))}`
    throw new ActionError(
      (await refusedAsAProgram(executable, result.exitCode, out))
        ? `${cli.binary} could not be started: the system refused it as a program for this machine (exec format error). ` +
            `This Node runs as ${process.arch}, but the machine cannot run ${process.arch} programs; under emulation (qemu-user on another CPU), ` +
            `register qemu-user-static for binfmt_misc so that they run. The download was removed from the tool cache (${said}).`
        : `${cli.binary} --version did not report ${version} (${said}). ` +
            'The download matched its checksum but does not run as that version on this runner, so it was removed from the tool cache; check `version` and the runner (OS, architecture).'
    )
  }
  core.info(`${cli.binary} --version: ${printable(out.split(/\r\n|\r|\n/)[0])}`)
}

/**
 * Whether the system refused the file as a program (ENOEXEC: a binary for
 * another CPU with no emulator registered). Node's spawn then hands it to
 * /bin/sh, which reads the binary as a script and fails on its line 1.
 */
async function refusedAsAProgram(file: string, exitCode: number, out: string): Promise<boolean> {
  if (process.platform === 'win32') return false
  if (exitCode === 126 || /exec format error|cannot execute binary file/i.test(out)) return true
  if (!out.includes(`${file}: 1: `)) return false
  // Only on this failure path: fs is not loaded on a cache hit.
  const { open } = await import('node:fs/promises')
  const handle = await open(file, 'r')
  try {
    const head = Buffer.alloc(4)
    await handle.read(head, 0, 4, 0)
    return head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])) // ELF
  } finally {
    await handle.close()
  }
}

function elapsed(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(2)} s`
}
