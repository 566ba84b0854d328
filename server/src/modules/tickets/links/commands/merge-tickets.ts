import { sql } from 'kysely'
import type { Trx } from '../../../../platform/db/database'
import { ConflictError, NotFoundError, ValidationError } from '../../../../platform/http/errors'
import { FINAL_STATUSES } from '../../../../../../common/src/tickets/tickets.types'
import { STATUS_LABELS } from '../../../../../../common/src/tickets/tickets.labels'
import { appendHistory, type CommandContext } from '../../history/append-history'
import { authorize, canView } from '../../tickets.policy'
import { loadTicket, type TicketRow } from '../../queries/load-ticket'
import { changeStatus } from '../../commands/change-status'
import { recordTicketEvent } from '../../commands/record-ticket-event'
import { textToHtml } from '../../content/message-body'
import { lockLinkGraph } from '../link-graph'
import { insertLink, resolveOtherTicket, type LinkTarget } from './add-link'
import { numberIfVisible } from '../../queries/visible-ticket-ids'
import type { Actor } from '../../../../platform/auth/actor'

export interface MergeResult {
  source: { id: string; number: number }
  target: { id: string; number: number }
  movedComments: number
  movedAttachments: number
  /** True when the requesters differ: moved public messages became internal notes on the target. */
  madeInternal: boolean
}

const statusParams = (t: TicketRow) => ({ number: t.number, statusEs: STATUS_LABELS[t.status].es.toLowerCase(), statusEn: STATUS_LABELS[t.status].en.toLowerCase() })

/** The merge preconditions, each a 4xx with a clear message. */
async function checkMergeable(trx: Trx, actor: Actor, source: TicketRow, target: TicketRow) {
  if (source.id === target.id) throw new ValidationError('merge.into_self', {}, [{ field: 'targetId', rule: 'self' }])
  // Where a ticket went is named only to who may see it.
  const mergedInto = async (code: string, key: string, number: number, id: string) => {
    const targetNumber = await numberIfVisible(trx, actor, id)
    return new ConflictError(code, targetNumber ? key : `${key}_unseen`, { number, targetNumber })
  }
  if (source.merged_into_id) throw await mergedInto('already_merged', 'merge.already_merged', source.number, source.merged_into_id)
  if (FINAL_STATUSES.includes(source.status)) throw new ConflictError('ticket_final', 'merge.source_final', statusParams(source))
  if (source.status === 'resolved') throw new ConflictError('ticket_resolved', 'merge.source_resolved', { number: source.number })
  if (target.merged_into_id) throw await mergedInto('target_merged', 'merge.target_merged', target.number, target.merged_into_id)
  if (FINAL_STATUSES.includes(target.status)) throw new ConflictError('target_final', 'merge.target_final', statusParams(target))
}

/**
 * Merges `sourceId` into a target ticket: the source's description (as a message dated when it was
 * filed), comments and attachments move to the target; the source is cancelled as a duplicate with
 * merged_into_id / duplicate_of_id and a duplicate_of link pointing at the target. When the two
 * requesters differ, the moved public messages and files become internal on the target, so one
 * customer never reads another's conversation. Records `merged_into` / `merged_from` history and a
 * `ticket.merged` event (the email module tells the source's requester).
 */
export async function mergeTickets(trx: Trx, ctx: CommandContext, sourceId: string, target: LinkTarget): Promise<MergeResult> {
  await lockLinkGraph(trx)
  const source = await loadTicket(trx, sourceId, { forUpdate: true })
  if (!source || !canView(ctx.actor, source)) throw new NotFoundError('tickets.not_found')
  if (target.ticketId === sourceId || (target.number !== undefined && target.number === source.number)) {
    throw new ValidationError('merge.into_self', {}, [{ field: 'targetId', rule: 'self' }])
  }
  const into = await resolveOtherTicket(trx, ctx, target, 'tickets.not_found')
  await checkMergeable(trx, ctx.actor, source, into)
  authorize(ctx.actor, 'merge', source)
  authorize(ctx.actor, 'merge', into)

  const sameAudience = source.requester_id === into.requester_id
  const hide = !sameAudience
  // The source's own description is the first message of its conversation: it moves as a comment.
  if (source.description.trim()) {
    const heading = `#${source.number} · ${source.subject}`
    await trx.insertInto('comments').values({
      ticket_id: into.id, author_id: source.requester_id, internal: hide, channel: source.channel,
      body_text: `${heading}\n\n${source.description}`,
      body_html: `${textToHtml(heading)}${source.description_html || textToHtml(source.description)}`,
      created_at: source.created_at,
    }).execute()
  }
  // A comment whose source id (e.g. an email Message-ID) the target already has keeps its text but not the id.
  const moved = await sql<{ id: string }>`
    update comments c set ticket_id = ${into.id}, internal = c.internal or ${hide},
      external_id = case when exists (select 1 from comments d where d.ticket_id = ${into.id} and d.external_id = c.external_id) then null else c.external_id end
    where c.ticket_id = ${source.id} returning c.id`.execute(trx)
  const files = await sql<{ id: string }>`
    update attachments set ticket_id = ${into.id}, internal = internal or ${hide} where ticket_id = ${source.id} returning id`.execute(trx)

  // Any earlier link between the two is replaced by the merge's duplicate link.
  await sql`delete from ticket_links where least(source_id, target_id) = least(${source.id}::uuid, ${into.id}::uuid)
    and greatest(source_id, target_id) = greatest(${source.id}::uuid, ${into.id}::uuid)`.execute(trx)
  await insertLink(trx, ctx, source, into, 'duplicate_of')
  await trx.updateTable('tickets').set({ merged_into_id: into.id, updated_at: ctx.now }).where('id', '=', source.id).execute()
  await changeStatus(trx, ctx, source.id, { status: 'cancelled', cancelReason: 'duplicate', duplicateOfId: into.id }, { skipAuthorize: true })
  await trx.updateTable('tickets').set({ updated_at: ctx.now }).where('id', '=', into.id).execute()

  const counts = { comments: moved.rows.length, attachments: files.rows.length, madeInternal: hide }
  await appendHistory(trx, ctx, [
    { ticketId: source.id, action: 'merged_into', field: 'merged_into', newValue: { ticket: { id: into.id, number: into.number }, ...counts } },
    { ticketId: into.id, action: 'merged_from', field: 'merged_from', internal: hide, newValue: { ticket: { id: source.id, number: source.number }, ...counts } },
  ])
  await recordTicketEvent(trx, ctx, source.id, 'ticket.merged', {
    number: source.number, targetId: into.id, targetNumber: into.number, requesterId: source.requester_id,
    sameRequester: sameAudience, movedComments: counts.comments, movedAttachments: counts.attachments,
  })
  return {
    source: { id: source.id, number: source.number }, target: { id: into.id, number: into.number },
    movedComments: counts.comments, movedAttachments: counts.attachments, madeInternal: hide,
  }
}
