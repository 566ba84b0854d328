import { sql } from 'kysely'
import type { Trx } from '../../../../platform/db/database'
import { AppError } from '../../../../platform/http/errors'
import { appendHistory, type CommandContext } from '../../history/append-history'
import { registerNewTicketAttachmentClaimer, type NewTicketAttachmentClaim } from '../../tickets.extensions'
import { formatBytes, loadAttachmentLimits } from '../attachment-limits'

/**
 * Moves the actor's staged uploads into a new ticket (createTicket's `attachmentIds`), keeping
 * their ids: the files go with the description, visible to whoever sees the ticket. One statement
 * takes them (unexpired, unclaimed, uploaded by the actor); if any id is missing, another user's,
 * expired or already used, a 404 names them and the caller's transaction rolls back the ticket.
 * 413 past the per-ticket limit. One `attachment_added` history row per file. The system (the
 * email intake) claims the files it staged for the new ticket's requester.
 */
export async function claimStagedAttachments(trx: Trx, ctx: CommandContext, claim: NewTicketAttachmentClaim): Promise<number> {
  const ids = [...new Set(claim.attachmentIds.map((id) => id.toLowerCase()))]
  if (ids.length === 0) return 0
  const valid = ids.filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
  const owner = ctx.actor.via === 'system' ? sql`(select requester_id from tickets where id = ${claim.ticketId})` : sql`${ctx.actor.id}::uuid`
  const rows = (await sql<{ id: string; filename: string; size: number; content_type: string }>`
    with taken as (
      delete from staged_attachments where id = any(${valid}::uuid[]) and uploaded_by = ${owner} and expires_at > ${ctx.now}
      returning *)
    insert into attachments (id, ticket_id, comment_id, sha256, size, filename, content_type, declared_type, internal, uploaded_by, via_token_id, created_at)
    select id, ${claim.ticketId}::uuid, null, sha256, size, filename, content_type, declared_type, false, uploaded_by, via_token_id, ${ctx.now}::timestamptz from taken
    order by created_at, id
    returning id, filename, size, content_type`.execute(trx)).rows
  if (rows.length !== ids.length) {
    const found = new Set(rows.map((r) => r.id))
    const missing = ids.filter((id) => !found.has(id))
    throw new AppError(404, 'attachments_not_found', 'attachments.staged_unknown', { ids: missing.join(', ') },
      missing.map((id) => ({ field: 'attachmentIds', rule: 'claimable', value: id })))
  }
  const limits = await loadAttachmentLimits(trx)
  const total = rows.reduce((n, r) => n + Number(r.size), 0)
  if (total > limits.maxTicketBytes) {
    throw new AppError(413, 'ticket_quota_exceeded', 'attachments.ticket_quota', { filename: rows.at(-1)!.filename, limit: formatBytes(limits.maxTicketBytes) })
  }
  await appendHistory(trx, ctx, rows.map((r) => ({
    ticketId: claim.ticketId, action: 'attachment_added', field: 'attachments', internal: false,
    newValue: { id: r.id, filename: r.filename, size: Number(r.size), contentType: r.content_type },
  })))
  return rows.length
}

registerNewTicketAttachmentClaimer(claimStagedAttachments)
