import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../../test/harness'
import { listMailboxRecords, type MailboxRecord } from '../mailboxes/mailbox-directory'
import { startCaptureSmtp, type CaptureSmtp, rawMail } from '../test-support/email-test-kit'
import { receiveInbound } from './receive-inbound'

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n')

/**
 * A mailed-in new ticket takes its files in the create (staged for the requester, claimed by
 * createTicket), like the portal's: a type that requires evidence starts `new` with files and
 * `pending` without them, and the confirmation lists the files received.
 */
describe('files of a mailed-in new ticket', () => {
  let env: TestEnv
  let capture: CaptureSmtp
  let admin: Client
  let mailbox: MailboxRecord

  before(async () => {
    capture = await startCaptureSmtp()
    env = await createTestEnv({ env: { SMTP_URL: capture.url } })
    admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    const type = await admin.post('/api/v1/ticket-types', { code: 'falla_pago', nameEs: 'Falla de pago', nameEn: 'Payment failure', requiresEvidence: true })
    assert.equal(type.statusCode, 201, type.body)
    const box = await admin.post('/api/v1/mailboxes', { address: 'pagos@ayuda.test', name: 'Pagos', inbound: 'smtp', typeId: type.json().id })
    assert.equal(box.statusCode, 201, box.body)
    mailbox = (await listMailboxRecords(env.ctx.db))[0]
  })
  after(async () => {
    await env.close()
    await capture.stop()
  })

  const ticketOf = async (id: string) => (await sql<{ status: string; requester_id: string; description_html: string | null }>`
    select status, requester_id, description_html from tickets where id = ${id}`.execute(env.ctx.db)).rows[0]
  const filesOf = async (ticketId: string) => (await sql<{ id: string; filename: string; comment_id: string | null; internal: boolean; uploaded_by: string | null }>`
    select id, filename, comment_id, internal, uploaded_by from attachments where ticket_id = ${ticketId} order by filename`.execute(env.ctx.db)).rows

  it('starts new when the evidence comes with the mail, and confirms the files received', async () => {
    const before = capture.messages.length
    const outcome = await receiveInbound(env.ctx, {
      raw: await rawMail({
        from: 'Marta Ríos <marta@cliente.mx>', to: 'pagos@ayuda.test', subject: 'Cobro duplicado', messageId: '<cobro-1@cliente.mx>',
        html: '<p>Me cobraron dos veces, va el comprobante:</p><img src="cid:recibo@cliente.mx">',
        attachments: [
          { filename: 'recibo.png', content: PNG, contentType: 'image/png', cid: 'recibo@cliente.mx' },
          { filename: 'estado de cuenta.pdf', content: PDF, contentType: 'application/pdf' },
        ],
      }),
      mailbox, source: 'smtp',
    })
    assert.equal(outcome.status, 'ticket_created')
    const ticket = await ticketOf(outcome.ticketId!)
    assert.equal(ticket.status, 'new', 'the evidence is there: not waiting for it')
    const statusRows = (await sql<{ n: number }>`select count(*)::int as n from ticket_history where ticket_id = ${outcome.ticketId} and action = 'status_changed'`
      .execute(env.ctx.db)).rows[0].n
    assert.equal(statusRows, 0, 'no detour through pending')
    const files = await filesOf(outcome.ticketId!)
    assert.deepEqual(files.map((f) => [f.filename, f.comment_id, f.internal, f.uploaded_by]),
      [['estado de cuenta.pdf', null, false, ticket.requester_id], ['recibo.png', null, false, ticket.requester_id]])
    assert.equal((await sql<{ n: number }>`select count(*)::int as n from staged_attachments`.execute(env.ctx.db)).rows[0].n, 0, 'nothing left staged')

    // The inline image still resolves through the inbound message to its stored file.
    const cidUrl = `/api/v1/email/inbound/${outcome.id}/cid/${encodeURIComponent('recibo@cliente.mx')}`
    assert.ok(ticket.description_html?.includes(cidUrl), ticket.description_html ?? '')
    const image = await admin.get(cidUrl)
    assert.equal(image.statusCode, 302)
    assert.equal(image.headers.location, `/api/v1/attachments/${files.find((f) => f.filename === 'recibo.png')!.id}`)

    await env.drainJobs()
    await capture.waitFor(before + 1)
    const confirmation = capture.messages.slice(before).find((m) => m.to.includes('marta@cliente.mx'))!
    assert.match(confirmation.parsed.text ?? '', /Archivos recibidos con su solicitud:\n- estado de cuenta\.pdf \(\d+ bytes\)\n- recibo\.png \(\d+ bytes\)\n/)
    assert.equal(confirmation.parsed.attachments.length, 0, 'the confirmation lists the files, it does not send them back')
  })

  it('waits for information (pending) when the mail brings no files', async () => {
    const outcome = await receiveInbound(env.ctx, {
      raw: await rawMail({ from: 'luis@cliente.mx', to: 'pagos@ayuda.test', subject: 'Cobro no reconocido', messageId: '<cobro-2@cliente.mx>', text: 'Tengo un cargo raro.' }),
      mailbox, source: 'smtp',
    })
    assert.equal(outcome.status, 'ticket_created')
    assert.equal((await ticketOf(outcome.ticketId!)).status, 'pending')
    assert.deepEqual(await filesOf(outcome.ticketId!), [])
  })
})
