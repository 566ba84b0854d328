import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { createTestEnv, createUser, loginAs, type Client, type TestEnv, type TestUser } from '../../../test/harness'
import { startCaptureSmtp, smtpClient, startTestReceiver, type CaptureSmtp } from './test-support/email-test-kit'
import type { SmtpReceiver } from './smtp/smtp-receiver'

/**
 * The email channel end to end on loopback: a customer's mail through our SMTP receiver becomes a
 * ticket; our notifications leave through SMTP_URL to a capture server; replies to exactly those
 * messages come back to the same ticket. Nothing of ours is mocked.
 */
describe('email round trip (SMTP in, SMTP out)', () => {
  let env: TestEnv
  let capture: CaptureSmtp
  let rx: SmtpReceiver
  let admin: Client
  let agent: Client
  let agentUser: TestUser
  let customerMail: ReturnType<typeof smtpClient>

  const ticketOf = async (messageKey: string) =>
    (await sql<{ id: string; number: number; status: string; requester_id: string }>`select t.id, t.number, t.status, t.requester_id
      from inbound_messages i join tickets t on t.id = i.ticket_id where i.message_key = ${messageKey}`.execute(env.ctx.db)).rows[0]
  const count = async (table: 'tickets' | 'comments' | 'inbound_messages' | 'outbound_messages') =>
    (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(env.ctx.db)).rows[0].n
  const inboundStatus = async (messageKey: string) =>
    (await sql<{ status: string; kind: string }>`select status, kind from inbound_messages where message_key = ${messageKey}`.execute(env.ctx.db)).rows[0]

  before(async () => {
    capture = await startCaptureSmtp()
    env = await createTestEnv({ env: { SMTP_URL: capture.url, PUBLIC_URL: 'https://ayuda.ejemplo.mx' } })
    const adminUser = await createUser(env.ctx, { role: 'admin' })
    agentUser = await createUser(env.ctx, { role: 'agent', name: 'Laura Gómez', email: 'laura@ayuda.test' })
    admin = await loginAs(env.app, adminUser)
    agent = await loginAs(env.app, agentUser)
    const res = await admin.post('/api/v1/mailboxes', { address: 'soporte@ayuda.test', name: 'Soporte Ejemplo', inbound: 'smtp' })
    assert.equal(res.statusCode, 201, res.body)
    rx = await startTestReceiver(env.ctx)
    customerMail = smtpClient(rx.port)
  })

  after(async () => {
    customerMail.close()
    await rx.stop()
    await env.close()
    await capture.stop()
  })

  it('turns a customer email into a ticket: new contact as requester, CC as watcher, acknowledgement threaded to it', async () => {
    const info = await customerMail.send({
      from: 'Juan Pérez <juan@cliente.mx>', to: 'soporte@ayuda.test', cc: 'Ana Ruiz <ana@cliente.mx>',
      subject: 'No puedo timbrar facturas', text: 'Hola, el sistema marca error 301 al timbrar.\n\n-- \nJuan Pérez\nCliente SA', messageId: '<primero@cliente.mx>',
    })
    assert.match(info.response, /^250 /)
    const ticket = await ticketOf('<primero@cliente.mx>')
    assert.ok(ticket, 'a ticket was created before the 250')
    const row = (await sql<{ subject: string; description: string; channel: string; email: string; role: string; name: string }>`
      select t.subject, t.description, t.channel, u.email, u.role, u.name from tickets t join users u on u.id = t.requester_id where t.id = ${ticket.id}`.execute(env.ctx.db)).rows[0]
    assert.deepEqual(row, { subject: 'No puedo timbrar facturas', description: 'Hola, el sistema marca error 301 al timbrar.', channel: 'email', email: 'juan@cliente.mx', role: 'customer', name: 'Juan Pérez' })
    const watchers = (await sql<{ email: string }>`select u.email from ticket_watchers w join users u on u.id = w.user_id where w.ticket_id = ${ticket.id}`.execute(env.ctx.db)).rows
    assert.deepEqual(watchers, [{ email: 'ana@cliente.mx' }])

    await env.drainJobs()
    await capture.waitFor(1)
    const ack = capture.to('juan@cliente.mx')
    assert.equal(ack.length, 1, 'only the requester is acknowledged')
    const mail = ack[0].parsed
    assert.equal(mail.subject, `[#${ticket.number}] Recibimos su solicitud: No puedo timbrar facturas`)
    assert.equal(mail.inReplyTo, '<primero@cliente.mx>')
    assert.match(mail.messageId ?? '', new RegExp(`^<ticket-${ticket.id}\\.[a-z2-7]+\\.[a-z2-7]{16}@ayuda\\.test>$`))
    assert.equal(mail.headers.get('auto-submitted'), 'auto-generated')
    assert.equal(mail.from?.value[0].address, 'soporte@ayuda.test')
    assert.match(mail.text ?? '', /https:\/\/ayuda\.ejemplo\.mx\/portal\/tickets\//)
    const outbox = (await admin.get('/api/v1/email/outbox')).json()
    assert.equal(outbox.items[0].status, 'sent')
    assert.equal(outbox.items[0].template, 'ticket_created')
  })

  it('does not duplicate a message delivered again (same Message-ID)', async () => {
    const before = { tickets: await count('tickets'), inbound: await count('inbound_messages') }
    const info = await customerMail.send({ from: 'juan@cliente.mx', to: 'soporte@ayuda.test', subject: 'No puedo timbrar facturas', text: 'otra vez', messageId: '<primero@cliente.mx>' })
    assert.match(info.response, /^250 /)
    assert.deepEqual({ tickets: await count('tickets'), inbound: await count('inbound_messages') }, before)
  })

  it('threads agent reply → customer answer to that exact message into the same ticket (no subject tag needed)', async () => {
    const ticket = await ticketOf('<primero@cliente.mx>')
    const sent = capture.messages.length
    const reply = await agent.post(`/api/v1/tickets/${ticket.id}/comments`, {
      body: '¿Nos comparte una captura del error 301?', status: { status: 'pending' },
    })
    assert.equal(reply.statusCode, 201, reply.body)
    await env.drainJobs()
    await capture.waitFor(sent + 2)
    const asks = capture.messages.slice(sent)
    assert.deepEqual(asks.map((m) => m.to).sort(), [['ana@cliente.mx'], ['juan@cliente.mx']], 'one email each for reply + status change, requester and CC watcher')
    const ask = capture.to('juan@cliente.mx').at(-1)!.parsed
    assert.match(ask.subject ?? '', new RegExp(`^\\[#${ticket.number}\\] Necesitamos información`))
    assert.match(ask.text ?? '', /¿Nos comparte una captura del error 301\?/)
    assert.ok((ask.references as string[]).includes('<primero@cliente.mx>'))

    const answer = await customerMail.send({
      from: 'Juan Pérez <juan@cliente.mx>', to: 'soporte@ayuda.test', subject: 'Re: captura',
      inReplyTo: ask.messageId, references: [ask.messageId!],
      text: `Claro, adjunto la captura.\n\nEl lun, 2 mar 2026 a las 10:00, Soporte <soporte@ayuda.test> escribió:\n> ¿Nos comparte una captura?`,
      attachments: [{ filename: 'error.png', content: Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4c50000000049454e44ae426082', 'hex') }],
      messageId: '<respuesta@cliente.mx>',
    })
    assert.match(answer.response, /^250 /)
    const inbound = (await sql<{ ticket_id: string; status: string; matched_by: string; comment_id: string }>`select ticket_id, status, matched_by, comment_id
      from inbound_messages where message_key = '<respuesta@cliente.mx>'`.execute(env.ctx.db)).rows[0]
    assert.deepEqual({ ticket: inbound.ticket_id, status: inbound.status, by: inbound.matched_by }, { ticket: ticket.id, status: 'comment_added', by: 'message_id' })
    const comment = (await sql<{ body_text: string; internal: boolean; author_id: string; channel: string }>`select body_text, internal, author_id, channel from comments
      where id = ${inbound.comment_id}`.execute(env.ctx.db)).rows[0]
    assert.deepEqual(comment, { body_text: 'Claro, adjunto la captura.', internal: false, author_id: ticket.requester_id, channel: 'email' })
    const files = (await sql<{ filename: string; content_type: string; comment_id: string }>`select filename, content_type, comment_id from attachments
      where ticket_id = ${ticket.id}`.execute(env.ctx.db)).rows
    assert.deepEqual(files, [{ filename: 'error.png', content_type: 'image/png', comment_id: inbound.comment_id }])
    assert.equal((await ticketOf('<primero@cliente.mx>')).status, 'open', 'the requester\'s reply moves pending → open')

    // The agent is not assigned: no customer-reply email; assign and the agent is told.
    const assign = await admin.patch(`/api/v1/tickets/${ticket.id}`, { assigneeId: agentUser.id })
    assert.equal(assign.statusCode, 200, assign.body)
    const beforeAssign = capture.messages.length
    await env.drainJobs()
    await capture.waitFor(beforeAssign + 1)
    const assigned = capture.to('laura@ayuda.test')
    assert.equal(assigned.length, 1, assigned.map((m) => m.parsed.subject).join(' | '))
    assert.match(assigned[0].parsed.subject ?? '', /Se le asignó/)
    assert.match(assigned[0].parsed.text ?? '', /https:\/\/ayuda\.ejemplo\.mx\/agent\/tickets\//)
  })

  it('creates nothing for an auto-reply to our notification, and sends nothing back', async () => {
    const ours = capture.to('juan@cliente.mx').at(-1)!.parsed
    const before = { tickets: await count('tickets'), comments: await count('comments'), outbound: await count('outbound_messages') }
    const info = await customerMail.send({
      from: 'Juan Pérez <juan@cliente.mx>', to: 'soporte@ayuda.test', subject: `Respuesta automática: ${ours.subject}`,
      inReplyTo: ours.messageId, references: [ours.messageId!], headers: { 'Auto-Submitted': 'auto-replied' },
      text: 'Estoy fuera de la oficina hasta el lunes.', messageId: '<fuera@cliente.mx>',
    })
    assert.match(info.response, /^250 /)
    await env.drainJobs()
    assert.deepEqual({ tickets: await count('tickets'), comments: await count('comments'), outbound: await count('outbound_messages') }, before)
    assert.deepEqual(await inboundStatus('<fuera@cliente.mx>'), { status: 'ignored', kind: 'auto_reply' })
  })

  it('never emails an internal note to the customer', async () => {
    const ticket = await ticketOf('<primero@cliente.mx>')
    const sent = capture.messages.length
    const outbound = await count('outbound_messages')
    const note = await agent.post(`/api/v1/tickets/${ticket.id}/comments`, { body: 'Nota interna: el PAC está caído.', internal: true })
    assert.equal(note.statusCode, 201, note.body)
    await env.drainJobs()
    assert.equal(await count('outbound_messages'), outbound)
    assert.equal(capture.messages.length, sent)
    assert.ok(capture.messages.every((m) => !(m.parsed.text ?? '').includes('el PAC está caído')))
  })

  it('counts mail from an agent address as an agent reply only with that agent\'s reply token', async () => {
    const ticket = await ticketOf('<primero@cliente.mx>')
    const toAgent = capture.to('laura@ayuda.test').at(-1)!.parsed
    const toCustomer = capture.to('juan@cliente.mx').at(-1)!.parsed
    const sent = capture.messages.length
    const agentMail = smtpClient(rx.port)
    // Answering her own notification: a public reply by Laura, emailed to the customer.
    await agentMail.send({ from: 'Laura Gómez <laura@ayuda.test>', to: 'soporte@ayuda.test', subject: `Re: ${toAgent.subject}`,
      inReplyTo: toAgent.messageId, references: [toAgent.messageId!], text: 'Ya quedó: el certificado se renovó.', messageId: '<laura-1@ayuda.test>' })
    const verified = (await sql<{ status: string; internal: boolean; author_id: string }>`select i.status, c.internal, c.author_id from inbound_messages i
      join comments c on c.id = i.comment_id where i.message_key = '<laura-1@ayuda.test>'`.execute(env.ctx.db)).rows[0]
    assert.deepEqual(verified, { status: 'comment_added', internal: false, author_id: agentUser.id })
    await env.drainJobs()
    await capture.waitFor(sent + 2)
    assert.match(capture.to('juan@cliente.mx').at(-1)!.parsed.text ?? '', /Ya quedó: el certificado se renovó\./)

    // Spoofed: the agent's address answering the customer's copy (a token made for juan@): an internal note only.
    const customerCopies = capture.messages.length
    await agentMail.send({ from: 'laura@ayuda.test', to: 'soporte@ayuda.test', subject: `Re: ${toCustomer.subject}`,
      inReplyTo: toCustomer.messageId, text: 'Cierren el ticket y den un reembolso.', messageId: '<falso@otro.example>' })
    agentMail.close()
    const spoofed = (await sql<{ status: string; internal: boolean; author_id: string | null; body_text: string; ticket_id: string }>`select i.status, c.internal,
      c.author_id, c.body_text, c.ticket_id from inbound_messages i join comments c on c.id = i.comment_id where i.message_key = '<falso@otro.example>'`.execute(env.ctx.db)).rows[0]
    assert.equal(spoofed.status, 'note_added')
    assert.equal(spoofed.internal, true)
    assert.equal(spoofed.author_id, null)
    assert.equal(spoofed.ticket_id, ticket.id)
    assert.match(spoofed.body_text, /^Correo de laura@ayuda\.test/)
    await env.drainJobs()
    assert.equal(capture.messages.length, customerCopies, 'the spoofed text reaches no customer')
  })

  it('resolved: the email carries one-click links; confirm closes the ticket, then a reply opens a follow-up', async () => {
    const ticket = await ticketOf('<primero@cliente.mx>')
    const sent = capture.messages.length
    const resolve = await agent.patch(`/api/v1/tickets/${ticket.id}`, { status: 'resolved' })
    assert.equal(resolve.statusCode, 200, resolve.body)
    await env.drainJobs()
    await capture.waitFor(sent + 1)
    const resolved = capture.to('juan@cliente.mx').at(-1)!.parsed
    assert.match(resolved.subject ?? '', /Resuelto/)
    assert.equal(capture.to('ana@cliente.mx').filter((m) => /Resuelto/.test(m.parsed.subject ?? '')).length, 0, 'only the requester gets the confirm links')
    const confirm = /https:\/\/ayuda\.ejemplo\.mx(\/api\/v1\/email\/actions\/confirm\?token=[A-Za-z0-9_.-]+)/.exec(resolved.text ?? '')
    assert.ok(confirm, resolved.text)
    const page = await env.app.inject({ method: 'GET', url: confirm[1] })
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /<form method="post"/)
    assert.equal((await ticketOf('<primero@cliente.mx>')).status, 'resolved', 'opening the link changes nothing')
    const token = new URL(`https://x${confirm[1]}`).searchParams.get('token')!
    const done = await env.app.inject({ method: 'POST', url: '/api/v1/email/actions/confirm', payload: `token=${encodeURIComponent(token)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    assert.equal(done.statusCode, 200, done.body)
    assert.match(done.body, /quedó cerrado/)
    assert.doesNotMatch(done.body, /\/portal\//, 'an email-only contact cannot sign in: no portal link')
    assert.equal((await ticketOf('<primero@cliente.mx>')).status, 'closed')
    const reopenLink = /(\/api\/v1\/email\/actions\/reopen\?token=[A-Za-z0-9_.-]+)/.exec(resolved.text ?? '')![1]
    const reopenToken = new URL(`https://x${reopenLink}`).searchParams.get('token')!
    const late = await env.app.inject({ method: 'POST', url: '/api/v1/email/actions/confirm', payload: `token=${encodeURIComponent(reopenToken)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    assert.equal(late.statusCode, 400, 'a reopen token does not confirm')

    const closedMail = capture.to('juan@cliente.mx').at(-1)!.parsed
    await customerMail.send({ from: 'juan@cliente.mx', to: 'soporte@ayuda.test', subject: `Re: ${closedMail.subject}`, inReplyTo: closedMail.messageId,
      text: 'Volvió a fallar hoy.', messageId: '<volvio@cliente.mx>' })
    const followUp = (await sql<{ status: string; follow_up_of_id: string; id: string }>`select i.status, t.follow_up_of_id, t.id from inbound_messages i
      join tickets t on t.id = i.ticket_id where i.message_key = '<volvio@cliente.mx>'`.execute(env.ctx.db)).rows[0]
    assert.equal(followUp.status, 'follow_up_created')
    assert.equal(followUp.follow_up_of_id, ticket.id)
  })

  it('marks a bounced address failing and suppresses notifications to it', async () => {
    await customerMail.send({ from: 'Pedro <pedro@rebota.example>', to: 'soporte@ayuda.test', subject: 'Alta de línea', text: 'Quiero dar de alta una línea.', messageId: '<pedro-1@rebota.example>' })
    const ticket = await ticketOf('<pedro-1@rebota.example>')
    const dsn = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.rebota.example>', 'To: soporte@ayuda.test', 'Subject: Undelivered Mail Returned to Sender',
      'Message-ID: <dsn-1@mx.rebota.example>', 'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"', '',
      '--b1', 'Content-Type: text/plain', '', 'Your message could not be delivered.', '',
      '--b1', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.rebota.example', '',
      'Final-Recipient: rfc822; pedro@rebota.example', 'Action: failed', 'Status: 5.1.1', 'Diagnostic-Code: smtp; 550 5.1.1 User unknown', '', '--b1--', '',
    ].join('\r\n')
    const bounce = await customerMail.send({ envelope: { from: '', to: ['soporte@ayuda.test'] }, raw: dsn })
    assert.match(bounce.response, /^250 /)
    assert.equal((await inboundStatus('<dsn-1@mx.rebota.example>')).status, 'bounce')
    const failing = (await admin.get('/api/v1/email/failing-addresses')).json()
    assert.deepEqual(failing.items.map((f: { address: string; status: string }) => [f.address, f.status]), [['pedro@rebota.example', '5.1.1']])
    const user = (await sql<{ email_failing: boolean }>`select email_failing from users where email = 'pedro@rebota.example'`.execute(env.ctx.db)).rows[0]
    assert.equal(user.email_failing, true)

    await env.drainJobs()
    const reply = await agent.post(`/api/v1/tickets/${ticket.id}/comments`, { body: 'Con gusto, ¿qué plan?' })
    assert.equal(reply.statusCode, 201)
    await env.drainJobs()
    const rows = (await sql<{ template: string; status: string; error: string }>`select template, status, error from outbound_messages
      where ticket_id = ${ticket.id} order by created_at, id`.execute(env.ctx.db)).rows
    assert.deepEqual(rows.filter((r) => r.template === 'agent_reply'), [{ template: 'agent_reply', status: 'suppressed', error: 'address_failing' }])
    assert.equal(capture.to('pedro@rebota.example').filter((m) => /qué plan/.test(m.parsed.text ?? '')).length, 0)
  })

  it('rejects unknown recipients, denied senders and oversized messages at the SMTP level', async () => {
    await assert.rejects(customerMail.send({ from: 'x@cliente.mx', to: 'ventas@otro.example', subject: 'hola', text: 'hola' }), /550/)
    assert.equal((await admin.patch('/api/v1/settings', { 'email.denyList': ['no es una dirección'] })).statusCode, 400)
    const patched = await admin.patch('/api/v1/settings', { 'email.denyList': ['@spam.example', 'molesto@cliente.mx'] })
    assert.equal(patched.statusCode, 200, patched.body)
    const { invalidateEmailSettings } = await import('./email.settings')
    invalidateEmailSettings(env.ctx)
    await assert.rejects(customerMail.send({ from: 'oferta@spam.example', to: 'soporte@ayuda.test', subject: 'Oferta', text: 'compre' }), /550/)
    await assert.rejects(customerMail.send({ from: 'molesto+otra@cliente.mx', to: 'soporte@ayuda.test', subject: 'Otra vez', text: 'x' }), /550/, 'a +tag does not get past the entry')
    // Header From on the deny list with an innocent envelope: stored, no ticket.
    const tickets = await count('tickets')
    await customerMail.send({ envelope: { from: 'bounce@relay.example', to: ['soporte@ayuda.test'] }, from: 'oferta@spam.example', to: 'soporte@ayuda.test',
      subject: 'Oferta', text: 'compre', messageId: '<spam-2@spam.example>' })
    assert.equal(await count('tickets'), tickets)
    assert.equal((await inboundStatus('<spam-2@spam.example>')).status, 'denied')
  })
})
