import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { inTransaction } from '../../platform/db/database'
import { notifyAccessChanged } from '../../platform/realtime/realtime'
import { createOrganization, createTeam, createTestEnv, createUser, loginAs, type Client, type TestEnv, type TestUser } from '../../../test/harness'
import { countStatements } from '../../../test/statements'
import { buildTicket, createApiToken } from '../tickets/test-support/ticket-factories'
import { baseUrlOf, openStream, waitFor, type OpenStream } from './test-support/open-stream'

const comments = (s: OpenStream, ticketId: string) => s.changes.filter((e) => e.type === 'comment.added' && e.ticketId === ticketId).length

describe('GET /api/v1/events/stream follows its session', () => {
  let env: TestEnv
  let base: string
  let agent: Client
  let admin: Client
  let orgId: string
  let colleague: TestUser
  let orgTicket: string
  /** Comments on the ticket of the manager's colleague: an event only the org manager (and staff) may receive. */
  const comment = async (ticketId = orgTicket) => assert.equal((await agent.post(`/api/v1/tickets/${ticketId}/comments`, { body: 'Seguimos revisando' })).statusCode, 201)
  /** POSTs with the stream's own session (cookie + CSRF), as the browser that opened it would. */
  const asStream = (s: OpenStream, method: string, url: string) =>
    env.app.inject({ method: method as 'POST', url, headers: { cookie: s.cookie!, 'x-csrf-token': s.csrf! }, payload: {} })
  const openManagerStream = async () => {
    const manager = await createUser(env.ctx, { role: 'customer', organizationId: orgId, orgManager: true })
    const stream = await openStream(base, manager)
    await comment()
    assert.ok(await waitFor(() => comments(stream, orgTicket) === 1), 'the manager receives the organization ticket while signed in')
    return { manager, stream }
  }

  before(async () => {
    env = await createTestEnv({ listen: true })
    env.ctx.realtime.setRevalidateInterval(100)
    base = baseUrlOf(env.app)
    const agentUser = await createUser(env.ctx, { role: 'agent' })
    agent = await loginAs(env.app, agentUser)
    admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    orgId = await createOrganization(env.ctx, 'Ferretería del Norte', { sharesTickets: true })
    colleague = await createUser(env.ctx, { role: 'customer', organizationId: orgId })
    orgTicket = (await buildTicket(env.ctx, agentUser.id, { requesterId: colleague.id })).id
  })
  after(async () => { await env.close() })

  it('closes the stream on logout-all and delivers nothing after it', async () => {
    const { stream } = await openManagerStream()
    assert.equal((await asStream(stream, 'POST', '/api/v1/auth/logout-all')).statusCode, 200)
    assert.equal((await env.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: stream.cookie! } })).statusCode, 401)
    assert.ok(await waitFor(() => stream.ended, 2000), 'the server closed the stream')
    await comment()
    await new Promise((r) => setTimeout(r, 300))
    assert.equal(comments(stream, orgTicket), 1, 'no event after the session ended')
  })

  it('closes the stream on logout of its session and when the session expires', async () => {
    const first = await openManagerStream()
    assert.equal((await asStream(first.stream, 'POST', '/api/v1/auth/logout')).statusCode, 200)
    assert.ok(await waitFor(() => first.stream.ended, 2000), 'closed after logout')
    const second = await openManagerStream()
    await sql`update sessions set expires_at = now() - interval '1 minute' where user_id = ${second.manager.id}`.execute(env.ctx.db)
    assert.ok(await waitFor(() => second.stream.ended, 2000), 'closed after expiry')
  })

  it('closes the stream when an admin deactivates the user', async () => {
    const { manager, stream } = await openManagerStream()
    assert.equal((await admin.patch(`/api/v1/users/${manager.id}`, { active: false })).statusCode, 200)
    assert.ok(await waitFor(() => stream.ended, 2000), 'the server closed the stream')
    await comment()
    await new Promise((r) => setTimeout(r, 300))
    assert.equal(comments(stream, orgTicket), 1)
  })

  it('closes a stream opened with an API token when the token is revoked', async () => {
    const owner = await createUser(env.ctx, { role: 'agent' })
    const { token, id } = await createApiToken(env.ctx, owner.id, ['tickets:read'])
    const stream = await openStream(base, { bearer: token })
    await comment()
    assert.ok(await waitFor(() => comments(stream, orgTicket) === 1))
    assert.equal((await (await loginAs(env.app, owner)).delete(`/api/v1/api-tokens/${id}`)).statusCode, 204)
    assert.ok(await waitFor(() => stream.ended, 2000), 'the server closed the stream')
  })

  it('keeps the stream open and filters with the user as they are now (organization manager flag, teams)', async () => {
    const { manager, stream } = await openManagerStream()
    assert.equal((await admin.patch(`/api/v1/users/${manager.id}`, { orgManager: false })).statusCode, 200)
    await env.ctx.realtime.revalidate()
    await comment()
    const own = (await buildTicket(env.ctx, (await createUser(env.ctx, { role: 'agent' })).id, { requesterId: manager.id })).id
    await comment(own)
    assert.ok(await waitFor(() => comments(stream, own) === 1), 'still receives their own tickets')
    assert.equal(comments(stream, orgTicket), 1, 'no longer receives the organization ticket')
    assert.equal(stream.ended, false)

    const teamA = await createTeam(env.ctx)
    const teamB = await createTeam(env.ctx)
    const restricted = await createUser(env.ctx, { role: 'agent', ticketScope: 'teams', teamIds: [teamA] })
    const teamTicket = (await buildTicket(env.ctx, restricted.id, { requesterId: colleague.id, teamId: teamB })).id
    const agentStream = await openStream(base, restricted)
    await comment(teamTicket)
    await new Promise((r) => setTimeout(r, 300))
    assert.equal(comments(agentStream, teamTicket), 0, 'not their team yet')
    assert.equal((await admin.patch(`/api/v1/users/${restricted.id}`, { teamIds: [teamA, teamB] })).statusCode, 200)
    await env.ctx.realtime.revalidate()
    await comment(teamTicket)
    assert.ok(await waitFor(() => comments(agentStream, teamTicket) === 1), 'receives the team ticket once they join the team')
    stream.close()
    agentStream.close()
  })

  it('re-checks every open stream at once on a NOTIFY to atiende_access, in one statement', async () => {
    env.ctx.realtime.setRevalidateInterval(60_000)
    try {
      const others = await Promise.all(Array.from({ length: 4 }, async () => openStream(base, await createUser(env.ctx, { role: 'agent' }))))
      const { manager, stream } = await openManagerStream()
      // Ends the session the way logout-all does, without waiting for the interval.
      await sql`delete from sessions where user_id = ${manager.id}`.execute(env.ctx.db)
      const counted = countStatements(env, /from sessions s where s\.id = any/)
      await inTransaction(env.ctx.db, (trx) => notifyAccessChanged(trx))
      assert.ok(await waitFor(() => stream.ended, 1000), 'closed at once, long before the interval')
      assert.equal(counted.stop(), 1, 'one statement for every open stream')
      assert.ok(others.every((o) => !o.ended), 'the other streams stay open')
      for (const o of others) o.close()
    } finally {
      env.ctx.realtime.setRevalidateInterval(100)
    }
  })
})
