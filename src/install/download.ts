import { rm } from 'node:fs/promises'
import * as path from 'node:path'
import { ActionError, asError } from '../errors.js'
import { lazyCrypto } from '../lazy.js'
import {
  HttpError,
  RetryableError,
  describeFailure,
  explainFailure,
  redact
} from '../net/failures.js'
import { send } from '../net/http.js'
import type { Network } from '../net/network.js'
import { withRetry } from '../net/retry.js'
import { downloadUrl, type GitHubRelease } from './github/releases.js'
import { ZIP_NAME, fileSink, tarSink, unpackZip, type Sink } from './sinks.js'
import type { Target } from './target.js'

/** The release has no checksums.txt (404). */
class MissingChecksums extends ActionError {}
/** The release has no such asset (404). */
class MissingAsset extends ActionError {}

/** A download whose archive digest matched `checksums.txt`, unpacked. */
export interface VerifiedDownload {
  /** Staging directory holding the unpacked files (not yet in the cache). */
  readonly dir: string
  readonly sha256: string
  readonly bytes: number
  /** SHA-256 of each unpacked file, by relative path. */
  readonly files: ReadonlyMap<string, string>
}

/** Parses GoReleaser's `checksums.txt`: `<sha256>  <file>` per line. */
export function parseChecksums(text: string): Map<string, string> {
  const sums = new Map<string, string>()
  for (const line of text.split(/\r?\n/)) {
    const m = /^([0-9a-fA-F]{64})\s+\*?(\S+)\s*$/.exec(line)
    if (m) sums.set(m[2], m[1].toLowerCase())
  }
  return sums
}

/**
 * Downloads `checksums.txt` and the archive at the same time, hashing and
 * unpacking the archive as it streams into `newStagingDir()`. Nothing leaves
 * the staging directory here: the caller moves it into the tool cache only
 * after this returns, i.e. after the digest matched. On any failure the
 * staging directory is removed.
 */
export async function downloadVerified(
  release: GitHubRelease,
  asset: string,
  target: Target,
  newStagingDir: () => Promise<string>,
  network: Network = {}
): Promise<VerifiedDownload> {
  const archiveUrl = downloadUrl(release, asset)
  const sumsUrl = downloadUrl(release, 'checksums.txt')
  const abort = new AbortController()
  // The tar reader (tar-stream) loads while the first requests are on their
  // way, not before they leave: it is needed only once the archive's first
  // bytes arrive (docs/benchmarks.md, the cold rows).
  const tarModule = target.archive === 'tar.gz' ? import('../archive/tar.js') : undefined
  tarModule?.catch(() => undefined) // awaited below; never an unhandled rejection

  const sums = fetchChecksums(sumsUrl, release, network).catch((error: unknown) => {
    // A missing checksums.txt may mean the whole version is missing: let the
    // archive request finish, so that its 404 ("no asset") can tell.
    if (!(error instanceof MissingChecksums)) abort.abort()
    throw error
  })
  const archive = withRetry(
    `Downloading ${asset}`,
    async () => {
      const dir = await newStagingDir()
      try {
        const openSink = async (): Promise<Sink> =>
          tarModule
            ? tarSink(dir, (await tarModule).TarExtractor)
            : fileSink(path.join(dir, ZIP_NAME))
        return { dir, ...(await streamOnce(archiveUrl, openSink, network, abort.signal)) }
      } catch (error) {
        await rm(dir, { recursive: true, force: true })
        throw error
      }
    },
    network.sleep
  ).catch((error: unknown) => {
    abort.abort()
    throw explainDownload(error, release, asset, archiveUrl)
  })

  const [sumsResult, archiveResult] = await Promise.allSettled([sums, archive])
  if (archiveResult.status === 'fulfilled' && sumsResult.status === 'rejected') {
    await rm(archiveResult.value.dir, { recursive: true, force: true })
  }
  // An archive that is not there says more than its missing checksums; any
  // other checksum failure explains the aborted download, so it comes first.
  if (archiveResult.status === 'rejected' && archiveResult.reason instanceof MissingAsset) {
    throw archiveResult.reason
  }
  if (sumsResult.status === 'rejected') throw sumsResult.reason
  if (archiveResult.status === 'rejected') throw archiveResult.reason
  const got = archiveResult.value

  try {
    const expected = sumsResult.value.get(asset)
    if (!expected) {
      throw new ActionError(
        `checksums.txt of release ${release.tag} has no line for ${asset}, so the download cannot be verified; nothing was installed. ` +
          `Actual SHA-256: ${got.sha256}. (${redact(sumsUrl)})`
      )
    }
    if (expected !== got.sha256) {
      throw new ActionError(
        `SHA-256 mismatch for ${asset}: checksums.txt says ${expected}, the download is ${got.sha256}. ` +
          'Nothing was installed. If a mirror or proxy serves this file, check that it is intact.'
      )
    }
    // Only a verified archive may have its unpacking problems reported: for a
    // corrupt one, the digest mismatch above is the true story.
    if (got.unpackError !== undefined) throw asError(got.unpackError)
    const files = got.files ?? (await unpackZip(got.dir))
    return { dir: got.dir, sha256: got.sha256, bytes: got.bytes, files }
  } catch (error) {
    await rm(got.dir, { recursive: true, force: true })
    throw error
  }
}

