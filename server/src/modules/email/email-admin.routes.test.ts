import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { anonymous, createTeam, createTestEnv, createUser, loginAs, type Client, type TestEnv, type TestUser } from '../../../test/harness'
import { listMailboxRecords } from './mailboxes/mailbox-directory'
import { receiveInbound } from './inbound/receive-inbound'
import { rawMail } from './test-support/email-test-kit'

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4c50000000049454e44ae426082', 'hex')

describe('email admin API', () => {
  let env: TestEnv
  let admin: Client
  let agent: Client
  let customer: Client
  let agentUser: TestUser
  let mailboxId: string

  before(async () => {
    env = await createTestEnv()
    admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    agentUser = await createUser(env.ctx, { role: 'agent' })
    agent = await loginAs(env.app, agentUser)
    customer = await loginAs(env.app, await createUser(env.ctx, { role: 'customer', email: 'cliente@ejemplo.mx' }))
  })
  after(async () => { await env.close() })

  describe('POST/GET/PATCH /api/v1/mailboxes', () => {
    it('refuses anonymous (401), agents (403) and bad input (400, in Spanish)', async () => {
      assert.equal((await anonymous(env.app).get('/api/v1/mailboxes')).statusCode, 401)
      assert.equal((await agent.get('/api/v1/mailboxes')).statusCode, 403)
      assert.equal((await agent.post('/api/v1/mailboxes', { address: 'x@y.mx', name: 'X', inbound: 'smtp' })).statusCode, 403)
      const bad = await admin.post('/api/v1/mailboxes', { address: 'no-es-correo', name: 'X', inbound: 'pop3', extra: 1 })
      assert.equal(bad.statusCode, 400)
      assert.match(bad.json().error.message, /La solicitud no es válida/)
      const imapWithoutLogin = await admin.post('/api/v1/mailboxes', { address: 'imap@ayuda.test', name: 'IMAP', inbound: 'imap', imapHost: 'imap.ayuda.test' })
      assert.equal(imapWithoutLogin.statusCode, 400)
      assert.equal(imapWithoutLogin.json().error.code, 'validation_failed')
    })

    it('creates a mailbox with ticket defaults, lists it, changes it, and never returns the IMAP password', async () => {
      const team = await createTeam(env.ctx, 'Soporte N1')
      const created = await admin.post('/api/v1/mailboxes', { address: 'Soporte@Ayuda.test', name: 'Soporte', inbound: 'smtp', teamId: team, priority: 'high' })
      assert.equal(created.statusCode, 201, created.body)
      const box = created.json()
      mailboxId = box.id
      assert.equal(box.address, 'soporte@ayuda.test')
      assert.equal(box.teamId, team)
      assert.equal(box.priority, 'high')
      assert.equal((await admin.post('/api/v1/mailboxes', { address: 'soporte@ayuda.test', name: 'Otro', inbound: 'smtp' })).statusCode, 409)
      const unknownTeam = await admin.post('/api/v1/mailboxes', { address: 'b@ayuda.test', name: 'B', inbound: 'smtp', teamId: '00000000-0000-0000-0000-000000000001' })
      assert.equal(unknownTeam.statusCode, 400)

      const imap = await admin.post('/api/v1/mailboxes', {
        address: 'correo@ayuda.test', name: 'IMAP', inbound: 'imap', imapHost: 'imap.ayuda.test', imapPort: 993, imapUser: 'correo', imapPassword: 'secreto-imap-123',
      })
      assert.equal(imap.statusCode, 201, imap.body)
      const list = await admin.get('/api/v1/mailboxes')
      assert.equal(list.statusCode, 200)
      assert.deepEqual(list.json().items.map((m: { address: string }) => m.address).sort(), ['correo@ayuda.test', 'soporte@ayuda.test'])
      assert.ok(!list.body.includes('secreto-imap-123'))
      assert.equal(list.json().items.find((m: { address: string }) => m.address === 'correo@ayuda.test').imapPasswordSet, true)
      const audit = (await sql<{ details: unknown }>`select details from audit_log where action = 'mailbox.created'`.execute(env.ctx.db)).rows
      assert.ok(!JSON.stringify(audit).includes('secreto-imap-123'), 'not in the audit log either')

      const patched = await admin.patch(`/api/v1/mailboxes/${imap.json().id}`, { active: false, processedAction: 'flag' })
      assert.equal(patched.statusCode, 200)
      assert.deepEqual([patched.json().active, patched.json().processedAction], [false, 'flag'])
      assert.equal((await admin.patch(`/api/v1/mailboxes/${imap.json().id}`, { imapPassword: null })).statusCode, 400, 'an IMAP mailbox keeps a password')
      assert.equal((await admin.get('/api/v1/mailboxes/00000000-0000-0000-0000-000000000009')).statusCode, 404)
    })

    it('gives new tickets of the mailbox its team and priority', async () => {
      const mailbox = (await listMailboxRecords(env.ctx.db)).find((m) => m.id === mailboxId)!
      const outcome = await receiveInbound(env.ctx, { raw: await rawMail({ from: 'Rosa <rosa@cliente.mx>', to: 'soporte@ayuda.test', subject: 'Sin servicio', text: 'No tengo datos.' }), mailbox, source: 'smtp' })
      const ticket = (await sql<{ team_id: string; priority: string }>`select team_id, priority from tickets where id = ${outcome.ticketId}`.execute(env.ctx.db)).rows[0]
      assert.deepEqual(ticket, { team_id: mailbox.teamId, priority: 'high' })
    })
  })

  describe('email templates', () => {
    it('lists events, reads the default, saves a valid override and resets it', async () => {
      assert.equal((await agent.get('/api/v1/email-templates')).statusCode, 403)
      const list = (await admin.get('/api/v1/email-templates')).json()
      assert.ok(list.items.some((i: { event: string }) => i.event === 'ticket_resolved'))
      const french = await admin.get('/api/v1/email-templates/ticket_created/fr')
      assert.equal(french.statusCode, 400)
      assert.match(french.json().error.message, /debe ser uno de: es, en/, 'every choice of a union of constants is named')
      const read = await admin.get('/api/v1/email-templates/ticket_created/es')
      assert.equal(read.statusCode, 200)
      assert.equal(read.json().overridden, false)
      assert.match(read.json().subject, /Recibimos su solicitud/)
      assert.equal((await admin.get('/api/v1/email-templates/no_existe/es')).statusCode, 404)
      assert.equal((await admin.get('/api/v1/email-templates/ticket_created/fr')).statusCode, 400)

      const invalid = await admin.put('/api/v1/email-templates/ticket_created/es', { subject: 'Folio {{links.confirm}}', body: '{{#if ticket.url}}x' })
      assert.equal(invalid.statusCode, 400)
      assert.equal(invalid.json().error.code, 'template_invalid')
      assert.match(invalid.json().error.message, /unknown_variable/)

      const saved = await admin.put('/api/v1/email-templates/ticket_created/es', { subject: 'Folio {{ticket.number}} recibido', body: null })
      assert.equal(saved.statusCode, 200, saved.body)
      assert.deepEqual([saved.json().overridden, saved.json().subject], [true, 'Folio {{ticket.number}} recibido'])
      const reset = await admin.put('/api/v1/email-templates/ticket_created/es', { subject: null, body: '' })
      assert.equal(reset.json().overridden, false)
    })

    it('previews with sample data and lists problems instead of failing', async () => {
      const ok = await admin.post('/api/v1/email-templates/preview', { event: 'ticket_resolved', lang: 'en', body: 'Solved: {{ticket.subject}} {{links.confirm}}' })
      assert.equal(ok.statusCode, 200)
      assert.equal(ok.json().subject, '[#11768] Resolved: I cannot issue invoices')
      assert.match(ok.json().text, /Solved: I cannot issue invoices https:\/\/ayuda\.ejemplo\.mx\/api\/v1\/email\/actions\/confirm/)
      assert.deepEqual(ok.json().problems, [])
      const bad = await admin.post('/api/v1/email-templates/preview', { event: 'ticket_closed', lang: 'es', subject: '{{nada}}' })
      assert.equal(bad.statusCode, 200)
      assert.deepEqual(bad.json().problems, [{ field: 'subject', code: 'unknown_variable', detail: 'nada' }])
      assert.match(bad.json().subject, /Cerrado/, 'the default subject stands in for the broken one')
    })
  })

  describe('ticket emails: list, show original, inline images', () => {
    let ticketId: string
    let inboundId: string

    before(async () => {
      const mailbox = (await listMailboxRecords(env.ctx.db)).find((m) => m.id === mailboxId)!
      const raw = await rawMail({
        from: 'Cliente <cliente@ejemplo.mx>', to: 'soporte@ayuda.test', cc: 'Jefa <jefa@ejemplo.mx>', subject: 'Pantalla con error', messageId: '<pantalla@ejemplo.mx>',
        html: '<p>Vea la imagen:</p><img src="cid:captura@ejemplo"><script>alert(1)</script>',
        attachments: [{ filename: 'captura.png', content: PNG, cid: 'captura@ejemplo' }, { filename: 'notas.txt', content: 'Pasos: reinicié el módem.' }],
      })
      const outcome = await receiveInbound(env.ctx, { raw, mailbox, source: 'smtp' })
      assert.equal(outcome.status, 'ticket_created')
      ticketId = outcome.ticketId!
      inboundId = outcome.id
    })

    it('rewrites cid: images to the stored attachment and keeps the files on the ticket', async () => {
      const ticket = (await sql<{ description_html: string }>`select description_html from tickets where id = ${ticketId}`.execute(env.ctx.db)).rows[0]
      assert.match(ticket.description_html, new RegExp(`<img src="/api/v1/email/inbound/${inboundId}/cid/captura%40ejemplo"`))
      assert.doesNotMatch(ticket.description_html, /script|cid:/)
      const files = (await sql<{ filename: string; content_type: string; internal: boolean }>`select filename, content_type, internal from attachments
        where ticket_id = ${ticketId} order by filename`.execute(env.ctx.db)).rows
      assert.deepEqual(files, [
        { filename: 'captura.png', content_type: 'image/png', internal: false },
        { filename: 'notas.txt', content_type: 'text/plain; charset=utf-8', internal: false },
      ])
      const image = await customer.get(`/api/v1/email/inbound/${inboundId}/cid/captura%40ejemplo`)
      assert.equal(image.statusCode, 302, 'the requester sees the image of their own ticket')
      const followed = await customer.get(image.headers.location as string)
      assert.equal(followed.statusCode, 200)
      assert.equal(followed.headers['content-type'], 'image/png')
      const stranger = await loginAs(env.app, await createUser(env.ctx, { role: 'customer' }))
      assert.equal((await stranger.get(`/api/v1/email/inbound/${inboundId}/cid/captura%40ejemplo`)).statusCode, 404)
    })

    it('does not redirect a customer to a file they may not download (one of an internal note)', async () => {
      await sql`update attachments set internal = true where ticket_id = ${ticketId} and filename = 'captura.png'`.execute(env.ctx.db)
      try {
        const hidden = await customer.get(`/api/v1/email/inbound/${inboundId}/cid/captura%40ejemplo`)
        assert.equal(hidden.statusCode, 404, 'no redirect naming the internal file')
        assert.equal(hidden.headers.location, undefined)
        assert.equal((await agent.get(`/api/v1/email/inbound/${inboundId}/cid/captura%40ejemplo`)).statusCode, 302, 'staff still see it')
      } finally {
        await sql`update attachments set internal = false where ticket_id = ${ticketId} and filename = 'captura.png'`.execute(env.ctx.db)
      }
    })

    it('lists the ticket\'s email for staff with From/To/CC and serves the original .eml', async () => {
      const list = await agent.get(`/api/v1/tickets/${ticketId}/emails`)
      assert.equal(list.statusCode, 200, list.body)
      const received = list.json().items.find((i: { direction: string }) => i.direction === 'inbound')
      assert.deepEqual(received.from, { address: 'cliente@ejemplo.mx', name: 'Cliente' })
      assert.deepEqual(received.cc, [{ address: 'jefa@ejemplo.mx', name: 'Jefa' }])
      assert.equal(received.attachmentIds.length, 2)

      const raw = await agent.get(received.rawUrl)
      assert.equal(raw.statusCode, 200)
      assert.equal(raw.headers['content-type'], 'message/rfc822')
      assert.match(String(raw.headers['content-disposition']), /^attachment; filename="correo-\d+-/)
      assert.match(raw.body, /Message-ID: <pantalla@ejemplo\.mx>/)
      const byMessageId = await agent.get(`/api/v1/tickets/${ticketId}/emails/${encodeURIComponent('<pantalla@ejemplo.mx>')}/raw`)
      assert.equal(byMessageId.statusCode, 200)

      assert.equal((await customer.get(received.rawUrl)).statusCode, 403, 'customers do not get the original')
      assert.equal((await customer.get(`/api/v1/tickets/${ticketId}/emails`)).statusCode, 403)
      assert.equal((await agent.get(`/api/v1/tickets/${ticketId}/emails/00000000-0000-0000-0000-000000000001/raw`)).statusCode, 404)
      const scoped = await loginAs(env.app, await createUser(env.ctx, { role: 'agent', ticketScope: 'assigned' }))
      assert.equal((await scoped.get(received.rawUrl)).statusCode, 404, 'an agent who cannot see the ticket gets 404')
    })

    it("names the reply each sent mail carries, so the page shows its From/To under that reply", async () => {
      const reply = await agent.post(`/api/v1/tickets/${ticketId}/comments`, { body: 'Ya revisamos la pantalla; reinicie la app, por favor.' })
      assert.equal(reply.statusCode, 201, reply.body)
      await env.drainJobs()
      const items = (await agent.get(`/api/v1/tickets/${ticketId}/emails`)).json().items as Array<{ direction: string; template: string | null; commentId: string | null; to: Array<{ address: string }> }>
      const sent = items.filter((i) => i.direction === 'outbound' && i.template === 'agent_reply')
      assert.deepEqual(sent.map((i) => i.to[0].address).sort(), ['cliente@ejemplo.mx', 'jefa@ejemplo.mx'])
      assert.ok(sent.every((i) => i.commentId === reply.json().comment.id), JSON.stringify(sent))
      assert.ok(items.filter((i) => i.direction === 'outbound' && i.template === 'ticket_created').every((i) => i.commentId === null))
    })
  })

  describe('GET /api/v1/email/outbox and agent email preferences', () => {
    it('shows queued then sent mail, and honours an agent who switched assignment emails off', async () => {
      const prefs = await agent.put('/api/v1/me/email-notifications', { assigned: false })
      assert.equal(prefs.statusCode, 200)
      assert.deepEqual(prefs.json(), { assigned: false, mentioned: true, customerReply: true, slaWarning: true, slaBreached: true, cutoffReminder: true })
      assert.equal((await customer.get('/api/v1/me/email-notifications')).statusCode, 403)

      const ticket = (await sql<{ id: string }>`select ticket_id as id from inbound_messages where message_key = '<pantalla@ejemplo.mx>'`.execute(env.ctx.db)).rows[0]
      assert.equal((await admin.patch(`/api/v1/tickets/${ticket.id}`, { assigneeId: agentUser.id })).statusCode, 200)
      await env.drainJobs()
      const outbox = await admin.get('/api/v1/email/outbox?limit=100')
      assert.equal(outbox.statusCode, 200)
      const items = outbox.json().items as Array<{ template: string; to: string; status: string }>
      assert.ok(items.some((i) => i.template === 'ticket_created' && i.to === 'cliente@ejemplo.mx' && i.status === 'sent'))
      assert.ok(!items.some((i) => i.template === 'agent_assigned'), 'switched off')
      const page = await admin.get('/api/v1/email/outbox?limit=1')
      assert.equal(page.json().items.length, 1)
      assert.ok(page.json().nextCursor)
      const next = await admin.get(`/api/v1/email/outbox?limit=1&cursor=${page.json().nextCursor}`)
      assert.notEqual(next.json().items[0].id, page.json().items[0].id)
      assert.equal((await agent.get('/api/v1/email/outbox')).statusCode, 403)
      // Without SMTP_URL the outbox's «sent» means written to a file: the admin screen is told so.
      const delivery = await admin.get('/api/v1/email/delivery')
      assert.equal(delivery.statusCode, 200, delivery.body)
      assert.equal(delivery.json().mode, 'file')
      assert.match(delivery.json().folder, /mail-outbox$/)
      assert.equal((await agent.get('/api/v1/email/delivery')).statusCode, 403)
      const inbound = await admin.get('/api/v1/email/inbound')
      assert.ok(inbound.json().items.some((i: { status: string; subject: string }) => i.status === 'ticket_created' && i.subject === 'Pantalla con error'))
    })
  })
})
