/**
 * Where a read route spends its statements: a fresh database with the demo data, then N requests
 * of one URL through the app in process (no HTTP), counting and timing every SQL statement.
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/profile-read.ts [n] [url]
 *
 * Prints Node's and PostgreSQL's CPU per request and writes the requests' CPU profile to
 * /tmp/read.cpuprofile. The default URL is the agent's queue of the tickets bench ("Mis tickets",
 * active, by last update).
 */
import { postgresCpu, postgresCpuSince, statementLines, statementTimer } from './statement-timer'
import { profileEnv, withCpuProfile } from './profile-env'

const n = Number(process.argv[2] ?? 300)
const url = process.argv[3] ?? '/api/v1/tickets?assignee=me&statusCategory=new&statusCategory=open&statusCategory=pending&statusCategory=on_hold&sort=-updatedAt'
const timer = statementTimer(100)
const { stats } = timer

const { env, agent } = await profileEnv({ demoTickets: 300 })
for (let k = 0; k < 30; k++) await agent.get(url) // warm up
const pgCpu = () => postgresCpu(env.ctx.db)
const pg0 = await pgCpu()
const cpu0 = process.cpuUsage()
timer.counting = true
const t0 = performance.now()
await withCpuProfile('/tmp/read.cpuprofile', async () => {
  for (let k = 0; k < n; k++) {
    const res = await agent.get(url)
    if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`)
  }
})
const ms = performance.now() - t0
timer.counting = false
const cpu = process.cpuUsage(cpu0)
const pgMs = postgresCpuSince(pg0, await pgCpu()) * 1000
const total = [...stats.values()].reduce((s, v) => s + v.count, 0)
const sqlMs = [...stats.values()].reduce((s, v) => s + v.ms, 0)
console.log(`${n} × GET ${url}\n${(ms / n).toFixed(2)} ms each, of it ${(sqlMs / n).toFixed(2)} ms in ${(total / n).toFixed(1)} statements; CPU ${((cpu.user + cpu.system) / 1000 / n).toFixed(2)} ms Node, ${(pgMs / n).toFixed(2)} ms PostgreSQL`)
for (const line of statementLines(stats, n)) console.log(line)
await env.close()
