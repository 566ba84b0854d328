import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { defineJob, enqueueJob, nextCronRun, upsertSchedule } from './queue'
import { Worker } from './worker'
import { createTestEnv, type TestEnv } from '../../../test/harness'
import { openPglite, inTransaction } from '../db/database'
import { migrateToLatest } from '../db/migrate'
import { createContext } from '../bootstrap'
import { loadConfig } from '../config'

const runs: Array<{ name: string; payload: Record<string, unknown>; by?: string }> = []
let failuresLeft = 0
defineJob('test.record', async (ctx, payload) => {
  runs.push({ name: 'test.record', payload, by: ctx.instanceId })
})
defineJob('test.flaky', async (_ctx, payload) => {
  if (failuresLeft-- > 0) throw new Error('temporary failure')
  runs.push({ name: 'test.flaky', payload })
})
// Batched: odd n fail on their own (an Error answer); n = 'poison' makes the whole batch throw.
const batches: number[][] = []
defineJob('test.batched', async (_ctx, payload) => {
  if (payload.n === 'poison') throw new Error('poison alone')
  runs.push({ name: 'test.batched', payload })
}, {
  batch: async (_ctx, jobs) => {
    if (jobs.some((j) => j.payload.n === 'poison')) throw new Error('poison in the batch')
    batches.push(jobs.map((j) => Number(j.payload.n)))
    return jobs.map((j) => (Number(j.payload.n) % 2 ? new Error(`odd ${j.payload.n}`) : true))
  },
})
// Counts how many run at the same moment (lanes).
let inFlight = 0
let mostInFlight = 0
defineJob('test.lane', async (_ctx, payload) => {
  inFlight++
  mostInFlight = Math.max(mostInFlight, inFlight)
  await new Promise((r) => setTimeout(r, 5))
  inFlight--
  runs.push({ name: 'test.lane', payload })
})
defineJob('test.slow', async (ctx, payload) => {
  await new Promise((r) => setTimeout(r, 5))
  runs.push({ name: 'test.slow', payload, by: ctx.instanceId })
})

