import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { anonymous, createTestEnv, createUser, loginAs, type Client, type TestEnv, type TestUser } from '../../../../test/harness'
import { buildComment, buildTicket, multipart, setAttachmentLimits, PDF_BYTES, PNG_BYTES, type UploadPart } from './test-factories'

function upload(client: Client, ticketId: string, parts: Parameters<typeof multipart>[0], headers: Record<string, string> = {}) {
  const body = multipart(parts)
  return client.request({ method: 'POST', url: `/api/v1/tickets/${ticketId}/attachments`, payload: body.payload, headers: { ...body.headers, ...headers } })
}
const file = (filename: string, content: Buffer | string, contentType?: string): UploadPart => ({ filename, content, contentType })

describe('attachments', () => {
  let env: TestEnv
  let customer: TestUser
  let other: TestUser
  let agent: TestUser
  let asCustomer: Client
  let asOther: Client
  let asAgent: Client
  let ticket: { id: string; number: number }

  before(async () => {
    env = await createTestEnv()
    customer = await createUser(env.ctx, { role: 'customer' })
    other = await createUser(env.ctx, { role: 'customer' })
    agent = await createUser(env.ctx, { role: 'agent' })
    asCustomer = await loginAs(env.app, customer)
    asOther = await loginAs(env.app, other)
    asAgent = await loginAs(env.app, agent)
    ticket = await buildTicket(env.ctx, customer.id)
  })
  after(async () => { await env.close() })

  describe('POST /api/v1/tickets/:id/attachments', () => {
    it('requires a signed-in user', async () => {
      const res = await upload(anonymous(env.app), ticket.id, [file('a.txt', 'hola')])
      assert.equal(res.statusCode, 401)
    })

    it('answers 404 for a ticket the customer cannot see', async () => {
      const res = await upload(asOther, ticket.id, [file('a.txt', 'hola')])
      assert.equal(res.statusCode, 404)
    })

    it('stores the files, sniffs their type and records history and an event', async () => {
      const res = await upload(asCustomer, ticket.id, [file('captura.png', PNG_BYTES, 'image/png'), file('notas.txt', 'Número de serie: ñ123', 'application/x-evil')])
      assert.equal(res.statusCode, 201, res.body)
      const [png, txt] = res.json().items
      assert.equal(png.contentType, 'image/png')
      assert.equal(png.inline, true)
      assert.equal(png.size, PNG_BYTES.length)
      assert.equal(png.internal, false)
      assert.equal(png.commentId, null)
      assert.equal(txt.contentType, 'text/plain; charset=utf-8')
      const history = await sql<{ action: string; new_value: { id: string } }>`select action, new_value from ticket_history where ticket_id = ${ticket.id} and action = 'attachment_added'`.execute(env.ctx.db)
      assert.deepEqual(history.rows.map((r) => r.new_value.id).sort(), [png.id, txt.id].sort())
      const events = await sql<{ payload: { attachmentIds: string[] } }>`select payload from events where type = 'attachment.added' and ticket_id = ${ticket.id}`.execute(env.ctx.db)
      assert.equal(events.rows.length, 1)
      assert.deepEqual(events.rows[0].payload.attachmentIds, [png.id, txt.id])
    })

    it('refuses a request without files, in Spanish or English', async () => {
      const es = await upload(asCustomer, ticket.id, [])
      assert.equal(es.statusCode, 400)
      assert.equal(es.json().error.code, 'no_files')
      assert.match(es.json().error.message, /No se recibió ningún archivo/)
      const en = await upload(asCustomer, ticket.id, [], { 'accept-language': 'en' })
      assert.match(en.json().error.message, /No file was received/)
    })

    it('refuses an empty file', async () => {
      const res = await upload(asCustomer, ticket.id, [file('vacio.txt', '')])
      assert.equal(res.statusCode, 400)
      assert.equal(res.json().error.code, 'empty_file')
      assert.equal(res.json().error.message, 'El archivo «vacio.txt» está vacío.')
    })

    it('refuses a body that is not multipart', async () => {
      const res = await asCustomer.post(`/api/v1/tickets/${ticket.id}/attachments`, { file: 'x' })
      assert.equal(res.statusCode, 415)
      assert.equal(res.json().error.code, 'not_multipart')
    })

    it('refuses a multipart body cut short with 400, not a server error', async () => {
      const res = await asCustomer.request({
        method: 'POST', url: `/api/v1/tickets/${ticket.id}/attachments`,
        headers: { 'content-type': 'multipart/form-data; boundary=xyz', 'accept-language': 'en' },
        payload: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nabc',
      })
      assert.equal(res.statusCode, 400, res.body)
      assert.equal(res.json().error.code, 'malformed_multipart')
      assert.match(res.json().error.message, /arrived incomplete or malformed/)
    })

    it('refuses a file over the per-file limit and keeps nothing', async () => {
      const t = await buildTicket(env.ctx, customer.id)
      await setAttachmentLimits(env.ctx, { maxFileBytes: 1000, maxTicketBytes: 3000 })
      try {
        const res = await upload(asCustomer, t.id, [file('grande.bin', Buffer.alloc(1500, 7))])
        assert.equal(res.statusCode, 413)
        assert.equal(res.json().error.code, 'file_too_large')
        assert.equal(res.json().error.message, 'El archivo «grande.bin» supera el límite de 1000 bytes por archivo.')
        const ok = await upload(asCustomer, t.id, [file('a.bin', Buffer.alloc(1000, 1)), file('b.bin', Buffer.alloc(1000, 2))])
        assert.equal(ok.statusCode, 201)
        const over = await upload(asCustomer, t.id, [file('c.bin', Buffer.alloc(600, 3)), file('d.bin', Buffer.alloc(600, 4))], { 'accept-language': 'en' })
        assert.equal(over.statusCode, 413)
        assert.equal(over.json().error.code, 'ticket_quota_exceeded')
        assert.match(over.json().error.message, /per-ticket limit of 2.9 KB/)
        const n = await sql<{ n: number }>`select count(*)::int as n from attachments where ticket_id = ${t.id}`.execute(env.ctx.db)
        assert.equal(n.rows[0].n, 2)
      } finally {
        await sql`delete from settings where key = 'attachments.limits'`.execute(env.ctx.db)
      }
    })

    it('does not let a customer upload internal files', async () => {
      const res = await upload(asCustomer, ticket.id, [{ field: 'internal', value: 'true' }, file('a.txt', 'x')])
      assert.equal(res.statusCode, 403)
    })
  })

  describe('GET /api/v1/attachments/:id', () => {
    it('serves the bytes with a safe type, nosniff and a restrictive CSP', async () => {
      const up = await upload(asCustomer, ticket.id, [file('foto.png', PNG_BYTES)])
      const id = up.json().items[0].id
      const res = await asCustomer.get(`/api/v1/attachments/${id}`)
      assert.equal(res.statusCode, 200)
      assert.deepEqual(res.rawPayload, PNG_BYTES)
      assert.equal(res.headers['content-type'], 'image/png')
      assert.match(String(res.headers['content-disposition']), /^inline; filename="foto.png"/)
      assert.equal(res.headers['x-content-type-options'], 'nosniff')
      assert.match(String(res.headers['content-security-policy']), /default-src 'none'.*sandbox/)
      const forced = await asCustomer.get(`/api/v1/attachments/${id}?download=true`)
      assert.match(String(forced.headers['content-disposition']), /^attachment;/)
    })

    it('serves a .png name with PDF bytes as a PDF', async () => {
      const up = await upload(asCustomer, ticket.id, [file('no-es-imagen.png', PDF_BYTES, 'image/png')])
      assert.equal(up.json().items[0].contentType, 'application/pdf')
      const res = await asCustomer.get(up.json().items[0].url)
      assert.equal(res.headers['content-type'], 'application/pdf')
    })

    it('serves HTML, SVG and XML as opaque downloads', async () => {
      const up = await upload(asCustomer, ticket.id, [
        file('pagina.html', '<!doctype html><script>alert(document.cookie)</script>', 'text/html'),
        file('logo.svg', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', 'image/svg+xml'),
        file('datos.xml', '<?xml version="1.0"?><a/>', 'text/xml'),
      ])
      for (const item of up.json().items) {
        const res = await asCustomer.get(item.url)
        assert.equal(res.headers['content-type'], 'application/octet-stream', item.filename)
        assert.match(String(res.headers['content-disposition']), /^attachment;/)
      }
    })

    it('answers 404 to a customer for another customer\'s ticket', async () => {
      const up = await upload(asCustomer, ticket.id, [file('privado.txt', 'mi RFC')])
      const res = await asOther.get(up.json().items[0].url)
      assert.equal(res.statusCode, 404)
      assert.equal(res.json().error.code, 'not_found')
      assert.equal((await anonymous(env.app).get(up.json().items[0].url)).statusCode, 401)
    })

    it('never gives a customer a file of an internal note, nor a staff upload not yet public', async () => {
      const up = await upload(asAgent, ticket.id, [file('interno.txt', 'solo para agentes'), file('respuesta.txt', 'para el cliente')])
      assert.equal(up.statusCode, 201)
      const [internalFile, publicFile] = up.json().items
      assert.equal(internalFile.internal, true)
      assert.equal((await asCustomer.get(internalFile.url)).statusCode, 404)
      assert.equal((await asCustomer.get(publicFile.url)).statusCode, 404)
      await buildComment(env.ctx, agent.id, ticket.id, { body: 'Nota interna con evidencia', internal: true, attachmentIds: [internalFile.id] })
      await buildComment(env.ctx, agent.id, ticket.id, { body: 'Le comparto el archivo', attachmentIds: [publicFile.id] })
      assert.equal((await asCustomer.get(internalFile.url)).statusCode, 404)
      assert.equal((await asAgent.get(internalFile.url)).statusCode, 200)
      assert.equal((await asCustomer.get(publicFile.url)).statusCode, 200)
      const list = await asCustomer.get(`/api/v1/tickets/${ticket.id}/attachments`)
      const ids = list.json().items.map((a: { id: string }) => a.id)
      assert.ok(ids.includes(publicFile.id))
      assert.ok(!ids.includes(internalFile.id))
      const staffList = await asAgent.get(`/api/v1/tickets/${ticket.id}/attachments`)
      assert.ok(staffList.json().items.some((a: { id: string; commentId: string | null }) => a.id === internalFile.id && a.commentId))
    })

    it('keeps a customer-visible file hidden once the note it belongs to is internal', async () => {
      const up = await upload(asAgent, ticket.id, [{ field: 'internal', value: 'false' }, file('publico.txt', 'x')])
      const a = up.json().items[0]
      assert.equal(a.internal, false)
      assert.equal((await asCustomer.get(a.url)).statusCode, 200)
      await buildComment(env.ctx, agent.id, ticket.id, { body: 'Nota', internal: true, attachmentIds: [a.id] })
      assert.equal((await asCustomer.get(a.url)).statusCode, 404)
    })
  })

  describe('claiming attachments in a comment', () => {
    it('refuses files of another uploader, another ticket or already claimed', async () => {
      const mine = (await upload(asAgent, ticket.id, [file('a.txt', 'a')])).json().items[0]
      const theirs = (await upload(asCustomer, ticket.id, [file('b.txt', 'b')])).json().items[0]
      await assert.rejects(buildComment(env.ctx, agent.id, ticket.id, { body: 'x', attachmentIds: [mine.id, theirs.id] }),
        (err: { code?: string; params?: { ids?: string } }) => err.code === 'validation_failed' && err.params?.ids === theirs.id)
      const other = await buildTicket(env.ctx, customer.id)
      await assert.rejects(buildComment(env.ctx, agent.id, other.id, { body: 'x', attachmentIds: [mine.id] }))
      await buildComment(env.ctx, agent.id, ticket.id, { body: 'x', attachmentIds: [mine.id] })
      await assert.rejects(buildComment(env.ctx, agent.id, ticket.id, { body: 'y', attachmentIds: [mine.id] }))
      const row = await sql<{ n: number }>`select count(*)::int as n from comments where ticket_id = ${ticket.id} and body_text = 'y'`.execute(env.ctx.db)
      assert.equal(row.rows[0].n, 0)
    })
  })

  describe('through the comments API', () => {
    it('attaches uploaded files to a reply and lists them on comments, never an internal note\'s to the customer', async () => {
      const t = await buildTicket(env.ctx, customer.id)
      const [pub, priv] = (await upload(asAgent, t.id, [file('guia.pdf', PDF_BYTES), file('diagnostico.txt', 'interno')])).json().items
      const reply = await asAgent.post(`/api/v1/tickets/${t.id}/comments`, { body: 'Adjunto la guía', attachmentIds: [pub.id] })
      assert.equal(reply.statusCode, 201, reply.body)
      assert.deepEqual(reply.json().comment.attachments.map((a: { id: string }) => a.id), [pub.id])
      const note = await asAgent.post(`/api/v1/tickets/${t.id}/comments`, { body: 'Diagnóstico', internal: true, attachmentIds: [priv.id] })
      assert.equal(note.statusCode, 201, note.body)
      const seen = (await asCustomer.get(`/api/v1/tickets/${t.id}/comments`)).json().items
      const files = seen.flatMap((c: { attachments?: Array<{ id: string }> }) => (c.attachments ?? []).map((a) => a.id))
      assert.deepEqual(files, [pub.id])
      const staff = (await asAgent.get(`/api/v1/tickets/${t.id}/comments`)).json().items
      assert.deepEqual(staff.flatMap((c: { attachments?: Array<{ id: string }> }) => (c.attachments ?? []).map((a) => a.id)).sort(), [pub.id, priv.id].sort())
      const stolen = await asCustomer.post(`/api/v1/tickets/${t.id}/comments`, { body: 'mío', attachmentIds: [priv.id] })
      assert.equal(stolen.statusCode, 400)
    })
  })

  describe('required evidence (R6)', () => {
    it('moves a ticket waiting for evidence back to open when the requester sends it', async () => {
      await sql`update ticket_types set requires_evidence = true where code = 'incidente_servicio'`.execute(env.ctx.db)
      try {
        const t = await buildTicket(env.ctx, customer.id, { type: 'incidente_servicio' })
        const before = await sql<{ status: string }>`select status from tickets where id = ${t.id}`.execute(env.ctx.db)
        assert.equal(before.rows[0].status, 'pending')
        assert.equal((await upload(asAgent, t.id, [file('instrucciones.txt', 'envíe una captura')])).statusCode, 201)
        const still = await sql<{ status: string }>`select status from tickets where id = ${t.id}`.execute(env.ctx.db)
        assert.equal(still.rows[0].status, 'pending', 'a file from support is not the requester\'s evidence')
        const res = await upload(asCustomer, t.id, [file('error.png', PNG_BYTES)])
        assert.equal(res.statusCode, 201)
        const after = await sql<{ status: string }>`select status from tickets where id = ${t.id}`.execute(env.ctx.db)
        assert.equal(after.rows[0].status, 'open')
      } finally {
        await sql`update ticket_types set requires_evidence = false where code = 'incidente_servicio'`.execute(env.ctx.db)
      }
    })
  })
})
