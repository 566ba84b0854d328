import { sql } from 'kysely'
import type { Trx } from '../../../platform/db/database'
import { ConflictError, ValidationError } from '../../../platform/http/errors'
import type { CancelReason } from '../../../../../common/src/tickets/tickets.types'
import { checkTransition, type TransitionActor } from '../lifecycle/transitions'
import { recordTicketEvent } from './record-ticket-event'
import { appendHistory, type CommandContext, type HistoryEntry } from '../history/append-history'
import { authorize, canView } from '../tickets.policy'
import { readTicketSettings } from '../settings/ticket-settings'
import { loadTicket, type TicketRow } from '../queries/load-ticket'
import { resolveStatus, statusById } from './lookups'
import { insertLink } from '../links/commands/add-link'
import { lockLinkGraph } from '../links/link-graph'

export interface ChangeStatusInput {
  /** A status key (`open`, or a custom status key) or a status id. */
  status: string
  cancelReason?: CancelReason | null
  cancelNote?: string | null
  duplicateOfId?: string | null
  thirdParty?: string | null
  thirdPartyRef?: string | null
}

/**
 * The duplicate_of link a cancellation as duplicate implies, with the link checks (a second
 * original, a cycle: 409). Any other link between the two gives way to it, as in a merge, which
 * has already made it.
 */
async function linkAsDuplicate(trx: Trx, ctx: CommandContext, ticket: TicketRow, original: TicketRow) {
  const pair = sql`least(source_id, target_id) = least(${ticket.id}::uuid, ${original.id}::uuid)
    and greatest(source_id, target_id) = greatest(${ticket.id}::uuid, ${original.id}::uuid)`
  const { rows } = await sql<{ kind: string; source_id: string }>`select kind, source_id from ticket_links where ${pair}`.execute(trx)
  const duplicate = rows.find((r) => r.kind === 'duplicate_of')
  if (duplicate?.source_id === ticket.id) return
  if (duplicate) throw new ConflictError('link_cycle', 'links.duplicate_cycle', { number: ticket.number, originalNumber: original.number })
  await sql`delete from ticket_links where ${pair}`.execute(trx)
  await insertLink(trx, ctx, ticket, original, 'duplicate_of')
}

/** Which side of the transition table an actor is on. */
export function transitionActorOf(ctx: CommandContext): TransitionActor {
  if (ctx.actor.via === 'system') return 'system'
  return ctx.actor.role === 'customer' ? 'requester' : 'staff'
}

/**
 * Moves a ticket to another status through the one transition table (409 with a clear message when
 * not allowed). Records resolved/closed/cancelled times, the third party of on_hold, the cancel
 * reason, history rows and a `ticket.status_changed` event. Returns false when nothing changed.
 */
