import crypto from 'node:crypto'
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { Transform, type Readable, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { BlobNotFoundError, BlobTooLargeError, HEAD_BYTES, isSha256, type BlobInfo, type BlobStorage, type PutOptions, type StoredBlob } from './blob-storage'

/**
 * Blobs on the local disk: `<root>/ab/cd/<sha256>`. A put streams into `<root>/tmp/` while hashing,
 * then renames the file to its address, so a reader never sees a half-written blob and a crash
 * leaves only a temporary file behind.
 */
export class LocalDiskStorage implements BlobStorage {
  /** Folders this process made or found (fan-out folders are never removed). */
  private readonly folders = new Set<string>()

  constructor(readonly root: string) {}

  pathFor(sha256: string): string {
    if (!isSha256(sha256)) throw new BlobNotFoundError(sha256)
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256)
  }

  async put(source: Readable, opts: PutOptions = {}): Promise<StoredBlob> {
    const tmp = this.temporaryPath()
    const meter = new HashingMeter(opts.maxBytes ?? Number.POSITIVE_INFINITY)
    try {
      const file = await this.inFolder(tmp, () => fsp.open(tmp, 'wx', 0o640))
      await pipeline(source, meter, file.createWriteStream())
      const sha256 = meter.digest()
      const dest = this.pathFor(sha256)
      // Same content already stored: the new copy replaces it (atomically, same bytes) and so
      // counts as written now, which the blob collector's grace period protects until the caller
      // has recorded its row.
      await this.inFolder(dest, () => fsp.rename(tmp, dest))
      return { sha256, size: meter.size, head: meter.head() }
    } catch (err) {
      // pipeline() has destroyed the source and the file stream; drop the partial file.
      await fsp.rm(tmp, { force: true })
      throw err
    }
  }

  async putBytes(data: Buffer, opts: PutOptions = {}): Promise<StoredBlob> {
    if (data.length > (opts.maxBytes ?? Number.POSITIVE_INFINITY)) throw new BlobTooLargeError(opts.maxBytes!)
    const sha256 = crypto.createHash('sha256').update(data).digest('hex')
    const tmp = this.temporaryPath()
    const dest = this.pathFor(sha256)
    try {
      // One write call (open, write, close) and a rename: a stream's put takes three times the
      // CPU for a 20 KB message, in file operations handed to libuv's threads one by one.
      await this.inFolder(tmp, () => writeFile(tmp, data, { flag: 'wx', mode: 0o640 }))
      await this.inFolder(dest, () => rename(tmp, dest))
    } catch (err) {
      await fsp.rm(tmp, { force: true })
      throw err
    }
    return { sha256, size: data.length, head: data.subarray(0, HEAD_BYTES) }
  }

  private temporaryPath(): string {
    return path.join(this.root, 'tmp', `${process.pid}-${crypto.randomBytes(8).toString('hex')}`)
  }

  /**
   * Runs a write of `file`, making its folder first when it is not known to exist (once per
   * folder and process, not before every write) or when the write finds it missing.
   */
  private async inFolder<T>(file: string, write: () => Promise<T>): Promise<T> {
    const dir = path.dirname(file)
    if (!this.folders.has(dir)) {
      await fsp.mkdir(dir, { recursive: true })
      this.folders.add(dir)
    }
    try {
      return await write()
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      await fsp.mkdir(dir, { recursive: true })
      return write()
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
  async *list(): AsyncIterable<BlobInfo> {
    for (const a of await subdirs(this.root)) {
      for (const b of await subdirs(path.join(this.root, a))) {
        const dir = path.join(this.root, a, b)
        for (const name of await fsp.readdir(dir).catch(() => [] as string[])) {
          if (!isSha256(name) || !name.startsWith(a + b)) continue
          const st = await fsp.stat(path.join(dir, name)).catch(() => null)
          if (st?.isFile()) yield { sha256: name, size: st.size, modifiedAt: st.mtime }
        }
      }
    }
  }

  async remove(sha256: string, opts: { unlessWrittenSince?: Date } = {}): Promise<boolean> {
    if (!isSha256(sha256)) return false
    const file = this.pathFor(sha256)
    try {
      if (opts.unlessWrittenSince) {
        const st = await fsp.stat(file)
        if (st.mtime.getTime() >= opts.unlessWrittenSince.getTime()) return false
      }
      await fsp.unlink(file)
      return true
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false
      throw err
    }
  }

  async removeStaleTemporaries(before: Date): Promise<number> {
    const dir = path.join(this.root, 'tmp')
    let removed = 0
    for (const name of await fsp.readdir(dir).catch(() => [] as string[])) {
      const file = path.join(dir, name)
      const st = await fsp.stat(file).catch(() => null)
      if (st?.isFile() && st.mtime.getTime() < before.getTime()) {
        await fsp.rm(file, { force: true })
        removed++
      }
    }
    return removed
  }
}

// The callback forms: fs/promises' FileHandle adds work to every small write.
const writeFile = promisify(fs.writeFile)
const rename = promisify(fs.rename)

/** The two-hex-digit fan-out folders under `dir` (none when it does not exist). */
async function subdirs(dir: string): Promise<string[]> {
  const entries = await fsp.readdir(dir, { withFileTypes: true }).catch(() => [])
  return entries.filter((e) => e.isDirectory() && /^[0-9a-f]{2}$/.test(e.name)).map((e) => e.name).sort()
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
