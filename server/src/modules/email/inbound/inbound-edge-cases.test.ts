import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { createTestEnv, createUser, loginAs, type Client, type TestEnv, type TestUser } from '../../../../test/harness'
import { buildTicket } from '../../tickets/test-support/ticket-factories'
import { invalidateEmailSettings } from '../email.settings'
import { emailSecrets } from '../email-secrets'
import { listMailboxRecords, type MailboxRecord } from '../mailboxes/mailbox-directory'
import { buildOutboundHeaders } from '../outbound/headers'
import { authenticationPassed, readRawHeader } from './raw-headers'
import { receiveInbound } from './receive-inbound'
import { rawMail } from '../test-support/email-test-kit'

describe('Authentication-Results', () => {
  it('reads only the topmost field, unfolded, and believes it only from the trusted server and for the From domain', () => {
    const raw = Buffer.from('Authentication-Results: mx.ayuda.test;\r\n dkim=pass header.d=ayuda.test\r\nAuthentication-Results: falso; spf=fail\r\nSubject: x\r\n\r\nAuthentication-Results: cuerpo; dkim=pass\r\n')
    assert.deepEqual(readRawHeader(raw, 'authentication-results'), ['mx.ayuda.test; dkim=pass header.d=ayuda.test', 'falso; spf=fail'])
    const trusted = { authservId: 'mx.ayuda.test', from: 'laura@ayuda.test' }
    assert.equal(authenticationPassed(raw, trusted), true)
    assert.equal(authenticationPassed(raw, { ...trusted, from: 'laura@soporte.ayuda.test' }), true, 'a parent domain aligns')
    assert.equal(authenticationPassed(raw, { ...trusted, authservId: null }), false, 'nothing is believed until the admin names the server')
    assert.equal(authenticationPassed(raw, { ...trusted, from: 'laura@otro.test' }), false)
    const field = (value: string) => Buffer.from(`Authentication-Results: ${value}\r\nSubject: x\r\n\r\n`)
    // What a sender can write: another server's verdict, or a pass for a domain of its own.
    assert.equal(authenticationPassed(field('mx.evil.example; spf=pass smtp.mailfrom=evil.example; dkim=pass header.d=evil.example'), trusted), false)
    assert.equal(authenticationPassed(field('mx.ayuda.test; spf=pass smtp.mailfrom=evil.example; dkim=pass header.d=evil.example'), trusted), false)
    assert.equal(authenticationPassed(field('mx.ayuda.test 1; spf=pass (sender ok) smtp.mailfrom=rebotes@ayuda.test'), trusted), true)
    assert.equal(authenticationPassed(field('mx.ayuda.test; dkim=fail header.d=ayuda.test; spf=softfail smtp.mailfrom=ayuda.test'), trusted), false)
    assert.equal(authenticationPassed(Buffer.from('Subject: sin encabezado\r\n\r\nAuthentication-Results: mx.ayuda.test; dkim=pass header.d=ayuda.test\r\n'), trusted), false)
  })
})

