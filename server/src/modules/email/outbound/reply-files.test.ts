import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { createUser, loginAs, type Client, type TestEnv, type TestUser } from '../../../../test/harness'
import { buildTicket } from '../../tickets/test-support/ticket-factories'
import { multipart, PNG_BYTES } from '../../tickets/attachments/test-factories'
import { invalidateEmailSettings } from '../email.settings'
import { startOutboundDesk, type CaptureSmtp, type OutboundDesk } from '../test-support/email-test-kit'
import { fitFiles } from './reply-files'

// Real bytes, so type sniffing accepts them: a small PDF and a larger one.
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n')
const BIG_PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(4000, 0x41), Buffer.from('\n%%EOF\n')])

describe('fitFiles', () => {
  const f = (id: string, size: number) => ({ id, filename: `${id}.pdf`, size, contentType: 'application/pdf' })
  it('attaches files in order while they fit, a large one does not stop a smaller later one', () => {
    const plan = fitFiles([f('a', 400), f('b', 700), f('c', 500)], 1000)
    assert.deepEqual(plan.attach.map((x) => x.id), ['a', 'c'])
    assert.deepEqual(plan.linked.map((x) => x.id), ['b'])
  })
  it('links every file when the cap is 0', () => {
    assert.deepEqual(fitFiles([f('a', 1)], 0), { attach: [], linked: [f('a', 1)] })
  })
})

