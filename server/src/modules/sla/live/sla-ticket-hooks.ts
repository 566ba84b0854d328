import { sql } from 'kysely'
import type { TicketChange } from '../../tickets/tickets.extensions'
import {
  registerCategoryMovedListener, registerCategoryUsers, registerTicketChangeListener, registerTicketFieldsLoader, registerTicketListFilter, registerTicketListSort,
} from '../../tickets/tickets.extensions'
import { queueRecompute } from '../admin/calendar-commands'
import { registerEventFilter } from '../../../platform/realtime/realtime'
import { filterTicketEvent } from '../../tickets/tickets.events'
import { loadTicketSlaViews } from './present-ticket-sla'
import { recomputeTicketsSla } from './recompute-ticket-sla'
import { slaDueSort, slaListFilter } from './sla-list-filters'

const FACT_FIELDS = new Set(['type', 'category', 'priority', 'organization'])

/** Whether a ticket event can change its SLA (status, replies, creation, import, policy facts). */
export function affectsSla(change: TicketChange): boolean {
  switch (change.type) {
    case 'ticket.created': case 'ticket.status_changed': case 'comment.added': case 'ticket.imported': case 'ticket.merged':
      return true
    case 'ticket.updated':
      return ((change.payload.changes as Array<{ field: string }> | undefined) ?? []).some((c) => FACT_FIELDS.has(c.field))
    default:
      return false
  }
}

// Live tickets: recompute in the command's transaction, so the API answers with fresh targets
// (a batch of creates made at one moment: one recompute for all of them).
registerTicketChangeListener(async (trx, changes) => {
  const groups = new Map<string, { now: Date; suppressPast: boolean; ids: string[] }>()
  for (const { ctx, change } of changes) {
    if (!affectsSla(change)) continue
    const suppressPast = change.type === 'ticket.imported'
    const key = `${ctx.now.getTime()} ${suppressPast}`
    const group = groups.get(key) ?? { now: ctx.now, suppressPast, ids: [] }
    group.ids.push(change.ticketId)
    groups.set(key, group)
  }
  for (const g of groups.values()) await recomputeTicketsSla(trx, [...new Set(g.ids)], { now: g.now, suppressPast: g.suppressPast })
})
// A category moved: policies match through its ancestors, so its live tickets are re-matched by a durable job.
registerCategoryMovedListener((trx, change) => queueRecompute(trx, { categoryId: change.categoryId }))
// A policy matching a category keeps it from being deleted (named in the refusal).
registerCategoryUsers(async (trx, categoryId) => (await sql<{ name: string }>`select name from sla_policies
  where conditions->'categoryIds' ? ${categoryId} order by position, name`.execute(trx)).rows.map((r) => `«${r.name}»`))
registerTicketFieldsLoader(loadTicketSlaViews)
registerTicketListFilter('sla', slaListFilter)
registerTicketListSort('sla_due', slaDueSort)
// sla.warning / sla.breached reach staff who may see the ticket (never customers).
registerEventFilter('sla.', filterTicketEvent)
