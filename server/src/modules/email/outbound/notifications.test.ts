import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { createOrganization, createTeam, createTestEnv, createUser, loginAs, type Client, type TestEnv, type TestUser } from '../../../../test/harness'
import { buildTicket } from '../../tickets/test-support/ticket-factories'
import { Worker } from '../../../platform/jobs/worker'
import { startCaptureSmtp, type CaptureSmtp } from '../test-support/email-test-kit'
import { queueNotificationsForEvents } from './queue-notifications'
import { buildOutboundHeaders } from './headers'
import { emailSecrets } from '../email-secrets'
import { signActionToken } from '../actions/action-token'
import { listMailboxRecords } from '../mailboxes/mailbox-directory'
import { receiveInbound } from '../inbound/receive-inbound'
import { rawMail } from '../test-support/email-test-kit'

/**
 * Outbound notifications from ticket events: the recipient's language, mentions, merges, outage
 * broadcasts, and delivery through the durable queue (retries, failed mail in the outbox, retry).
 */
describe('email notifications', () => {
  let env: TestEnv
  let capture: CaptureSmtp
  let admin: Client
  let agent: Client
  let agentUser: TestUser
  let colleague: TestUser
  let ana: TestUser
  let john: TestUser

  const lastCommentId = async (ticketId: string) =>
    (await sql<{ id: string }>`select id from comments where ticket_id = ${ticketId} order by created_at desc, id desc limit 1`.execute(env.ctx.db)).rows[0].id
  const drainAndWait = async (n: number) => {
    await env.drainJobs()
    await capture.waitFor(n)
  }

  before(async () => {
    capture = await startCaptureSmtp()
    env = await createTestEnv({ env: { SMTP_URL: capture.url } })
    admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    agentUser = await createUser(env.ctx, { role: 'agent', name: 'Laura Gómez', email: 'laura@ayuda.test' })
    colleague = await createUser(env.ctx, { role: 'agent', name: 'Pedro Ruiz', email: 'pedro@ayuda.test', locale: 'en' })
    agent = await loginAs(env.app, agentUser)
    ana = await createUser(env.ctx, { role: 'customer', name: 'Ana López', email: 'ana@cliente.mx' })
    john = await createUser(env.ctx, { role: 'customer', name: 'John Smith', email: 'john@client.example', locale: 'en' })
    assert.equal((await admin.post('/api/v1/mailboxes', { address: 'soporte@ayuda.test', name: 'Soporte', inbound: 'smtp' })).statusCode, 201)
  })
  after(async () => {
    await env.close()
    await capture.stop()
  })

  it('writes to each recipient in their language', async () => {
    const t = await buildTicket(env.ctx, agentUser.id, { requesterId: john.id, subject: 'No data on my line' })
    await drainAndWait(1)
    const mail = capture.to('john@client.example').at(-1)!.parsed
    assert.equal(mail.subject, `[#${t.number}] We received your request: No data on my line`)
    assert.match(mail.text ?? '', /^##- Please type your reply above this line -##/)
    assert.match(mail.html || '', /<html lang="en">/)
  })

  it('queues the events one worker pass finds together: each requester gets their own mail, a reply threads under the mail before it', async () => {
    await env.drainJobs()
    const before = capture.messages.length
    const first = await buildTicket(env.ctx, agentUser.id, { requesterId: ana.id, subject: 'Lote: sin saldo' })
    const second = await buildTicket(env.ctx, agentUser.id, { requesterId: john.id, subject: 'Batch: no balance' })
    const reply = await agent.post(`/api/v1/tickets/${first.id}/comments`, { body: 'Ya aplicamos la recarga, ¿nos confirma?', internal: false })
    assert.equal(reply.statusCode, 201, reply.body)
    // One pass claims the notification jobs (two creations, the reply and the status it moved) and plans them as one batch.
    const queued = (await sql<{ type: string }>`select payload->>'type' as type from jobs where name = 'queueEmailNotifications' and status = 'queued' order by id`.execute(env.ctx.db)).rows
    assert.deepEqual(queued.map((q) => q.type), ['ticket.created', 'ticket.created', 'comment.added', 'ticket.status_changed'])
    await new Worker(env.ctx).runOnce()
    await drainAndWait(before + 3)
    const mails = capture.messages.slice(before)
    assert.equal(mails.length, 3)
    const toAna = mails.filter((m) => m.to.includes('ana@cliente.mx')).map((m) => m.parsed)
    const toJohn = mails.filter((m) => m.to.includes('john@client.example')).map((m) => m.parsed)
    assert.deepEqual(toJohn.map((m) => m.subject), [`[#${second.number}] We received your request: Batch: no balance`])
    const created = toAna.find((m) => m.subject?.includes('Recibimos'))!
    const answered = toAna.find((m) => m !== created)!
    assert.ok(created && answered, toAna.map((m) => m.subject).join(' | '))
    assert.match(answered.text ?? '', /Ya aplicamos la recarga/)
    assert.equal(answered.inReplyTo, created.messageId, 'the reply threads under the creation mail queued in the same batch')
  })

  it('queues nothing twice when a batch of events is planned again (a job retried after its commit)', async () => {
    await env.drainJobs()
    const one = await buildTicket(env.ctx, agentUser.id, { requesterId: ana.id, subject: 'Reintento: uno' })
    const two = await buildTicket(env.ctx, agentUser.id, { requesterId: john.id, subject: 'Retry: two' })
    const payloads = (await sql<{ payload: Record<string, unknown> }>`select payload from jobs where name = 'queueEmailNotifications'
      and status = 'queued' and payload->>'ticketId' in (${one.id}, ${two.id}) order by id`.execute(env.ctx.db)).rows.map((r) => r.payload)
    assert.equal(payloads.length, 2)
    assert.deepEqual(await queueNotificationsForEvents(env.ctx, payloads), [1, 1])
    assert.deepEqual(await queueNotificationsForEvents(env.ctx, payloads), [0, 0], 'the second pass finds both emails already written')
    const written = (await sql<{ n: number }>`select count(*)::int as n from outbound_messages where ticket_id in (${one.id}, ${two.id})`.execute(env.ctx.db)).rows[0]
    assert.equal(written.n, 2)
  })

  it('emails a mentioned agent (even from an internal note) and no customer', async () => {
    const t = await buildTicket(env.ctx, agentUser.id, { requesterId: ana.id, subject: 'Cobro duplicado' })
    await drainAndWait(capture.messages.length + 1)
    const before = capture.messages.length
    const note = await agent.post(`/api/v1/tickets/${t.id}/comments`, { body: 'Pedro, ¿lo revisas con facturación?', internal: true, mentions: [colleague.id] })
    assert.equal(note.statusCode, 201, note.body)
    await drainAndWait(before + 1)
    assert.deepEqual(capture.messages.slice(before).map((m) => m.to[0]), ['pedro@ayuda.test'])
    const mail = capture.messages[before].parsed
    assert.equal(mail.subject, `[#${t.number}] Laura Gómez mentioned you: Cobro duplicado`)
    assert.match(mail.text ?? '', /Pedro, ¿lo revisas con facturación\?/)
  })

  it('mentions reach only staff who may open the ticket: a team-restricted agent of another team is refused, and never emailed the note', async () => {
    const team = await createTeam(env.ctx, 'Otro equipo de prueba')
    const outsider = await createUser(env.ctx, { role: 'agent', name: 'Rita Fuera', email: 'rita@ayuda.test', ticketScope: 'teams', teamIds: [team] })
    const t = await buildTicket(env.ctx, agentUser.id, { requesterId: ana.id, subject: 'Caso de otro equipo' })
    await env.drainJobs()
    const before = capture.messages.length
    const refused = await agent.post(`/api/v1/tickets/${t.id}/comments`, { body: 'Rita, la contraseña es…', internal: true, mentions: [outsider.id] }, { 'accept-language': 'es-MX' })
    assert.equal(refused.statusCode, 400, refused.body)
    assert.match(refused.json().error.message, /No puede mencionar a Rita Fuera: no tiene acceso a este ticket/)
    // Her @address in the text stays text: no mention, no mail.
    const typed = await agent.post(`/api/v1/tickets/${t.id}/comments`, { body: '@rita@ayuda.test la contraseña es…', internal: true })
    assert.equal(typed.statusCode, 201, typed.body)
    const mentioned = (await sql<{ n: number }>`select count(*)::int as n from events where ticket_id = ${t.id} and type = 'comment.mentioned'`.execute(env.ctx.db)).rows[0].n
    assert.equal(mentioned, 0)
    // An event that names her anyway (her scope changed after it was recorded) writes her nothing.
    await sql`insert into events (type, ticket_id, actor_id, payload) values ('comment.mentioned', ${t.id}, ${agentUser.id},
      ${JSON.stringify({ number: t.number, commentId: await lastCommentId(t.id), internal: true, mentionedUserIds: [outsider.id, colleague.id] })}::jsonb)`.execute(env.ctx.db)
    const eventId = (await sql<{ id: number }>`select max(id) as id from events where ticket_id = ${t.id}`.execute(env.ctx.db)).rows[0].id
    await queueNotificationsForEvents(env.ctx, [{ eventId: Number(eventId), ticketId: t.id, type: 'comment.mentioned' }])
    await drainAndWait(before + 1)
    assert.deepEqual(capture.messages.slice(before).map((m) => m.to[0]), ['pedro@ayuda.test'])
  })

  it('does not name another requester\'s ticket to the requester of a ticket merged into it', async () => {
    const source = await buildTicket(env.ctx, agentUser.id, { requesterId: john.id, subject: 'Outage too' })
    const target = await buildTicket(env.ctx, agentUser.id, { requesterId: ana.id, subject: 'Caída' })
    await env.drainJobs()
    const before = capture.messages.length
    assert.equal((await agent.post(`/api/v1/tickets/${source.id}/merge`, { targetId: target.id })).statusCode, 200)
    await drainAndWait(before + 1)
    const text = capture.messages.slice(before).find((m) => m.to.includes('john@client.example'))!.parsed.text ?? ''
    assert.match(text, /another one we are already working on/)
    assert.doesNotMatch(text, new RegExp(`#${target.number}\\b`))
  })

  it("an agent's answer to a closed ticket reaches the requester once, as a reply on the follow-up (not as «we received your request»)", async () => {
    const t = await buildTicket(env.ctx, agentUser.id, { requesterId: ana.id, subject: 'Portabilidad pendiente', status: 'resolved' })
    assert.equal((await agent.patch(`/api/v1/tickets/${t.id}`, { status: 'closed' })).statusCode, 200)
    await env.drainJobs()
    const before = capture.messages.length
    const res = await agent.post(`/api/v1/tickets/${t.id}/comments`, { body: 'Su portabilidad ya quedó aplicada.' })
    assert.equal(res.statusCode, 201, res.body)
    const follow = res.json().followUpTicket
    await drainAndWait(before + 1)
    await env.drainJobs()
    const mails = capture.messages.slice(before).filter((m) => m.to.includes('ana@cliente.mx')).map((m) => m.parsed)
    assert.deepEqual(mails.map((m) => m.subject), [`[#${follow.number}] Portabilidad pendiente`])
    assert.match(mails[0].text ?? '', /Su portabilidad ya quedó aplicada/)
  })

  it("tells the requester when a colleague (their organization's manager) replies on or closes their ticket; their own change mails them nothing", async () => {
    const org = await createOrganization(env.ctx, 'Distribuidora del Norte', { sharesTickets: true })
    const worker = await createUser(env.ctx, { role: 'customer', name: 'José Domínguez', email: 'jose@norte.example', organizationId: org })
    const boss = await createUser(env.ctx, { role: 'customer', name: 'María García', email: 'maria@norte.example', organizationId: org, orgManager: true })
    const asBoss = await loginAs(env.app, boss)
    const asWorker = await loginAs(env.app, worker)
    const t = await buildTicket(env.ctx, agentUser.id, { requesterId: worker.id, subject: 'Terminal sin señal' })
    await env.drainJobs()
    let before = capture.messages.length
    assert.equal((await asBoss.post(`/api/v1/tickets/${t.id}/comments`, { body: 'Es la terminal de la sucursal 3.' })).statusCode, 201)
    await drainAndWait(before + 1)
    await env.drainJobs()
    const toJose = () => capture.messages.slice(before).filter((m) => m.to.includes('jose@norte.example')).map((m) => m.parsed)
    assert.deepEqual(toJose().map((m) => m.subject), [`[#${t.number}] Terminal sin señal`])
    assert.match(toJose()[0].text ?? '', /Es la terminal de la sucursal 3\.[\s\S]*María García/)
    assert.ok(!capture.messages.slice(before).some((m) => m.to.includes('maria@norte.example')), 'not to the one who wrote it')
    // The requester's own reply: no customer mail.
    before = capture.messages.length
    assert.equal((await asWorker.post(`/api/v1/tickets/${t.id}/comments`, { body: 'Ya la reinicié.' })).statusCode, 201)
    await env.drainJobs()
    assert.deepEqual(toJose(), [])
    // The manager confirms the resolution: the requester hears it was closed.
    assert.equal((await agent.patch(`/api/v1/tickets/${t.id}`, { status: 'resolved' })).statusCode, 200)
    await env.drainJobs()
    before = capture.messages.length
    const closed = await asBoss.patch(`/api/v1/tickets/${t.id}`, { status: 'closed' })
    assert.equal(closed.statusCode, 200, closed.body)
    await drainAndWait(before + 1)
    await env.drainJobs()
    assert.deepEqual(toJose().map((m) => m.subject), [`[#${t.number}] Cerrado: Terminal sin señal`])
  })

  it('tells the requester of a merged ticket where it continues', async () => {
    const source = await buildTicket(env.ctx, agentUser.id, { requesterId: ana.id, subject: 'Sin señal (2)' })
    const target = await buildTicket(env.ctx, agentUser.id, { requesterId: ana.id, subject: 'Sin señal' })
    await env.drainJobs()
    const before = capture.messages.length
    const merged = await agent.post(`/api/v1/tickets/${source.id}/merge`, { targetId: target.id })
    assert.equal(merged.statusCode, 200, merged.body)
    await drainAndWait(before + 1)
    const mails = capture.messages.slice(before)
    assert.equal(mails.length, 1, 'one email: the merge (the cancellation it implies sends none)')
    assert.equal(mails[0].parsed.subject, `[#${source.number}] Unificado con otro ticket: Sin señal (2)`)
    assert.match(mails[0].parsed.text ?? '', new RegExp(`continúa en el ticket #${target.number}`))
    assert.match(mails[0].parsed.text ?? '', new RegExp(`/portal/tickets/${target.number}`))
  })

  it('sends an outage broadcast as an outage update to each affected requester', async () => {
    const parent = await buildTicket(env.ctx, agentUser.id, { requesterId: agentUser.id, subject: 'Falla masiva de datos en Monterrey' })
    const one = await buildTicket(env.ctx, agentUser.id, { requesterId: ana.id, subject: 'No navego' })
    const two = await buildTicket(env.ctx, agentUser.id, { requesterId: john.id, subject: 'No internet' })
    for (const child of [one, two]) {
      const link = await agent.post(`/api/v1/tickets/${parent.id}/links`, { type: 'child', ticketId: child.id })
      assert.equal(link.statusCode, 201, link.body)
    }
    await env.drainJobs()
    const before = capture.messages.length
    const sent = await agent.post(`/api/v1/tickets/${parent.id}/broadcast`, { body: 'El proveedor restableció el enlace; el servicio vuelve en 30 minutos.' })
    assert.equal(sent.statusCode, 200, sent.body)
    await drainAndWait(before + 2)
    const mails = capture.messages.slice(before)
    assert.deepEqual(mails.map((m) => m.to[0]).sort(), ['ana@cliente.mx', 'john@client.example'])
    const toAna = mails.find((m) => m.to[0] === 'ana@cliente.mx')!.parsed
    assert.equal(toAna.subject, `[#${one.number}] Actualización: Falla masiva de datos en Monterrey`)
    assert.match(toAna.text ?? '', /El proveedor restableció el enlace/)
    assert.match(mails.find((m) => m.to[0] === 'john@client.example')!.parsed.subject ?? '', /^\[#\d+\] Update: Falla masiva/)
  })

  it('retries a delivery that fails, and lets an admin retry one that failed for good', async () => {
    const t = await buildTicket(env.ctx, agentUser.id, { requesterId: ana.id, subject: 'Reintentos' })
    const before = capture.messages.length
    capture.failNext(1)
    await env.drainJobs()
    const row = async () => (await sql<{ id: string; status: string; attempts: number; error: string | null }>`select id, status, attempts, error from outbound_messages
      where ticket_id = ${t.id} and template = 'ticket_created'`.execute(env.ctx.db)).rows[0]
    assert.deepEqual([(await row()).status, (await row()).attempts], ['queued', 1])
    assert.match((await row()).error ?? '', /451/)
    env.clock.advance(10_000)
    await drainAndWait(before + 1)
    assert.deepEqual([(await row()).status, (await row()).attempts, (await row()).error], ['sent', 2, null])

    const u = await buildTicket(env.ctx, agentUser.id, { requesterId: ana.id, subject: 'Falla definitiva' })
    const failing = async () => (await sql<{ id: string; status: string; attempts: number }>`select id, status, attempts from outbound_messages
      where ticket_id = ${u.id} and template = 'ticket_created'`.execute(env.ctx.db)).rows[0]
    capture.failNext(100)
    for (let i = 0; i < 8; i++) {
      await env.drainJobs()
      env.clock.advance(3_600_000)
    }
    assert.deepEqual([(await failing()).status, (await failing()).attempts], ['failed', 6])
    const failedId = (await failing()).id
    const listed = (await admin.get('/api/v1/email/outbox?status=failed')).json()
    assert.deepEqual(listed.items.map((i: { id: string; status: string }) => [i.id, i.status]), [[failedId, 'failed']])
    capture.failNext(0)
    const count = capture.messages.length
    const retry = await admin.post(`/api/v1/email/outbox/${(await failing()).id}/retry`, {})
    assert.equal(retry.statusCode, 202, retry.body)
    assert.equal((await admin.post(`/api/v1/email/outbox/${(await failing()).id}/retry`, {})).statusCode, 409, 'only failed mail can be retried')
    await drainAndWait(count + 1)
    assert.equal((await failing()).status, 'sent')
  })

  it("never cites mail sent to someone else: an agent's or a watcher's Message-ID (and the reply token in it) stays out of the customer's References", async () => {
    await env.drainJobs()
    const t = await buildTicket(env.ctx, agentUser.id, { requesterId: ana.id, subject: 'Referencias: sin servicio', assigneeId: agentUser.id, watcherIds: [colleague.id] })
    const customer = await loginAs(env.app, ana)
    assert.equal((await customer.post(`/api/v1/tickets/${t.id}/comments`, { body: 'Sigo sin servicio' })).statusCode, 201)
    await env.drainJobs()
    assert.equal((await agent.post(`/api/v1/tickets/${t.id}/comments`, { body: 'Revisamos su línea.' })).statusCode, 201)
    await env.drainJobs()
    const sent = (await sql<{ to_address: string; message_id: string }>`select to_address, message_id from outbound_messages where ticket_id = ${t.id}`.execute(env.ctx.db)).rows
    const toStaff = sent.filter((m) => m.to_address !== 'ana@cliente.mx').map((m) => m.message_id)
    assert.ok(sent.some((m) => m.to_address === 'laura@ayuda.test'), 'the assignee was told of the customer reply')
    const toAna = (await sql<{ in_reply_to: string | null; references: string[] | string | null }>`select in_reply_to, "references" from outbound_messages where ticket_id = ${t.id} and to_address = 'ana@cliente.mx'`.execute(env.ctx.db)).rows
    assert.ok(toAna.length >= 2)
    for (const m of toAna) {
      const cited = [m.in_reply_to, ...(Array.isArray(m.references) ? m.references : String(m.references ?? '').split(/\s+/))].filter(Boolean)
      assert.deepEqual(cited.filter((id) => toStaff.includes(id!)), [], JSON.stringify(m))
    }
  })

  it("cites to the customer only mail that became content they see: never a mail filed as an internal note, nor an agent's own mailed reply", async () => {
    await env.drainJobs()
    const mailbox = (await listMailboxRecords(env.ctx.db)).find((m) => m.address === 'soporte@ayuda.test')!
    // One step after another (the test clock stands still otherwise), each one's mail queued before the next.
    const receive = async (mail: Parameters<typeof rawMail>[0]) => {
      const outcome = await receiveInbound(env.ctx, { raw: await rawMail(mail), mailbox, source: 'smtp' })
      await env.drainJobs()
      env.clock.advance(1000)
      return outcome
    }
    const first = await receive({ from: 'Ana López <ana@cliente.mx>', to: 'soporte@ayuda.test', subject: 'Hilo: módem sin luz', text: 'El módem no enciende.', messageId: '<hilo-1@cliente.mx>' })
    assert.equal(first.status, 'ticket_created')
    const ticketId = first.ticketId!
    const number = (await sql<{ number: number }>`select number from tickets where id = ${ticketId}`.execute(env.ctx.db)).rows[0].number
    const forged = await receive({ from: 'Laura Gómez <laura@ayuda.test>', to: 'soporte@ayuda.test', subject: `Re: [#${number}] Hilo: módem sin luz`,
      inReplyTo: '<hilo-1@cliente.mx>', text: 'Su contraseña es 1234.', messageId: '<falsa-1@evil.example>' })
    assert.equal(forged.status, 'note_added')
    // The agent answers from her mail client, citing a notification we sent her (her reply token).
    const ours = buildOutboundHeaders({ ticketId, ticketNumber: number, recipient: 'laura@ayuda.test', mailbox: { address: 'soporte@ayuda.test' },
      messageIdDomain: 'ayuda.test', secret: (await emailSecrets(env.ctx))[0], thread: [], automatic: true }).messageId
    const agentMail = await receive({ from: 'laura@ayuda.test', to: 'soporte@ayuda.test', subject: `Re: [#${number}] Hilo: módem sin luz`, inReplyTo: ours,
      text: 'Le enviamos un técnico.', messageId: '<agente-1@ayuda.test>' })
    assert.equal(agentMail.status, 'comment_added')
    const customerReply = await receive({ from: 'ana@cliente.mx', to: 'soporte@ayuda.test', subject: `Re: [#${number}] Hilo: módem sin luz`, inReplyTo: '<hilo-1@cliente.mx>',
      text: 'Gracias, aquí estaré.', messageId: '<hilo-2@cliente.mx>' })
    assert.equal(customerReply.status, 'comment_added')
    assert.equal((await agent.post(`/api/v1/tickets/${ticketId}/comments`, { body: 'El técnico llega mañana.' })).statusCode, 201)
    await env.drainJobs()
    const toAna = (await sql<{ template: string; in_reply_to: string | null; references: string[] }>`select template, in_reply_to, "references" from outbound_messages
      where ticket_id = ${ticketId} and to_address = 'ana@cliente.mx' order by created_at, id`.execute(env.ctx.db)).rows
    assert.deepEqual(toAna.map((m) => m.template), ['ticket_created', 'agent_reply', 'agent_reply'])
    for (const m of toAna) {
      const cited = [m.in_reply_to, ...m.references]
      assert.ok(cited.includes('<hilo-1@cliente.mx>'), JSON.stringify(m))
      assert.ok(!cited.includes('<falsa-1@evil.example>') && !cited.includes('<agente-1@ayuda.test>'), JSON.stringify(m))
    }
    assert.ok(toAna[2].references.includes('<hilo-2@cliente.mx>'), 'the customer\'s own reply is cited')
  })

  it('a reply posted with «resolved» reaches the customers watching it as the reply, and mails carrying a reply are not Auto-Submitted and show under it', async () => {
    await env.drainJobs()
    const t = await buildTicket(env.ctx, agentUser.id, { requesterId: ana.id, subject: 'Resuelto con copia', watcherIds: [john.id] })
    await env.drainJobs()
    const before = capture.messages.length
    const res = await agent.post(`/api/v1/tickets/${t.id}/comments`, { body: 'Ya quedó la recarga aplicada.', status: { status: 'resolved' } })
    assert.equal(res.statusCode, 201, res.body)
    await drainAndWait(before + 2)
    await env.drainJobs()
    const mails = capture.messages.slice(before)
    const toAna = mails.filter((m) => m.to.includes('ana@cliente.mx')).map((m) => m.parsed)
    const toJohn = mails.filter((m) => m.to.includes('john@client.example')).map((m) => m.parsed)
    assert.deepEqual(toAna.map((m) => m.subject), [`[#${t.number}] Resuelto: Resuelto con copia`])
    assert.equal(toJohn.length, 1)
    assert.match(toJohn[0].text ?? '', /Ya quedó la recarga aplicada/)
    assert.doesNotMatch(toJohn[0].text ?? '', /actions\/(confirm|reopen)/, 'the one-click links are the requester\'s')
    for (const m of [...toAna, ...toJohn]) assert.equal(m.headers.get('auto-submitted'), undefined, m.subject)
    // A status change without a reply is still an automatic notice.
    assert.equal((await agent.patch(`/api/v1/tickets/${t.id}`, { status: 'closed' })).statusCode, 200)
    await drainAndWait(before + 4)
    const closed = capture.messages.slice(before + 2).find((m) => m.to.includes('ana@cliente.mx'))!.parsed
    assert.equal(closed.headers.get('auto-submitted'), 'auto-generated')
    const commentId = await lastCommentId(t.id)
    const emails = (await agent.get(`/api/v1/tickets/${t.id}/emails`)).json().items as Array<{ direction: string; template: string | null; to: Array<{ address: string }>; commentId: string | null }>
    const sent = emails.filter((e) => e.direction === 'outbound')
    assert.deepEqual(sent.filter((e) => e.commentId === commentId).map((e) => [e.template, e.to[0].address]).sort(),
      [['agent_reply', 'john@client.example'], ['ticket_resolved', 'ana@cliente.mx']])
    assert.ok(sent.filter((e) => e.template === 'ticket_closed').every((e) => e.commentId === null))
  })

  it('tells the assignee when the requester reopens a resolved ticket with the one-click link, as a reply would', async () => {
    const t = await buildTicket(env.ctx, agentUser.id, { requesterId: ana.id, subject: 'Reabierto por enlace', assigneeId: agentUser.id, status: 'resolved' })
    await env.drainJobs()
    const before = capture.messages.length
    const exp = Math.floor(env.ctx.now().getTime() / 1000) + 86_400
    const token = signActionToken({ ticketId: t.id, userId: ana.id, action: 'reopen', exp }, (await emailSecrets(env.ctx))[0])
    const done = await env.app.inject({ method: 'POST', url: '/api/v1/email/actions/reopen', payload: `token=${encodeURIComponent(token)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    assert.equal(done.statusCode, 200, done.body)
    // Not a dead end: how to say what still fails, and (she can sign in) the ticket in the portal.
    assert.match(done.body, /responda al correo que le enviamos/)
    assert.match(done.body, new RegExp(`<a href="/portal/tickets/${t.number}">Ver el ticket #${t.number} en el portal</a>`))
    await drainAndWait(before + 1)
    await env.drainJobs()
    const mails = capture.messages.slice(before)
    assert.deepEqual(mails.map((m) => m.to[0]), ['laura@ayuda.test'], 'the requester\'s own change mails no customer')
    assert.equal(mails[0].parsed.subject, `[#${t.number}] Nueva respuesta del cliente: Reabierto por enlace`)
    assert.match(mails[0].parsed.text ?? '', /Ana López respondió[\s\S]*Reabrió el ticket/)
    // Reopened by a reply, she gets the reply's mail only, not a second notice.
    assert.equal((await agent.patch(`/api/v1/tickets/${t.id}`, { status: 'resolved' })).statusCode, 200)
    await env.drainJobs()
    const again = capture.messages.length
    const customer = await loginAs(env.app, ana)
    assert.equal((await customer.post(`/api/v1/tickets/${t.id}/comments`, { body: 'Volvió a fallar.' })).statusCode, 201)
    await drainAndWait(again + 1)
    await env.drainJobs()
    const replies = capture.messages.slice(again).filter((m) => m.to.includes('laura@ayuda.test')).map((m) => m.parsed.text ?? '')
    assert.equal(replies.length, 1)
    assert.match(replies[0], /Volvió a fallar/)
  })
})
