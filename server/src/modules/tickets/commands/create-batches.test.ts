import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../../test/harness'
import { countStatements } from '../../../../test/statements'
import { eventsOf, historyOf } from '../test-support/ticket-factories'

describe('POST /api/v1/tickets: creates that arrive together', () => {
  let env: TestEnv
  let agent: Client
  let customers: Array<{ client: Client; id: string }>
  before(async () => {
    env = await createTestEnv()
    agent = await loginAs(env.app, await createUser(env.ctx, { role: 'agent' }))
    customers = await Promise.all([0, 1, 2].map(async () => {
      const u = await createUser(env.ctx, { role: 'customer' })
      return { client: await loginAs(env.app, u), id: u.id }
    }))
  })
  after(async () => { await env.close() })

  const ticketCount = async () => Number((await sql<{ n: number }>`select count(*)::int as n from tickets`.execute(env.ctx.db)).rows[0].n)

  it('share one insert, and each caller gets its own ticket (as it reads it afterwards) with its history and event', async () => {
    const inserts = countStatements(env, /^insert into "tickets"/)
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => {
      const c = customers[i % 3]
      return i % 4 === 3
        ? agent.post('/api/v1/tickets', { subject: `Llamada ${i}`, description: 'Cliente sin servicio', requesterId: c.id, priority: 'high', channel: 'phone' })
        : c.client.post('/api/v1/tickets', { subject: `Portal ${i}`, description: 'No me llega la recarga' })
    }))
    const statements = inserts.stop()
    assert.ok(statements >= 1 && statements < 12, `12 creates took ${statements} inserts`)
    const numbers = new Set<number>()
    for (const [i, res] of answers.entries()) {
      assert.equal(res.statusCode, 201, res.body)
      const t = res.json()
      numbers.add(t.number)
      assert.equal(t.subject, i % 4 === 3 ? `Llamada ${i}` : `Portal ${i}`)
      assert.equal(t.requester.id, customers[i % 3].id)
      assert.equal(t.priority, i % 4 === 3 ? 'high' : 'normal')
      assert.equal(t.channel, i % 4 === 3 ? 'phone' : 'web')
      // The batch's answer is the ticket as its caller reads it afterwards.
      const caller = i % 4 === 3 ? agent : customers[i % 3].client
      assert.deepEqual(t, (await caller.get(`/api/v1/tickets/${t.id}`)).json())
      const history = await historyOf(env.ctx, t.id)
      assert.deepEqual(history.map((h: { action: string }) => h.action), ['created'])
      assert.deepEqual((await eventsOf(env.ctx, t.id)).map((e: { type: string }) => e.type), ['ticket.created'])
    }
    assert.equal(numbers.size, 12)
    // Each customer sees the three tickets filed for them and no other.
    for (const c of customers) {
      const list = (await c.client.get('/api/v1/tickets')).json().items as Array<{ requester: { id: string } }>
      assert.equal(list.length, 4)
      assert.ok(list.every((t) => t.requester.id === c.id))
    }
  })

  it('answer a refused create with its own 4xx, in its language, while the others are filed and nothing of it is written', async () => {
    const before = await ticketCount()
    const answers = await Promise.all([
      customers[0].client.post('/api/v1/tickets', { subject: 'Bien 1', description: 'ok' }),
      agent.post('/api/v1/tickets', { subject: 'Mal', description: 'x', categoryId: '00000000-0000-4000-8000-000000000000' }, { 'accept-language': 'en' }),
      customers[1].client.post('/api/v1/tickets', { subject: 'Bien 2', description: 'ok' }),
      customers[2].client.post('/api/v1/tickets', { subject: 'Prohibido', description: 'x', priority: 'urgent' }),
      customers[2].client.post('/api/v1/tickets', { subject: 'Bien 3', description: 'ok' }),
    ])
    assert.deepEqual(answers.map((r) => r.statusCode), [201, 400, 201, 403, 201])
    assert.match(answers[1].json().error.message, /categor/i)
    assert.equal(answers[1].headers['content-language'] ?? 'en', 'en')
    assert.doesNotMatch(answers[1].json().error.message, /categoría/)
    assert.equal(await ticketCount(), before + 3)
    const subjects = (await sql<{ subject: string }>`select subject from tickets where subject in ('Mal', 'Prohibido')`.execute(env.ctx.db)).rows
    assert.deepEqual(subjects, [])
    const orphans = await sql<{ n: number }>`select count(*)::int as n from ticket_history h left join tickets t on t.id = h.ticket_id where t.id is null`.execute(env.ctx.db)
    assert.equal(Number(orphans.rows[0].n), 0)
  })

  it('answer every caller with the error when the commit itself fails, and file nothing twice', async () => {
    // A check PostgreSQL runs only at COMMIT (a deferred constraint trigger) stands for a commit
    // that fails: the batch cannot be known to be unfiled, so it is not retried ticket by ticket.
    await sql`create function refuse_at_commit() returns trigger language plpgsql as $$
      begin raise exception 'refused at commit'; end $$`.execute(env.ctx.db)
    await sql`create constraint trigger refuse_at_commit after insert on tickets deferrable initially deferred
      for each row when (new.subject = 'Falla al confirmar') execute function refuse_at_commit()`.execute(env.ctx.db)
    try {
      const before = await ticketCount()
      const answers = await Promise.all([
        customers[0].client.post('/api/v1/tickets', { subject: 'Junto 1', description: 'ok' }),
        customers[1].client.post('/api/v1/tickets', { subject: 'Falla al confirmar', description: 'x' }),
        customers[2].client.post('/api/v1/tickets', { subject: 'Junto 2', description: 'ok' }),
      ])
      assert.deepEqual(answers.map((r) => r.statusCode), [500, 500, 500])
      assert.equal(await ticketCount(), before)
      // Alone, the others are filed as usual.
      assert.equal((await customers[0].client.post('/api/v1/tickets', { subject: 'Junto 1', description: 'ok' })).statusCode, 201)
    } finally {
      await sql`drop trigger refuse_at_commit on tickets`.execute(env.ctx.db)
      await sql`drop function refuse_at_commit()`.execute(env.ctx.db)
    }
  })
})
