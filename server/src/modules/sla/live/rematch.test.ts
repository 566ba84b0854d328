import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../../test/harness'
import { mx } from '../test-support/clock-helpers'
import { createPolicyVia, slaOf } from '../test-support/sla-factories'
import { queueRecompute } from '../admin/calendar-commands'
import { inTransaction } from '../../../platform/db/database'

describe('live tickets re-match their SLA policy when a category moves or a policy changes (durable job)', () => {
  let env: TestEnv
  let admin: Client
  let agent: Client
  let customerId: string
  const cat: Record<string, string> = {}
  let billingPolicy: string
  before(async () => {
    env = await createTestEnv()
    admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    agent = await loginAs(env.app, await createUser(env.ctx, { role: 'agent' }))
    customerId = (await createUser(env.ctx, { role: 'customer' })).id
    env.clock.set(mx('2026-03-02 08:00'))
    for (const [key, name, parent] of [['billing', 'Facturación', null], ['network', 'Red', null], ['porting', 'Portabilidad', 'network']] as const) {
      const res = await admin.post('/api/v1/categories', { name, parentId: parent ? cat[parent] : null })
      assert.equal(res.statusCode, 201, res.body)
      cat[key] = res.json().id
    }
    billingPolicy = await createPolicyVia(admin, {
      name: 'Facturación', conditions: { categoryIds: [cat.billing] }, targets: { normal: { firstResponseMinutes: 30, resolutionMinutes: 120 } },
    })
    await createPolicyVia(admin, { name: 'General', targets: { normal: { firstResponseMinutes: 240, resolutionMinutes: 960 } } })
    await env.drainJobs()
  })
  after(async () => { await env.close() })

  const create = async (categoryId: string) => {
    const res = await agent.post('/api/v1/tickets', { subject: 'No puedo portar mi número', requesterId: customerId, categoryId })
    assert.equal(res.statusCode, 201, res.body)
    return res.json().id as string
  }
  const policyOf = async (id: string) => ((await slaOf(agent, id)) as { policy: { name: string } | null }).policy?.name
  const queuedRecomputes = async () => (await sql<{ payload: Record<string, unknown> }>`select payload from jobs
    where name = 'recomputeSla' and status = 'queued' order by id`.execute(env.ctx.db)).rows.map((r) => r.payload)

  it('moving a category under another queues a recompute of its tickets, which then match the new ancestor’s policy', async () => {
    env.clock.set(mx('2026-03-02 09:00'))
    const porting = await create(cat.porting)
    const network = await create(cat.network)
    assert.equal(await policyOf(porting), 'General')

    const moved = await admin.patch(`/api/v1/categories/${cat.porting}`, { parentId: cat.billing })
    assert.equal(moved.statusCode, 200, moved.body)
    assert.deepEqual(await queuedRecomputes(), [{ categoryId: cat.porting }])
    // Renaming without moving queues nothing.
    await admin.patch(`/api/v1/categories/${cat.porting}`, { name: 'Portabilidad numérica' })
    assert.deepEqual(await queuedRecomputes(), [{ categoryId: cat.porting }])

    env.clock.set(mx('2026-03-02 09:10'))
    await env.drainJobs()
    const sla = await slaOf(agent, porting)
    assert.equal(sla.policy.name, 'Facturación')
    // Time spent kept (10 minutes), the new target applies.
    assert.deepEqual([sla.firstResponse.targetMinutes, sla.firstResponse.elapsedMinutes, sla.firstResponse.dueAt], [30, 10, '2026-03-02T09:30:00-06:00'])
    assert.equal(await policyOf(network), 'General')
    assert.deepEqual(await queuedRecomputes(), [])
  })

  it('editing a policy’s conditions re-matches open tickets through the queued job', async () => {
    env.clock.set(mx('2026-03-02 10:00'))
    const network = await create(cat.network)
    assert.equal(await policyOf(network), 'General')
    const res = await admin.patch(`/api/v1/sla/policies/${billingPolicy}`, { conditions: { categoryIds: [cat.network] } })
    assert.equal(res.statusCode, 200, res.body)
    assert.deepEqual(await queuedRecomputes(), [{}])
    await env.drainJobs()
    assert.equal(await policyOf(network), 'Facturación')
  })

  it('a change made while a recompute is running queues another one behind it; waiting ones are not doubled', async () => {
    await inTransaction(env.ctx.db, (trx) => queueRecompute(trx))
    await inTransaction(env.ctx.db, (trx) => queueRecompute(trx))
    await inTransaction(env.ctx.db, (trx) => queueRecompute(trx, { categoryId: cat.network }))
    assert.deepEqual(await queuedRecomputes(), [{}])
    // The worker claimed it (it may already have read the old rules): the next change must queue again.
    await sql`update jobs set status = 'running', locked_until = ${new Date(env.ctx.now().getTime() + 60_000)} where name = 'recomputeSla' and status = 'queued'`.execute(env.ctx.db)
    await inTransaction(env.ctx.db, (trx) => queueRecompute(trx))
    assert.deepEqual(await queuedRecomputes(), [{}])
    await sql`delete from jobs where name = 'recomputeSla'`.execute(env.ctx.db)
  })
})
