import type { Readable } from 'node:stream'

/** What `put` learned about the bytes it stored. */
export interface StoredBlob {
  /** Lower-case hex SHA-256 of the content: its address in the store. */
  sha256: string
  size: number
  /** The first bytes (up to `HEAD_BYTES`), for sniffing the content type without reading it again. */
  head: Buffer
}

export interface PutOptions {
  /** Refuse (BlobTooLargeError) as soon as more than this many bytes arrive. */
  maxBytes?: number
}

/**
 * Content-addressed blob storage for attachments. The local-disk implementation keeps files under
 * `<dataDir>/attachments/ab/cd/<sha256>`; an S3-compatible one can implement the same interface
 * (put by streaming to a temporary key, then copying to the hash key).
 */
export interface BlobStorage {
  /** Streams `source` into the store; the same bytes stored twice are kept once. */
  put(source: Readable, opts?: PutOptions): Promise<StoredBlob>
  /**
   * Stores bytes already in memory (a received message, its parts): the same result as `put`
   * of a stream of them, with far fewer file operations.
   */
  putBytes(data: Buffer, opts?: PutOptions): Promise<StoredBlob>
  /** A stream of the stored bytes; BlobNotFoundError when absent. */
  get(sha256: string): Promise<Readable>
  exists(sha256: string): Promise<boolean>
  /** Every stored blob with when it was last written (a put of bytes already stored counts as a write). */
  list(): AsyncIterable<BlobInfo>
  /**
   * Deletes a blob unless it was written at or after `unlessWrittenSince` (a put racing the
   * collector keeps its bytes). True when it deleted something.
   */
  remove(sha256: string, opts?: { unlessWrittenSince?: Date }): Promise<boolean>
  /** Drops the leftovers of puts that never finished (written before `before`); returns how many. */
  removeStaleTemporaries(before: Date): Promise<number>
}

/** One stored blob, as `list` reports it. */
export interface BlobInfo {
  sha256: string
  size: number
  modifiedAt: Date
}

/** How many leading bytes `put` keeps for content sniffing. */
export const HEAD_BYTES = 64 * 1024

/** Raised by `put` when the stream is longer than `maxBytes`; nothing is kept. */
export class BlobTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`blob larger than ${maxBytes} bytes`)
  }
}

export class BlobNotFoundError extends Error {
  constructor(readonly sha256: string) {
    super(`blob ${sha256} not found`)
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/

/** True for a well-formed address; storage refuses anything else (no path tricks). */
export function isSha256(value: string): boolean {
  return SHA256_HEX.test(value)
}
