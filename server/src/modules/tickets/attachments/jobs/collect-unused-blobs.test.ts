import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../../../test/harness'
import { upsertSchedule } from '../../../../platform/jobs/queue'
import { storageFor } from '../../../../platform/storage/storage'
import type { LocalDiskStorage } from '../../../../platform/storage/local-disk-storage'
import { buildTicket, multipart, setAttachmentLimits, type UploadPart } from '../test-factories'
import { STAGED_TTL_MS } from '../commands/stage-attachments'
import { BLOB_GRACE_MS, blobReferenceColumns, collectUnusedBlobs, collectUnusedBlobsSchedule } from './collect-unused-blobs.job'

const HOUR = 3_600_000
const sha = (s: string) => crypto.createHash('sha256').update(s).digest('hex')
const file = (filename: string, content: string): UploadPart => ({ filename, content })

async function post(client: Client, url: string, parts: UploadPart[]) {
  const body = multipart(parts)
  return client.request({ method: 'POST', url, payload: body.payload, headers: body.headers })
}

async function stored(env: TestEnv): Promise<string[]> {
  const out: string[] = []
  for await (const b of storageFor(env.ctx).list()) out.push(b.sha256)
  return out.sort()
}

describe('collectUnusedBlobs (durable daily job)', () => {
  let env: TestEnv
  let customer: Client

  before(async () => {
    env = await createTestEnv()
    customer = await loginAs(env.app, await createUser(env.ctx, { role: 'customer' }))
  })
  after(async () => { await env.close() })

  it('finds every column that holds blob addresses, the raw mail included', async () => {
    const columns = (await blobReferenceColumns(env.ctx.db)).map((c) => `${c.table}.${c.column}`)
    for (const c of ['attachments.sha256', 'staged_attachments.sha256', 'inbound_messages.raw_sha256']) assert.ok(columns.includes(c), `${c} in ${columns.join(', ')}`)
  })

  it('removes expired staged uploads and blobs nothing refers to, keeps the rest, on its schedule', async () => {
    const t0 = env.clock.now
    // A file claimed by a ticket: kept.
    const used = await post(customer, '/api/v1/attachments', [file('usado.txt', 'evidencia usada')])
    const ticket = await customer.post('/api/v1/tickets', { subject: 'Con evidencia', attachmentIds: [used.json().items[0].id] })
    assert.equal(ticket.statusCode, 201, ticket.body)
    // A staged upload never claimed: expires after a day, then its bytes go.
    const expired = await post(customer, '/api/v1/attachments', [file('olvidado.txt', 'nunca se usó')])
    assert.equal(expired.statusCode, 201)
    // Uploads refused half-way (the second file too large, an empty file): their stored bytes go.
    const target = await buildTicket(env.ctx, customer.userId!)
    await setAttachmentLimits(env.ctx, { maxFileBytes: 100 })
    try {
      const refused = await post(customer, `/api/v1/tickets/${target.id}/attachments`, [file('bien.txt', 'cabe'), file('grande.txt', 'y'.repeat(500))])
      assert.equal(refused.statusCode, 413)
      assert.equal((await post(customer, `/api/v1/tickets/${target.id}/attachments`, [file('vacio.txt', '')])).statusCode, 400)
    } finally {
      await setAttachmentLimits(env.ctx, {})
    }
    assert.ok((await stored(env)).includes(sha('cabe')), 'the refused upload left its first file in storage')
    assert.ok((await stored(env)).includes(sha('')), 'and the empty one')

    env.clock.set(new Date(t0.getTime() + 23 * HOUR))
    // Staged later: still valid when the job runs.
    const pending = await post(customer, '/api/v1/attachments', [file('pendiente.txt', 'todavía se puede usar')])
    assert.equal(pending.statusCode, 201)
    env.clock.set(new Date(t0.getTime() + STAGED_TTL_MS + 2 * HOUR))
    const now = env.clock.now
    // Bytes written within the grace period (an upload whose row is not recorded yet): kept.
    const storage = storageFor(env.ctx) as LocalDiskStorage
    const fresh = await storage.put(Readable.from([Buffer.from('subida en curso')]))
    const recent = new Date(now.getTime() - BLOB_GRACE_MS / 2)
    fs.utimesSync(storage.pathFor(fresh.sha256), recent, recent)
    // Leftovers of an upload that crashed, and one still being written.
    fs.mkdirSync(path.join(storage.root, 'tmp'), { recursive: true })
    fs.writeFileSync(path.join(storage.root, 'tmp', 'caido'), 'medio archivo')
    fs.writeFileSync(path.join(storage.root, 'tmp', 'en-curso'), 'subiendo')
    fs.utimesSync(path.join(storage.root, 'tmp', 'en-curso'), recent, recent)

    // Declared as main.ts does; due now, so the worker fires it and runs the job.
    await upsertSchedule(env.ctx.db, collectUnusedBlobsSchedule, new Date(now.getTime() - 24 * HOUR))
    await env.drainJobs()
    const job = await sql<{ status: string }>`select status from jobs where name = 'collectUnusedBlobs'`.execute(env.ctx.db)
    assert.deepEqual(job.rows.map((r) => r.status), ['done'])
    const next = await sql<{ next_run_at: Date }>`select next_run_at from job_schedules where name = 'collectUnusedBlobs'`.execute(env.ctx.db)
    assert.ok(new Date(next.rows[0].next_run_at) > now, 'the next run is scheduled')

    const staged = await sql<{ filename: string }>`select filename from staged_attachments`.execute(env.ctx.db)
    assert.deepEqual(staged.rows.map((r) => r.filename), ['pendiente.txt'])
    assert.deepEqual(await stored(env), [sha('evidencia usada'), sha('todavía se puede usar'), sha('subida en curso')].sort())
    assert.deepEqual(fs.readdirSync(path.join(storage.root, 'tmp')), ['en-curso'])
    // The claimed file still downloads.
    assert.equal((await customer.get(`/api/v1/attachments/${used.json().items[0].id}`)).statusCode, 200)

    // A second run finds nothing more to do.
    assert.deepEqual(await collectUnusedBlobs(env.ctx), { expiredStaged: 0, blobsRemoved: 0, temporariesRemoved: 0 })
  })
})
