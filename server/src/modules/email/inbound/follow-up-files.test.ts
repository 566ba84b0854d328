import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import type Mail from 'nodemailer/lib/mailer'
import { createTestEnv, createUser, loginAs, type Client, type TestEnv, type TestUser } from '../../../../test/harness'
import { buildTicket } from '../../tickets/test-support/ticket-factories'
import { listMailboxRecords, type MailboxRecord } from '../mailboxes/mailbox-directory'
import { receiveInbound } from './receive-inbound'
import { rawMail } from '../test-support/email-test-kit'

// A 1×1 PNG and a small PDF: real bytes, so the attachment rules (type sniffing) accept them.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n')

/** A Gmail-style HTML-only reply with an inline screenshot (cid:), a PDF and the quoted notification. */
function replyWithFiles(id: string, subject: string): Mail.Options {
  return {
    from: 'Juan Pérez <juan@cliente.mx>', to: 'soporte@ayuda.test', subject, messageId: `<${id}@cliente.mx>`,
    html: `<div dir="ltr">Sigue sin funcionar, les mando la captura:<div><img src="cid:captura-${id}@cliente.mx" alt="captura"></div><div>y el reporte.</div></div>
<div class="gmail_quote"><div dir="ltr" class="gmail_attr">El lun, 2 mar 2026 a las 10:00, Soporte &lt;soporte@ayuda.test&gt; escribió:<br></div>
<blockquote class="gmail_quote"><p>Su ticket fue cerrado. Historia citada que no debe verse.</p></blockquote></div>`,
    attachments: [
      { filename: 'captura.png', content: PNG, contentType: 'image/png', cid: `captura-${id}@cliente.mx` },
      { filename: 'reporte.pdf', content: PDF, contentType: 'application/pdf' },
    ],
  }
}

/**
 * A customer's reply to a closed ticket (or to one resolved past the reopen window) opens a
 * linked follow-up: the reply's files and inline images belong to the follow-up, the old ticket
 * gets none, and the follow-up's description shows the reply without the quoted history.
 */
