import { sql } from 'kysely'
import type { Trx } from '../../../platform/db/database'
import { recordTicketEvent } from './record-ticket-event'
import { appendHistory, type CommandContext } from '../history/append-history'
import { authorize } from '../tickets.policy'
import { loadTicket } from '../queries/load-ticket'

export interface AddCallInput { callId?: string | null; direction?: 'inbound' | 'outbound'; note?: string | null }

/**
 * Records a call about a ticket (call centre, R22): increments call_count, keeps the call ID as a
 * searchable external reference, appends history and records `ticket.call_added`.
 */
export async function addCall(trx: Trx, ctx: CommandContext, ticketId: string, input: AddCallInput): Promise<{ callCount: number; callRowId: string }> {
  const ticket = await loadTicket(trx, ticketId, { forUpdate: true })
  authorize(ctx.actor, 'add_call', ticket)
  if (!ticket) throw new Error('unreachable')
  const callId = input.callId?.trim() || null
  const row = (await sql<{ id: string }>`insert into ticket_calls (ticket_id, call_id, direction, agent_id, note, at)
    values (${ticketId}, ${callId}, ${input.direction ?? 'inbound'}, ${ctx.actor.id}, ${input.note?.trim() || null}, ${ctx.now}) returning id`.execute(trx)).rows[0]
  if (callId) {
    await sql`insert into ticket_external_refs (ticket_id, kind, value) values (${ticketId}, 'call_id', ${callId}) on conflict do nothing`.execute(trx)
  }
  const updated = await trx.updateTable('tickets').set((eb) => ({ call_count: eb('call_count', '+', 1), updated_at: ctx.now }))
    .where('id', '=', ticketId).returning('call_count').executeTakeFirstOrThrow()
  await appendHistory(trx, ctx, { ticketId, action: 'call_added', field: 'call_count', oldValue: ticket.call_count, newValue: updated.call_count, internal: true })
  await recordTicketEvent(trx, ctx, ticketId, 'ticket.call_added', { number: ticket.number, callId, callCount: updated.call_count, internal: true })
  return { callCount: updated.call_count, callRowId: row.id }
}
