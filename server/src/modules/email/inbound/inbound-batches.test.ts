import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import type Mail from 'nodemailer/lib/mailer'
import { createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../../test/harness'
import { countStatements } from '../../../../test/statements'
import { invalidateEmailSettings } from '../email.settings'
import { listMailboxRecords, type MailboxRecord } from '../mailboxes/mailbox-directory'
import { receiveInbound } from './receive-inbound'
import { rawMail } from '../test-support/email-test-kit'

/** Plain new requests that arrive together are filed together: the same outcomes as one by one, in fewer statements. */
describe('inbound messages filed together', () => {
  let env: TestEnv
  let admin: Client
  let mailbox: MailboxRecord

  before(async () => {
    env = await createTestEnv()
    admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    assert.equal((await admin.post('/api/v1/mailboxes', { address: 'soporte@ayuda.test', name: 'Soporte', inbound: 'smtp' })).statusCode, 201)
    mailbox = (await listMailboxRecords(env.ctx.db))[0]
    // Caches warm (settings, mailboxes, SLA configuration), as on a running server.
    await receiveInbound(env.ctx, { raw: await rawMail({ from: 'calentar@cliente.mx', to: 'soporte@ayuda.test', subject: 'Calentar', text: 'x' }), mailbox, source: 'smtp' })
  })
  after(async () => { await env.close() })

  const mail = (i: number, from: string, extra: Partial<Mail.Options> = {}) =>
    rawMail({ from, to: 'soporte@ayuda.test', subject: `Sin servicio ${i}`, text: `Desde ayer no tengo servicio (${i}).`, messageId: `<lote-${i}@cliente.mx>`, ...extra })

  it('files messages that arrive together in one transaction: a ticket each, one contact per new sender, a second copy answered as a duplicate', async () => {
    const known = await createUser(env.ctx, { role: 'customer', email: 'conocida@cliente.mx' })
    const raws = [
      ...(await Promise.all([0, 1, 2, 3, 4, 5].map((i) => mail(i, i % 2 ? `Nuevo ${i} <nuevo${i}@cliente.mx>` : 'Conocida <conocida@cliente.mx>')))),
      await mail(6, 'Repetido <repetido@cliente.mx>'),
      await mail(7, 'Repetido <REPETIDO@cliente.mx>'),
    ]
    raws.push(raws[2]) // the same message delivered twice at once
    const statements = countStatements(env, /./)
    const outcomes = await Promise.all(raws.map((raw) => receiveInbound(env.ctx, { raw, mailbox, source: 'smtp' })))
    const count = statements.stop()
    assert.deepEqual(outcomes.map((o) => o.status), Array(9).fill('ticket_created'))
    // Which of two deliveries at once counts as the first depends on which is parsed first.
    const duplicates = outcomes.flatMap((o, i) => (o.duplicate ? [i] : []))
    assert.equal(duplicates.length, 1)
    assert.ok([2, 8].includes(duplicates[0]), 'one of the two deliveries is the duplicate')
    assert.equal(outcomes[8].ticketId, outcomes[2].ticketId, 'the copy answers with the first delivery\'s ticket')
    assert.equal(new Set(outcomes.map((o) => o.ticketId)).size, 8)
    // One by one these 9 messages cost about 90 statements (inbound-statements.test.ts: ten each).
    console.log(`# statements for 9 messages that arrived together: ${count}`)
    assert.ok(count <= 50, `${count} statements for 9 messages that arrived together`)

    const tickets = (await sql<{ id: string; subject: string; email: string; channel: string; description: string }>`
      select t.id, t.subject, u.email, t.channel, t.description from tickets t join users u on u.id = t.requester_id
      where t.id = any(${outcomes.map((o) => o.ticketId!)}::uuid[]) order by t.subject`.execute(env.ctx.db)).rows
    assert.deepEqual(tickets.map((t) => [t.subject, t.email, t.channel]), [0, 1, 2, 3, 4, 5, 6, 7].map((i) =>
      [`Sin servicio ${i}`, i === 6 || i === 7 ? 'repetido@cliente.mx' : i % 2 ? `nuevo${i}@cliente.mx` : 'conocida@cliente.mx', 'email']))
    assert.match(tickets[3].description, /no tengo servicio \(3\)/)
    const contacts = (await sql<{ n: number }>`select count(*)::int as n from users where lower(email) = 'repetido@cliente.mx'`.execute(env.ctx.db)).rows[0].n
    assert.equal(contacts, 1, 'two messages of a new sender in one batch make one contact')
    assert.equal(tickets.filter((t) => t.email === known.email).length, 3)
    const rows = (await sql<{ status: string; ticket_id: string }>`select status, ticket_id from inbound_messages
      where message_key like '<lote-%' order by message_key`.execute(env.ctx.db)).rows
    assert.deepEqual(rows.map((r) => r.status), Array(8).fill('ticket_created'))
    assert.deepEqual(new Set(rows.map((r) => r.ticket_id)), new Set(outcomes.map((o) => o.ticketId)))
    // Each new ticket is announced like any other (its event and the requester's acknowledgement job).
    const events = (await sql<{ n: number }>`select count(*)::int as n from events where type = 'ticket.created'
      and ticket_id = any(${outcomes.map((o) => o.ticketId!)}::uuid[])`.execute(env.ctx.db)).rows[0].n
    assert.equal(events, 8)
  })

  it('a message that cannot be applied is kept as failed without holding back the others that arrived with it', async () => {
    const type = (await sql<{ id: string }>`insert into ticket_types (code, name_es, name_en) values ('lote_roto', 'Roto', 'Broken') returning id`.execute(env.ctx.db)).rows[0]
    assert.equal((await admin.post('/api/v1/mailboxes', { address: 'roto@ayuda.test', name: 'Roto', inbound: 'smtp', typeId: type.id })).statusCode, 201)
    await sql`update ticket_types set active = false where id = ${type.id}`.execute(env.ctx.db)
    const broken = (await listMailboxRecords(env.ctx.db)).find((m) => m.address === 'roto@ayuda.test')!
    const deliveries = [
      { raw: await mail(20, 'ana@cliente.mx'), mailbox, source: 'smtp' as const },
      { raw: await mail(21, 'beto@cliente.mx', { to: 'roto@ayuda.test' }), mailbox: broken, source: 'smtp' as const },
      { raw: await mail(22, 'carla@cliente.mx'), mailbox, source: 'smtp' as const },
    ]
    const outcomes = await Promise.all(deliveries.map((d) => receiveInbound(env.ctx, d)))
    assert.deepEqual(outcomes.map((o) => o.status), ['ticket_created', 'failed', 'ticket_created'])
    const failed = (await sql<{ status: string; error: string }>`select status, error from inbound_messages where id = ${outcomes[1].id}`.execute(env.ctx.db)).rows[0]
    assert.equal(failed.status, 'failed')
    assert.match(failed.error, /tickets\.unknown_type/)
  })

  it('counts every message of a batch against its sender\'s hourly limit', async () => {
    assert.equal((await admin.patch('/api/v1/settings', { 'email.senderRateLimitPerHour': 2 })).statusCode, 200)
    invalidateEmailSettings(env.ctx)
    try {
      // Two senders mixed in one batch: each is counted on its own.
      const raws = await Promise.all([30, 31, 32, 33, 34].map((i) => mail(i, i % 2 ? 'otra@cliente.mx' : 'insistente@cliente.mx')))
      const outcomes = await Promise.all(raws.map((raw) => receiveInbound(env.ctx, { raw, mailbox, source: 'smtp' })))
      const of = (indexes: number[]) => indexes.map((i) => outcomes[i].status).sort()
      assert.deepEqual(of([0, 2, 4]), ['rate_limited', 'ticket_created', 'ticket_created'])
      assert.deepEqual(of([1, 3]), ['ticket_created', 'ticket_created'])
      const limited = outcomes.find((o) => o.status === 'rate_limited')!
      assert.equal(limited.ticketId, null)
      const counts = (await sql<{ address: string; count: number }>`select address, count from email_sender_counters
        where address in ('insistente@cliente.mx', 'otra@cliente.mx') order by address`.execute(env.ctx.db)).rows
      assert.deepEqual(counts.map((c) => [c.address, c.count]), [['insistente@cliente.mx', 3], ['otra@cliente.mx', 2]])
    } finally {
      assert.equal((await admin.patch('/api/v1/settings', { 'email.senderRateLimitPerHour': null })).statusCode, 200)
      invalidateEmailSettings(env.ctx)
    }
  })
})