describe('email replies that open a follow-up ticket', () => {
  let env: TestEnv
  let mailbox: MailboxRecord
  let agent: TestUser
  let customer: TestUser
  let agentClient: Client

  before(async () => {
    env = await createTestEnv()
    const admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    assert.equal((await admin.post('/api/v1/mailboxes', { address: 'soporte@ayuda.test', name: 'Soporte', inbound: 'smtp' })).statusCode, 201)
    mailbox = (await listMailboxRecords(env.ctx.db))[0]
    agent = await createUser(env.ctx, { role: 'admin', email: 'laura@ayuda.test' })
    agentClient = await loginAs(env.app, agent)
    customer = await createUser(env.ctx, { role: 'customer', email: 'juan@cliente.mx', name: 'Juan Pérez' })
  })
  after(async () => { await env.close() })

  const numberOf = async (id: string) => (await sql<{ number: number }>`select number from tickets where id = ${id}`.execute(env.ctx.db)).rows[0].number
  const filesOf = async (ticketId: string) => (await sql<{ id: string; filename: string; comment_id: string | null }>`select id, filename, comment_id
    from attachments where ticket_id = ${ticketId} order by filename`.execute(env.ctx.db)).rows

  async function expectFollowUp(oldTicketId: string, id: string) {
    const outcome = await receiveInbound(env.ctx, { raw: await rawMail(replyWithFiles(id, `Re: [#${await numberOf(oldTicketId)}] Sin servicio`)), mailbox, source: 'smtp' })
    assert.equal(outcome.status, 'follow_up_created')
    const followUp = (await sql<{ id: string; follow_up_of_id: string; description: string; description_html: string; requester_id: string }>`
      select id, follow_up_of_id, description, description_html, requester_id from tickets where id = ${outcome.ticketId}`.execute(env.ctx.db)).rows[0]
    assert.equal(followUp.follow_up_of_id, oldTicketId)
    assert.equal(followUp.requester_id, customer.id)
    assert.deepEqual((await filesOf(followUp.id)).map((f) => f.filename), ['captura.png', 'reporte.pdf'])
    assert.deepEqual(await filesOf(oldTicketId), [], 'nothing lands on the old ticket')

    assert.match(followUp.description, /Sigue sin funcionar/)
    assert.doesNotMatch(followUp.description, /escribió|Historia citada/)
    assert.doesNotMatch(followUp.description_html, /escribió|Historia citada/)
    // The inline image points at the stored file through the inbound message, which now belongs to the follow-up.
    const cidUrl = `/api/v1/email/inbound/${outcome.id}/cid/${encodeURIComponent(`captura-${id}@cliente.mx`)}`
    assert.ok(followUp.description_html.includes(`src="${cidUrl}"`), followUp.description_html)
    const image = await agentClient.get(cidUrl)
    assert.equal(image.statusCode, 302)
    const png = (await filesOf(followUp.id)).find((f) => f.filename === 'captura.png')!
    assert.equal(image.headers.location, `/api/v1/attachments/${png.id}`)
    const customerClient = await loginAs(env.app, customer)
    assert.equal((await customerClient.get(`/api/v1/attachments/${png.id}`)).statusCode, 200, 'the requester sees the files of the follow-up')
    return followUp.id
  }

  it('a reply to a closed ticket: files and inline images go to the follow-up', async () => {
    const ticket = await buildTicket(env.ctx, agent.id, { requesterId: customer.id, subject: 'Sin servicio', status: 'resolved' })
    await sql`update tickets set status = 'closed' where id = ${ticket.id}`.execute(env.ctx.db)
    await expectFollowUp(ticket.id, 'cerrado-1')
  })

  it('a follow-up of a type that requires evidence starts new: the evidence came with the reply', async () => {
    const ticket = await buildTicket(env.ctx, agent.id, { requesterId: customer.id, subject: 'Sin servicio', status: 'resolved' })
    const typeId = (await sql<{ type_id: string }>`select type_id from tickets where id = ${ticket.id}`.execute(env.ctx.db)).rows[0].type_id
    await sql`update tickets set status = 'closed' where id = ${ticket.id}`.execute(env.ctx.db)
    await sql`update ticket_types set requires_evidence = true where id = ${typeId}`.execute(env.ctx.db)
    try {
      const followUpId = await expectFollowUp(ticket.id, 'evidencia-1')
      const row = (await sql<{ status: string; type_id: string }>`select status, type_id from tickets where id = ${followUpId}`.execute(env.ctx.db)).rows[0]
      assert.deepEqual(row, { status: 'new', type_id: typeId })
      const history = (await sql<{ action: string }>`select action from ticket_history where ticket_id = ${followUpId} order by at, id`.execute(env.ctx.db)).rows
      assert.ok(!history.some((h) => h.action === 'status_changed'), JSON.stringify(history))
    } finally {
      await sql`update ticket_types set requires_evidence = false where id = ${typeId}`.execute(env.ctx.db)
    }
  })

  it('a reply to a ticket resolved past the reopen window: the same', async () => {
    const ticket = await buildTicket(env.ctx, agent.id, { requesterId: customer.id, subject: 'Sin servicio', status: 'resolved' })
    await sql`update tickets set resolved_at = ${new Date(env.ctx.now().getTime() - 400 * 86_400_000)} where id = ${ticket.id}`.execute(env.ctx.db)
    await expectFollowUp(ticket.id, 'resuelto-1')
    assert.equal((await sql<{ status: string }>`select status from tickets where id = ${ticket.id}`.execute(env.ctx.db)).rows[0].status, 'closed')
  })

  it('a reply within the reopen window reopens the ticket and the files stay with the reply', async () => {
    const ticket = await buildTicket(env.ctx, agent.id, { requesterId: customer.id, subject: 'Sin servicio', status: 'resolved' })
    const outcome = await receiveInbound(env.ctx, { raw: await rawMail(replyWithFiles('reabre-1', `Re: [#${await numberOf(ticket.id)}] Sin servicio`)), mailbox, source: 'smtp' })
    assert.equal(outcome.status, 'comment_added')
    assert.equal(outcome.ticketId, ticket.id)
    const files = await filesOf(ticket.id)
    assert.deepEqual(files.map((f) => [f.filename, f.comment_id]), [['captura.png', outcome.commentId], ['reporte.pdf', outcome.commentId]])
    const comment = (await sql<{ body_text: string; body_html: string }>`select body_text, body_html from comments where id = ${outcome.commentId}`.execute(env.ctx.db)).rows[0]
    assert.match(comment.body_text, /Sigue sin funcionar/)
    assert.doesNotMatch(comment.body_text + comment.body_html, /escribió|Historia citada/)
    assert.match(comment.body_html, /<img[^>]+src="\/api\/v1\/email\/inbound\//)
  })
})
