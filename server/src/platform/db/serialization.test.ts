import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { inTransaction } from './database'
import { createTestEnv, type TestEnv } from '../../../test/harness'

// PGlite is one database session: a query issued while another caller's transaction is open would
// run inside it. These tests overlap transactions, rollbacks and plain writes and check that each
// outcome is exactly what its own caller asked for (they pass on PostgreSQL too).
describe('database access is serialised per transaction', () => {
  let env: TestEnv
  before(async () => { env = await createTestEnv() })
  after(async () => { await env.close() })

  it('keeps committed writes and drops rolled-back ones when they overlap', async () => {
    const db = env.ctx.db
    const tasks: Promise<unknown>[] = []
    for (let i = 0; i < 30; i++) {
      if (i % 3 === 0) {
        // A transaction that writes, yields to the event loop (letting others try to run), then fails.
        tasks.push(inTransaction(db, async (trx) => {
          await sql`insert into settings (key, value) values (${`rolled-${i}`}, '1'::jsonb)`.execute(trx)
          await new Promise((r) => setTimeout(r, 5))
          throw new Error('boom')
        }).catch(() => 'rolled back'))
      } else if (i % 3 === 1) {
        tasks.push(inTransaction(db, async (trx) => {
          await sql`insert into settings (key, value) values (${`tx-${i}`}, '1'::jsonb)`.execute(trx)
          await new Promise((r) => setTimeout(r, 3))
          await sql`update settings set value = '2'::jsonb where key = ${`tx-${i}`}`.execute(trx)
        }))
      } else {
        // A plain write outside any transaction, issued while others are open.
        tasks.push(sql`insert into settings (key, value) values (${`plain-${i}`}, '1'::jsonb)`.execute(db))
      }
    }
    await Promise.all(tasks)
    const rows = (await sql<{ key: string; value: number }>`select key, value from settings where key like 'rolled-%' or key like 'tx-%' or key like 'plain-%'`.execute(db)).rows
    const keys = new Set(rows.map((r) => r.key))
    for (let i = 0; i < 30; i++) {
      if (i % 3 === 0) assert.ok(!keys.has(`rolled-${i}`), `rolled-${i} must be rolled back`)
      if (i % 3 === 1) assert.ok(keys.has(`tx-${i}`), `tx-${i} must be committed`)
      if (i % 3 === 2) assert.ok(keys.has(`plain-${i}`), `plain-${i} must survive the rollbacks around it`)
    }
    assert.ok(rows.filter((r) => r.key.startsWith('tx-')).every((r) => r.value === 2))
  })

  it('refuses (instead of deadlocking) a query through db inside a transaction on PGlite', { skip: !!process.env.TEST_DATABASE_URL }, async () => {
    await assert.rejects(
      inTransaction(env.ctx.db, async () => { await sql`select 1`.execute(env.ctx.db) }),
      /use the transaction handle/,
    )
    // and the database is still usable afterwards
    assert.equal((await sql<{ n: number }>`select 1 as n`.execute(env.ctx.db)).rows[0].n, 1)
  })
})