export async function changeStatus(trx: Trx, ctx: CommandContext, ticketId: string, input: ChangeStatusInput,
  opts: { ticket?: TicketRow; skipAuthorize?: boolean } = {}): Promise<boolean> {
  if (input.cancelReason === 'duplicate') await lockLinkGraph(trx)
  const ticket = opts.ticket ?? await loadTicket(trx, ticketId, { forUpdate: true })
  if (!opts.skipAuthorize) authorize(ctx.actor, 'change_status', ticket)
  if (!ticket) throw new Error('unreachable')
  const target = await resolveStatus(trx, input.status)
  if (target.id === ticket.status_id) return target.category === 'on_hold' ? changeThirdParty(trx, ctx, ticket, input) : false
  const current = await statusById(trx, ticket.status_id)
  const settings = await readTicketSettings(trx)
  const check = checkTransition({
    from: current.category, to: target.category, by: transitionActorOf(ctx), now: ctx.now,
    resolvedAt: ticket.resolved_at ? new Date(ticket.resolved_at) : null, reopenWindowDays: settings.reopenWindowDays,
    cancelReason: input.cancelReason, duplicateOfId: input.duplicateOfId, thirdParty: input.thirdParty ?? ticket.third_party,
  })
  if (!check.ok) throw new ConflictError(check.code, check.messageKey, check.params)

  const set: Record<string, unknown> = { status_id: target.id, status_changed_at: ctx.now, updated_at: ctx.now }
  const history: HistoryEntry[] = [{
    ticketId, action: 'status_changed', field: 'status',
    oldValue: { code: current.category, key: current.key }, newValue: { code: target.category, key: target.key },
  }]
  const to = target.category
  if (to === 'resolved' && current.category !== 'resolved') set.resolved_at = ctx.now
  if (check.reopen) {
    set.resolved_at = null
    set.reopen_count = ticket.reopen_count + 1
  }
  if (to === 'closed') set.closed_at = ctx.now
  if (to === 'cancelled') {
    if (input.cancelReason === 'duplicate') {
      if (input.duplicateOfId === ticketId) throw new ValidationError('tickets.duplicate_of_self', {}, [{ field: 'duplicateOfId', rule: 'self' }])
      const original = await loadTicket(trx, input.duplicateOfId!)
      if (!original || !canView(ctx.actor, original)) throw new ValidationError('tickets.duplicate_of_missing', {}, [{ field: 'duplicateOfId', rule: 'exists' }])
      set.duplicate_of_id = original.id
      history.push({ ticketId, action: 'field_changed', field: 'duplicate_of', oldValue: null, newValue: { id: original.id, number: original.number } })
      await linkAsDuplicate(trx, ctx, ticket, original)
    }
    set.cancelled_at = ctx.now
    set.cancel_reason = input.cancelReason
    set.cancel_note = input.cancelNote?.trim() || null
    history.push({ ticketId, action: 'field_changed', field: 'cancel_reason', oldValue: null, newValue: { reason: input.cancelReason, note: set.cancel_note } })
  }
  if (to === 'on_hold') {
    const party = await thirdPartyFields(trx, ticket, input)
    if (party) {
      Object.assign(set, party.set)
      history.push(party.history)
    }
  }
  await trx.updateTable('tickets').set(set).where('id', '=', ticketId).execute()
  await appendHistory(trx, ctx, history)
  await recordTicketEvent(trx, ctx, ticketId, 'ticket.status_changed', {
    number: ticket.number, from: current.category, to, fromKey: current.key, toKey: target.key, reopen: check.reopen,
    by: transitionActorOf(ctx), cancelReason: to === 'cancelled' ? input.cancelReason : undefined,
  })
  return true
}

/**
 * The third party (and its case number) a ticket going on hold, or staying on hold, depends on:
 * the columns and history row when they change, null otherwise. The case number is also stored as
 * an external reference, searchable like any other.
 */
async function thirdPartyFields(trx: Trx, ticket: TicketRow, input: ChangeStatusInput) {
  const thirdParty = input.thirdParty?.trim() || ticket.third_party
  // Another third party's case number is not this one's: a new party without a reference has none.
  const ref = input.thirdPartyRef !== undefined ? input.thirdPartyRef?.trim() || null
    : thirdParty === ticket.third_party ? ticket.third_party_ref : null
  if (ref) {
    await sql`insert into ticket_external_refs (ticket_id, kind, provider, value) values (${ticket.id}, 'provider_case', ${thirdParty}, ${ref})
      on conflict do nothing`.execute(trx)
  }
  if (thirdParty === ticket.third_party && ref === ticket.third_party_ref) return null
  const history: HistoryEntry = { ticketId: ticket.id, action: 'field_changed', field: 'third_party', internal: true,
    oldValue: { name: ticket.third_party, reference: ticket.third_party_ref }, newValue: { name: thirdParty, reference: ref } }
  return { set: { third_party: thirdParty, third_party_ref: ref }, history }
}

/** A ticket already on hold that now depends on another party, or has the party's case number: no transition, a field change. */
async function changeThirdParty(trx: Trx, ctx: CommandContext, ticket: TicketRow, input: ChangeStatusInput): Promise<boolean> {
  const party = await thirdPartyFields(trx, ticket, input)
  if (!party) return false
  await trx.updateTable('tickets').set({ ...party.set, updated_at: ctx.now }).where('id', '=', ticket.id).execute()
  await appendHistory(trx, ctx, [party.history])
  await recordTicketEvent(trx, ctx, ticket.id, 'ticket.updated', { number: ticket.number, changes: [{ field: 'third_party', internal: true }] })
  return true
}
