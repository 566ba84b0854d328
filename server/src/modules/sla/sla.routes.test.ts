import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../test/harness'
import { assertBadInput, assertGuarded } from '../accounts/accounts.test-helpers'

const URL = '/api/v1/sla/simulate'
const body = {
  targets: { firstResponseMinutes: 60, resolutionMinutes: 240 },
  events: [
    { at: '2026-03-06T16:30:00-06:00', type: 'created' },
    { at: '2026-03-09T09:10:00-06:00', type: 'agent_reply' },
    { at: '2026-03-09T09:15:00-06:00', type: 'status', status: 'pending' },
  ],
  now: '2026-03-09T12:00:00-06:00',
}

describe('POST /api/v1/sla/simulate', () => {
  let env: TestEnv
  let agent: Client
  let customer: Client
  before(async () => {
    env = await createTestEnv()
    agent = await loginAs(env.app, await createUser(env.ctx, { role: 'agent' }))
    customer = await loginAs(env.app, await createUser(env.ctx, { role: 'customer' }))
  })
  after(async () => { await env.close() })

  it('is for agents, supervisors and admins', async () => {
    await assertGuarded(env, customer, 'POST', URL, body)
  })

  it('answers the first response and resolution targets', async () => {
    const res = await agent.post(URL, body)
    assert.equal(res.statusCode, 200, res.body)
    assert.deepEqual(res.json(), {
      firstResponse: { state: 'met', dueAt: '2026-03-09T09:30:00-06:00', metAt: '2026-03-09T09:10:00-06:00', breachedAt: null, elapsedMinutes: 40, remainingMinutes: 20 },
      resolution: { state: 'paused', dueAt: null, metAt: null, breachedAt: null, elapsedMinutes: 45, remainingMinutes: 195 },
    })
  })

  it('adds the next response when the targets have one, minutes rounded down', async () => {
    const res = await agent.post(URL, {
      targets: { firstResponseMinutes: 60, nextResponseMinutes: 30, resolutionMinutes: 240 },
      events: [
        { at: '2026-03-09T09:00:00-06:00', type: 'created' },
        { at: '2026-03-09T09:10:00-06:00', type: 'agent_reply' },
        { at: '2026-03-09T09:20:00-06:00', type: 'customer_reply' },
      ],
      now: '2026-03-09T09:35:59-06:00',
    })
    assert.equal(res.statusCode, 200, res.body)
    assert.deepEqual(res.json(), {
      firstResponse: { state: 'met', dueAt: '2026-03-09T10:00:00-06:00', metAt: '2026-03-09T09:10:00-06:00', breachedAt: null, elapsedMinutes: 10, remainingMinutes: 50 },
      nextResponse: { state: 'running', dueAt: '2026-03-09T09:50:00-06:00', metAt: null, breachedAt: null, elapsedMinutes: 15, remainingMinutes: 14 },
      resolution: { state: 'running', dueAt: '2026-03-09T13:00:00-06:00', metAt: null, breachedAt: null, elapsedMinutes: 35, remainingMinutes: 204 },
    })
    const none = await agent.post(URL, { targets: { firstResponseMinutes: 60, nextResponseMinutes: 30, resolutionMinutes: 240 }, events: body.events.slice(0, 1), now: body.now })
    assert.equal(none.json().nextResponse, null)
    assert.equal('nextResponse' in (await agent.post(URL, body)).json(), false)
  })

  it('uses the server clock when now is omitted', async () => {
    env.clock.set(new Date('2026-03-09T10:00:00-06:00'))
    const res = await agent.post(URL, { ...body, events: body.events.slice(0, 1), now: undefined })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().firstResponse.state, 'breached')
    assert.equal(res.json().firstResponse.elapsedMinutes, 90)
  })

  it('knows the built-in "Operador móvil (MVNO)" policies by id', async () => {
    const res = await agent.post(URL, { policyId: 'mvno-payment-adjustments-sla', priority: 'high', events: body.events.slice(0, 1), now: body.now })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().firstResponse.dueAt, '2026-03-09T09:30:00-06:00')
    assert.equal(res.json().resolution.dueAt, '2026-03-09T12:30:00-06:00')
  })

  it('rejects bad input with a 400 naming the field, in Spanish or English', async () => {
    await assertBadInput(agent, 'POST', URL, { ...body, calendar: { timezone: 'America/Ciudad_Gotica', hours: { mon: [['09:00', '17:00']] } } },
      /«calendar\.timezone»: Zona horaria desconocida/, /«calendar\.timezone»: Unknown time zone/)
    await assertBadInput(agent, 'POST', URL, { ...body, calendar: { timezone: 'UTC', hours: { mon: [['09:00', '14:00'], ['13:00', '18:00']] } } },
      /calendar\.hours\.mon\[1\].*se encima/, /calendar\.hours\.mon\[1\].*overlaps/)
    await assertBadInput(agent, 'POST', URL, { ...body, events: [body.events[0], body.events[2], body.events[1]] },
      /events\[2\]\.at.*orden cronológico/, /events\[2\]\.at.*chronological order/)
    await assertBadInput(agent, 'POST', URL, { ...body, targets: { firstResponseMinutes: 0, resolutionMinutes: 240 } },
      /firstResponseMinutes/, /firstResponseMinutes/)
    await assertBadInput(agent, 'POST', URL, { ...body, events: [body.events[0], { ...body.events[2], status: 'waiting' }] },
      /events\.1\.status|events\[1\]\.status/, /events\.1\.status|events\[1\]\.status/)
    await assertBadInput(agent, 'POST', URL, { ...body, targets: { firstResponseMinutes: 60, resolutionMinutes: 240, nextResponseMinutes: -5 } },
      /nextResponseMinutes/, /nextResponseMinutes/)
    await assertBadInput(agent, 'POST', URL, { ...body, resolutionStart: 'whenever' }, /resolutionStart/, /resolutionStart/)
    await assertBadInput(agent, 'POST', URL, { ...body, events: [body.events[0], { at: 'ayer', type: 'agent_reply' }] }, /events.*1.*at/, /events.*1.*at/)
    await assertBadInput(agent, 'POST', URL, { ...body, events: [{ ...body.events[0], type: 'opened' }] }, /events.*0.*type/, /events.*0.*type/)
    const res = await agent.post(URL, { ...body, now: '2026-03-01T00:00:00-06:00' })
    assert.equal(res.statusCode, 400)
    assert.deepEqual(res.json().error.details, [{ field: 'now', rule: 'sla.now_before_events', message: '«now» es anterior al último evento.' }])
  })
})
