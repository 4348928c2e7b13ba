import { createHash } from 'node:crypto'
import { mkdir, open } from 'node:fs/promises'
import * as path from 'node:path'
import { Writable } from 'node:stream'
import { extract, type Extract, type ExtractEvents, type Header } from 'tar-stream'
import { ActionError, asError } from '../errors.js'
import { ArchiveTooLarge, MAX_ENTRIES, MAX_UNPACKED_BYTES, safeEntryPath } from './entry.js'

/** tar-stream's type names, back to the typeflag a tar tool would show. */
const TYPEFLAG: Record<string, string> = {
  link: '1',
  symlink: '2',
  'character-device': '3',
  'block-device': '4',
  fifo: '6'
}

/**
 * A Writable that unpacks an (uncompressed) tar stream into `dest`.
 *
 * The tar format itself (headers, checksums, GNU and PAX long names) is read
 * by `tar-stream`, a widely used streaming parser: these bytes are untrusted
 * (they are unpacked while they stream, before their digest is known). Our
 * policy sits on top: release archives hold only plain files and directories
 * with safe relative names, so a link, a device, an absolute path or a `..`
 * segment means the archive is not what the vendor publishes. Files are
 * created exclusively ('wx': never through or over something already there),
 * and the archive may unpack to at most MAX_UNPACKED_BYTES.
 *
 * Why not spawn `tar`: this runs the same on every runner, and lets the
 * download be hashed, inflated and unpacked in one streamed pass.
 */
export class TarExtractor extends Writable {
  private readonly parser: Extract
  /** Settles when the parser has finished or failed (never rejects). */
  private readonly parsed: Promise<Error | undefined>
  private received = 0
  private declared = 0
  private entries = 0
  /** The entry being written (never rejects), so that destroy() can wait for its file to close. */
  private current: Promise<void> = Promise.resolve()
  /** The first error of our own policy or file system, which stopped the parser. */
  private failure?: Error
  /**
   * SHA-256 of every regular file written, by relative path: computed while
   * writing, so the cache can later recheck the binary without a second read.
   */
  readonly files = new Map<string, string>()

  constructor(
    private readonly dest: string,
    private readonly maxBytes = MAX_UNPACKED_BYTES
  ) {
    super()
    this.parser = extract()
    this.parser.on('entry', (header, stream, next) => {
      // The parser's own failure also reaches the entry's stream; it is
      // reported once, through `parsed`, so the stream's copy is not an
      // unhandled 'error' event.
      stream.on('error', () => undefined)
      this.current = this.entry(header, stream).then(
        () => next(),
        (error: unknown) => {
          // When the parser failed first, the entry only saw its stream end.
          if (!this.parser.destroying) this.failure ??= asError(error)
          next(asError(error))
        }
      )
    })
    const ended = new Promise<Error | 'finished' | 'closed'>((resolve) => {
      this.parser.once('error', (error: Error) => resolve(error))
      this.parser.once('finish', () => resolve('finished'))
      this.parser.once('close', () => resolve('closed'))
    })
    // The entry being written when the parser stopped may hold the reason
    // (the parser itself only sees "destroyed"): wait for it, and prefer it.
    this.parsed = ended.then(async (outcome) => {
      await this.current
      if (this.failure) return ourError(this.failure)
      if (outcome === 'finished') return undefined
      return outcome === 'closed' ? new ActionError('Unpacking was stopped.') : ourError(outcome)
    })
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    this.received += chunk.length
    if (this.received > this.maxBytes) {
      done(this.tooLarge())
      return
    }
    if (this.parser.write(chunk)) {
      done()
      return
    }
    // Back-pressure: wait until the parser drained, or failed.
    const drained = new Promise<undefined>((resolve) =>
      this.parser.once('drain', () => resolve(undefined))
    )
    // (neither promise rejects: `parsed` settles with the error, if any)
    void Promise.race([drained, this.parsed]).then((error) => done(error))
  }

  override _final(done: (e?: Error | null) => void): void {
    // (streamx types `end` with a last chunk; there is none)
    this.parser.end(undefined)
    void this.parsed.then((error) => done(error))
  }

  override _destroy(error: Error | null, done: (e?: Error | null) => void): void {
    // Stops the entry being written, and waits for its file to be closed.
    if (!this.parser.destroyed) this.parser.destroy()
    void this.current.then(() => done(error))
  }

  /** Handles one entry: policy first, then the bytes. */
  private async entry(header: Header, stream: ExtractEvents['entry'][1]): Promise<void> {
    if (++this.entries > MAX_ENTRIES) {
      throw new ActionError(
        `The archive holds more than ${MAX_ENTRIES} entries; release archives hold a handful, so it was refused.`
      )
    }
    const { name, type } = header
    if (type === 'directory') {
      await mkdir(safeEntryPath(this.dest, name), { recursive: true })
      stream.resume()
      return
    }
    if (type !== 'file' && type !== 'contiguous-file') {
      const flag = type === null ? '?' : (TYPEFLAG[type] ?? type)
      const kind =
        flag === '1' ? 'a hard link' : flag === '2' ? 'a symbolic link' : `of type '${flag}'`
      throw new ActionError(
        `The archive entry ${JSON.stringify(name)} is ${kind}; release archives hold only files and directories, so it was refused.`
      )
    }
    const target = safeEntryPath(this.dest, name)
    // Refuse before writing anything: the header says how big the file is.
    this.declared += header.size
    if (this.declared > this.maxBytes) throw this.tooLarge()
    await mkdir(path.dirname(target), { recursive: true })
    const mode = header.mode & 0o111 ? 0o755 : 0o644
    // 'wx': never follow or overwrite something already there.
    const handle = await open(target, 'wx', mode)
    const hash = createHash('sha256')
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        hash.update(chunk)
        await handle.write(chunk)
      }
    } finally {
      await handle.close()
    }
    const relative = path.relative(this.dest, target).split(path.sep).join('/')
    this.files.set(relative, hash.digest('hex'))
  }

  private tooLarge(): ArchiveTooLarge {
    return new ArchiveTooLarge(this.maxBytes)
  }
}

/**
 * tar-stream's own errors, in words a workflow's author can act on (ours,
 * from the policy, pass through).
 */
function ourError(error: Error): Error {
  if (error instanceof ActionError) return error
  if (/Invalid tar header/.test(error.message)) {
    return new ActionError('The archive has a corrupt header (tar checksum mismatch).', {
      cause: error
    })
  }
  if (/Unexpected end of data/.test(error.message)) {
    return new ActionError('The archive ends in the middle of a file.', { cause: error })
  }
  return new ActionError(`The archive could not be read (${error.message}).`, { cause: error })
}
