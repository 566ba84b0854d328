import { sql } from 'kysely'
import type { Trx } from '../../../../platform/db/database'
import { ConflictError } from '../../../../platform/http/errors'
import { FINAL_STATUSES, type StatusCode } from '../../../../../../common/src/tickets/tickets.types'
import { appendHistory, type CommandContext } from '../../history/append-history'
import { authorize, can, canView } from '../../tickets.policy'
import { loadTicket } from '../../queries/load-ticket'
import { addComment } from '../../commands/add-comment'
import { recordTicketEvent } from '../../commands/record-ticket-event'

export interface BroadcastInput { body?: string; bodyHtml?: string }

export interface BroadcastResult {
  posted: Array<{ ticketId: string; number: number; commentId: string }>
  skipped: Array<{ ticketId: string; number: number; reason: 'final' | 'not_allowed' }>
  /** Linked tickets the sender may not see (an agent restricted to their teams): skipped, not named. */
  unseenSkipped: number
}

/**
 * Major incident (R13): posts one public update to every child and related ticket of a parent in
 * one transaction, through addComment (so each gets its own history row and `comment.added`
 * event, which mails its requester). Closed, cancelled and merged tickets are skipped, not
 * followed up. The parent gets a `broadcast_sent` history row and a `ticket.broadcast_sent` event.
 */
export async function broadcastUpdate(trx: Trx, ctx: CommandContext, parentId: string, input: BroadcastInput): Promise<BroadcastResult> {
  const parent = await loadTicket(trx, parentId, { forUpdate: true })
  authorize(ctx.actor, 'link', parent)
  const linked = (await sql<{ id: string; number: number; status: StatusCode; merged_into_id: string | null }>`
    select t.id, t.number, t.status, t.merged_into_id from ticket_links l
    join tickets t on t.id = case when l.source_id = ${parentId} then l.target_id else l.source_id end
    where (l.kind = 'parent_of' and l.source_id = ${parentId}) or (l.kind = 'related' and (l.source_id = ${parentId} or l.target_id = ${parentId}))
    order by t.number`.execute(trx)).rows
  if (linked.length === 0) throw new ConflictError('no_linked_tickets', 'broadcast.no_linked', { number: parent.number })

  const result: BroadcastResult = { posted: [], skipped: [], unseenSkipped: 0 }
  for (const t of linked) {
    const row = await loadTicket(trx, t.id)
    // A linked ticket the sender may not see is counted, not named.
    if (!row || !canView(ctx.actor, row)) {
      result.unseenSkipped += 1
      continue
    }
    if (FINAL_STATUSES.includes(t.status) || t.merged_into_id) {
      result.skipped.push({ ticketId: t.id, number: t.number, reason: 'final' })
      continue
    }
    if (!can(ctx.actor, 'comment', row)) {
      result.skipped.push({ ticketId: t.id, number: t.number, reason: 'not_allowed' })
      continue
    }
    const added = await addComment(trx, ctx, t.id, { body: input.body, bodyHtml: input.bodyHtml, internal: false })
    result.posted.push({ ticketId: t.id, number: t.number, commentId: added.commentId! })
  }
  const summary = { posted: result.posted.map((p) => p.number), skipped: result.skipped.map((s) => s.number), unseenSkipped: result.unseenSkipped }
  await appendHistory(trx, ctx, { ticketId: parentId, action: 'broadcast_sent', field: 'broadcast', internal: true, newValue: summary })
  await recordTicketEvent(trx, ctx, parentId, 'ticket.broadcast_sent', { number: parent.number, ...summary, internal: true })
  return result
}
