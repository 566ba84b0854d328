import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../test/harness'
import { actorForUser } from '../../platform/auth/load-actor'
import type { Actor } from '../../platform/auth/actor'
import type { ClientEvent } from '../../platform/realtime/realtime'
import { buildTicket } from './test-support/ticket-factories'

const SECRET = 'contraseñaSecretaDelProveedor'

/** Waits until `check` holds (events arrive after COMMIT through LISTEN/NOTIFY). */
async function eventually(check: () => boolean, ms = 3000) {
  const until = Date.now() + ms
  while (!check() && Date.now() < until) await new Promise((r) => setTimeout(r, 25))
}

describe('internal notes never reach a customer', () => {
  let env: TestEnv
  let agent: Client
  let customer: Client
  let customerActor: Actor
  let agentActor: Actor
  let ticketId: string
  let ticketNumber: number
  const customerEvents: ClientEvent[] = []
  const agentEvents: ClientEvent[] = []

  before(async () => {
    env = await createTestEnv()
    const a = await createUser(env.ctx, { role: 'agent' })
    const c = await createUser(env.ctx, { role: 'customer' })
    agent = await loginAs(env.app, a)
    customer = await loginAs(env.app, c)
    customerActor = (await actorForUser(env.ctx.db, c.id))!
    agentActor = (await actorForUser(env.ctx.db, a.id))!
    env.ctx.realtime.subscribe(customerActor, (e) => customerEvents.push(e))
    env.ctx.realtime.subscribe(agentActor, (e) => agentEvents.push(e))
    // An agent-only custom field holds something only staff may read; a customer-visible one does not.
    const admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    assert.equal((await admin.post('/api/v1/custom-fields', { key: 'clave_proveedor', labelEs: 'Clave del proveedor', labelEn: 'Provider key', kind: 'text' })).statusCode, 201)
    assert.equal((await admin.post('/api/v1/custom-fields', { key: 'folio_cliente', labelEs: 'Folio del cliente', labelEn: 'Customer folio', kind: 'text', customerVisible: true })).statusCode, 201)
    const t = await buildTicket(env.ctx, a.id, {
      requesterId: c.id, subject: 'Falla de facturación', description: 'No llega la factura',
      customFields: { clave_proveedor: `${SECRET}-cf`, folio_cliente: 'F-100' },
    })
    ticketId = t.id
    ticketNumber = t.number
    const note = await agent.post(`/api/v1/tickets/${ticketId}/comments`, { body: `Nota interna: la clave es ${SECRET}`, internal: true })
    assert.equal(note.statusCode, 201)
    const reply = await agent.post(`/api/v1/tickets/${ticketId}/comments`, { body: 'Estamos revisando su factura' })
    assert.equal(reply.statusCode, 201)
    await eventually(() => agentEvents.filter((e) => e.type === 'comment.added').length >= 2)
  })
  after(async () => { await env.close() })

  it('not in the comments of the ticket', async () => {
    const res = await customer.get(`/api/v1/tickets/${ticketId}/comments`)
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().items.length, 1)
    assert.doesNotMatch(res.body, new RegExp(SECRET))
    const staff = await agent.get(`/api/v1/tickets/${ticketId}/comments`)
    assert.equal(staff.json().items.length, 2)
    assert.match(staff.body, new RegExp(SECRET))
  })

  it('not in the ticket detail nor the list', async () => {
    const detail = await customer.get(`/api/v1/tickets/${ticketId}`)
    assert.doesNotMatch(detail.body, new RegExp(SECRET))
    const list = await customer.get('/api/v1/tickets')
    assert.equal(list.json().items.length, 1)
    assert.doesNotMatch(list.body, new RegExp(SECRET))
  })

  it('agent-only custom fields not in the detail nor the list (staff get them in both)', async () => {
    const list = await customer.get('/api/v1/tickets')
    assert.deepEqual(list.json().items[0].customFields, { folio_cliente: 'F-100' })
    assert.doesNotMatch(list.body, /clave_proveedor/)
    const found = await customer.get(`/api/v1/tickets?q=${ticketNumber}`)
    assert.deepEqual(found.json().items[0].customFields, { folio_cliente: 'F-100' })
    assert.doesNotMatch(found.body, /clave_proveedor/)
    assert.deepEqual((await customer.get(`/api/v1/tickets/${ticketId}`)).json().customFields, { folio_cliente: 'F-100' })
    const staff = await agent.get('/api/v1/tickets')
    assert.deepEqual(staff.json().items[0].customFields, { clave_proveedor: `${SECRET}-cf`, folio_cliente: 'F-100' })
  })

  it('not through search: the note text finds the ticket for staff only, and snippets come from what the viewer may see', async () => {
    const staff = await agent.get(`/api/v1/tickets?q=${encodeURIComponent(SECRET)}`)
    assert.deepEqual(staff.json().items.map((i: { id: string }) => i.id), [ticketId])
    assert.match(staff.json().items[0].snippet, /<mark>/)
    const cust = await customer.get(`/api/v1/tickets?q=${encodeURIComponent(SECRET)}`)
    assert.equal(cust.statusCode, 200)
    assert.deepEqual(cust.json().items, [])
    const byNumber = await customer.get(`/api/v1/tickets?q=${ticketNumber}`)
    assert.equal(byNumber.json().exactMatch.id, ticketId)
    assert.doesNotMatch(byNumber.body, new RegExp(SECRET))
    const reply = await customer.get(`/api/v1/tickets?q=${encodeURIComponent('revisando')}`)
    assert.equal(reply.json().items.length, 1)
    assert.doesNotMatch(reply.body, new RegExp(SECRET))
  })

  it('not in the history', async () => {
    const cust = (await customer.get(`/api/v1/tickets/${ticketId}/history`)).json().items
    const staff = (await agent.get(`/api/v1/tickets/${ticketId}/history`)).json().items
    const notes = (items: Array<{ action: string; newValue: { internal?: boolean } | null }>) =>
      items.filter((i) => i.action === 'comment_added' && i.newValue?.internal === true)
    assert.equal(notes(staff).length, 1)
    assert.equal(notes(cust).length, 0)
    assert.equal(cust.filter((i: { action: string }) => i.action === 'comment_added').length, 1)
  })

  it('not in real-time events', async () => {
    const custComments = customerEvents.filter((e) => e.type.startsWith('comment.'))
    assert.equal(custComments.length, 1)
    assert.equal(custComments[0].data.internal, false)
    assert.ok(customerEvents.every((e) => !JSON.stringify(e).includes(SECRET)))
    const staffComments = agentEvents.filter((e) => e.type === 'comment.added')
    assert.deepEqual(staffComments.map((e) => e.data.internal), [true, false])
    assert.ok(agentEvents.every((e) => !('scope' in e.data)))
  })

  it("not other customers' ticket events either, nor internal field changes", async () => {
    const stranger = await createUser(env.ctx, { role: 'customer' })
    const strangerEvents: ClientEvent[] = []
    env.ctx.realtime.subscribe((await actorForUser(env.ctx.db, stranger.id))!, (e) => strangerEvents.push(e))
    const before = customerEvents.length
    await agent.patch(`/api/v1/tickets/${ticketId}`, { addTags: ['interno'] })
    await agent.patch(`/api/v1/tickets/${ticketId}`, { priority: 'high' })
    await eventually(() => agentEvents.filter((e) => e.type === 'ticket.updated').length >= 2)
    await eventually(() => customerEvents.length > before)
    const updates = customerEvents.slice(before).filter((e) => e.type === 'ticket.updated')
    assert.equal(updates.length, 1, 'the tag change is internal')
    assert.deepEqual(updates[0].data.changes, [{ field: 'priority' }])
    assert.equal(strangerEvents.length, 0)
  })
})
