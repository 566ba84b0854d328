import fs from 'node:fs'
import { Session } from 'node:inspector/promises'
import { createTestEnv, loginAs } from '../server/test/harness'
import { loadDemo } from '../server/src/modules/demo/load-demo'
import { DEMO_PASSWORD, DEMO_STAFF } from '../server/src/modules/demo/demo-data'

/**
 * What the profile-* tools share: a fresh database (PGlite, or PostgreSQL with TEST_DATABASE_URL)
 * with the demo data, a demo agent's session, the create body of the tickets bench's shape, and
 * creates 32 at once through the app in process (no HTTP).
 */
export async function profileEnv(opts: { demoTickets?: number } = {}) {
  const env = await createTestEnv()
  await loadDemo(env.ctx, { tickets: opts.demoTickets ?? 30, progress: { start() {}, tick() {}, stop() {} } })
  const agent = await loginAs(env.app, { email: DEMO_STAFF[1].email, password: DEMO_PASSWORD })
  const cats = (await env.ctx.db.selectFrom('categories').select(['id']).where('parent_id', 'is not', null).execute()).map((c) => c.id)
  const customers = (await env.ctx.db.selectFrom('users').select(['id']).where('role', '=', 'customer').limit(20).execute()).map((u) => u.id)
  const body = (k: number) => ({ subject: `Recarga no aplicada ${k}`, description: 'El cliente reporta que la recarga no se aplicó a su saldo.',
    categoryId: cats[k % cats.length], requesterId: customers[k % customers.length], channel: 'phone' })
  /** `count` POST /api/v1/tickets, 32 in flight at once; throws on any answer but 201. */
  const createConcurrently = async (count: number) => {
    let next = 0
    await Promise.all(Array.from({ length: 32 }, async () => {
      while (next < count) {
        const res = await agent.post('/api/v1/tickets', body(next++))
        if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`)
      }
    }))
  }
  return { env, agent, body, createConcurrently }
}

/** Runs `work` under V8's CPU profiler and writes the profile to `file` (open it in Chrome's DevTools). */
export async function withCpuProfile<T>(file: string, work: () => Promise<T>): Promise<T> {
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.start')
  try {
    return await work()
  } finally {
    fs.writeFileSync(file, JSON.stringify((await session.post('Profiler.stop')).profile))
    session.disconnect()
  }
}
