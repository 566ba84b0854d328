import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { anonymous, createTeam, createTestEnv, createUser, loginAs, type Client, type TestEnv, type TestUser } from '../../../test/harness'
import { buildTicket } from '../tickets/test-support/ticket-factories'
import { baseUrlOf, openStream, waitFor } from './test-support/open-stream'

describe('POST /api/v1/presence', () => {
  let env: TestEnv
  let sender: Client
  let senderUser: TestUser
  let restricted: TestUser
  let customer: TestUser
  let teamA: string
  let teamB: string
  let ticketId: string

  before(async () => {
    env = await createTestEnv({ listen: true })
    teamA = await createTeam(env.ctx)
    teamB = await createTeam(env.ctx)
    senderUser = await createUser(env.ctx, { role: 'agent', name: 'Laura Méndez', ticketScope: 'teams', teamIds: [teamB] })
    sender = await loginAs(env.app, senderUser)
    restricted = await createUser(env.ctx, { role: 'agent', ticketScope: 'teams', teamIds: [teamA] })
    customer = await createUser(env.ctx, { role: 'customer' })
    ticketId = (await buildTicket(env.ctx, senderUser.id, { requesterId: customer.id, teamId: teamB })).id
  })
  after(async () => { await env.close() })

  it('answers 401 to anonymous callers, 403 to customers and 400 to bad input, in Spanish', async () => {
    assert.equal((await anonymous(env.app).post('/api/v1/presence', { ticketId, activity: 'viewing' })).statusCode, 401)
    assert.equal((await (await loginAs(env.app, customer)).post('/api/v1/presence', { ticketId, activity: 'viewing' })).statusCode, 403)
    const bad = await sender.post('/api/v1/presence', { ticketId, activity: 'bailando' })
    assert.equal(bad.statusCode, 400)
    assert.match(bad.json().error.message, /activity/)
    assert.equal(bad.json().error.code, 'validation_failed')
  })

  it('answers 404 for a ticket the caller may not see, and for one that does not exist', async () => {
    const outsider = await loginAs(env.app, restricted)
    const hidden = await outsider.post('/api/v1/presence', { ticketId, activity: 'replying' })
    assert.equal(hidden.statusCode, 404)
    assert.equal(hidden.json().error.message, 'No se encontró el ticket.')
    assert.equal((await sender.post('/api/v1/presence', { ticketId: '00000000-0000-4000-8000-000000000000', activity: 'viewing' })).statusCode, 404)
  })

  it('reaches only the streams of staff who may see the ticket, and follows a change of their teams', async () => {
    const base = baseUrlOf(env.app)
    const supervisor = await openStream(base, await createUser(env.ctx, { role: 'supervisor' }))
    const teammate = await openStream(base, await createUser(env.ctx, { role: 'agent', ticketScope: 'teams', teamIds: [teamB] }))
    const outsider = await openStream(base, restricted)
    const requester = await openStream(base, customer)
    const res = await sender.post('/api/v1/presence', { ticketId, activity: 'replying' })
    assert.equal(res.statusCode, 200)
    assert.ok(await waitFor(() => supervisor.presence.length === 1 && teammate.presence.length === 1), 'staff who see the ticket get it')
    const { at, ...rest } = teammate.presence[0]
    assert.deepEqual(rest, { ticketId, userId: senderUser.id, name: 'Laura Méndez', activity: 'replying' }, 'no ticket facts are sent on')
    assert.equal(typeof at, 'string')
    await new Promise((r) => setTimeout(r, 300))
    assert.equal(outsider.presence.length, 0, 'an agent of another team gets nothing')
    assert.equal(requester.presence.length, 0, 'customers never get staff presence')

    const admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    assert.equal((await admin.patch(`/api/v1/users/${restricted.id}`, { teamIds: [teamA, teamB] })).statusCode, 200)
    await env.ctx.realtime.revalidate()
    assert.equal((await sender.post('/api/v1/presence', { ticketId, activity: 'left' })).statusCode, 200)
    assert.ok(await waitFor(() => outsider.presence.length === 1), 'once in the team, the open stream gets it')
    for (const s of [supervisor, teammate, outsider, requester]) s.close()
  })
})
