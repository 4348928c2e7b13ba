import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { lstat, readdir, rename, rm } from 'node:fs/promises'
import * as path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { ArchiveTooLarge } from '../archive/entry.js'
import type { TarExtractor } from '../archive/tar.js'
import { ActionError } from '../errors.js'
import { lazyZlib } from '../lazy.js'
import { sha256File } from './toolcache.js'

/*
 * Where a download's bytes go as they stream (download.ts): gunzip and untar
 * into the staging directory, or a file (a zip, unpacked once verified).
 */

export interface Sink {
  write(chunk: Buffer): Promise<void>
  end(): Promise<{ files?: Map<string, string>; unpackError?: unknown }>
  abort(): Promise<void>
}

/**
 * gunzip → tar, fed chunk by chunk; a broken archive is remembered, not thrown
 * (the digest, once known, tells the truer story), except an archive past the
 * unpacked-size cap: that stops the download at once, so that a gzip bomb
 * never fills the disk.
 */
export function tarSink(dir: string, Extractor: typeof TarExtractor): Sink {
  // 1 MiB output chunks instead of zlib's 16 KiB: the whole pass (hash,
  // inflate, untar) then beats curl | tar of the same file (docs/benchmarks.md).
  // node:zlib is taken once the answer is here, not before the first request leaves.
  const gunzip = lazyZlib().createGunzip({ chunkSize: 1 << 20 })
  const tar = new Extractor(dir)
  let unpackError: unknown
  const done = pipeline(gunzip, tar).catch((error: unknown) => {
    unpackError = error
  })
  return {
    async write(chunk) {
      // A gunzip error surfaces through `done`, never as a network failure.
      if (unpackError === undefined && !gunzip.write(chunk))
        await Promise.race([once(gunzip, 'drain').catch(() => undefined), done])
      if (unpackError instanceof ArchiveTooLarge) throw unpackError
    },
    async end() {
      if (unpackError === undefined) gunzip.end()
      await done
      return { files: tar.files, unpackError }
    },
    async abort() {
      gunzip.destroy()
      await done
    }
  }
}

/** Straight to a file (a zip cannot be unpacked as it streams: its index is at the end). */
export function fileSink(file: string): Sink {
  const out = createWriteStream(file)
  const closed = once(out, 'close')
  return {
    async write(chunk) {
      if (!out.write(chunk)) await once(out, 'drain')
    },
    async end() {
      out.end()
      await closed
      return {}
    },
    async abort() {
      out.destroy()
      await closed.catch(() => undefined)
    }
  }
}

export const ZIP_NAME = '.download.zip'

/** Unpacks the verified zip in place and hashes what it held. */
export async function unpackZip(dir: string): Promise<Map<string, string>> {
  // In this process: no unzip or PowerShell child gets the job's environment.
  const { extractZip } = await import('../archive/zip.js')
  const zip = path.join(dir, ZIP_NAME)
  const out = path.join(dir, '.unzipped')
  await extractZip(zip, out)
  await rm(zip, { force: true })
  const files = new Map<string, string>()
  await collect(out, '', files)
  // Move the unpacked files up into the staging directory's root.
  for (const name of await readdir(out)) await rename(path.join(out, name), path.join(dir, name))
  await rm(out, { recursive: true, force: true })
  return files
}

async function collect(root: string, rel: string, files: Map<string, string>): Promise<void> {
  for (const name of await readdir(path.join(root, rel))) {
    const relative = rel ? `${rel}/${name}` : name
    const info = await lstat(path.join(root, relative))
    if (info.isSymbolicLink() || !(info.isFile() || info.isDirectory())) {
      throw new ActionError(
        `The archive entry ${JSON.stringify(relative)} is a link or special file; release archives hold only files and directories, so it was refused.`
      )
    }
    if (info.isDirectory()) await collect(root, relative, files)
    else files.set(relative, await sha256File(path.join(root, relative)))
  }
}
