import { sql } from 'kysely'
import { Type } from 'typebox'
import type { FastifyPluginAsync } from 'fastify'
import { requireActor } from '../../../platform/auth/access'
import type { Actor } from '../../../platform/auth/actor'
import type { Executor } from '../../../platform/db/database'
import { AppError, NotFoundError } from '../../../platform/http/errors'
import { IdParams, StrictObject, Uuid, errorResponses } from '../../../platform/http/schemas'
import { BlobNotFoundError, storageFor } from '../../../platform/storage/storage'
import { contentDisposition } from '../../../platform/storage/content-type'
import { authorize } from '../../tickets/tickets.policy'
import { loadTicket } from '../../tickets/queries/load-ticket'
import { loadAttachmentForViewer } from '../../tickets/attachments/queries/load-attachments'
import type { StoredAddress } from '../email.tables'
import { staffReplyIdOfSameTransaction } from '../outbound/plan-notifications'

const Addr = Type.Object({ address: Type.String(), name: Type.String() })
const EmailItem = Type.Object({
  id: Uuid,
  direction: Type.Union([Type.Literal('inbound'), Type.Literal('outbound')]),
  messageId: Type.Union([Type.String(), Type.Null()]),
  from: Type.Union([Addr, Type.Null()]),
  to: Type.Array(Addr),
  cc: Type.Array(Addr),
  subject: Type.String(),
  status: Type.String(),
  template: Type.Union([Type.String(), Type.Null()]),
  commentId: Type.Union([Uuid, Type.Null()]),
  attachmentIds: Type.Array(Uuid),
  at: Type.String(),
  /** Inbound only: the original .eml can be downloaded. */
  rawUrl: Type.Union([Type.String(), Type.Null()]),
})
const RawParams = StrictObject({ id: Uuid, messageId: Type.String({ minLength: 1, maxLength: 1000 }) })
const CidParams = StrictObject({ id: Uuid, cid: Type.String({ minLength: 1, maxLength: 500 }) })

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The ticket for a staff member who may see its internals; 404/403 per the ticket policy. */
async function ticketForStaff(db: Executor, actor: Actor, id: string) {
  const ticket = await loadTicket(db, id)
  authorize(actor, 'view_internal', ticket)
  return ticket
}

/** A ticket and those merged into it: their mail belongs to its conversation now. */
const ticketAndMerged = (id: string) => sql`(select ${id}::uuid union select id from tickets where merged_into_id = ${id})`

/**
 * The email side of a ticket page, for staff: the messages received and sent with From/To/CC,
 * the original .eml of received mail ("show original"), and the redirect that serves inline
 * (cid:) images of a received message from its stored attachments.
 */
