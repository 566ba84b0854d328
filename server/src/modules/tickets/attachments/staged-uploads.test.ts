import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { anonymous, createTestEnv, createUser, loginAs, type Client, type TestEnv, type TestUser } from '../../../../test/harness'
import { storageFor } from '../../../platform/storage/storage'
import { multipart, setAttachmentLimits, PNG_BYTES, type UploadPart } from './test-factories'
import { STAGED_TTL_MS } from './commands/stage-attachments'

const file = (filename: string, content: Buffer | string, contentType?: string): UploadPart => ({ filename, content, contentType })

function stage(client: Client, parts: Parameters<typeof multipart>[0], headers: Record<string, string> = {}) {
  const body = multipart(parts)
  return client.request({ method: 'POST', url: '/api/v1/attachments', payload: body.payload, headers: { ...body.headers, ...headers } })
}

async function stagedIds(client: Client, parts: UploadPart[]): Promise<string[]> {
  const res = await stage(client, parts)
  assert.equal(res.statusCode, 201, res.body)
  return res.json().items.map((i: { id: string }) => i.id)
}

describe('files attached while filing a ticket (POST /api/v1/attachments + attachmentIds)', () => {
  let env: TestEnv
  let customer: TestUser
  let asCustomer: Client
  let asOther: Client
  let asAgent: Client
  const count = async (table: 'tickets' | 'staged_attachments' | 'attachments') =>
    Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(env.ctx.db)).rows[0].n)

  before(async () => {
    env = await createTestEnv()
    customer = await createUser(env.ctx, { role: 'customer' })
    asCustomer = await loginAs(env.app, customer)
    asOther = await loginAs(env.app, await createUser(env.ctx, { role: 'customer' }))
    asAgent = await loginAs(env.app, await createUser(env.ctx, { role: 'agent' }))
    const admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    const type = await admin.post('/api/v1/ticket-types', { code: 'falla_pago', nameEs: 'Falla de pago', nameEn: 'Payment failure', requiresEvidence: true })
    assert.equal(type.statusCode, 201, type.body)
  })
  after(async () => { await env.close() })

  describe('POST /api/v1/attachments', () => {
    it('requires a signed-in user', async () => {
      assert.equal((await stage(anonymous(env.app), [file('a.txt', 'hola')])).statusCode, 401)
    })

    it('stores the files for their uploader, sniffs their type and says when they expire', async () => {
      const res = await stage(asCustomer, [file('error.png', PNG_BYTES, 'application/pdf'), file('notas.txt', 'folio 123')])
      assert.equal(res.statusCode, 201, res.body)
      const [png, txt] = res.json().items
      assert.equal(png.contentType, 'image/png')
      assert.equal(png.size, PNG_BYTES.length)
      assert.equal(txt.filename, 'notas.txt')
      assert.equal(new Date(png.expiresAt).getTime(), env.clock.now.getTime() + STAGED_TTL_MS)
      const rows = await sql<{ uploaded_by: string; sha256: string }>`select uploaded_by, sha256 from staged_attachments where id = ${png.id}`.execute(env.ctx.db)
      assert.equal(rows.rows[0].uploaded_by, customer.id)
      assert.equal(await storageFor(env.ctx).exists(rows.rows[0].sha256), true)
    })

    it('refuses a body that is not multipart, an empty upload and unknown fields, in Spanish or English', async () => {
      const json = await asCustomer.post('/api/v1/attachments', { file: 'x' })
      assert.equal(json.statusCode, 415)
      const none = await stage(asCustomer, [], { 'accept-language': 'en' })
      assert.equal(none.statusCode, 400)
      assert.match(none.json().error.message, /No file was received/)
      const field = await stage(asCustomer, [{ field: 'ticketId', value: '1' }, file('a.txt', 'hola')])
      assert.equal(field.statusCode, 400)
      assert.equal(field.json().error.message, 'El campo «ticketId» no es válido en esta carga.')
    })

    it('counts what the user has staged and not used against the per-ticket limit', async () => {
      const user = await createUser(env.ctx, { role: 'customer' })
      const client = await loginAs(env.app, user)
      await setAttachmentLimits(env.ctx, { maxTicketBytes: 1000 })
      try {
        assert.equal((await stage(client, [file('a.txt', 'a'.repeat(600))])).statusCode, 201)
        const es = await stage(client, [file('b.txt', 'b'.repeat(600))])
        assert.equal(es.statusCode, 413)
        assert.equal(es.json().error.code, 'staged_quota_exceeded')
        assert.match(es.json().error.message, /Con «b\.txt» sus archivos subidos y aún sin enviar superarían el límite de 1000 bytes/)
        const en = await stage(client, [file('b.txt', 'b'.repeat(600))], { 'accept-language': 'en' })
        assert.match(en.json().error.message, /your uploaded files not yet sent would exceed the limit of 1000 bytes/)
      } finally {
        await setAttachmentLimits(env.ctx, {})
      }
    })
  })

  describe('POST /api/v1/tickets with attachmentIds', () => {
    it('gives the files to the new ticket, with its description, for everyone who sees it', async () => {
      const [a, b] = await stagedIds(asCustomer, [file('captura.png', PNG_BYTES), file('log.txt', 'error 500')])
      const res = await asCustomer.post('/api/v1/tickets', { subject: 'No carga la factura', description: 'Sale un error', attachmentIds: [a, b] })
      assert.equal(res.statusCode, 201, res.body)
      const ticket = res.json()
      assert.equal(ticket.status, 'new')
      const mine = (await asCustomer.get(`/api/v1/tickets/${ticket.id}/attachments`)).json().items
      assert.deepEqual(mine.map((x: { id: string }) => x.id).sort(), [a, b].sort(), 'the ids stay the same')
      assert.ok(mine.every((x: { commentId: string | null; internal: boolean }) => x.commentId === null && !x.internal))
      const staff = (await asAgent.get(`/api/v1/tickets/${ticket.id}/attachments`)).json().items
      assert.equal(staff.length, 2)
      assert.equal((await asAgent.get(`/api/v1/attachments/${a}`)).statusCode, 200)
      const history = await sql<{ action: string; actor_id: string; new_value: { id: string } }>`
        select action, actor_id, new_value from ticket_history where ticket_id = ${ticket.id} and action = 'attachment_added'`.execute(env.ctx.db)
      assert.deepEqual(history.rows.map((r) => r.new_value.id).sort(), [a, b].sort())
      assert.ok(history.rows.every((r) => r.actor_id === customer.id))
      const left = await sql`select 1 from staged_attachments where id = any(${[a, b]}::uuid[])`.execute(env.ctx.db)
      assert.equal(left.rows.length, 0, 'claimed files are no longer staged')
    })

    it('lets an agent attach files to a ticket filed for a caller', async () => {
      const [id] = await stagedIds(asAgent, [file('foto.png', PNG_BYTES)])
      const res = await asAgent.post('/api/v1/tickets', {
        subject: 'Bomba 3 sin despachar', channel: 'phone', requester: { name: 'Juan Pérez', phone: '5512340000' }, attachmentIds: [id],
      })
      assert.equal(res.statusCode, 201, res.body)
      const files = (await asAgent.get(`/api/v1/tickets/${res.json().id}/attachments`)).json().items
      assert.deepEqual(files.map((f: { filename: string }) => f.filename), ['foto.png'])
    })

    describe('a type that requires evidence (R6)', () => {
      it('starts new when the evidence comes with the ticket', async () => {
        const [id] = await stagedIds(asCustomer, [file('rechazo.png', PNG_BYTES)])
        const res = await asCustomer.post('/api/v1/tickets', { subject: 'Pago rechazado', type: 'falla_pago', attachmentIds: [id] })
        assert.equal(res.statusCode, 201, res.body)
        assert.equal(res.json().status, 'new')
      })

      it('waits for information without it, and a reply from the requester with a file moves it back to open', async () => {
        const res = await asCustomer.post('/api/v1/tickets', { subject: 'Pago rechazado otra vez', type: 'falla_pago' })
        assert.equal(res.json().status, 'pending')
        const id = res.json().id
        const up = multipart([file('rechazo.png', PNG_BYTES)])
        const uploaded = await asCustomer.request({ method: 'POST', url: `/api/v1/tickets/${id}/attachments`, payload: up.payload, headers: up.headers })
        assert.equal(uploaded.statusCode, 201, uploaded.body)
        const reply = await asCustomer.post(`/api/v1/tickets/${id}/comments`, { body: 'Aquí está la captura', attachmentIds: [uploaded.json().items[0].id] })
        assert.equal(reply.statusCode, 201, reply.body)
        assert.equal((await asCustomer.get(`/api/v1/tickets/${id}`)).json().status, 'open')
      })
    })

    describe('bad ids: 404 in Spanish or English, nothing written', () => {
      it("refuses another user's staged file, and its owner can still use it", async () => {
        const [theirs] = await stagedIds(asOther, [file('ajeno.txt', 'de otra persona')])
        const tickets = await count('tickets')
        const es = await asCustomer.post('/api/v1/tickets', { subject: 'Robado', attachmentIds: [theirs] })
        assert.equal(es.statusCode, 404)
        assert.equal(es.json().error.code, 'attachments_not_found')
        assert.match(es.json().error.message, new RegExp(`^No se encontraron estos adjuntos: ${theirs}\\. Cada archivo subido se puede usar una sola vez, solo por quien lo subió`))
        assert.deepEqual(es.json().error.details, [{ field: 'attachmentIds', rule: 'claimable', value: theirs }])
        const staff = await asAgent.post('/api/v1/tickets', { subject: 'Robado', attachmentIds: [theirs] }, { 'accept-language': 'en' })
        assert.equal(staff.statusCode, 404)
        assert.match(staff.json().error.message, /^These attachments were not found: .*only by whoever uploaded it/)
        assert.equal(await count('tickets'), tickets, 'no ticket was filed')
        const own = await asOther.post('/api/v1/tickets', { subject: 'El mío', attachmentIds: [theirs] })
        assert.equal(own.statusCode, 201, own.body)
      })

      it('refuses unknown and already used ids, keeping the valid ones of the same request staged', async () => {
        const [used, fresh] = await stagedIds(asCustomer, [file('uno.txt', 'uno'), file('dos.txt', 'dos')])
        assert.equal((await asCustomer.post('/api/v1/tickets', { subject: 'Primero', attachmentIds: [used] })).statusCode, 201)
        const before = { tickets: await count('tickets'), staged: await count('staged_attachments'), attachments: await count('attachments') }
        const again = await asCustomer.post('/api/v1/tickets', { subject: 'Segundo', attachmentIds: [fresh, used] })
        assert.equal(again.statusCode, 404)
        assert.deepEqual(again.json().error.details.map((d: { value: string }) => d.value), [used])
        const unknown = '00000000-0000-4000-8000-000000000001'
        const missing = await asCustomer.post('/api/v1/tickets', { subject: 'Tercero', attachmentIds: [unknown] }, { 'accept-language': 'en' })
        assert.equal(missing.statusCode, 404)
        assert.match(missing.json().error.message, new RegExp(unknown))
        const after = { tickets: await count('tickets'), staged: await count('staged_attachments'), attachments: await count('attachments') }
        assert.deepEqual(after, before, 'nothing half-written')
        assert.equal((await asCustomer.post('/api/v1/tickets', { subject: 'Cuarto', attachmentIds: [fresh] })).statusCode, 201)
      })

      it('refuses an expired staged file and a malformed id', async () => {
        const [old] = await stagedIds(asCustomer, [file('viejo.txt', 'de ayer')])
        env.clock.advance(STAGED_TTL_MS + 1000)
        try {
          const res = await asCustomer.post('/api/v1/tickets', { subject: 'Tarde', attachmentIds: [old] })
          assert.equal(res.statusCode, 404)
        } finally {
          env.clock.advance(-(STAGED_TTL_MS + 1000))
        }
        const bad = await asCustomer.post('/api/v1/tickets', { subject: 'Mal', attachmentIds: ['no-es-un-id'] })
        assert.equal(bad.statusCode, 400)
      })

      it('refuses files over the per-ticket limit when the limit went down after the upload', async () => {
        const [big] = await stagedIds(asCustomer, [file('grande.txt', 'x'.repeat(2000))])
        await setAttachmentLimits(env.ctx, { maxTicketBytes: 1000 })
        try {
          const tickets = await count('tickets')
          const res = await asCustomer.post('/api/v1/tickets', { subject: 'Muy grande', attachmentIds: [big] })
          assert.equal(res.statusCode, 413)
          assert.equal(res.json().error.code, 'ticket_quota_exceeded')
          assert.equal(await count('tickets'), tickets)
        } finally {
          await setAttachmentLimits(env.ctx, {})
        }
      })
    })
  })

  describe('a reply to a closed ticket carries staged files to its follow-up', () => {
    const closedTicket = async () => {
      const res = await asCustomer.post('/api/v1/tickets', { subject: 'Portabilidad detenida', description: 'No avanza' })
      const id = res.json().id
      for (const status of ['open', 'resolved']) assert.equal((await asAgent.patch(`/api/v1/tickets/${id}`, { status }, { 'if-match': '*' })).statusCode, 200)
      assert.equal((await asCustomer.patch(`/api/v1/tickets/${id}`, { status: 'closed' })).statusCode, 200)
      return id as string
    }
    const filesOf = async (client: Client, ticketId: string) =>
      (await client.get(`/api/v1/tickets/${ticketId}/attachments`)).json().items as Array<{ id: string; filename: string; commentId: string | null }>

    it("the requester's files go with the follow-up's description", async () => {
      const closed = await closedTicket()
      const [id] = await stagedIds(asCustomer, [file('nueva-captura.png', PNG_BYTES)])
      const res = await asCustomer.post(`/api/v1/tickets/${closed}/comments`, { body: 'Volvió a fallar', attachmentIds: [id] })
      assert.equal(res.statusCode, 201, res.body)
      const follow = res.json().followUpTicket
      assert.deepEqual((await filesOf(asCustomer, follow.id)).map((f) => [f.id, f.commentId]), [[id, null]])
      assert.deepEqual(await filesOf(asCustomer, closed), [], 'the closed ticket takes no file')
    })

    it("staff's files go with their reply, the follow-up's first comment, which the requester sees", async () => {
      const closed = await closedTicket()
      const [id] = await stagedIds(asAgent, [file('instructivo.txt', 'Pasos para reiniciar')])
      const res = await asAgent.post(`/api/v1/tickets/${closed}/comments`, { body: 'Le comparto el instructivo', attachmentIds: [id] })
      assert.equal(res.statusCode, 201, res.body)
      const { followUpTicket, comment } = res.json()
      assert.deepEqual((await filesOf(asCustomer, followUpTicket.id)).map((f) => [f.filename, f.commentId]), [['instructivo.txt', comment.id]])
      assert.equal((await asCustomer.get(`/api/v1/attachments/${id}`)).statusCode, 200)
    })

    it('refuses files that are not staged (uploads go to open tickets), writing nothing', async () => {
      const closed = await closedTicket()
      const tickets = await count('tickets')
      const [other] = await stagedIds(asOther, [file('ajeno.txt', 'x')])
      const res = await asCustomer.post(`/api/v1/tickets/${closed}/comments`, { body: 'Otra vez', attachmentIds: [other] }, { 'accept-language': 'en' })
      assert.equal(res.statusCode, 404)
      assert.match(res.json().error.message, /were not found/)
      assert.equal(await count('tickets'), tickets, 'no follow-up was opened')
    })
  })
})
