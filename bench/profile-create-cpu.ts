/**
 * A CPU profile of the server's own work while 32 `POST /api/v1/tickets` run at once in process
 * (no HTTP client on the machine): writes /tmp/create.cpuprofile (open it in Chrome's DevTools).
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/profile-create-cpu.ts [n]
 */
import fs from 'node:fs'
import { Session } from 'node:inspector/promises'
import { createTestEnv, loginAs } from '../server/test/harness'
import { loadDemo } from '../server/src/modules/demo/load-demo'
import { DEMO_PASSWORD, DEMO_STAFF } from '../server/src/modules/demo/demo-data'

const n = Number(process.argv[2] ?? 3000)
const env = await createTestEnv()
const silent = { start() {}, tick() {}, stop() {} }
await loadDemo(env.ctx, { tickets: 30, progress: silent })
const agent = await loginAs(env.app, { email: DEMO_STAFF[1].email, password: DEMO_PASSWORD })
const cats = (await env.ctx.db.selectFrom('categories').select(['id']).where('parent_id', 'is not', null).execute()).map((c) => c.id)
const customers = (await env.ctx.db.selectFrom('users').select(['id']).where('role', '=', 'customer').limit(20).execute()).map((u) => u.id)
const body = (k: number) => ({ subject: `Recarga no aplicada ${k}`, description: 'El cliente reporta que la recarga no se aplicó a su saldo.',
  categoryId: cats[k % cats.length], requesterId: customers[k % customers.length], channel: 'phone' })
const load = async (count: number) => {
  let next = 0
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < count) {
      const res = await agent.post('/api/v1/tickets', body(next++))
      if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`)
    }
  }))
}
await load(500) // warm up
const session = new Session()
session.connect()
await session.post('Profiler.enable')
await session.post('Profiler.start')
const t0 = performance.now()
await load(n)
const seconds = (performance.now() - t0) / 1000
const { profile } = await session.post('Profiler.stop')
fs.writeFileSync('/tmp/create.cpuprofile', JSON.stringify(profile))
const cpu = process.cpuUsage()
console.log(`${n} creates at 32 at once: ${(n / seconds).toFixed(0)} tickets/s; profile in /tmp/create.cpuprofile`)
console.log(`process CPU so far: user ${(cpu.user / 1e6).toFixed(1)} s, system ${(cpu.system / 1e6).toFixed(1)} s`)
await env.close()
