import path from 'node:path'
import { sql } from 'kysely'
import { Type } from 'typebox'
import type { FastifyPluginAsync } from 'fastify'
import { requireActor } from '../../../platform/auth/access'
import { inTransaction } from '../../../platform/db/database'
import { ConflictError, NotFoundError } from '../../../platform/http/errors'
import { IdParams, Page, StrictObject, Uuid, errorResponses } from '../../../platform/http/schemas'
import { PageQuery, decodeCursor, pageOf } from '../../../platform/http/cursor'
import { enqueueJob } from '../../../platform/jobs/queue'
import { recordAudit } from '../../../platform/audit/audit'
import { DELIVER_JOB, DELIVERY_ATTEMPTS } from '../outbound/deliver-outbound'
import { reprocessInbound } from '../inbound/reprocess-inbound'

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null)
const NullableString = Type.Union([Type.String(), Type.Null()])

const OutboxItem = Type.Object({
  id: Uuid, ticketId: Type.Union([Uuid, Type.Null()]), ticketNumber: Type.Union([Type.Integer(), Type.Null()]), template: Type.String(),
  locale: Type.String(), to: Type.String(), from: Type.String(), subject: Type.String(), status: Type.String(), attempts: Type.Integer(),
  error: NullableString, messageId: Type.String(), createdAt: Type.String(), sentAt: NullableString,
})
const OutboxQuery = StrictObject({
  status: Type.Optional(Type.Union([Type.Literal('queued'), Type.Literal('sent'), Type.Literal('failed'), Type.Literal('suppressed')])),
  ticketId: Type.Optional(Uuid),
  ...PageQuery,
})
const InboundItem = Type.Object({
  id: Uuid, mailboxId: Uuid, mailbox: Type.String(), source: Type.String(), messageId: NullableString, from: NullableString, subject: Type.String(),
  kind: NullableString, reasons: Type.Array(Type.String()), status: Type.String(), matchedBy: NullableString,
  ticketId: Type.Union([Uuid, Type.Null()]), ticketNumber: Type.Union([Type.Integer(), Type.Null()]), error: NullableString, attempts: Type.Integer(),
  receivedAt: Type.String(),
})
const InboundQuery = StrictObject({ status: Type.Optional(Type.String({ maxLength: 30 })), mailboxId: Type.Optional(Uuid), ...PageQuery })
const FailingItem = Type.Object({
  address: Type.String(), status: NullableString, diagnostic: NullableString, permanent: Type.Boolean(), bounceCount: Type.Integer(),
  firstFailedAt: Type.String(), lastFailedAt: Type.String(),
})
const ReprocessOut = Type.Object({ status: Type.String(), ticketId: Type.Union([Uuid, Type.Null()]) })
const AddressParams = StrictObject({ address: Type.String({ minLength: 3, maxLength: 320 }) })