describe('files of a public reply in the customer\'s mail', () => {
  let env: TestEnv
  let capture: CaptureSmtp
  let admin: Client
  let agentUser: TestUser
  let agent: Client
  let customer: TestUser
  let desk: OutboundDesk

  before(async () => {
    desk = await startOutboundDesk()
    ;({ env, capture, admin, agentUser, agent, customer } = desk)
  })
  after(() => desk.close())

  const upload = async (ticketId: string, filename: string, content: Buffer, contentType: string) => {
    const body = multipart([{ filename, content, contentType }])
    const res = await agent.request({ method: 'POST', url: `/api/v1/tickets/${ticketId}/attachments`, payload: body.payload, headers: body.headers })
    assert.equal(res.statusCode, 201, res.body)
    return res.json().items[0].id as string
  }
  const setCap = async (bytes: number | null) => {
    assert.equal((await admin.patch('/api/v1/settings', { 'email.maxAttachmentBytes': bytes })).statusCode, 200)
    invalidateEmailSettings(env.ctx)
  }
  /** Posts a comment and returns the mails it sent, after delivery. */
  const post = async (ticketId: string, body: Record<string, unknown>, expected: number) => {
    const before = capture.messages.length
    const res = await agent.post(`/api/v1/tickets/${ticketId}/comments`, body)
    assert.equal(res.statusCode, 201, res.body)
    await env.drainJobs()
    await capture.waitFor(before + expected)
    return capture.messages.slice(before)
  }
  const newTicket = async (subject: string) => {
    const before = capture.messages.length
    const t = await buildTicket(env.ctx, agentUser.id, { requesterId: customer.id, subject })
    await env.drainJobs()
    await capture.waitFor(before + 1)
    return t
  }

  it('attaches the reply\'s files with their name, type and bytes; an internal note\'s files never leave', async () => {
    const t = await newTicket('Factura rechazada')
    const secret = await upload(t.id, 'bitacora-interna.pdf', PDF, 'application/pdf')
    const colleague = await createUser(env.ctx, { role: 'agent', name: 'Pedro Ruiz', email: 'pedro@ayuda.test' })
    const noteMails = await post(t.id, { internal: true, mentions: [colleague.id], body: 'Pedro, revisa la bitácora', attachmentIds: [secret] }, 1)
    assert.deepEqual(noteMails.map((m) => m.to[0]), ['pedro@ayuda.test'], 'an internal note sends nothing to the customer')
    assert.equal(noteMails[0].parsed.attachments.length, 0, 'not even to staff')

    const file = await upload(t.id, 'Reporte de conciliación.pdf', PDF, 'application/octet-stream')
    const [mail] = (await post(t.id, { body: 'Le comparto el reporte.', attachmentIds: [file] }, 1)).filter((m) => m.to.includes('ana@cliente.mx'))
    const parts = mail.parsed.attachments
    assert.deepEqual(parts.map((p) => p.filename), ['Reporte de conciliación.pdf'], 'only this reply\'s file, not the note\'s')
    assert.equal(parts[0].contentType, 'application/pdf', 'the sniffed type, not the declared one')
    assert.deepEqual(parts[0].content, PDF)
    assert.deepEqual((await sql<{ ids: string[] }>`select attachment_ids as ids from outbound_messages where ticket_id = ${t.id}
      and template = 'agent_reply'`.execute(env.ctx.db)).rows.map((r) => r.ids), [[file]], 'the outbox row names the file')
    assert.doesNotMatch(mail.parsed.text ?? '', /no cupieron/)

    // A later reply without files carries none (not the earlier reply's, not the note's).
    const [plain] = (await post(t.id, { body: 'Quedo atenta.' }, 1)).filter((m) => m.to.includes('ana@cliente.mx'))
    assert.equal(plain.parsed.attachments.length, 0)
  })

  it('keeps a pasted image inline once and attaches the other files beside it', async () => {
    const t = await newTicket('Pantalla en negro')
    const image = await upload(t.id, 'pantalla.png', PNG_BYTES, 'image/png')
    const pdf = await upload(t.id, 'pasos.pdf', PDF, 'application/pdf')
    const [mail] = (await post(t.id, {
      body: 'Así se ve:', bodyHtml: `<p>Así se ve: <img src="/api/v1/attachments/${image}" alt="pantalla.png"></p>`, attachmentIds: [image, pdf],
    }, 1)).filter((m) => m.to.includes('ana@cliente.mx'))
    const parts = mail.parsed.attachments
    assert.deepEqual(parts.map((p) => p.filename).sort(), ['pantalla.png', 'pasos.pdf'])
    assert.equal(parts.find((p) => p.filename === 'pantalla.png')!.cid, `${image}@atiende`)
  })

  it('a reply sent with a status change (one status email) carries the reply\'s files', async () => {
    const t = await newTicket('Falta el RFC')
    const form = await upload(t.id, 'formato-rfc.pdf', PDF, 'application/pdf')
    const mails = (await post(t.id, { body: 'Llene este formato, por favor.', attachmentIds: [form], status: { status: 'pending' } }, 1))
      .filter((m) => m.to.includes('ana@cliente.mx'))
    assert.equal(mails.length, 1)
    assert.match(mails[0].parsed.subject ?? '', /Necesitamos información/)
    assert.deepEqual(mails[0].parsed.attachments.map((p) => [p.filename, p.content.equals(PDF)]), [['formato-rfc.pdf', true]])
  })

  it('the assignee\'s mail of a customer\'s reply carries the reply\'s files', async () => {
    const t = await newTicket('Cobro duplicado')
    await sql`update tickets set assignee_id = ${agentUser.id} where id = ${t.id}`.execute(env.ctx.db)
    const client = await loginAs(env.app, customer)
    const body = multipart([{ filename: 'estado-de-cuenta.pdf', content: PDF, contentType: 'application/pdf' }])
    const up = await client.request({ method: 'POST', url: `/api/v1/tickets/${t.id}/attachments`, payload: body.payload, headers: body.headers })
    assert.equal(up.statusCode, 201, up.body)
    const before = capture.messages.length
    const res = await client.post(`/api/v1/tickets/${t.id}/comments`, { body: 'Les mando mi estado de cuenta.', attachmentIds: [up.json().items[0].id] })
    assert.equal(res.statusCode, 201, res.body)
    await env.drainJobs()
    await capture.waitFor(before + 1)
    const mail = capture.messages.slice(before).find((m) => m.to.includes(agentUser.email))!
    assert.match(mail.parsed.subject ?? '', /Nueva respuesta del cliente/)
    assert.deepEqual(mail.parsed.attachments.map((p) => [p.filename, p.content.equals(PDF)]), [['estado-de-cuenta.pdf', true]])
  })

  it('lists the files past the per-mail cap with links to the ticket page', async () => {
    await setCap(1000)
    try {
      const t = await newTicket('Estado de cuenta')
      const small = await upload(t.id, 'resumen.pdf', PDF, 'application/pdf')
      const big = await upload(t.id, 'estado-completo.pdf', BIG_PDF, 'application/pdf')
      const [mail] = (await post(t.id, { body: 'Adjunto los documentos.', attachmentIds: [big, small] }, 1)).filter((m) => m.to.includes('ana@cliente.mx'))
      assert.deepEqual(mail.parsed.attachments.map((p) => p.filename), ['resumen.pdf'], 'what fits goes inside, within the cap')
      const url = `${env.ctx.config.publicUrl}/portal/tickets/${t.number}`
      assert.match(mail.parsed.text ?? '', /Estos archivos no cupieron en este correo/)
      assert.ok((mail.parsed.text ?? '').includes(`- estado-completo.pdf (3.9 KB): ${url}`), mail.parsed.text)
      assert.ok((mail.parsed.html || '').includes(`<a href="${url}">estado-completo.pdf</a>`), String(mail.parsed.html))

      // English recipients read the English text; cap 0 sends links only.
      await setCap(0)
      await sql`update users set locale = 'en' where id = ${customer.id}`.execute(env.ctx.db)
      const again = await upload(t.id, 'resumen-2.pdf', PDF, 'application/pdf')
      const [en] = (await post(t.id, { body: 'One more.', attachmentIds: [again] }, 1)).filter((m) => m.to.includes('ana@cliente.mx'))
      assert.equal(en.parsed.attachments.length, 0)
      assert.match(en.parsed.text ?? '', /These files did not fit in this email; open them on the ticket page:\n- resumen-2\.pdf/)
    } finally {
      await sql`update users set locale = 'es-MX' where id = ${customer.id}`.execute(env.ctx.db)
      await setCap(null)
    }
  })

  it('re-checks the files when sending: a retried mail drops one made internal meanwhile', async () => {
    const t = await newTicket('Contrato')
    const file = await upload(t.id, 'contrato.pdf', PDF, 'application/pdf')
    const before = capture.messages.length
    capture.failNext(1)
    assert.equal((await agent.post(`/api/v1/tickets/${t.id}/comments`, { body: 'Va el contrato.', attachmentIds: [file] })).statusCode, 201)
    await env.drainJobs()
    const row = async () => (await sql<{ status: string; ids: string[] }>`select status, attachment_ids as ids from outbound_messages
      where ticket_id = ${t.id} and template = 'agent_reply'`.execute(env.ctx.db)).rows[0]
    assert.deepEqual(await row(), { status: 'queued', ids: [file] }, 'the first attempt failed')
    await sql`update attachments set internal = true where id = ${file}`.execute(env.ctx.db)
    env.clock.advance(10_000)
    await env.drainJobs()
    await capture.waitFor(before + 1)
    assert.equal((await row()).status, 'sent')
    const [mail] = capture.messages.slice(before).filter((m) => m.to.includes('ana@cliente.mx'))
    assert.equal(mail.parsed.attachments.length, 0)
  })
})
