import { sql } from 'kysely'
import type { Trx } from '../../../../platform/db/database'
import { ConflictError, NotFoundError, ValidationError } from '../../../../platform/http/errors'
import { appendHistory, type CommandContext } from '../../history/append-history'
import { authorize, canView } from '../../tickets.policy'
import { loadTicket, loadTicketByNumber, type TicketRow } from '../../queries/load-ticket'
import { recordTicketEvent } from '../../commands/record-ticket-event'
import { duplicateChainReaches, isAncestorOrSelf, lockLinkGraph } from '../link-graph'
import { linkFromSide, toStoredLink, type LinkType } from '../link-types'
import { numberIfVisible } from '../../queries/visible-ticket-ids'

export interface LinkTarget { ticketId?: string; number?: number }

export interface LinkResult { id: string; type: LinkType; other: { id: string; number: number } }

/** The other ticket of a link, by id or number: 404 unless the actor may see it. */
export async function resolveOtherTicket(trx: Trx, ctx: CommandContext, target: LinkTarget, messageKey = 'links.target_not_found'): Promise<TicketRow> {
  if (!target.ticketId && target.number === undefined) throw new ValidationError('links.target_required', {}, [{ field: 'ticketId', rule: 'required' }])
  const other = target.ticketId ? await loadTicket(trx, target.ticketId, { forUpdate: true }) : await loadTicketByNumber(trx, target.number!)
  if (!other || !canView(ctx.actor, other)) throw new NotFoundError(messageKey)
  return other
}

/**
 * Links two tickets the actor may link (staff who see both). Refuses a link to itself, a second
 * link between the same pair, a second parent or a second original, and any parent/child or
 * duplicate link that would close a cycle (409). Writes a `link_added` history row on both tickets
 * and a `ticket.linked` event for each.
 */
export async function addLink(trx: Trx, ctx: CommandContext, ticketId: string, input: LinkTarget & { type: LinkType }): Promise<LinkResult> {
  // Graph lock before any ticket row lock: two linkings of the same pair cannot deadlock.
  await lockLinkGraph(trx)
  const self = await loadTicket(trx, ticketId, { forUpdate: true })
  authorize(ctx.actor, 'link', self)
  const other = await resolveOtherTicket(trx, ctx, input)
  authorize(ctx.actor, 'link', other)
  return insertLink(trx, ctx, self, other, input.type)
}

/** Stores a link between two loaded tickets after the graph checks (also used by merge). */
export async function insertLink(trx: Trx, ctx: CommandContext, self: TicketRow, other: TicketRow, type: LinkType): Promise<LinkResult> {
  if (self.id === other.id) throw new ValidationError('links.self', {}, [{ field: 'ticketId', rule: 'self' }])
  await lockLinkGraph(trx)
  const existing = (await sql<{ id: string }>`select id from ticket_links
    where least(source_id, target_id) = least(${self.id}::uuid, ${other.id}::uuid) and greatest(source_id, target_id) = greatest(${self.id}::uuid, ${other.id}::uuid)`.execute(trx)).rows[0]
  if (existing) throw new ConflictError('link_exists', 'links.exists', { number: self.number, otherNumber: other.number })

  const stored = toStoredLink(type, self.id, other.id)
  const number = (id: string) => (id === self.id ? self.number : other.number)
  if (stored.kind === 'parent_of') {
    const parent = (await sql<{ id: string }>`select l.source_id as id from ticket_links l
      where l.kind = 'parent_of' and l.target_id = ${stored.targetId}`.execute(trx)).rows[0]
    if (parent) {
      const parentNumber = await numberIfVisible(trx, ctx.actor, parent.id)
      throw new ConflictError('link_parent_exists', parentNumber ? 'links.already_has_parent' : 'links.already_has_parent_unseen', { number: number(stored.targetId), parentNumber })
    }
    if (await isAncestorOrSelf(trx, stored.targetId, stored.sourceId)) {
      throw new ConflictError('link_cycle', 'links.parent_cycle', { parentNumber: number(stored.sourceId), childNumber: number(stored.targetId) })
    }
  }
  if (stored.kind === 'duplicate_of') {
    const original = (await sql<{ id: string }>`select l.target_id as id from ticket_links l
      where l.kind = 'duplicate_of' and l.source_id = ${stored.sourceId}`.execute(trx)).rows[0]
    if (original) {
      const originalNumber = await numberIfVisible(trx, ctx.actor, original.id)
      throw new ConflictError('link_duplicate_exists', originalNumber ? 'links.already_duplicate' : 'links.already_duplicate_unseen', { number: number(stored.sourceId), originalNumber })
    }
    if (await duplicateChainReaches(trx, stored.targetId, stored.sourceId)) {
      throw new ConflictError('link_cycle', 'links.duplicate_cycle', { number: number(stored.sourceId), originalNumber: number(stored.targetId) })
    }
  }

  const row = await trx.insertInto('ticket_links').values({
    kind: stored.kind, source_id: stored.sourceId, target_id: stored.targetId,
    created_by: ctx.actor.via === 'system' ? null : ctx.actor.id, created_at: ctx.now,
  }).returning(['id', 'kind', 'source_id', 'target_id']).executeTakeFirstOrThrow()
  await recordLinkChange(trx, ctx, row, [self, other], 'added')
  return { id: row.id, type, other: { id: other.id, number: other.number } }
}

/** History rows (internal: staff business) and `ticket.linked` / `ticket.unlinked` events on both tickets. */
export async function recordLinkChange(trx: Trx, ctx: CommandContext, row: { id: string; kind: 'parent_of' | 'related' | 'duplicate_of'; source_id: string; target_id: string },
  tickets: [TicketRow, TicketRow], change: 'added' | 'removed') {
  for (const t of tickets) {
    const side = linkFromSide(row, t.id)
    const other = tickets.find((x) => x.id === side.otherId)!
    const value = { linkId: row.id, type: side.type, ticket: { id: other.id, number: other.number } }
    await appendHistory(trx, ctx, {
      ticketId: t.id, action: change === 'added' ? 'link_added' : 'link_removed', field: 'links', internal: true,
      oldValue: change === 'removed' ? value : null, newValue: change === 'added' ? value : null,
    })
    await trx.updateTable('tickets').set({ updated_at: ctx.now }).where('id', '=', t.id).execute()
    await recordTicketEvent(trx, ctx, t.id, change === 'added' ? 'ticket.linked' : 'ticket.unlinked', {
      number: t.number, linkId: row.id, type: side.type, otherTicketId: other.id, otherNumber: other.number, internal: true,
    })
  }
}
