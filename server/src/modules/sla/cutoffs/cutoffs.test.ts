import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { anonymous, createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../../test/harness'
import { assertBadInput } from '../../accounts/accounts.test-helpers'
import { eventsOf } from '../../tickets/test-support/ticket-factories'
import { mx } from '../test-support/clock-helpers'
import { createPolicyVia } from '../test-support/sla-factories'

const URL = '/api/v1/sla/cutoffs'

describe('cut-offs (cortes)', () => {
  let env: TestEnv
  let admin: Client
  let agent: Client
  let customer: Client
  let agentId: string
  let customerId: string
  let portability: string
  let other: string
  const body = () => ({
    name: 'Cortes de portabilidad', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], times: ['15:00', '09:00', '13:00'],
    filter: { categoryId: [portability] }, action: 'public_update', remindAssignee: true,
    templateEs: 'Corte de las {{cutoff.time}}: su ticket #{{ticket.number}} sigue «{{ticket.status}}».',
    templateEn: 'Cut-off at {{cutoff.time}}: your ticket #{{ticket.number}} is still "{{ticket.status}}".',
  })
  before(async () => {
    env = await createTestEnv()
    admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    const a = await createUser(env.ctx, { role: 'agent' })
    agentId = a.id
    agent = await loginAs(env.app, a)
    const c = await createUser(env.ctx, { role: 'customer' })
    customerId = c.id
    customer = await loginAs(env.app, c)
    portability = (await admin.post('/api/v1/categories', { name: 'Portabilidad' })).json().id
    other = (await admin.post('/api/v1/categories', { name: 'Facturación' })).json().id
    env.clock.set(mx('2026-03-02 12:00'))
    await createPolicyVia(admin, { targets: { normal: { firstResponseMinutes: 30, resolutionMinutes: 240 } } })
  })
  after(async () => { await env.close() })

  it('is read by staff and changed by admins only', async () => {
    assert.equal((await anonymous(env.app).get(URL)).statusCode, 401)
    assert.equal((await customer.get(URL)).statusCode, 403)
    assert.equal((await agent.get(URL)).statusCode, 200)
    assert.equal((await agent.post(URL, body())).statusCode, 403)
  })

  it('refuses bad input naming the field, in Spanish or English', async () => {
    await assertBadInput(admin, 'POST', URL, { ...body(), times: ['25:00'] }, /times\.0/, /times\.0/)
    await assertBadInput(admin, 'POST', URL, { ...body(), days: ['lun'] }, /days\.0/, /days\.0/)
    await assertBadInput(admin, 'POST', URL, { ...body(), templateEs: 'Hola {{ticket.numero}}' },
      /«templateEs»: Variable desconocida en la plantilla: «ticket\.numero»/, /«templateEs»: Unknown variable in the template: "ticket\.numero"/)
    await assertBadInput(admin, 'POST', URL, { ...body(), templateEs: '' }, /«templateEs»: La plantilla en español es obligatoria/, /«templateEs»: The Spanish template is required/)
    await assertBadInput(admin, 'POST', URL, { ...body(), filter: { categoryId: ['00000000-0000-4000-8000-000000000000'] } },
      /filter\.categoryId\[0\]/, /filter\.categoryId\[0\]/)
  })

  it('posts a status update at each cut-off time, reminds the assignee, and lists what is due before it', async () => {
    const created = await admin.post(URL, body())
    assert.equal(created.statusCode, 201, created.body)
    const cutoff = created.json()
    assert.deepEqual([cutoff.times, cutoff.timezone, cutoff.nextRunAt], [['09:00', '13:00', '15:00'], 'America/Mexico_City', mx('2026-03-02 13:00').toISOString()])

    env.clock.set(mx('2026-03-02 12:10'))
    const file = async (categoryId: string, subject: string) => (await agent.post('/api/v1/tickets', { subject, categoryId, requesterId: customerId, assigneeId: agentId })).json().id as string
    const mine = await file(portability, 'Portabilidad pendiente')
    const notMine = await file(other, 'Factura de febrero')
    const solved = await file(portability, 'Portabilidad lista')
    await agent.patch(`/api/v1/tickets/${solved}`, { status: 'resolved' })

    env.clock.set(mx('2026-03-02 12:15'))
    const due = await agent.get(`${URL}/${cutoff.id}/due`)
    assert.equal(due.statusCode, 200, due.body)
    assert.equal(due.json().nextCutoffAt, mx('2026-03-02 13:00').toISOString())
    assert.deepEqual(due.json().items.map((i: { id: string; nextDueAt: string }) => [i.id, i.nextDueAt]), [[mine, mx('2026-03-02 12:40').toISOString()]])

    env.clock.set(mx('2026-03-02 13:00:05'))
    await env.drainJobs()
    await env.drainJobs()
    const comments = (await customer.get(`/api/v1/tickets/${mine}/comments`)).json().items
    const update = comments.find((c: { body: string }) => c.body.startsWith('Corte de las 13:00'))
    assert.ok(update, JSON.stringify(comments))
    assert.match(update.body, /su ticket #\d+ sigue «Nuevo»|su ticket #\d+ sigue «En proceso»/)
    assert.equal(update.internal, false)
    assert.equal((await agent.get(`/api/v1/tickets/${notMine}/comments`)).json().items.length, 0)
    assert.equal((await agent.get(`/api/v1/tickets/${solved}/comments`)).json().items.length, 0)
    // One digest job for the assignee, keyed by the cut-off occurrence and the assignee.
    const digests = (await sql<{ unique_key: string; payload: { assigneeId: string; ticketIds: string[] } }>`select unique_key, payload from jobs
      where name = 'sendSlaCutoffDigest'`.execute(env.ctx.db)).rows
    assert.deepEqual(digests.map((d) => [d.unique_key, d.payload.assigneeId, d.payload.ticketIds]),
      [[`sla-cutoff-digest:${cutoff.id}:${mx('2026-03-02 13:00').toISOString()}:${agentId}`, agentId, [mine]]])
    assert.equal((await eventsOf(env.ctx, mine)).filter((e) => e.type.startsWith('sla.cutoff')).length, 0)
    // The system's update is not the agent's first response.
    assert.equal((await agent.get(`/api/v1/tickets/${mine}`)).json().sla.firstResponse.state, 'breached')

    // Once per cut-off and time, and never on the calendar's holidays (Monday 16 March 2026).
    await env.drainJobs()
    env.clock.set(mx('2026-03-16 12:59')) // runs missed while "down" are late: skipped
    await env.drainJobs()
    env.clock.set(mx('2026-03-16 13:00:05'))
    await env.drainJobs()
    const runs = (await sql<{ scheduled_for: Date; tickets: number }>`select scheduled_for, tickets from sla_cutoff_runs where cutoff_id = ${cutoff.id}`.execute(env.ctx.db)).rows
    assert.deepEqual(runs.map((r) => [new Date(r.scheduled_for).toISOString(), r.tickets]), [[mx('2026-03-02 13:00').toISOString(), 1]])
  })

  it('moves its schedules with its times and drops them when deleted', async () => {
    env.clock.set(mx('2026-03-02 08:00'))
    const id = (await admin.post(URL, { ...body(), name: 'Corte de la tarde', times: ['13:00'] })).json().id
    const schedules = async () => (await sql<{ name: string; cron: string; timezone: string }>`select name, cron, timezone from job_schedules
      where name like ${`sla-cutoff:${id}:%`} order by name`.execute(env.ctx.db)).rows
    assert.deepEqual(await schedules(), [{ name: `sla-cutoff:${id}:1300`, cron: '0 13 * * 1,2,3,4,5,6', timezone: 'America/Mexico_City' }])
    const moved = await admin.patch(`${URL}/${id}`, { times: ['09:30'], days: ['sat'] })
    assert.equal(moved.statusCode, 200, moved.body)
    assert.deepEqual(await schedules(), [{ name: `sla-cutoff:${id}:0930`, cron: '30 9 * * 6', timezone: 'America/Mexico_City' }])
    assert.equal((await admin.delete(`${URL}/${id}`)).statusCode, 200)
    assert.deepEqual(await schedules(), [])
    assert.equal((await agent.get(`${URL}/${id}`)).statusCode, 404)
  })
})
