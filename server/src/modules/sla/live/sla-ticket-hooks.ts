import type { TicketChange } from '../../tickets/tickets.extensions'
import {
  registerCategoryMovedListener, registerTicketChangeListener, registerTicketFieldsLoader, registerTicketListFilter, registerTicketListSort,
} from '../../tickets/tickets.extensions'
import { queueRecompute } from '../admin/calendar-commands'
import { registerEventFilter } from '../../../platform/realtime/realtime'
import { filterTicketEvent } from '../../tickets/tickets.events'
import { loadTicketSlaViews } from './present-ticket-sla'
import { recomputeTicketSla } from './recompute-ticket-sla'
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

// Live tickets: recompute in the command's transaction, so the API answers with fresh targets.
registerTicketChangeListener(async (trx, ctx, change) => {
  if (!affectsSla(change)) return
  await recomputeTicketSla(trx, change.ticketId, { now: ctx.now, suppressPast: change.type === 'ticket.imported' })
})
// A category moved: policies match through its ancestors, so its live tickets are re-matched by a durable job.
registerCategoryMovedListener((trx, change) => queueRecompute(trx, { categoryId: change.categoryId }))
registerTicketFieldsLoader(loadTicketSlaViews)
registerTicketListFilter('sla', slaListFilter)
registerTicketListSort('sla_due', slaDueSort)
// sla.warning / sla.breached reach staff who may see the ticket (never customers).
registerEventFilter('sla.', filterTicketEvent)
