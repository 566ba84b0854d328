import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { anonymous, createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../../test/harness'
import { actorForUser } from '../../../platform/auth/load-actor'
import { inTransaction } from '../../../platform/db/database'
import { buildTicket, eventsOf, historyOf } from '../test-support/ticket-factories'
import { closeResolvedTickets } from '../jobs/close-resolved-tickets.job'
import { addComment } from './add-comment'

const DAY = 86_400_000

describe('conversation and lifecycle', () => {
  let env: TestEnv
  let agent: Client
  let agentId: string
  let agentEmail: string
  let customer: Client
  let customerId: string
  let admin: Client
  before(async () => {
    env = await createTestEnv()
    const a = await createUser(env.ctx, { role: 'agent' })
    agentId = a.id
    agentEmail = a.email
    agent = await loginAs(env.app, a)
    const c = await createUser(env.ctx, { role: 'customer' })
    customerId = c.id
    customer = await loginAs(env.app, c)
    admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
  })
  after(async () => { await env.close() })

  describe('POST /api/v1/tickets/:id/comments', () => {
    it('refuses anonymous (401), strangers (404), customer notes (403) and empty bodies (400)', async () => {
      const t = await buildTicket(env.ctx, agentId, { requesterId: customerId })
      assert.equal((await anonymous(env.app).post(`/api/v1/tickets/${t.id}/comments`, { body: 'x' })).statusCode, 401)
      const stranger = await loginAs(env.app, await createUser(env.ctx, { role: 'customer' }))
      assert.equal((await stranger.post(`/api/v1/tickets/${t.id}/comments`, { body: 'x' })).statusCode, 404)
      assert.equal((await stranger.get(`/api/v1/tickets/${t.id}/comments`)).statusCode, 404)
      assert.equal((await customer.post(`/api/v1/tickets/${t.id}/comments`, { body: 'x', internal: true })).statusCode, 403)
      const empty = await customer.post(`/api/v1/tickets/${t.id}/comments`, { body: '   ' })
      assert.equal(empty.statusCode, 400)
      assert.equal(empty.json().error.message, 'El mensaje no puede estar vacío.')
      const en = await customer.post(`/api/v1/tickets/${t.id}/comments`, { body: '' }, { 'accept-language': 'en' })
      assert.equal(en.json().error.message, 'The message cannot be empty.')
      const wrong = await customer.post(`/api/v1/tickets/${t.id}/comments`, { body: 'x', internal: 'no' })
      assert.equal(wrong.statusCode, 400)
    })

    it('sanitises HTML and keeps a text version', async () => {
      const t = await buildTicket(env.ctx, agentId, { requesterId: customerId })
      const res = await agent.post(`/api/v1/tickets/${t.id}/comments`, { bodyHtml: '<p>Hola <b>Rosa</b><script>alert(1)</script><img src="https://tracker.example/x.gif"></p>' })
      assert.equal(res.statusCode, 201)
      const c = res.json().comment
      assert.equal(c.body, 'Hola Rosa')
      assert.doesNotMatch(c.bodyHtml, /script|tracker/)
      assert.match(c.bodyHtml, /<b>Rosa<\/b>/)
    })

    it("records the first response and moves a new ticket to open on the agent's first public reply", async () => {
      const t = await buildTicket(env.ctx, agentId, { requesterId: customerId })
      await agent.post(`/api/v1/tickets/${t.id}/comments`, { body: 'Revisando', internal: true })
      let detail = (await agent.get(`/api/v1/tickets/${t.id}`)).json()
      assert.equal(detail.status, 'new')
      assert.equal(detail.firstResponseAt, null)
      const res = await agent.post(`/api/v1/tickets/${t.id}/comments`, { body: 'Hola, ya lo revisamos' })
      assert.equal(res.statusCode, 201)
      detail = (await agent.get(`/api/v1/tickets/${t.id}`)).json()
      assert.equal(detail.status, 'open')
      assert.ok(detail.firstResponseAt)
      const ev = await eventsOf(env.ctx, t.id)
      const added = ev.filter((e) => e.type === 'comment.added')
      assert.deepEqual(added.map((e) => e.payload.internal), [true, false])
      assert.equal(added[1].payload.firstResponse, true)
      const h = (await historyOf(env.ctx, t.id)).filter((r) => r.action === 'comment_added')
      assert.deepEqual(h.map((r) => r.internal), [true, false])
    })

    it("moves pending back to open on the requester's reply", async () => {
      const t = await buildTicket(env.ctx, agentId, { requesterId: customerId })
      const ask = await agent.post(`/api/v1/tickets/${t.id}/comments`, { body: '¿Nos manda la captura?', status: { status: 'pending' } })
      assert.equal(ask.statusCode, 201)
      assert.equal((await agent.get(`/api/v1/tickets/${t.id}`)).json().status, 'pending')
      await customer.post(`/api/v1/tickets/${t.id}/comments`, { body: 'Aquí está la captura' })
      assert.equal((await agent.get(`/api/v1/tickets/${t.id}`)).json().status, 'open')
      const changes = (await eventsOf(env.ctx, t.id)).filter((e) => e.type === 'ticket.status_changed').map((e) => `${e.payload.from}>${e.payload.to}:${e.payload.by}`)
      assert.deepEqual(changes, ['new>pending:staff', 'pending>open:requester'])
    })

    it('notifies @mentioned agents with a comment.mentioned event and refuses to mention customers', async () => {
      const t = await buildTicket(env.ctx, agentId)
      const other = await createUser(env.ctx, { role: 'agent' })
      const res = await agent.post(`/api/v1/tickets/${t.id}/comments`, { body: `@${agentEmail} mira esto`, internal: true, mentions: [other.id] })
      assert.equal(res.statusCode, 201)
      const ev = (await eventsOf(env.ctx, t.id)).find((e) => e.type === 'comment.mentioned')!
      assert.deepEqual((ev.payload.mentionedUserIds as string[]).sort(), [agentId, other.id].sort())
      assert.equal(ev.payload.internal, true)
      const bad = await agent.post(`/api/v1/tickets/${t.id}/comments`, { body: 'x', mentions: [customerId] })
      assert.equal(bad.statusCode, 400)
    })

    it('adds a comment from one source id only once', async () => {
      const t = await buildTicket(env.ctx, agentId, { requesterId: customerId })
      const actor = (await actorForUser(env.ctx.db, customerId))!
      const first = await inTransaction(env.ctx.db, (trx) => addComment(trx, { actor, now: env.ctx.now(), via: 'email' }, t.id, { body: 'Hola', channel: 'email', externalId: '<m1@mail>' }))
      const again = await inTransaction(env.ctx.db, (trx) => addComment(trx, { actor, now: env.ctx.now(), via: 'email' }, t.id, { body: 'Hola', channel: 'email', externalId: '<m1@mail>' }))
      assert.equal(again.commentId, first.commentId)
      assert.equal(again.duplicate, true)
      const n = await sql<{ n: number }>`select count(*)::int as n from comments where ticket_id = ${t.id}`.execute(env.ctx.db)
      assert.equal(n.rows[0].n, 1)
      assert.equal((await historyOf(env.ctx, t.id)).find((h) => h.action === 'comment_added')!.via, 'email')
    })
  })

  describe('resolved, reopen window and closing', () => {
    it('lets the requester reopen within the window, and refuses after it', async () => {
      const t = await buildTicket(env.ctx, agentId, { requesterId: customerId, status: 'resolved' })
      const detail = (await customer.get(`/api/v1/tickets/${t.id}`)).json()
      assert.equal(detail.abilities.reopen, true)
      assert.deepEqual([...detail.allowedStatuses].sort(), ['closed', 'open'])
      const ok = await customer.patch(`/api/v1/tickets/${t.id}`, { status: 'open' })
      assert.equal(ok.statusCode, 200)
      assert.equal(ok.json().status, 'open')
      assert.equal(ok.json().resolvedAt, null)
      const back = await agent.patch(`/api/v1/tickets/${t.id}`, { status: 'resolved' })
      assert.equal(back.json().reopenCount, 1)
      env.clock.advance(8 * DAY)
      const late = await customer.patch(`/api/v1/tickets/${t.id}`, { status: 'open' })
      assert.equal(late.statusCode, 409)
      assert.equal(late.json().error.message, 'El plazo para reabrir el ticket (7 días desde su resolución) ya venció.')
      const customerResolve = await customer.patch(`/api/v1/tickets/${t.id}`, { priority: 'low' })
      assert.equal(customerResolve.statusCode, 403)
    })

    it('closes resolved tickets after the window with the durable job, honouring the setting', async () => {
      const set = await admin.patch('/api/v1/ticket-settings', { reopenWindowDays: 3 })
      assert.equal(set.statusCode, 200)
      assert.equal(set.json().reopenWindowDays, 3)
      assert.equal((await agent.patch('/api/v1/ticket-settings', { reopenWindowDays: 1 })).statusCode, 403)
      const old = await buildTicket(env.ctx, agentId, { status: 'resolved' })
      env.clock.advance(2 * DAY)
      const recent = await buildTicket(env.ctx, agentId, { status: 'resolved' })
      env.clock.advance(1 * DAY + 60_000)
      await closeResolvedTickets(env.ctx)
      assert.equal((await agent.get(`/api/v1/tickets/${old.id}`)).json().status, 'closed')
      assert.ok((await agent.get(`/api/v1/tickets/${old.id}`)).json().closedAt)
      assert.equal((await agent.get(`/api/v1/tickets/${recent.id}`)).json().status, 'resolved')
      const h = (await historyOf(env.ctx, old.id)).at(-1)!
      assert.equal(h.via, 'system')
      assert.equal(h.actor_id, null)
      // the scheduled job does the same through the queue
      env.clock.advance(3 * DAY)
      await sql`insert into jobs (name, payload, run_at) values ('closeResolvedTickets', '{}', ${env.ctx.now()})`.execute(env.ctx.db)
      await env.drainJobs()
      assert.equal((await agent.get(`/api/v1/tickets/${recent.id}`)).json().status, 'closed')
      await admin.patch('/api/v1/ticket-settings', { reopenWindowDays: 7 })
    })

    it('opens a linked follow-up when someone replies to a closed ticket; internal notes are refused', async () => {
      const t = await buildTicket(env.ctx, agentId, { requesterId: customerId, status: 'resolved' })
      await customer.patch(`/api/v1/tickets/${t.id}`, { status: 'closed' })
      const note = await agent.post(`/api/v1/tickets/${t.id}/comments`, { body: 'nota', internal: true })
      assert.equal(note.statusCode, 409)
      assert.equal(note.json().error.code, 'ticket_final')
      const res = await customer.post(`/api/v1/tickets/${t.id}/comments`, { body: 'Volvió a fallar' })
      assert.equal(res.statusCode, 201)
      assert.equal(res.json().comment, null)
      const follow = res.json().followUpTicket
      assert.ok(follow.number > t.number)
      const f = (await customer.get(`/api/v1/tickets/${follow.id}`)).json()
      assert.equal(f.followUpOfId, t.id)
      assert.equal(f.description, 'Volvió a fallar')
      assert.equal(f.requester.id, customerId)
      assert.equal((await agent.get(`/api/v1/tickets/${t.id}`)).json().status, 'closed')
      const listed = (await agent.get(`/api/v1/tickets?followUpOfId=${t.id}`)).json().items
      assert.deepEqual(listed.map((i: { id: string }) => i.id), [follow.id])
    })

    it("an agent's reply to a closed ticket is the follow-up's first public reply, not the requester's request", async () => {
      const t = await buildTicket(env.ctx, agentId, { requesterId: customerId, status: 'resolved', subject: 'Recarga no aplicada' })
      await customer.patch(`/api/v1/tickets/${t.id}`, { status: 'closed' })
      const res = await agent.post(`/api/v1/tickets/${t.id}/comments`, { body: '¿Ya aparece su saldo?', status: { status: 'pending' } })
      assert.equal(res.statusCode, 201, res.body)
      const follow = res.json().followUpTicket
      assert.equal(res.json().comment.body, '¿Ya aparece su saldo?')
      const f = (await agent.get(`/api/v1/tickets/${follow.id}`)).json()
      assert.equal(f.description, `Seguimiento del ticket #${t.number} «Recarga no aplicada», que ya estaba cerrado.`)
      assert.equal(f.status, 'pending', 'the reply took its status change with it')
      assert.ok(f.firstResponseAt, 'the first response is the agent\'s')
      const comments = (await customer.get(`/api/v1/tickets/${follow.id}/comments`)).json().items
      assert.deepEqual(comments.map((c: { body: string; author: { id: string } | null }) => [c.body, c.author?.id]), [['¿Ya aparece su saldo?', agentId]])
    })

    it('closes a resolved ticket past its window when the requester replies, and follows up', async () => {
      const t = await buildTicket(env.ctx, agentId, { requesterId: customerId, status: 'resolved' })
      env.clock.advance(8 * DAY)
      const res = await customer.post(`/api/v1/tickets/${t.id}/comments`, { body: 'Sigue igual' })
      assert.equal(res.statusCode, 201)
      assert.ok(res.json().followUpTicket)
      assert.equal((await agent.get(`/api/v1/tickets/${t.id}`)).json().status, 'closed')
    })

    it('reopens a resolved ticket when the requester replies within the window', async () => {
      const t = await buildTicket(env.ctx, agentId, { requesterId: customerId, status: 'resolved' })
      await customer.post(`/api/v1/tickets/${t.id}/comments`, { body: 'No quedó' })
      assert.equal((await agent.get(`/api/v1/tickets/${t.id}`)).json().status, 'open')
    })
  })

  describe('GET /api/v1/tickets/:id/history', () => {
    it('lists who changed what, through which channel, for staff; 401/404 otherwise', async () => {
      const t = await buildTicket(env.ctx, agentId, { requesterId: customerId })
      await agent.patch(`/api/v1/tickets/${t.id}`, { priority: 'high' })
      assert.equal((await anonymous(env.app).get(`/api/v1/tickets/${t.id}/history`)).statusCode, 401)
      const stranger = await loginAs(env.app, await createUser(env.ctx, { role: 'customer' }))
      assert.equal((await stranger.get(`/api/v1/tickets/${t.id}/history`)).statusCode, 404)
      const res = await agent.get(`/api/v1/tickets/${t.id}/history`)
      assert.equal(res.statusCode, 200)
      const items = res.json().items
      assert.deepEqual(items.map((i: { action: string }) => i.action), ['created', 'field_changed'])
      assert.equal(items[1].actor.id, agentId)
      assert.equal(items[1].via, 'web')
      assert.equal(items[1].oldValue, 'normal')
      assert.equal(items[1].newValue, 'high')
      const page = await agent.get(`/api/v1/tickets/${t.id}/history?limit=1`)
      assert.ok(page.json().nextCursor)
      const next = await agent.get(`/api/v1/tickets/${t.id}/history?limit=1&cursor=${page.json().nextCursor}`)
      assert.equal(next.json().items[0].action, 'field_changed')
    })

    it('is append-only in the database', async () => {
      await assert.rejects(sql`update ticket_history set action = 'x'`.execute(env.ctx.db))
      await assert.rejects(sql`delete from ticket_history`.execute(env.ctx.db))
    })
  })
})
