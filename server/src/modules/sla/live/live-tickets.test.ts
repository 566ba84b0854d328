import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../../test/harness'
import { mx } from '../test-support/clock-helpers'
import { createPolicyVia, slaOf } from '../test-support/sla-factories'
import { sweepDueSla } from '../jobs/sweep-due-sla.job'

describe('live tickets: SLA computed in the same transaction as each change', () => {
  let env: TestEnv
  let admin: Client
  let agent: Client
  let customer: Client
  let customerId: string
  before(async () => {
    env = await createTestEnv()
    admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    agent = await loginAs(env.app, await createUser(env.ctx, { role: 'agent' }))
    const c = await createUser(env.ctx, { role: 'customer' })
    customerId = c.id
    customer = await loginAs(env.app, c)
    env.clock.set(mx('2026-03-02 08:00')) // after logging in: sessions expire by the real clock
    await createPolicyVia(admin, {
      name: 'Prioridad alta', conditions: { priorities: ['high', 'urgent'] },
      targets: { high: { firstResponseMinutes: 30, resolutionMinutes: 120 }, urgent: { firstResponseMinutes: 15, resolutionMinutes: 60 } },
    })
    await createPolicyVia(admin, {
      name: 'General', targets: Object.fromEntries(['urgent', 'high', 'normal', 'low'].map((p) => [p, { firstResponseMinutes: 60, nextResponseMinutes: 60, resolutionMinutes: 240 }])),
    })
    await env.drainJobs()
  })
  after(async () => { await env.close() })

  const create = async (body: Record<string, unknown> = {}) => {
    const res = await agent.post('/api/v1/tickets', { subject: 'Sin servicio de datos', requesterId: customerId, ...body })
    assert.equal(res.statusCode, 201, res.body)
    return res.json() as { id: string; sla: Record<string, { state: string; dueAt: string | null; elapsedMinutes: number; remainingMinutes: number } | null> }
  }

  it('answers a new ticket with its targets, due in business time', async () => {
    env.clock.set(mx('2026-03-06 16:30'))
    const t = await create()
    assert.equal(t.sla.firstResponse?.state, 'running')
    assert.equal(t.sla.firstResponse?.dueAt, '2026-03-09T09:30:00-06:00')
    assert.equal(t.sla.resolution?.dueAt, '2026-03-09T12:30:00-06:00')
    assert.equal(t.sla.nextResponse, null)
    assert.equal((t.sla as unknown as { policy: { name: string } }).policy.name, 'General')
  })

  it('pending pauses resolution; the customer reply resumes it from the time spent', async () => {
    env.clock.set(mx('2026-03-02 09:00'))
    const t = await create()
    env.clock.set(mx('2026-03-02 09:30'))
    const reply = await agent.post(`/api/v1/tickets/${t.id}/comments`, { body: '¿Nos comparte su número?', status: { status: 'pending' } })
    assert.equal(reply.statusCode, 201, reply.body)
    let sla = await slaOf(agent, t.id)
    assert.equal(sla.firstResponse.state, 'met')
    assert.equal(sla.firstResponse.metAt, '2026-03-02T09:30:00-06:00')
    assert.deepEqual([sla.resolution.state, sla.resolution.dueAt, sla.resolution.elapsedMinutes], ['paused', null, 30])

    env.clock.set(mx('2026-03-02 11:30'))
    sla = await slaOf(agent, t.id)
    assert.deepEqual([sla.resolution.state, sla.resolution.elapsedMinutes, sla.resolution.remainingMinutes], ['paused', 30, 210])

    env.clock.set(mx('2026-03-02 12:00'))
    assert.equal((await customer.post(`/api/v1/tickets/${t.id}/comments`, { body: 'Es el 5512345678' })).statusCode, 201)
    sla = await slaOf(agent, t.id)
    assert.equal(sla.resolution.state, 'running')
    assert.equal(sla.resolution.elapsedMinutes, 30)
    assert.equal(sla.resolution.dueAt, '2026-03-02T15:30:00-06:00')
    // The customer's reply after a support update opens the next-response clock.
    assert.deepEqual([sla.nextResponse.state, sla.nextResponse.cycle, sla.nextResponse.dueAt], ['running', 1, '2026-03-02T13:00:00-06:00'])

    // Time keeps counting between requests without any recomputation.
    env.clock.set(mx('2026-03-02 13:15'))
    sla = await slaOf(agent, t.id)
    assert.deepEqual([sla.resolution.elapsedMinutes, sla.resolution.remainingMinutes], [105, 135])
    assert.deepEqual([sla.nextResponse.state, sla.nextResponse.remainingMinutes, sla.nextResponse.breachedAt], ['breached', -15, '2026-03-02T13:00:00-06:00'])
  })

  it('customers never see the SLA', async () => {
    env.clock.set(mx('2026-03-02 09:00'))
    const t = await create()
    const res = await customer.get(`/api/v1/tickets/${t.id}`)
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().sla, undefined)
    const list = await customer.get('/api/v1/tickets')
    assert.ok(list.json().items.every((i: Record<string, unknown>) => i.sla === undefined))
  })

  it('changing the priority re-matches the policy and keeps the time spent', async () => {
    env.clock.set(mx('2026-03-03 09:00'))
    const t = await create({ priority: 'normal' })
    env.clock.set(mx('2026-03-03 10:00'))
    const res = await agent.patch(`/api/v1/tickets/${t.id}`, { priority: 'high' })
    assert.equal(res.statusCode, 200, res.body)
    const sla = res.json().sla
    assert.equal(sla.policy.name, 'Prioridad alta')
    // 60 minutes already spent: the 30-minute first response is breached at once, resolution has 60 left.
    assert.deepEqual([sla.firstResponse.state, sla.firstResponse.breachedAt], ['breached', '2026-03-03T10:00:00-06:00'])
    assert.deepEqual([sla.resolution.state, sla.resolution.elapsedMinutes, sla.resolution.dueAt], ['running', 60, '2026-03-03T11:00:00-06:00'])
    const breach = (await sql<{ target: string; target_minutes: number }>`select target, target_minutes from sla_breaches where ticket_id = ${t.id}`.execute(env.ctx.db)).rows
    assert.deepEqual(breach, [{ target: 'first_response', target_minutes: 30 }])

    // Back to normal: the general policy's targets again, the same time spent.
    const back = (await agent.patch(`/api/v1/tickets/${t.id}`, { priority: 'normal' })).json().sla
    assert.equal(back.policy.name, 'General')
    assert.deepEqual([back.resolution.elapsedMinutes, back.resolution.dueAt], [60, '2026-03-03T13:00:00-06:00'])
  })

  it('lists filter "vencen hoy", "vencidos" and "por vencer" and sort by next due time', async () => {
    await sql`delete from ticket_sla_summary`.execute(env.ctx.db) // earlier tests' tickets out of the way
    env.clock.set(mx('2026-03-04 09:00'))
    await create({ priority: 'high', subject: 'Vence primero' }) // first response due 09:30, warning 09:22:30
    await create({ subject: 'Vence después' }) // first response due 10:00, warning 09:45
    const paused = await create({ subject: 'En pausa' })
    await agent.post(`/api/v1/tickets/${paused.id}/comments`, { body: '¿Nos envía la captura?', status: { status: 'pending' } })

    const list = async (q: string) => {
      const res = await agent.get(`/api/v1/tickets?${q}`)
      assert.equal(res.statusCode, 200, res.body)
      return res.json() as { items: Array<{ subject: string; sla: { nextDueAt: string | null } }>; nextCursor: string | null }
    }
    const subjects = async (q: string) => (await list(q)).items.map((i) => i.subject)
    env.clock.set(mx('2026-03-04 09:20'))
    assert.deepEqual(await subjects('sla=due_today'), ['Vence primero', 'Vence después'])
    assert.deepEqual(await subjects('sla=warning'), [])
    env.clock.set(mx('2026-03-04 09:25'))
    assert.deepEqual(await subjects('sla=warning'), ['Vence primero'])
    env.clock.set(mx('2026-03-04 09:50'))
    assert.deepEqual(await subjects('sla=breached'), ['Vence primero'])
    assert.deepEqual(await subjects('sla=warning'), ['Vence después'])
    assert.deepEqual(await subjects('sla=due_today'), ['Vence después'])
    assert.deepEqual(await subjects('sla=breached&sla=warning&sort=-createdAt'), ['Vence después', 'Vence primero'])

    const first = await list('sort=sla_due&limit=2')
    assert.deepEqual(first.items.map((i) => i.subject), ['Vence primero', 'Vence después'])
    const second = await list(`sort=sla_due&limit=2&cursor=${first.nextCursor}`)
    assert.deepEqual(second.items.map((i) => [i.subject, i.sla.nextDueAt]), [['En pausa', null]])
    assert.equal((await agent.get('/api/v1/tickets/counts?sla=breached')).json().total, 1)
    const bad = await agent.get('/api/v1/tickets?sla=someday')
    assert.equal(bad.statusCode, 400)
    assert.match(bad.json().error.message, /sla/)
  })

  it('a periodic sweep records breaches nobody watched and moves the list summary on', async () => {
    env.clock.set(mx('2026-03-05 09:00'))
    const t = await create({ priority: 'high', subject: 'Sin escalamientos' }) // first response due 09:30, resolution 11:00
    env.clock.set(mx('2026-03-05 09:40'))
    assert.ok(await sweepDueSla(env.ctx.db, env.ctx.now()) >= 1) // this ticket and earlier tests' overdue ones
    const breach = (await sql<{ target: string; breached_at: Date }>`select target, breached_at from sla_breaches where ticket_id = ${t.id}`.execute(env.ctx.db)).rows
    assert.deepEqual(breach.map((b) => [b.target, new Date(b.breached_at).toISOString()]), [['first_response', mx('2026-03-05 09:30').toISOString()]])
    const summary = (await sql<{ next_due_at: Date; overdue_since: Date }>`select next_due_at, overdue_since from ticket_sla_summary where ticket_id = ${t.id}`.execute(env.ctx.db)).rows[0]
    assert.deepEqual([new Date(summary.next_due_at).toISOString(), new Date(summary.overdue_since).toISOString()], [mx('2026-03-05 11:00').toISOString(), mx('2026-03-05 09:30').toISOString()])
    assert.equal(await sweepDueSla(env.ctx.db, env.ctx.now()), 0)
  })

  it('imports with original timestamps get their SLA as if they had lived here, without paging anyone', async () => {
    env.clock.set(mx('2026-03-10 12:00'))
    const agentRow = (await sql<{ email: string }>`select email from users where role = 'agent' limit 1`.execute(env.ctx.db)).rows[0]
    const res = await admin.post('/api/v1/tickets/import', {
      source: 'zendesk',
      tickets: [{
        externalId: 'z-1', subject: 'Cobro duplicado', status: 'open', requester: { email: 'rosa@example.test', name: 'Rosa' },
        createdAt: '2026-03-09T09:00:00-06:00',
        comments: [{ authorEmail: agentRow.email, body: 'Lo revisamos', createdAt: '2026-03-09T09:40:00-06:00' }],
      }],
    })
    assert.equal(res.statusCode, 200, res.body)
    const id = res.json().results[0].ticketId
    const sla = await slaOf(agent, id)
    assert.deepEqual([sla.firstResponse.state, sla.firstResponse.metAt], ['met', '2026-03-09T09:40:00-06:00'])
    // Created 09:00 yesterday, 240 business minutes: breached at 13:00 yesterday; still owed.
    assert.deepEqual([sla.resolution.state, sla.resolution.breachedAt, sla.resolution.elapsedMinutes], ['breached', '2026-03-09T13:00:00-06:00', 660])
    const rows = (await sql<{ n: number }>`select count(*)::int as n from sla_breaches where ticket_id = ${id}`.execute(env.ctx.db)).rows[0]
    assert.equal(rows.n, 1)
  })
  it('a priority change leaves a first response already met as it was met', async () => {
    env.clock.set(mx('2026-03-12 09:00'))
    const t = await create()
    env.clock.set(mx('2026-03-12 09:50'))
    assert.equal((await agent.post(`/api/v1/tickets/${t.id}/comments`, { body: 'Lo revisamos' })).statusCode, 201)
    env.clock.set(mx('2026-03-12 10:00'))
    const res = await agent.patch(`/api/v1/tickets/${t.id}`, { priority: 'urgent' }) // "Prioridad alta": 15 / 60 minutes
    assert.equal(res.statusCode, 200, res.body)
    const sla = res.json().sla
    assert.equal(sla.policy.name, 'Prioridad alta')
    const f = sla.firstResponse
    assert.deepEqual([f.state, f.targetMinutes, f.dueAt, f.metAt, f.remainingMinutes, f.breachedAt],
      ['met', 60, '2026-03-12T10:00:00-06:00', '2026-03-12T09:50:00-06:00', 10, null])
    assert.deepEqual([sla.resolution.state, sla.resolution.targetMinutes, sla.resolution.dueAt], ['breached', 60, '2026-03-12T10:00:00-06:00'])
  })

  it('sorts by SLA due with overdue tickets first, most overdue first, and stopped ones last', async () => {
    await sql`delete from ticket_sla_summary`.execute(env.ctx.db) // earlier tests' tickets out of the way
    env.clock.set(mx('2026-03-11 09:00'))
    await create({ subject: 'Todo vencido' }) // first response due 10:00, resolution 13:00: both breached by 14:00
    env.clock.set(mx('2026-03-11 11:00'))
    await create({ subject: 'Respuesta vencida' }) // first response breached at 12:00, resolution due 15:00
    env.clock.set(mx('2026-03-11 13:00'))
    const done = await create({ subject: 'Resuelto' })
    assert.equal((await agent.patch(`/api/v1/tickets/${done.id}`, { status: 'resolved' })).statusCode, 200)
    env.clock.set(mx('2026-03-11 13:30'))
    await create({ subject: 'Vence pronto' }) // first response due 14:30
    env.clock.set(mx('2026-03-11 14:00'))
    await sweepDueSla(env.ctx.db, env.ctx.now()) // the summaries as the worker leaves them: nothing runs on "Todo vencido"

    const page = async (q: string) => (await agent.get(`/api/v1/tickets?${q}`)).json() as { items: Array<{ subject: string }>; nextCursor: string | null }
    const first = await page('sort=sla_due&limit=2')
    assert.deepEqual(first.items.map((i) => i.subject), ['Todo vencido', 'Respuesta vencida'])
    const second = await page(`sort=sla_due&limit=2&cursor=${first.nextCursor}`)
    assert.deepEqual(second.items.map((i) => i.subject), ['Vence pronto', 'Resuelto'])
    assert.deepEqual((await page('sla=breached')).items.map((i) => i.subject), ['Todo vencido', 'Respuesta vencida'])
    const plan = (await sql<{ 'QUERY PLAN': string }>`explain select ticket_id from ticket_sla_summary order by due_order_at, ticket_id limit 25`.execute(env.ctx.db)).rows
    assert.match(plan.map((r) => r['QUERY PLAN']).join('\n'), /ticket_sla_summary_due_order_idx/)
  })
})
