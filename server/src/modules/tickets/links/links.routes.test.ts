import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { anonymous, createTestEnv, createUser, loginAs, type Client, type TestEnv, type TestUser } from '../../../../test/harness'
import { buildTicket } from '../attachments/test-factories'

describe('ticket links', () => {
  let env: TestEnv
  let customer: TestUser
  let agent: TestUser
  let asCustomer: Client
  let asAgent: Client
  const ticket = () => buildTicket(env.ctx, customer.id)
  const link = (from: string, type: string, to: { id: string }, client = asAgent, headers: Record<string, string> = {}) =>
    client.post(`/api/v1/tickets/${from}/links`, { type, ticketId: to.id }, headers)

  before(async () => {
    env = await createTestEnv()
    customer = await createUser(env.ctx, { role: 'customer' })
    agent = await createUser(env.ctx, { role: 'agent' })
    asCustomer = await loginAs(env.app, customer)
    asAgent = await loginAs(env.app, agent)
  })
  after(async () => { await env.close() })

  describe('POST /api/v1/tickets/:id/links', () => {
    it('refuses anonymous callers and customers', async () => {
      const [a, b] = [await ticket(), await ticket()]
      assert.equal((await link(a.id, 'related', b, anonymous(env.app))).statusCode, 401)
      assert.equal((await link(a.id, 'related', b, asCustomer)).statusCode, 403)
    })

    it('links a parent and a child and shows the link from both sides', async () => {
      const [parent, child] = [await ticket(), await ticket()]
      const res = await link(child.id, 'parent', parent)
      assert.equal(res.statusCode, 201, res.body)
      assert.equal(res.json().type, 'parent')
      assert.equal(res.json().ticket.number, parent.number)
      const fromParent = (await asAgent.get(`/api/v1/tickets/${parent.id}/links`)).json().items
      assert.deepEqual(fromParent.map((l: { type: string; ticket: { id: string } }) => [l.type, l.ticket.id]), [['child', child.id]])
      const history = await sql<{ ticket_id: string; new_value: { type: string } }>`
        select ticket_id, new_value from ticket_history where action = 'link_added' and ticket_id in (${parent.id}, ${child.id})`.execute(env.ctx.db)
      assert.deepEqual(history.rows.map((r) => [r.ticket_id, r.new_value.type]).sort(), [[child.id, 'parent'], [parent.id, 'child']].sort())
      const events = await sql<{ ticket_id: string }>`select ticket_id from events where type = 'ticket.linked' and ticket_id in (${parent.id}, ${child.id})`.execute(env.ctx.db)
      assert.equal(events.rows.length, 2)
    })

    it('links by ticket number', async () => {
      const [a, b] = [await ticket(), await ticket()]
      const res = await asAgent.post(`/api/v1/tickets/${a.id}/links`, { type: 'related', number: b.number })
      assert.equal(res.statusCode, 201)
      assert.equal(res.json().ticket.id, b.id)
    })

    it('refuses a link to itself, in Spanish', async () => {
      const a = await ticket()
      const res = await link(a.id, 'related', a)
      assert.equal(res.statusCode, 400)
      assert.equal(res.json().error.message, 'Un ticket no puede vincularse consigo mismo.')
    })

    it('refuses a parent/child cycle and a second parent', async () => {
      const [a, b, c, d] = [await ticket(), await ticket(), await ticket(), await ticket()]
      assert.equal((await link(a.id, 'child', b)).statusCode, 201)
      assert.equal((await link(b.id, 'child', c)).statusCode, 201)
      const cycle = await link(c.id, 'child', a)
      assert.equal(cycle.statusCode, 409)
      assert.equal(cycle.json().error.code, 'link_cycle')
      assert.match(cycle.json().error.message, new RegExp(`#${a.number} ya es su ancestro`))
      const reverse = await link(b.id, 'child', a, asAgent, { 'accept-language': 'en' })
      assert.equal(reverse.statusCode, 409)
      assert.equal(reverse.json().error.code, 'link_exists')
      const second = await link(c.id, 'parent', d)
      assert.equal(second.statusCode, 409)
      assert.equal(second.json().error.code, 'link_parent_exists')
      const n = await sql<{ n: number }>`select count(*)::int as n from ticket_links where source_id in (${a.id}, ${b.id}, ${c.id}, ${d.id})`.execute(env.ctx.db)
      assert.equal(n.rows[0].n, 2)
    })

    it('refuses a duplicate chain that loops and a second original', async () => {
      const [x, y, z] = [await ticket(), await ticket(), await ticket()]
      assert.equal((await link(x.id, 'duplicate_of', y)).statusCode, 201)
      assert.equal((await link(y.id, 'duplicate_of', z)).statusCode, 201)
      const loop = await link(z.id, 'duplicate_of', x)
      assert.equal(loop.statusCode, 409)
      assert.equal(loop.json().error.code, 'link_cycle')
      const again = await link(x.id, 'duplicate_of', z)
      assert.equal(again.statusCode, 409)
      assert.equal(again.json().error.code, 'link_duplicate_exists')
      const seen = (await asAgent.get(`/api/v1/tickets/${y.id}/links`)).json().items.map((l: { type: string }) => l.type).sort()
      assert.deepEqual(seen, ['duplicate_of', 'duplicated_by'])
    })

    it('answers 404 for a ticket the agent may not see', async () => {
      const restricted = await createUser(env.ctx, { role: 'agent', ticketScope: 'assigned' })
      const asRestricted = await loginAs(env.app, restricted)
      const mine = await buildTicket(env.ctx, agent.id, { requesterId: customer.id, assigneeId: restricted.id })
      const hidden = await ticket()
      assert.equal((await link(mine.id, 'related', hidden, asRestricted)).statusCode, 404)
      assert.equal((await link(hidden.id, 'related', mine, asRestricted)).statusCode, 404)
    })

    it('never names to a restricted agent a ticket they may not see: conflicts, history, broadcasts', async () => {
      const restricted = await createUser(env.ctx, { role: 'agent', ticketScope: 'assigned' })
      const asRestricted = await loginAs(env.app, restricted)
      const mine = (input = {}) => buildTicket(env.ctx, agent.id, { requesterId: customer.id, assigneeId: restricted.id, ...input })
      const [child, other, dup, original] = [await mine(), await mine(), await mine(), await mine()]
      const [hiddenParent, hiddenOriginal] = [await ticket(), await ticket()]
      assert.equal((await link(child.id, 'parent', hiddenParent)).statusCode, 201)
      assert.equal((await link(dup.id, 'duplicate_of', hiddenOriginal)).statusCode, 201)

      const parentTaken = await link(child.id, 'parent', other, asRestricted)
      assert.equal(parentTaken.statusCode, 409)
      assert.equal(parentTaken.json().error.message, `El ticket #${child.number} ya tiene un ticket padre.`)
      const dupTaken = await link(dup.id, 'duplicate_of', original, asRestricted, { 'accept-language': 'en' })
      assert.equal(dupTaken.statusCode, 409)
      assert.equal(dupTaken.json().error.message, `Ticket #${dup.number} is already marked as a duplicate of another ticket.`)
      assert.match((await link(child.id, 'parent', other)).json().error.message, new RegExp(`\\(#${hiddenParent.number}\\)`), 'who sees it is told which')

      const history = JSON.stringify((await asRestricted.get(`/api/v1/tickets/${child.id}/history`)).json().items)
      assert.ok(!history.includes(hiddenParent.id) && !history.includes(String(hiddenParent.number)), history)
      assert.ok(JSON.stringify((await asAgent.get(`/api/v1/tickets/${child.id}/history`)).json().items).includes(hiddenParent.id))

      const outage = await mine()
      assert.equal((await link(outage.id, 'child', other)).statusCode, 201)
      const hiddenChild = await ticket()
      assert.equal((await link(outage.id, 'child', hiddenChild)).statusCode, 201)
      const sent = await asRestricted.post(`/api/v1/tickets/${outage.id}/broadcast`, { body: 'Servicio restablecido.' })
      assert.equal(sent.statusCode, 200, sent.body)
      assert.deepEqual(sent.json().posted.map((p: { ticketId: string }) => p.ticketId), [other.id])
      assert.equal(sent.json().unseenSkipped, 1)
      assert.ok(!sent.body.includes(hiddenChild.id) && !sent.body.includes(`"number":${hiddenChild.number}`), sent.body)
    })

    it('rejects an unknown link type with a validation error', async () => {
      const [a, b] = [await ticket(), await ticket()]
      const res = await asAgent.post(`/api/v1/tickets/${a.id}/links`, { type: 'sibling', ticketId: b.id })
      assert.equal(res.statusCode, 400)
      assert.equal(res.json().error.code, 'validation_failed')
    })
  })

  describe('GET and DELETE', () => {
    it('shows a customer only links to tickets they may see', async () => {
      const own = await ticket()
      const foreign = await buildTicket(env.ctx, (await createUser(env.ctx, { role: 'customer' })).id)
      const ownToo = await ticket()
      await link(own.id, 'related', foreign)
      await link(own.id, 'related', ownToo)
      const items = (await asCustomer.get(`/api/v1/tickets/${own.id}/links`)).json().items
      assert.deepEqual(items.map((l: { ticket: { id: string } }) => l.ticket.id), [ownToo.id])
      assert.equal(items[0].createdBy, null)
      assert.equal((await asCustomer.get(`/api/v1/tickets/${foreign.id}/links`)).statusCode, 404)
    })

    it('removes a link from both tickets and records it', async () => {
      const [a, b] = [await ticket(), await ticket()]
      const id = (await link(a.id, 'related', b)).json().id
      assert.equal((await asAgent.delete(`/api/v1/tickets/${b.id}/links/${id}`)).statusCode, 200)
      assert.deepEqual((await asAgent.get(`/api/v1/tickets/${a.id}/links`)).json().items, [])
      const removed = await sql<{ n: number }>`select count(*)::int as n from ticket_history where action = 'link_removed' and ticket_id in (${a.id}, ${b.id})`.execute(env.ctx.db)
      assert.equal(removed.rows[0].n, 2)
      assert.equal((await asAgent.delete(`/api/v1/tickets/${b.id}/links/${id}`)).statusCode, 404)
    })
  })
})
