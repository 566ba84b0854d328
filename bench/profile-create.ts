/**
 * Where `POST /api/v1/tickets` spends its statements: a fresh database with the demo data (MVNO
 * SLA policies with escalations), then N creates through the app in process (no HTTP), counting
 * and timing every SQL statement by its first words, then the same creates at 32 at once.
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/profile-create.ts [n]
 *
 * Without TEST_DATABASE_URL it runs on PGlite (statement counts only: PGlite has no wire).
 */
import pg from 'pg'
import { sql } from 'kysely'
import { statementTimer } from './statement-timer'
import { createTestEnv, loginAs } from '../server/test/harness'
import { loadDemo } from '../server/src/modules/demo/load-demo'
import { DEMO_PASSWORD, DEMO_STAFF } from '../server/src/modules/demo/demo-data'

const n = Number(process.argv[2] ?? 300)
const timer = statementTimer(90)
const { stats, original } = timer

const env = await createTestEnv()
const silent = { start() {}, tick() {}, stop() {} }
await loadDemo(env.ctx, { tickets: 30, progress: silent })
const agent = await loginAs(env.app, { email: DEMO_STAFF[1].email, password: DEMO_PASSWORD })
const cats = (await env.ctx.db.selectFrom('categories').select(['id']).where('parent_id', 'is not', null).execute()).map((c) => c.id)
const customers = (await env.ctx.db.selectFrom('users').select(['id']).where('role', '=', 'customer').limit(20).execute()).map((u) => u.id)
const body = (k: number) => ({ subject: `Recarga no aplicada ${k}`, description: 'El cliente reporta que la recarga no se aplicó a su saldo.',
  categoryId: cats[k % cats.length], requesterId: customers[k % customers.length], channel: 'phone' })

for (let k = 0; k < 20; k++) await agent.post('/api/v1/tickets', body(k)) // warm up
timer.counting = true
let t0 = performance.now()
for (let k = 0; k < n; k++) {
  const res = await agent.post('/api/v1/tickets', body(k))
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`)
}
const sequentialMs = performance.now() - t0
timer.counting = false
const rows = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms)
const total = rows.reduce((s, [, v]) => s + v.count, 0)
console.log(`${n} creates one at a time: ${(sequentialMs / n).toFixed(2)} ms each, ${(total / n).toFixed(1)} statements each`)
for (const [key, v] of rows) console.log(`${(v.count / n).toFixed(2).padStart(6)} × ${(v.ms / v.count).toFixed(3).padStart(7)} ms  ${key}`)

const waits = new Map<string, number>()
const sampler = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL })
const dbName = (await sql<{ name: string }>`select current_database() as name`.execute(env.ctx.db)).rows[0].name
let sampling = Boolean(process.env.TEST_DATABASE_URL)
if (sampling) await sampler.connect()
const sampled = (async () => {
  while (sampling) {
    const r = await original.call(sampler, `select coalesce(wait_event_type || ':' || wait_event, state) as w from pg_stat_activity
      where datname = $1 and pid <> pg_backend_pid() and backend_type = 'client backend'`, [dbName]) as { rows: Array<{ w: string }> }
    for (const row of r.rows) waits.set(row.w, (waits.get(row.w) ?? 0) + 1)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
})()
stats.clear()
timer.counting = true
t0 = performance.now()
let next = 0
await Promise.all(Array.from({ length: 32 }, async () => {
  while (next < n * 4) {
    const k = next++
    const res = await agent.post('/api/v1/tickets', body(k))
    if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`)
  }
}))
sampling = false
timer.counting = false
await sampled
console.log(`statements while 32 create at once (per ticket, mean ms per statement):`)
for (const [key, v] of [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms)) console.log(`${(v.count / (n * 4)).toFixed(3).padStart(6)} × ${(v.ms / v.count).toFixed(3).padStart(7)} ms  ${key}`)
if (waits.size) {
  await sampler.end()
  console.log('backends by wait event while 32 create at once:', [...waits].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', '))
}
console.log(`${n * 4} creates at 32 at once: ${((n * 4) / ((performance.now() - t0) / 1000)).toFixed(0)} tickets/s`)
await env.close()