/** Admin screens' API: the outbox (queued, sent, failed mail), received mail, and addresses that bounce. */
export const emailAdminRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx

  // How outgoing mail leaves: by SMTP (SMTP_URL), or — without it — written as .eml files in the data folder (nothing reaches anyone).
  app.get('/api/v1/email/delivery', {
    config: { access: 'email.manage' },
    schema: {
      tags: ['email'], summary: 'Cómo sale el correo: por SMTP (SMTP_URL) o, sin él, como archivos .eml en la carpeta de datos',
      response: { 200: Type.Object({ mode: Type.Union([Type.Literal('smtp'), Type.Literal('file')]), folder: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses },
    },
  }, async () => ({ mode: ctx.mailer.kind, folder: ctx.mailer.kind === 'file' ? path.join(ctx.config.dataDir, 'mail-outbox') : null }))

  app.get('/api/v1/email/outbox', {
    config: { access: 'email.manage' },
    schema: { tags: ['email'], summary: 'Bandeja de salida: correos en cola, enviados y fallidos (más recientes primero)', querystring: OutboxQuery, response: { 200: Page(OutboxItem), ...errorResponses } },
  }, async (request) => {
    const q = request.query as { status?: string; ticketId?: string; cursor?: string; limit?: number }
    const limit = q.limit ?? 50
    const after = decodeCursor(q.cursor, ['timestamp', 'uuid'])
    const rows = (await sql<{ id: string; ticket_id: string | null; number: number | null; template: string; locale: string; to_address: string; from_address: string
      subject: string; status: string; attempts: number; error: string | null; message_id: string; created_at: Date; sent_at: Date | null }>`
      select o.id, o.ticket_id, t.number, o.template, o.locale, o.to_address, o.from_address, o.subject, o.status, o.attempts, o.error, o.message_id,
        o.created_at, o.sent_at
      from outbound_messages o left join tickets t on t.id = o.ticket_id
      where ${q.status ? sql`o.status = ${q.status}` : sql`true`} and ${q.ticketId ? sql`o.ticket_id = ${q.ticketId}` : sql`true`}
        and ${after ? sql`(o.created_at, o.id) < (${new Date(after[0] as string)}, ${after[1] as string}::uuid)` : sql`true`}
      order by o.created_at desc, o.id desc limit ${limit + 1}`.execute(ctx.db)).rows
    return pageOf(rows.map((r) => ({
      id: r.id, ticketId: r.ticket_id, ticketNumber: r.number, template: r.template, locale: r.locale, to: r.to_address, from: r.from_address,
      subject: r.subject, status: r.status, attempts: r.attempts, error: r.error, messageId: r.message_id, createdAt: iso(r.created_at)!, sentAt: iso(r.sent_at),
    })), limit, (r) => [r.createdAt, r.id])
  })

  app.post('/api/v1/email/outbox/:id/retry', {
    config: { access: 'email.manage' },
    schema: { tags: ['email'], summary: 'Reintentar un correo fallido o suprimido', params: IdParams, response: { 202: Type.Object({ ok: Type.Boolean() }), ...errorResponses } },
  }, async (request, reply) => {
    const { id } = request.params as { id: string }
    await inTransaction(ctx.db, async (trx) => {
      const row = (await sql<{ status: string }>`select status from outbound_messages where id = ${id} for update`.execute(trx)).rows[0]
      if (!row) throw new NotFoundError('email.outbox_not_found')
      if (row.status !== 'failed' && row.status !== 'suppressed') throw new ConflictError('not_failed', 'email.outbox_not_failed')
      await sql`update outbound_messages set status = 'queued', attempts = 0, error = null, updated_at = ${ctx.now()} where id = ${id}`.execute(trx)
      await enqueueJob(trx, DELIVER_JOB, { outboundId: id }, { uniqueKey: `email:${id}`, maxAttempts: DELIVERY_ATTEMPTS })
      await recordAudit(trx, { actorId: requireActor(request).id, action: 'email.outbox_retried', targetType: 'outbound_message', targetId: id, ip: request.ip })
    })
    return reply.status(202).send({ ok: true })
  })

  app.get('/api/v1/email/inbound', {
    config: { access: 'email.manage' },
    schema: { tags: ['email'], summary: 'Correos recibidos y qué se hizo con cada uno (ticket, respuesta, ignorado, rebote, fallido…)', querystring: InboundQuery, response: { 200: Page(InboundItem), ...errorResponses } },
  }, async (request) => {
    const q = request.query as { status?: string; mailboxId?: string; cursor?: string; limit?: number }
    const limit = q.limit ?? 50
    const after = decodeCursor(q.cursor, ['timestamp', 'uuid'])
    const rows = (await sql<{ id: string; mailbox_id: string; address: string; source: string; message_id: string | null; from_address: string | null
      subject: string; kind: string | null; reasons: string[]; status: string; matched_by: string | null; ticket_id: string | null; number: number | null
      error: string | null; attempts: number; received_at: Date }>`
      select i.id, i.mailbox_id, m.address, i.source, i.message_id, i.from_address, i.subject, i.kind, i.reasons, i.status, i.matched_by, i.ticket_id,
        t.number, i.error, i.attempts, i.received_at
      from inbound_messages i join mailboxes m on m.id = i.mailbox_id left join tickets t on t.id = i.ticket_id
      where ${q.status ? sql`i.status = ${q.status}` : sql`true`} and ${q.mailboxId ? sql`i.mailbox_id = ${q.mailboxId}` : sql`true`}
        and ${after ? sql`(i.received_at, i.id) < (${new Date(after[0] as string)}, ${after[1] as string}::uuid)` : sql`true`}
      order by i.received_at desc, i.id desc limit ${limit + 1}`.execute(ctx.db)).rows
    return pageOf(rows.map((r) => ({
      id: r.id, mailboxId: r.mailbox_id, mailbox: r.address, source: r.source, messageId: r.message_id, from: r.from_address, subject: r.subject,
      kind: r.kind, reasons: r.reasons, status: r.status, matchedBy: r.matched_by, ticketId: r.ticket_id, ticketNumber: r.number, error: r.error,
      attempts: r.attempts, receivedAt: iso(r.received_at)!,
    })), limit, (r) => [r.receivedAt, r.id])
  })

  app.post('/api/v1/email/inbound/:id/reprocess', {
    config: { access: 'email.manage' },
    schema: { tags: ['email'], summary: 'Reprocesar un correo recibido cuyo procesamiento falló', params: IdParams, response: { 200: ReprocessOut, ...errorResponses } },
  }, async (request) => {
    const { id } = request.params as { id: string }
    const outcome = await reprocessInbound(ctx, id)
    await recordAudit(ctx.db, { actorId: requireActor(request).id, action: 'email.inbound_reprocessed', targetType: 'inbound_message', targetId: id, ip: request.ip })
    return { status: outcome.status, ticketId: outcome.ticketId }
  })

  app.get('/api/v1/email/failing-addresses', {
    config: { access: 'email.manage' },
    schema: { tags: ['email'], summary: 'Direcciones que rebotaron (no se les envían notificaciones)', response: { 200: Type.Object({ items: Type.Array(FailingItem) }), ...errorResponses } },
  }, async () => {
    const rows = (await sql<{ address: string; status: string | null; diagnostic: string | null; permanent: boolean; bounce_count: number; first_failed_at: Date; last_failed_at: Date }>`
      select address, status, diagnostic, permanent, bounce_count, first_failed_at, last_failed_at from email_failing_addresses order by last_failed_at desc limit 1000`.execute(ctx.db)).rows
    return {
      items: rows.map((r) => ({
        address: r.address, status: r.status, diagnostic: r.diagnostic, permanent: r.permanent, bounceCount: r.bounce_count,
        firstFailedAt: iso(r.first_failed_at)!, lastFailedAt: iso(r.last_failed_at)!,
      })),
    }
  })

  app.delete('/api/v1/email/failing-addresses/:address', {
    config: { access: 'email.manage' },
    schema: { tags: ['email'], summary: 'Quitar la marca de dirección fallida (se vuelve a enviarle correo)', params: AddressParams, response: { 204: Type.Null(), ...errorResponses } },
  }, async (request, reply) => {
    const address = (request.params as { address: string }).address.trim().toLowerCase()
    await inTransaction(ctx.db, async (trx) => {
      const res = await sql`delete from email_failing_addresses where address = ${address} returning address`.execute(trx)
      if (res.rows.length === 0) throw new NotFoundError('email.failing_not_found', { address })
      await sql`update users set email_failing = false where lower(email) = ${address}`.execute(trx)
      await recordAudit(trx, { actorId: requireActor(request).id, action: 'email.failing_cleared', targetType: 'email_address', targetId: address, ip: request.ip })
    })
    return reply.status(204).send()
  })
}
