import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { anonymous, createTestEnv, createUser, loginAs, type Client, type TestEnv, type TestUser } from '../../../../test/harness'
import { buildComment, buildTicket, multipart, setStatus } from '../attachments/test-factories'

describe('POST /api/v1/tickets/:id/merge', () => {
  let env: TestEnv
  let customer: TestUser
  let otherCustomer: TestUser
  let agent: TestUser
  let asCustomer: Client
  let asOther: Client
  let asAgent: Client
  const merge = (from: string, body: Record<string, unknown>, client = asAgent, headers: Record<string, string> = {}) =>
    client.post(`/api/v1/tickets/${from}/merge`, body, headers)
  const uploadAs = async (client: Client, ticketId: string, name: string, content: string) => {
    const body = multipart([{ filename: name, content }])
    const res = await client.request({ method: 'POST', url: `/api/v1/tickets/${ticketId}/attachments`, payload: body.payload, headers: body.headers })
    assert.equal(res.statusCode, 201, res.body)
    return res.json().items[0] as { id: string; url: string }
  }
  const row = async (id: string) => (await sql<{ status: string; cancel_reason: string | null; merged_into_id: string | null; duplicate_of_id: string | null }>`
    select status, cancel_reason, merged_into_id, duplicate_of_id from tickets where id = ${id}`.execute(env.ctx.db)).rows[0]

  before(async () => {
    env = await createTestEnv()
    customer = await createUser(env.ctx, { role: 'customer' })
    otherCustomer = await createUser(env.ctx, { role: 'customer' })
    agent = await createUser(env.ctx, { role: 'agent' })
    asCustomer = await loginAs(env.app, customer)
    asOther = await loginAs(env.app, otherCustomer)
    asAgent = await loginAs(env.app, agent)
  })
  after(async () => { await env.close() })

  it('refuses anonymous callers and customers', async () => {
    const [a, b] = [await buildTicket(env.ctx, customer.id), await buildTicket(env.ctx, customer.id)]
    assert.equal((await merge(a.id, { targetId: b.id }, anonymous(env.app))).statusCode, 401)
    assert.equal((await merge(a.id, { targetId: b.id }, asCustomer)).statusCode, 403)
  })

  it('refuses merging a ticket into itself, in Spanish and English', async () => {
    const a = await buildTicket(env.ctx, customer.id)
    const es = await merge(a.id, { targetId: a.id })
    assert.equal(es.statusCode, 400)
    assert.equal(es.json().error.message, 'Un ticket no puede fusionarse consigo mismo.')
    const en = await merge(a.id, { targetNumber: a.number }, asAgent, { 'accept-language': 'en' })
    assert.equal(en.statusCode, 400)
    assert.equal(en.json().error.message, 'A ticket cannot be merged into itself.')
    assert.equal((await row(a.id)).status, 'new')
  })

  it('moves the conversation and files, cancels the source as a duplicate and tells the requester', async () => {
    const source = await buildTicket(env.ctx, customer.id, { subject: 'Sin servicio', description: 'Desde ayer no tengo datos' })
    const target = await buildTicket(env.ctx, customer.id, { subject: 'Sin datos móviles' })
    const c1 = await buildComment(env.ctx, customer.id, source.id, { body: 'Sigo sin servicio' })
    const note = await buildComment(env.ctx, agent.id, source.id, { body: 'Revisar con el proveedor', internal: true })
    const file = await uploadAs(asCustomer, source.id, 'captura.txt', 'error 503')

    const res = await merge(source.id, { targetId: target.id })
    assert.equal(res.statusCode, 200, res.body)
    assert.deepEqual(res.json(), {
      source: { id: source.id, number: source.number }, target: { id: target.id, number: target.number },
      movedComments: 2, movedAttachments: 1, madeInternal: false,
    })
    assert.deepEqual(await row(source.id), { status: 'cancelled', cancel_reason: 'duplicate', merged_into_id: target.id, duplicate_of_id: target.id })
    const comments = await sql<{ id: string; ticket_id: string; internal: boolean; body_text: string }>`
      select id, ticket_id, internal, body_text from comments where ticket_id in (${source.id}, ${target.id}) order by created_at, id`.execute(env.ctx.db)
    assert.ok(comments.rows.every((c) => c.ticket_id === target.id))
    assert.ok(comments.rows.some((c) => c.body_text.includes('Desde ayer no tengo datos')), 'the source description moves too')
    assert.equal(comments.rows.find((c) => c.id === c1.commentId)!.internal, false)
    assert.equal(comments.rows.find((c) => c.id === note.commentId)!.internal, true)
    assert.equal((await asCustomer.get(file.url)).statusCode, 200)
    const files = (await asCustomer.get(`/api/v1/tickets/${target.id}/attachments`)).json().items
    assert.deepEqual(files.map((f: { id: string }) => f.id), [file.id])

    const links = (await asAgent.get(`/api/v1/tickets/${source.id}/links`)).json().items
    assert.deepEqual(links.map((l: { type: string; ticket: { id: string } }) => [l.type, l.ticket.id]), [['duplicate_of', target.id]])
    const history = await sql<{ ticket_id: string; action: string }>`select ticket_id, action from ticket_history
      where action in ('merged_into', 'merged_from') and ticket_id in (${source.id}, ${target.id})`.execute(env.ctx.db)
    assert.deepEqual(history.rows.map((h) => [h.ticket_id, h.action]).sort(), [[source.id, 'merged_into'], [target.id, 'merged_from']].sort())
    const events = await sql<{ payload: { targetNumber: number; requesterId: string } }>`select payload from events where type = 'ticket.merged' and ticket_id = ${source.id}`.execute(env.ctx.db)
    assert.equal(events.rows.length, 1)
    assert.equal(events.rows[0].payload.targetNumber, target.number)
    assert.equal(events.rows[0].payload.requesterId, customer.id)
    // The merge link is the pointer: it cannot be removed.
    const del = await asAgent.delete(`/api/v1/tickets/${source.id}/links/${links[0].id}`)
    assert.equal(del.statusCode, 409)
  })

  it('makes moved messages internal when the requesters differ', async () => {
    const source = await buildTicket(env.ctx, otherCustomer.id, { description: 'Mi número es 55 1234 5678' })
    const target = await buildTicket(env.ctx, customer.id)
    await buildComment(env.ctx, otherCustomer.id, source.id, { body: 'Datos privados' })
    const file = await uploadAs(asOther, source.id, 'ine.txt', 'identificación')
    const res = await merge(source.id, { targetNumber: target.number })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().madeInternal, true)
    const visible = await sql<{ n: number }>`select count(*)::int as n from comments where ticket_id = ${target.id} and not internal`.execute(env.ctx.db)
    assert.equal(visible.rows[0].n, 0)
    assert.equal((await asCustomer.get(file.url)).statusCode, 404)
    assert.equal((await asOther.get(file.url)).statusCode, 404)
    assert.equal((await asAgent.get(file.url)).statusCode, 200)
  })

  it('refuses merging into a closed or an already merged ticket, and merging twice', async () => {
    const closed = await buildTicket(env.ctx, customer.id)
    await setStatus(env.ctx, agent.id, closed.id, { status: 'resolved' })
    await setStatus(env.ctx, agent.id, closed.id, { status: 'closed' })
    const a = await buildTicket(env.ctx, customer.id)
    const intoClosed = await merge(a.id, { targetId: closed.id })
    assert.equal(intoClosed.statusCode, 409)
    assert.equal(intoClosed.json().error.code, 'target_final')
    assert.equal(intoClosed.json().error.message, `No se puede fusionar con #${closed.number}: está cerrado.`)

    const [b, c, d] = [await buildTicket(env.ctx, customer.id), await buildTicket(env.ctx, customer.id), await buildTicket(env.ctx, customer.id)]
    assert.equal((await merge(b.id, { targetId: c.id })).statusCode, 200)
    const intoMerged = await merge(d.id, { targetId: b.id })
    assert.equal(intoMerged.statusCode, 409)
    assert.equal(intoMerged.json().error.code, 'target_merged')
    const twice = await merge(b.id, { targetId: d.id })
    assert.equal(twice.statusCode, 409)
    assert.equal(twice.json().error.code, 'already_merged')
    assert.equal((await row(d.id)).status, 'new')
  })

  it('refuses a merge that would close a duplicate loop, leaving everything as it was', async () => {
    const [x, y, z] = [await buildTicket(env.ctx, customer.id), await buildTicket(env.ctx, customer.id), await buildTicket(env.ctx, customer.id)]
    await buildComment(env.ctx, customer.id, x.id, { body: 'mensaje de x' })
    assert.equal((await asAgent.post(`/api/v1/tickets/${y.id}/links`, { type: 'duplicate_of', ticketId: z.id })).statusCode, 201)
    assert.equal((await asAgent.post(`/api/v1/tickets/${z.id}/links`, { type: 'duplicate_of', ticketId: x.id })).statusCode, 201)
    const res = await merge(x.id, { targetId: y.id })
    assert.equal(res.statusCode, 409)
    assert.equal(res.json().error.code, 'link_cycle')
    const left = await sql<{ n: number }>`select count(*)::int as n from comments where ticket_id = ${x.id}`.execute(env.ctx.db)
    assert.equal(left.rows[0].n, 1)
    assert.equal((await row(x.id)).status, 'new')
  })

  it('answers 404 for a target the agent may not see', async () => {
    const a = await buildTicket(env.ctx, customer.id)
    const res = await merge(a.id, { targetId: '00000000-0000-4000-8000-000000000000' })
    assert.equal(res.statusCode, 404)
  })
})
