import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { BlobNotFoundError, BlobTooLargeError, HEAD_BYTES } from './blob-storage'
import { LocalDiskStorage } from './local-disk-storage'

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of stream) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

function chunked(buf: Buffer, size = 1000): Readable {
  const parts: Buffer[] = []
  for (let i = 0; i < buf.length; i += size) parts.push(buf.subarray(i, i + size))
  return Readable.from(parts)
}

describe('LocalDiskStorage', () => {
  let root: string
  let storage: LocalDiskStorage
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'atiende-blobs-'))
    storage = new LocalDiskStorage(root)
  })
  after(() => fs.rmSync(root, { recursive: true, force: true }))

  it('stores by SHA-256 under ab/cd/<sha256> and streams the bytes back', async () => {
    const data = crypto.randomBytes(200_000)
    const sha = crypto.createHash('sha256').update(data).digest('hex')
    const blob = await storage.put(chunked(data))
    assert.equal(blob.sha256, sha)
    assert.equal(blob.size, data.length)
    assert.deepEqual(blob.head, data.subarray(0, HEAD_BYTES))
    assert.ok(fs.existsSync(path.join(root, sha.slice(0, 2), sha.slice(2, 4), sha)))
    assert.equal(await storage.exists(sha), true)
    assert.deepEqual(await readAll(await storage.get(sha)), data)
  })

  it('keeps one copy of identical content and leaves no temporary files', async () => {
    const data = Buffer.from('la misma evidencia')
    const a = await storage.put(chunked(data, 3))
    const b = await storage.put(chunked(data, 5))
    assert.equal(a.sha256, b.sha256)
    assert.deepEqual(fs.readdirSync(path.join(root, 'tmp')), [])
  })

  it('refuses a stream longer than maxBytes and keeps nothing of it', async () => {
    const data = crypto.randomBytes(5000)
    const sha = crypto.createHash('sha256').update(data).digest('hex')
    await assert.rejects(storage.put(chunked(data), { maxBytes: 4999 }), BlobTooLargeError)
    assert.equal(await storage.exists(sha), false)
    assert.deepEqual(fs.readdirSync(path.join(root, 'tmp')), [])
    const exact = await storage.put(chunked(data), { maxBytes: 5000 })
    assert.equal(exact.size, 5000)
  })

  it('stores bytes in memory exactly as a stream of them, into folders it makes when missing', async () => {
    const data = crypto.randomBytes(100_000)
    const fresh = new LocalDiskStorage(path.join(root, 'bytes'))
    const fromBytes = await fresh.putBytes(data)
    const fromStream = await storage.put(chunked(data))
    assert.deepEqual({ ...fromBytes, head: Buffer.from(fromBytes.head) }, fromStream)
    assert.deepEqual(await readAll(await fresh.get(fromBytes.sha256)), data)
    // Stored again after its folder went away (someone cleaned the disk): the folder is made again.
    fs.rmSync(path.dirname(fresh.pathFor(fromBytes.sha256)), { recursive: true })
    assert.equal((await fresh.putBytes(data)).sha256, fromBytes.sha256)
    assert.equal(await fresh.exists(fromBytes.sha256), true)
    await assert.rejects(fresh.putBytes(data, { maxBytes: data.length - 1 }), BlobTooLargeError)
    assert.deepEqual(fs.readdirSync(path.join(root, 'bytes', 'tmp')), [])
  })

  it('answers not found for unknown or malformed addresses', async () => {
    await assert.rejects(storage.get('0'.repeat(64)), BlobNotFoundError)
    await assert.rejects(storage.get('../../etc/passwd'), BlobNotFoundError)
    assert.equal(await storage.exists('../x'), false)
  })

  it('stores an empty stream as the hash of nothing', async () => {
    const blob = await storage.put(Readable.from([]))
    assert.equal(blob.size, 0)
    assert.equal(blob.sha256, crypto.createHash('sha256').digest('hex'))
  })

  it('lists blobs with their time of writing and removes them unless written since a given time', async () => {
    const data = Buffer.from('evidencia para el recolector')
    const { sha256 } = await storage.put(Readable.from([data]))
    const listed = []
    for await (const b of storage.list()) listed.push(b)
    const mine = listed.find((b) => b.sha256 === sha256)
    assert.ok(mine, 'the blob is listed')
    assert.equal(mine.size, data.length)
    assert.ok(!listed.some((b) => !/^[0-9a-f]{64}$/.test(b.sha256)), 'temporary files are not listed')
    const file = storage.pathFor(sha256)
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000)
    fs.utimesSync(file, twoHoursAgo, twoHoursAgo)
    // Storing the same bytes again marks them as written now: a collector racing the upload keeps them.
    await storage.put(Readable.from([data]))
    assert.equal(await storage.remove(sha256, { unlessWrittenSince: new Date(Date.now() - 3_600_000) }), false)
    assert.equal(await storage.exists(sha256), true)
    fs.utimesSync(file, twoHoursAgo, twoHoursAgo)
    assert.equal(await storage.remove(sha256, { unlessWrittenSince: new Date(Date.now() - 3_600_000) }), true)
    assert.equal(await storage.exists(sha256), false)
    assert.equal(await storage.remove(sha256), false, 'removing twice is harmless')
    assert.equal(await storage.remove('../../etc/passwd'), false)
  })

  it('drops stale temporary files only', async () => {
    const stale = path.join(root, 'tmp', 'crashed-upload')
    const fresh = path.join(root, 'tmp', 'upload-in-progress')
    fs.writeFileSync(stale, 'medio archivo')
    fs.writeFileSync(fresh, 'subiendo')
    const old = new Date(Date.now() - 2 * 3_600_000)
    fs.utimesSync(stale, old, old)
    assert.equal(await storage.removeStaleTemporaries(new Date(Date.now() - 3_600_000)), 1)
    assert.deepEqual(fs.readdirSync(path.join(root, 'tmp')), ['upload-in-progress'])
    fs.rmSync(fresh)
  })
})
