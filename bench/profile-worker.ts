/**
 * What the background worker spends on the jobs that ticket creation leaves behind: creates N
 * tickets (no worker running), then drains the queue with the worker's own passes, timing every
 * SQL statement by its first words and the Node CPU the passes took (profile: /tmp/worker.cpuprofile).
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/profile-worker.ts [n]
 */
import fs from 'node:fs'
import { Session } from 'node:inspector/promises'
import { sql } from 'kysely'
import { statementTimer } from './statement-timer'
import { createTestEnv, loginAs } from '../server/test/harness'
import { loadDemo } from '../server/src/modules/demo/load-demo'
import { DEMO_PASSWORD, DEMO_STAFF } from '../server/src/modules/demo/demo-data'

const n = Number(process.argv[2] ?? 500)
const timer = statementTimer(100)
const env = await createTestEnv()
await loadDemo(env.ctx, { tickets: 30, progress: { start() {}, tick() {}, stop() {} } })
await env.drainJobs(1000)
const agent = await loginAs(env.app, { email: DEMO_STAFF[1].email, password: DEMO_PASSWORD })
const cats = (await env.ctx.db.selectFrom('categories').select(['id']).where('parent_id', 'is not', null).execute()).map((c) => c.id)
const customers = (await env.ctx.db.selectFrom('users').select(['id']).where('role', '=', 'customer').limit(20).execute()).map((u) => u.id)
let next = 0
await Promise.all(Array.from({ length: 32 }, async () => {
  while (next < n) {
    const k = next++
    const res = await agent.post('/api/v1/tickets', { subject: `Recarga no aplicada ${k}`, description: 'El cliente reporta que la recarga no se aplicó.',
      categoryId: cats[k % cats.length], requesterId: customers[k % customers.length], channel: 'phone' })
    if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`)
  }
}))
const queued = (await sql<{ name: string; n: number }>`select name, count(*)::int as n from jobs where status = 'queued' group by name`.execute(env.ctx.db)).rows
console.log(`${n} tickets created; jobs queued: ${queued.map((q) => `${q.name} ${q.n}`).join(', ')}`)
const session = new Session()
session.connect()
await session.post('Profiler.enable')
await session.post('Profiler.start')
timer.counting = true
const cpu0 = process.cpuUsage()
const t0 = performance.now()
console.log(`drain starts ${Date.now() / 1000}`)
const ran = await env.drainJobs(100_000)
console.log(`drain ends ${Date.now() / 1000}`)
const ms = performance.now() - t0
const cpu = process.cpuUsage(cpu0)
timer.counting = false
fs.writeFileSync('/tmp/worker.cpuprofile', JSON.stringify((await session.post('Profiler.stop')).profile))
const rows = [...timer.stats.entries()].sort((a, b) => b[1].ms - a[1].ms)
const statements = rows.reduce((s, [, v]) => s + v.count, 0)
console.log(`${ran} jobs in ${ms.toFixed(0)} ms: ${(ms / n).toFixed(2)} ms per ticket, ${(statements / n).toFixed(1)} statements per ticket, Node CPU ${((cpu.user + cpu.system) / 1000 / n).toFixed(2)} ms per ticket`)
for (const [key, v] of rows) console.log(`${(v.count / n).toFixed(2).padStart(6)} × ${(v.ms / v.count).toFixed(3).padStart(7)} ms  ${key}`)
await env.close()
