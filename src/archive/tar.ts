import { createHash, type Hash } from 'node:crypto'
import { mkdir, open, type FileHandle } from 'node:fs/promises'
import * as path from 'node:path'
import { Writable } from 'node:stream'
import { ActionError } from '../errors.js'
import { safeEntryPath } from './entry.js'

const BLOCK = 512

/**
 * A Writable that unpacks an (uncompressed) tar stream into `dest`.
 *
 * Why our own instead of spawning `tar`: it runs the same on every runner,
 * lets the download be hashed, inflated and unpacked in one streamed pass
 * (no temporary archive file), and it refuses anything but plain files and
 * directories with safe relative names. Release archives hold only those, so
 * a link, a device, an absolute path or a `..` segment means the archive is
 * not what the vendor publishes.
 */
export class TarExtractor extends Writable {
  private pending = Buffer.alloc(0)
  private file?: {
    handle: FileHandle
    remaining: number
    padding: number
    hash: Hash
    name: string
  }
  private skip = 0
  private longName?: string
  private paxPath?: string
  private ended = false
  /**
   * SHA-256 of every regular file written, by relative path: computed while
   * writing, so the cache can later recheck the binary without a second read.
   */
  readonly files = new Map<string, string>()

  constructor(private readonly dest: string) {
    super()
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    this.consume(chunk).then(() => done(), done)
  }

  override _final(done: (e?: Error | null) => void): void {
    const finish = async (): Promise<void> => {
      if (this.file) {
        await this.file.handle.close()
        throw new ActionError('The archive ends in the middle of a file.')
      }
      if (!this.ended && this.pending.some((b) => b !== 0)) {
        throw new ActionError('The archive ends in the middle of an entry.')
      }
    }
    finish().then(() => done(), done)
  }

  override _destroy(error: Error | null, done: (e?: Error | null) => void): void {
    const handle = this.file?.handle
    this.file = undefined
    if (handle)
      handle.close().then(
        () => done(error),
        () => done(error)
      )
    else done(error)
  }

  private async consume(chunk: Buffer): Promise<void> {
    let data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk
    this.pending = Buffer.alloc(0)
    while (data.length > 0 && !this.ended) {
      if (this.file) {
        data = await this.writeFileData(data)
        continue
      }
      if (this.skip > 0) {
        const n = Math.min(this.skip, data.length)
        this.skip -= n
        data = data.subarray(n)
        continue
      }
      if (data.length < BLOCK) break
      const header = data.subarray(0, BLOCK)
      data = data.subarray(BLOCK)
      const rest = await this.header(header, data)
      data = rest
    }
    if (!this.ended && data.length) this.pending = Buffer.from(data)
  }

  private async writeFileData(data: Buffer): Promise<Buffer> {
    const file = this.file!
    if (file.remaining > 0) {
      const n = Math.min(file.remaining, data.length)
      const part = data.subarray(0, n)
      file.hash.update(part)
      await file.handle.write(part)
      file.remaining -= n
      data = data.subarray(n)
    }
    if (file.remaining === 0) {
      await file.handle.close()
      this.files.set(file.name, file.hash.digest('hex'))
      this.file = undefined
      this.skip = file.padding
    }
    return data
  }

  /** Handles one header block; `data` is what follows it. */
  private async header(block: Buffer, data: Buffer): Promise<Buffer> {
    if (block.every((b) => b === 0)) {
      // End-of-archive marker (two zero blocks; one is enough to stop).
      this.ended = true
      return Buffer.alloc(0)
    }
    verifyChecksum(block)
    const type = String.fromCharCode(block[156] || 48) // NUL means '0'
    const size = parseSize(block.subarray(124, 136))
    const padding = (BLOCK - (size % BLOCK)) % BLOCK

    if (type === 'L' || type === 'x') {
      // GNU long name or PAX header: its body names the next entry. Read it
      // whole (bounded, it is metadata) before going on.
      if (size > 64 * 1024) throw new ActionError('The archive has an oversized metadata entry.')
      const need = size + padding
      if (data.length < need) {
        // Not enough buffered yet: keep the header for the next chunk.
        this.pending = Buffer.concat([block, data])
        return Buffer.alloc(0)
      }
      const body = data.subarray(0, size)
      if (type === 'L') this.longName = body.toString('utf8').replace(/\0+$/, '')
      else this.paxPath = parsePaxPath(body) ?? this.paxPath
      return data.subarray(need)
    }
    if (type === 'g') {
      this.skip = size + padding
      return data
    }

    const name = this.takeName(block)
    if (type === '5') {
      await mkdir(this.safePath(name), { recursive: true })
      return data
    }
    if (type === '0' || type === '7') {
      const target = this.safePath(name)
      await mkdir(path.dirname(target), { recursive: true })
      const mode = parseOctal(block.subarray(100, 108)) & 0o111 ? 0o755 : 0o644
      // 'wx': never follow or overwrite something already there.
      const handle = await open(target, 'wx', mode)
      const relative = path.relative(this.dest, target).split(path.sep).join('/')
      this.file = { handle, remaining: size, padding, hash: createHash('sha256'), name: relative }
      return size === 0 ? this.writeFileData(data) : data
    }
    const kind =
      type === '1' ? 'a hard link' : type === '2' ? 'a symbolic link' : `of type '${type}'`
    throw new ActionError(
      `The archive entry ${JSON.stringify(name)} is ${kind}; release archives hold only files and directories, so it was refused.`
    )
  }

  private takeName(block: Buffer): string {
    let name = this.paxPath ?? this.longName
    if (name === undefined) {
      const base = cString(block.subarray(0, 100))
      const prefix = block.subarray(257, 263).toString('latin1').startsWith('ustar')
        ? cString(block.subarray(345, 500))
        : ''
      name = prefix ? `${prefix}/${base}` : base
    }
    this.paxPath = undefined
    this.longName = undefined
    return name
  }

  /** Resolves an entry name inside `dest`, refusing anything that leaves it. */
  private safePath(name: string): string {
    return safeEntryPath(this.dest, name)
  }
}

function cString(buf: Buffer): string {
  const end = buf.indexOf(0)
  return buf.subarray(0, end === -1 ? buf.length : end).toString('utf8')
}

function parseOctal(buf: Buffer): number {
  const text = cString(buf).trim()
  return text === '' ? 0 : parseInt(text, 8)
}

function parseSize(buf: Buffer): number {
  // GNU base-256 encoding for sizes of 8 GiB and more.
  if (buf[0] & 0x80) {
    let value = 0
    for (let i = 1; i < buf.length; i++) value = value * 256 + buf[i]
    return value
  }
  const size = parseOctal(buf)
  if (!Number.isSafeInteger(size) || size < 0)
    throw new ActionError('The archive has a corrupt header.')
  return size
}

function verifyChecksum(block: Buffer): void {
  let sum = 0
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i]
  if (sum !== parseOctal(block.subarray(148, 156))) {
    throw new ActionError('The archive has a corrupt header (tar checksum mismatch).')
  }
}

function parsePaxPath(body: Buffer): string | undefined {
  // Records are "<len> <key>=<value>\n".
  let found: string | undefined
  for (const line of body.toString('utf8').split('\n')) {
    const m = /^\d+ path=(.*)$/.exec(line)
    if (m) found = m[1]
  }
  return found
}
