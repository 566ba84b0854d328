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
import { statementLines, statementTimer } from './statement-timer'
import { profileEnv } from './profile-env'

const n = Number(process.argv[2] ?? 300)
const timer = statementTimer(90)
const { stats, original } = timer

const { env, agent, body, createConcurrently } = await profileEnv()

for (let k = 0; k < 20; k++) await agent.post('/api/v1/tickets', body(k)) // warm up
timer.counting = true
let t0 = performance.now()
for (let k = 0; k < n; k++) {
  const res = await agent.post('/api/v1/tickets', body(k))
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`)
}
const sequentialMs = performance.now() - t0
timer.counting = false
const total = [...stats.values()].reduce((s, v) => s + v.count, 0)
console.log(`${n} creates one at a time: ${(sequentialMs / n).toFixed(2)} ms each, ${(total / n).toFixed(1)} statements each`)
for (const line of statementLines(stats, n)) console.log(line)

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
await createConcurrently(n * 4)
sampling = false
timer.counting = false
await sampled
console.log(`statements while 32 create at once (per ticket, mean ms per statement):`)
for (const line of statementLines(stats, n * 4, 3)) console.log(line)
if (waits.size) {
  await sampler.end()
  console.log('backends by wait event while 32 create at once:', [...waits].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', '))
}
console.log(`${n * 4} creates at 32 at once: ${((n * 4) / ((performance.now() - t0) / 1000)).toFixed(0)} tickets/s`)
await env.close()
