import type { Trx } from '../../../platform/db/database'
import { recordEvent } from '../../../platform/events/events'
import type { CommandContext } from '../history/append-history'
import { eventScope } from '../tickets.events'
import type { PolicyTicket } from '../tickets.policy'
import { loadTicket } from '../queries/load-ticket'
import { ticketChanged } from '../tickets.extensions'

/**
 * Records a ticket.* / comment.* event in the outbox with the ticket's current visibility scope
 * (read after the change, in the same transaction), which the real-time filter uses. Then tells
 * the registered change listeners (e.g. the SLA engine recomputes the ticket's targets).
 */
export async function recordTicketEvent(trx: Trx, ctx: CommandContext, ticketId: string, type: string, payload: Record<string, unknown>,
  /** The ticket as it is now in this transaction, when the caller just wrote it (spares a read). */
  current?: PolicyTicket) {
  const ticket = current ?? await loadTicket(trx, ticketId)
  if (!ticket) throw new Error(`ticket ${ticketId} vanished`)
  const actorId = ctx.actor.via === 'system' && ctx.actor.id === '00000000-0000-0000-0000-000000000000' ? null : ctx.actor.id
  const id = await recordEvent(trx, { type, ticketId, actorId, payload: { ...payload, scope: eventScope(ticket) } })
  await ticketChanged(trx, ctx, { ticketId, type, payload })
  return id
}