async function fetchChecksums(
  url: string,
  release: GitHubRelease,
  network: Network
): Promise<Map<string, string>> {
  try {
    return await withRetry(
      'Downloading checksums.txt',
      async () => {
        const response = await send(url, { dispatcher: network.dispatcher })
        return parseChecksums(await response.body.text())
      },
      network.sleep
    )
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) {
      throw new MissingChecksums(
        `Release ${release.tag} publishes no checksums.txt (${redact(url)} answered 404), so the download cannot be verified; nothing was installed.`,
        { cause: error }
      )
    }
    throw explainFailure(error, url, 'download checksums.txt')
  }
}

interface StreamResult {
  sha256: string
  bytes: number
  /** Set for tar.gz (unpacked while streaming); zip is unpacked after verification. */
  files?: Map<string, string>
  unpackError?: unknown
}

/**
 * One attempt: stream a download through SHA-256 into a sink (untar, or a
 * file), opened once the answer is there.
 */
async function streamOnce(
  url: string,
  openSink: () => Promise<Sink>,
  network: Network,
  signal?: AbortSignal
): Promise<StreamResult> {
  const response = await send(url, { signal, download: true, dispatcher: network.dispatcher })
  let sink: Sink
  try {
    sink = await openSink()
  } catch (error) {
    response.body.destroy()
    throw error
  }
  // node:crypto loads once the answer is here, not before the request leaves.
  const hash = lazyCrypto().createHash('sha256')
  let bytes = 0
  try {
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      hash.update(chunk)
      bytes += chunk.length
      await sink.write(chunk)
    }
  } catch (error) {
    await sink.abort()
    // Past the unpacked-size cap (ArchiveTooLarge), a body over its cap, any
    // other refusal: stop now, retrying would only do it again.
    if (error instanceof ActionError) throw error
    if (signal?.aborted) {
      throw new ActionError('Download stopped because the other download failed.', { cause: error })
    }
    throw new RetryableError(
      `the download was cut after ${bytes} bytes (${describeFailure(error)})`,
      {
        cause: error
      }
    )
  }
  const { files, unpackError } = await sink.end()
  return { sha256: hash.digest('hex'), bytes, files, unpackError }
}

/**
 * Downloads one file (retried, proxied, timed out like every request) while
 * hashing it. The caller compares the digest before using the file.
 */
export async function downloadToFile(
  url: string,
  file: string,
  label: string,
  network: Network = {}
): Promise<{ sha256: string; bytes: number }> {
  try {
    return await withRetry(
      `Downloading ${label}`,
      () => streamOnce(url, () => Promise.resolve(fileSink(file)), network),
      network.sleep
    )
  } catch (error) {
    throw explainFailure(error, url, `download ${label}`)
  }
}

function explainDownload(
  error: unknown,
  release: GitHubRelease,
  asset: string,
  url: string
): Error {
  if (error instanceof HttpError && error.status === 404) {
    return new MissingAsset(
      `Version ${release.version} has no asset ${asset} (${redact(url)} answered 404). ` +
        `See the releases at ${release.releasesUrl}.`,
      { cause: error }
    )
  }
  return explainFailure(error, url, `download ${asset}`)
}
