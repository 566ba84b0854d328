import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { createTestEnv, createUser, loginAs, type Client, type TestEnv, type TestUser } from '../../../../test/harness'
import { buildTicket, setStatus } from '../attachments/test-factories'

describe('POST /api/v1/tickets/:id/broadcast (major incident)', () => {
  let env: TestEnv
  let agent: TestUser
  let asAgent: Client
  let customers: TestUser[]

  before(async () => {
    env = await createTestEnv()
    agent = await createUser(env.ctx, { role: 'agent' })
    asAgent = await loginAs(env.app, agent)
    customers = [await createUser(env.ctx, { role: 'customer' }), await createUser(env.ctx, { role: 'customer' }), await createUser(env.ctx, { role: 'customer' })]
  })
  after(async () => { await env.close() })

  it('posts one public update to every child and related ticket in one go', async () => {
    const parent = await buildTicket(env.ctx, agent.id, { subject: 'Falla masiva de datos en zona centro' })
    const [c1, c2, rel, done] = [
      await buildTicket(env.ctx, customers[0].id), await buildTicket(env.ctx, customers[1].id),
      await buildTicket(env.ctx, customers[2].id), await buildTicket(env.ctx, customers[2].id),
    ]
    for (const child of [c1, c2, done]) assert.equal((await asAgent.post(`/api/v1/tickets/${parent.id}/links`, { type: 'child', ticketId: child.id })).statusCode, 201)
    assert.equal((await asAgent.post(`/api/v1/tickets/${rel.id}/links`, { type: 'related', ticketId: parent.id })).statusCode, 201)
    await setStatus(env.ctx, agent.id, done.id, { status: 'resolved' })
    await setStatus(env.ctx, agent.id, done.id, { status: 'closed' })

    const res = await asAgent.post(`/api/v1/tickets/${parent.id}/broadcast`, { body: 'Estamos restableciendo el servicio; tiempo estimado 2 horas.' })
    assert.equal(res.statusCode, 200, res.body)
    const posted = res.json().posted.map((p: { ticketId: string }) => p.ticketId).sort()
    assert.deepEqual(posted, [c1.id, c2.id, rel.id].sort())
    assert.deepEqual(res.json().skipped.map((s: { ticketId: string; reason: string }) => [s.ticketId, s.reason]), [[done.id, 'final']])

    for (const t of [c1, c2, rel]) {
      const comments = await sql<{ internal: boolean; body_text: string }>`select internal, body_text from comments where ticket_id = ${t.id}`.execute(env.ctx.db)
      assert.deepEqual(comments.rows, [{ internal: false, body_text: 'Estamos restableciendo el servicio; tiempo estimado 2 horas.' }])
      const history = await sql<{ n: number }>`select count(*)::int as n from ticket_history where ticket_id = ${t.id} and action = 'comment_added'`.execute(env.ctx.db)
      assert.equal(history.rows[0].n, 1)
      const events = await sql<{ n: number }>`select count(*)::int as n from events where ticket_id = ${t.id} and type = 'comment.added'`.execute(env.ctx.db)
      assert.equal(events.rows[0].n, 1)
    }
    const none = await sql<{ n: number }>`select count(*)::int as n from comments where ticket_id = ${done.id}`.execute(env.ctx.db)
    assert.equal(none.rows[0].n, 0, 'a closed ticket gets no update and no follow-up')
    const sent = await sql<{ n: number }>`select count(*)::int as n from ticket_history where ticket_id = ${parent.id} and action = 'broadcast_sent'`.execute(env.ctx.db)
    assert.equal(sent.rows[0].n, 1)
  })

  it('refuses a body that is empty once sanitised, writing nothing', async () => {
    const parent = await buildTicket(env.ctx, agent.id)
    const child = await buildTicket(env.ctx, customers[0].id)
    await asAgent.post(`/api/v1/tickets/${parent.id}/links`, { type: 'child', ticketId: child.id })
    const res = await asAgent.post(`/api/v1/tickets/${parent.id}/broadcast`, { bodyHtml: '<script>x</script>' })
    assert.equal(res.statusCode, 400)
    const n = await sql<{ n: number }>`select count(*)::int as n from comments where ticket_id = ${child.id}`.execute(env.ctx.db)
    assert.equal(n.rows[0].n, 0)
  })

  it('refuses a ticket without linked tickets, an empty body and customers', async () => {
    const lonely = await buildTicket(env.ctx, agent.id)
    const res = await asAgent.post(`/api/v1/tickets/${lonely.id}/broadcast`, { body: 'Aviso' })
    assert.equal(res.statusCode, 409)
    assert.equal(res.json().error.code, 'no_linked_tickets')
    assert.equal((await asAgent.post(`/api/v1/tickets/${lonely.id}/broadcast`, {})).statusCode, 400)
    const asCustomer = await loginAs(env.app, customers[0])
    assert.equal((await asCustomer.post(`/api/v1/tickets/${lonely.id}/broadcast`, { body: 'x' })).statusCode, 403)
  })
})
