import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { createTeam, createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../../test/harness'
import { eventsOf } from '../../tickets/test-support/ticket-factories'
import { mx } from '../test-support/clock-helpers'
import { createPolicyVia, escalationsOf, queuedSlaJobs } from '../test-support/sla-factories'
import { escalateSla } from './escalate-sla.job'

describe('SLA escalations through the job queue', () => {
  let env: TestEnv
  let admin: Client
  let agent: Client
  let customer: Client
  let agentId: string
  let customerId: string
  let supervisorId: string
  let leadId: string
  let level1: string
  let level2: string
  before(async () => {
    env = await createTestEnv()
    admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    level1 = await createTeam(env.ctx, 'Soporte N1', 1)
    level2 = await createTeam(env.ctx, 'Soporte N2', 2)
    leadId = (await createUser(env.ctx, { role: 'agent', teamIds: [level1] })).id
    await sql`update teams set lead_user_id = ${leadId} where id = ${level1}`.execute(env.ctx.db)
    supervisorId = (await createUser(env.ctx, { role: 'supervisor' })).id
    const a = await createUser(env.ctx, { role: 'agent', teamIds: [level1] })
    agentId = a.id
    agent = await loginAs(env.app, a)
    const c = await createUser(env.ctx, { role: 'customer' })
    customerId = c.id
    customer = await loginAs(env.app, c)
    env.clock.set(mx('2026-03-02 08:00'))
    await createPolicyVia(admin, {
      name: 'Primera respuesta con escalamiento', conditions: { priorities: ['normal'] },
      targets: { normal: { firstResponseMinutes: 60, resolutionMinutes: 240 } },
      escalations: [
        { on: 'warning', targets: ['firstResponse'], actions: [{ type: 'notify', recipients: ['assignee'] }] },
        { on: 'breach', targets: ['firstResponse'], actions: [{ type: 'notify', recipients: ['team_lead', 'supervisors'] }, { type: 'move', teamId: level2 }] },
      ],
    })
    await createPolicyVia(admin, {
      name: 'Resolución con aviso', conditions: { priorities: ['low'] },
      targets: { low: { resolutionMinutes: 240 } },
      escalations: [{ on: 'warning', targets: ['resolution'], actions: [{ type: 'notify', recipients: ['assignee'] }] },
        { on: 'breach', actions: [{ type: 'raise_priority' }] }],
    })
    await env.drainJobs()
  })
  after(async () => { await env.close() })

  const create = async (body: Record<string, unknown>) => {
    const res = await agent.post('/api/v1/tickets', { subject: 'Portabilidad rechazada', requesterId: customerId, ...body })
    assert.equal(res.statusCode, 201, res.body)
    return res.json().id as string
  }
  const slaEvents = async (id: string) => (await eventsOf(env.ctx, id)).filter((e) => e.type.startsWith('sla.'))

  it('warns and breaches exactly once, notifying and moving the ticket to level 2', async () => {
    env.clock.set(mx('2026-03-02 09:00'))
    const id = await create({ teamId: level1, assigneeId: agentId })
    const jobs = await queuedSlaJobs(env, id)
    assert.deepEqual(jobs.map((j) => [j.unique_key.split(':').slice(2).join(':'), new Date(j.run_at).toISOString()]), [
      ['first_response:0:warning', mx('2026-03-02 09:45').toISOString()],
      ['first_response:0:breach', mx('2026-03-02 10:00').toISOString()],
    ])

    env.clock.set(mx('2026-03-02 09:44'))
    await env.drainJobs()
    assert.deepEqual(await escalationsOf(env, id), [])

    env.clock.set(mx('2026-03-02 09:45'))
    await env.drainJobs()
    await env.drainJobs()
    let events = await slaEvents(id)
    assert.deepEqual(events.map((e) => [e.type, e.payload.target, e.payload.recipientIds]), [['sla.warning', 'firstResponse', [agentId]]])

    env.clock.set(mx('2026-03-02 10:00'))
    await env.drainJobs()
    env.clock.set(mx('2026-03-02 11:00'))
    await env.drainJobs()
    events = await slaEvents(id)
    assert.equal(events.length, 2)
    assert.equal(events[1].type, 'sla.breached')
    assert.deepEqual([...(events[1].payload.recipientIds as string[])].sort(), [leadId, supervisorId].sort())
    const ticket = (await agent.get(`/api/v1/tickets/${id}`)).json()
    assert.deepEqual([ticket.team.id, ticket.supportLevel], [level2, 2])
    const moved = (await agent.get(`/api/v1/tickets/${id}/history`)).json().items.find((h: { field: string }) => h.field === 'team')
    assert.equal(moved.actor, null)
    assert.deepEqual((await escalationsOf(env, id)).map((e) => [e.target, e.kind, e.suppressed]), [['first_response', 'warning', false], ['first_response', 'breach', false]])

    // A duplicate job (a retry, a restart, a second instance) finds the escalation done.
    assert.equal(await escalateSla(env.ctx.now(), env.ctx.db, { ticketId: id, target: 'first_response', cycle: 0, kind: 'breach' }), 'skipped')
    assert.equal((await slaEvents(id)).length, 2)
    const breaches = (await sql<{ target: string; met_at: Date | null }>`select target, met_at from sla_breaches where ticket_id = ${id}`.execute(env.ctx.db)).rows
    assert.deepEqual(breaches.map((b) => b.target), ['first_response'])

    // The late answer is recorded on the breach; nothing else fires.
    await agent.post(`/api/v1/tickets/${id}/comments`, { body: 'Ya lo revisa el nivel 2' })
    const late = (await sql<{ met_at: Date | null }>`select met_at from sla_breaches where ticket_id = ${id}`.execute(env.ctx.db)).rows[0]
    assert.equal(new Date(late.met_at!).toISOString(), mx('2026-03-02 11:00').toISOString())
    assert.deepEqual(await queuedSlaJobs(env, id), [])
  })

  it('cancels the jobs while paused and reschedules them when the clock resumes', async () => {
    env.clock.set(mx('2026-03-03 09:00'))
    const id = await create({ priority: 'low', assigneeId: agentId })
    const keys = async () => (await queuedSlaJobs(env, id)).map((j) => [j.unique_key.split(':').slice(2).join(':'), new Date(j.run_at).toISOString()])
    assert.deepEqual(await keys(), [
      ['resolution:0:warning', mx('2026-03-03 12:00').toISOString()],
      ['resolution:0:breach', mx('2026-03-03 13:00').toISOString()],
    ])
    env.clock.set(mx('2026-03-03 09:30'))
    await agent.post(`/api/v1/tickets/${id}/comments`, { body: '¿Nos manda el folio?', status: { status: 'pending' } })
    assert.deepEqual(await keys(), [])
    env.clock.set(mx('2026-03-03 10:30'))
    await customer.post(`/api/v1/tickets/${id}/comments`, { body: 'Folio 123' })
    // 30 minutes spent: warning at 180 → 13:00, due at 240 → 14:00.
    assert.deepEqual(await keys(), [
      ['resolution:0:warning', mx('2026-03-03 13:00').toISOString()],
      ['resolution:0:breach', mx('2026-03-03 14:00').toISOString()],
    ])
    env.clock.set(mx('2026-03-03 13:00'))
    await env.drainJobs()
    assert.deepEqual((await slaEvents(id)).map((e) => [e.type, e.payload.target]), [['sla.warning', 'resolution']])
    env.clock.set(mx('2026-03-03 14:00'))
    await env.drainJobs()
    const ticket = (await agent.get(`/api/v1/tickets/${id}`)).json()
    assert.equal(ticket.priority, 'normal') // raised one step at breach
    assert.deepEqual((await escalationsOf(env, id)).map((e) => [e.kind, e.suppressed]), [['warning', false], ['breach', false]])
  })

  it('imported tickets record past warnings and breaches without acting on them', async () => {
    env.clock.set(mx('2026-03-10 12:00'))
    const res = await admin.post('/api/v1/tickets/import', {
      source: 'freshdesk',
      tickets: [{ externalId: 'f-9', subject: 'Sin señal', status: 'open', priority: 'normal', requester: { email: 'luis@example.test' }, createdAt: '2026-03-09T09:00:00-06:00' }],
    })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().created, 1, res.body)
    const id = res.json().results[0].ticketId
    await env.drainJobs()
    // Nobody answered within the hour on 9 March: the breach is on record, handled, never escalated.
    assert.equal((await agent.get(`/api/v1/tickets/${id}`)).json().sla.firstResponse.breachedAt, '2026-03-09T10:00:00-06:00')
    assert.deepEqual((await escalationsOf(env, id)).map((e) => [e.target, e.kind, e.suppressed]), [['first_response', 'breach', true]])
    assert.deepEqual(await queuedSlaJobs(env, id), [])
    assert.deepEqual(await slaEvents(id), [])
  })
})
