import crypto from 'node:crypto'
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import path from 'node:path'
import { Transform, type Readable, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { BlobNotFoundError, BlobTooLargeError, HEAD_BYTES, isSha256, type BlobStorage, type PutOptions, type StoredBlob } from './blob-storage'

/**
 * Blobs on the local disk: `<root>/ab/cd/<sha256>`. A put streams into `<root>/tmp/` while hashing,
 * then renames the file to its address, so a reader never sees a half-written blob and a crash
 * leaves only a temporary file behind.
 */
export class LocalDiskStorage implements BlobStorage {
  constructor(readonly root: string) {}

  pathFor(sha256: string): string {
    if (!isSha256(sha256)) throw new BlobNotFoundError(sha256)
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256)
  }

  async put(source: Readable, opts: PutOptions = {}): Promise<StoredBlob> {
    const tmpDir = path.join(this.root, 'tmp')
    await fsp.mkdir(tmpDir, { recursive: true })
    const tmp = path.join(tmpDir, `${process.pid}-${crypto.randomBytes(8).toString('hex')}`)
    const meter = new HashingMeter(opts.maxBytes ?? Number.POSITIVE_INFINITY)
    try {
      await pipeline(source, meter, fs.createWriteStream(tmp, { flags: 'wx', mode: 0o640 }))
      const sha256 = meter.digest()
      const dest = this.pathFor(sha256)
      await fsp.mkdir(path.dirname(dest), { recursive: true })
      // Same content already stored: keep the existing file (rename would also be atomic, but this
      // leaves its timestamps alone).
      if (await this.exists(sha256)) await fsp.rm(tmp, { force: true })
      else await fsp.rename(tmp, dest)
      return { sha256, size: meter.size, head: meter.head() }
    } catch (err) {
      // pipeline() has destroyed the source and the file stream; drop the partial file.
      await fsp.rm(tmp, { force: true })
      throw err
    }
  }

  async get(sha256: string): Promise<Readable> {
    const file = this.pathFor(sha256)
    try {
      const handle = await fsp.open(file, 'r')
      return handle.createReadStream()
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobNotFoundError(sha256)
      throw err
    }
  }

  async exists(sha256: string): Promise<boolean> {
    if (!isSha256(sha256)) return false
    try {
      await fsp.access(this.pathFor(sha256))
      return true
    } catch {
      return false
    }
  }
}

/** Passes bytes through while hashing them, counting them, keeping the head, and enforcing a limit. */
class HashingMeter extends Transform {
  private readonly hash = crypto.createHash('sha256')
  private readonly headChunks: Buffer[] = []
  private headLength = 0
  size = 0

  constructor(private readonly maxBytes: number) {
    super()
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
    this.size += chunk.length
    if (this.size > this.maxBytes) {
      done(new BlobTooLargeError(this.maxBytes))
      return
    }
    this.hash.update(chunk)
    if (this.headLength < HEAD_BYTES) {
      const part = chunk.subarray(0, HEAD_BYTES - this.headLength)
      this.headChunks.push(Buffer.from(part))
      this.headLength += part.length
    }
    done(null, chunk)
  }

  digest(): string {
    return this.hash.digest('hex')
  }

  head(): Buffer {
    return Buffer.concat(this.headChunks)
  }
}