describe('inbound edge cases', () => {
  let env: TestEnv
  let admin: Client
  let agentUser: TestUser
  let mailbox: MailboxRecord

  before(async () => {
    env = await createTestEnv()
    admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    agentUser = await createUser(env.ctx, { role: 'agent', email: 'laura@ayuda.test' })
    assert.equal((await admin.post('/api/v1/mailboxes', { address: 'soporte@ayuda.test', name: 'Soporte', inbound: 'smtp' })).statusCode, 201)
    mailbox = (await listMailboxRecords(env.ctx.db))[0]
  })
  after(async () => { await env.close() })

  it('with agentReplyAuth on, an agent\'s tokened reply counts only when the inbound MTA says SPF/DKIM passed', async () => {
    const customer = await createUser(env.ctx, { role: 'customer', email: 'cliente@ejemplo.mx' })
    const ticket = await buildTicket(env.ctx, agentUser.id, { requesterId: customer.id, subject: 'Verificación' })
    const number = (await sql<{ number: number }>`select number from tickets where id = ${ticket.id}`.execute(env.ctx.db)).rows[0].number
    // The Message-ID of a notification we sent to the agent (its token is bound to her address).
    const ours = buildOutboundHeaders({ ticketId: ticket.id, ticketNumber: number, recipient: 'laura@ayuda.test', mailbox: { address: 'soporte@ayuda.test' },
      messageIdDomain: 'ayuda.test', secret: (await emailSecrets(env.ctx))[0], thread: [], automatic: true }).messageId
    assert.equal((await admin.patch('/api/v1/settings', { 'email.agentReplyAuth': 'authentication-results', 'email.authservId': 'mx.ayuda.test' })).statusCode, 200)
    invalidateEmailSettings(env.ctx)
    const reply = (id: string, headers: Record<string, string>) => rawMail({ from: 'laura@ayuda.test', to: 'soporte@ayuda.test', subject: 'Re: Verificación',
      inReplyTo: ours, text: 'Respuesta de la agente.', messageId: `<${id}@ayuda.test>`, headers })
    const unverified = await receiveInbound(env.ctx, { raw: await reply('sin-dkim', {}), mailbox, source: 'smtp' })
    const verified = await receiveInbound(env.ctx, { raw: await reply('con-dkim', { 'Authentication-Results': 'mx.ayuda.test; dkim=pass header.d=ayuda.test' }), mailbox, source: 'smtp' })
    const forged = await receiveInbound(env.ctx, { raw: await reply('falsa', { 'Authentication-Results': 'mx.evil.example; dkim=pass header.d=evil.example' }), mailbox, source: 'smtp' })
    assert.deepEqual([unverified.status, verified.status, forged.status], ['note_added', 'comment_added', 'note_added'])
    const comment = (await sql<{ internal: boolean; author_id: string }>`select internal, author_id from comments where id = ${verified.commentId}`.execute(env.ctx.db)).rows[0]
    assert.deepEqual(comment, { internal: false, author_id: agentUser.id })
    assert.equal((await admin.patch('/api/v1/settings', { 'email.agentReplyAuth': null, 'email.authservId': null })).statusCode, 200)
    invalidateEmailSettings(env.ctx)
  })

  it('files a new request with no text as «(correo sin texto)», as a reply would be, not blank', async () => {
    const outcome = await receiveInbound(env.ctx, { raw: await rawMail({ from: 'callado@cliente.mx', to: 'soporte@ayuda.test', subject: 'Sin texto', text: '', messageId: '<vacio@cliente.mx>' }), mailbox, source: 'smtp' })
    assert.equal(outcome.status, 'ticket_created')
    const description = (await sql<{ description: string }>`select description from tickets where id = ${outcome.ticketId}`.execute(env.ctx.db)).rows[0].description
    assert.equal(description, '(correo sin texto)')
  })

  it('with plus addressing, a reply to soporte+{token}@ finds its ticket without In-Reply-To or a subject tag', async () => {
    const box = await admin.post('/api/v1/mailboxes', { address: 'ayuda@ayuda.test', name: 'Ayuda', inbound: 'smtp', plusAddressing: true })
    assert.equal(box.statusCode, 201)
    const ayuda = (await listMailboxRecords(env.ctx.db)).find((m) => m.address === 'ayuda@ayuda.test')!
    const first = await receiveInbound(env.ctx, { raw: await rawMail({ from: 'Beto <beto@cliente.mx>', to: 'ayuda@ayuda.test', subject: 'Recarga no aplicada', text: 'Hice una recarga y no aparece.' }), mailbox: ayuda, source: 'smtp' })
    await env.drainJobs()
    const ack = (await sql<{ reply_to: string }>`select reply_to from outbound_messages where ticket_id = ${first.ticketId} and template = 'ticket_created'`.execute(env.ctx.db)).rows[0]
    const plus = /<?(ayuda\+[^@>]+@ayuda\.test)>?$/.exec(ack.reply_to)
    assert.ok(plus, ack.reply_to)
    const reply = await receiveInbound(env.ctx, { raw: await rawMail({ from: 'beto@cliente.mx', to: plus[1], subject: 'otra cosa', text: 'Ya apareció, gracias.' }), mailbox: ayuda, source: 'smtp' })
    assert.deepEqual([reply.status, reply.ticketId], ['comment_added', first.ticketId])
    const matched = (await sql<{ matched_by: string }>`select matched_by from inbound_messages where id = ${reply.id}`.execute(env.ctx.db)).rows[0]
    assert.equal(matched.matched_by, 'address_token')
  })

  it('keeps a message it could not apply as failed (with the error) and reprocesses it after the cause is fixed', async () => {
    const type = (await sql<{ id: string }>`insert into ticket_types (code, name_es, name_en) values ('telefonia', 'Telefonía', 'Telephony') returning id`.execute(env.ctx.db)).rows[0]
    const box = await admin.post('/api/v1/mailboxes', { address: 'telefonia@ayuda.test', name: 'Telefonía', inbound: 'smtp', typeId: type.id })
    assert.equal(box.statusCode, 201)
    await sql`update ticket_types set active = false where id = ${type.id}`.execute(env.ctx.db)
    const telefonia = (await listMailboxRecords(env.ctx.db)).find((m) => m.address === 'telefonia@ayuda.test')!
    const raw = await rawMail({ from: 'rosa@cliente.mx', to: 'telefonia@ayuda.test', subject: 'Portabilidad', text: 'Quiero portar mi número.', messageId: '<porta@cliente.mx>' })
    const failed = await receiveInbound(env.ctx, { raw, mailbox: telefonia, source: 'smtp' })
    assert.equal(failed.status, 'failed')
    const row = (await admin.get('/api/v1/email/inbound?status=failed')).json().items[0]
    assert.equal(row.id, failed.id)
    assert.match(row.error, /tickets\.unknown_type/)
    assert.equal((await sql<{ n: number }>`select count(*)::int as n from tickets where subject = 'Portabilidad'`.execute(env.ctx.db)).rows[0].n, 0)

    const again = await receiveInbound(env.ctx, { raw, mailbox: telefonia, source: 'smtp' })
    assert.equal(again.status, 'failed', 're-delivery retries a failed message (still failing)')
    await sql`update ticket_types set active = true where id = ${type.id}`.execute(env.ctx.db)
    const redo = await admin.post(`/api/v1/email/inbound/${failed.id}/reprocess`, {})
    assert.equal(redo.statusCode, 200, redo.body)
    assert.equal(redo.json().status, 'ticket_created')
    assert.equal((await admin.post(`/api/v1/email/inbound/${failed.id}/reprocess`, {})).statusCode, 409)
    const stored = (await sql<{ attempts: number; status: string; error: string | null }>`select attempts, status, error from inbound_messages where id = ${failed.id}`.execute(env.ctx.db)).rows[0]
    assert.deepEqual(stored, { attempts: 3, status: 'ticket_created', error: null })
  })

  it('makes the addresses in To beside ours watchers, as those in CC; never one of our own addresses', async () => {
    const outcome = await receiveInbound(env.ctx, { raw: await rawMail({ from: 'Rosa Ríos <rosa@cliente.example>',
      to: ['soporte@ayuda.test', 'Jefe Sistemas <jefe@cliente.example>', 'soporte+abc@ayuda.test', 'laura@ayuda.test'],
      cc: ['Compras <compras@cliente.example>', 'jefe@cliente.example'], subject: 'Falla en el conmutador', text: 'No hay tono desde la mañana.',
      messageId: '<con-copia-en-to@cliente.example>' }), mailbox, source: 'smtp' })
    assert.equal(outcome.status, 'ticket_created')
    const watchers = (await sql<{ email: string; name: string }>`select u.email, u.name from ticket_watchers w join users u on u.id = w.user_id
      where w.ticket_id = ${outcome.ticketId} order by u.email`.execute(env.ctx.db)).rows
    // The agent in To follows it too, as she would in CC; the mailbox, with or without a tag, never.
    assert.deepEqual(watchers.map((w) => w.email), ['compras@cliente.example', 'jefe@cliente.example', 'laura@ayuda.test'])
    assert.equal(watchers.find((w) => w.email === 'jefe@cliente.example')!.name, 'Jefe Sistemas')
  })

  it('lifts a bounce mark when the address writes to us again; a full mailbox (5.2.2) never marks it', async () => {
    await createUser(env.ctx, { role: 'customer', email: 'rebote@cliente.example' })
    const dsn = (id: string, address: string, status: string) => Buffer.from([
      'From: Mail Delivery System <MAILER-DAEMON@mx.cliente.example>', 'To: soporte@ayuda.test', 'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: <${id}@mx.cliente.example>`, 'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"', '',
      '--b1', 'Content-Type: text/plain', '', 'Your message could not be delivered.', '',
      '--b1', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.cliente.example', '',
      `Final-Recipient: rfc822; ${address}`, 'Action: failed', `Status: ${status}`, `Diagnostic-Code: smtp; 550 ${status} rebotó`, '', '--b1--', '',
    ].join('\r\n'))
    const state = async (address: string) => ({
      marks: (await sql<{ permanent: boolean }>`select permanent from email_failing_addresses where address = ${address}`.execute(env.ctx.db)).rows.map((r) => r.permanent),
      failing: (await sql<{ email_failing: boolean }>`select email_failing from users where lower(email) = ${address}`.execute(env.ctx.db)).rows[0]?.email_failing ?? null,
    })
    assert.equal((await receiveInbound(env.ctx, { raw: dsn('dsn-511', 'rebote@cliente.example', '5.1.1'), mailbox, source: 'smtp' })).status, 'bounce')
    assert.deepEqual(await state('rebote@cliente.example'), { marks: [true], failing: true })
    const back = await receiveInbound(env.ctx, { raw: await rawMail({ from: 'rebote@cliente.example', to: 'soporte@ayuda.test', subject: 'Ya funciona mi correo',
      text: 'Ya arreglamos el buzón.', messageId: '<de-vuelta@cliente.example>' }), mailbox, source: 'smtp' })
    assert.equal(back.status, 'ticket_created')
    assert.deepEqual(await state('rebote@cliente.example'), { marks: [], failing: false })

    const full = await createUser(env.ctx, { role: 'customer', email: 'lleno@cliente.example' })
    assert.equal((await receiveInbound(env.ctx, { raw: dsn('dsn-522', full.email, '5.2.2'), mailbox, source: 'smtp' })).status, 'bounce')
    assert.deepEqual(await state('lleno@cliente.example'), { marks: [false], failing: false })
  })

  it('keeps the lines of a Gmail message written as one <div> per line (QA fixture 63)', async () => {
    const raw = Buffer.from(['From: Roberto <roberto.perez35@conectamovil.example>', 'To: soporte@ayuda.test', 'Subject: Datos para portabilidad',
      'Message-ID: <gmail-divs-1@mail.gmail.com>', 'MIME-Version: 1.0', 'Content-Type: multipart/alternative; boundary="g"', '',
      '--g', 'Content-Type: text/plain; charset="UTF-8"', '', 'Nombre: Roberto Pérez', 'Línea: 33 9876 5432', 'NIP: 1234', '',
      '--g', 'Content-Type: text/html; charset="UTF-8"', '',
      '<div dir="ltr"><div>Nombre: Roberto Pérez</div><div>Línea: 33 9876 5432</div><div>NIP: 1234</div></div>', '', '--g--', ''].join('\r\n'))
    const outcome = await receiveInbound(env.ctx, { raw, mailbox, source: 'smtp' })
    assert.equal(outcome.status, 'ticket_created')
    const ticket = (await sql<{ description: string; description_html: string }>`select description, description_html from tickets where id = ${outcome.ticketId}`.execute(env.ctx.db)).rows[0]
    assert.match(ticket.description_html, /<div>Nombre: Roberto Pérez<\/div><div>Línea: 33 9876 5432<\/div><div>NIP: 1234<\/div>/)
    assert.match(ticket.description, /^Nombre: Roberto Pérez\nLínea: 33 9876 5432\nNIP: 1234$/)
  })

  it('a reply that is only a photo («Enviado desde mi iPhone» above the quote) is the photo, not the quoted history', async () => {
    const first = await receiveInbound(env.ctx, { raw: await rawMail({ from: 'roberto@cliente.mx', to: 'soporte@ayuda.test', subject: 'Pantalla rota', text: 'Se rompió la pantalla del equipo.' }), mailbox, source: 'smtp' })
    const number = (await sql<{ number: string }>`select number from tickets where id = ${first.ticketId}`.execute(env.ctx.db)).rows[0].number
    const text = 'Enviado desde mi iPhone\n\n> El 7 dic 2026, a las 18:00, Soporte <soporte@ayuda.test> escribió:\n> Hola Roberto, ¿nos manda una foto?'
    const reply = await receiveInbound(env.ctx, { raw: await rawMail({ from: 'roberto@cliente.mx', to: 'soporte@ayuda.test', subject: `Re: [#${number}] Pantalla rota`, text,
      attachments: [{ filename: 'IMG_0042.JPG', content: Buffer.from('foto'), contentType: 'image/jpeg' }] }), mailbox, source: 'smtp' })
    assert.equal(reply.status, 'comment_added')
    const comment = (await sql<{ body_text: string; body_html: string | null; files: number }>`select body_text, body_html,
      (select count(*)::int from attachments a where a.comment_id = c.id) as files from comments c where c.id = ${reply.commentId}`.execute(env.ctx.db)).rows[0]
    assert.deepEqual({ ...comment, body_html: comment.body_html ?? '' }, { body_text: '', body_html: '', files: 1 })
    // Without a file the same text is kept whole: a comment is never empty.
    const bare = await receiveInbound(env.ctx, { raw: await rawMail({ from: 'roberto@cliente.mx', to: 'soporte@ayuda.test', subject: `Re: [#${number}] Pantalla rota`, text }), mailbox, source: 'smtp' })
    const kept = (await sql<{ body_text: string }>`select body_text from comments where id = ${bare.commentId}`.execute(env.ctx.db)).rows[0]
    assert.match(kept.body_text, /^Enviado desde mi iPhone/)
  })

  it("a follower's reply to the mail we sent them is a public reply the requester gets; without its token it stays a note", async () => {
    const first = await receiveInbound(env.ctx, { raw: await rawMail({ from: 'Ana <ana@empresa.mx>', to: 'soporte@ayuda.test', cc: 'Pedro <pedro@proveedor.mx>',
      subject: 'Enlace caído en bodega', text: 'El enlace de la bodega no responde.' }), mailbox, source: 'smtp' })
    const ticketId = first.ticketId!
    assert.equal((await admin.post(`/api/v1/tickets/${ticketId}/comments`, { body: '¿Nos confirman si el equipo tiene luz?' })).statusCode, 201)
    await env.drainJobs()
    const toPedro = (await sql<{ message_id: string }>`select message_id from outbound_messages where ticket_id = ${ticketId} and to_address = 'pedro@proveedor.mx' order by created_at desc limit 1`.execute(env.ctx.db)).rows[0]
    assert.ok(toPedro, 'the follower got the reply')
    const number = (await sql<{ number: string }>`select number from tickets where id = ${ticketId}`.execute(env.ctx.db)).rows[0].number
    const mailsToAna = async () => (await sql<{ n: number }>`select count(*)::int as n from outbound_messages where ticket_id = ${ticketId} and to_address = 'ana@empresa.mx'`.execute(env.ctx.db)).rows[0].n
    const before = await mailsToAna()
    const reply = await receiveInbound(env.ctx, { raw: await rawMail({ from: 'Pedro <pedro@proveedor.mx>', to: 'soporte@ayuda.test', subject: `Re: [#${number}] Enlace caído en bodega`,
      inReplyTo: toPedro.message_id, references: [toPedro.message_id], text: 'Sí tiene luz; el módem parpadea en rojo.' }), mailbox, source: 'smtp' })
    assert.equal(reply.status, 'comment_added')
    const comment = (await sql<{ internal: boolean; author: string }>`select c.internal, u.email as author from comments c join users u on u.id = c.author_id where c.id = ${reply.commentId}`.execute(env.ctx.db)).rows[0]
    assert.deepEqual(comment, { internal: false, author: 'pedro@proveedor.mx' })
    await env.drainJobs()
    assert.equal(await mailsToAna(), before + 1, 'the requester hears what the follower said')
    // The same follower by subject alone (no token): an internal note, as for anyone else.
    const bare = await receiveInbound(env.ctx, { raw: await rawMail({ from: 'pedro@proveedor.mx', to: 'soporte@ayuda.test', subject: `Re: [#${number}] Enlace caído en bodega`, text: 'Otra cosa.' }), mailbox, source: 'smtp' })
    assert.equal(bare.status, 'note_added')
  })

  it("a stranger's «Re: [#N] …» opens a ticket whose subject drops the other ticket's tag and the reply prefix", async () => {
    const first = await receiveInbound(env.ctx, { raw: await rawMail({ from: 'dueño@cliente.mx', to: 'soporte@ayuda.test', subject: 'Cobro doble', text: 'Me cobraron dos veces.' }), mailbox, source: 'smtp' })
    const number = (await sql<{ number: string }>`select number from tickets where id = ${first.ticketId}`.execute(env.ctx.db)).rows[0].number
    const stranger = await receiveInbound(env.ctx, { raw: await rawMail({ from: 'otro@externo.mx', to: 'soporte@ayuda.test', subject: `RE: RE: [#${number}] Cobro doble`, text: 'A mí también.' }), mailbox, source: 'smtp' })
    assert.equal(stranger.status, 'ticket_created')
    const subject = (await sql<{ subject: string }>`select subject from tickets where id = ${stranger.ticketId}`.execute(env.ctx.db)).rows[0].subject
    assert.equal(subject, 'Cobro doble')
  })
})
