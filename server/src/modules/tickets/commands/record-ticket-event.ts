import type { Trx } from '../../../platform/db/database'
import { recordEvents } from '../../../platform/events/events'
import type { CommandContext } from '../history/append-history'
import { eventScope } from '../tickets.events'
import type { PolicyTicket } from '../tickets.policy'
import { loadTicket } from '../queries/load-ticket'
import { ticketsChanged } from '../tickets.extensions'

/** A ticket.* / comment.* event of one command, for recordTicketEvents. */
export interface TicketEventInput {
  ctx: CommandContext
  ticketId: string
  type: string
  payload: Record<string, unknown>
  /** The ticket as it is now in this transaction, when the caller just wrote it (spares a read). */
  current?: PolicyTicket
}

/**
 * Records a ticket.* / comment.* event in the outbox with the ticket's current visibility scope
 * (read after the change, in the same transaction), which the real-time filter uses. Then tells
 * the registered change listeners (e.g. the SLA engine recomputes the ticket's targets).
 */
export async function recordTicketEvent(trx: Trx, ctx: CommandContext, ticketId: string, type: string, payload: Record<string, unknown>,
  current?: PolicyTicket) {
  return (await recordTicketEvents(trx, [{ ctx, ticketId, type, payload, current }]))[0]
}

/** recordTicketEvent for several events at once (a batch of creates): one outbox statement, one call of each listener. */
export async function recordTicketEvents(trx: Trx, events: readonly TicketEventInput[]): Promise<number[]> {
  const stored = []
  for (const e of events) {
    const ticket = e.current ?? await loadTicket(trx, e.ticketId)
    if (!ticket) throw new Error(`ticket ${e.ticketId} vanished`)
    const { actor } = e.ctx
    const actorId = actor.via === 'system' && actor.id === '00000000-0000-0000-0000-000000000000' ? null : actor.id
    stored.push({ type: e.type, ticketId: e.ticketId, actorId, payload: { ...e.payload, scope: eventScope(ticket) } })
  }
  const ids = await recordEvents(trx, stored)
  await ticketsChanged(trx, events.map((e) => ({ ctx: e.ctx, change: { ticketId: e.ticketId, type: e.type, payload: e.payload } })))
  return ids
}