describe('durable job queue', () => {
  let env: TestEnv
  before(async () => { env = await createTestEnv() })
  after(async () => { await env.close() })

  it('runs a job only once its time has come', async () => {
    runs.length = 0
    await enqueueJob(env.ctx.db, 'test.record', { n: 1 }, { runAt: new Date(env.clock.now.getTime() + 60_000) })
    assert.equal(await env.drainJobs(), 0)
    env.clock.advance(61_000)
    assert.equal(await env.drainJobs(), 1)
    assert.deepEqual(runs.map((r) => r.payload.n), [1])
  })

  it('runs the due jobs of a name with a batch handler together, in queue order; each answer counts for its own job', async () => {
    runs.length = 0
    batches.length = 0
    for (let n = 1; n <= 4; n++) await enqueueJob(env.ctx.db, 'test.batched', { n })
    await enqueueJob(env.ctx.db, 'test.record', { n: 'between' })
    assert.equal(await new Worker(env.ctx).runOnce(), 5)
    assert.deepEqual(batches, [[1, 2, 3, 4]])
    assert.deepEqual(runs.map((r) => r.payload.n), ['between'])
    const rows = (await sql<{ n: number; status: string; last_error: string | null }>`select (payload->>'n')::int as n, status, last_error from jobs
      where name = 'test.batched' order by id`.execute(env.ctx.db)).rows
    assert.deepEqual(rows.map((r) => [r.n, r.status, r.last_error]), [[1, 'queued', 'odd 1'], [2, 'done', null], [3, 'queued', 'odd 3'], [4, 'done', null]])
    await sql`delete from jobs where name = 'test.batched'`.execute(env.ctx.db)
  })

  it('runs each job of a batch alone when the batch handler throws, so one bad job does not hold back the rest', async () => {
    runs.length = 0
    batches.length = 0
    await enqueueJob(env.ctx.db, 'test.batched', { n: 2 })
    await enqueueJob(env.ctx.db, 'test.batched', { n: 'poison' })
    await enqueueJob(env.ctx.db, 'test.batched', { n: 6 })
    assert.equal(await new Worker(env.ctx).runOnce(), 3)
    assert.deepEqual(batches, [])
    assert.deepEqual(runs.map((r) => r.payload.n), [2, 6])
    const rows = (await sql<{ status: string; last_error: string | null }>`select status, last_error from jobs where name = 'test.batched' order by id`.execute(env.ctx.db)).rows
    assert.deepEqual(rows.map((r) => [r.status, r.last_error]), [['done', null], ['queued', 'poison alone'], ['done', null]])
    await sql`delete from jobs where name = 'test.batched'`.execute(env.ctx.db)
  })

  it('does not create a job whose transaction rolled back', async () => {
    runs.length = 0
    await inTransaction(env.ctx.db, async (trx) => {
      await enqueueJob(trx, 'test.record', { n: 'ghost' })
      throw new Error('rollback')
    }).catch(() => {})
    await env.drainJobs()
    assert.equal(runs.length, 0)
  })

  it('retries with backoff, then dead-letters after max attempts', async () => {
    runs.length = 0
    failuresLeft = 1
    await enqueueJob(env.ctx.db, 'test.flaky', { n: 2 })
    await env.drainJobs()
    assert.equal(runs.length, 0, 'first attempt failed')
    const row = (await sql<{ status: string; run_at: Date; attempts: number }>`select status, run_at, attempts from jobs where name = 'test.flaky'`.execute(env.ctx.db)).rows[0]
    assert.equal(row.status, 'queued')
    assert.ok(new Date(row.run_at).getTime() > env.clock.now.getTime(), 'retry is delayed')
    env.clock.advance(10_000)
    await env.drainJobs()
    assert.equal(runs.length, 1)

    failuresLeft = 100
    const id = await enqueueJob(env.ctx.db, 'test.flaky', { n: 3 }, { maxAttempts: 3 })
    for (let i = 0; i < 5; i++) { await env.drainJobs(); env.clock.advance(3_600_000) }
    const dead = (await sql<{ status: string; attempts: number; last_error: string }>`select status, attempts, last_error from jobs where id = ${id}`.execute(env.ctx.db)).rows[0]
    assert.equal(dead.status, 'dead')
    assert.equal(dead.attempts, 3)
    assert.match(dead.last_error, /temporary failure/)
    failuresLeft = 0
  })

  it('ignores a second enqueue with the same unique key while the first is pending', async () => {
    const a = await enqueueJob(env.ctx.db, 'test.record', { n: 4 }, { uniqueKey: 'only-once' })
    const b = await enqueueJob(env.ctx.db, 'test.record', { n: 4 }, { uniqueKey: 'only-once' })
    assert.ok(a)
    assert.equal(b, null)
    await env.drainJobs()
  })

  it('fires recurring schedules in their time zone, once per occurrence', async () => {
    runs.length = 0
    env.clock.set(new Date('2026-03-02T14:59:00Z')) // 08:59 in Mexico City (UTC-6)
    await upsertSchedule(env.ctx.db, { name: 'corte-9', jobName: 'test.record', cron: '0 9 * * 1-6', timezone: 'America/Mexico_City', payload: { n: 'corte' } }, env.clock.now)
    await env.drainJobs()
    assert.equal(runs.length, 0)
    env.clock.advance(2 * 60_000)
    await env.drainJobs()
    await env.drainJobs()
    assert.equal(runs.length, 1)
    assert.equal(runs[0].payload.scheduledFor, '2026-03-02T15:00:00.000Z')
    assert.equal(nextCronRun('0 9 * * 1-6', 'America/Mexico_City', new Date('2026-03-02T15:00:00Z')).toISOString(), '2026-03-03T15:00:00.000Z')
  })

  it('runs each job exactly once with several workers claiming at the same time', async () => {
    runs.length = 0
    for (let i = 0; i < 40; i++) await enqueueJob(env.ctx.db, 'test.slow', { i })
    const ctxB = { ...env.ctx, instanceId: 'instance-b' }
    const ctxC = { ...env.ctx, instanceId: 'instance-c' }
    const workers = [new Worker(env.ctx, { batch: 3 }), new Worker(ctxB, { batch: 3 }), new Worker(ctxC, { batch: 3 })]
    for (let round = 0; round < 30; round++) await Promise.all(workers.map((w) => w.runOnce()))
    const seen = runs.filter((r) => r.name === 'test.slow').map((r) => r.payload.i as number).sort((a, b) => a - b)
    assert.deepEqual(seen, Array.from({ length: 40 }, (_, i) => i))
  })
})

describe('a worker with lanes', () => {
  let env: TestEnv
  before(async () => { env = await createTestEnv() })
  after(async () => { await env.close() })

  it('runs several batches at once, each job once, marking each done', async () => {
    runs.length = 0
    for (let i = 0; i < 30; i++) await enqueueJob(env.ctx.db, 'test.lane', { i })
    const worker = new Worker(env.ctx, { batch: 4, lanes: 3, pollMs: 20 })
    await worker.start()
    const started = Date.now()
    while (runs.filter((r) => r.name === 'test.lane').length < 30 && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 20))
    await worker.stop()
    assert.deepEqual(runs.filter((r) => r.name === 'test.lane').map((r) => r.payload.i as number).sort((a, b) => a - b), Array.from({ length: 30 }, (_, i) => i))
    assert.ok(mostInFlight > 1, `lanes ran side by side (at most ${mostInFlight} at once)`)
    const left = (await sql<{ n: number }>`select count(*)::int as n from jobs where name = 'test.lane' and status <> 'done'`.execute(env.ctx.db)).rows[0].n
    assert.equal(left, 0)
  })
})

describe('a job scheduled before a restart runs after it', () => {
  it('survives closing and reopening the embedded database', { skip: !!process.env.TEST_DATABASE_URL && 'PGlite data directory test' }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atiende-restart-'))
    try {
      let h = await openPglite(dir)
      await migrateToLatest(h.db)
      await enqueueJob(h.db, 'test.record', { n: 'after-restart' }, { runAt: new Date(Date.now() + 50) })
      await h.close()
      h = await openPglite(dir)
      const ctx = createContext(loadConfig({ NODE_ENV: 'test', HELPDESK_DATA_DIR: dir }), h)
      runs.length = 0
      await new Promise((r) => setTimeout(r, 60))
      await new Worker(ctx).runOnce()
      assert.deepEqual(runs.map((r) => r.payload.n), ['after-restart'])
      await h.close()
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
