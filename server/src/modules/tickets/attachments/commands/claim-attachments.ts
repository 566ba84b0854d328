import { sql } from 'kysely'
import type { Trx } from '../../../../platform/db/database'
import { ValidationError } from '../../../../platform/http/errors'
import { appendHistory, type CommandContext } from '../../history/append-history'
import { registerAttachmentClaimer, type AttachmentClaim } from '../../tickets.extensions'

/**
 * Lets a new comment take files uploaded to its ticket beforehand (addComment's `attachmentIds`):
 * each must be on the same ticket, not yet in a comment, and uploaded by the same person. The
 * files take the comment's visibility (an internal note's files are hidden from customers; a staff
 * upload becomes public with a public reply). One `attachments_attached` history row.
 */
export async function claimAttachmentsForComment(trx: Trx, ctx: CommandContext, claim: AttachmentClaim): Promise<void> {
  const ids = [...new Set(claim.attachmentIds)]
  if (ids.length === 0) return
  const valid = ids.filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
  const rows = (await sql<{ id: string; filename: string }>`
    select id, filename from attachments
    where id = any(${valid}::uuid[]) and ticket_id = ${claim.ticketId} and comment_id is null and uploaded_by = ${ctx.actor.id}
    for update`.execute(trx)).rows
  if (rows.length !== ids.length) {
    const found = new Set(rows.map((r) => r.id))
    const missing = ids.filter((id) => !found.has(id))
    throw new ValidationError('attachments.unknown_ids', { ids: missing.join(', ') }, missing.map((id) => ({ field: 'attachmentIds', rule: 'claimable', value: id })))
  }
  await sql`update attachments set comment_id = ${claim.commentId}, internal = ${claim.internal} where id = any(${ids}::uuid[])`.execute(trx)
  await appendHistory(trx, ctx, {
    ticketId: claim.ticketId, action: 'attachments_attached', field: 'attachments', internal: claim.internal,
    newValue: { commentId: claim.commentId, attachments: rows.map((r) => ({ id: r.id, filename: r.filename })) },
  })
}

registerAttachmentClaimer(claimAttachmentsForComment)