export const ticketEmailsRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx

  app.get('/api/v1/tickets/:id/emails', {
    config: { access: 'email.original' },
    schema: { tags: ['email'], summary: 'Correos recibidos y enviados de un ticket (solo personal)', params: IdParams, response: { 200: Type.Object({ items: Type.Array(EmailItem) }), ...errorResponses } },
  }, async (request) => {
    const { id } = request.params as { id: string }
    const ticket = await ticketForStaff(ctx.db, requireActor(request), id)
    const inbound = (await sql<{ id: string; message_id: string | null; from_address: string | null; from_name: string | null; to_addresses: StoredAddress[]
      cc_addresses: StoredAddress[]; subject: string; status: string; comment_id: string | null; received_at: Date; attachment_ids: string[] | null }>`
      select i.id, i.message_id, i.from_address, i.from_name, i.to_addresses, i.cc_addresses, i.subject, i.status, i.comment_id, i.received_at,
        (select array_agg(a.attachment_id) from inbound_message_attachments a where a.inbound_message_id = i.id) as attachment_ids
      from inbound_messages i where i.ticket_id in ${ticketAndMerged(ticket.id)}`.execute(ctx.db)).rows
    // A sent mail belongs to the reply whose event wrote it (agent reply, outage update), so the page shows it under that reply;
    // a status mail to the staff reply posted with the change, which it carries (the planner's own rule).
    const outbound = (await sql<{ id: string; message_id: string; from_address: string; to_address: string; subject: string; status: string; template: string
      created_at: Date; comment_id: string | null; status_event_id: string | null; event_ticket_id: string | null }>`
      select o.id, o.message_id, o.from_address, o.to_address, o.subject, o.status, o.template, o.created_at,
        case when e.type = 'comment.added' then e.payload->>'commentId' end as comment_id,
        case when e.type = 'ticket.status_changed' then e.id end as status_event_id, e.ticket_id as event_ticket_id
      from outbound_messages o left join events e on e.id = o.event_id where o.ticket_id in ${ticketAndMerged(ticket.id)}`.execute(ctx.db)).rows
    const carried = new Map<string, string | null>()
    for (const eventId of new Set(outbound.filter((r) => !r.comment_id && r.status_event_id).map((r) => r.status_event_id!))) {
      const row = outbound.find((r) => r.status_event_id === eventId)!
      carried.set(eventId, await staffReplyIdOfSameTransaction(ctx.db, { id: Number(eventId), ticketId: row.event_ticket_id }))
    }
    const items = [
      ...inbound.map((r) => ({
        id: r.id, direction: 'inbound' as const, messageId: r.message_id, from: r.from_address ? { address: r.from_address, name: r.from_name ?? '' } : null,
        to: r.to_addresses, cc: r.cc_addresses, subject: r.subject, status: r.status, template: null, commentId: r.comment_id,
        attachmentIds: r.attachment_ids ?? [], at: new Date(r.received_at).toISOString(), rawUrl: `/api/v1/tickets/${ticket.id}/emails/${r.id}/raw`,
      })),
      ...outbound.map((r) => ({
        id: r.id, direction: 'outbound' as const, messageId: r.message_id, from: parseFrom(r.from_address), to: [{ address: r.to_address, name: '' }], cc: [],
        subject: r.subject, status: r.status, template: r.template, commentId: r.comment_id ?? (r.status_event_id ? carried.get(r.status_event_id) ?? null : null),
        attachmentIds: [], at: new Date(r.created_at).toISOString(), rawUrl: null,
      })),
    ].sort((a, b) => a.at.localeCompare(b.at))
    return { items }
  })

  app.get('/api/v1/tickets/:id/emails/:messageId/raw', {
    config: { access: 'email.original' },
    schema: {
      tags: ['email'], summary: 'Descargar el correo original (.eml) recibido en un ticket; :messageId es el id del correo o su Message-ID',
      params: RawParams, response: { ...errorResponses },
    },
  }, async (request, reply) => {
    const { id, messageId } = request.params as { id: string; messageId: string }
    const ticket = await ticketForStaff(ctx.db, requireActor(request), id)
    const row = (await sql<{ id: string; raw_sha256: string; raw_size: number }>`select id, raw_sha256, raw_size from inbound_messages
      where ticket_id in ${ticketAndMerged(ticket.id)} and ${UUID.test(messageId) ? sql`id = ${messageId}::uuid` : sql`message_id = ${messageId}`}
      order by received_at limit 1`.execute(ctx.db)).rows[0]
    if (!row) throw new NotFoundError('email.message_not_found')
    let stream
    try {
      stream = await storageFor(ctx).get(row.raw_sha256)
    } catch (err) {
      if (err instanceof BlobNotFoundError) throw new AppError(404, 'content_missing', 'email.raw_missing')
      throw err
    }
    void reply.headers({
      'content-type': 'message/rfc822',
      'content-disposition': contentDisposition('attachment', `correo-${ticket.number}-${row.id.slice(0, 8)}.eml`),
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'private, no-store',
      'content-length': String(row.raw_size),
    })
    return reply.send(stream)
  })

  app.get('/api/v1/email/inbound/:id/cid/:cid', {
    config: { access: 'tickets.read' },
    schema: { tags: ['email'], summary: 'Imagen incrustada (cid:) de un correo recibido: redirige a su adjunto', params: CidParams, response: { ...errorResponses } },
  }, async (request, reply) => {
    const { id, cid } = request.params as { id: string; cid: string }
    const actor = requireActor(request)
    const row = (await sql<{ ticket_id: string | null; attachment_id: string }>`select i.ticket_id, a.attachment_id
      from inbound_messages i join inbound_message_attachments a on a.inbound_message_id = i.id
      where i.id = ${id} and lower(a.content_id) = ${cid.trim().replace(/^<|>$/g, '').toLowerCase()} limit 1`.execute(ctx.db)).rows[0]
    if (!row) throw new NotFoundError('attachments.not_found')
    // The download's own rule (its ticket visible; for customers, not of an internal note), so the
    // redirect never names a file the caller could not fetch.
    const attachment = await loadAttachmentForViewer(ctx.db, actor, row.attachment_id)
    return reply.redirect(`/api/v1/attachments/${attachment.id}`, 302)
  })
}

function parseFrom(from: string): { address: string; name: string } {
  const match = /^\s*"?([^"<]*)"?\s*<([^<>]+)>\s*$/.exec(from)
  return match ? { address: match[2], name: match[1].trim() } : { address: from, name: '' }
}
