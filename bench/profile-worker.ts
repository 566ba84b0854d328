/**
 * What the background worker spends on the jobs that ticket creation leaves behind: creates N
 * tickets (no worker running), then drains the queue with the worker's own passes, timing every
 * SQL statement by its first words and the Node CPU the passes took (profile: /tmp/worker.cpuprofile).
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/profile-worker.ts [n]
 */
import { sql } from 'kysely'
import { statementLines, statementTimer } from './statement-timer'
import { profileEnv, withCpuProfile } from './profile-env'

const n = Number(process.argv[2] ?? 500)
const timer = statementTimer(100)
const { env, createConcurrently } = await profileEnv()
await env.drainJobs(1000)
await createConcurrently(n)
const queued = (await sql<{ name: string; n: number }>`select name, count(*)::int as n from jobs where status = 'queued' group by name`.execute(env.ctx.db)).rows
console.log(`${n} tickets created; jobs queued: ${queued.map((q) => `${q.name} ${q.n}`).join(', ')}`)
timer.counting = true
const cpu0 = process.cpuUsage()
const t0 = performance.now()
// Wall-clock bounds of the drain, to match against CPU samples of other processes (PostgreSQL).
console.log(`drain starts ${Date.now() / 1000}`)
const ran = await withCpuProfile('/tmp/worker.cpuprofile', () => env.drainJobs(100_000))
console.log(`drain ends ${Date.now() / 1000}`)
const ms = performance.now() - t0
const cpu = process.cpuUsage(cpu0)
timer.counting = false
const statements = [...timer.stats.values()].reduce((s, v) => s + v.count, 0)
console.log(`${ran} jobs in ${ms.toFixed(0)} ms: ${(ms / n).toFixed(2)} ms per ticket, ${(statements / n).toFixed(1)} statements per ticket, Node CPU ${((cpu.user + cpu.system) / 1000 / n).toFixed(2)} ms per ticket`)
for (const line of statementLines(timer.stats, n)) console.log(line)
await env.close()
