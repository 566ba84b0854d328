import { sql } from 'kysely'
import type { Executor, Trx } from '../../../../platform/db/database'
import { AppError } from '../../../../platform/http/errors'
import { registerEventFilter } from '../../../../platform/realtime/realtime'
import { appendHistory, type CommandContext } from '../../history/append-history'
import { authorize } from '../../tickets.policy'
import { loadTicket } from '../../queries/load-ticket'
import { changeStatus } from '../../commands/change-status'
import { recordTicketEvent } from '../../commands/record-ticket-event'
import { filterTicketEvent } from '../../tickets.events'
import { formatBytes, type AttachmentLimits } from '../attachment-limits'
import type { ReceivedFile } from '../receive-uploads'
import type { AttachmentRow } from '../queries/load-attachments'

export interface RecordAttachmentsInput {
  ticketId: string
  files: ReceivedFile[]
  /** Hidden from customers until a public comment claims them (staff uploads by default). */
  internal: boolean
  limits: AttachmentLimits
}

/** Bytes already attached to a ticket. */
export async function ticketAttachmentBytes(db: Executor, ticketId: string): Promise<number> {
  return (await sql<{ n: number }>`select coalesce(sum(size), 0)::bigint as n from attachments where ticket_id = ${ticketId}`.execute(db)).rows[0].n
}

/**
 * Records files already in blob storage as attachments of a ticket (not yet of a comment): checks
 * the ticket is still attachable and the per-ticket limit under the ticket's row lock, writes one
 * `attachment_added` history row per file and one `attachment.added` event. R6: the first evidence
 * sent by the requester's side for a type that requires it moves a waiting ticket back to open.
 */
export async function recordAttachments(trx: Trx, ctx: CommandContext, input: RecordAttachmentsInput): Promise<AttachmentRow[]> {
  const ticket = await loadTicket(trx, input.ticketId, { forUpdate: true })
  authorize(ctx.actor, 'attach', ticket)
  const used = await ticketAttachmentBytes(trx, ticket.id)
  const adding = input.files.reduce((n, f) => n + f.size, 0)
  if (used + adding > input.limits.maxTicketBytes) {
    throw new AppError(413, 'ticket_quota_exceeded', 'attachments.ticket_quota', { filename: input.files.at(-1)?.filename ?? '', limit: formatBytes(input.limits.maxTicketBytes) })
  }
  const requesterSide = ctx.actor.role === 'customer' || ctx.actor.id === ticket.requester_id
  const hadEvidence = requesterSide && (await sql<{ found: boolean }>`select exists (select 1 from attachments a join users u on u.id = a.uploaded_by
    where a.ticket_id = ${ticket.id} and (u.id = ${ticket.requester_id} or u.role = 'customer')) as found`.execute(trx)).rows[0].found
  const rows: AttachmentRow[] = []
  for (const f of input.files) {
    const row = await trx.insertInto('attachments').values({
      ticket_id: ticket.id, comment_id: null, sha256: f.sha256, size: f.size, filename: f.filename, content_type: f.contentType,
      declared_type: f.declaredType.slice(0, 200) || null, internal: input.internal, uploaded_by: ctx.actor.via === 'system' ? null : ctx.actor.id,
      via_token_id: ctx.actor.tokenId ?? null, created_at: ctx.now,
    }).returningAll().executeTakeFirstOrThrow()
    rows.push(row)
  }
  await appendHistory(trx, ctx, rows.map((r) => ({
    ticketId: ticket.id, action: 'attachment_added', field: 'attachments', internal: r.internal,
    newValue: { id: r.id, filename: r.filename, size: r.size, contentType: r.content_type },
  })))
  await trx.updateTable('tickets').set({ updated_at: ctx.now }).where('id', '=', ticket.id).execute()
  await recordTicketEvent(trx, ctx, ticket.id, 'attachment.added', { number: ticket.number, attachmentIds: rows.map((r) => r.id), internal: input.internal })

  if (requesterSide && !hadEvidence && ticket.status === 'pending' && await typeRequiresEvidence(trx, ticket.type_id)) {
    await changeStatus(trx, ctx, ticket.id, { status: 'open' }, { skipAuthorize: true })
  }
  return rows
}

async function typeRequiresEvidence(trx: Trx, typeId: string): Promise<boolean> {
  return (await sql<{ r: boolean }>`select requires_evidence as r from ticket_types where id = ${typeId}`.execute(trx)).rows[0]?.r ?? false
}

// attachment.* events reach only those who may see the ticket (and, as for other ticket events, not customers).
registerEventFilter('attachment.', filterTicketEvent)
